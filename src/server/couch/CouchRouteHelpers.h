#pragma once

#include "engine/Catalog.h"
#include "engine/Engine.h"
#include "server/Router.h"

#include <QJsonArray>
#include <QJsonObject>

#include <memory>
#include <optional>

// Shared by the CouchDB face's route files (internal to the server library).
namespace repl::server::couch {

Response couchJson(int status, const QJsonObject &o);
Response couchJson(int status, const QJsonArray &a);
Response couchRaw(int status, QByteArray body);
// CouchDB's query booleans "true"/"false"; anything else is a 400 naming the parameter.
bool flag(const Request &r, const QString &name, bool defaultValue = false);
qint64 number(const Request &r, const QString &name, qint64 defaultValue);
// A query parameter that holds JSON (open_revs, keys, startkey, doc_ids).
QJsonValue jsonParam(const Request &r, const QString &name);
QJsonObject bodyObject(const Request &r);
// The body's bytes when a route may read them with a byte scanner instead of bodyObject: sent
// as bytes (not an in-process object), not multipart, and text jsonTextProblemAt passes (the
// scanners do not check UTF-8). Otherwise nothing, and bodyObject reads it, with its errors.
std::optional<QByteArrayView> scannableBody(const Request &r);
// The collection behind the route's :db (404 not_found else); `holder` keeps the catalog.
const CollectionInfo &db(Context &ctx, std::shared_ptr<const Catalog> &holder);

// Document routes (CouchDocumentRoutes.cpp).
Response document(Context &ctx);
Response attachment(Context &ctx, const QString &id, const QString &name);
Response bulkDocsRoute(Context &ctx);
Response bulkGetRoute(Context &ctx);
Response revsDiffRoute(Context &ctx);
Response allDocsRoute(Context &ctx);
Response localDocsRoute(Context &ctx);

} // namespace repl::server::couch
