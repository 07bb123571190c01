#include "core/DocumentJson.h"
#include "engine/CouchService.h"
#include "engine/ReplicationManager.h"
#include "engine/SchemaService.h"
#include "engine/WriteTxn.h"
#include "server/RouteHelpers.h"
#include "server/Routes.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QUuid>

namespace repl::server {

namespace {

using namespace CouchService;

const QByteArray JsonType = "application/json";

Response couchJson(int status, const QJsonObject &o)
{
    Response r = Response::json(status, o);
    r.contentType = JsonType;
    return r;
}

Response couchJson(int status, const QJsonArray &a)
{
    Response r = Response::json(status, a);
    r.contentType = JsonType;
    return r;
}

Response couchRaw(int status, QByteArray body)
{
    return Response::raw(status, std::move(body), JsonType);
}

// CouchDB's query booleans: "true" / "false" (anything else is a 400 naming the parameter).
bool flag(const Request &r, const QString &name, bool defaultValue = false)
{
    if (!r.hasQuery(name))
        return defaultValue;
    const QString v = r.queryValue(name);
    if (v == u"true" || v.isEmpty())
        return true;
    if (v == u"false")
        return false;
    throw CouchError(400, QStringLiteral("query_parse_error"),
                     QStringLiteral("Invalid boolean parameter: \"%1\" for %2").arg(v, name));
}

qint64 number(const Request &r, const QString &name, qint64 defaultValue)
{
    if (!r.hasQuery(name))
        return defaultValue;
    bool ok = false;
    const qint64 v = r.queryValue(name).toLongLong(&ok);
    if (!ok || v < 0)
        throw CouchError(400, QStringLiteral("query_parse_error"),
                         QStringLiteral("Invalid value for %1: \"%2\" is not a non-negative "
                                        "integer")
                             .arg(name, r.queryValue(name)));
    return v;
}

// A query parameter that holds JSON (open_revs, keys, startkey, doc_ids).
QJsonValue jsonParam(const Request &r, const QString &name)
{
    const QByteArray text = r.queryValue(name).toUtf8();
    QJsonParseError err{};
    const QJsonDocument d = QJsonDocument::fromJson("[" + text + "]", &err);
    if (err.error != QJsonParseError::NoError || d.array().size() != 1)
        throw CouchError::badRequest(QStringLiteral("Invalid JSON in the %1 parameter").arg(name));
    return d.array().first();
}

QJsonObject bodyObject(const Request &r)
{
    const QByteArray type = r.header("content-type");
    if (type.startsWith("multipart/"))
        throw CouchError(415, QStringLiteral("bad_content_type"),
                         QStringLiteral("multipart bodies (attachments) are not supported; send "
                                        "application/json with inline attachments"));
    QJsonParseError err{};
    const QJsonDocument d = QJsonDocument::fromJson(r.body, &err);
    if (err.error != QJsonParseError::NoError || !d.isObject())
        throw CouchError::badRequest(
            err.error != QJsonParseError::NoError
                ? QStringLiteral("invalid UTF-8 JSON: %1").arg(err.errorString())
                : QStringLiteral("Request body must be a JSON object"));
    return d.object();
}

const CollectionInfo &db(Context &ctx, std::shared_ptr<const Catalog> &holder)
{
    holder = ctx.engine.catalog();
    return requireDatabase(*holder, ctx.param(QStringLiteral("db")));
}

QString serverUuid(const Engine &engine)
{
    return ReplicationManager::serverUuid(engine);
}

Response replicate(Context &ctx)
{
    const QByteArray type = ctx.request.header("content-type");
    if (!type.startsWith("application/json"))
        throw CouchError(415, QStringLiteral("bad_content_type"),
                         QStringLiteral("Content-Type must be application/json"));
    const auto [status, body] = ctx.engine.replications().replicate(bodyObject(ctx.request));
    return couchJson(status, body);
}

Response activeTasks(Context &ctx)
{
    return couchJson(200, ctx.engine.replications().activeTasks());
}

Response schedulerJobs(Context &ctx)
{
    const QJsonArray jobs = ctx.engine.replications().jobs();
    return couchJson(200, QJsonObject{{QStringLiteral("total_rows"), jobs.size()},
                                      {QStringLiteral("offset"), 0},
                                      {QStringLiteral("jobs"), jobs}});
}

// ---- server ----

Response welcome(Context &ctx)
{
    return couchJson(
        200, QJsonObject{
                 {QStringLiteral("couchdb"), QStringLiteral("Welcome")},
                 {QStringLiteral("version"), QStringLiteral("3.3.3")},
                 {QStringLiteral("uuid"), serverUuid(ctx.engine)},
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
        if (!c->isSystem())
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
        QString id = doc.value(QStringLiteral("_id")).toString();
        if (id.isEmpty())
            id = QUuid::createUuid().toString(QUuid::Id128);
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
    QJsonParseError err{};
    const QJsonDocument d = QJsonDocument::fromJson(("[" + s + "]").toUtf8(), &err);
    if (err.error == QJsonParseError::NoError && d.array().size() == 1)
        return d.array().first();
    return s;
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
        designFunction(ctx.reader, c, parts[0], QStringLiteral("filters"), parts[1]), query);
}

Response changesFeed(Context &ctx)
{
    std::shared_ptr<const Catalog> holder;
    const CollectionInfo &c = db(ctx, holder);
    const Request &r = ctx.request;
    const QJsonObject body =
        r.method == Method::Post && !r.body.trimmed().isEmpty() ? bodyObject(r) : QJsonObject();
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
        q.since = parseSeq(ctx.reader, c, s == u"now" ? QJsonValue(s) : jsonOrText(s));
    } else if (r.hasQuery(QStringLiteral("last-event-id"))) {
        q.since = parseSeq(ctx.reader, c, r.queryValue(QStringLiteral("last-event-id")));
    }
    q.limit = r.hasQuery(QStringLiteral("limit")) ? number(r, QStringLiteral("limit"), 0) : -1;
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
            out.body += "{\"last_seq\":" + QByteArray::number(res.lastSeq) + "}\n";
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

// ---- documents ----

DocQuery docQuery(const Request &r)
{
    DocQuery q;
    if (r.hasQuery(QStringLiteral("rev")))
        q.rev = r.queryValue(QStringLiteral("rev")).toUtf8();
    q.revs = flag(r, QStringLiteral("revs"));
    q.revsInfo = flag(r, QStringLiteral("revs_info"));
    q.conflicts = flag(r, QStringLiteral("conflicts"));
    q.deletedConflicts = flag(r, QStringLiteral("deleted_conflicts"));
    q.latest = flag(r, QStringLiteral("latest"));
    q.attachments = flag(r, QStringLiteral("attachments"));
    if (flag(r, QStringLiteral("meta"))) {
        q.conflicts = q.deletedConflicts = q.revsInfo = true;
    }
    if (r.hasQuery(QStringLiteral("open_revs"))) {
        if (r.queryValue(QStringLiteral("open_revs")) == u"all") {
            q.openRevsAll = true;
        } else {
            const QJsonValue v = jsonParam(r, QStringLiteral("open_revs"));
            if (!v.isArray())
                throw CouchError::badRequest(
                    QStringLiteral("open_revs must be \"all\" or a JSON array"));
            QList<QByteArray> revs;
            for (const QJsonValue &x : v.toArray())
                revs.append(x.toString().toUtf8());
            q.openRevs = revs;
        }
    }
    return q;
}

QString docId(Context &ctx)
{
    const QString prefix = ctx.param(QStringLiteral("prefix"));
    const QString id = ctx.param(QStringLiteral("docid"));
    return prefix.isEmpty() ? id : prefix + u'/' + id;
}

// A document with its attachments as CouchDB's replicator PUTs it (multipart/related): the
// JSON first, then one part per attachment marked "follows", in _attachments order. The
// bodies are stored inline (base64), like attachments written as JSON.
QJsonObject multipartDocument(const Request &r)
{
    const QByteArray type = r.header("content-type");
    const qsizetype at = type.indexOf("boundary=");
    QByteArray boundary = at < 0 ? QByteArray() : type.mid(at + 9);
    if (const qsizetype semi = boundary.indexOf(';'); semi >= 0)
        boundary.truncate(semi);
    boundary = boundary.trimmed();
    if (boundary.startsWith('"') && boundary.endsWith('"') && boundary.size() >= 2)
        boundary = boundary.mid(1, boundary.size() - 2);
    const auto bad = [](const QString &why) {
        return CouchError::badRequest(QStringLiteral("multipart/related body: %1").arg(why));
    };
    if (boundary.isEmpty())
        throw bad(QStringLiteral("no boundary in Content-Type"));
    const QByteArray delimiter = "--" + boundary;
    QList<QByteArray> parts;
    qsizetype pos = r.body.indexOf(delimiter);
    while (pos >= 0) {
        pos += delimiter.size();
        if (r.body.mid(pos, 2) == "--")
            break; // the closing delimiter
        const qsizetype next = r.body.indexOf("\r\n" + delimiter, pos);
        if (next < 0)
            throw bad(QStringLiteral("a part is not closed by the boundary"));
        const QByteArray part = r.body.mid(pos, next - pos);
        const qsizetype headersEnd = part.indexOf("\r\n\r\n");
        parts.append(headersEnd < 0 ? QByteArray() : part.mid(headersEnd + 4));
        pos = next + 2;
    }
    if (parts.isEmpty())
        throw bad(QStringLiteral("no parts"));
    QJsonParseError err{};
    QJsonObject doc = QJsonDocument::fromJson(parts.first(), &err).object();
    if (err.error != QJsonParseError::NoError)
        throw bad(
            QStringLiteral("the first part is not a JSON document: %1").arg(err.errorString()));
    QJsonObject atts = doc.value(QStringLiteral("_attachments")).toObject();
    // Parts follow the attachments in the order the JSON text lists them (QJsonObject sorts
    // its keys, so the order comes from the text).
    const QByteArray &json = parts.first();
    const qsizetype attsAt = json.indexOf("\"_attachments\"");
    QList<QPair<qsizetype, QString>> following;
    for (auto it = atts.begin(); it != atts.end(); ++it)
        if (it.value().toObject().value(QStringLiteral("follows")).toBool())
            following.append({json.indexOf(jsonString(it.key()), attsAt), it.key()});
    std::sort(following.begin(), following.end());
    qsizetype next = 1;
    for (const auto &[where, name] : following) {
        Q_UNUSED(where);
        if (next >= parts.size())
            throw bad(QStringLiteral("attachment %1 has no part").arg(name));
        QJsonObject a = atts.value(name).toObject();
        a.remove(QStringLiteral("follows"));
        a.insert(QStringLiteral("data"), QString::fromLatin1(parts[next++].toBase64()));
        atts.insert(name, a);
    }
    doc.insert(QStringLiteral("_attachments"), atts);
    if (atts.isEmpty())
        doc.remove(QStringLiteral("_attachments"));
    return doc;
}

QByteArray requestedRev(const Request &r, const QJsonObject *doc)
{
    QByteArray m = r.header("if-match");
    if (!m.isEmpty())
        return m.replace('"', QByteArray());
    if (r.hasQuery(QStringLiteral("rev")))
        return r.queryValue(QStringLiteral("rev")).toUtf8();
    return doc ? doc->value(QStringLiteral("_rev")).toString().toUtf8() : QByteArray();
}

Response document(Context &ctx)
{
    std::shared_ptr<const Catalog> holder;
    const CollectionInfo &c = db(ctx, holder);
    const Request &r = ctx.request;
    const QString id = docId(ctx);
    const bool local = id.startsWith(u"_local/");
    switch (r.method) {
    case Method::Put: {
        QJsonObject doc = r.header("content-type").startsWith("multipart/related")
                              ? multipartDocument(r)
                              : bodyObject(r);
        const QByteArray rev = requestedRev(r, &doc);
        if (!rev.isEmpty())
            doc.insert(QStringLiteral("_rev"), QString::fromUtf8(rev));
        const bool newEdits = flag(r, QStringLiteral("new_edits"), true);
        const QJsonObject res =
            ctx.engine.write([&](WriteTxn &t) { return putDocument(t, c, id, doc, newEdits); });
        return couchJson(201, res);
    }
    case Method::Delete: {
        const QByteArray rev = requestedRev(r, nullptr);
        QJsonObject res;
        if (local) {
            res = ctx.engine.write([&](WriteTxn &t) { return deleteLocal(t, c, id, rev); });
        } else {
            if (rev.isEmpty())
                throw CouchError::conflict();
            QJsonObject doc{{QStringLiteral("_rev"), QString::fromUtf8(rev)},
                            {QStringLiteral("_deleted"), true}};
            res = ctx.engine.write([&](WriteTxn &t) { return putDocument(t, c, id, doc, true); });
        }
        return couchJson(200, res);
    }
    default:
        if (local)
            return couchRaw(200, getLocal(ctx.reader, c, id));
        return couchRaw(200, getDocument(ctx.reader, c, id, docQuery(r)));
    }
}

// GET /{db}/{docid}/{name}: an attachment's bytes (stored inline, base64, in _attachments).
Response attachment(Context &ctx)
{
    std::shared_ptr<const Catalog> holder;
    const CollectionInfo &c = db(ctx, holder);
    DocQuery q;
    q.attachments = true; // the data itself
    if (ctx.request.hasQuery(QStringLiteral("rev")))
        q.rev = ctx.request.queryValue(QStringLiteral("rev")).toUtf8();
    const QString id = ctx.param(QStringLiteral("prefix"));
    const QString name = ctx.param(QStringLiteral("docid"));
    const QJsonObject att = QJsonDocument::fromJson(getDocument(ctx.reader, c, id, q))
                                .object()
                                .value(QStringLiteral("_attachments"))
                                .toObject()
                                .value(name)
                                .toObject();
    if (!att.contains(QStringLiteral("data")))
        throw CouchError::notFound(QStringLiteral("Document is missing attachment"));
    const QByteArray type = att.value(QStringLiteral("content_type"))
                                .toString(QStringLiteral("application/octet-stream"))
                                .toUtf8();
    Response r = Response::raw(
        200, QByteArray::fromBase64(att.value(QStringLiteral("data")).toString().toLatin1()), type);
    if (att.contains(QStringLiteral("digest")))
        r.header("Content-MD5", att.value(QStringLiteral("digest")).toString().mid(4).toLatin1());
    return r;
}

Response bulkDocsRoute(Context &ctx)
{
    std::shared_ptr<const Catalog> holder;
    const CollectionInfo &c = db(ctx, holder);
    const QJsonObject body = bodyObject(ctx.request);
    if (!body.value(QStringLiteral("docs")).isArray())
        throw CouchError::badRequest(QStringLiteral("POST body must include `docs` parameter."));
    const QJsonValue ne = body.value(QStringLiteral("new_edits"));
    if (!ne.isUndefined() && !ne.isBool())
        throw CouchError::badRequest(QStringLiteral("`new_edits` parameter must be a boolean."));
    const bool newEdits = ne.toBool(true);
    const QJsonArray docs = body.value(QStringLiteral("docs")).toArray();
    const QJsonArray res =
        ctx.engine.write([&](WriteTxn &t) { return bulkDocs(t, c, docs, newEdits); });
    return couchJson(201, res);
}

Response bulkGetRoute(Context &ctx)
{
    std::shared_ptr<const Catalog> holder;
    const CollectionInfo &c = db(ctx, holder);
    const QJsonObject body = bodyObject(ctx.request);
    if (!body.value(QStringLiteral("docs")).isArray())
        throw CouchError::badRequest(QStringLiteral("Request body must include a `docs` array."));
    const bool revs =
        flag(ctx.request, QStringLiteral("revs")) || body.value(QStringLiteral("revs")).toBool();
    const bool latest = flag(ctx.request, QStringLiteral("latest")) ||
                        body.value(QStringLiteral("latest")).toBool();
    const bool attachments = flag(ctx.request, QStringLiteral("attachments")) ||
                             body.value(QStringLiteral("attachments")).toBool();
    return couchRaw(200, bulkGet(ctx.reader, c, body.value(QStringLiteral("docs")).toArray(), revs,
                                 latest, attachments));
}

Response revsDiffRoute(Context &ctx)
{
    std::shared_ptr<const Catalog> holder;
    const CollectionInfo &c = db(ctx, holder);
    return couchJson(200, revsDiff(ctx.reader, c, bodyObject(ctx.request)));
}

Response allDocsRoute(Context &ctx)
{
    std::shared_ptr<const Catalog> holder;
    const CollectionInfo &c = db(ctx, holder);
    const Request &r = ctx.request;
    AllDocsQuery q;
    QJsonValue keys(QJsonValue::Undefined);
    if (r.method == Method::Post)
        keys = bodyObject(r).value(QStringLiteral("keys"));
    else if (r.hasQuery(QStringLiteral("keys")))
        keys = jsonParam(r, QStringLiteral("keys"));
    if (!keys.isUndefined()) {
        if (!keys.isArray())
            throw CouchError::badRequest(QStringLiteral("`keys` body member must be an array."));
        QStringList list;
        for (const QJsonValue &k : keys.toArray())
            list.append(k.toString());
        q.keys = list;
    }
    for (const QString &name : {QStringLiteral("key")}) {
        if (r.hasQuery(name)) {
            q.startKey = jsonParam(r, name).toString();
            q.endKey = q.startKey;
        }
    }
    for (const QString &name : {QStringLiteral("startkey"), QStringLiteral("start_key")})
        if (r.hasQuery(name))
            q.startKey = jsonParam(r, name).toString();
    for (const QString &name : {QStringLiteral("endkey"), QStringLiteral("end_key")})
        if (r.hasQuery(name))
            q.endKey = jsonParam(r, name).toString();
    q.descending = flag(r, QStringLiteral("descending"));
    q.includeDocs = flag(r, QStringLiteral("include_docs"));
    q.conflicts = flag(r, QStringLiteral("conflicts"));
    q.attachments = flag(r, QStringLiteral("attachments"));
    q.limit = r.hasQuery(QStringLiteral("limit")) ? number(r, QStringLiteral("limit"), 0) : -1;
    q.skip = number(r, QStringLiteral("skip"), 0);
    return couchRaw(200, allDocs(ctx.reader, c, q));
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
    router.add(GET, QStringLiteral("_scheduler/jobs"), schedulerJobs);
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
    router.add(POST, QStringLiteral(":db/_ensure_full_commit"), ensureFullCommit);
    router.add(GET | PUT | DELETE_, QStringLiteral(":db/:prefix/:docid"), [](Context &ctx) {
        const QString prefix = ctx.param(QStringLiteral("prefix"));
        if (prefix == u"_local" || prefix == u"_design")
            return document(ctx);
        if (ctx.request.method == Method::Get || ctx.request.method == Method::Head)
            return attachment(ctx); // {db}/{docid}/{attachment}
        throw CouchError(405, QStringLiteral("method_not_allowed"),
                         QStringLiteral("attachments are written inline (_attachments with "
                                        "data), not by PUT/DELETE on their own URL"));
    });
    router.add(GET | PUT | DELETE_, QStringLiteral(":db/:docid"), document);
}

} // namespace repl::server
