#include "storage/CouchTable.h"

#include "storage/Connection.h"
#include "storage/RawQuery.h"

#include <QHash>
#include <QMutex>

#include <limits>

namespace repl::storage {

namespace {

qint64 sqlTick(Tick t)
{
    return qint64(qMin<Tick>(t, Tick(std::numeric_limits<qint64>::max())));
}

CouchRow rowOf(const RawQuery &q)
{
    return CouchRow{Tick(q.int64(0)), q.view(1), q.view(2), q.int64(3) != 0, q.view(4), q.view(5)};
}

} // namespace

QList<LeafRow> CouchTable::leaves(qint64 cid, const QString &key)
{
    RawQuery q(m_conn, "SELECT rev, deleted, body FROM leaves WHERE cid=?1 AND key=?2");
    q.bind(1, cid);
    q.bindText(2, key);
    QList<LeafRow> out;
    while (q.step())
        out.append({q.bytes(0), q.int64(1) != 0, q.bytes(2)});
    return out;
}

void CouchTable::setLeaves(qint64 cid, const QString &key, const QList<LeafRow> &leaves)
{
    {
        RawQuery d(m_conn, "DELETE FROM leaves WHERE cid=?1 AND key=?2");
        d.bind(1, cid);
        d.bindText(2, key);
        d.exec();
    }
    for (const LeafRow &l : leaves) {
        RawQuery q(m_conn,
                   "INSERT INTO leaves(cid, key, rev, deleted, body) VALUES(?1, ?2, ?3, ?4, ?5)");
        q.bind(1, cid);
        q.bindText(2, key);
        q.bindText(3, QByteArrayView(l.rev));
        q.bind(4, l.deleted ? 1 : 0);
        q.bind(5, l.body);
        q.exec();
    }
}

std::optional<LocalDocRow> CouchTable::local(qint64 cid, const QString &id)
{
    RawQuery q(m_conn, "SELECT rev, body FROM local_docs WHERE cid=?1 AND id=?2");
    q.bind(1, cid);
    q.bindText(2, id);
    if (!q.step())
        return std::nullopt;
    return LocalDocRow{q.int64(0), q.bytes(1)};
}

QList<CouchTable::LocalListing> CouchTable::locals(qint64 cid)
{
    RawQuery q(m_conn, "SELECT id, rev, body FROM local_docs WHERE cid=?1 ORDER BY id");
    q.bind(1, cid);
    QList<LocalListing> out;
    while (q.step())
        out.append({q.text(0), q.int64(1), q.bytes(2)});
    return out;
}

void CouchTable::putLocal(qint64 cid, const QString &id, const LocalDocRow &row)
{
    RawQuery q(m_conn, "INSERT OR REPLACE INTO local_docs(cid, id, rev, body) VALUES(?1, ?2, ?3, "
                       "?4)");
    q.bind(1, cid);
    q.bindText(2, id);
    q.bind(3, row.rev);
    q.bind(4, row.body);
    q.exec();
}

bool CouchTable::removeLocal(qint64 cid, const QString &id)
{
    RawQuery q(m_conn, "DELETE FROM local_docs WHERE cid=?1 AND id=?2");
    q.bind(1, cid);
    q.bindText(2, id);
    q.exec();
    return q.changes() > 0;
}

void CouchTable::scanChanges(qint64 cid, Tick since, const RowFn &fn)
{
    RawQuery q(m_conn, "SELECT tick, key, rev, deleted, body, revtree FROM docs WHERE cid=?1 AND "
                       "tick>?2 ORDER BY tick");
    q.bind(1, cid);
    q.bind(2, sqlTick(since));
    while (q.step())
        if (!fn(rowOf(q)))
            break;
}

namespace {

// `pending` of a limited changes feed without counting the rest of the feed each time (that
// made a replication's backfill quadratic: at 1M documents, 500 batches counted 250M rows).
// The answer for (database file, collection, seq) is kept while the collection's newest tick
// stays what it was: the next batch, asked from that seq, then has the pending figure less
// the rows it passed. A write moves the newest tick and the count is made afresh. (A purge
// does not move it: `pending` may then count purged rows until the next write.)
class PendingCache
{
public:
    static PendingCache &instance()
    {
        static PendingCache cache;
        return cache;
    }
    std::optional<qint64> take(const QString &file, qint64 cid, Tick since, Tick head)
    {
        const QString key = keyOf(file, cid, since);
        const QMutexLocker lock(&m_mutex);
        const auto it = m_entries.constFind(key);
        if (it == m_entries.constEnd() || it->head != head)
            return std::nullopt;
        return m_entries.take(key).pending;
    }
    void put(const QString &file, qint64 cid, Tick seq, Tick head, qint64 pending)
    {
        const QMutexLocker lock(&m_mutex);
        if (m_entries.size() >= 256) // replications abandoned mid-way: forget them all
            m_entries.clear();
        m_entries.insert(keyOf(file, cid, seq), {head, pending});
    }

private:
    static QString keyOf(const QString &file, qint64 cid, Tick seq)
    {
        return file + u'|' + QString::number(cid) + u'|' + QString::number(seq);
    }
    struct Entry
    {
        Tick head = 0;
        qint64 pending = 0;
    };
    QMutex m_mutex;
    QHash<QString, Entry> m_entries;
};

} // namespace

qint64 CouchTable::countChangesAfter(qint64 cid, Tick since)
{
    RawQuery q(m_conn, "SELECT count(*) FROM docs WHERE cid=?1 AND tick>?2");
    q.bind(1, cid);
    q.bind(2, sqlTick(since));
    return q.step() ? q.int64(0) : 0;
}

qint64 CouchTable::pendingAfter(qint64 cid, Tick since, Tick seq, qint64 passed, Tick head)
{
    // The newest tick read again after the feed's scan: a write in between is seen as one.
    PendingCache &cache = PendingCache::instance();
    const std::optional<qint64> before = cache.take(m_conn.path(), cid, since, head);
    const qint64 pending =
        before && lastTick(cid) == head ? *before - passed : countChangesAfter(cid, seq);
    cache.put(m_conn.path(), cid, seq, head, pending);
    return pending;
}

void CouchTable::scanKeys(qint64 cid, const QString &startKey, const std::optional<QString> &endKey,
                          bool descending, const RowFn &fn)
{
    // Ascending: start <= key <= end; descending: end <= key <= start (CouchDB's meaning).
    const char *sql = descending
                          ? "SELECT tick, key, rev, deleted, body, revtree FROM docs WHERE cid=?1 "
                            "AND deleted=0 AND key<=?2 AND key>=?3 ORDER BY key DESC"
                          : "SELECT tick, key, rev, deleted, body, revtree FROM docs WHERE cid=?1 "
                            "AND deleted=0 AND key>=?2 AND key<=?3 ORDER BY key";
    RawQuery q(m_conn, sql);
    q.bind(1, cid);
    if (descending) {
        q.bindText(2, startKey.isEmpty() ? QStringLiteral("\U0010FFFF") : startKey);
        q.bindText(3, endKey.value_or(QString()));
    } else {
        q.bindText(2, startKey);
        q.bindText(3, endKey.value_or(QStringLiteral("\U0010FFFF")));
    }
    while (q.step())
        if (!fn(rowOf(q)))
            break;
}

QList<QPair<QString, QByteArray>> CouchTable::jobs()
{
    RawQuery q(m_conn, "SELECT id, request FROM couch_jobs ORDER BY id");
    QList<QPair<QString, QByteArray>> out;
    while (q.step())
        out.append({q.text(0), q.bytes(1)});
    return out;
}

void CouchTable::putJob(const QString &id, const QByteArray &request)
{
    RawQuery q(m_conn, "INSERT OR REPLACE INTO couch_jobs(id, request) VALUES(?1, ?2)");
    q.bindText(1, id);
    q.bind(2, request);
    q.exec();
}

void CouchTable::removeJob(const QString &id)
{
    RawQuery q(m_conn, "DELETE FROM couch_jobs WHERE id=?1");
    q.bindText(1, id);
    q.exec();
}

Tick CouchTable::lastTick(qint64 cid)
{
    RawQuery q(m_conn, "SELECT max(tick) FROM docs WHERE cid=?1");
    q.bind(1, cid);
    return q.step() ? Tick(q.int64(0)) : 0;
}

qint64 CouchTable::deletedCount(qint64 cid)
{
    RawQuery q(m_conn, "SELECT count(*) FROM docs WHERE cid=?1 AND deleted=1");
    q.bind(1, cid);
    return q.step() ? q.int64(0) : 0;
}

} // namespace repl::storage
