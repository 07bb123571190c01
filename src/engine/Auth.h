#pragma once

#include <QByteArray>
#include <QMutex>
#include <QSet>
#include <QString>

namespace repl {

// HTTP Basic authentication against the stored root password (PBKDF2-SHA256, never the
// plain text). Accepted Authorization header values are cached, so the slow key
// derivation runs once per credential, not once per request. Thread-safe.
class Auth final
{
public:
    static constexpr int Iterations = 20000;

    // "pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>" for a new random salt.
    static QByteArray hashPassword(const QString &password);
    static bool verifyPassword(const QString &password, const QByteArray &record);

    void setRecord(const QByteArray &record);
    // Checks an Authorization header value ("Basic base64(user:password)").
    bool check(const QByteArray &authorizationHeader);
    // Whether this header value was accepted before: true without a key derivation, so the
    // HTTP thread can ask it of every request head. false: check() must decide.
    bool isCached(const QByteArray &authorizationHeader);

private:
    QMutex m_mutex;
    QByteArray m_record;
    QSet<QByteArray> m_accepted;
};

} // namespace repl
