#include "core/Clock.h"
#include "engine/LoggerService.h"
#include "engine/ReadService.h"
#include "engine/WriteTxn.h"
#include "server/RouteHelpers.h"
#include "server/Routes.h"

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
    const Request &r = ctx.request;
    LoggerService::FollowRequest f;
    f.from = r.tickParam(QStringLiteral("from")).value_or(0);
    f.to = r.tickParam(QStringLiteral("to")).value_or(MaxTick);
    if (f.from > f.to || f.to == 0)
        throw Error::badParameter(QStringLiteral("invalid from/to values"));
    f.chunkSize = chunkSize(r);
    f.includeSystem = r.boolParam(QStringLiteral("includeSystem"), true);
    f.clientServerId = r.queryValue(QStringLiteral("serverId"));
    if (!f.clientServerId.isEmpty() && !parseTick(f.clientServerId))
        throw Error::badParameter(QStringLiteral("invalid value for <serverId>: expected an "
                                                 "unsigned decimal number"));
    const LoggerService::FollowResult res =
        LoggerService::follow(ctx.engine, ctx.reader, ctx.database, f);
    Response resp = Response::raw(res.body.isEmpty() ? 204 : 200, res.body, DumpContentType);
    resp.header("x-arango-replication-active", flag(res.active));
    resp.header("x-arango-replication-lastincluded", tickBytes(res.lastIncluded));
    resp.header("x-arango-replication-lastscanned", tickBytes(res.lastScanned));
    resp.header("x-arango-replication-lasttick", tickBytes(res.lastTick));
    resp.header("x-arango-replication-checkmore", flag(res.checkMore));
    resp.header("x-arango-replication-frompresent", flag(res.fromPresent));
    return resp;
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

Response inventory(Context &ctx)
{
    requireMethod(ctx.request, GET);
    const bool includeSystem = ctx.request.boolParam(QStringLiteral("includeSystem"), false);
    return Response::json(
        200, ReadService::inventory(ctx.engine, ctx.reader, ctx.database, includeSystem));
}

Response dump(Context &ctx)
{
    requireMethod(ctx.request, GET);
    const Request &r = ctx.request;
    const QString name = r.queryValue(QStringLiteral("collection"));
    if (name.isEmpty())
        throw Error::badParameter(QStringLiteral("invalid collection parameter"));
    ReadService::DumpRequest d;
    d.from = r.tickParam(QStringLiteral("from")).value_or(0);
    d.to = r.tickParam(QStringLiteral("to")).value_or(MaxTick);
    if (d.from > d.to || d.to == 0)
        throw Error::badParameter(QStringLiteral("invalid from/to values"));
    d.chunkSize = chunkSize(r);
    d.ticks = r.boolParam(QStringLiteral("ticks"), true);
    const bool includeSystem = r.boolParam(QStringLiteral("includeSystem"), true);
    std::shared_ptr<const Catalog> hold;
    const CollectionInfo &c = requireCollection(ctx, name, hold);
    if (c.isSystem() && !includeSystem)
        return Response::raw(204, {}, DumpContentType);
    const ReadService::DumpResult res = ReadService::dump(ctx.reader, c, d);
    Response resp = Response::raw(res.body.isEmpty() ? 204 : 200, res.body, DumpContentType);
    resp.header("x-arango-replication-lastincluded", tickBytes(res.lastIncluded));
    resp.header("x-arango-replication-checkmore", flag(res.checkMore));
    return resp;
}

Response serverId(Context &ctx)
{
    requireMethod(ctx.request, GET);
    return Response::json(200, QJsonObject{{QStringLiteral("serverId"), ctx.engine.serverId()}});
}

Response notYet(Context &ctx)
{
    Q_UNUSED(ctx);
    return Response::error(501, 9, QStringLiteral("not implemented in this build of repldesk"));
}

Response replication(Context &ctx)
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
        return inventory(ctx);
    if (cmd == u"dump")
        return dump(ctx);
    if (cmd == u"server-id")
        return serverId(ctx);
    if (cmd == u"sync" || cmd.startsWith(u"applier-"))
        return notYet(ctx);
    throw Error::badParameter(QStringLiteral("invalid command '%1'").arg(cmd));
}

} // namespace

void registerReplicationRoutes(Router &router)
{
    const int any =
        GET | PUT | POST | DELETE_ | PATCH | HEAD | int(Method::Options) | int(Method::Other);
    router.add(any, QStringLiteral("_api/replication/:command"), replication);
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
