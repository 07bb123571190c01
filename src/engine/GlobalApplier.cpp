#include "engine/GlobalApplier.h"

#include "client/ReplicationClient.h"
#include "core/Clock.h"
#include "core/Error.h"
#include "engine/Applier.h"
#include "engine/ApplierManager.h"
#include "engine/Engine.h"
#include "engine/SchemaService.h"
#include "engine/WriteTxn.h"
#include "storage/CatalogTable.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>

#include <algorithm>

Q_LOGGING_CATEGORY(lcGlobalApplier, "repldesk.engine.applier.global", QtInfoMsg)

namespace repl {

namespace {
// How often a running global applier asks the leader for its databases.
constexpr int RescanMs = 5000;
} // namespace

GlobalApplier::GlobalApplier(ApplierManager &manager, ApplierConfig config,
                             std::optional<Tick> from, QObject *parent)
    : QObject(parent)
    , m_manager(manager)
    , m_config(std::move(config))
    , m_from(from)
{
    client::ClientSettings settings = client::ClientSettings::forEndpoint(
        m_config.endpoint, QStringLiteral("_system"), QStringLiteral("_system"), m_config.username,
        m_config.password, qMax(1.0, m_config.requestTimeout));
    settings.tls.protocol =
        client::sslProtocolFromArango(m_config.sslProtocol).value_or(QSsl::SecureProtocols);
    m_client = new client::ReplicationClient(settings, this);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &GlobalApplier::discover);
}

GlobalApplier::~GlobalApplier() = default;

void GlobalApplier::start()
{
    m_running = true;
    m_manager.updateStatus(Id, [&](ApplierStatus &st) {
        st = ApplierStatus{};
        st.running = true;
        st.phase = QStringLiteral("running");
        st.started = isoNow();
        st.endpoint = m_config.endpoint;
        st.progress(QStringLiteral("asking %1 for its databases").arg(m_client->describe()));
    });
    discover();
}

void GlobalApplier::stop(int errorNum, const QString &message)
{
    if (!m_running)
        return;
    m_running = false;
    m_timer.stop();
    m_client->abortAll();
    for (qint64 id : std::as_const(m_members))
        m_manager.stopMember(id, errorNum, message);
    qCInfo(lcGlobalApplier).noquote() << "global applier stopped:" << message;
    m_manager.updateStatus(Id, [&](ApplierStatus &st) { st.markStopped(errorNum, message); });
    Q_EMIT stopped();
}

void GlobalApplier::discover()
{
    if (!m_running)
        return;
    m_client->get(QStringLiteral("/_api/database/user"), {}, this,
                  [this](const client::HttpResult &r) { onDatabases(r); });
}

void GlobalApplier::retryLater(const QString &why)
{
    ++m_failedConnects;
    m_manager.updateStatus(Id, [&](ApplierStatus &st) {
        ++st.totalFailedConnects;
        st.failedConnects = m_failedConnects;
        st.progress(why);
    });
    if (m_config.maxConnectRetries > 0 && m_failedConnects > m_config.maxConnectRetries)
        return stop(ErrorNum::ReplicationNoResponse,
                    QStringLiteral("%1; gave up after %2 attempts").arg(why).arg(m_failedConnects));
    m_timer.start(int(qMax(0.1, m_config.connectionRetryWaitTime) * 1000));
}

void GlobalApplier::onDatabases(const client::HttpResult &r)
{
    if (!m_running)
        return;
    m_manager.updateStatus(Id, [](ApplierStatus &st) { ++st.totalRequests; });
    if (!r.answered()) {
        ReplicationCounters::add(m_manager.counters().failedConnects, 1);
        return retryLater(QStringLiteral("could not connect to the leader at %1: %2")
                              .arg(m_client->describe(), r.errorString));
    }
    if (!r.ok())
        return stop(r.status == 401 || r.status == 403 ? ErrorNum::Forbidden
                                                       : ErrorNum::ReplicationInvalidResponse,
                    QStringLiteral("the leader at %1 answered HTTP %2 to the list of its "
                                   "databases (GET /_api/database/user)%3")
                        .arg(m_client->describe())
                        .arg(r.status)
                        .arg(r.status == 401 ? QStringLiteral("; check the applier's username "
                                                              "and password")
                                             : QString()));
    m_failedConnects = 0;
    QStringList names;
    for (const QJsonValue &v :
         QJsonDocument::fromJson(r.body).object().value(QStringLiteral("result")).toArray())
        if (const QString name = v.toString(); !name.isEmpty() && name != u"_system")
            names.append(name);
    // _system's own collections are not followed: they hold users and settings of the
    // leader, not data (ArangoDB's global applier skips them the same way by default).
    names.sort();
    adopt(names);
}

void GlobalApplier::adopt(const QStringList &names)
{
    // Databases the leader no longer has: their appliers stop, their data stays.
    for (const QString &gone : std::as_const(m_leaderDatabases)) {
        if (names.contains(gone))
            continue;
        if (const DatabaseInfo *db = m_manager.engine().catalog()->database(gone)) {
            m_manager.stopMember(db->id, ErrorNum::ReplicationApplierStopped,
                                 QStringLiteral("database '%1' was dropped on the leader; its "
                                                "applier stopped, the local data is kept")
                                     .arg(gone));
            m_members.remove(db->id);
        }
    }
    m_leaderDatabases = names;
    // One write job creates what is missing, stores each member's configuration and reads
    // its durable applied state; then the appliers start on this thread.
    struct Member
    {
        DatabaseInfo db;
        ApplierConfig config;
        ApplierState state;
    };
    auto members = std::make_shared<QList<Member>>();
    auto created = std::make_shared<QStringList>();
    const ApplierConfig base = m_config;
    m_manager.engine().writeThen(
        [names, base, members, created](WriteTxn &t) {
            for (const QString &name : names) {
                if (!t.catalog().database(name)) {
                    SchemaService::createDatabase(t, name);
                    created->append(name);
                }
                Member m;
                m.db = *t.catalog().database(name);
                m.config = base;
                m.config.database = name;
                m.config.autoStart = false; // the global applier starts it
                t.catalogTable().setApplierConfig(
                    m.db.id, QJsonDocument(m.config.toStored()).toJson(QJsonDocument::Compact));
                m.state = ApplierState::fromJson(
                    QJsonDocument::fromJson(t.catalogTable().applierState(m.db.id)).object());
                members->append(std::move(m));
            }
        },
        this,
        [this, members, created](std::exception_ptr error) {
            if (!m_running)
                return;
            if (error) {
                try {
                    std::rethrow_exception(error);
                } catch (const Error &e) {
                    return stop(e.errorNum(), QStringLiteral("could not prepare the local "
                                                             "databases: %1")
                                                  .arg(e.message()));
                } catch (const std::exception &e) {
                    return stop(ErrorNum::Internal, QString::fromUtf8(e.what()));
                }
            }
            QStringList skipped;
            for (const Member &m : std::as_const(*members)) {
                if (m_members.contains(m.db.id))
                    continue; // already following (a stopped member stays stopped)
                if (!m_manager.startMember(m.db, m.config, m.state, m_from)) {
                    skipped.append(m.db.name);
                    continue;
                }
                m_members.insert(m.db.id);
            }
            m_from.reset(); // databases found later follow from their own state
            m_manager.updateStatus(Id, [&](ApplierStatus &st) {
                st.failedConnects = 0;
                QString message = QStringLiteral("following %1 databases of %2")
                                      .arg(m_members.size())
                                      .arg(m_config.endpoint);
                if (!created->isEmpty())
                    message += QStringLiteral("; created %1").arg(created->join(u", "));
                if (!skipped.isEmpty())
                    message += QStringLiteral("; left alone (their own applier runs): %1")
                                   .arg(skipped.join(u", "));
                if (message != st.progressMessage)
                    st.progress(message);
            });
            m_timer.start(RescanMs);
        });
}

// ApplierManager's side of the global applier: its configuration and status live under the
// key GlobalApplier::Id beside the databases' ones.

ApplierConfig ApplierManager::globalConfig() const
{
    return config(GlobalApplier::Id);
}

ApplierConfig ApplierManager::setGlobalConfig(const QJsonObject &patch)
{
    if (status(GlobalApplier::Id).running)
        throw Error(400, ErrorNum::ReplicationRunning,
                    QStringLiteral("cannot change the global applier's configuration while it "
                                   "runs: stop it first"));
    ApplierConfig merged = ApplierConfig::merged(globalConfig(), patch);
    merged.database.clear(); // every database of the leader
    const QByteArray stored = QJsonDocument(merged.toStored()).toJson(QJsonDocument::Compact);
    m_engine.write(
        [&](WriteTxn &t) { t.catalogTable().setApplierConfig(GlobalApplier::Id, stored); });
    QMutexLocker lock(&m_mutex);
    m_configs.insert(GlobalApplier::Id, merged);
    m_status[GlobalApplier::Id].endpoint = merged.endpoint;
    return merged;
}

QJsonObject ApplierManager::globalStateJson() const
{
    QMutexLocker lock(&m_mutex);
    ApplierStatus global = m_status.value(GlobalApplier::Id);
    const auto catalog = m_engine.catalog();
    QJsonArray databases;
    bool first = true;
    QList<qint64> ids(m_globalMembers.cbegin(), m_globalMembers.cend());
    std::sort(ids.begin(), ids.end());
    for (qint64 id : std::as_const(ids)) {
        const ApplierStatus s = m_status.value(id);
        const DatabaseInfo *db = catalog->database(id);
        const QString name = db ? db->name : s.database;
        databases.append(
            QJsonObject{{QStringLiteral("database"), name},
                        {QStringLiteral("state"),
                         s.toJson(m_engine.serverId()).value(QStringLiteral("state"))}});
        global.totalRequests += s.totalRequests;
        global.totalFailedConnects += s.totalFailedConnects;
        global.totalEvents += s.totalEvents;
        global.totalDocuments += s.totalDocuments;
        global.totalRemovals += s.totalRemovals;
        global.totalResyncs += s.totalResyncs;
        global.totalOperationsExcluded += s.totalOperationsExcluded;
        // Everything up to the smallest applied tick is applied in every database.
        if (s.hasTicks) {
            global.lastAppliedContinuousTick =
                first ? s.lastAppliedContinuousTick
                      : qMin(global.lastAppliedContinuousTick, s.lastAppliedContinuousTick);
            global.lastProcessedContinuousTick =
                first ? s.lastProcessedContinuousTick
                      : qMin(global.lastProcessedContinuousTick, s.lastProcessedContinuousTick);
            global.safeResumeTick = global.lastAppliedContinuousTick;
            global.lastAvailableContinuousTick =
                qMax(global.lastAvailableContinuousTick, s.lastAvailableContinuousTick);
            global.hasTicks = true;
            first = false;
        }
        // A database whose applier failed while the global one runs is the global error.
        if (global.running && !s.running && s.lastErrorNum != 0 &&
            s.lastErrorNum != ErrorNum::ReplicationApplierStopped && global.lastErrorNum == 0) {
            global.error(s.lastErrorNum,
                         QStringLiteral("database '%1': %2").arg(name, s.lastErrorMessage));
            global.lastErrorTime = s.lastErrorTime;
        }
    }
    QJsonObject out = global.toJson(m_engine.serverId());
    out.insert(QStringLiteral("database"), QString());
    out.insert(QStringLiteral("databases"), databases);
    return out;
}

QJsonObject ApplierManager::globalStart(std::optional<Tick> from)
{
    const ApplierConfig cfg = globalConfig();
    if (!cfg.hasValidEndpoint())
        throw Error(400, ErrorNum::ReplicationInvalidApplierConfiguration,
                    QStringLiteral("invalid replication applier configuration: the global "
                                   "applier has no valid endpoint (set one with PUT "
                                   "applier-config?global=true)"));
    runOnThread([this, cfg, from] {
        if (m_global)
            return;
        m_global = new GlobalApplier(*this, cfg, from, m_context);
        connect(m_global, &GlobalApplier::stopped, m_context, [this, g = m_global] {
            if (m_global == g)
                m_global = nullptr;
            g->deleteLater();
        });
        m_global->start();
    });
    return globalStateJson();
}

QJsonObject ApplierManager::globalStop()
{
    runOnThread([this] {
        if (m_global)
            m_global->stop(ErrorNum::ReplicationApplierStopped,
                           QStringLiteral("replication stopped: the global applier was stopped "
                                          "by the operator"));
    });
    return globalStateJson();
}

QJsonObject ApplierManager::globalForget()
{
    if (status(GlobalApplier::Id).running)
        throw Error(400, ErrorNum::ReplicationRunning,
                    QStringLiteral("cannot forget the global applier's state while it runs"));
    {
        QMutexLocker lock(&m_mutex);
        ApplierStatus &s = m_status[GlobalApplier::Id];
        const QString endpoint = s.endpoint;
        s = ApplierStatus{};
        s.endpoint = endpoint;
        m_globalMembers.clear();
    }
    return globalStateJson();
}

bool ApplierManager::startMember(const DatabaseInfo &db, const ApplierConfig &config,
                                 const ApplierState &state, std::optional<Tick> from)
{
    Q_ASSERT(QThread::currentThread() == &m_thread);
    if (m_appliers.contains(db.id))
        return false;
    {
        QMutexLocker lock(&m_mutex);
        m_configs.insert(db.id, config);
        m_persisted.insert(db.id, state);
        m_globalMembers.insert(db.id);
    }
    startOnThread(db, from);
    return true;
}

void ApplierManager::stopMember(qint64 db, int errorNum, const QString &message)
{
    Q_ASSERT(QThread::currentThread() == &m_thread);
    if (Applier *a = m_appliers.value(db))
        a->stop(errorNum, message);
}

} // namespace repl
