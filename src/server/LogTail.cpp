#include "server/LogTail.h"

#include "engine/Catalog.h"

namespace repl::server {

namespace {
QByteArray flag(bool b)
{
    return b ? QByteArrayLiteral("true") : QByteArrayLiteral("false");
}
} // namespace

LogTailCall readLogTailCall(const Request &r, bool includeSystemDefault, qint64 defaultChunkSize)
{
    LogTailCall c;
    LoggerService::FollowRequest &f = c.follow;
    f.from = r.tickParam(QStringLiteral("from")).value_or(0);
    f.to = r.tickParam(QStringLiteral("to")).value_or(MaxTick);
    if (f.from > f.to || f.to == 0)
        throw Error::badParameter(QStringLiteral("invalid from/to values"));
    const qint64 chunk = r.intParam(QStringLiteral("chunkSize")).value_or(defaultChunkSize);
    f.chunkSize = chunk <= 0 ? defaultChunkSize : qMin<qint64>(chunk, 128 * 1024 * 1024);
    f.includeSystem = r.boolParam(QStringLiteral("includeSystem"), includeSystemDefault);
    f.clientServerId = r.queryValue(QStringLiteral("serverId"));
    if (!f.clientServerId.isEmpty() && !parseTick(f.clientServerId))
        throw Error::badParameter(QStringLiteral("invalid value for <serverId>: expected an "
                                                 "unsigned decimal number"));
    c.waitMs = qMin<qint64>(r.intParam(QStringLiteral("waitMs")).value_or(0), 60000);
    return c;
}

Response logTailResponse(Context &ctx, const LogTailCall &call,
                         const LoggerService::FollowResult &res, QByteArray body, bool withActive)
{
    const bool empty = body.isEmpty();
    Response resp = Response::raw(empty ? 204 : 200, std::move(body),
                                  "application/x-arango-dump; charset=utf-8");
    if (empty && call.waitMs > 0)
        resp.park = Response::Park{
            ctx.database.id, qMax(call.follow.from, res.loggedBeforeScan), int(call.waitMs), 0, {}};
    if (withActive)
        resp.header("x-arango-replication-active", flag(res.active));
    resp.header("x-arango-replication-lastincluded", tickBytes(res.lastIncluded));
    resp.header("x-arango-replication-lastscanned", tickBytes(res.lastScanned));
    resp.header("x-arango-replication-lasttick", tickBytes(res.lastTick));
    resp.header("x-arango-replication-checkmore", flag(res.checkMore));
    resp.header("x-arango-replication-frompresent", flag(res.fromPresent));
    return resp;
}

} // namespace repl::server
