#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>

namespace repl::server {

// Failed logins per client address. The first `freeFailures` are free; after that each
// failure makes the address wait 1 s, 2 s, 4 s, … (at most `maxDelayMs`) before its next
// password is checked. An address is forgotten 15 minutes (or twice the longest wait) after
// its last failure, and when one of its passwords is found right. Times are a monotonic clock
// in ms, passed in. Not thread-safe: the HTTP thread owns it.
class LoginThrottle final
{
public:
    LoginThrottle(int freeFailures, int maxDelayMs);

    // How long `key` must still wait before its next password is checked (0: not at all).
    qint64 waitMs(const QByteArray &key, qint64 now) const;
    void failed(const QByteArray &key, qint64 now);
    void succeeded(const QByteArray &key);
    qsizetype size() const { return m_entries.size(); }

    // The key a client address counts under: IPv4 as is (also IPv4-mapped IPv6), IPv6 by its
    // /64, which one client usually has whole.
    static QByteArray addressKey(const QHostAddress &address);

private:
    struct Entry
    {
        int failures = 0;
        qint64 lastFailure = 0;
        qint64 blockedUntil = 0;
    };
    void prune(qint64 now);

    int m_freeFailures;
    qint64 m_maxDelayMs;
    qint64 m_forgetMs;
    QHash<QByteArray, Entry> m_entries;
};

} // namespace repl::server
