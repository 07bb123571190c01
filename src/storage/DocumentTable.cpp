#include "storage/DocumentTable.h"

#include "storage/Connection.h"

#include <QVariant>

namespace repl::storage {

std::optional<DocumentRow> DocumentTable::get(qint64 cid, const QString &key)
{
    QSqlQuery &q = m_conn.prepared(
        "SELECT rev, tick, deleted, body, revtree FROM docs WHERE cid=? AND key=?");
    q.bindValue(0, cid);
    q.bindValue(1, key);
    execOrThrow(q);
    std::optional<DocumentRow> out;
    if (q.next()) {
        out = DocumentRow{cid,
                          key,
                          q.value(0).toByteArray(),
                          Tick(q.value(1).toLongLong()),
                          q.value(2).toBool(),
                          q.value(3).toByteArray(),
                          q.value(4).toByteArray()};
    }
    q.finish();
    return out;
}

void DocumentTable::put(const DocumentRow &row)
{
    QSqlQuery &q = m_conn.prepared(
        "INSERT INTO docs(cid, key, rev, tick, deleted, body, revtree) VALUES(?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(cid, key) DO UPDATE SET rev=excluded.rev, tick=excluded.tick, "
        "deleted=excluded.deleted, body=excluded.body, revtree=excluded.revtree");
    q.bindValue(0, row.cid);
    q.bindValue(1, row.key);
    q.bindValue(2, row.rev);
    q.bindValue(3, qint64(row.tick));
    q.bindValue(4, row.deleted ? 1 : 0);
    q.bindValue(5, row.body);
    q.bindValue(6, row.revtree);
    execOrThrow(q);
}

qint64 DocumentTable::clear(qint64 cid)
{
    QSqlQuery &c = m_conn.prepared("SELECT count(*) FROM docs WHERE cid=? AND deleted=0");
    c.bindValue(0, cid);
    execOrThrow(c);
    const qint64 live = c.next() ? c.value(0).toLongLong() : 0;
    c.finish();
    for (const char *sql : {"DELETE FROM docs WHERE cid=?", "DELETE FROM leaves WHERE cid=?",
                            "DELETE FROM unique_entries WHERE iid IN (SELECT id FROM indexes "
                            "WHERE cid=?)"}) {
        QSqlQuery &q = m_conn.prepared(sql);
        q.bindValue(0, cid);
        execOrThrow(q);
    }
    return live;
}

qint64 DocumentTable::scanByTick(qint64 cid, Tick from, Tick to, const RowFn &fn)
{
    QSqlQuery &q = m_conn.prepared("SELECT tick, key, rev, deleted, body FROM docs WHERE cid=? "
                                   "AND tick>? AND tick<=? ORDER BY tick");
    q.bindValue(0, cid);
    q.bindValue(1, qint64(qMin<Tick>(from, Tick(std::numeric_limits<qint64>::max()))));
    q.bindValue(2, qint64(qMin<Tick>(to, Tick(std::numeric_limits<qint64>::max()))));
    execOrThrow(q);
    qint64 n = 0;
    while (q.next()) {
        ++n;
        if (!fn(Tick(q.value(0).toLongLong()), q.value(1).toString(), q.value(2).toByteArray(),
                q.value(3).toBool(), q.value(4).toByteArray()))
            break;
    }
    q.finish();
    return n;
}

qint64 DocumentTable::scanByKey(qint64 cid, const QString &afterKey, int limit, const RowFn &fn)
{
    QSqlQuery &q = m_conn.prepared("SELECT tick, key, rev, deleted, body FROM docs WHERE cid=? "
                                   "AND key>? AND deleted=0 ORDER BY key LIMIT ?");
    q.bindValue(0, cid);
    q.bindValue(1, afterKey);
    q.bindValue(2, limit);
    execOrThrow(q);
    qint64 n = 0;
    while (q.next()) {
        ++n;
        if (!fn(Tick(q.value(0).toLongLong()), q.value(1).toString(), q.value(2).toByteArray(),
                q.value(3).toBool(), q.value(4).toByteArray()))
            break;
    }
    q.finish();
    return n;
}

} // namespace repl::storage
