// The CouchDB face's document routes: GET/PUT/DELETE of documents (multipart too),
// attachments, _bulk_docs, _bulk_get, _revs_diff and _all_docs.
#include "core/DocumentJson.h"
#include "engine/WriteTxn.h"
#include "engine/couch/CouchService.h"
#include "server/couch/CouchRouteHelpers.h"

#include <QJsonDocument>
#include <QUuid>

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
    if (const qsizetype at = rawControlInJsonString(parts.first()); at >= 0)
        throw bad(rawControlMessage(parts.first(), at));
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

} // namespace

// GET ?open_revs=… with Accept: multipart/mixed, as CouchDB's own replicator asks for
// documents with attachments (it cannot read a JSON answer there): one part per revision, a
// document with attachments as multipart/related (its JSON with "follows" stubs, then each
// attachment's bytes in that order), a missing revision as {"missing": rev} marked
// error="true".
Response openRevsMultipart(const QByteArray &jsonAnswer)
{
    const QByteArray outer = QUuid::createUuid().toByteArray(QUuid::Id128);
    QByteArray body;
    for (const QJsonValue &entry : QJsonDocument::fromJson(jsonAnswer).array()) {
        body += "--" + outer + "\r\n";
        const QJsonObject e = entry.toObject();
        if (!e.contains(QStringLiteral("ok"))) {
            body += "Content-Type: application/json; error=\"true\"\r\n\r\n" +
                    QJsonDocument(e).toJson(QJsonDocument::Compact) + "\r\n";
            continue;
        }
        QJsonObject doc = e.value(QStringLiteral("ok")).toObject();
        QJsonObject atts = doc.value(QStringLiteral("_attachments")).toObject();
        if (atts.isEmpty()) {
            body += "Content-Type: application/json\r\n\r\n" +
                    QJsonDocument(doc).toJson(QJsonDocument::Compact) + "\r\n";
            continue;
        }
        // The JSON lists the attachments in QJsonObject's (sorted) key order; the parts
        // follow in the same order.
        QList<QPair<QString, QByteArray>> data;
        for (auto it = atts.begin(); it != atts.end(); ++it) {
            QJsonObject a = it.value().toObject();
            const QByteArray bytes =
                QByteArray::fromBase64(a.take(QStringLiteral("data")).toString().toLatin1());
            a.remove(QStringLiteral("stub"));
            a.insert(QStringLiteral("length"), bytes.size());
            a.insert(QStringLiteral("follows"), true);
            data.append({it.key(), bytes});
            it.value() = a;
        }
        doc.insert(QStringLiteral("_attachments"), atts);
        const QByteArray inner = QUuid::createUuid().toByteArray(QUuid::Id128);
        body += "Content-Type: multipart/related; boundary=\"" + inner + "\"\r\n\r\n";
        body += "--" + inner + "\r\nContent-Type: application/json\r\n\r\n" +
                QJsonDocument(doc).toJson(QJsonDocument::Compact) + "\r\n";
        for (const auto &[name, bytes] : std::as_const(data)) {
            const QString type = atts.value(name)[QStringLiteral("content_type")].toString(
                QStringLiteral("application/octet-stream"));
            body += "--" + inner + "\r\nContent-Disposition: attachment; filename=\"" +
                    name.toUtf8().replace('"', "\\\"") + "\"\r\nContent-Type: " + type.toUtf8() +
                    "\r\nContent-Length: " + QByteArray::number(bytes.size()) + "\r\n\r\n" + bytes +
                    "\r\n";
        }
        body += "--" + inner + "--\r\n";
    }
    body += "--" + outer + "--";
    Response resp = couchRaw(200, body);
    resp.contentType = "multipart/mixed; boundary=\"" + outer + "\"";
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
