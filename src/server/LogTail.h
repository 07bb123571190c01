#pragma once

#include "engine/LoggerService.h"
#include "server/Router.h"

namespace repl::server {

// A tail of the replication log as logger-follow (ours, ArangoDB ≤ 3.12.9) and /_api/wal/tail
// (ArangoDB 3.x) both take it: from, to, chunkSize, includeSystem, serverId, and our waitMs.
struct LogTailCall
{
    LoggerService::FollowRequest follow;
    qint64 waitMs = 0; // our extension: hold an empty answer until an event arrives
};
LogTailCall readLogTailCall(const Request &r, bool includeSystemDefault, qint64 defaultChunkSize);

// The answer: `body` (204 when empty; parked when the caller asked to wait) with the
// x-arango-replication-* headers; `active` only where logger-follow sends it.
Response logTailResponse(Context &ctx, const LogTailCall &call,
                         const LoggerService::FollowResult &res, QByteArray body, bool withActive);

} // namespace repl::server
