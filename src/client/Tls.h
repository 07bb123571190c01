#pragma once

#include <QList>
#include <QSsl>
#include <QSslCertificate>
#include <QSslError>
#include <QString>
#include <QStringList>

#include <optional>

namespace repl::client {

// What one client trusts beyond the process's certificate authorities (the system's, plus
// an operator's CA file: see addTrustedCaFile).
struct TlsOptions
{
    // "AB:CD:…" (see normalizeFingerprint): the one certificate accepted from this server,
    // whoever signed it; any other is refused as a changed certificate, even a valid one.
    QString pinnedSha256;
    // The protocol versions offered (applier-config's sslProtocol, see sslProtocolFromArango).
    QSsl::SslProtocol protocol = QSsl::SecureProtocols;
};

// Why a TLS connection was refused, with what an operator needs to decide about it.
struct TlsFailure
{
    enum class Kind
    {
        None,
        Untrusted,          // verification failed and nothing is pinned
        CertificateChanged, // a pin is set and the server presented another certificate
    };
    Kind kind = Kind::None;
    QString peer;        // host:port
    QString fingerprint; // SHA-256 of the certificate presented, "AB:CD:…"
    QString pinned;      // CertificateChanged: the fingerprint that was expected
    QString subject;     // "CN=…, O=…"
    QString issuer;
    QStringList errors; // verification errors, as Qt words them (Untrusted)
    QSslCertificate certificate;

    bool isSet() const { return kind != Kind::None; }
    // One line for logs, applier-state lastError and the command line.
    QString message() const;
};

// The SHA-256 fingerprint as openssl prints it: upper-case hex pairs joined by colons.
QString sha256Fingerprint(const QSslCertificate &certificate);
// An operator's fingerprint (any case; colons, spaces or none; an optional "sha256:" or
// "SHA256=" prefix) in sha256Fingerprint()'s form; empty when it is not 32 bytes of hex.
QString normalizeFingerprint(const QString &text);
// "CN=db1.example.org, O=Example" of the subject or the issuer.
QString subjectText(const QSslCertificate &certificate);
QString issuerText(const QSslCertificate &certificate);

// Loads PEM certificates from `path` and adds them to the process's default TLS
// configuration, which every later connection starts from (the engine's appliers, syncers
// and CouchDB replications, the app, repldeskctl): one trust store per process. Calling it
// again replaces the file added before; an empty path removes it. False with `error` (which
// names the file) when it cannot be read or holds no certificate.
bool setTrustedCaFile(const QString &path, QString &error);

// ArangoDB's sslProtocol numbers (applier-config): 0 (not set) and 9 (generic TLS) negotiate
// TLS 1.2 or later, 2 (SSLv2/SSLv3 negotiated) likewise, 5 is TLS 1.2 only, 6 TLS 1.3 only.
// SSLv2 (1), SSLv3 (3) and TLS 1.0 (4) are refused: nullopt with `why`.
std::optional<QSsl::SslProtocol> sslProtocolFromArango(qint64 value, QString *why = nullptr);

} // namespace repl::client
