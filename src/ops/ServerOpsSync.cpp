#include "ops/ServerOps.h"

#include "client/Endpoint.h"
#include "ops/OpsSupport.h"
#include "ops/SyncPlanner.h"

#include <QPointer>

#include <memory>

// The sync: a preview computed here from both sides (it never writes), and the guarded sync.
namespace repl::ops {

using detail::compact;
using detail::objectOf;
using detail::tr;

namespace {
constexpr int SyncTimeoutMs = 24 * 3600 * 1000; // a sync of a large database takes long
} // namespace

void ServerOps::previewSync(const QString &database, const SyncOptions &options, QObject *context,
                            Done<SyncPlan> done)
{
    if (needsProbe(
            context, [=, this] { previewSync(database, options, context, done); },
            [done](const QString &e) { done({}, e); }))
        return;
    if (refuse(Feature::Sync, [done](const QString &e) { done({}, e); }))
        return;
    // The leader is another server: its own operations object, probed first, so its batches
    // and routes are right too. Owned by this object for the preview's length.
    client::ClientSettings ls = client::ClientSettings::forEndpoint(
        options.leaderEndpoint, {}, {}, options.leaderUser, options.leaderPassword,
        m_client->settings().requestTimeoutMs / 1000.0);
    ls.tls.pinnedSha256 = options.leaderPin;
    if (!ls.base.isValid())
        return done({}, tr("The leader endpoint '%1' is not a valid endpoint (tcp://, ssl://, "
                           "http:// or https://host:port).")
                            .arg(options.leaderEndpoint));
    auto *leader = new ServerOps(ls, this);
    const QString leaderDb = options.leaderDatabase.isEmpty() ? database : options.leaderDatabase;
    auto planner = std::make_shared<SyncPlanner>(options);
    QPointer<ServerOps> self(this);
    auto finish = [leader, planner, done](const QString &error) {
        leader->deleteLater();
        if (!error.isEmpty())
            return done({}, error);
        done(planner->plan(), {});
    };
    auto step = std::make_shared<std::function<void()>>();
    // 1. both inventories, 2. both sides' counts of the collections that matter.
    leader->probe(context, [=](const Dialect &ld, const client::HttpResult &failure) {
        if (!ld.isKnown())
            return finish(tr("cannot reach the leader: %1").arg(describeFailure(failure)));
        if (!ld.isArangoApi())
            return finish(tr("The leader, %1, has no ArangoDB replication API to sync from; use "
                             "Replications instead.")
                              .arg(ld.describe()));
        leader->inventory(leaderDb, context, [=](const QJsonObject &li, const QString &e) {
            if (!e.isEmpty())
                return finish(tr("cannot read the leader's inventory: %1").arg(e));
            planner->setLeaderInventory(li);
            if (!self)
                return;
            self->inventory(database, context, [=](const QJsonObject &ti, const QString &e2) {
                if (!e2.isEmpty())
                    return finish(tr("cannot read this server's inventory: %1").arg(e2));
                planner->setLocalInventory(ti);
                leader->counts(leaderDb, planner->leaderCollectionsToCount(), context,
                               [=](const QHash<QString, qint64> &lc, const QString &e3) {
                                   if (!e3.isEmpty())
                                       return finish(e3);
                                   planner->setLeaderCounts(lc);
                                   if (!self)
                                       return;
                                   self->counts(
                                       database, planner->localCollectionsToCount(), context,
                                       [=](const QHash<QString, qint64> &tc, const QString &e4) {
                                           if (!e4.isEmpty())
                                               return finish(e4);
                                           planner->setLocalCounts(tc);
                                           finish({});
                                       });
                               });
            });
        });
    });
}

void ServerOps::sync(const QString &database, const SyncOptions &options,
                     const QString &confirmDatabase, QObject *context, Done<QJsonObject> done)
{
    if (needsProbe(
            context, [=, this] { sync(database, options, confirmDatabase, context, done); },
            [done](const QString &e) { done({}, e); }))
        return;
    if (refuse(Feature::Sync, [done](const QString &e) { done({}, e); }))
        return;
    const QString name = database.isEmpty() ? QStringLiteral("_system") : database;
    if (confirmDatabase != name)
        return done({}, tr("Not confirmed: a sync purges database '%1'; confirm with its exact "
                           "name (got '%2').")
                            .arg(name, confirmDatabase));
    m_client->request(
        "PUT", dbPath(database, QStringLiteral("/_api/replication/sync")), {},
        compact(options.syncBody(name)), context,
        [done](const client::HttpResult &r) {
            r.ok() ? done(objectOf(r.body), {}) : done({}, describeFailure(r));
        },
        SyncTimeoutMs);
}

} // namespace repl::ops
