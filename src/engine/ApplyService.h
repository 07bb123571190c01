#pragma once

#include "core/DumpLine.h"
#include "core/Tick.h"
#include "engine/ApplierConfig.h"
#include "engine/Catalog.h"

#include <QHash>
#include <QJsonObject>

namespace repl {

class WriteTxn;

// Applies what a leader sent (log events, dumped documents) inside a write job. A replicated
// write never invents a revision: the leader's _key and _rev are stored as they are.
namespace ApplyService {

// Leader ids → local ones: collections are matched by name, but events may name them only
// by the leader's cid, and index ids differ between servers.
struct Mapping
{
    QHash<QString, QString> collections; // leader cid → local collection name
    QHash<QString, qint64> indexes;      // leader index id (numeric part) → local index id

    QJsonObject toJson() const;
    static Mapping fromJson(const QJsonObject &o);
};

struct Stats
{
    qint64 events = 0;
    qint64 documents = 0;
    qint64 removals = 0;
    qint64 excluded = 0;
};

// Stores one version of a document as the leader has it. Idempotent: a revision the local
// tree already knows is not applied again (so replays never move a document backwards).
// Returns false when nothing changed.
bool storeVersion(WriteTxn &txn, const CollectionInfo &c, const QString &key, const QByteArray &rev,
                  const QByteArray &oldRev, const QJsonObject &data, bool deleted, Tick tid);

// The collection the previous document event resolved to. Valid while the catalog does not
// change: reset it after every non-document event.
struct TargetCache
{
    QByteArray cid;
    QString name;
    bool included = false;
    const CollectionInfo *collection = nullptr;
};

// A document event read by the fast path (parseOwnLogLine).
void applyDocument(WriteTxn &txn, qint64 db, const LogDocumentRecord &event, const Mapping &mapping,
                   const ApplierConfig &config, Stats &stats, Tick tid = 0,
                   TargetCache *cache = nullptr);

// Applies one non-transaction-marker event. Throws repl::Error (1203 unknown collection,
// 1406 unknown event type, …) when it cannot.
void applyEvent(WriteTxn &txn, qint64 db, const QJsonObject &event, Mapping &mapping,
                const ApplierConfig &config, Stats &stats, Tick tid = 0);

// A collection as the leader describes it (inventory parameters or a 2000 event), created
// fresh; an existing local one with that name is dropped first.
CollectionInfo recreateCollection(WriteTxn &txn, qint64 db, const QJsonObject &parameters);

} // namespace ApplyService
} // namespace repl
