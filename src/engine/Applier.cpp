#include "engine/Applier.h"

#include "client/Endpoint.h"
#include "client/ReplicationClient.h"
#include "core/Clock.h"
#include "core/Error.h"
#include "core/LogEventType.h"
#include "engine/ApplierManager.h"
#include "engine/ApplyService.h"
#include "engine/DocumentService.h"
#include "engine/Engine.h"
#include "engine/Syncer.h"
#include "engine/WriteTxn.h"

#include <QJsonDocument>
#include <QLoggingCategory>

#include <chrono>

Q_LOGGING_CATEGORY(lcApplier, "repldesk.engine.applier", QtInfoMsg)

namespace repl {

namespace {
constexpr int LongPollWaitMs = 10000;
constexpr qint64 DefaultChunk = 16 * 1024 * 1024;

Tick headerTick(const client::HttpResult &r, const char *name)
{
    return parseTick(QString::fromLatin1(r.header(name))).value_or(0);
}
} // namespace

Applier::Applier(ApplierManager &manager, qint64 db, QString databaseName, ApplierConfig config,
                 ApplierState state, std::optional<Tick> from, QObject *parent)
    : QObject(parent)
    , m_manager(manager)
    , m_engine(manager.engine())
    , m_db(db)
    , m_dbName(std::move(databaseName))
    , m_config(std::move(config))
    , m_state(std::move(state))
    , m_startFrom(from)
{
    client::ClientSettings settings = client::ClientSettings::forEndpoint(
        m_config.endpoint, m_config.database, m_dbName, m_config.username, m_config.password,
        qMax(1.0, m_config.requestTimeout));
    settings.tls.protocol =
        client::sslProtocolFromArango(m_config.sslProtocol).value_or(QSsl::SecureProtocols);
    m_client = new client::ReplicationClient(settings, this);
    m_timer.setSingleShot(true);
}

Applier::~Applier() = default;

QString Applier::leaderName() const
{
    return m_client->describe();
}

void Applier::start()
{
    m_running = true;
    if (m_startFrom) {
        // Ticks up to the saved state were applied before: they are skipped, not re-applied.
        if (m_state.valid && m_state.lastApplied > *m_startFrom)
            m_replayUpTo = m_state.lastApplied;
        m_state.valid = true;
        m_state.lastApplied = *m_startFrom;
        m_state.lastProcessed = *m_startFrom;
    }
    m_state.endpoint = m_config.endpoint;
    // Resume after the last APPLIED tick: events of a leader transaction that was still open
    // when we stopped were processed but not applied, so they are fetched again.
    m_fetchFrom = m_state.lastApplied;
    m_state.lastProcessed = m_state.lastApplied;
    m_chainFailed = std::make_shared<std::atomic<bool>>(false);
    m_mapping = std::make_shared<ApplyService::Mapping>(m_state.mapping);
    m_manager.updateStatus(m_db, [&](ApplierStatus &st) {
        st = ApplierStatus{};
        st.running = true;
        st.phase = QStringLiteral("running");
        st.started = isoNow();
        st.endpoint = m_config.endpoint;
        st.database = m_client->settings().database;
        st.hasTicks = m_state.valid;
        st.lastAppliedContinuousTick = st.lastProcessedContinuousTick = st.safeResumeTick =
            m_state.lastApplied;
        st.progress(QStringLiteral("fetching leader state information from %1").arg(leaderName()));
    });
    checkLeader();
}

void Applier::stop(int errorNum, const QString &message)
{
    if (!m_running)
        return;
    m_running = false;
    m_timer.stop();
    m_client->abortAll();
    qCInfo(lcApplier).noquote() << "applier for" << m_dbName << "stopped:" << message;
    m_manager.updateStatus(m_db, [&](ApplierStatus &st) { st.markStopped(errorNum, message); });
    Q_EMIT stopped();
}

void Applier::checkLeader()
{
    m_client->get(
        QStringLiteral("/_api/replication/server-id"), {}, this,
        [this](const client::HttpResult &r) {
            if (!m_running)
                return;
            m_manager.updateStatus(m_db, [](ApplierStatus &st) { ++st.totalRequests; });
            if (!r.answered())
                return connectionFailed(r, [this] { checkLeader(); });
            if (!r.ok())
                return leaderError(r, QStringLiteral("server-id"));
            const QString leaderId = QJsonDocument::fromJson(r.body)
                                         .object()
                                         .value(QStringLiteral("serverId"))
                                         .toString();
            if (leaderId.isEmpty())
                return stop(ErrorNum::ReplicationInvalidResponse,
                            QStringLiteral("invalid response from leader at %1: no serverId")
                                .arg(leaderName()));
            if (leaderId == m_engine.serverId())
                return stop(
                    ErrorNum::ReplicationLoop,
                    QStringLiteral(
                        "loop detected: the endpoint %1 is this server itself (serverId %2)")
                        .arg(m_config.endpoint, leaderId));
            if (!m_state.leaderServerId.isEmpty() && m_state.leaderServerId != leaderId &&
                !m_startFrom)
                return stop(
                    ErrorNum::ReplicationLeaderChange,
                    QStringLiteral("leader change: %1 now has serverId %2, the applied state "
                                   "belongs to serverId %3; run a sync or forget the applier "
                                   "state")
                        .arg(leaderName(), leaderId, m_state.leaderServerId));
            m_state.leaderServerId = leaderId;
            m_failedConnects = 0;
            // Long-poll is our extension: only repldesk servers answer it.
            m_client->get(QStringLiteral("/_api/version"), {}, this,
                          [this](const client::HttpResult &v) {
                              if (!m_running)
                                  return;
                              m_longPoll = v.ok() && QJsonDocument::fromJson(v.body)
                                                             .object()
                                                             .value(QStringLiteral("server"))
                                                             .toString() == u"repldesk";
                              m_manager.updateStatus(m_db, [](ApplierStatus &st) {
                                  st.progress(QStringLiteral("following the leader's log"));
                              });
                              fetch();
                          });
        });
}

void Applier::fetch()
{
    if (!m_running || m_fetching || m_resyncing)
        return;
    m_fetching = true;
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("from"), tickString(m_fetchFrom));
    q.addQueryItem(QStringLiteral("serverId"), m_engine.serverId());
    q.addQueryItem(QStringLiteral("chunkSize"),
                   QString::number(m_config.chunkSize > 0 ? m_config.chunkSize : DefaultChunk));
    q.addQueryItem(QStringLiteral("includeSystem"),
                   m_config.includeSystem ? QStringLiteral("true") : QStringLiteral("false"));
    if (m_longPoll)
        q.addQueryItem(QStringLiteral("waitMs"), QString::number(LongPollWaitMs));
    m_client->get(
        QStringLiteral("/_api/replication/logger-follow"), q, this,
        [this](const client::HttpResult &r) { onFollow(r); },
        int(qMax(1.0, m_config.requestTimeout) * 1000) + LongPollWaitMs);
}

void Applier::onFollow(const client::HttpResult &r)
{
    m_fetching = false;
    if (!m_running)
        return;
    m_manager.updateStatus(m_db, [](ApplierStatus &st) { ++st.totalRequests; });
    ReplicationCounters &counters = m_manager.counters();
    ReplicationCounters::add(counters.tailingRequests, 1);
    ReplicationCounters::addMs(counters.tailingRequestMicros, r.elapsedMs);
    ReplicationCounters::add(counters.tailingBytesReceived, r.body.size());
    if (!r.answered())
        return connectionFailed(r, [this] { checkLeader(); });
    if (r.status != 200 && r.status != 204)
        return leaderError(r, QStringLiteral("logger-follow"));
    m_failedConnects = 0;
    const Tick lastTick = headerTick(r, "x-arango-replication-lasttick");
    const Tick lastIncluded = headerTick(r, "x-arango-replication-lastincluded");
    const bool more = r.header("x-arango-replication-checkmore") == "true";
    if (r.header("x-arango-replication-frompresent") == "false" && m_fetchFrom > 0) {
        ReplicationCounters::add(counters.tailingFollowTickFailures, 1);
        // autoResync wins: the operator asked to recover by a full copy.
        if (m_config.autoResync)
            return resync();
        if (m_config.requireFromPresent)
            return stop(ErrorNum::ReplicationStartTickNotPresent,
                        QStringLiteral("start tick not present: the leader %1 no longer holds "
                                       "tick %2 in its log (retention pruned it); run a sync, "
                                       "then start the applier from its tick")
                            .arg(leaderName())
                            .arg(m_fetchFrom));
        qCWarning(lcApplier) << "leader no longer has tick" << m_fetchFrom
                             << "; continuing (requireFromPresent is false)";
    }
    m_manager.updateStatus(m_db, [&](ApplierStatus &st) {
        st.lastAvailableContinuousTick = qMax(lastTick, st.lastAvailableContinuousTick);
        st.failedConnects = 0;
    });
    if (r.status == 204 || r.body.isEmpty()) {
        m_manager.updateStatus(m_db, [&](ApplierStatus &st) {
            st.lastAvailableContinuousTick = lastTick;
            st.hasTicks = true;
        });
        return continueAfter(false);
    }
    // Parse; buffer leader transactions until their commit.
    QList<Event> ready = std::move(m_pending);
    m_pending.clear();
    Tick processed = m_fetchFrom;
    qsizetype start = 0;
    qint64 markers = 0;
    while (start < r.body.size()) {
        qsizetype end = r.body.indexOf('\n', start);
        if (end < 0)
            end = r.body.size();
        const QByteArrayView line = QByteArrayView(r.body).sliced(start, end - start);
        start = end + 1;
        if (line.trimmed().isEmpty())
            continue;
        ++markers;
        Event e;
        if (std::optional<LogDocumentRecord> fast = parseOwnLogLine(line)) {
            e.tick = fast->tick;
            e.type = fast->type;
            e.tid = fast->tid;
            e.doc = std::move(fast);
        } else {
            QJsonParseError err{};
            const QJsonDocument d = QJsonDocument::fromJson(line.toByteArray(), &err);
            if (!d.isObject())
                return stop(ErrorNum::ReplicationInvalidResponse,
                            QStringLiteral("invalid response from leader at %1: a log line is not "
                                           "JSON (%2)")
                                .arg(leaderName(), err.errorString()));
            e.json = d.object();
            e.tick = parseTick(e.json.value(QStringLiteral("tick")).toString()).value_or(0);
            e.type = e.json.value(QStringLiteral("type")).toInt();
            e.tid = parseTick(e.json.value(QStringLiteral("tid")).toString()).value_or(0);
        }
        processed = qMax(processed, e.tick);
        if (e.type == int(LogEventType::TransactionStart)) {
            m_openTid = e.tid ? e.tid : e.tick;
            m_openEvents = {std::move(e)};
        } else if (e.type == int(LogEventType::TransactionCommit) && m_openTid &&
                   e.tid == m_openTid) {
            m_openEvents.append(std::move(e));
            ready += m_openEvents;
            m_openEvents.clear();
            m_openTid = 0;
        } else if (e.type == int(LogEventType::TransactionAbort) && m_openTid &&
                   e.tid == m_openTid) {
            m_openEvents.clear(); // 2202: the leader rolled it back
            m_openTid = 0;
        } else if (m_openTid) {
            m_openEvents.append(std::move(e));
        } else {
            ready.append(std::move(e));
        }
    }
    ReplicationCounters::add(counters.tailingMarkers, markers);
    if (lastIncluded > 0)
        processed = qMax(processed, lastIncluded);
    m_fetchFrom = processed;
    applyBatch(std::move(ready), processed, more);
    if (more && m_jobsInFlight < 2)
        fetch(); // overlaps the network with the write just queued
}

void Applier::applyBatch(QList<Event> ready, Tick processed, bool more)
{
    // Resume point: before an open transaction's start, so it is fetched whole again.
    const Tick safe = m_openTid ? m_openEvents.value(0).tick - 1 : processed;
    ApplierState next = m_state;
    next.valid = true;
    next.lastApplied = qMax(m_state.lastApplied, safe);
    next.lastProcessed = processed;
    auto stats = std::make_shared<ApplyService::Stats>();
    const qint64 db = m_db;
    const ApplierConfig config = m_config;
    // Jobs run one after another on the writer, so they can share one mapping.
    auto mapping = m_mapping;
    const Tick replayUpTo = m_replayUpTo;
    auto mappingAfter = std::make_shared<ApplyService::Mapping>(); // the job's snapshot
    auto chainFailed = m_chainFailed; // a failed job fails every job queued behind it
    auto applyTime = std::make_shared<std::chrono::steady_clock::duration>();
    ++m_jobsInFlight;
    m_engine.writeThen(
        [=, ready = std::move(ready)](WriteTxn &t) mutable {
            const auto began = std::chrono::steady_clock::now();
            t.setRemote(true);
            if (chainFailed->load())
                throw Error(500, ErrorNum::Internal,
                            QStringLiteral("an earlier batch of the leader's log failed"));
            if (!t.catalog().database(db)) {
                chainFailed->store(true);
                throw Error(404, ErrorNum::DatabaseNotFound);
            }
            std::optional<DocumentService::LoggedTransaction> trx;
            ApplyService::TargetCache target;
            struct FailGuard
            {
                std::shared_ptr<std::atomic<bool>> flag;
                bool done = false;
                ~FailGuard()
                {
                    if (!done)
                        flag->store(true);
                }
            } guard{chainFailed};
            for (const Event &e : ready) {
                if (e.type == int(LogEventType::TransactionStart)) {
                    trx.emplace(t, db);
                    ++stats->events;
                    continue;
                }
                if (e.type == int(LogEventType::TransactionCommit)) {
                    if (trx)
                        trx->commit();
                    trx.reset();
                    ++stats->events;
                    continue;
                }
                const Tick tid = trx ? trx->tid() : 0;
                // Ticks this follower applied before (applier-start?from= an older tick): its
                // data already reflects them and whatever followed (renames, truncates,
                // drops), so they are not applied twice. Forget the applier state first to
                // re-apply on purpose.
                if (e.tick <= replayUpTo) {
                    ++stats->events;
                    continue;
                }
                if (e.doc) {
                    ApplyService::applyDocument(t, db, *e.doc, *mapping, config, *stats, tid,
                                                &target);
                } else {
                    ApplyService::applyEvent(t, db, e.json, *mapping, config, *stats, tid);
                    target = {}; // the catalog may have changed
                }
            }
            ApplierState persisted = next;
            persisted.mapping = *mapping;
            *mappingAfter = *mapping;
            guard.done = true;
            t.catalogTable().setApplierState(
                db, QJsonDocument(persisted.toJson()).toJson(QJsonDocument::Compact));
            *applyTime = std::chrono::steady_clock::now() - began;
        },
        this,
        [this, next, stats, mappingAfter, applyTime, more](std::exception_ptr error) {
            --m_jobsInFlight;
            if (error && !m_running)
                return;
            if (error) {
                try {
                    std::rethrow_exception(error);
                } catch (const Error &e) {
                    return stop(
                        e.errorNum(),
                        QStringLiteral("applying the leader's log failed: %1").arg(e.message()));
                } catch (const std::exception &e) {
                    return stop(ErrorNum::Internal, QString::fromUtf8(e.what()));
                }
            }
            m_state.valid = true;
            m_state.lastApplied = qMax(m_state.lastApplied, next.lastApplied);
            m_state.lastProcessed = qMax(m_state.lastProcessed, next.lastProcessed);
            m_state.leaderServerId = next.leaderServerId;
            m_state.mapping = *mappingAfter;
            m_manager.setPersisted(m_db, m_state);
            ReplicationCounters &counters = m_manager.counters();
            ReplicationCounters::add(counters.tailingDocuments, stats->documents);
            ReplicationCounters::add(counters.tailingRemovals, stats->removals);
            ReplicationCounters::addElapsed(counters.tailingApplyMicros, *applyTime);
            m_manager.updateStatus(m_db, [&](ApplierStatus &st) {
                st.hasTicks = true;
                st.lastAppliedContinuousTick = m_state.lastApplied;
                st.lastProcessedContinuousTick = m_state.lastProcessed;
                st.safeResumeTick = m_state.lastApplied;
                st.lastAvailableContinuousTick =
                    qMax(st.lastAvailableContinuousTick, m_state.lastProcessed);
                st.totalEvents += stats->events;
                st.totalDocuments += stats->documents;
                st.totalRemovals += stats->removals;
                st.totalOperationsExcluded += stats->excluded;
            });
            if (m_running)
                continueAfter(more);
        });
}

void Applier::continueAfter(bool more)
{
    if (!m_running || m_fetching)
        return;
    if (more || m_longPoll) {
        m_idleMs = 0;
        fetch(); // more right now, or the leader holds the next call until there is
        return;
    }
    const int minMs = int(m_config.idleMinWaitTime * 1000);
    const int maxMs = int(m_config.idleMaxWaitTime * 1000);
    m_idleMs = !m_config.adaptivePolling ? minMs
               : m_idleMs == 0           ? minMs
                                         : qMin(maxMs, m_idleMs * 2);
    m_timer.disconnect();
    connect(&m_timer, &QTimer::timeout, this, &Applier::fetch);
    m_timer.start(m_idleMs);
}

void Applier::connectionFailed(const client::HttpResult &r, const std::function<void()> &retry)
{
    ReplicationCounters::add(m_manager.counters().failedConnects, 1);
    // A certificate that is refused stays refused: trying again changes nothing until an
    // operator acts, and lastError says what to do.
    if (r.tls.isSet())
        return stop(ErrorNum::ReplicationNoResponse,
                    QStringLiteral("cannot connect to the leader at %1: %2")
                        .arg(leaderName(), r.errorString));
    ++m_failedConnects;
    const qint64 attempts = m_failedConnects;
    m_manager.updateStatus(m_db, [&](ApplierStatus &st) {
        ++st.totalFailedConnects;
        st.failedConnects = attempts;
        st.progress(QStringLiteral("cannot reach the leader at %1 (%2); retry %3 of %4")
                        .arg(leaderName(), r.errorString)
                        .arg(attempts)
                        .arg(m_config.maxConnectRetries));
    });
    if (attempts > m_config.maxConnectRetries)
        return stop(ErrorNum::ReplicationNoResponse,
                    QStringLiteral("no response from the leader at %1: %2 (gave up after %3 "
                                   "attempts; check that it runs and is reachable)")
                        .arg(leaderName(), r.errorString)
                        .arg(attempts));
    m_timer.disconnect();
    connect(&m_timer, &QTimer::timeout, this, retry);
    m_timer.start(int(m_config.connectionRetryWaitTime * 1000));
}

void Applier::leaderError(const client::HttpResult &r, const QString &what)
{
    stop(ErrorNum::ReplicationLeaderError,
         QStringLiteral("got invalid response from leader at %1 for %2: HTTP %3: %4")
             .arg(leaderName(), what)
             .arg(r.status)
             .arg(r.serverMessage()));
}

void Applier::resync()
{
    if (m_resyncs >= m_config.autoResyncRetries)
        return stop(ErrorNum::ReplicationStartTickNotPresent,
                    QStringLiteral("start tick not present on the leader %1 and %2 automatic "
                                   "resyncs did not help; run a sync by hand")
                        .arg(leaderName())
                        .arg(m_resyncs));
    ++m_resyncs;
    m_resyncing = true; // no fetch (nor a second resync) until this one is done
    m_manager.updateStatus(m_db, [](ApplierStatus &st) { ++st.totalResyncs; });
    SyncRequest request;
    request.endpoint = m_config.endpoint;
    request.database = m_client->settings().database;
    request.username = m_config.username;
    request.password = m_config.password;
    request.includeSystem = m_config.includeSystem;
    request.restrictType = m_config.restrictType;
    request.restrictCollections = m_config.restrictCollections;
    request.initialSyncMaxWaitTime = m_config.initialSyncMaxWaitTime;
    request.sslProtocol = m_config.sslProtocol;
    auto *syncer = new Syncer(m_manager, m_db, m_dbName, request, this);
    syncer->start([this, syncer](const Syncer::Outcome &o) {
        syncer->deleteLater();
        m_resyncing = false;
        if (!m_running)
            return;
        if (o.error) {
            try {
                std::rethrow_exception(o.error);
            } catch (const Error &e) {
                return stop(e.errorNum(),
                            QStringLiteral("automatic resync failed: %1").arg(e.message()));
            } catch (...) {
                return stop(ErrorNum::Internal, QStringLiteral("automatic resync failed"));
            }
        }
        m_state = m_manager.persisted(m_db);
        m_fetchFrom = m_state.lastApplied;
        m_mapping = std::make_shared<ApplyService::Mapping>(m_state.mapping);
        m_openTid = 0;
        m_openEvents.clear();
        m_pending.clear();
        m_manager.updateStatus(m_db, [&](ApplierStatus &st) {
            st.phase = QStringLiteral("running");
            st.lastAppliedContinuousTick = st.lastProcessedContinuousTick = st.safeResumeTick =
                m_state.lastApplied;
            st.progress(QStringLiteral("resynced from the leader; following its log from tick %1")
                            .arg(m_state.lastApplied));
        });
        fetch();
    });
}

} // namespace repl
