#include "engine/LoggerState.h"

#include "core/Clock.h"

namespace repl {

DatabaseLogState LoggerState::state(qint64 db) const
{
    QMutexLocker lock(&m_mutex);
    return m_states.value(db);
}

void LoggerState::publish(qint64 db, const DatabaseLogState &s)
{
    QMutexLocker lock(&m_mutex);
    m_states.insert(db, s);
}

void LoggerState::forget(qint64 db)
{
    QMutexLocker lock(&m_mutex);
    m_states.remove(db);
    m_clients.remove(db);
}

void LoggerState::recordClient(qint64 db, const QString &serverId, Tick lastServedTick)
{
    QMutexLocker lock(&m_mutex);
    LoggerClient &c = m_clients[db][serverId];
    c.serverId = serverId;
    if (lastServedTick > c.lastServedTick)
        c.lastServedTick = lastServedTick;
    c.time = isoNow();
}

QList<LoggerClient> LoggerState::clients(qint64 db) const
{
    QMutexLocker lock(&m_mutex);
    return m_clients.value(db).values();
}

} // namespace repl
