#include "support/TestCertificates.h"

#include <QFile>
#include <QProcess>

namespace repl::test {

namespace {
const QStringList EcKey{QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                        QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes")};
} // namespace

bool TestCertificates::openssl(const QStringList &args)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("openssl"), args);
    if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        m_error = QStringLiteral("openssl %1: %2 %3")
                      .arg(args.join(u' '), p.errorString(), QString::fromUtf8(p.readAll()));
        return false;
    }
    return true;
}

bool TestCertificates::writeExtensions()
{
    QFile f(path(QStringLiteral("server.ext")));
    if (!f.open(QIODevice::WriteOnly))
        return false;
    f.write("basicConstraints=critical,CA:FALSE\n"
            "keyUsage=critical,digitalSignature,keyEncipherment\n"
            "extendedKeyUsage=serverAuth\n"
            "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    return true;
}

bool TestCertificates::createCa()
{
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("no temporary directory");
        return false;
    }
    return writeExtensions() &&
           openssl(QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + EcKey +
                   QStringList{QStringLiteral("-keyout"), path(QStringLiteral("ca.key")),
                               QStringLiteral("-out"), caFile(), QStringLiteral("-days"),
                               QStringLiteral("2"), QStringLiteral("-subj"),
                               QStringLiteral("/O=ReplDesk tests/CN=ReplDesk Test CA"),
                               QStringLiteral("-addext"),
                               QStringLiteral("basicConstraints=critical,CA:TRUE"),
                               QStringLiteral("-addext"),
                               QStringLiteral("keyUsage=critical,keyCertSign,cRLSign")});
}

TestCertificates::Pair TestCertificates::signedByCa(const QString &name)
{
    Pair p{path(name + QStringLiteral(".pem")), path(name + QStringLiteral(".key")), {}};
    const QString csr = path(name + QStringLiteral(".csr"));
    if (!openssl(QStringList{QStringLiteral("req")} + EcKey +
                 QStringList{QStringLiteral("-keyout"), p.key, QStringLiteral("-out"), csr,
                             QStringLiteral("-subj"),
                             QStringLiteral("/O=ReplDesk tests/CN=localhost")}) ||
        !openssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), csr,
                  QStringLiteral("-CA"), caFile(), QStringLiteral("-CAkey"),
                  path(QStringLiteral("ca.key")), QStringLiteral("-CAcreateserial"),
                  QStringLiteral("-out"), p.cert, QStringLiteral("-days"), QStringLiteral("2"),
                  QStringLiteral("-extfile"), path(QStringLiteral("server.ext"))}))
        return {};
    p.fingerprint = fingerprintOf(p.cert);
    return p;
}

TestCertificates::Pair TestCertificates::selfSigned(const QString &name)
{
    Pair p{path(name + QStringLiteral(".pem")), path(name + QStringLiteral(".key")), {}};
    if (!openssl(QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + EcKey +
                 QStringList{QStringLiteral("-keyout"), p.key, QStringLiteral("-out"), p.cert,
                             QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                             QStringLiteral("/O=ReplDesk tests/CN=%1").arg(name),
                             QStringLiteral("-addext"),
                             QStringLiteral("subjectAltName=DNS:localhost,IP:127.0.0.1")}))
        return {};
    p.fingerprint = fingerprintOf(p.cert);
    return p;
}

QString TestCertificates::fingerprintOf(const QString &certFile)
{
    QProcess p;
    p.start(QStringLiteral("openssl"),
            {QStringLiteral("x509"), QStringLiteral("-noout"), QStringLiteral("-fingerprint"),
             QStringLiteral("-sha256"), QStringLiteral("-in"), certFile});
    if (!p.waitForFinished(30000) || p.exitCode() != 0)
        return {};
    // "sha256 Fingerprint=AB:CD:…"
    const QString line = QString::fromUtf8(p.readAllStandardOutput()).trimmed();
    return line.section(u'=', 1).trimmed().toUpper();
}

} // namespace repl::test
