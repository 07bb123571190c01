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

// Restore points: what a sync purged, kept aside instead of dropped. Inside the sync's write
// job each collection the leader's copy replaces is renamed to "_rp<id>_<name>" (server-local:
// never in the inventory, dump or log; followers see the create that follows, as before), and
// the point is recorded with its time, leader, collections and size. A restore drops the
// current collections and writes the kept ones back through the logged services, so followers
// of this server converge; a discard drops them. The newest `DefaultRetention` per database
// are kept; older ones are discarded by the next sync.
namespace RestorePointService {

inline constexpr int DefaultRetention = 3;

// Collects what one sync keeps aside (inside its write job).
struct Pending
{
    qint64 id = 0;          // 0 until the first collection is kept
    QJsonArray collections; // [{name, kept, count}]
    qint64 bytes = 0;
};

// Renames `c` aside into point `p` (allocating the point's id on first use).
void keepAside(WriteTxn &txn, CollectionInfo c, Pending &p);
// Records the point (when anything was kept) and discards the oldest beyond `retention`.
void record(WriteTxn &txn, qint64 db, const Pending &p, const QString &leader, int retention);

// GET …/restore-points: {"restorePoints":[{id, time, leader, collections:[{name, count}],
// bytes}]}, oldest first.
QJsonObject list(storage::Connection &reader, qint64 db);
// Throws 404 (errorNum 1203 style message) when the point is not one of `db`'s.
QJsonObject restore(WriteTxn &txn, qint64 db, const QString &id);
void discard(WriteTxn &txn, qint64 db, const QString &id);

} // namespace RestorePointService
} // namespace repl
