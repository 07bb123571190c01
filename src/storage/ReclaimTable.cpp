#include "storage/ReclaimTable.h"

#include "storage/RawQuery.h"

namespace repl::storage {

namespace {
// What a queued row names: a collection's own rows, or one index's unique entries.
enum Kind : qint64
{
    CollectionRows = 0,
    UniqueEntries = 1
};
} // namespace

void ReclaimTable::queueCollection(qint64 cid)
{
    RawQuery c(m_conn, "INSERT INTO reclaim(kind, owner) VALUES(0, ?1)");
    c.bind(1, cid);
    c.exec();
    RawQuery i(m_conn, "INSERT INTO reclaim(kind, owner) SELECT 1, id FROM indexes WHERE cid=?1");
    i.bind(1, cid);
    i.exec();
}

void ReclaimTable::queueDatabase(qint64 db)
{
    RawQuery i(m_conn, "INSERT INTO reclaim(kind, owner) SELECT 1, i.id FROM indexes i JOIN "
                       "collections c ON c.cid=i.cid WHERE c.db=?1");
    i.bind(1, db);
    i.exec();
    RawQuery c(m_conn,
               "INSERT INTO reclaim(kind, owner) SELECT 0, cid FROM collections WHERE db=?1");
    c.bind(1, db);
    c.exec();
}

bool ReclaimTable::pending()
{
    RawQuery q(m_conn, "SELECT 1 FROM reclaim LIMIT 1");
    return q.step();
}

bool ReclaimTable::step(qint64 budget)
{
    qint64 id = 0, kind = 0, owner = 0;
    {
        RawQuery q(m_conn, "SELECT id, kind, owner FROM reclaim ORDER BY id LIMIT 1");
        if (!q.step())
            return false;
        id = q.int64(0);
        kind = q.int64(1);
        owner = q.int64(2);
    }
    static const char *const collectionRows[] = {
        "DELETE FROM docs WHERE id IN (SELECT id FROM docs WHERE cid=?1 LIMIT ?2)",
        "DELETE FROM leaves WHERE cid=?1 AND (key, rev) IN (SELECT key, rev FROM leaves WHERE "
        "cid=?1 LIMIT ?2)",
        "DELETE FROM local_docs WHERE cid=?1 AND id IN (SELECT id FROM local_docs WHERE cid=?1 "
        "LIMIT ?2)",
    };
    static const char *const uniqueRows[] = {
        "DELETE FROM unique_entries WHERE iid=?1 AND value IN (SELECT value FROM unique_entries "
        "WHERE iid=?1 LIMIT ?2)",
    };
    qint64 left = budget;
    auto run = [&](const char *sql) {
        if (left <= 0)
            return;
        RawQuery d(m_conn, sql);
        d.bind(1, owner);
        d.bind(2, left);
        d.exec();
        left -= d.changes();
    };
    if (kind == CollectionRows)
        for (const char *sql : collectionRows)
            run(sql);
    else
        for (const char *sql : uniqueRows)
            run(sql);
    if (left > 0) { // everything of this entry is gone
        RawQuery done(m_conn, "DELETE FROM reclaim WHERE id=?1");
        done.bind(1, id);
        done.exec();
        return pending();
    }
    return true;
}

} // namespace repl::storage
