#include "engine/WriteTxn.h"

#include "storage/Connection.h"

namespace repl {

WriteTxn::WriteTxn(storage::Connection &conn, Catalog &working, Tick &nextTick,
                   const QString &serverId)
    : m_conn(conn)
    , m_catalogTable(conn)
    , m_documents(conn)
    , m_log(conn)
    , m_working(working)
    , m_nextTick(nextTick)
    , m_serverId(serverId)
{}

Catalog &WriteTxn::mutableCatalog()
{
    if (!m_backup)
        m_backup = m_working;
    return m_working;
}

bool WriteTxn::isLogging(qint64 db) const
{
    const DatabaseInfo *d = m_working.database(db);
    return d && d->loggerRunning && (!m_remote || d->logger.logRemoteChanges);
}

void WriteTxn::appendLog(qint64 db, bool system, Tick tick, const QByteArray &line)
{
    m_log.append(tick, db, system, line);
    LogDelta &d = m_jobLog[db];
    ++d.count;
    d.bytes += line.size();
    if (!d.first)
        d.first = tick;
    d.last = tick;
}

void WriteTxn::beginJob()
{
    m_backup.reset();
    m_jobCounts.clear();
    m_jobLog.clear();
    m_jobDropped.clear();
    m_remote = false;
}

void WriteTxn::finishJob()
{
    for (auto it = m_jobCounts.cbegin(); it != m_jobCounts.cend(); ++it) {
        m_touched.insert(it.key()); // once per job and collection, not per document
        if (it.value() != 0)
            m_catalogTable.addCount(it.key(), it.value());
    }
    m_jobCounts.clear();
    for (auto it = m_jobLog.cbegin(); it != m_jobLog.cend(); ++it) {
        LogDelta &b = m_batchLog[it.key()];
        b.count += it->count;
        b.bytes += it->bytes;
        if (!b.first)
            b.first = it->first;
        if (it->last)
            b.last = it->last;
    }
    m_jobLog.clear();
    if (m_backup)
        m_catalogChanged = true;
    m_backup.reset();
    m_droppedDatabases.unite(m_jobDropped);
    m_jobDropped.clear();
}

void WriteTxn::abortJob()
{
    if (m_backup)
        m_working = std::move(*m_backup);
    m_backup.reset();
    m_jobCounts.clear();
    m_jobLog.clear();
    m_jobDropped.clear();
}

void WriteTxn::resetBatch()
{
    m_batchLog.clear();
    m_catalogChanged = false;
    m_droppedDatabases.clear();
}

} // namespace repl
