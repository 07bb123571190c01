#include "client/Tls.h"

#include <QCryptographicHash>
#include <QFile>
#include <QMutex>
#include <QRegularExpression>
#include <QSslConfiguration>

namespace repl::client {

namespace {

QString nameText(const QSslCertificate &c, bool issuer)
{
    using Info = QSslCertificate::SubjectInfo;
    QStringList parts;
    const std::pair<Info, const char *> fields[] = {
        {QSslCertificate::CommonName, "CN"},
        {QSslCertificate::Organization, "O"},
        {QSslCertificate::OrganizationalUnitName, "OU"},
        {QSslCertificate::LocalityName, "L"},
        {QSslCertificate::StateOrProvinceName, "ST"},
        {QSslCertificate::CountryName, "C"},
    };
    for (const auto &[field, label] : fields) {
        const QStringList values = issuer ? c.issuerInfo(field) : c.subjectInfo(field);
        for (const QString &v : values)
            parts << QStringLiteral("%1=%2").arg(QLatin1String(label), v);
    }
    return parts.join(QStringLiteral(", "));
}

} // namespace

QString TlsFailure::message() const
{
    const QString who = QStringLiteral("subject %1; issuer %2")
                            .arg(subject.isEmpty() ? QStringLiteral("(none)") : subject,
                                 issuer.isEmpty() ? QStringLiteral("(none)") : issuer);
    switch (kind) {
    case Kind::None:
        return {};
    case Kind::Untrusted:
        return QStringLiteral("TLS certificate of %1 is not trusted (%2): SHA-256 fingerprint %3; "
                              "%4. Give its CA certificate as a CA file, or trust (pin) this "
                              "certificate")
            .arg(peer, errors.join(QStringLiteral("; ")), fingerprint, who);
    case Kind::CertificateChanged:
        return QStringLiteral(
                   "TLS certificate of %1 changed: the pinned SHA-256 fingerprint is %2, "
                   "the server presented %3 (%4). Refused: if the change is expected, "
                   "pin the new certificate")
            .arg(peer, pinned, fingerprint, who);
    }
    return {};
}

QString sha256Fingerprint(const QSslCertificate &certificate)
{
    if (certificate.isNull())
        return {};
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

QString normalizeFingerprint(const QString &text)
{
    QString t = text.trimmed();
    static const QRegularExpression prefix(QStringLiteral("^sha-?256\\s*[:=]?\\s*"),
                                           QRegularExpression::CaseInsensitiveOption);
    t.remove(prefix);
    t.remove(u':');
    t.remove(u' ');
    static const QRegularExpression hex(QStringLiteral("^[0-9a-fA-F]{64}$"));
    if (!hex.match(t).hasMatch())
        return {};
    return QString::fromLatin1(QByteArray::fromHex(t.toLatin1()).toHex(':').toUpper());
}

QString subjectText(const QSslCertificate &certificate)
{
    return nameText(certificate, false);
}

QString issuerText(const QSslCertificate &certificate)
{
    return nameText(certificate, true);
}

bool setTrustedCaFile(const QString &path, QString &error)
{
    // The configuration before any file was added: what a replacement starts from again.
    static QMutex mutex;
    static std::optional<QSslConfiguration> base;
    QList<QSslCertificate> certificates;
    if (!path.isEmpty()) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) {
            error = QStringLiteral("cannot read the CA file %1: %2").arg(path, f.errorString());
            return false;
        }
        certificates = QSslCertificate::fromData(f.readAll(), QSsl::Pem);
        if (certificates.isEmpty()) {
            error = QStringLiteral("the CA file %1 holds no PEM certificate "
                                   "(-----BEGIN CERTIFICATE-----)")
                        .arg(path);
            return false;
        }
    }
    QMutexLocker lock(&mutex);
    if (!base)
        base = QSslConfiguration::defaultConfiguration();
    QSslConfiguration c = *base;
    // Setting CA certificates ends Qt's on-demand loading of the system's: they are listed
    // explicitly, so the file adds to them instead of replacing them.
    if (!certificates.isEmpty())
        c.setCaCertificates(QSslConfiguration::systemCaCertificates() + certificates);
    QSslConfiguration::setDefaultConfiguration(c);
    return true;
}

std::optional<QSsl::SslProtocol> sslProtocolFromArango(qint64 value, QString *why)
{
    auto refuse = [why](const QString &text) -> std::optional<QSsl::SslProtocol> {
        if (why)
            *why = text;
        return std::nullopt;
    };
    switch (value) {
    case 0: // not set
    case 2: // SSLv2 or SSLv3, negotiated: today that negotiates TLS
    case 9: // generic TLS, negotiated
        return QSsl::SecureProtocols;
    case 5:
        return QSsl::TlsV1_2;
    case 6:
        return QSsl::TlsV1_3;
    case 1:
        return refuse(QStringLiteral("1 (SSLv2) is not supported: use 5 (TLSv1.2), 6 (TLSv1.3) or "
                                     "9 (generic TLS)"));
    case 3:
        return refuse(QStringLiteral("3 (SSLv3) is not supported: use 5 (TLSv1.2), 6 (TLSv1.3) or "
                                     "9 (generic TLS)"));
    case 4:
        return refuse(QStringLiteral("4 (TLSv1.0) is not supported (RFC 8996): use 5 (TLSv1.2), 6 "
                                     "(TLSv1.3) or 9 (generic TLS)"));
    default:
        return refuse(
            QStringLiteral("%1 is not one of ArangoDB's values: 2 (SSLv23, negotiated), 5 "
                           "(TLSv1.2), 6 (TLSv1.3) or 9 (generic TLS)")
                .arg(value));
    }
}

} // namespace repl::client
