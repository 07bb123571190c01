#include "engine/SyncerParts.h"

#include "engine/RestorePointService.h"

#include "client/Endpoint.h"
#include "client/ReplicationClient.h"
#include "core/Error.h"
#include "engine/ApplyService.h"
#include "engine/DocumentService.h"
#include "engine/Engine.h"
#include "engine/SchemaService.h"
#include "engine/SyncStaging.h"
#include "engine/WriteTxn.h"

#include <QJsonDocument>
#include <QLoggingCategory>

#include <mutex>
#include <optional>

Q_LOGGING_CATEGORY(lcSyncer, "repldesk.engine.syncer", QtInfoMsg)

namespace repl {

using namespace syncer;

namespace {
ApplierConfig restrictionOf(const SyncRequest &r)
{
    ApplierConfig c;
    c.includeSystem = r.includeSystem;
    c.restrictType = r.restrictType;
    c.restrictCollections = r.restrictCollections;
    return c;
}
} // namespace

Syncer::Syncer(ApplierManager &manager, qint64 db, QString databaseName, SyncRequest request,
               QObject *parent)
    : QObject(parent)
    , m_manager(manager)
    , m_engine(manager.engine())
    , m_db(db)
    , m_dbName(std::move(databaseName))
    , m_request(std::move(request))
    , m_feeder(std::make_shared<Feeder>())
{
    client::ClientSettings settings = client::ClientSettings::forEndpoint(
        m_request.endpoint, m_request.database, m_dbName, m_request.username, m_request.password,
        qMax(10.0, m_request.initialSyncMaxWaitTime));
    settings.tls.protocol =
        client::sslProtocolFromArango(m_request.sslProtocol).value_or(QSsl::SecureProtocols);
    m_client = new client::ReplicationClient(settings, this);
}

Syncer::~Syncer()
{
    {
        std::lock_guard lock(m_feeder->mutex);
        m_feeder->stopped = true; // a running copy job queues no successor
    }
    // Destroyed before it finished (server shutting down): the caller must not wait forever.
    // Staging left behind is dropped when the server starts next.
    if (m_done) {
        if (!m_outcome.error)
            m_outcome.error = std::make_exception_ptr(
                Error(503, ErrorNum::ReplicationNoResponse,
                      QStringLiteral("sync cancelled: the server is shutting down")));
        finish();
    }
}

void Syncer::start(Done done)
{
    m_done = std::move(done);
    if (!m_request.dryRun) // a preview leaves the applier's status alone
        m_manager.updateStatus(m_db, [&](ApplierStatus &st) {
            st.phase = QStringLiteral("syncing");
            st.syncCollectionsDone = st.syncCollectionsTotal = st.syncDocuments =
                st.syncDocumentsTotal = 0;
            st.progress(
                QStringLiteral("sync: asking %1 for its server id").arg(m_client->describe()));
        });
    m_client->get(QStringLiteral("/_api/replication/server-id"), {}, this,
                  [this](const client::HttpResult &r) {
                      if (!r.ok())
                          return failHttp(r, QStringLiteral("server-id"));
                      m_outcome.leaderServerId = QJsonDocument::fromJson(r.body)
                                                     .object()
                                                     .value(QStringLiteral("serverId"))
                                                     .toString();
                      if (m_outcome.leaderServerId == m_engine.serverId())
                          return fail(ErrorNum::ReplicationLoop,
                                      QStringLiteral("loop detected: %1 is this server itself")
                                          .arg(m_request.endpoint));
                      fetchInventory();
                  });
}

void Syncer::fetchInventory()
{
    if (!m_request.dryRun)
        m_manager.updateStatus(m_db, [&](ApplierStatus &st) {
            st.progress(QStringLiteral("sync: fetching the leader's inventory"));
        });
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("includeSystem"),
                   m_request.includeSystem ? QStringLiteral("true") : QStringLiteral("false"));
    m_client->get(
        QStringLiteral("/_api/replication/inventory"), q, this,
        [this](const client::HttpResult &r) {
            if (!r.ok())
                return failHttp(r, QStringLiteral("inventory"));
            const QJsonObject inv = QJsonDocument::fromJson(r.body).object();
            if (!inv.value(QStringLiteral("collections")).isArray())
                return fail(ErrorNum::ReplicationInvalidResponse,
                            QStringLiteral(
                                "invalid response from leader at %1: inventory without collections")
                                .arg(m_client->describe()));
            const QJsonObject state = inv.value(QStringLiteral("state")).toObject();
            m_outcome.leaderTick =
                parseTick(state.value(QStringLiteral("lastLogTick")).toString())
                    .value_or(parseTick(inv.value(QStringLiteral("tick")).toString()).value_or(0));
            const ApplierConfig restriction = restrictionOf(m_request);
            for (const QJsonValue &v : inv.value(QStringLiteral("collections")).toArray()) {
                const QString name =
                    v[QStringLiteral("parameters")][QStringLiteral("name")].toString();
                if (!name.isEmpty() && restriction.includes(name))
                    m_outcome.leaderCollections.append(v);
            }
            if (m_request.dryRun) {
                finish();
                return;
            }
            beginCopy();
        });
}

void Syncer::beginCopy()
{
    qint64 expected = 0;
    for (const QJsonValue &v : std::as_const(m_outcome.leaderCollections))
        expected += qint64(v[QStringLiteral("parameters")][QStringLiteral("count")].toDouble());
    const qint64 total = m_outcome.leaderCollections.size();
    m_manager.updateStatus(m_db, [&](ApplierStatus &st) {
        st.syncCollectionsTotal = total;
        st.syncDocumentsTotal = expected;
        st.progress(QStringLiteral("sync: creating the staging collections"));
    });
    // One job creates every staging collection with its indexes.
    auto id = std::make_shared<qint64>(0);
    auto mapping = std::make_shared<ApplyService::Mapping>();
    const qint64 db = m_db;
    const QJsonArray entries = m_outcome.leaderCollections;
    m_preparing = true;
    m_engine.writeThen(
        [id, mapping, db, entries](WriteTxn &t) {
            if (!t.catalog().database(db))
                throw Error(404, ErrorNum::DatabaseNotFound);
            *id = qint64(t.nextTick());
            for (const QJsonValue &entry : entries)
                SyncStaging::create(t, db, *id, entry.toObject(), *mapping);
        },
        this,
        [this, id, mapping](std::exception_ptr error) {
            m_preparing = false;
            if (error) {
                m_outcome.error = error;
                m_failed = true;
                return finish();
            }
            m_stagingId = *id;
            m_mapping = *mapping;
            if (m_failed)
                return cleanUp();
            m_collectionIndex = -1;
            dumpNext();
        });
}

void Syncer::dumpNext()
{
    if (m_failed)
        return;
    ++m_collectionIndex;
    if (m_collectionIndex >= m_outcome.leaderCollections.size()) {
        m_dumped = true;
        swapInWhenCopied();
        return;
    }
    const QJsonObject entry = m_outcome.leaderCollections.at(m_collectionIndex).toObject();
    const int index = m_collectionIndex;
    m_manager.updateStatus(m_db, [&](ApplierStatus &st) {
        st.syncCollectionsDone = index;
        st.progress(QStringLiteral("sync: copying collection '%1' (%2 of %3)")
                        .arg(entry[QStringLiteral("parameters")][QStringLiteral("name")].toString())
                        .arg(index + 1)
                        .arg(st.syncCollectionsTotal));
    });
    dumpChunk(0);
}

void Syncer::dumpChunk(Tick from)
{
    const QString name =
        m_outcome.leaderCollections
            .at(m_collectionIndex)[QStringLiteral("parameters")][QStringLiteral("name")]
            .toString();
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("collection"), name);
    q.addQueryItem(QStringLiteral("from"), tickString(from));
    q.addQueryItem(QStringLiteral("chunkSize"), QString::number(DumpChunk));
    q.addQueryItem(QStringLiteral("includeSystem"), QStringLiteral("true"));
    m_client->get(
        QStringLiteral("/_api/replication/dump"), q, this,
        [this, name, from](client::HttpResult &r) {
            ReplicationCounters &counters = m_manager.counters();
            ReplicationCounters::add(counters.dumpRequests, 1);
            ReplicationCounters::addMs(counters.dumpRequestMicros, r.elapsedMs);
            ReplicationCounters::add(counters.dumpBytesReceived, r.body.size());
            if (m_failed)
                return;
            if (r.status == 204)
                return dumpNext();
            if (r.status != 200)
                return failHttp(r, QStringLiteral("dump of '%1'").arg(name));
            Tick last = from;
            std::shared_ptr<Item> itemPtr = parseChunk(name, std::move(r.body), last);
            if (!itemPtr)
                return fail(
                    ErrorNum::ReplicationInvalidResponse,
                    QStringLiteral(
                        "invalid response from leader at %1: a dump line of '%2' is not JSON")
                        .arg(m_client->describe(), name));
            ReplicationCounters::add(counters.dumpDocuments, qint64(itemPtr->docs.size()));
            const Tick included =
                parseTick(QString::fromLatin1(r.header("x-arango-replication-lastincluded")))
                    .value_or(0);
            const Tick next = included ? included : last;
            if (r.header("x-arango-replication-checkmore") == "true" && next > from)
                parsed(std::move(itemPtr), [this, next] { dumpChunk(next); });
            else
                parsed(std::move(itemPtr), [this] { dumpNext(); });
        });
}

void Syncer::swapIn()
{
    m_swapping = true;
    m_manager.updateStatus(m_db, [&](ApplierStatus &st) {
        st.syncCollectionsDone = st.syncCollectionsTotal;
        st.progress(QStringLiteral("sync: swapping the copied collections in"));
    });
    QStringList names;
    for (const QJsonValue &v : std::as_const(m_outcome.leaderCollections))
        names.append(v[QStringLiteral("parameters")][QStringLiteral("name")].toString());
    ApplierState state;
    state.valid = true;
    state.lastApplied = state.lastProcessed = m_outcome.leaderTick;
    state.leaderServerId = m_outcome.leaderServerId;
    state.endpoint = m_request.endpoint;
    state.mapping = m_mapping;
    auto finalState = std::make_shared<ApplierState>(state);
    auto synced = std::make_shared<QJsonArray>();
    auto kept = std::make_shared<RestorePointService::Pending>();
    const QString leader =
        client::ClientSettings::forEndpoint(m_request.endpoint, {}, {}, {}, {}, 1).base.toString();
    const qint64 db = m_db, id = m_stagingId;
    m_engine.writeThen(
        [=](WriteTxn &t) {
            t.setRemote(true);
            if (!t.catalog().database(db))
                throw Error(404, ErrorNum::DatabaseNotFound);
            *synced = SyncStaging::swapIn(t, db, id, names, *kept);
            RestorePointService::record(t, db, *kept, leader);
            t.catalogTable().setApplierState(
                db, QJsonDocument(finalState->toJson()).toJson(QJsonDocument::Compact));
        },
        this,
        [this, synced, finalState, kept](std::exception_ptr error) {
            m_swapping = false;
            if (error) {
                m_outcome.error = error;
                m_failed = true;
                return cleanUp();
            }
            m_stagingId = 0; // swapped in: nothing to clean
            m_outcome.synced = *synced;
            m_manager.setPersisted(m_db, *finalState);
            if (kept->id) {
                // The point's size is measured on a reader afterwards, then the size retention
                // applies; the sync's answer does not wait for it.
                Engine *engine = &m_engine;
                m_engine.submit([engine, db = m_db, id = kept->id](storage::Connection &reader) {
                    try {
                        const qint64 bytes =
                            RestorePointService::measure(reader, *engine->catalog(), db, id);
                        engine->write(
                            [&](WriteTxn &t) { RestorePointService::settle(t, db, id, bytes); });
                    } catch (const std::exception &e) {
                        qCWarning(lcSyncer)
                            << "measuring restore point" << id << "failed:" << e.what();
                    }
                });
            }
            finish();
        });
}

void Syncer::fail(int errorNum, const QString &message)
{
    if (m_failed)
        return;
    m_failed = true;
    if (!m_outcome.error) // a write job's own error is kept as it is
        m_outcome.error = std::make_exception_ptr(Error(500, errorNum, message));
    try {
        std::rethrow_exception(m_outcome.error);
    } catch (const std::exception &e) {
        qCWarning(lcSyncer).noquote() << "sync of" << m_dbName << "failed:" << e.what();
    }
    {
        std::lock_guard lock(m_feeder->mutex);
        m_feeder->stopped = true;
        m_feeder->batches.clear();
    }
    m_fetch = nullptr;
    m_client->abortAll();
    cleanUpWhenIdle();
}

void Syncer::cleanUp()
{
    if (std::exchange(m_cleaning, true))
        return;
    if (!m_stagingId)
        return finish();
    const qint64 db = m_db, id = std::exchange(m_stagingId, 0);
    m_manager.updateStatus(m_db, [&](ApplierStatus &st) {
        st.progress(QStringLiteral("sync: dropping the staging collections"));
    });
    m_engine.writeThen([db, id](WriteTxn &t) { SyncStaging::discard(t, db, id); }, this,
                       [this](std::exception_ptr error) {
                           if (error) // dropped at the next start instead
                               qCWarning(lcSyncer) << "dropping the staging collections failed";
                           finish();
                       });
}

void Syncer::failHttp(const client::HttpResult &r, const QString &what)
{
    if (!r.answered()) {
        ReplicationCounters::add(m_manager.counters().failedConnects, 1);
        return fail(ErrorNum::ReplicationNoResponse,
                    QStringLiteral("no response from leader at %1 for %2: %3")
                        .arg(m_client->describe(), what, r.errorString));
    }
    if (r.ok())
        return fail(ErrorNum::ReplicationInvalidResponse,
                    QStringLiteral("invalid response from leader at %1 for %2")
                        .arg(m_client->describe(), what));
    fail(ErrorNum::ReplicationLeaderError,
         QStringLiteral("got invalid response from leader at %1 for %2: HTTP %3: %4")
             .arg(m_client->describe(), what)
             .arg(r.status)
             .arg(r.serverMessage()));
}

void Syncer::finish()
{
    if (!m_done)
        return;
    Done done = std::move(m_done);
    m_done = nullptr;
    done(m_outcome);
}

} // namespace repl
