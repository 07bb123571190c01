#include "core/DocumentJson.h"
#include "core/LogLine.h"
#include "engine/BlockingQueue.h"
#include "engine/DocumentService.h"
#include "engine/ReadService.h"
#include "engine/SchemaService.h"
#include "engine/WriteTxn.h"
#include "server/RouteHelpers.h"
#include "server/Routes.h"

#include <QJsonDocument>
#include <QMap>

namespace repl::server {

namespace {

using DocumentService::Result;

QByteArray quoted(const QByteArray &rev)
{
    return '"' + rev + '"';
}

// If-Match (or "rev" query) as the expected revision.
std::optional<QByteArray> expectedRev(const Request &r, const QJsonObject *body)
{
    QByteArray m = r.header("if-match");
    if (!m.isEmpty())
        return m.replace('"', QByteArray());
    if (r.hasQuery(QStringLiteral("rev")))
        return r.queryValue(QStringLiteral("rev")).toUtf8();
    if (body && !r.boolParam(QStringLiteral("ignoreRevs"), true)) {
        const QJsonValue v = body->value(QStringLiteral("_rev"));
        if (v.isString())
            return v.toString().toUtf8();
    }
    return std::nullopt;
}

QByteArray resultJson(const CollectionInfo &c, const Result &r, const Request &req, bool removal)
{
    const QByteArray key = r.key.toUtf8();
    const QByteArray cname = c.name.toUtf8();
    JsonLineBuilder b;
    b.string("_id", cname + '/' + key).string("_key", key);
    b.string("_rev", removal ? r.oldRev : r.rev);
    if (!removal && !r.oldRev.isEmpty())
        b.string("_oldRev", r.oldRev);
    if (!removal && req.boolParam(QStringLiteral("returnNew"), false))
        b.raw("new", composeDocument(cname, key, r.rev, r.newBody));
    if (!r.oldBody.isEmpty() && req.boolParam(QStringLiteral("returnOld"), false))
        b.raw("old", composeDocument(cname, key, r.oldRev, r.oldBody));
    return b.finish();
}

int writeStatus(const CollectionInfo &c, const Request &r, int syncedStatus)
{
    return r.boolParam(QStringLiteral("waitForSync"), c.waitForSync) ? syncedStatus : 202;
}

DocumentService::Options options(const Request &r)
{
    DocumentService::Options o;
    o.overwrite = r.boolParam(QStringLiteral("overwrite"), false);
    o.keepNull = r.boolParam(QStringLiteral("keepNull"), true);
    o.mergeObjects = r.boolParam(QStringLiteral("mergeObjects"), true);
    return o;
}

Response single(const CollectionInfo &c, const Request &req, const Result &r, int syncedStatus,
                bool removal)
{
    Response resp = Response::raw(writeStatus(c, req, syncedStatus),
                                  req.boolParam(QStringLiteral("silent"), false)
                                      ? QByteArray("{}")
                                      : resultJson(c, r, req, removal),
                                  "application/json; charset=utf-8");
    resp.header("Etag", quoted(removal ? r.oldRev : r.rev));
    return resp;
}

Response insertDocuments(Context &ctx, const QString &collection)
{
    std::shared_ptr<const Catalog> hold;
    const CollectionInfo c = requireCollection(ctx, collection, hold);
    const QJsonValue body = ctx.request.jsonValue();
    const DocumentService::Options o = options(ctx.request);
    if (body.isObject()) {
        const QJsonObject doc = body.toObject();
        const Result r =
            ctx.engine.write([&](WriteTxn &t) { return DocumentService::insert(t, c, doc, o); });
        return single(c, ctx.request, r, 201, false);
    }
    if (!body.isArray())
        throw Error(400, ErrorNum::DocumentTypeInvalid,
                    QStringLiteral("invalid document type: the body must be an object or an array "
                                   "of objects"));
    // An array is one transaction in the log; each document succeeds or fails on its own.
    const QJsonArray docs = body.toArray();
    QList<QByteArray> results(docs.size());
    QMap<int, int> errorCodes;
    ctx.engine.write([&](WriteTxn &t) {
        DocumentService::LoggedTransaction trx(t, c.db);
        for (qsizetype i = 0; i < docs.size(); ++i) {
            try {
                if (!docs[i].isObject())
                    throw Error(400, ErrorNum::DocumentTypeInvalid);
                // Validate first so a failing document takes no tick and logs nothing.
                const Result r = DocumentService::insert(t, c, docs[i].toObject(), o, trx.tid());
                results[i] = resultJson(c, r, ctx.request, false);
            } catch (const Error &e) {
                results[i] = Response::error(e).body;
                errorCodes[e.errorNum()]++;
            }
        }
        trx.commit();
    });
    Response resp = Response::raw(writeStatus(c, ctx.request, 201), jsonArray(results),
                                  "application/json; charset=utf-8");
    if (!errorCodes.isEmpty()) {
        QJsonObject codes;
        for (auto it = errorCodes.cbegin(); it != errorCodes.cend(); ++it)
            codes.insert(QString::number(it.key()), it.value());
        resp.header("X-Arango-Error-Codes", QJsonDocument(codes).toJson(QJsonDocument::Compact));
    }
    return resp;
}

Response readDocument(Context &ctx)
{
    std::shared_ptr<const Catalog> hold;
    const CollectionInfo &c = requireCollection(ctx, ctx.param(QStringLiteral("collection")), hold);
    const QString key = ctx.param(QStringLiteral("key"));
    const auto row = ReadService::document(ctx.reader, c, key);
    if (!row || row->deleted)
        throw Error(404, ErrorNum::DocumentNotFound);
    QByteArray none = ctx.request.header("if-none-match");
    if (!none.isEmpty() && none.replace('"', QByteArray()) == row->rev) {
        Response r;
        r.status = 304;
        r.header("Etag", quoted(row->rev));
        return r;
    }
    if (auto expected = expectedRev(ctx.request, nullptr); expected && *expected != row->rev) {
        Response r = Response::raw(412,
                                   JsonLineBuilder()
                                       .boolean("error", true)
                                       .number("code", 412)
                                       .number("errorNum", ErrorNum::Conflict)
                                       .string("errorMessage", "conflict, _rev values do not match")
                                       .string("_id", (c.name + u'/' + key).toUtf8())
                                       .string("_key", key.toUtf8())
                                       .string("_rev", row->rev)
                                       .finish(),
                                   "application/json; charset=utf-8");
        r.header("Etag", quoted(row->rev));
        return r;
    }
    Response r =
        Response::raw(200, composeDocument(c.name.toUtf8(), key.toUtf8(), row->rev, row->body),
                      "application/json; charset=utf-8");
    r.header("Etag", quoted(row->rev));
    return r;
}

Response modifyDocument(Context &ctx, bool patch)
{
    std::shared_ptr<const Catalog> hold;
    const CollectionInfo c = requireCollection(ctx, ctx.param(QStringLiteral("collection")), hold);
    const QString key = ctx.param(QStringLiteral("key"));
    const QJsonValue body = ctx.request.jsonValue();
    if (!body.isObject())
        throw Error(400, ErrorNum::DocumentTypeInvalid,
                    QStringLiteral("invalid document type: the body must be a JSON object"));
    const QJsonObject doc = body.toObject();
    DocumentService::Options o = options(ctx.request);
    o.expectedRev = expectedRev(ctx.request, &doc);
    const Result r = ctx.engine.write([&](WriteTxn &t) {
        return patch ? DocumentService::update(t, c, key, doc, o)
                     : DocumentService::replace(t, c, key, doc, o);
    });
    return single(c, ctx.request, r, 201, false);
}

// POST /_api/import: JSON lines ("documents") or one array ("array"/"list"), one transaction.
// The body is parsed here, chunk by chunk, while the writer already stores earlier chunks.
Response importDocuments(Context &ctx)
{
    std::shared_ptr<const Catalog> hold;
    const CollectionInfo c =
        requireCollection(ctx, ctx.request.queryValue(QStringLiteral("collection")), hold);
    QString type = ctx.request.queryValue(QStringLiteral("type"));
    const QByteArray &body = ctx.request.body;
    if (type.isEmpty() || type == u"auto")
        type =
            body.trimmed().startsWith('[') ? QStringLiteral("array") : QStringLiteral("documents");
    if (type != u"documents" && type != u"array" && type != u"list")
        throw Error::badParameter(QStringLiteral("invalid value for <type>: expected documents, "
                                                 "array, list or auto"));
    if (const qsizetype at = jsonTextProblemAt(body); at >= 0)
        throw Error(400, ErrorNum::CorruptedJson, jsonTextProblemMessage(body, at));
    const QString onDuplicate = ctx.request.hasQuery(QStringLiteral("onDuplicate"))
                                    ? ctx.request.queryValue(QStringLiteral("onDuplicate"))
                                    : QStringLiteral("error");
    if (onDuplicate != u"error" && onDuplicate != u"update" && onDuplicate != u"replace" &&
        onDuplicate != u"ignore")
        throw Error::badParameter(QStringLiteral("invalid value for <onDuplicate>: expected "
                                                 "error, update, replace or ignore"));
    const bool complete = ctx.request.boolParam(QStringLiteral("complete"), false);
    const bool details = ctx.request.boolParam(QStringLiteral("details"), false);
    const bool truncate = ctx.request.boolParam(QStringLiteral("overwrite"), false);

    struct Item
    {
        qsizetype position = 0;
        std::optional<DocumentService::Prepared> doc;
        QString error;
    };
    using Chunk = std::vector<Item>;
    auto queue = std::make_shared<BlockingQueue<Chunk>>();
    struct Counts
    {
        qint64 created = 0, updated = 0, ignored = 0, errors = 0;
        QStringList problems;
    };
    auto counts = std::make_shared<Counts>();

    std::future<std::exception_ptr> written =
        ctx.engine.writeAsync([c, queue, counts, onDuplicate, complete, truncate](WriteTxn &t) {
            if (truncate)
                SchemaService::truncateCollection(t, c.cid);
            DocumentService::LoggedTransaction trx(t, c.db);
            const DocumentService::Options o;
            while (std::optional<Chunk> chunk = queue->pop()) {
                for (const Item &item : *chunk) {
                    try {
                        if (!item.doc)
                            throw Error::badParameter(item.error);
                        DocumentService::insert(t, c, *item.doc, o, trx.tid());
                        ++counts->created;
                    } catch (const Error &e) {
                        const bool duplicate = item.doc && !item.doc->key.isEmpty() &&
                                               e.errorNum() == ErrorNum::UniqueConstraintViolated &&
                                               e.message().contains(QStringLiteral("primary"));
                        if (duplicate && onDuplicate == u"ignore") {
                            ++counts->ignored;
                            continue;
                        }
                        if (duplicate && onDuplicate != u"error") {
                            if (onDuplicate == u"update")
                                DocumentService::update(t, c, item.doc->key, item.doc->object, o,
                                                        trx.tid());
                            else
                                DocumentService::replace(t, c, item.doc->key, item.doc->object, o,
                                                         trx.tid());
                            ++counts->updated;
                            continue;
                        }
                        if (complete)
                            throw;
                        ++counts->errors;
                        counts->problems.append(QStringLiteral("at position %1: creating document "
                                                               "failed with error '%2'")
                                                    .arg(item.position)
                                                    .arg(e.message()));
                    }
                }
            }
            if (queue->aborted())
                throw Error::badParameter(QStringLiteral("import aborted"));
            trx.commit();
        });

    constexpr qsizetype ChunkSize = 2000;
    Chunk chunk;
    qint64 empty = 0;
    const bool keepObjects =
        DocumentService::needsObject(c, onDuplicate == u"update" || onDuplicate == u"replace");
    auto add = [&](qsizetype position, std::optional<QJsonObject> object,
                   const QString &parseError) {
        Item item;
        item.position = position;
        if (!object) {
            item.error = parseError;
        } else {
            try {
                item.doc = DocumentService::prepare(c, std::move(*object));
                if (!keepObjects)
                    item.doc->object = QJsonObject(); // freed here, not by the writer
            } catch (const Error &e) {
                item.error = e.message();
            }
        }
        if (!item.doc && complete) {
            queue->abort();
            written.wait();
            throw Error::badParameter(
                QStringLiteral("at position %1: %2").arg(position).arg(item.error));
        }
        chunk.push_back(std::move(item));
        if (qsizetype(chunk.size()) >= ChunkSize) {
            queue->push(std::move(chunk));
            chunk = Chunk();
        }
    };
    try {
        if (type == u"documents") {
            qsizetype start = 0;
            qsizetype lineNo = 0;
            while (start < body.size()) {
                qsizetype end = body.indexOf('\n', start);
                if (end < 0)
                    end = body.size();
                // The line in place (no copy); the parse copies what it keeps.
                const QByteArrayView view =
                    QByteArrayView(body).sliced(start, end - start).trimmed();
                start = end + 1;
                if (view.isEmpty()) {
                    ++empty;
                    continue;
                }
                QJsonParseError err{};
                QJsonDocument d = QJsonDocument::fromJson(
                    QByteArray::fromRawData(view.data(), view.size()), &err);
                if (d.isObject()) {
                    QJsonObject object = d.object();
                    d = QJsonDocument(); // the object's only owner: prepare() edits it in place
                    add(lineNo++, std::move(object), {});
                } else {
                    add(lineNo++, std::nullopt,
                        QStringLiteral(
                            "invalid JSON type (expecting object, probably parse error)"));
                }
            }
        } else {
            QJsonParseError err{};
            const QJsonDocument d = QJsonDocument::fromJson(body, &err);
            if (!d.isArray()) {
                queue->abort();
                written.wait();
                throw Error(400, ErrorNum::CorruptedJson,
                            QStringLiteral("invalid JSON in request body: expecting an array (%1)")
                                .arg(err.errorString()));
            }
            const QJsonArray arr = d.array();
            for (qsizetype i = 0; i < arr.size(); ++i) {
                if (arr[i].isObject())
                    add(i, arr[i].toObject(), {});
                else
                    add(i, std::nullopt, QStringLiteral("invalid JSON type (expecting object)"));
            }
        }
    } catch (...) {
        queue->abort();
        written.wait();
        throw;
    }
    if (!chunk.empty())
        queue->push(std::move(chunk));
    queue->close();
    Engine::rethrowIf(written.get()); // the job's error (complete=true)

    QJsonObject result{{QStringLiteral("error"), false},
                       {QStringLiteral("created"), double(counts->created)},
                       {QStringLiteral("errors"), double(counts->errors)},
                       {QStringLiteral("empty"), double(empty)},
                       {QStringLiteral("updated"), double(counts->updated)},
                       {QStringLiteral("ignored"), double(counts->ignored)}};
    if (details)
        result.insert(QStringLiteral("details"), QJsonArray::fromStringList(counts->problems));
    return Response::json(201, result);
}

} // namespace

void registerDocumentRoutes(Router &router)
{
    router.add(POST, QStringLiteral("_api/document/:collection"), [](Context &ctx) {
        return insertDocuments(ctx, ctx.param(QStringLiteral("collection")));
    });
    router.add(POST, QStringLiteral("_api/document"), [](Context &ctx) {
        return insertDocuments(ctx, ctx.request.queryValue(QStringLiteral("collection")));
    });
    router.add(GET | HEAD, QStringLiteral("_api/document/:collection/:key"), readDocument);
    router.add(PUT, QStringLiteral("_api/document/:collection/:key"),
               [](Context &ctx) { return modifyDocument(ctx, false); });
    router.add(PATCH, QStringLiteral("_api/document/:collection/:key"),
               [](Context &ctx) { return modifyDocument(ctx, true); });
    router.add(DELETE_, QStringLiteral("_api/document/:collection/:key"), [](Context &ctx) {
        std::shared_ptr<const Catalog> hold;
        const CollectionInfo c =
            requireCollection(ctx, ctx.param(QStringLiteral("collection")), hold);
        const QString key = ctx.param(QStringLiteral("key"));
        DocumentService::Options o;
        o.expectedRev = expectedRev(ctx.request, nullptr);
        const Result r =
            ctx.engine.write([&](WriteTxn &t) { return DocumentService::remove(t, c, key, o); });
        return single(c, ctx.request, r, 200, true);
    });
    router.add(POST, QStringLiteral("_api/import"), importDocuments);
}

} // namespace repl::server
