#include "client/ServerProbe.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>

namespace repl::client {

bool readCouchWelcome(const QJsonObject &w, ServerProbe &p)
{
    // repldesk-server answers CouchDB's welcome too, but it speaks ArangoDB's API: its
    // /_api/version failed for another reason (a database that does not exist).
    if (w.value(QStringLiteral("vendor"))[QStringLiteral("name")].toString() == u"ReplDesk")
        return false;
    if (w.contains(QStringLiteral("couchdb")))
        p.product = QStringLiteral("CouchDB");
    else if (w.contains(QStringLiteral("express-pouchdb")) || w.contains(QStringLiteral("pouchdb")))
        p.product = QStringLiteral("PouchDB Server");
    else
        return false;
    p.flavor = ServerFlavor::CouchDb;
    p.version = w.value(QStringLiteral("version")).toString();
    p.serverId = w.value(QStringLiteral("uuid")).toString();
    return true;
}

void probeServer(ReplicationClient &client, QObject *context,
                 std::function<void(const ServerProbe &)> done)
{
    client.get(
        QStringLiteral("/_api/version"), {}, context,
        [&client, context, done = std::move(done)](const HttpResult &v) {
            ServerProbe p;
            if (v.ok()) {
                const QJsonObject o = QJsonDocument::fromJson(v.body).object();
                p.flavor = ServerFlavor::ArangoApi;
                p.product = o.value(QStringLiteral("server")).toString();
                p.version = o.value(QStringLiteral("version")).toString();
                return done(p);
            }
            // Only an answer that is not ArangoDB's own error (which carries an errorNum, e.g.
            // 1228 for a database that does not exist) suggests another kind of server.
            if (!v.answered() || v.status == 401 || v.status == 403 || v.status < 400 ||
                v.status >= 500 || v.serverErrorNum() != 0) {
                p.failure = v;
                return done(p);
            }
            // No ArangoDB API here: perhaps CouchDB. Its root is outside any database.
            ClientSettings root = client.settings();
            root.database.clear();
            // Owned by `client`: a newer probe that replaces it also ends this one.
            auto *rootClient = new ReplicationClient(root, &client);
            rootClient->get(
                QStringLiteral("/"), {}, rootClient,
                [rootClient, v, done, guard = QPointer<QObject>(context)](const HttpResult &w) {
                    rootClient->deleteLater();
                    if (!guard)
                        return;
                    ServerProbe p;
                    if (!w.ok() || !readCouchWelcome(QJsonDocument::fromJson(w.body).object(), p))
                        p.failure = w.status == 401 || w.status == 403 ? w : v;
                    done(p);
                });
        });
}

} // namespace repl::client
