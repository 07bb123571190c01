#pragma once

#include "server/Http.h"

namespace repl::server {

class Router;

// One registration function per API area (controllers).
void registerAdminRoutes(Router &router);       // version, database
void registerCollectionRoutes(Router &router);  // collection
void registerDocumentRoutes(Router &router);    // document, import
void registerIndexRoutes(Router &router);       // index
void registerReplicationRoutes(Router &router); // also batch/{id}
void registerWalRoutes(Router &router);         // /_api/wal/tail, lastTick, range
// The CouchDB face (/, /{db}, /{db}/_changes, …); requests with Request::couch set.
void registerCouchRoutes(Router &router);
// CouchDB-shaped error for any repl::Error thrown on the CouchDB face.
Response couchErrorResponse(const Error &e);

} // namespace repl::server
