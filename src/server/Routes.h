#pragma once

#include "server/Http.h"

#include <memory>

namespace repl::server {

class HttpMetrics;
class Router;

// One registration function per API area (controllers).
void registerAdminRoutes(Router &router);       // version, database
void registerCollectionRoutes(Router &router);  // collection
void registerDocumentRoutes(Router &router);    // document, import
void registerIndexRoutes(Router &router);       // index
void registerReplicationRoutes(Router &router); // also batch/{id}
void registerWalRoutes(Router &router);         // /_api/wal/tail, lastTick, range
// /_admin/metrics/v2 (Prometheus text): replication, logger, CouchDB jobs, `http`, process.
void registerMetricsRoutes(Router &router, std::shared_ptr<const HttpMetrics> http);

} // namespace repl::server
