#pragma once

#include "client/ReplicationClient.h"

#include <QJsonObject>
#include <QObject>
#include <QString>

#include <functional>

namespace repl::client {

// Which protocol a server speaks: ArangoDB's HTTP API (ArangoDB, repldesk-server, the
// embedded engine) or only CouchDB's (CouchDB, pouchdb-server, PouchDB Server).
enum class ServerFlavor
{
    Unknown,
    ArangoApi,
    CouchDb
};

struct ServerProbe
{
    ServerFlavor flavor = ServerFlavor::Unknown;
    QString product;    // "repldesk", "arango", "CouchDB", "PouchDB Server"
    QString version;    // as the server reports it
    QString serverId;   // ArangoDB's server id is fetched separately; CouchDB's uuid is here
    HttpResult failure; // the answer that decided it is neither (when flavor is Unknown)

    QString describe() const { return product + u' ' + version; }
};

// Reads CouchDB's welcome ({"couchdb":"Welcome",…}) or pouchdb-server's
// ({"express-pouchdb":…}) at `GET /` into `probe`; false for anything else.
bool readCouchWelcome(const QJsonObject &welcome, ServerProbe &probe);

// Asks `GET /_api/version`; a server that has no such route (4xx other than 401/403) is
// asked `GET /`, where CouchDB and pouchdb-server say who they are. Asynchronous; `done` runs
// on `context`'s thread unless `context` is gone.
void probeServer(ReplicationClient &client, QObject *context,
                 std::function<void(const ServerProbe &)> done);

} // namespace repl::client
