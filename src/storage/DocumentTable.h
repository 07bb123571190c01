#pragma once

#include "core/Tick.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <functional>
#include <optional>

namespace repl::storage {

class Connection;

// The winning revision of one document (or its tombstone).
struct DocumentRow
{
    qint64 cid = 0;
    QString key;
    QByteArray rev;
    Tick tick = 0;
    bool deleted = false;
    QByteArray body;    // user attributes as a compact JSON object ("{}" for a tombstone)
    QByteArray revtree; // RevTree::toBytes()
};

// The same row as views of bytes that already exist elsewhere (a dump chunk, a log line),
// so a write copies nothing before SQLite does. `key` is UTF-8.
struct DocumentRowView
{
    qint64 cid = 0;
    QByteArrayView key;
    QByteArrayView rev;
    Tick tick = 0;
    bool deleted = false;
    QByteArrayView body;
    QByteArrayView revtree;
};

class DocumentTable final
{
public:
    explicit DocumentTable(Connection &conn)
        : m_conn(conn)
    {}

    std::optional<DocumentRow> get(qint64 cid, const QString &key);
    void put(const DocumentRow &row);
    // Inserts a document whose key is new; false (nothing written) when the key exists.
    bool insertIfAbsent(const DocumentRow &row);
    bool insertIfAbsent(const DocumentRowView &row);
    // Removes every document of the collection (truncate); returns the live ones removed.
    qint64 clear(qint64 cid);

    // Rows of a collection with from < tick <= to in tick order; the callback returns false
    // to stop. The views are valid during the call only. Returns the number of rows visited.
    using RowFn = std::function<bool(Tick tick, QByteArrayView key, QByteArrayView rev,
                                     bool deleted, QByteArrayView body)>;
    qint64 scanByTick(qint64 cid, Tick from, Tick to, const RowFn &fn);

private:
    Connection &m_conn;
};

} // namespace repl::storage
