#pragma once

#include "core/Tick.h"
#include "engine/Catalog.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace repl {

class WriteTxn;
namespace storage {
class Connection;
}

// Restore points: what a sync purged, kept aside instead of dropped. Inside the sync's swap
// job each collection the leader's copy replaces is renamed to "_rp<id>_<name>" (server-local:
// never in the inventory, dump or log), and the point is recorded with its time, leader and
// collections; its size is measured afterwards on a reader (settle), so the swap stays short.
// A restore drops the current collections and writes the kept ones back through the logged
// services, so followers of this server converge; a discard drops them. What is kept follows
// the database's retention: the newest `keep` points (default 3), and at most `maxBytes` in
// all (0: no limit), dropping the oldest first.
namespace RestorePointService {

inline constexpr int DefaultRetention = 3;

struct Retention
{
    int keep = DefaultRetention;
    qint64 maxBytes = 0; // 0: no size limit

    QJsonObject toJson() const;
    // 400 naming the field when `o` is not {keep: integer >= 0, maxBytes: integer >= 0}.
    static Retention fromJson(const QJsonObject &o, const Retention &base);
};
Retention retention(storage::Connection &conn, qint64 db);
// Stores the database's retention and applies it at once.
void setRetention(WriteTxn &txn, qint64 db, const Retention &r);

// Collects what one sync keeps aside (inside its write job).
struct Pending
{
    qint64 id = 0;          // 0 until the first collection is kept
    QJsonArray collections; // [{name, kept, count}]
};

// Renames `c` aside into point `p` (allocating the point's id on first use).
void keepAside(WriteTxn &txn, const CollectionInfo &c, Pending &p);
// Records the point (when anything was kept) and applies the count retention.
void record(WriteTxn &txn, qint64 db, const Pending &p, const QString &leader);
// The bytes a point's kept collections hold (live documents' bodies); on a reader.
qint64 measure(storage::Connection &reader, const Catalog &catalog, qint64 db, qint64 id);
// Stores a measured size and applies the whole retention.
void settle(WriteTxn &txn, qint64 db, qint64 id, qint64 bytes);

// GET …/restore-points: {"restorePoints":[{id, time, leader, collections:[{name, count}],
// bytes}]}, oldest first.
QJsonObject list(storage::Connection &reader, const Catalog &catalog, qint64 db);
// Throws 404 (errorNum 1203 style message) when the point is not one of `db`'s.
QJsonObject restore(WriteTxn &txn, qint64 db, const QString &id);
void discard(WriteTxn &txn, qint64 db, const QString &id);

} // namespace RestorePointService
} // namespace repl
