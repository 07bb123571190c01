#pragma once

#include "core/Tick.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>

#include <functional>
#include <optional>

namespace repl::storage {

class Connection;

// A non-winning leaf revision of a document (a conflict or a deleted branch) with its body.
struct LeafRow
{
    QByteArray rev;
    bool deleted = false;
    QByteArray body;
};

// A `_local/…` document: never replicated, no revision tree, its rev is a counter.
struct LocalDocRow
{
    qint64 rev = 0;
    QByteArray body;
};

// One row of a CouchDB changes or all_docs scan. The views are valid during the callback only.
struct CouchRow
{
    Tick tick = 0;
    QByteArrayView key;
    QByteArrayView rev;
    bool deleted = false;
    QByteArrayView body;
    QByteArrayView revtree;
};

// What the CouchDB face needs beyond the winner rows of DocumentTable: the other leaves'
// bodies, _local documents and scans in sequence or key order. Works on the writer's
// connection and on the request workers' read-only ones alike.
class CouchTable final
{
public:
    explicit CouchTable(Connection &conn)
        : m_conn(conn)
    {}

    QList<LeafRow> leaves(qint64 cid, const QString &key);
    // Replaces the stored non-winning leaves of a document.
    void setLeaves(qint64 cid, const QString &key, const QList<LeafRow> &leaves);

    std::optional<LocalDocRow> local(qint64 cid, const QString &id);
    void putLocal(qint64 cid, const QString &id, const LocalDocRow &row);
    bool removeLocal(qint64 cid, const QString &id);
    // Every _local document of a collection in id order: (id, rev, body).
    struct LocalListing
    {
        QString id;
        qint64 rev = 0;
        QByteArray body;
    };
    QList<LocalListing> locals(qint64 cid);

    using RowFn = std::function<bool(const CouchRow &)>;
    // Documents (tombstones included) with tick > since in tick order; fn returns false to stop.
    void scanChanges(qint64 cid, Tick since, const RowFn &fn);
    // Documents changed after `since` (the rows a changes feed still has to send).
    qint64 countChangesAfter(qint64 cid, Tick since);
    // The same after `seq`, for a feed that read from `since` to `seq` and passed `passed`
    // rows on the way, the collection's newest tick being `head` before it read: from the
    // previous batch's figure when nothing was written since, else counted.
    qint64 pendingAfter(qint64 cid, Tick since, Tick seq, qint64 passed, Tick head);
    // Live documents with startKey <= key <= endKey in key order (binary collation).
    void scanKeys(qint64 cid, const QString &startKey, const std::optional<QString> &endKey,
                  bool descending, const RowFn &fn);
    // Persisted continuous /_replicate jobs: id → request body.
    QList<QPair<QString, QByteArray>> jobs();
    void putJob(const QString &id, const QByteArray &request);
    void removeJob(const QString &id);

    Tick lastTick(qint64 cid);
    qint64 deletedCount(qint64 cid);

private:
    Connection &m_conn;
};

} // namespace repl::storage
