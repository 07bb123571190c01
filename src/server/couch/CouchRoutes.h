#pragma once

#include "server/Http.h"

namespace repl::server {

class Router;

// The CouchDB face (/, /{db}, /{db}/_changes, /_replicate, …); requests with Request::couch
// set. Its own library: the ArangoDB routes know nothing of it.
void registerCouchRoutes(Router &router);
// /_scheduler/jobs and /_scheduler/docs (called by registerCouchRoutes).
void registerSchedulerRoutes(Router &router);
// CouchDB-shaped error for any repl::Error thrown on the CouchDB face.
Response couchErrorResponse(const Error &e);

} // namespace repl::server
