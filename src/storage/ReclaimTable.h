#pragma once

#include <QtGlobal>

namespace repl::storage {

class Connection;

// Rows of dropped collections, deleted a slice at a time in the writer's idle moments instead
// of in the transaction that dropped them: dropping a collection of a million documents (a
// cancelled sync's staging, a discarded restore point) costs the writer one catalog change,
// not seconds. A dead collection id is never reused (ids are ticks) and nothing reads rows
// through an id the catalog no longer has, so the leftovers are invisible until they go.
// The queue is a table, so a crash resumes where it stopped.
class ReclaimTable final
{
public:
    explicit ReclaimTable(Connection &conn)
        : m_conn(conn)
    {}

    // Queues the rows of collection `cid` and the unique entries of its indexes (call before
    // the index rows go).
    void queueCollection(qint64 cid);
    // Queues every collection of database `db` (call before the collection rows go).
    void queueDatabase(qint64 db);

    // Deletes at most `budget` rows of what is queued; true while more remain.
    bool step(qint64 budget);
    bool pending();

private:
    Connection &m_conn;
};

} // namespace repl::storage
