#pragma once

#include "client/ReplicationClient.h"
#include "client/ServerProbe.h"
#include "gui/ServerList.h"
#include "ops/ServerOps.h"

#include <QJsonObject>
#include <QObject>
#include <QTimer>

#include <functional>

namespace repl::gui {

// The app's line to one server: a ReplicationClient plus a refresh loop that keeps the
// views fed (version, logger state, applier state, inventory). Asynchronous only; nothing
// here blocks the GUI thread. Polling pauses while setActive(false).
// A server that speaks only CouchDB's protocol (CouchDB, pouchdb-server) is recognised on
// the first poll (flavorChanged); its databases then make the inventory, in the same shape
// as an ArangoDB inventory (parameters.couchdb marks them), and there is no logger or
// applier to poll.
class ServerSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerSession)

public:
    ServerSession(const ServerEntry &entry, const QString &password, QObject *parent = nullptr);

    const ServerEntry &entry() const { return m_entry; }
    client::ServerFlavor flavor() const { return m_flavor; }
    // The server's dialect, once the first poll has probed it (kind Unknown before).
    const ops::Dialect &dialect() const { return m_ops->dialect(); }
    // Every operation in the server's dialect (databases named per call).
    ops::ServerOps &ops() { return *m_ops; }
    // The database the logger, applier, sync and live log views are about: the entry's at
    // first, then the one chosen in the Inventory (ArangoDB-kind servers hold many).
    const QString &database() const { return m_database; }
    void setDatabase(const QString &name);
    // Plain HTTP in database() (paths start at /_api/…).
    client::ReplicationClient &client() { return *m_client; }
    void setActive(bool active);
    void setInterval(int ms);
    void refreshNow();

    // Actions; `done` gets an empty string on success, else what went wrong.
    using Done = std::function<void(const QString &error)>;
    void setLoggerRunning(bool run, Done done);
    void setApplierRunning(bool run, const QString &fromTick, Done done);

Q_SIGNALS:
    void statusChanged(repl::gui::ServerEntry::State state, const QString &text,
                       const QString &version, const QString &serverId);
    // `managed`: the server logs by itself (ArangoDB 3.x answers "invalid command").
    void loggerStateChanged(const QJsonObject &state, bool managed);
    void applierStateChanged(const QJsonObject &state);
    // ArangoDB-kind servers: {"databases":[{"name", "collections":[…], "problem"?}]} with
    // counts in each collection's parameters; CouchDB-kind: {"collections":[…]}, one per
    // CouchDB database.
    void inventoryChanged(const QJsonObject &inventory);
    void flavorChanged(repl::client::ServerFlavor flavor);
    void dialectChanged(const repl::ops::Dialect &dialect);
    void databaseChanged(const QString &database);
    // The server's certificate was refused: not trusted, or not the one pinned (see
    // TlsTrustDialog). Repeated on every poll while it lasts.
    void certificateRefused(const repl::client::TlsFailure &failure);

private:
    void poll();
    void pollArango();
    void pollCouch();
    void fetchArangoInventory();
    void fetchCouchInventory();
    void report(const client::HttpResult &r);

    ServerEntry m_entry;
    QString m_database;
    client::ReplicationClient *m_client;
    ops::ServerOps *m_ops;
    QTimer m_timer;
    bool m_inFlight = false;
    int m_pollCount = 0;
    client::ServerFlavor m_flavor = client::ServerFlavor::Unknown;
    ops::ServerKind m_kind = ops::ServerKind::Unknown;
    QHash<QString, qint64> m_counts; // "db/collection" → last count (ArangoDB)
    qint64 m_inventoryRound = -1;
    bool m_globalApplier = false; // the applier shown (and started/stopped) is the global one
    QString m_couchProblem;       // why the inventory of a CouchDB server is missing, if it is
};

} // namespace repl::gui
