#pragma once

#include "core/Tick.h"
#include "engine/ApplierConfig.h"
#include "engine/ApplierState.h"
#include "engine/ApplierStatus.h"
#include "engine/Catalog.h"
#include "engine/ReplicationCounters.h"
#include "engine/ThreadGate.h"

#include <QHash>
#include <QJsonObject>
#include <QMutex>
#include <QObject>
#include <QSet>
#include <QThread>

#include <functional>
#include <optional>

namespace repl {

class Applier;
class Engine;
class GlobalApplier;
namespace storage {
class Connection;
}

struct SyncRequest
{
    QString endpoint;
    QString database;
    QString username;
    QString password;
    QString restrictType;
    QStringList restrictCollections;
    bool includeSystem = true;
    bool dryRun = false;
    double initialSyncMaxWaitTime = 300;
    qint64 sslProtocol = 0; // ArangoDB's numbers, as in ApplierConfig
};

// Owns every database's applier and runs them (and syncs) on one thread with an event loop,
// where their HTTP clients live. The public methods are for request workers: they may block
// until the applier thread has done the work, so never call them from the applier thread.
class ApplierManager final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApplierManager)

public:
    explicit ApplierManager(Engine &engine);
    ~ApplierManager() override;

    void open();  // loads configurations and states, starts autoStart appliers
    void close(); // stops every applier and the thread

    ApplierConfig config(qint64 db) const;
    ApplierConfig setConfig(const DatabaseInfo &db, const QJsonObject &patch);
    QJsonObject stateJson(const DatabaseInfo &db) const;
    ApplierStatus status(qint64 db) const;
    bool isRunning(qint64 db) const;
    QJsonObject start(const DatabaseInfo &db, std::optional<Tick> from);
    QJsonObject stop(const DatabaseInfo &db);
    QJsonObject forget(const DatabaseInfo &db);

    // The server-level applier (applier-*?global=true on _system): see GlobalApplier.
    ApplierConfig globalConfig() const;
    ApplierConfig setGlobalConfig(const QJsonObject &patch);
    // Its own status plus, aggregated, the databases it follows (`databases`: our extension,
    // one entry per database with its own state).
    QJsonObject globalStateJson() const;
    QJsonObject globalStart(std::optional<Tick> from);
    QJsonObject globalStop();
    QJsonObject globalForget();

    // PUT /_api/replication/sync. syncAsync returns at once (throws repl::Error for a request
    // refused before it starts); `done` runs later on another thread with the answer or the
    // error. sync() waits for it (never on the applier thread).
    using SyncDone = std::function<void(std::exception_ptr, const QJsonObject &)>;
    void syncAsync(const DatabaseInfo &db, const SyncRequest &request, SyncDone done);
    QJsonObject sync(const DatabaseInfo &db, const SyncRequest &request);

    // What every applier and syncer of this server counted (any thread; see the struct).
    ReplicationCounters &counters() { return m_counters; }

    // For the applier and the syncer (applier thread). Also notes when the applied tick
    // reaches the leader's (ApplierStatus::inSyncSinceMs).
    void updateStatus(qint64 db, const std::function<void(ApplierStatus &)> &fn);
    void setPersisted(qint64 db, const ApplierState &state);
    ApplierState persisted(qint64 db) const;
    Engine &engine() { return m_engine; }
    // For the global applier (applier thread): starts a database's applier with `config`
    // unless one already runs (then false), stops one it started.
    bool startMember(const DatabaseInfo &db, const ApplierConfig &config, const ApplierState &state,
                     std::optional<Tick> from);
    void stopMember(qint64 db, int errorNum, const QString &message);

private:
    void runOnThread(const std::function<void()> &fn);
    void startOnThread(const DatabaseInfo &db, std::optional<Tick> from);

    Engine &m_engine;
    QThread m_thread;
    QObject *m_context = nullptr; // lives on m_thread; parent of the appliers
    ThreadGate m_gate;            // workers' calls into m_thread
    mutable QMutex m_mutex;
    QHash<qint64, ApplierConfig> m_configs;
    QHash<qint64, ApplierStatus> m_status;
    QHash<qint64, ApplierState> m_persisted;
    QHash<qint64, Applier *> m_appliers; // touched on the applier thread only
    GlobalApplier *m_global = nullptr;   // applier thread only
    QSet<qint64> m_globalMembers;        // under m_mutex: for globalStateJson
    ReplicationCounters m_counters;
};

} // namespace repl
