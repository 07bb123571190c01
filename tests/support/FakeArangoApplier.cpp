// FAKE ArangoDB 3.x single server (see FakeArango.h), the follower side 3.11.14 still has:
// /_api/replication/applier-config, -start, -stop, -state (the applier never runs; its state is
// what these routes and FakeArango::setApplierState set) and PUT sync (which only purges).
// Wire facts: shared/spec/arangodb-recorded/ (3.11.14) and ArangoDB 3.11's
// RestReplicationHandler and ReplicationApplierConfiguration.
#include "support/FakeArangoInternal.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace repl::test {

using namespace fakearango;

namespace {

QJsonValue tickOrNull(quint64 tick)
{
    return tick ? QJsonValue(str(tick)) : QJsonValue(QJsonValue::Null);
}

// applier-config keys with the defaults the 3.11.14 recording shows, in its order.
const QList<std::pair<QString, QJsonValue>> &applierDefaults()
{
    static const QList<std::pair<QString, QJsonValue>> defaults = {
        {QStringLiteral("requestTimeout"), 600},
        {QStringLiteral("connectTimeout"), 10},
        {QStringLiteral("ignoreErrors"), 0},
        {QStringLiteral("maxConnectRetries"), 100},
        {QStringLiteral("lockTimeoutRetries"), 0},
        {QStringLiteral("sslProtocol"), 0},
        {QStringLiteral("chunkSize"), 0},
        {QStringLiteral("skipCreateDrop"), false},
        {QStringLiteral("autoStart"), false},
        {QStringLiteral("adaptivePolling"), true},
        {QStringLiteral("autoResync"), false},
        {QStringLiteral("autoResyncRetries"), 2},
        {QStringLiteral("maxPacketSize"), 536870912},
        {QStringLiteral("includeSystem"), true},
        {QStringLiteral("includeFoxxQueues"), false},
        {QStringLiteral("requireFromPresent"), true},
        {QStringLiteral("verbose"), false},
        {QStringLiteral("incremental"), false},
        {QStringLiteral("restrictType"), QString()},
        {QStringLiteral("restrictCollections"), QJsonArray()},
        {QStringLiteral("connectionRetryWaitTime"), 15},
        {QStringLiteral("initialSyncMaxWaitTime"), 300},
        {QStringLiteral("idleMinWaitTime"), 1},
        {QStringLiteral("idleMaxWaitTime"), 2.5},
    };
    return defaults;
}

// ReplicationApplierConfiguration::validate for the restrict pair.
bool restrictionValid(const QJsonObject &config)
{
    const QString type = config.value(u"restrictType").toString();
    const bool hasCollections = !config.value(u"restrictCollections").toArray().isEmpty();
    if (type.isEmpty())
        return !hasCollections;
    return hasCollections && (type == u"include" || type == u"exclude");
}

} // namespace

FakeArango::Impl::Applier FakeArango::Impl::newApplier(const QString &db) const
{
    Applier a;
    a.started = isoNow();
    a.progressTime = a.started;
    a.progressMessage = db.isEmpty()
                            ? QStringLiteral("applier initially created")
                            : QStringLiteral("applier initially created for database '%1'").arg(db);
    return a;
}

FakeArango::Impl::Applier &FakeArango::Impl::applier(const QString &db)
{
    if (db.isEmpty())
        return globalApplier;
    auto it = appliers.find(db);
    if (it == appliers.end())
        it = appliers.insert(db, newApplier(db));
    return *it;
}

QByteArray FakeArango::Impl::applierConfigJson(const QString &db) const
{
    const Applier a = db.isEmpty() ? globalApplier : appliers.value(db, newApplier(db));
    OrderedJson o;
    const QString endpoint = a.config.value(u"endpoint").toString();
    if (!endpoint.isEmpty()) {
        o.add("endpoint", endpoint);
        const QString database = a.config.value(u"database").toString(db);
        if (!database.isEmpty())
            o.add("database", database);
    }
    if (!a.config.value(u"username").toString().isEmpty())
        o.add("username", a.config.value(u"username"));
    for (const auto &[key, dflt] : applierDefaults())
        o.add(key, a.config.value(key).isUndefined() ? dflt : a.config.value(key));
    return o.bytes();
}

// applier-state/-start/-stop: {"state":{…},"server":{…},"endpoint"?,"database"?}
QByteArray FakeArango::Impl::applierStateJson(const QString &db) const
{
    const Applier a = db.isEmpty() ? globalApplier : appliers.value(db, newApplier(db));
    OrderedJson state;
    state.add("started", a.started)
        .add("running", a.running)
        .add("phase", a.running ? QStringLiteral("running") : QStringLiteral("inactive"))
        .add("lastAppliedContinuousTick", tickOrNull(a.lastApplied))
        .add("lastProcessedContinuousTick", tickOrNull(a.lastApplied))
        .add("lastAvailableContinuousTick", tickOrNull(a.lastAvailable))
        .add("safeResumeTick", tickOrNull(a.lastApplied));
    if (a.running)
        state.add("ticksBehind", qint64(a.lastAvailable > a.lastApplied && a.lastApplied > 0
                                            ? a.lastAvailable - a.lastApplied
                                            : 0));
    state.add("progress", OrderedJson()
                              .add("time", a.progressTime)
                              .add("message", a.progressMessage)
                              .add("failedConnects", 0));
    for (const char *key :
         {"totalRequests", "totalFailedConnects", "totalEvents", "totalDocuments", "totalRemovals",
          "totalResyncs", "totalOperationsExcluded", "totalApplyTime", "averageApplyTime",
          "totalFetchTime", "averageFetchTime"})
        state.add(QLatin1String(key), 0);
    OrderedJson lastError;
    lastError.add("errorNum", a.errorNum);
    if (a.errorNum != 0)
        lastError.add("time", a.errorTime).add("errorMessage", a.errorMessage);
    state.add("lastError", lastError).add("time", isoNow());
    OrderedJson o;
    o.add("state", state).add("server", serverInfo(false));
    const QString endpoint = a.config.value(u"endpoint").toString();
    if (!endpoint.isEmpty())
        o.add("endpoint", endpoint);
    const QString database = db.isEmpty() ? QString() : a.config.value(u"database").toString(db);
    if (!database.isEmpty() && !endpoint.isEmpty())
        o.add("database", database);
    return o.bytes();
}

Reply FakeArango::Impl::applierRoute(const Request &req, const QString &cmd)
{
    const bool global = boolParam(req.query, QStringLiteral("global"), false);
    if (global && req.db != u"_system")
        return forbidden(
            QStringLiteral("global inventory can only be created from within _system database"));
    const QString key = global ? QString() : req.db;
    Applier &a = applier(key);
    if (cmd == u"applier-config") {
        if (req.method == "PUT") {
            QJsonParseError pe;
            const QJsonDocument doc = QJsonDocument::fromJson(req.body, &pe);
            if (pe.error != QJsonParseError::NoError || !doc.isObject())
                return corruptedJson();
            if (a.running)
                return error(400, 1411,
                             QStringLiteral("cannot perform operation while applier is "
                                            "running"));
            QJsonObject merged = a.config;
            const QJsonObject body = doc.object();
            for (auto it = body.begin(); it != body.end(); ++it)
                merged.insert(it.key(), it.value());
            if (merged.value(u"endpoint").toString().isEmpty())
                return error(400, 1410, QStringLiteral("invalid value for <endpoint>"));
            if (!restrictionValid(merged))
                return error(
                    400, 1410,
                    QStringLiteral("invalid value for <restrictCollections> or <restrictType>"));
            a.config = merged;
        }
        return json(applierConfigJson(key));
    }
    if (cmd == u"applier-start") {
        if (a.config.value(u"endpoint").toString().isEmpty())
            return error(400, 1410, QStringLiteral("no endpoint configured"));
        a.running = true;
        a.started = a.progressTime = isoNow();
        a.progressMessage = QStringLiteral("applier started");
        if (req.query.hasQueryItem(QStringLiteral("from")))
            a.lastApplied = tickParam(req.query, QStringLiteral("from"), 0);
    } else if (cmd == u"applier-stop") {
        if (a.running) {
            a.running = false;
            a.progressTime = isoNow();
            a.progressMessage = QStringLiteral("applier shut down");
        }
    } else if (req.method == "DELETE") { // applier-state: forget
        if (a.running)
            return error(400, 1411,
                         QStringLiteral("cannot perform operation while applier is running"));
        a = newApplier(key);
    }
    return json(applierStateJson(key));
}

Reply FakeArango::Impl::syncRoute(const Request &req)
{
    ++syncCalls;
    QJsonObject body;
    if (!req.body.trimmed().isEmpty()) {
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(req.body, &pe);
        if (pe.error != QJsonParseError::NoError || !doc.isObject())
            return corruptedJson();
        body = doc.object();
    }
    if (body.value(u"endpoint").toString().isEmpty())
        return error(400, 400, QStringLiteral("<endpoint> must be a valid endpoint"));
    if (!restrictionValid(body))
        return error(400, 1410,
                     QStringLiteral("invalid value for <restrictCollections> or <restrictType>"));
    const bool global = boolParam(req.query, QStringLiteral("global"), false);
    if (global && req.db != u"_system")
        return forbidden(
            QStringLiteral("global inventory can only be created from within _system database"));
    // FAKE: there is no leader to copy from; the local side of the sync — the purge — is
    // real. "dryRun" and any other unknown field are ignored, as ArangoDB does.
    const bool includeSystem = body.value(u"includeSystem").toBool(true);
    const bool foxx = body.value(u"includeFoxxQueues").toBool(false);
    const QString restrictType = body.value(u"restrictType").toString();
    QSet<QString> restricted;
    for (const QJsonValue &v : body.value(u"restrictCollections").toArray())
        restricted.insert(v.toString());
    const quint64 leaderTick = lastTick();
    QList<QByteArray> purged;
    const QStringList names = global ? dbs.keys() : QStringList{req.db};
    for (const QString &dbName : names) {
        for (Collection &c : dbs[dbName].collections) {
            if (excludedFromReplication(c.name, includeSystem, foxx))
                continue;
            if ((restrictType == u"include" && !restricted.contains(c.name)) ||
                (restrictType == u"exclude" && restricted.contains(c.name)))
                continue;
            truncate(dbName, c);
            purged.append(OrderedJson().add("id", c.id).add("name", c.name).bytes());
        }
    }
    return json(OrderedJson()
                    .raw("collections", jsonArray(purged))
                    .add("lastLogTick", str(leaderTick))
                    .bytes());
}

} // namespace repl::test
