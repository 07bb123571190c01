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

} // namespace repl::server
