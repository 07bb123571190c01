#pragma once

#include "engine/ApplyService.h"
#include "engine/Catalog.h"
#include "engine/RestorePointService.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace repl {

class WriteTxn;

// The staging collections of a staged sync. The leader's collections are copied into hidden
// "_st<id>_<name>" collections (server-local: never in the inventory, dump or log, invisible to
// readers) in many short write jobs, so other writers interleave and readers keep the old
// data. swapIn() then puts them in place in one short job; discard() or, after a crash,
// cleanAll() at the next start removes them (their rows go a slice at a time).
namespace SyncStaging {

QString stagingName(qint64 id, const QString &name);

// Creates the staging collection for one inventory entry ({parameters, indexes}) with its
// indexes; notes the leader's collection and index ids in `mapping` (under the final name).
CollectionInfo create(WriteTxn &txn, qint64 db, qint64 id, const QJsonObject &entry,
                      ApplyService::Mapping &mapping);

// Swaps the staging collections of sync `id` in for `names`: the collections they replace go
// aside into restore point `kept`. When this database logs remote changes, followers of this
// server get the swap as drop, create and every document inside one log transaction (the
// documents are copied into a fresh collection for that, so the job takes as long as the log
// it writes); otherwise the swap is two renames per collection. Returns [{id, name}] of the
// collections now in place.
QJsonArray swapIn(WriteTxn &txn, qint64 db, qint64 id, const QStringList &names,
                  RestorePointService::Pending &kept);

// Puts server-local collection `source` (staging, or a restore point's copy) in place under
// `name`, which must be free. Not logging: a silent rename. Logging: a fresh collection
// created, indexed and filled through the logging services inside one log transaction
// (2000, 2100s, 2200, the documents, 2201), read in slices; `source` is dropped.
CollectionInfo putInPlace(WriteTxn &txn, const CollectionInfo &source, const QString &name);

// Drops the staging collections of sync `id` in `db`.
void discard(WriteTxn &txn, qint64 db, qint64 id);
// Drops every staging collection (a sync that was running when the server stopped); returns
// how many.
int cleanAll(WriteTxn &txn);

} // namespace SyncStaging
} // namespace repl
