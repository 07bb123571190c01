#pragma once

#include "engine/RevisionStore.h"

// Internal to the CouchDB face (CouchService reads, CouchWrites): the documents layer's
// revision store under the names the face uses.
namespace repl::CouchService::detail {

using RevisionStore::commitTree;
using RevisionStore::knownBodies;
using RevisionStore::Leaf;
using RevisionStore::leafAt;
using RevisionStore::loadDoc;
using RevisionStore::LoadedDoc;

} // namespace repl::CouchService::detail
