#include "engine/ApplierManager.h"

#include "core/Clock.h"
#include "core/Error.h"
#include "engine/Applier.h"
#include "engine/Engine.h"
#include "engine/GlobalApplier.h"
#include "engine/ReadService.h"
#include "engine/Syncer.h"
#include "engine/WriteTxn.h"
#include "storage/CatalogTable.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMetaObject>

#include <future>

namespace repl {

ApplierManager::ApplierManager(Engine &engine)
    : m_engine(engine)
{}

ApplierManager::~ApplierManager()
{
    close();
}

void ApplierManager::open()
{
    m_thread.setObjectName(QStringLiteral("repldesk-appliers"));
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    m_thread.start();
    m_gate.open(m_context);
    // Load every database's configuration and saved state (the writer's connection reads).
    QList<QPair<DatabaseInfo, ApplierConfig>> autoStart;
    bool globalAutoStart = false;
    m_engine.write([&](WriteTxn &t) {
        const ApplierConfig global = ApplierConfig::fromStored(
            QJsonDocument::fromJson(t.catalogTable().applierConfig(GlobalApplier::Id)).object());
        {
            QMutexLocker lock(&m_mutex);
            m_configs.insert(GlobalApplier::Id, global);
            m_status[GlobalApplier::Id].endpoint = global.endpoint;
        }
        globalAutoStart = global.autoStart && global.hasValidEndpoint();
        for (const QString &name : t.catalog().databaseNames()) {
            const DatabaseInfo *db = t.catalog().database(name);
            const ApplierConfig cfg = ApplierConfig::fromStored(
                QJsonDocument::fromJson(t.catalogTable().applierConfig(db->id)).object());
            const ApplierState st = ApplierState::fromJson(
                QJsonDocument::fromJson(t.catalogTable().applierState(db->id)).object());
            QMutexLocker lock(&m_mutex);
            m_configs.insert(db->id, cfg);
            m_persisted.insert(db->id, st);
            ApplierStatus &status = m_status[db->id];
            status.endpoint = cfg.endpoint;
            status.database = cfg.database.isEmpty() ? db->name : cfg.database;
            status.hasTicks = st.valid;
            status.lastAppliedContinuousTick = status.lastProcessedContinuousTick =
                status.safeResumeTick = st.lastApplied;
            if (cfg.autoStart && cfg.hasValidEndpoint())
                autoStart.append({*db, cfg});
        }
    });
    for (const auto &entry : autoStart)
        startOnThread(entry.first, std::nullopt);
    if (globalAutoStart)
        globalStart(std::nullopt);
}

void ApplierManager::close()
{
    if (!m_thread.isRunning())
        return;
    // First no worker reaches the thread any more (calls already inside finish), then the
    // appliers and syncs stop (a worker waiting for a sync gets its error) and go.
    QObject *context = m_gate.close();
    QMetaObject::invokeMethod(
        context,
        [this, context] {
            if (m_global)
                m_global->stop(ErrorNum::ReplicationApplierStopped,
                               QStringLiteral("server shut down"));
            const auto appliers = m_appliers.values(); // stop() edits the hash
            for (Applier *a : appliers)
                a->stop(ErrorNum::ReplicationApplierStopped, QStringLiteral("server shut down"));
            qDeleteAll(context->children());
            m_appliers.clear();
            m_global = nullptr;
            delete context;
        },
        Qt::BlockingQueuedConnection);
    m_context = nullptr;
    m_thread.quit();
    m_thread.wait();
}

void ApplierManager::runOnThread(const std::function<void()> &fn)
{
    m_gate.run(fn, [] {
        throw Error(503, ErrorNum::Internal, QStringLiteral("the server is shutting down"));
    });
}

ApplierConfig ApplierManager::config(qint64 db) const
{
    QMutexLocker lock(&m_mutex);
    return m_configs.value(db);
}

ApplierStatus ApplierManager::status(qint64 db) const
{
    QMutexLocker lock(&m_mutex);
    return m_status.value(db);
}

bool ApplierManager::isRunning(qint64 db) const
{
    return status(db).running;
}

ApplierState ApplierManager::persisted(qint64 db) const
{
    QMutexLocker lock(&m_mutex);
    return m_persisted.value(db);
}

void ApplierManager::setPersisted(qint64 db, const ApplierState &state)
{
    QMutexLocker lock(&m_mutex);
    m_persisted.insert(db, state);
}

void ApplierManager::updateStatus(qint64 db, const std::function<void(ApplierStatus &)> &fn)
{
    QMutexLocker lock(&m_mutex);
    ApplierStatus &st = m_status[db];
    fn(st);
    if (st.ticksBehind() == 0)
        st.inSyncSinceMs = Clock::now().toMSecsSinceEpoch();
}

ApplierConfig ApplierManager::setConfig(const DatabaseInfo &db, const QJsonObject &patch)
{
    if (isRunning(db.id))
        throw Error(400, ErrorNum::ReplicationRunning,
                    QStringLiteral("cannot change the applier configuration while the applier "
                                   "runs: stop it first"));
    ApplierConfig merged = ApplierConfig::merged(config(db.id), patch);
    if (merged.database.isEmpty())
        merged.database = db.name;
    const QByteArray stored = QJsonDocument(merged.toStored()).toJson(QJsonDocument::Compact);
    m_engine.write([&](WriteTxn &t) { t.catalogTable().setApplierConfig(db.id, stored); });
    QMutexLocker lock(&m_mutex);
    m_configs.insert(db.id, merged);
    m_status[db.id].endpoint = merged.endpoint;
    m_status[db.id].database = merged.database;
    return merged;
}

QJsonObject ApplierManager::stateJson(const DatabaseInfo &db) const
{
    ApplierStatus s = status(db.id);
    if (s.database.isEmpty())
        s.database = db.name;
    return s.toJson(m_engine.serverId());
}

void ApplierManager::startOnThread(const DatabaseInfo &db, std::optional<Tick> from)
{
    const ApplierConfig cfg = config(db.id);
    const ApplierState st = persisted(db.id);
    runOnThread([this, db, cfg, st, from] {
        if (m_appliers.contains(db.id))
            return; // started meanwhile by another request: one applier per database
        auto *a = new Applier(*this, db.id, db.name, cfg, st, from, m_context);
        m_appliers.insert(db.id, a);
        connect(a, &Applier::stopped, m_context, [this, a, id = db.id] {
            if (m_appliers.value(id) == a)
                m_appliers.remove(id);
            a->deleteLater();
        });
        a->start();
    });
}

QJsonObject ApplierManager::start(const DatabaseInfo &db, std::optional<Tick> from)
{
    const ApplierConfig cfg = config(db.id);
    if (!cfg.hasValidEndpoint())
        throw Error(400, ErrorNum::ReplicationInvalidApplierConfiguration,
                    QStringLiteral("invalid replication applier configuration: no valid endpoint "
                                   "configured (set one with PUT applier-config)"));
    if (!isRunning(db.id)) {
        // Start from the durable state: the in-memory copy can trail it when the previous
        // applier was stopped while a write was in flight.
        ApplierState durable;
        m_engine.write([&](WriteTxn &t) {
            durable = ApplierState::fromJson(
                QJsonDocument::fromJson(t.catalogTable().applierState(db.id)).object());
        });
        setPersisted(db.id, durable);
        startOnThread(db, from);
    }
    return stateJson(db);
}

QJsonObject ApplierManager::stop(const DatabaseInfo &db)
{
    runOnThread([this, id = db.id] {
        if (Applier *a = m_appliers.value(id))
            a->stop(ErrorNum::ReplicationApplierStopped,
                    QStringLiteral("replication stopped: the applier was stopped by the operator"));
    });
    return stateJson(db);
}

QJsonObject ApplierManager::forget(const DatabaseInfo &db)
{
    if (isRunning(db.id))
        throw Error(400, ErrorNum::ReplicationRunning,
                    QStringLiteral("cannot forget the applier state while the applier runs"));
    m_engine.write([&](WriteTxn &t) { t.catalogTable().setApplierState(db.id, QByteArray()); });
    {
        QMutexLocker lock(&m_mutex);
        m_persisted.insert(db.id, ApplierState{});
        ApplierStatus &s = m_status[db.id];
        const QString endpoint = s.endpoint, database = s.database;
        s = ApplierStatus{};
        s.endpoint = endpoint;
        s.database = database;
    }
    return stateJson(db);
}

namespace {

// The sync's answer from its outcome (and the status it leaves); a dry run's plan reads
// `readerPtr`.
QJsonObject syncResult(ApplierManager &manager, const DatabaseInfo &db, const SyncRequest &request,
                       const Syncer::Outcome &o, storage::Connection *readerPtr)
{
    if (!request.dryRun)
        manager.updateStatus(db.id, [&](ApplierStatus &st) {
            st.phase = st.running ? QStringLiteral("running") : QStringLiteral("inactive");
            if (o.error) {
                try {
                    std::rethrow_exception(o.error);
                } catch (const Error &e) {
                    st.error(e.errorNum(), e.message());
                    st.progress(QStringLiteral("sync failed: %1").arg(e.message()));
                } catch (...) {
                }
            } else if (!request.dryRun) {
                st.syncCollectionsDone = st.syncCollectionsTotal;
                st.hasTicks = true;
                st.lastAppliedContinuousTick = st.lastProcessedContinuousTick = st.safeResumeTick =
                    o.leaderTick;
                st.progress(QStringLiteral("sync finished: %1 collections, %2 documents; start the "
                                           "applier from tick %3")
                                .arg(o.synced.size())
                                .arg(st.syncDocuments)
                                .arg(o.leaderTick));
            }
        });
    if (o.error)
        std::rethrow_exception(o.error);
    if (!request.dryRun)
        return {{QStringLiteral("collections"), o.synced},
                {QStringLiteral("lastLogTick"), tickString(o.leaderTick)}};

    // Dry run: what would be dropped, created and kept — nothing is changed.
    const auto catalog = manager.engine().catalog();
    QJsonArray plan;
    QSet<QString> onLeader;
    qint64 purged = 0;
    for (const QJsonValue &v : o.leaderCollections) {
        const QJsonObject p = v[QStringLiteral("parameters")].toObject();
        const QString name = p.value(QStringLiteral("name")).toString();
        onLeader.insert(name);
        const CollectionInfo *local = catalog->collection(db.id, name);
        const qint64 localCount = local ? ReadService::count(*readerPtr, local->cid) : 0;
        purged += localCount;
        plan.append(QJsonObject{
            {QStringLiteral("name"), name},
            {QStringLiteral("type"), p.value(QStringLiteral("type")).toInt(2)},
            {QStringLiteral("action"),
             local ? QStringLiteral("drop-and-recreate") : QStringLiteral("create")},
            {QStringLiteral("dropped"), local != nullptr},
            {QStringLiteral("created"), true},
            {QStringLiteral("localDocuments"), double(localCount)},
            {QStringLiteral("leaderDocuments"), p.value(QStringLiteral("count")).toDouble()},
            {QStringLiteral("indexes"), v[QStringLiteral("indexes")].toArray().size()}});
    }
    for (const CollectionInfo *c : catalog->collections(db.id)) {
        if (onLeader.contains(c->name) || c->isServerLocal())
            continue;
        plan.append(QJsonObject{
            {QStringLiteral("name"), c->name},
            {QStringLiteral("type"), c->type},
            {QStringLiteral("action"), QStringLiteral("keep")},
            {QStringLiteral("dropped"), false},
            {QStringLiteral("created"), false},
            {QStringLiteral("localDocuments"), double(ReadService::count(*readerPtr, c->cid))},
            {QStringLiteral("leaderDocuments"), 0}});
    }
    return {{QStringLiteral("dryRun"), true},
            {QStringLiteral("database"), db.name},
            {QStringLiteral("leader"), QJsonObject{{QStringLiteral("endpoint"), request.endpoint},
                                                   {QStringLiteral("serverId"), o.leaderServerId}}},
            {QStringLiteral("collections"), plan},
            {QStringLiteral("documentsPurged"), double(purged)},
            {QStringLiteral("lastLogTick"), tickString(o.leaderTick)}};
}

} // namespace

void ApplierManager::syncAsync(const DatabaseInfo &db, const SyncRequest &request, SyncDone done)
{
    // A dry run changes nothing, so it may look while the applier runs; a real sync may not.
    if (!request.dryRun && isRunning(db.id))
        throw Error(400, ErrorNum::ReplicationRunning,
                    QStringLiteral("cannot sync while the applier of database '%1' runs: stop it "
                                   "first")
                        .arg(db.name));
    runOnThread([this, db, request, done] {
        auto *s = new Syncer(*this, db.id, db.name, request, m_context);
        s->start([this, s, db, request, done](const Syncer::Outcome &o) {
            s->deleteLater();
            if (request.dryRun && !o.error) {
                // The plan counts local documents: on a worker, with its reader.
                m_engine.submit([this, db, request, o, done](storage::Connection &reader) {
                    try {
                        done(nullptr, syncResult(*this, db, request, o, &reader));
                    } catch (...) {
                        done(std::current_exception(), {});
                    }
                });
                return;
            }
            try {
                done(nullptr, syncResult(*this, db, request, o, nullptr));
            } catch (...) {
                done(std::current_exception(), {});
            }
        });
    });
}

QJsonObject ApplierManager::sync(const DatabaseInfo &db, const SyncRequest &request)
{
    std::promise<QJsonObject> promise;
    auto future = promise.get_future();
    syncAsync(db, request, [&promise](std::exception_ptr e, const QJsonObject &o) {
        e ? promise.set_exception(e) : promise.set_value(o);
    });
    return future.get();
}

} // namespace repl
