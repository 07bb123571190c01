#pragma once

namespace repl::server {

class Router;

// One registration function per API area (controllers).
void registerAdminRoutes(Router &router);      // version, database
void registerCollectionRoutes(Router &router); // collection
void registerDocumentRoutes(Router &router);   // document, import
void registerIndexRoutes(Router &router);      // index
void registerReplicationRoutes(Router &router);

} // namespace repl::server
