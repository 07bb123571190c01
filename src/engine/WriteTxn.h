#pragma once

#include "core/Tick.h"
#include "engine/Catalog.h"
#include "storage/CatalogTable.h"
#include "storage/DocumentTable.h"
#include "storage/LogTable.h"

#include <QHash>
#include <QSet>

#include <memory>
#include <optional>

namespace repl {

namespace storage {
class Connection;
}

// What a write job sees: the writer's connection and tables, tick allocation, the working
// catalog and the replication log. Lives on the writer thread only. A job runs inside a
// savepoint; if it throws, its SQL and its catalog changes are rolled back together.
class WriteTxn final
{
public:
    struct LogDelta
    {
        qint64 count = 0;
        qint64 bytes = 0;
        Tick first = 0;
        Tick last = 0;
    };

    WriteTxn(storage::Connection &conn, Catalog &working, Tick &nextTick, const QString &serverId);

    storage::Connection &connection() { return m_conn; }
    storage::CatalogTable &catalogTable() { return m_catalogTable; }
    storage::DocumentTable &documents() { return m_documents; }
    storage::LogTable &log() { return m_log; }
    const QString &serverId() const { return m_serverId; }

    Tick nextTick() { return m_nextTick++; }
    Tick peekTick() const { return m_nextTick; }

    const Catalog &catalog() const { return m_working; }
    // The catalog to change; the first call in a job keeps a copy to restore on rollback.
    Catalog &mutableCatalog();

    // Changes that arrive through an applier are logged only with logRemoteChanges.
    void setRemote(bool remote) { m_remote = remote; }
    bool isRemote() const { return m_remote; }
    bool isLogging(qint64 db) const;
    // Appends a ready line to the log (callers check isLogging first).
    void appendLog(qint64 db, bool system, Tick tick, const QByteArray &line);
    void addCount(qint64 cid, qint64 delta) { m_jobCounts[cid] += delta; }
    // Collections whose documents this batch wrote (for waking their feeds).
    const QSet<qint64> &touchedCollections() const { return m_touched; }
    void markLogTouched(qint64 db) { m_jobLog[db]; }
    void forgetDatabase(qint64 db) { m_jobDropped.insert(db); }

    // Writer bookkeeping.
    void beginJob();
    void finishJob(); // flushes counts; merges the job's effects into the batch
    void abortJob();  // restores the catalog
    bool catalogChanged() const { return m_catalogChanged; }
    const QHash<qint64, LogDelta> &batchLog() const { return m_batchLog; }
    const QSet<qint64> &droppedDatabases() const { return m_droppedDatabases; }
    void resetBatch();

private:
    storage::Connection &m_conn;
    storage::CatalogTable m_catalogTable;
    storage::DocumentTable m_documents;
    storage::LogTable m_log;
    Catalog &m_working;
    Tick &m_nextTick;
    QString m_serverId;
    bool m_remote = false;
    std::optional<Catalog> m_backup;
    bool m_catalogChanged = false;
    QHash<qint64, qint64> m_jobCounts;
    QHash<qint64, LogDelta> m_jobLog;
    QHash<qint64, LogDelta> m_batchLog;
    QSet<qint64> m_droppedDatabases;
    QSet<qint64> m_jobDropped; // this job's, merged when it succeeds
    QSet<qint64> m_touched;
};

} // namespace repl
