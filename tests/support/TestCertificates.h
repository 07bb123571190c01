#pragma once

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace repl::test {

// Throwaway TLS material made at test time with the openssl command line, in a temporary
// directory that goes with this object: a CA, server certificates it signs and self-signed
// ones. Every server certificate names localhost and 127.0.0.1 and lives for two days.
class TestCertificates
{
public:
    struct Pair
    {
        QString cert;        // PEM certificate
        QString key;         // PEM private key (unencrypted)
        QString fingerprint; // SHA-256 as openssl prints it, "AB:CD:…"
    };

    // Makes the CA; false with errorString() when openssl is missing or fails.
    bool createCa();
    QString caFile() const { return m_dir.filePath(QStringLiteral("ca.pem")); }
    // A server certificate signed by the CA, files named after `name`.
    Pair signedByCa(const QString &name);
    // A self-signed server certificate.
    Pair selfSigned(const QString &name);
    QString path(const QString &file) const { return m_dir.filePath(file); }
    QString errorString() const { return m_error; }

    static QString fingerprintOf(const QString &certFile);

private:
    bool openssl(const QStringList &args);
    bool writeExtensions();

    QTemporaryDir m_dir;
    QString m_error;
};

} // namespace repl::test
