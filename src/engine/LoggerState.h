#pragma once

#include "core/Tick.h"
#include "storage/LogTable.h"

#include <QHash>
#include <QList>
#include <QMap>
#include <QMutex>
#include <QString>

namespace repl {

// A follower that called logger-follow with a serverId (logger-state "clients").
struct LoggerClient
{
    QString serverId;
    Tick lastServedTick = 0;
    QString time;
};

// Runtime figures of one database's replication log.
struct DatabaseLogState
{
    storage::LogStats stats; // events kept, their bytes, first and last tick kept
    Tick lastLogTick = 0;    // last tick ever logged (survives pruning)
    Tick prunedUpTo = 0;     // highest tick removed by retention
    qint64 totalEvents = 0;  // since server start
};

// Thread-safe view of every database's log figures and followers. The writer publishes
// after each commit; request workers read and record clients.
class LoggerState final
{
public:
    DatabaseLogState state(qint64 db) const;
    void publish(qint64 db, const DatabaseLogState &s);
    void forget(qint64 db);
    void recordClient(qint64 db, const QString &serverId, Tick lastServedTick);
    QList<LoggerClient> clients(qint64 db) const;

private:
    mutable QMutex m_mutex;
    QHash<qint64, DatabaseLogState> m_states;
    QHash<qint64, QMap<QString, LoggerClient>> m_clients;
};

} // namespace repl
