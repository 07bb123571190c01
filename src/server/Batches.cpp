#include "server/Batches.h"

#include <QMutexLocker>
#include <QRandomGenerator>

namespace repl::server {

namespace {
constexpr int MaxBatches = 1024; // a client that never releases cannot grow this forever
} // namespace

void Batches::expire(qint64 nowMs)
{
    for (auto it = m_batches.begin(); it != m_batches.end();)
        it = it->expiresMs <= nowMs ? m_batches.erase(it) : std::next(it);
}

QString Batches::create(qint64 database, double ttlSeconds, Tick lastTick, qint64 nowMs)
{
    QMutexLocker lock(&m_mutex);
    expire(nowMs);
    if (m_batches.size() >= MaxBatches) { // drop the one closest to expiry
        auto oldest = m_batches.begin();
        for (auto it = m_batches.begin(); it != m_batches.end(); ++it)
            if (it->expiresMs < oldest->expiresMs)
                oldest = it;
        m_batches.erase(oldest);
    }
    if (m_next == 0) // ids are not guessable across restarts, and never reused in one run
        m_next = QRandomGenerator::global()->bounded(1u << 20) * 1000 + 1;
    const QString id = QString::number(m_next++);
    m_batches.insert(id, Batch{database, nowMs + qint64(ttlSeconds * 1000), lastTick, {}});
    return id;
}

bool Batches::extend(const QString &id, qint64 database, double ttlSeconds, qint64 nowMs)
{
    QMutexLocker lock(&m_mutex);
    expire(nowMs);
    auto it = m_batches.find(id);
    if (it == m_batches.end() || it->database != database)
        return false;
    it->expiresMs = nowMs + qint64(ttlSeconds * 1000);
    return true;
}

bool Batches::remove(const QString &id, qint64 database)
{
    QMutexLocker lock(&m_mutex);
    auto it = m_batches.find(id);
    if (it == m_batches.end() || it->database != database)
        return false;
    m_batches.erase(it);
    return true;
}

std::optional<Batches::Batch> Batches::find(const QString &id, qint64 database, qint64 nowMs)
{
    QMutexLocker lock(&m_mutex);
    expire(nowMs);
    auto it = m_batches.constFind(id);
    if (it == m_batches.cend() || it->database != database)
        return std::nullopt;
    return *it;
}

void Batches::setDumped(const QString &id, const QString &collection, Tick lastIncluded)
{
    QMutexLocker lock(&m_mutex);
    auto it = m_batches.find(id);
    if (it != m_batches.end())
        it->dumped.insert(collection, lastIncluded);
}

int Batches::size() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_batches.size());
}

} // namespace repl::server
