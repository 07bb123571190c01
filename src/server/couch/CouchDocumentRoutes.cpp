// The CouchDB face's document routes: GET/PUT/DELETE of documents (multipart too),
// attachments, _bulk_docs, _bulk_get, _revs_diff and _all_docs.
#include "core/DocumentJson.h"
#include "engine/WriteTxn.h"
#include "engine/couch/CouchService.h"
#include "server/couch/CouchMultipart.h"
#include "server/couch/CouchRouteHelpers.h"

#include <QJsonDocument>

namespace repl::server::couch {

using namespace CouchService;

namespace {

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
                throw CouchError::badRequest(QStringLiteral("Invalid list of revisions"));
            QList<QByteArray> revs;
            for (const QJsonValue &x : v.toArray()) {
                // CouchDB's parse_rev: "N-hash" with a numeric N; anything else is a 400.
                const QByteArray rev = x.toString().toUtf8();
                const qsizetype dash = rev.indexOf('-');
                bool numeric = false;
                if (x.isString() && dash > 0)
                    rev.left(dash).toInt(&numeric);
                if (!numeric)
                    throw CouchError::badRequest(QStringLiteral("Invalid rev format"));
                revs.append(rev);
            }
            if (!revs.isEmpty()) // open_revs=[] is a plain GET, as in CouchDB
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

// A document with its attachments as CouchDB's replicator PUTs it (multipart/related).
QJsonObject multipartDocument(const Request &r)
{
    QString why;
    std::optional<QJsonObject> doc =
        multipartRelatedDocument(r.header("content-type"), r.body, why);
    if (!doc)
        throw CouchError::badRequest(QStringLiteral("multipart/related body: %1").arg(why));
    return *doc;
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

} // namespace

// GET ?open_revs=… with Accept: multipart/mixed, as CouchDB's own replicator asks for
// documents with attachments (it cannot read a JSON answer there).
Response openRevsMultipart(const QByteArray &jsonAnswer)
{
    QByteArray contentType;
    Response resp = couchRaw(200, openRevsMultipartBody(jsonAnswer, contentType));
    resp.contentType = contentType;
    return resp;
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
        // CouchDB answers a write of a deletion 200, any other 201.
        return couchJson(doc.value(QStringLiteral("_deleted")).toBool() ? 200 : 201, res);
    }
    case Method::Delete: {
        const QByteArray rev = requestedRev(r, nullptr);
        const QJsonObject res = ctx.engine.write([&](WriteTxn &t) {
            return local ? deleteLocal(t, c, id, rev) : deleteDocument(t, c, id, rev);
        });
        return couchJson(200, res);
    }
    default:
        if (local)
            return couchRaw(200, getLocal(ctx.reader, c, id));
        DocQuery q = docQuery(r);
        if ((q.openRevsAll || q.openRevs) && r.header("accept").contains("multipart/mixed")) {
            q.attachments = true; // the bytes travel in the parts
            return openRevsMultipart(getDocument(ctx.reader, c, id, q));
        }
        return couchRaw(200, getDocument(ctx.reader, c, id, q));
    }
}

// /{db}/{docid}/{name} (the name may hold '/'): GET an attachment's bytes (stored inline,
// base64, in _attachments); PUT the request body as the attachment (Content-Type as its
// type) in a new revision; DELETE it in a new revision.
Response attachment(Context &ctx, const QString &id, const QString &name)
{
    std::shared_ptr<const Catalog> holder;
    const CollectionInfo &c = db(ctx, holder);
    const Request &r = ctx.request;
    if (r.method == Method::Put || r.method == Method::Delete) {
        const QByteArray rev = requestedRev(r, nullptr);
        std::optional<AttachmentContent> content;
        if (r.method == Method::Put) {
            QByteArray type = r.header("content-type");
            if (type.isEmpty())
                type = "application/octet-stream";
            content = AttachmentContent{type, r.body};
        }
        const QJsonObject res = ctx.engine.write(
            [&](WriteTxn &t) { return updateAttachment(t, c, id, name, rev, content); });
        return couchJson(r.method == Method::Put ? 201 : 200, res);
    }
    DocQuery q;
    q.attachments = true; // the data itself
    if (r.hasQuery(QStringLiteral("rev")))
        q.rev = r.queryValue(QStringLiteral("rev")).toUtf8();
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
    Response out = Response::raw(
        200, QByteArray::fromBase64(att.value(QStringLiteral("data")).toString().toLatin1()), type);
    if (att.contains(QStringLiteral("digest")))
        out.header("Content-MD5", att.value(QStringLiteral("digest")).toString().mid(4).toLatin1());
    return out;
}

Response bulkDocsRoute(Context &ctx)
{
    std::shared_ptr<const Catalog> holder;
    const CollectionInfo &c = db(ctx, holder);
    const Request &r = ctx.request;
    // A replicator's request is read from its bytes (no JSON parse of the whole batch).
    std::shared_ptr<const BulkDocsInput> input;
    if (const auto bytes = scannableBody(r))
        input = readReplicatedBulkDocs(*bytes);
    if (!input) {
        const QJsonObject body = bodyObject(r);
        if (!body.value(QStringLiteral("docs")).isArray())
            throw CouchError::badRequest(
                QStringLiteral("POST body must include `docs` parameter."));
        const QJsonValue ne = body.value(QStringLiteral("new_edits"));
        if (!ne.isUndefined() && !ne.isBool())
            throw CouchError::badRequest(
                QStringLiteral("`new_edits` parameter must be a boolean."));
        input = readBulkDocs(body.value(QStringLiteral("docs")).toArray(), ne.toBool(true));
    }
    const QJsonArray res = ctx.engine.write([&](WriteTxn &t) { return bulkDocs(t, c, *input); });
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
    const Request &r = ctx.request;
    std::optional<QList<RevsDiffEntry>> request;
    if (const auto bytes = scannableBody(r))
        request = readRevsDiff(*bytes);
    if (!request)
        request = readRevsDiff(bodyObject(r));
    return couchRaw(200, revsDiff(ctx.reader, c, *request));
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
    if (q.keys) {
        for (const char *name : {"key", "startkey", "start_key", "endkey", "end_key"})
            if (r.hasQuery(QLatin1StringView(name)))
                throw CouchError(400, QStringLiteral("query_parse_error"),
                                 QStringLiteral("`keys` is incompatible with `key`, `start_key` "
                                                "and `end_key`"));
    }
    if (r.hasQuery(QStringLiteral("key"))) {
        q.startKey = jsonParam(r, QStringLiteral("key")).toString();
        q.endKey = q.startKey;
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
    q.limit = number(r, QStringLiteral("limit"), -1);
    q.skip = number(r, QStringLiteral("skip"), 0);
    q.inclusiveEnd = flag(r, QStringLiteral("inclusive_end"), true);
    q.updateSeq = flag(r, QStringLiteral("update_seq"));
    return couchRaw(200, allDocs(ctx.reader, c, q));
}

Response localDocsRoute(Context &ctx)
{
    std::shared_ptr<const Catalog> holder;
    const CollectionInfo &c = db(ctx, holder);
    const Request &r = ctx.request;
    AllDocsQuery q;
    const QJsonValue keys = r.method == Method::Post ? bodyObject(r).value(QStringLiteral("keys"))
                                                     : (r.hasQuery(QStringLiteral("keys"))
                                                            ? jsonParam(r, QStringLiteral("keys"))
                                                            : QJsonValue(QJsonValue::Undefined));
    if (!keys.isUndefined()) {
        if (!keys.isArray())
            throw CouchError::badRequest(QStringLiteral("`keys` body member must be an array."));
        QStringList list;
        for (const QJsonValue &k : keys.toArray())
            list.append(k.toString());
        q.keys = list;
    }
    q.descending = flag(r, QStringLiteral("descending"));
    q.includeDocs = flag(r, QStringLiteral("include_docs"));
    q.limit = number(r, QStringLiteral("limit"), -1);
    q.skip = number(r, QStringLiteral("skip"), 0);
    return couchRaw(200, localDocs(ctx.reader, c, q));
}

} // namespace repl::server::couch
