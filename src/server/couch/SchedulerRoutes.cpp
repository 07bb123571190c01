// CouchDB 3's scheduler views: /_scheduler/jobs (what runs) and /_scheduler/docs (the
// _replicator documents' states), in CouchDB's shapes, with ?limit and ?skip. Credentials
// never appear: endpoints are shown without user info, headers and auth are not shown.
#include "engine/couch/CouchService.h"
#include "engine/couch/replicator/ReplicationManager.h"
#include "engine/couch/replicator/ReplicatorDb.h"
#include "server/RouteHelpers.h"
#include "server/couch/CouchRouteHelpers.h"
#include "server/couch/CouchRoutes.h"

namespace repl::server {

using couch::couchJson;
using couch::number;

namespace {

// {total_rows, offset, <member>: rows[skip, skip+limit)}
Response page(const Request &request, const char *member, const QJsonArray &rows)
{
    const qint64 skip = number(request, QStringLiteral("skip"), 0);
    const qint64 limit = number(request, QStringLiteral("limit"), rows.size());
    if (skip < 0 || limit < 0)
        throw CouchError::badRequest(QStringLiteral("`limit` and `skip` must be 0 or more"));
    QJsonArray out;
    for (qint64 i = skip; i < rows.size() && i < skip + limit; ++i)
        out.append(rows.at(i));
    return couchJson(200, QJsonObject{{QStringLiteral("total_rows"), rows.size()},
                                      {QStringLiteral("offset"), skip},
                                      {QLatin1String(member), out}});
}

void requireReplicatorDb(const QString &name)
{
    if (name != ReplicatorDb::Name)
        throw CouchError::notFound(QStringLiteral("Database does not exist."));
}

} // namespace

void registerSchedulerRoutes(Router &router)
{
    router.add(GET, QStringLiteral("_scheduler/jobs"), [](Context &ctx) {
        return page(ctx.request, "jobs", ReplicationManager::of(ctx.engine).schedulerJobs());
    });
    router.add(GET, QStringLiteral("_scheduler/jobs/:id"), [](Context &ctx) {
        bool found = false;
        const QJsonObject job = ReplicationManager::of(ctx.engine)
                                    .schedulerJob(ctx.param(QStringLiteral("id")), &found);
        if (!found)
            throw CouchError::notFound(QStringLiteral("missing"));
        return couchJson(200, job);
    });
    router.add(GET, QStringLiteral("_scheduler/docs"), [](Context &ctx) {
        return page(ctx.request, "docs", ReplicationManager::of(ctx.engine).schedulerDocs());
    });
    router.add(GET, QStringLiteral("_scheduler/docs/:db"), [](Context &ctx) {
        requireReplicatorDb(ctx.param(QStringLiteral("db")));
        return page(ctx.request, "docs", ReplicationManager::of(ctx.engine).schedulerDocs());
    });
    router.add(GET, QStringLiteral("_scheduler/docs/:db/:docid"), [](Context &ctx) {
        requireReplicatorDb(ctx.param(QStringLiteral("db")));
        bool found = false;
        const QJsonObject doc = ReplicationManager::of(ctx.engine)
                                    .schedulerDoc(ctx.param(QStringLiteral("docid")), &found);
        if (!found)
            throw CouchError::notFound(QStringLiteral("missing"));
        return couchJson(200, doc);
    });
}

} // namespace repl::server
