#include "server/couch/CouchRouteHelpers.h"

#include "core/DocumentJson.h"
#include "engine/couch/CouchService.h"

#include <QJsonDocument>

namespace repl::server::couch {

using namespace CouchService;

namespace {
const QByteArray JsonType = "application/json";
} // namespace

Response couchJson(int status, const QJsonObject &o)
{
    return Response::raw(status, QJsonDocument(o).toJson(QJsonDocument::Compact), JsonType);
}

Response couchJson(int status, const QJsonArray &a)
{
    return Response::raw(status, QJsonDocument(a).toJson(QJsonDocument::Compact), JsonType);
}

Response couchRaw(int status, QByteArray body)
{
    return Response::raw(status, std::move(body), JsonType);
}

// CouchDB's query booleans: "true" / "false" (anything else is a 400 naming the parameter).
bool flag(const Request &r, const QString &name, bool defaultValue)
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
    const std::optional<QJsonValue> v = parseJsonValue(r.queryValue(name).toUtf8());
    if (!v)
        throw CouchError::badRequest(QStringLiteral("Invalid JSON in the %1 parameter").arg(name));
    return *v;
}

QJsonObject bodyObject(const Request &r)
{
    if (r.parsedBody)
        return *r.parsedBody;
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
    if (const qsizetype at = jsonTextProblemAt(r.body); at >= 0)
        throw CouchError::badRequest(jsonTextProblemMessage(r.body, at));
    return d.object();
}

std::optional<QByteArrayView> scannableBody(const Request &r)
{
    if (r.parsedBody || r.header("content-type").startsWith("multipart/") ||
        jsonTextProblemAt(r.body) >= 0)
        return std::nullopt;
    return QByteArrayView(r.body);
}

const CollectionInfo &db(Context &ctx, std::shared_ptr<const Catalog> &holder)
{
    holder = ctx.engine.catalog();
    return requireDatabase(*holder, ctx.param(QStringLiteral("db")));
}

} // namespace repl::server::couch
