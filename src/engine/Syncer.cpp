#include "engine/Syncer.h"

#include "engine/RestorePointService.h"

#include "client/Endpoint.h"
#include "client/ReplicationClient.h"
#include "core/DumpLine.h"
#include "core/Error.h"
#include "core/LogEventType.h"
#include "engine/ApplyService.h"
#include "engine/BlockingQueue.h"
#include "engine/DocumentService.h"
#include "engine/Engine.h"
#include "engine/SchemaService.h"
#include "engine/WriteTxn.h"

#include <QJsonDocument>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcSyncer, "repldesk.engine.syncer", QtInfoMsg)

namespace repl {

struct Syncer::Item
{
    QJsonObject collection; // inventory entry {parameters, indexes}: recreate it
    QString name;           // documents for this collection
    QByteArray chunk;       // the dump response the fast path's views point into
    struct Doc
    {
        bool sliced = false; // a repldesk leader's line: `fast` holds views into `chunk`
        DumpRecord fast;
        // Any other leader: the parsed line.
        QString key;
        QByteArray rev;
        QJsonObject data;
    };
    std::vector<Doc> docs;
};

namespace {
constexpr qint64 DumpChunk = 8 * 1024 * 1024;

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
{
    m_client = new client::ReplicationClient(
        client::ClientSettings::forEndpoint(m_request.endpoint, m_request.database, m_dbName,
                                            m_request.username, m_request.password,
                                            qMax(10.0, m_request.initialSyncMaxWaitTime)),
        this);
}

Syncer::~Syncer()
{
    if (m_queue)
        m_queue->abort();
    // Destroyed before it finished (server shutting down): the caller must not wait forever.
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
    });
    m_queue = std::make_shared<BlockingQueue<Item>>();
    auto queue = m_queue;
    const qint64 db = m_db;
    ApplierState state;
    state.valid = true;
    state.lastApplied = state.lastProcessed = m_outcome.leaderTick;
    state.leaderServerId = m_outcome.leaderServerId;
    state.endpoint = m_request.endpoint;
    auto synced = std::make_shared<QJsonArray>();
    auto finalState = std::make_shared<ApplierState>(state);
    m_jobRunning = true;
    auto kept = std::make_shared<RestorePointService::Pending>();
    const QString leader =
        client::ClientSettings::forEndpoint(m_request.endpoint, {}, {}, {}, {}, 1).base.toString();
    m_engine.writeThen(
        [queue, db, synced, finalState, kept, leader](WriteTxn &t) {
            t.setRemote(true);
            if (!t.catalog().database(db))
                throw Error(404, ErrorNum::DatabaseNotFound);
            ApplyService::Mapping &mapping = finalState->mapping;
            while (std::optional<Item> item = queue->pop()) {
                if (!item->collection.isEmpty()) {
                    const QJsonObject p =
                        item->collection.value(QStringLiteral("parameters")).toObject();
                    // What the leader's copy replaces is kept aside as a restore point.
                    if (const CollectionInfo *old =
                            t.catalog().collection(db, p.value(QStringLiteral("name")).toString()))
                        RestorePointService::keepAside(t, *old, *kept);
                    const CollectionInfo c = ApplyService::recreateCollection(t, db, p);
                    QString leaderCid = p.value(QStringLiteral("cid")).toString();
                    if (leaderCid.isEmpty())
                        leaderCid = p.value(QStringLiteral("id")).toString();
                    mapping.collections.insert(leaderCid, c.name);
                    for (const QJsonValue &idx :
                         item->collection.value(QStringLiteral("indexes")).toArray()) {
                        const QJsonObject def = idx.toObject();
                        const QString type = def.value(QStringLiteral("type")).toString();
                        if (type == u"primary" || type == u"edge")
                            continue;
                        const auto r = SchemaService::createIndex(t, c.cid, def);
                        mapping.indexes.insert(
                            def.value(QStringLiteral("id")).toString().section(u'/', -1),
                            r.index.id);
                    }
                    synced->append(QJsonObject{{QStringLiteral("id"), QString::number(c.cid)},
                                               {QStringLiteral("name"), c.name}});
                    continue;
                }
                const CollectionInfo *c = t.catalog().collection(db, item->name);
                if (!c)
                    throw Error(500, ErrorNum::Internal,
                                QStringLiteral("sync lost collection %1").arg(item->name));
                const CollectionInfo coll = *c;
                for (const Item::Doc &d : item->docs) {
                    if (d.sliced)
                        DocumentService::storeLeaderVersion(t, coll, d.fast.key, d.fast.rev, {},
                                                            d.fast.body, d.fast.deleted);
                    else
                        ApplyService::storeVersion(t, coll, d.key, d.rev, {}, d.data,
                                                   d.fast.deleted, 0);
                }
            }
            if (queue->aborted())
                throw Error(500, ErrorNum::ReplicationNoResponse, QStringLiteral("sync aborted"));
            RestorePointService::record(t, db, *kept, leader,
                                        RestorePointService::DefaultRetention);
            t.catalogTable().setApplierState(
                db, QJsonDocument(finalState->toJson()).toJson(QJsonDocument::Compact));
        },
        this,
        [this, synced, finalState](std::exception_ptr error) {
            m_jobRunning = false;
            if (m_failed) {
                finish();
                return;
            }
            if (error) {
                m_outcome.error = error;
                finish();
                return;
            }
            m_outcome.synced = *synced;
            m_manager.setPersisted(m_db, *finalState);
            finish();
        });
    m_collectionIndex = -1;
    dumpNext();
}

void Syncer::dumpNext()
{
    if (m_failed)
        return;
    ++m_collectionIndex;
    if (m_collectionIndex >= m_outcome.leaderCollections.size()) {
        m_queue->close();
        m_manager.updateStatus(
            m_db, [&](ApplierStatus &st) { st.progress(QStringLiteral("sync: committing")); });
        return;
    }
    const QJsonObject entry = m_outcome.leaderCollections.at(m_collectionIndex).toObject();
    Item item;
    item.collection = entry;
    m_queue->push(std::move(item));
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
            if (m_failed)
                return;
            if (r.status == 204)
                return dumpNext();
            if (r.status != 200)
                return failHttp(r, QStringLiteral("dump of '%1'").arg(name));
            Item item;
            item.name = name;
            item.chunk = std::move(r.body);        // taken over, not copied
            char *const chunk = item.chunk.data(); // the fast path rewrites bytes in place
            const qsizetype size = item.chunk.size();
            Tick last = from;
            item.docs.reserve(size_t(item.chunk.count('\n')) + 1);
            qsizetype start = 0;
            while (start < size) {
                qsizetype end = item.chunk.indexOf('\n', start);
                if (end < 0)
                    end = size;
                const qsizetype lineStart = start;
                start = end + 1;
                if (end == lineStart)
                    continue;
                Item::Doc d;
                // repldesk leaders: slice the bytes; anything else: parse.
                if (std::optional<DumpRecord> fast =
                        sliceOwnDumpLine(chunk + lineStart, end - lineStart)) {
                    d.sliced = true;
                    d.fast = *fast;
                    last = qMax(last, fast->tick);
                    item.docs.push_back(std::move(d));
                    continue;
                }
                const QJsonObject e =
                    QJsonDocument::fromJson(item.chunk.sliced(lineStart, end - lineStart)).object();
                if (e.isEmpty())
                    return fail(
                        ErrorNum::ReplicationInvalidResponse,
                        QStringLiteral(
                            "invalid response from leader at %1: a dump line of '%2' is not JSON")
                            .arg(m_client->describe(), name));
                d.data = e.value(QStringLiteral("data")).toObject();
                d.key = e.value(QStringLiteral("key")).toString();
                if (d.key.isEmpty())
                    d.key = d.data.value(QStringLiteral("_key")).toString();
                d.rev = e.value(QStringLiteral("rev")).toString().toUtf8();
                if (d.rev.isEmpty())
                    d.rev = d.data.value(QStringLiteral("_rev")).toString().toUtf8();
                d.fast.deleted =
                    e.value(QStringLiteral("type")).toInt() == int(LogEventType::DocumentRemove);
                last =
                    qMax(last, parseTick(e.value(QStringLiteral("tick")).toString()).value_or(0));
                item.docs.push_back(std::move(d));
            }
            const qint64 n = qint64(item.docs.size());
            m_documents += n;
            m_queue->push(std::move(item));
            m_manager.updateStatus(m_db,
                                   [&](ApplierStatus &st) { st.syncDocuments = m_documents; });
            const Tick included =
                parseTick(QString::fromLatin1(r.header("x-arango-replication-lastincluded")))
                    .value_or(0);
            const Tick next = included ? included : last;
            if (r.header("x-arango-replication-checkmore") == "true" && next > from)
                dumpChunk(next);
            else
                dumpNext();
        });
}

void Syncer::fail(int errorNum, const QString &message)
{
    if (m_failed)
        return;
    m_failed = true;
    qCWarning(lcSyncer).noquote() << "sync of" << m_dbName << "failed:" << message;
    m_outcome.error = std::make_exception_ptr(Error(500, errorNum, message));
    if (m_queue)
        m_queue->abort();
    m_client->abortAll();
    if (!m_jobRunning)
        finish();
    // else: finish() runs when the write job has rolled back
}

void Syncer::failHttp(const client::HttpResult &r, const QString &what)
{
    if (!r.answered())
        return fail(ErrorNum::ReplicationNoResponse,
                    QStringLiteral("no response from leader at %1 for %2: %3")
                        .arg(m_client->describe(), what, r.errorString));
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
