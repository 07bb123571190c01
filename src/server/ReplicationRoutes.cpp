#include "client/Endpoint.h"
#include "core/Clock.h"
#include "engine/ApplierManager.h"
#include "engine/ApplyService.h"
#include "engine/LoggerService.h"
#include "engine/ReadService.h"
#include "engine/RestorePointService.h"
#include "engine/WriteTxn.h"
#include "server/Batches.h"
#include "server/LogTail.h"
#include "server/RouteHelpers.h"
#include "server/Routes.h"

#include <QCryptographicHash>
#include <QJsonDocument>

namespace repl::server {

namespace {

constexpr qint64 DefaultChunkSize = 128 * 1024;
constexpr qint64 MaxChunkSize = 128 * 1024 * 1024;
const QByteArray DumpContentType = "application/x-arango-dump; charset=utf-8";

QByteArray flag(bool b)
{
    return b ? "true" : "false";
}

qint64 chunkSize(const Request &r)
{
    const qint64 c = r.intParam(QStringLiteral("chunkSize")).value_or(DefaultChunkSize);
    return c <= 0 ? DefaultChunkSize : qMin(c, MaxChunkSize);
}

void requireMethod(const Request &r, int allowed)
{
    if (!(int(r.method) & allowed))
        throw Error(405, ErrorNum::MethodNotAllowed);
}

Response loggerState(Context &ctx)
{
    requireMethod(ctx.request, GET);
    return Response::json(200, LoggerService::stateJson(ctx.engine, ctx.database));
}

Response loggerConfig(Context &ctx)
{
    requireMethod(ctx.request, GET | PUT);
    if (ctx.request.method == Method::Get)
        return Response::json(200, ctx.database.logger.toJson());
    const QJsonObject patch = ctx.request.jsonObject(); // 400/400 for a broken body
    const qint64 db = ctx.database.id;
    const LoggerConfig c =
        ctx.engine.write([&](WriteTxn &t) { return LoggerService::setConfig(t, db, patch); });
    return Response::json(200, c.toJson());
}

Response loggerStartStop(Context &ctx, bool start)
{
    requireMethod(ctx.request, PUT);
    const qint64 db = ctx.database.id;
    const bool running = ctx.engine.write([&](WriteTxn &t) {
        return start ? LoggerService::start(t, db) : LoggerService::stop(t, db);
    });
    return Response::json(200, QJsonObject{{QStringLiteral("running"), running}});
}

Response loggerFollow(Context &ctx)
{
    requireMethod(ctx.request, GET | PUT);
    const LogTailCall call = readLogTailCall(ctx.request, true, DefaultChunkSize);
    LoggerService::FollowResult res =
        LoggerService::follow(ctx.engine, ctx.reader, ctx.database, call.follow);
    QByteArray body = std::move(res.body);
    return logTailResponse(ctx, call, res, std::move(body), true);
}

Response loggerFirstTick(Context &ctx)
{
    requireMethod(ctx.request, GET);
    const DatabaseLogState s = ctx.engine.loggerState().state(ctx.database.id);
    return Response::json(200,
                          QJsonObject{{QStringLiteral("firstTick"), tickString(s.stats.first)}});
}

Response loggerTickRanges(Context &ctx)
{
    requireMethod(ctx.request, GET);
    const DatabaseLogState s = ctx.engine.loggerState().state(ctx.database.id);
    QJsonArray ranges;
    if (s.stats.count > 0)
        ranges.append(QJsonObject{
            {QStringLiteral("datafile"),
             QStringLiteral("%1#log/%2").arg(ctx.engine.databasePath(), ctx.database.name)},
            {QStringLiteral("status"), QStringLiteral("open")},
            {QStringLiteral("tickMin"), tickString(s.stats.first)},
            {QStringLiteral("tickMax"), tickString(s.stats.last)}});
    return Response::json(200, ranges);
}

qint64 nowMs()
{
    return Clock::now().toMSecsSinceEpoch();
}

// A batchId names a live batch of this database, or the request fails as on ArangoDB.
std::optional<Batches::Batch> requireBatch(Context &ctx, Batches &batches)
{
    const QString id = ctx.request.queryValue(QStringLiteral("batchId"));
    if (id.isEmpty())
        return std::nullopt; // ours read by tick: no batch needed
    std::optional<Batches::Batch> b = batches.find(id, ctx.database.id, nowMs());
    if (!b)
        throw Error(404, ErrorNum::CursorNotFound,
                    QStringLiteral("replication batch %1 not found (expired or released)").arg(id));
    return b;
}

double ttlOf(Context &ctx)
{
    if (!ctx.request.hasBody())
        return 300;
    const QJsonValue ttl = ctx.request.jsonObject().value(QStringLiteral("ttl"));
    if (ttl.isUndefined())
        return 300;
    if (!ttl.isDouble() || ttl.toDouble() <= 0 || ttl.toDouble() > 86400)
        throw Error::badParameter(
            QStringLiteral("<ttl> must be a number of seconds between 0 and 86400"));
    return ttl.toDouble();
}

Response batch(Context &ctx, Batches &batches, const QString &id)
{
    const Request &r = ctx.request;
    const Tick last = ctx.engine.loggerState().state(ctx.database.id).lastLogTick;
    if (id.isEmpty()) {
        requireMethod(r, POST);
        const QString created = batches.create(ctx.database.id, ttlOf(ctx), last, nowMs());
        return Response::json(200, QJsonObject{{QStringLiteral("id"), created},
                                               {QStringLiteral("lastTick"), tickString(last)}});
    }
    requireMethod(r, PUT | DELETE_);
    const bool found = r.method == Method::Put
                           ? batches.extend(id, ctx.database.id, ttlOf(ctx), nowMs())
                           : batches.remove(id, ctx.database.id);
    if (!found)
        throw Error(404, ErrorNum::CursorNotFound,
                    QStringLiteral("replication batch %1 not found").arg(id));
    return Response::raw(204, {}, {});
}

Response inventory(Context &ctx, Batches &batches)
{
    requireMethod(ctx.request, GET);
    requireBatch(ctx, batches);
    const bool includeSystem = ctx.request.boolParam(QStringLiteral("includeSystem"), false);
    return Response::json(
        200, ReadService::inventory(ctx.engine, ctx.reader, ctx.database, includeSystem));
}

Response dump(Context &ctx, Batches &batches)
{
    requireMethod(ctx.request, GET);
    const Request &r = ctx.request;
    const std::optional<Batches::Batch> batch = requireBatch(ctx, batches);
    const QString name = r.queryValue(QStringLiteral("collection"));
    if (name.isEmpty())
        throw Error::badParameter(QStringLiteral("invalid collection parameter"));
    ReadService::DumpRequest d;
    // Inside a batch, a dump without `from` continues where the last one stopped (3.x).
    d.from = r.tickParam(QStringLiteral("from")).value_or(batch ? batch->dumped.value(name, 0) : 0);
    d.to = r.tickParam(QStringLiteral("to")).value_or(MaxTick);
    if (d.from > d.to || d.to == 0)
        throw Error::badParameter(QStringLiteral("invalid from/to values"));
    d.chunkSize = chunkSize(r);
    d.ticks = r.boolParam(QStringLiteral("ticks"), true);
    const bool includeSystem = r.boolParam(QStringLiteral("includeSystem"), true);
    std::shared_ptr<const Catalog> hold;
    const CollectionInfo &c = requireCollection(ctx, name, hold);
    if (c.isServerLocal())
        throw Error(403, ErrorNum::Forbidden,
                    QStringLiteral("collection '%1' is kept by this server alone (its "
                                   "replication jobs and their credentials) and is not dumped")
                        .arg(name));
    if (c.isSystem() && !includeSystem)
        return Response::raw(204, {}, DumpContentType);
    const ReadService::DumpResult res = ReadService::dump(ctx.reader, c, d);
    if (batch && res.lastIncluded > 0)
        batches.setDumped(r.queryValue(QStringLiteral("batchId")), name, res.lastIncluded);
    Response resp = Response::raw(res.body.isEmpty() ? 204 : 200, res.body, DumpContentType);
    resp.header("x-arango-replication-lastincluded", tickBytes(res.lastIncluded));
    resp.header("x-arango-replication-checkmore", flag(res.checkMore));
    return resp;
}

// PUT /_api/replication/restore-data?collection=NAME (arangorestore's route): the body is a
// dump's data, one document per line, plain (arangodump 3.8+) or in an envelope
// ({"type":2300,"data":{…}}, {"type":2302,"key":…}). Documents are stored with their own _key
// and _rev, as the applier stores a leader's: a restore keeps revisions. One write job.
Response restoreData(Context &ctx)
{
    requireMethod(ctx.request, PUT);
    const QString name = ctx.request.queryValue(QStringLiteral("collection"));
    std::shared_ptr<const Catalog> hold;
    const CollectionInfo &c = requireCollection(ctx, name, hold);
    struct Line
    {
        QString key;
        QByteArray rev;
        QJsonObject data;
        bool removal = false;
    };
    QList<Line> lines;
    qsizetype start = 0, number = 0;
    const QByteArray &body = ctx.request.body;
    if (const qsizetype at = jsonTextProblemAt(body); at >= 0)
        throw Error(400, ErrorNum::CorruptedJson, jsonTextProblemMessage(body, at));
    while (start < body.size()) {
        qsizetype end = body.indexOf('\n', start);
        if (end < 0)
            end = body.size();
        const QByteArray text = body.mid(start, end - start).trimmed();
        start = end + 1;
        ++number;
        if (text.isEmpty())
            continue;
        QJsonParseError err{};
        const QJsonObject o = QJsonDocument::fromJson(text, &err).object();
        if (err.error != QJsonParseError::NoError || o.isEmpty())
            throw Error::badParameter(QStringLiteral("line %1 of the body is not a JSON object: %2")
                                          .arg(number)
                                          .arg(err.error != QJsonParseError::NoError
                                                   ? err.errorString()
                                                   : QStringLiteral("empty")));
        Line l;
        const int type = o.value(QStringLiteral("type")).toInt(0);
        if (type == 2302) {
            l.removal = true;
            l.key = o.value(QStringLiteral("key"))
                        .toString(o[QStringLiteral("data")][QStringLiteral("_key")].toString());
            l.rev = o.value(QStringLiteral("rev"))
                        .toString(o[QStringLiteral("data")][QStringLiteral("_rev")].toString())
                        .toUtf8();
        } else {
            l.data = o.contains(QStringLiteral("data")) && type != 0
                         ? o.value(QStringLiteral("data")).toObject()
                         : o;
            l.key = l.data.value(QStringLiteral("_key")).toString();
            l.rev = l.data.value(QStringLiteral("_rev")).toString().toUtf8();
        }
        if (l.key.isEmpty())
            throw Error::badParameter(
                QStringLiteral("line %1 of the body has no _key").arg(number));
        lines.append(std::move(l));
    }
    ctx.engine.write([&](WriteTxn &t) {
        for (const Line &l : std::as_const(lines)) {
            // A line without _rev gets one made from its content, the same each time.
            QByteArray rev = l.rev;
            if (rev.isEmpty())
                rev = QCryptographicHash::hash(
                          l.key.toUtf8() +
                              (l.removal ? QByteArray("/removed")
                                         : QJsonDocument(l.data).toJson(QJsonDocument::Compact)),
                          QCryptographicHash::Md5)
                          .toHex()
                          .left(16);
            ApplyService::storeVersion(t, c, l.key, rev, QByteArray(), l.data, l.removal, 0);
        }
    });
    return Response::json(200, withCode(QJsonObject{{QStringLiteral("error"), false}}, 200));
}

Response serverId(Context &ctx)
{
    requireMethod(ctx.request, GET);
    return Response::json(200, QJsonObject{{QStringLiteral("serverId"), ctx.engine.serverId()}});
}

// `?global=true`: the server-level applier, which ArangoDB offers on _system only.
bool wantsGlobal(const Context &ctx)
{
    if (!ctx.request.boolParam(QStringLiteral("global"), false))
        return false;
    if (ctx.database.name != u"_system")
        throw Error(403, ErrorNum::Forbidden,
                    QStringLiteral("global applier operations are only possible from within the "
                                   "_system database; use /_db/_system/_api/replication/…"));
    return true;
}

Response applierConfig(Context &ctx)
{
    requireMethod(ctx.request, GET | PUT);
    ApplierManager &appliers = ctx.engine.appliers();
    if (wantsGlobal(ctx))
        return Response::json(200,
                              ctx.request.method == Method::Get
                                  ? appliers.globalConfig().toJson()
                                  : appliers.setGlobalConfig(ctx.request.jsonObject()).toJson());
    if (ctx.request.method == Method::Get) {
        ApplierConfig c = appliers.config(ctx.database.id);
        if (c.database.isEmpty())
            c.database = ctx.database.name;
        return Response::json(200, c.toJson());
    }
    const QJsonObject patch = ctx.request.jsonObject(); // 400/400 for a broken body
    return Response::json(200, appliers.setConfig(ctx.database, patch).toJson());
}

Response applierStart(Context &ctx)
{
    requireMethod(ctx.request, PUT);
    const std::optional<Tick> from = ctx.request.tickParam(QStringLiteral("from"));
    if (wantsGlobal(ctx))
        return Response::json(200, ctx.engine.appliers().globalStart(from));
    return Response::json(200, ctx.engine.appliers().start(ctx.database, from));
}

Response applierStop(Context &ctx)
{
    requireMethod(ctx.request, PUT);
    if (wantsGlobal(ctx))
        return Response::json(200, ctx.engine.appliers().globalStop());
    return Response::json(200, ctx.engine.appliers().stop(ctx.database));
}

Response applierState(Context &ctx)
{
    requireMethod(ctx.request, GET | DELETE_);
    if (wantsGlobal(ctx))
        return Response::json(200, ctx.request.method == Method::Delete
                                       ? ctx.engine.appliers().globalForget()
                                       : ctx.engine.appliers().globalStateJson());
    if (ctx.request.method == Method::Delete)
        return Response::json(200, ctx.engine.appliers().forget(ctx.database));
    return Response::json(200, ctx.engine.appliers().stateJson(ctx.database));
}

Response sync(Context &ctx)
{
    requireMethod(ctx.request, PUT);
    const QJsonObject body = ctx.request.jsonObject();
    SyncRequest s;
    auto text = [&](const char *name) {
        const QJsonValue v = body.value(QLatin1String(name));
        if (!v.isUndefined() && !v.isNull() && !v.isString())
            throw Error::badParameter(
                QStringLiteral("<%1> must be a string").arg(QLatin1String(name)));
        return v.toString();
    };
    auto flag = [&](const char *name, bool def) {
        const QJsonValue v = body.value(QLatin1String(name));
        if (v.isUndefined())
            return def;
        if (!v.isBool())
            throw Error::badParameter(
                QStringLiteral("<%1> must be a boolean").arg(QLatin1String(name)));
        return v.toBool();
    };
    s.endpoint = text("endpoint");
    if (!client::normalizeEndpoint(s.endpoint).isValid()) {
        QString user, password; // the error shows the endpoint without them
        throw Error::badParameter(
            QStringLiteral("<endpoint> must be a valid endpoint (tcp://, ssl://, http:// or "
                           "https://host:port), got '%1'")
                .arg(client::takeCredentials(s.endpoint, user, password).left(200)));
    }
    s.database = text("database");
    if (s.database.isEmpty())
        s.database = ctx.database.name;
    s.username = text("username");
    s.password = text("password");
    s.endpoint = client::takeCredentials(s.endpoint, s.username, s.password); // never echoed
    s.restrictType = text("restrictType");
    const QJsonValue rc = body.value(QStringLiteral("restrictCollections"));
    if (!rc.isUndefined() && !rc.isArray())
        throw Error::badParameter(
            QStringLiteral("invalid value for <restrictCollections> or <restrictType>"));
    for (const QJsonValue &v : rc.toArray()) {
        if (!v.isString())
            throw Error::badParameter(
                QStringLiteral("invalid value for <restrictCollections> or <restrictType>"));
        s.restrictCollections.append(v.toString());
    }
    const bool typeSet = !s.restrictType.isEmpty();
    if ((typeSet && s.restrictType != u"include" && s.restrictType != u"exclude") ||
        (typeSet && s.restrictCollections.isEmpty()) ||
        (!typeSet && !s.restrictCollections.isEmpty()))
        throw Error::badParameter(
            QStringLiteral("invalid value for <restrictCollections> or <restrictType>"));
    s.includeSystem = flag("includeSystem", true);
    s.dryRun = flag("dryRun", false);
    if (flag("incremental", false))
        throw Error::badParameter(QStringLiteral("<incremental> sync is not supported by this "
                                                 "server yet: use a full sync"));
    const QJsonValue wait = body.value(QStringLiteral("initialSyncMaxWaitTime"));
    if (!wait.isUndefined()) {
        if (!wait.isDouble() || wait.toDouble() < 0)
            throw Error::badParameter(QStringLiteral("<initialSyncMaxWaitTime> must be a "
                                                     "non-negative number of seconds"));
        s.initialSyncMaxWaitTime = wait.toDouble();
    }
    // The sync runs on the applier thread and answers later: no request worker waits for it.
    // It still holds one of the long-call slots until it ends.
    auto slot =
        std::make_shared<LongCallSlots::Slot>(ctx.engine.longCalls(), QStringLiteral("the sync"));
    Response r;
    r.later = std::make_shared<Response::Later>();
    ctx.engine.appliers().syncAsync(
        ctx.database, s,
        [later = r.later, slot](std::exception_ptr error, const QJsonObject &answer) mutable {
            slot.reset();
            if (!error)
                return later->fulfil(Response::json(200, answer));
            try {
                std::rethrow_exception(error);
            } catch (const Error &e) {
                later->fulfil(Response::error(e));
            } catch (const std::exception &e) {
                later->fulfil(
                    Response::error(500, ErrorNum::Internal, QString::fromUtf8(e.what())));
            }
        });
    return r;
}

Response replication(Context &ctx, Batches &batches)
{
    const QString cmd = ctx.param(QStringLiteral("command"));
    if (cmd == u"logger-state")
        return loggerState(ctx);
    if (cmd == u"logger-config")
        return loggerConfig(ctx);
    if (cmd == u"logger-start")
        return loggerStartStop(ctx, true);
    if (cmd == u"logger-stop")
        return loggerStartStop(ctx, false);
    if (cmd == u"logger-follow")
        return loggerFollow(ctx);
    if (cmd == u"logger-first-tick")
        return loggerFirstTick(ctx);
    if (cmd == u"logger-tick-ranges")
        return loggerTickRanges(ctx);
    if (cmd == u"inventory")
        return inventory(ctx, batches);
    if (cmd == u"dump")
        return dump(ctx, batches);
    if (cmd == u"batch")
        return batch(ctx, batches, {});
    if (cmd == u"server-id")
        return serverId(ctx);
    if (cmd == u"applier-config")
        return applierConfig(ctx);
    if (cmd == u"applier-start")
        return applierStart(ctx);
    if (cmd == u"applier-stop")
        return applierStop(ctx);
    if (cmd == u"applier-state")
        return applierState(ctx);
    if (cmd == u"sync")
        return sync(ctx);
    if (cmd == u"restore-data")
        return restoreData(ctx);
    if (cmd == u"restore-points") {
        requireMethod(ctx.request, GET);
        return Response::json(
            200, RestorePointService::list(ctx.reader, *ctx.engine.catalog(), ctx.database.id));
    }
    throw Error::badParameter(QStringLiteral("invalid command '%1'").arg(cmd));
}

} // namespace

void registerReplicationRoutes(Router &router)
{
    const int any =
        GET | PUT | POST | DELETE_ | PATCH | HEAD | int(Method::Options) | int(Method::Other);
    auto batches = std::make_shared<Batches>();
    router.add(any, QStringLiteral("_api/replication/batch/:id"), [batches](Context &ctx) {
        return batch(ctx, *batches, ctx.param(QStringLiteral("id")));
    });
    // Restore points (our extension): a sync's purged collections, per database.
    router.add(GET | PUT, QStringLiteral("_api/replication/restore-points/retention"),
               [](Context &ctx) {
                   using RestorePointService::Retention;
                   Retention r = RestorePointService::retention(ctx.reader, ctx.database.id);
                   if (ctx.request.method == Method::Put) {
                       r = Retention::fromJson(ctx.request.jsonObject(), r);
                       ctx.engine.write([&](WriteTxn &t) {
                           RestorePointService::setRetention(t, ctx.database.id, r);
                       });
                   }
                   return Response::json(200, r.toJson());
               });
    router.add(DELETE_, QStringLiteral("_api/replication/restore-points/:id"), [](Context &ctx) {
        const QString id = ctx.param(QStringLiteral("id"));
        ctx.engine.write(
            [&](WriteTxn &t) { RestorePointService::discard(t, ctx.database.id, id); });
        return Response::json(
            200, withCode(QJsonObject{{QStringLiteral("error"), false}, {QStringLiteral("id"), id}},
                          200));
    });
    router.add(PUT, QStringLiteral("_api/replication/restore-points/:id/restore"),
               [](Context &ctx) {
                   // Guarded like a sync: not while this database's applier writes into it.
                   if (ctx.engine.appliers().isRunning(ctx.database.id))
                       throw Error(400, ErrorNum::ReplicationRunning,
                                   QStringLiteral("cannot restore while the applier of database "
                                                  "'%1' runs: stop it first")
                                       .arg(ctx.database.name));
                   const QString id = ctx.param(QStringLiteral("id"));
                   const QJsonObject done = ctx.engine.write([&](WriteTxn &t) {
                       return RestorePointService::restore(t, ctx.database.id, id);
                   });
                   return Response::json(200, done);
               });
    router.add(any, QStringLiteral("_api/replication/:command"),
               [batches](Context &ctx) { return replication(ctx, *batches); });
    registerWalRoutes(router);
    router.add(any, QStringLiteral("_api/replication"), [](Context &) -> Response {
        throw Error::badParameter(QStringLiteral("invalid command ''"));
    });
    router.add(any, QStringLiteral("_api/replication/:command/:extra"),
               [](Context &ctx) -> Response {
                   throw Error(400, ErrorNum::SuperfluousSuffices,
                               QStringLiteral("expecting URL /_api/replication/%1")
                                   .arg(ctx.param(QStringLiteral("command"))));
               });
}

} // namespace repl::server
