#include "storage/DocumentTable.h"

#include "storage/Connection.h"
#include "storage/RawQuery.h"

#include <QVariant>

namespace repl::storage {

std::optional<DocumentRow> DocumentTable::get(qint64 cid, const QString &key)
{
    RawQuery q(m_conn,
               "SELECT rev, tick, deleted, body, revtree FROM docs WHERE cid=?1 AND key=?2");
    q.bind(1, cid);
    q.bindText(2, key);
    if (!q.step())
        return std::nullopt;
    return DocumentRow{cid,        key,       q.bytes(0), Tick(q.int64(1)), q.int64(2) != 0,
                       q.bytes(3), q.bytes(4)};
}

namespace {
// Both writes take the same seven values in the same order; the views outlive the query.
void bindRow(RawQuery &q, const DocumentRowView &row)
{
    q.bind(1, row.cid);
    q.bindTextView(2, row.key);
    q.bindTextView(3, row.rev);
    q.bind(4, qint64(row.tick));
    q.bind(5, row.deleted ? 1 : 0);
    q.bindView(6, row.body);
    q.bindView(7, row.revtree);
}

// `keyUtf8` holds the key's bytes while the view is used.
DocumentRowView viewOf(const DocumentRow &row, const QByteArray &keyUtf8)
{
    return {row.cid, keyUtf8, row.rev, row.tick, row.deleted, row.body, row.revtree};
}
} // namespace

void DocumentTable::put(const DocumentRow &row)
{
    const QByteArray key = row.key.toUtf8();
    RawQuery q(
        m_conn,
        "INSERT INTO docs(cid, key, rev, tick, deleted, body, revtree) VALUES(?1, ?2, ?3, ?4, "
        "?5, ?6, ?7) ON CONFLICT(cid, key) DO UPDATE SET rev=excluded.rev, "
        "tick=excluded.tick, deleted=excluded.deleted, body=excluded.body, "
        "revtree=excluded.revtree");
    bindRow(q, viewOf(row, key));
    q.exec();
}

bool DocumentTable::insertIfAbsent(const DocumentRow &row)
{
    const QByteArray key = row.key.toUtf8();
    return insertIfAbsent(viewOf(row, key));
}

bool DocumentTable::insertIfAbsent(const DocumentRowView &row)
{
    RawQuery q(m_conn,
               "INSERT INTO docs(cid, key, rev, tick, deleted, body, revtree) VALUES(?1, ?2, "
               "?3, ?4, ?5, ?6, ?7) ON CONFLICT(cid, key) DO NOTHING");
    bindRow(q, row);
    q.exec();
    return q.changes() > 0;
}

qint64 DocumentTable::clear(qint64 cid)
{
    QSqlQuery &c = m_conn.prepared("SELECT count(*) FROM docs WHERE cid=? AND deleted=0");
    c.bindValue(0, cid);
    execOrThrow(c);
    const qint64 live = c.next() ? c.value(0).toLongLong() : 0;
    c.finish();
    for (const char *sql : {"DELETE FROM docs WHERE cid=?", "DELETE FROM leaves WHERE cid=?",
                            "DELETE FROM local_docs WHERE cid=?",
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
    // Dump's hot loop: SQLite's own API, no QVariant per column.
    RawQuery q(m_conn, "SELECT tick, key, rev, deleted, body FROM docs WHERE cid=?1 AND tick>?2 "
                       "AND tick<=?3 ORDER BY tick");
    q.bind(1, cid);
    q.bind(2, qint64(qMin<Tick>(from, Tick(std::numeric_limits<qint64>::max()))));
    q.bind(3, qint64(qMin<Tick>(to, Tick(std::numeric_limits<qint64>::max()))));
    qint64 n = 0;
    while (q.step()) {
        ++n;
        if (!fn(Tick(q.int64(0)), q.view(1), q.view(2), q.int64(3) != 0, q.view(4)))
            break;
    }
    return n;
}

} // namespace repl::storage
