#include "server/couch/CouchRoutes.h"
#include "core/DocumentJson.h"
#include "engine/SchemaService.h"
#include "engine/WriteTxn.h"
#include "engine/couch/CouchService.h"
#include "engine/couch/JsSandbox.h"
#include "engine/couch/replicator/ReplicationManager.h"
#include "engine/couch/replicator/ReplicatorDb.h"
#include "server/RouteHelpers.h"
#include "server/Routes.h"
#include "server/couch/CouchRouteHelpers.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QUuid>

#include <algorithm>

namespace repl::server {

namespace {

using namespace CouchService;
using namespace couch;

Response replicate(Context &ctx)
{
    const QByteArray type = ctx.request.header("content-type");
    if (!type.startsWith("application/json"))
        throw CouchError(415, QStringLiteral("bad_content_type"),
                         QStringLiteral("Content-Type must be application/json"));
    const auto [status, body] =
        ReplicationManager::of(ctx.engine).replicate(bodyObject(ctx.request));
    return couchJson(status, body);
}

Response activeTasks(Context &ctx)
{
    return couchJson(200, ReplicationManager::of(ctx.engine).activeTasks());
}

// ---- server ----

Response welcome(Context &ctx)
{
    return couchJson(
        200, QJsonObject{
                 {QStringLiteral("couchdb"), QStringLiteral("Welcome")},
                 {QStringLiteral("version"), QStringLiteral("3.3.3")},
                 {QStringLiteral("uuid"), ReplicationManager::serverUuid(ctx.engine)},
                 {QStringLiteral("vendor"),
                  QJsonObject{{QStringLiteral("name"), QStringLiteral("ReplDesk")},
                              {QStringLiteral("version"), QCoreApplication::applicationVersion()}}},
                 {QStringLiteral("features"), QJsonArray()}});
}

Response allDbs(Context &ctx)
{
    const auto catalog = ctx.engine.catalog();
    QJsonArray names;
    QStringList sorted;
    for (const CollectionInfo *c : catalog->collections(ctx.database.id))
        if (!c->isSystem() || c->name == ReplicatorDb::Name)
            sorted.append(c->name);
    sorted.sort();
    for (const QString &n : sorted)
        names.append(n);
    return couchJson(200, names);
}

Response uuids(Context &ctx)
{
    const qint64 count = number(ctx.request, QStringLiteral("count"), 1);
    if (count > 1000)
        throw CouchError::badRequest(QStringLiteral("count must not be more than 1000"));
    QJsonArray out;
    for (qint64 i = 0; i < count; ++i)
        out.append(QUuid::createUuid().toString(QUuid::Id128));
    return couchJson(200, QJsonObject{{QStringLiteral("uuids"), out}});
}

// ---- databases ----

Response database(Context &ctx)
{
    const QString name = ctx.param(QStringLiteral("db"));
    switch (ctx.request.method) {
    case Method::Put: {
        checkDatabaseName(name);
        const qint64 sys = ctx.database.id;
        ctx.engine.write([&](WriteTxn &t) {
            if (t.catalog().collection(sys, name))
                throw CouchError(412, QStringLiteral("file_exists"),
                                 QStringLiteral("The database could not be created, the file "
                                                "already exists."));
            SchemaService::createCollection(t, sys, name, 2, false);
        });
        Response r = couchJson(201, QJsonObject{{QStringLiteral("ok"), true}});
        r.header("Location", "/" + name.toUtf8());
        return r;
    }
    case Method::Delete: {
        std::shared_ptr<const Catalog> holder;
        const qint64 cid = db(ctx, holder).cid;
        ctx.engine.write([&](WriteTxn &t) { SchemaService::dropCollection(t, cid); });
        return couchJson(200, QJsonObject{{QStringLiteral("ok"), true}});
    }
    case Method::Post: { // a new document
        std::shared_ptr<const Catalog> holder;
        const CollectionInfo &c = db(ctx, holder);
        QJsonObject doc = bodyObject(ctx.request);
        const QJsonValue given = doc.value(QStringLiteral("_id"));
        if (!given.isUndefined() && !given.isString())
            throw CouchError(400, QStringLiteral("illegal_docid"),
                             QStringLiteral("Document id must be a string"));
        const QString id =
            given.isUndefined() ? QUuid::createUuid().toString(QUuid::Id128) : given.toString();
        const QJsonObject res =
            ctx.engine.write([&](WriteTxn &t) { return putDocument(t, c, id, doc, true); });
        return couchJson(201, res);
    }
    default: {
        std::shared_ptr<const Catalog> holder;
        const CollectionInfo &c = db(ctx, holder);
        return couchJson(200, databaseInfo(ctx.reader, c));
    }
    }
}

Response ensureFullCommit(Context &ctx)
{
    std::shared_ptr<const Catalog> holder;
    db(ctx, holder);
    return couchJson(201,
                     QJsonObject{{QStringLiteral("ok"), true},
                                 {QStringLiteral("instance_start_time"), QStringLiteral("0")}});
}

// ---- changes ----

// A since value as given (JSON number or string, or bare text).
QJsonValue jsonOrText(const QString &s)
{
    return parseJsonValue(s.toUtf8()).value_or(QJsonValue(s));
}

ChangesFilter changesFilter(Context &ctx, const CollectionInfo &c, const QJsonObject &body)
{
    const Request &r = ctx.request;
    const QString name = r.queryValue(QStringLiteral("filter"));
    if (name.isEmpty())
        return {};
    if (name == u"_doc_ids") {
        QJsonValue ids = body.value(QStringLiteral("doc_ids"));
        if (ids.isUndefined() && r.hasQuery(QStringLiteral("doc_ids")))
            ids = jsonParam(r, QStringLiteral("doc_ids"));
        if (!ids.isArray())
            throw CouchError::badRequest(
                QStringLiteral("`doc_ids` filter parameter is not a list of doc "
                               "ids."));
        QSet<QString> set;
        for (const QJsonValue &v : ids.toArray())
            set.insert(v.toString());
        return ChangesFilter::docIds(std::move(set));
    }
    if (name == u"_selector") {
        if (!body.value(QStringLiteral("selector")).isObject())
            throw CouchError::badRequest(
                QStringLiteral("Selector must be specified in POST payload"));
        return ChangesFilter::selector(body.value(QStringLiteral("selector")).toObject());
    }
    if (name == u"_design")
        return ChangesFilter::design();
    if (name == u"_view") {
        const QStringList view = r.queryValue(QStringLiteral("view")).split(u'/');
        if (view.size() != 2 || view[0].isEmpty() || view[1].isEmpty())
            throw CouchError::badRequest(
                QStringLiteral("`view` filter parameter is not provided or not of "
                               "the form ddoc/view."));
        return ChangesFilter::viewMap(
            JsSandbox::of(ctx.engine), view[0] + u'/' + view[1],
            designFunction(ctx.reader, c, view[0], QStringLiteral("views"), view[1]));
    }
    const QStringList parts = name.split(u'/');
    if (parts.size() != 2 || parts[0].isEmpty() || parts[1].isEmpty())
        throw CouchError::badRequest(QStringLiteral("filter parameter must be of the form "
                                                    "`designname/filtername`"));
    QJsonObject query;
    for (const auto &item : r.query.queryItems(QUrl::FullyDecoded))
        query.insert(item.first, item.second);
    return ChangesFilter::function(
        JsSandbox::of(ctx.engine), name,
        designFunction(ctx.reader, c, parts[0], QStringLiteral("filters"), parts[1]), query);
}

Response changesFeed(Context &ctx)
{
    std::shared_ptr<const Catalog> holder;
    const CollectionInfo &c = db(ctx, holder);
    const Request &r = ctx.request;
    const QJsonObject body =
        r.method == Method::Post && r.hasBody() ? bodyObject(r) : QJsonObject();
    const QString feed = r.hasQuery(QStringLiteral("feed")) ? r.queryValue(QStringLiteral("feed"))
                                                            : QStringLiteral("normal");
    if (feed != u"normal" && feed != u"longpoll" && feed != u"continuous")
        throw CouchError::badRequest(
            QStringLiteral("Supported `feed` types: normal, continuous, longpoll"));
    const QString style = r.queryValue(QStringLiteral("style"));
    if (!style.isEmpty() && style != u"all_docs" && style != u"main_only")
        throw CouchError::badRequest(
            QStringLiteral("Supported `style` values: main_only, all_docs"));
    ChangesQuery q;
    const Tick before = ctx.engine.lastTick(); // anything committed later wakes a long-poll
    if (r.hasQuery(QStringLiteral("since"))) {
        const QString s = r.queryValue(QStringLiteral("since"));
        // Digits stay text: as a JSON number a tick past 2^53 would lose its last digits.
        const bool digits = !s.isEmpty() && std::all_of(s.begin(), s.end(), [](QChar ch) {
            return ch >= u'0' && ch <= u'9';
        });
        q.since = parseSeq(ctx.reader, c, s == u"now" || digits ? QJsonValue(s) : jsonOrText(s));
    } else if (r.hasQuery(QStringLiteral("last-event-id"))) {
        q.since = parseSeq(ctx.reader, c, r.queryValue(QStringLiteral("last-event-id")));
    }
    q.limit = number(r, QStringLiteral("limit"), -1);
    if (q.limit >= 0 && r.continuation) // a continuous feed's limit counts the whole stream
        q.limit = qMax<qint64>(0, q.limit - r.streamRows);
    q.allLeaves = style == u"all_docs";
    q.includeDocs = flag(r, QStringLiteral("include_docs"));
    q.conflicts = flag(r, QStringLiteral("conflicts"));
    q.attachments = flag(r, QStringLiteral("attachments"));
    const qint64 heartbeat = r.queryValue(QStringLiteral("heartbeat")) == u"true"
                                 ? 60000
                                 : number(r, QStringLiteral("heartbeat"), 0);
    const qint64 timeout = number(r, QStringLiteral("timeout"), heartbeat > 0 ? 0 : 60000);
    ChangesFilter filter = changesFilter(ctx, c, body);
    const ChangesResult res = changes(ctx.reader, c, q, filter);

    if (feed == u"continuous") {
        QByteArray part;
        for (const QByteArray &row : res.rows)
            part += row + '\n';
        Response out = couchRaw(200, part);
        Response::Stream s;
        // This part saw every change up to `before` (read ahead of the scan), so the next one
        // starts there; commits to other databases then cannot wake it into a loop.
        s.from = qMax(res.lastSeq, before);
        s.resumeParam = QStringLiteral("since");
        s.cid = c.cid;
        s.closing = "{\"last_seq\":" + QByteArray::number(res.lastSeq) + "}\n";
        s.heartbeatMs = int(qBound(qint64(0), heartbeat, qint64(3600000)));
        s.idleMs = int(qBound(qint64(0), timeout, qint64(86400000)));
        if (q.limit >= 0 && res.rows.size() >= q.limit) {
            s.end = true;
            out.body += s.closing;
        }
        out.stream = s;
        return out;
    }
    if (feed == u"longpoll" && res.rows.isEmpty()) {
        // Wait for a commit (any database; the re-run looks again), up to timeout or heartbeat.
        const qint64 budget =
            heartbeat > 0 && (timeout == 0 || heartbeat < timeout) ? heartbeat : timeout;
        const qint64 left = r.receivedMs + budget - QDateTime::currentMSecsSinceEpoch();
        if (left > 0) {
            Response parked;
            parked.park = Response::Park{-1, before, int(qMin<qint64>(left, 3600000)), c.cid,
                                         QStringLiteral("since")};
            return parked;
        }
    }
    return couchRaw(200, changesBody(res));
}

} // namespace

Response couchErrorResponse(const Error &e)
{
    if (const auto *ce = dynamic_cast<const CouchError *>(&e))
        return Response::couchError(ce->httpStatus(), ce->error(), ce->message());
    QString name;
    switch (e.httpStatus()) {
    case 400:
        name = QStringLiteral("bad_request");
        break;
    case 401:
        name = QStringLiteral("unauthorized");
        break;
    case 403:
        name = QStringLiteral("forbidden");
        break;
    case 404:
        name = QStringLiteral("not_found");
        break;
    case 405:
        name = QStringLiteral("method_not_allowed");
        break;
    case 409:
        name = QStringLiteral("conflict");
        break;
    case 412:
        name = QStringLiteral("precondition_failed");
        break;
    default:
        name = QStringLiteral("unknown_error");
    }
    return Response::couchError(e.httpStatus(), name, e.message());
}

void registerCouchRoutes(Router &router)
{
    router.add(GET, QString(), welcome);
    router.add(GET, QStringLiteral("_all_dbs"), allDbs);
    router.add(POST, QStringLiteral("_replicate"), replicate);
    router.add(GET, QStringLiteral("_active_tasks"), activeTasks);
    registerSchedulerRoutes(router);
    router.add(GET, QStringLiteral("_uuids"), uuids);
    router.add(GET, QStringLiteral("_up"), [](Context &) {
        return couchJson(200, QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")}});
    });
    router.add(GET | PUT | DELETE_ | POST, QStringLiteral(":db"), database);
    router.add(GET | POST, QStringLiteral(":db/_changes"), changesFeed);
    router.add(POST, QStringLiteral(":db/_bulk_docs"), bulkDocsRoute);
    router.add(POST, QStringLiteral(":db/_bulk_get"), bulkGetRoute);
    router.add(POST, QStringLiteral(":db/_revs_diff"), revsDiffRoute);
    router.add(GET | POST, QStringLiteral(":db/_all_docs"), allDocsRoute);
    router.add(GET | POST, QStringLiteral(":db/_local_docs"), localDocsRoute);
    router.add(POST, QStringLiteral(":db/_ensure_full_commit"), ensureFullCommit);
    router.add(GET | PUT | DELETE_, QStringLiteral(":db/:prefix/:docid"), [](Context &ctx) {
        const QString prefix = ctx.param(QStringLiteral("prefix"));
        if (prefix == u"_local" || prefix == u"_design")
            return document(ctx);
        return attachment(ctx, prefix, ctx.param(QStringLiteral("docid"))); // {db}/{docid}/{att}
    });
    // Attachment names may hold '/': CouchDB joins the segments after the document id.
    router.add(GET | PUT | DELETE_, QStringLiteral(":db/:prefix/:docid/*name"), [](Context &ctx) {
        const QString prefix = ctx.param(QStringLiteral("prefix"));
        const QString docid = ctx.param(QStringLiteral("docid"));
        const QString name = ctx.param(QStringLiteral("name"));
        if (prefix == u"_design")
            return attachment(ctx, prefix + u'/' + docid, name);
        if (prefix == u"_local")
            throw CouchError::notFound();
        return attachment(ctx, prefix, docid + u'/' + name);
    });
    router.add(GET | PUT | DELETE_, QStringLiteral(":db/:docid"), document);
}

} // namespace repl::server
