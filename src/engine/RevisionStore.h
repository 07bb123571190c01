#pragma once

#include "core/RevTree.h"
#include "core/Tick.h"
#include "engine/Catalog.h"
#include "storage/CouchTable.h"
#include "storage/DocumentTable.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace repl {

class WriteTxn;
namespace storage {
class Connection;
}

// A document as its revision tree and its leaves with their bodies: the documents layer's
// view of a document with conflicts, shared by both faces (the winner is the row in `docs`,
// the other leaves live in `leaves`). Neither face is included here.
namespace RevisionStore {

// A leaf with its body (the winner's from its row, others from `leaves`).
struct Leaf
{
    int node = -1;
    QByteArray rev;
    bool deleted = false;
    QByteArray body;
};

struct LoadedDoc
{
    storage::DocumentRow row;
    RevTree tree;
    int winner = -1;
    QList<Leaf> leaves; // winner first
};

std::optional<LoadedDoc> loadDoc(storage::Connection &conn, const CollectionInfo &c,
                                 const QString &id);
const Leaf *leafAt(const LoadedDoc &d, int node);

// The bodies of a loaded document's leaves, by revision.
QHash<QByteArray, storage::LeafRow> knownBodies(const std::optional<LoadedDoc> &d);

// Writes a merged tree: the winner (CouchDB's rule) into docs through DocumentService (which
// ticks, counts and logs), the other leaves with their bodies into `leaves`.
void commitTree(WriteTxn &txn, const CollectionInfo &c, const QString &id,
                const std::optional<LoadedDoc> &old, RevTree tree,
                const QHash<QByteArray, storage::LeafRow> &bodies, Tick tid);

// An edit of a document that has conflicts: `tree` already holds the new revision; stores the
// winner and keeps the other leaves' bodies.
void commitEdit(WriteTxn &txn, const CollectionInfo &c, const storage::DocumentRow &existing,
                RevTree tree, const QByteArray &newRev, bool deleted, QByteArray body, Tick tid);

} // namespace RevisionStore
} // namespace repl
