#include "server/ServerTls.h"

#include "client/Tls.h"

#include <QDateTime>
#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

#include <sys/socket.h>
#include <unistd.h>

namespace repl::server {

namespace {

std::optional<QByteArray> readPem(const QString &path, const char *what, QString &error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        error = QStringLiteral("cannot read the TLS %1 file %2: %3")
                    .arg(QLatin1String(what), path, f.errorString());
        return std::nullopt;
    }
    return f.readAll();
}

// Whether the key certifies the certificate's public key. The TLS library checks that when
// a server socket starts its handshake, before it reads anything: one end of a socket pair
// is enough, and a mismatch fails at once instead of in every client's handshake later.
bool keyMatches(const QSslConfiguration &configuration)
{
    int fds[2] = {-1, -1};
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0)
        return true; // cannot tell: the handshakes will
    QSslSocket socket;
    socket.setSslConfiguration(configuration);
    bool ok = true;
    if (socket.setSocketDescriptor(fds[0])) {
        socket.startServerEncryption();
        ok = socket.error() != QAbstractSocket::SslInternalError;
        socket.abort();
    } else {
        ::close(fds[0]);
    }
    ::close(fds[1]);
    return ok;
}

} // namespace

std::optional<ServerTls> ServerTls::load(const QString &certFile, const QString &keyFile,
                                         QString &error)
{
    const auto certPem = readPem(certFile, "certificate", error);
    if (!certPem)
        return std::nullopt;
    const QList<QSslCertificate> chain = QSslCertificate::fromData(*certPem, QSsl::Pem);
    if (chain.isEmpty() || chain.first().isNull()) {
        error = QStringLiteral("the TLS certificate file %1 holds no PEM certificate "
                               "(-----BEGIN CERTIFICATE-----)")
                    .arg(certFile);
        return std::nullopt;
    }
    const QString keyPath = keyFile.isEmpty() ? certFile : keyFile;
    const auto keyPem = keyFile.isEmpty() ? certPem : readPem(keyFile, "key", error);
    if (!keyPem)
        return std::nullopt;
    if (keyPem->contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") ||
        keyPem->contains("Proc-Type: 4,ENCRYPTED")) {
        error = QStringLiteral("the TLS key file %1 is encrypted: give the key without a "
                               "passphrase (openssl pkey -in KEY -out PLAIN), readable by this "
                               "server's user only")
                    .arg(keyPath);
        return std::nullopt;
    }
    QSslKey key;
    for (QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        key = QSslKey(*keyPem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            break;
    }
    if (key.isNull()) {
        error = QStringLiteral("the TLS key file %1 holds no PEM private key this server can use "
                               "(RSA, EC or DSA: -----BEGIN PRIVATE KEY-----)")
                    .arg(keyPath);
        return std::nullopt;
    }
    ServerTls tls;
    tls.configuration = QSslConfiguration::defaultConfiguration();
    tls.configuration.setLocalCertificateChain(chain);
    tls.configuration.setPrivateKey(key);
    tls.configuration.setPeerVerifyMode(QSslSocket::VerifyNone); // clients use passwords
    tls.configuration.setProtocol(QSsl::SecureProtocols);
    if (!keyMatches(tls.configuration)) {
        error = QStringLiteral("the TLS key in %1 does not belong to the certificate in %2")
                    .arg(keyPath, certFile);
        return std::nullopt;
    }
    tls.fingerprint = client::sha256Fingerprint(chain.first());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (chain.first().expiryDate() < now)
        tls.warnings << QStringLiteral("the TLS certificate in %1 expired on %2: clients will "
                                       "refuse it")
                            .arg(certFile, chain.first().expiryDate().toString(Qt::ISODate));
    else if (chain.first().effectiveDate() > now)
        tls.warnings << QStringLiteral("the TLS certificate in %1 is valid only from %2")
                            .arg(certFile, chain.first().effectiveDate().toString(Qt::ISODate));
    return tls;
}

} // namespace repl::server
