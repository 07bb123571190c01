#pragma once

#include "core/RevTree.h"
#include "engine/Catalog.h"
#include "storage/DocumentTable.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace repl::storage {
class Connection;
}

// Internal to the CouchDB face (CouchService reads, CouchWrites): a document as its tree and
// its leaves with their bodies.
namespace repl::CouchService::detail {

// A document's leaves with their bodies (the winner's from its row, others from `leaves`).
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

} // namespace repl::CouchService::detail
