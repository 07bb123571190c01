#include "storage/CouchTable.h"

#include "storage/RawQuery.h"

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

qint64 CouchTable::countChangesAfter(qint64 cid, Tick since)
{
    RawQuery q(m_conn, "SELECT count(*) FROM docs WHERE cid=?1 AND tick>?2");
    q.bind(1, cid);
    q.bind(2, sqlTick(since));
    return q.step() ? q.int64(0) : 0;
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
