// ArangoDB 3.x's WAL access (/_api/wal/tail, /lastTick, /range) over our per-database log, so
// clients written for 3.x (and ReplDesk's own 3.x path) run against a live engine too. Lines
// come in 3.x's shape: `db` and `cuid` (the collection's globallyUniqueId), no `cname`.
#include "core/Clock.h"
#include "engine/LoggerService.h"
#include "server/LogTail.h"
#include "server/RouteHelpers.h"
#include "server/Routes.h"

#include <QJsonDocument>

namespace repl::server {

namespace {

QJsonObject serverObject(Context &ctx)
{
    return QJsonObject{{QStringLiteral("version"), QStringLiteral(REPLDESK_VERSION)},
                       {QStringLiteral("serverId"), ctx.engine.serverId()}};
}

// One stored log line (tick, type, database, cid, cname, tid, key, rev, data) in wal/tail's
// shape. Markers without a collection (transactions, logger start/stop) keep tick, type, db, tid.
QByteArray walLine(const QByteArray &line, const QString &database, const QString &serverId)
{
    const QJsonObject o = QJsonDocument::fromJson(line).object();
    if (o.isEmpty())
        return {};
    QJsonObject out{{QStringLiteral("tick"), o.value(QStringLiteral("tick"))},
                    {QStringLiteral("type"), o.value(QStringLiteral("type"))},
                    {QStringLiteral("db"), database}};
    const QString cid = o.value(QStringLiteral("cid")).toVariant().toString();
    if (!cid.isEmpty() && cid != u"0")
        out.insert(QStringLiteral("cuid"), QStringLiteral("h%1/%2").arg(serverId, cid));
    if (o.contains(QStringLiteral("tid")))
        out.insert(QStringLiteral("tid"), o.value(QStringLiteral("tid")));
    QJsonValue data = o.value(QStringLiteral("data"));
    if (data.isUndefined() && o.contains(QStringLiteral("key")))
        data = QJsonObject{{QStringLiteral("_key"), o.value(QStringLiteral("key"))},
                           {QStringLiteral("_rev"), o.value(QStringLiteral("rev"))}};
    if (!data.isUndefined())
        out.insert(QStringLiteral("data"), data);
    return QJsonDocument(out).toJson(QJsonDocument::Compact);
}

Response tail(Context &ctx)
{
    const Request &r = ctx.request;
    if (r.boolParam(QStringLiteral("global"), false)) {
        if (ctx.database.name != u"_system")
            throw Error(403, ErrorNum::Forbidden,
                        QStringLiteral("global tailing is only possible from within _system "
                                       "database"));
        throw Error(501, ErrorNum::BadParameter,
                    QStringLiteral("global tailing is not supported by this server: its log is "
                                   "kept per database; tail each one under "
                                   "/_db/{name}/_api/wal/tail"));
    }
    const LogTailCall call = readLogTailCall(r, false, 1024 * 1024); // 3.x's defaults
    const LoggerService::FollowResult res =
        LoggerService::follow(ctx.engine, ctx.reader, ctx.database, call.follow);
    QByteArray body;
    body.reserve(res.body.size());
    for (const QByteArray &line : res.body.split('\n')) {
        const QByteArray out = walLine(line, ctx.database.name, ctx.engine.serverId());
        if (!out.isEmpty())
            body += out + '\n';
    }
    return logTailResponse(ctx, call, res, std::move(body), false);
}

Response lastTick(Context &ctx)
{
    const DatabaseLogState s = ctx.engine.loggerState().state(ctx.database.id);
    return Response::json(200, QJsonObject{{QStringLiteral("time"), isoNow()},
                                           {QStringLiteral("tick"), tickString(s.lastLogTick)},
                                           {QStringLiteral("server"), serverObject(ctx)}});
}

Response range(Context &ctx)
{
    const DatabaseLogState s = ctx.engine.loggerState().state(ctx.database.id);
    const Tick min = s.stats.count > 0 ? s.stats.first : s.lastLogTick;
    return Response::json(200, QJsonObject{{QStringLiteral("time"), isoNow()},
                                           {QStringLiteral("tickMin"), tickString(min)},
                                           {QStringLiteral("tickMax"), tickString(s.lastLogTick)},
                                           {QStringLiteral("server"), serverObject(ctx)}});
}

} // namespace

void registerWalRoutes(Router &router)
{
    router.add(GET, QStringLiteral("_api/wal/tail"), tail);
    router.add(GET, QStringLiteral("_api/wal/lastTick"), lastTick);
    router.add(GET, QStringLiteral("_api/wal/range"), range);
}

} // namespace repl::server
