#include "server/LoginThrottle.h"

namespace repl::server {

namespace {
// Addresses remembered at most; past that the ones whose last failure is oldest go first.
constexpr qsizetype MaxEntries = 65536;
} // namespace

LoginThrottle::LoginThrottle(int freeFailures, int maxDelayMs)
    : m_freeFailures(qMax(0, freeFailures))
    , m_maxDelayMs(qMax(0, maxDelayMs))
    , m_forgetMs(qMax<qint64>(15 * 60 * 1000, 2 * qint64(maxDelayMs)))
{}

QByteArray LoginThrottle::addressKey(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (isV4)
        return QHostAddress(v4).toString().toLatin1();
    if (address.protocol() != QAbstractSocket::IPv6Protocol)
        return address.toString().toLatin1();
    const Q_IPV6ADDR a = address.toIPv6Address();
    return QByteArray(reinterpret_cast<const char *>(a.c), 8).toHex() + "::/64";
}

qint64 LoginThrottle::waitMs(const QByteArray &key, qint64 now) const
{
    const auto it = m_entries.constFind(key);
    if (it == m_entries.constEnd())
        return 0;
    return qMax<qint64>(0, it->blockedUntil - now);
}

void LoginThrottle::failed(const QByteArray &key, qint64 now)
{
    if (!m_entries.contains(key) && m_entries.size() >= MaxEntries)
        prune(now);
    Entry &e = m_entries[key];
    if (e.failures > 0 && now - e.lastFailure > m_forgetMs)
        e = Entry();
    ++e.failures;
    e.lastFailure = now;
    const int over = e.failures - m_freeFailures;
    if (over > 0 && m_maxDelayMs > 0) {
        const qint64 delay =
            over > 20 ? m_maxDelayMs : qMin<qint64>(m_maxDelayMs, 1000LL << (over - 1));
        e.blockedUntil = now + delay;
    }
}

void LoginThrottle::succeeded(const QByteArray &key)
{
    m_entries.remove(key);
}

void LoginThrottle::prune(qint64 now)
{
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        if (now - it->lastFailure > m_forgetMs)
            it = m_entries.erase(it);
        else
            ++it;
    }
    while (m_entries.size() >= MaxEntries) {
        auto oldest = m_entries.begin();
        for (auto it = m_entries.begin(); it != m_entries.end(); ++it)
            if (it->lastFailure < oldest->lastFailure)
                oldest = it;
        m_entries.erase(oldest);
    }
}

} // namespace repl::server
