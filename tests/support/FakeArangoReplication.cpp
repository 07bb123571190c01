// FAKE ArangoDB 3.x single server (see FakeArango.h), its leader side: /_api/wal (tail, lastTick,
// range, open-transactions) and /_api/replication (batch, inventory, dump, logger-state,
// logger-follow, logger-first-tick, logger-tick-ranges, server-id; the commands 3.12.10 removed
// or the FAKE does not simulate). The applier and sync are in FakeArangoApplier.cpp.
// Wire facts: shared/spec/arangodb-recorded/ (3.11.14, 3.12.10) and the RocksDB replication
// handlers of ArangoDB 3.x (RestReplicationHandler, RocksDBRestReplicationHandler,
// RestWalAccessHandler).
#include "support/FakeArangoInternal.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <algorithm>

namespace repl::test {

using namespace fakearango;

namespace {

Reply invalidCommand(const QString &cmd)
{
    return error(400, 400, QStringLiteral("invalid command '%1'").arg(cmd));
}

Reply methodNotSupported()
{
    return error(405, 405, QStringLiteral("method not supported"));
}

} // namespace

namespace fakearango {

// TRI_ExcludeCollectionReplication
bool excludedFromReplication(const QString &name, bool includeSystem, bool includeFoxxQueues)
{
    if (!name.startsWith(u'_'))
        return false;
    if (!includeSystem || name.startsWith(u"_statistics"))
        return true;
    return !includeFoxxQueues && (name == u"_jobs" || name == u"_queues");
}

} // namespace fakearango

void FakeArango::Impl::collectGarbage()
{
    for (auto it = batches.begin(); it != batches.end();)
        it = it->expires.hasExpired() ? batches.erase(it) : std::next(it);
}

OrderedJson FakeArango::Impl::serverInfo(bool withEngine) const
{
    OrderedJson o;
    o.add("version", versionString()).add("serverId", serverId);
    if (withEngine)
        o.add("engine", QStringLiteral("rocksdb"));
    return o;
}

OrderedJson FakeArango::Impl::loggerState(quint64 tickValue) const
{
    return OrderedJson()
        .add("running", true)
        .add("lastLogTick", str(tickValue))
        .add("lastUncommittedLogTick", str(tickValue))
        .add("totalEvents", qint64(tickValue))
        .add("time", isoNow());
}

QByteArray FakeArango::Impl::loggerStateObject() const
{
    return OrderedJson()
        .add("state", loggerState(lastTick()))
        .add("server", serverInfo(true))
        .raw("clients", "[]")
        .bytes();
}

// One WAL marker as /_api/wal/tail writes it (newLayout) or as logger-follow does.
QByteArray FakeArango::Impl::markerLine(const WalEntry &e, bool newLayout) const
{
    OrderedJson o;
    o.add("tick", str(e.tick)).add("type", e.type);
    if (newLayout) {
        o.add("db", e.db);
        if (!e.cuid.isEmpty())
            o.add("cuid", e.cuid);
        if (e.type == 2300 || e.type == 2302)
            o.add("tid", QStringLiteral("0"));
        if (!e.data.isEmpty())
            o.raw("data", e.data);
        return o.bytes();
    }
    o.add("database", e.dbId);
    if (e.type == 2300 || e.type == 2302)
        o.add("tid", QStringLiteral("0"));
    else if (!e.cuid.isEmpty())
        o.add("cuid", e.cuid);
    if (!e.cid.isEmpty())
        o.add("cid", e.cid);
    if (e.type == 2001)
        return o.raw("data", OrderedJson().add("id", e.cid).add("name", QString()).bytes()).bytes();
    if (!e.cname.isEmpty())
        o.add("cname", e.cname);
    if (!e.data.isEmpty())
        o.raw("data", e.data);
    return o.bytes();
}

// Markers in (from, to], filtered, until the body reaches chunkSize (checked after each
// marker, so at least one is returned).
FakeArango::Impl::TailResult FakeArango::Impl::tail(const Request &req, bool global, bool newLayout,
                                                    bool includeSystem, quint64 from, quint64 to,
                                                    quint64 chunkSize, const QString &only) const
{
    const bool foxx = boolParam(req.query, QStringLiteral("includeFoxxQueues"), false);
    TailResult r;
    r.lastScanned = std::min(from, lastTick());
    for (const WalEntry &e : wal) {
        if (e.tick <= from)
            continue;
        if (e.tick > to)
            break;
        r.lastScanned = e.tick;
        if (!global && e.db != req.db)
            continue;
        if (!e.cname.isEmpty()) {
            if (excludedFromReplication(e.cname, includeSystem, foxx))
                continue;
            if (!only.isEmpty() && e.cname != only)
                continue;
            // RocksDB quirk: markers of a collection that is gone by now are skipped, all
            // but its drop marker.
            if (e.type != 2001 && !collectionExists(e.cid))
                continue;
        } else if (!only.isEmpty()) {
            continue;
        }
        r.body += markerLine(e, newLayout) + '\n';
        r.lastIncluded = e.tick;
        if (quint64(r.body.size()) >= chunkSize)
            break;
    }
    return r;
}

Headers FakeArango::Impl::tailHeaders(const TailResult &r, quint64 from) const
{
    const quint64 latest = lastTick();
    const bool checkMore = r.lastIncluded > 0 && r.lastIncluded < latest;
    return {{"x-arango-replication-checkmore", checkMore ? "true" : "false"},
            {"x-arango-replication-frompresent", from + 1 >= walFirstTick ? "true" : "false"},
            {"x-arango-replication-lastincluded", QByteArray::number(r.lastIncluded)},
            {"x-arango-replication-lastscanned", QByteArray::number(r.lastScanned)},
            {"x-arango-replication-lasttick", QByteArray::number(latest)}};
}

// dump, wal/tail, logger-follow: 200 with lines, or 204 with an empty body; the
// replication headers either way.
Reply FakeArango::Impl::dumpReply(const QByteArray &body, Headers headers)
{
    Reply r = json(body, body.isEmpty() ? 204 : 200);
    r.headers = std::move(headers);
    r.contentType = QByteArrayLiteral("application/x-arango-dump");
    return r;
}

Reply FakeArango::Impl::walRoute(const Request &req) const
{
    const QString sub = req.parts.value(2);
    const bool get = req.method == "GET";
    const OrderedJson server = serverInfo(false);
    if (sub == u"lastTick" && get && req.parts.size() == 3)
        return json(OrderedJson()
                        .add("time", isoNow())
                        .add("tick", str(lastTick()))
                        .add("server", server)
                        .bytes());
    if (sub == u"range" && get && req.parts.size() == 3)
        return json(OrderedJson()
                        .add("time", isoNow())
                        .add("tickMin", str(walFirstTick))
                        .add("tickMax", str(lastTick()))
                        .add("server", server)
                        .bytes());
    const quint64 from = tickParam(req.query, QStringLiteral("from"), 0);
    const quint64 to = tickParam(req.query, QStringLiteral("to"), kMaxTick);
    const bool badRange = from > to || to == 0;
    if (sub == u"open-transactions" && get && req.parts.size() == 3) {
        if (badRange)
            return error(400, 400, QStringLiteral("invalid from/to values"));
        Reply r = noContent(
            {{"x-arango-replication-frompresent", from + 1 >= walFirstTick ? "true" : "false"},
             {"x-arango-replication-lastincluded", "0"}});
        return r;
    }
    if (sub == u"tail" && (get || req.method == "PUT") && req.parts.size() == 3) {
        if (badRange)
            return error(400, 400, QStringLiteral("invalid from/to values"));
        const bool global = boolParam(req.query, QStringLiteral("global"), false);
        if (global && req.db != u"_system")
            return forbidden(
                QStringLiteral("global tailing is only possible from within _system database"));
        const QString only =
            req.query.queryItemValue(QStringLiteral("collection"), QUrl::FullyDecoded);
        if (!only.isEmpty() && !global && !dbs[req.db].collections.contains(only))
            return collectionNotFound();
        const quint64 chunk = std::min(
            kMaxChunk, tickParam(req.query, QStringLiteral("chunkSize"), kDefaultTailChunk));
        const TailResult r =
            tail(req, global, true, boolParam(req.query, QStringLiteral("includeSystem"), false),
                 from, to, chunk, only);
        return dumpReply(r.body, tailHeaders(r, from));
    }
    return error(400, 400,
                 QStringLiteral("expected GET /_api/wal/[tail|range|lastTick|open-transactions]>"));
}

Reply FakeArango::Impl::replicationRoute(const Request &req)
{
    const QString cmd = req.parts.at(2);
    const qsizetype suffixes = req.parts.size() - 2;
    const QByteArray &m = req.method;
    static const QSet<QString> removedIn31210{QStringLiteral("applier-config"),
                                              QStringLiteral("applier-start"),
                                              QStringLiteral("applier-stop"),
                                              QStringLiteral("applier-state"),
                                              QStringLiteral("applier-state-all"),
                                              QStringLiteral("make-follower"),
                                              QStringLiteral("make-slave"),
                                              QStringLiteral("logger-follow"),
                                              QStringLiteral("logger-first-tick"),
                                              QStringLiteral("logger-tick-ranges"),
                                              QStringLiteral("logger-last"),
                                              QStringLiteral("server-id"),
                                              QStringLiteral("sync")};
    static const QSet<QString> notSimulatedCommands{
        QStringLiteral("make-follower"),   QStringLiteral("make-slave"),
        QStringLiteral("logger-last"),     QStringLiteral("keys"),
        QStringLiteral("revisions"),       QStringLiteral("restore-collection"),
        QStringLiteral("restore-indexes"), QStringLiteral("restore-data"),
        QStringLiteral("restore-view"),    QStringLiteral("clusterInventory")};
    if (!is311() && removedIn31210.contains(cmd))
        return invalidCommand(cmd);
    if (notSimulatedCommands.contains(cmd))
        return notSimulated();
    if (cmd == u"batch")
        return batchRoute(req);
    // command → the methods it takes
    static const QHash<QString, QList<QByteArray>> methods{
        {QStringLiteral("inventory"), {"GET"}},
        {QStringLiteral("dump"), {"GET"}},
        {QStringLiteral("logger-state"), {"GET"}},
        {QStringLiteral("logger-follow"), {"GET"}},
        {QStringLiteral("logger-first-tick"), {"GET"}},
        {QStringLiteral("logger-tick-ranges"), {"GET"}},
        {QStringLiteral("server-id"), {"GET", "PUT"}},
        {QStringLiteral("applier-config"), {"GET", "PUT"}},
        {QStringLiteral("applier-start"), {"PUT"}},
        {QStringLiteral("applier-stop"), {"PUT"}},
        {QStringLiteral("applier-state"), {"GET", "DELETE"}},
        {QStringLiteral("applier-state-all"), {"GET"}},
        {QStringLiteral("sync"), {"PUT"}}};
    const auto allowed = methods.constFind(cmd);
    if (allowed == methods.cend())
        return invalidCommand(cmd);
    if (!allowed->contains(m))
        return suffixes == 1
                   ? methodNotSupported()
                   : error(400, 601, QStringLiteral("expecting URL /_api/replication/%1").arg(cmd));
    if (cmd == u"inventory")
        return inventoryRoute(req);
    if (cmd == u"dump")
        return dumpRoute(req);
    if (cmd == u"logger-state")
        return json(loggerStateObject());
    if (cmd == u"logger-follow")
        return loggerFollowRoute(req);
    if (cmd == u"logger-first-tick")
        return json(OrderedJson().add("firstTick", str(walFirstTick)).bytes());
    if (cmd == u"logger-tick-ranges")
        return json(jsonArray({OrderedJson()
                                   .add("datafile", QStringLiteral("/000001.log"))
                                   .add("status", QStringLiteral("open"))
                                   .add("tickMin", str(walFirstTick))
                                   .add("tickMax", str(lastTick()))
                                   .bytes()}));
    if (cmd == u"server-id")
        return m == "GET" ? json(OrderedJson().add("serverId", serverId).bytes()) : notSimulated();
    if (cmd == u"sync")
        return syncRoute(req);
    if (cmd == u"applier-state-all") {
        if (req.db != u"_system")
            return forbidden(
                QStringLiteral("global inventory can only be fetched from within _system "
                               "database"));
        OrderedJson all;
        for (const Database &d : dbs)
            all.raw(d.name, applierStateJson(d.name));
        return json(all.bytes());
    }
    return applierRoute(req, cmd);
}

Reply FakeArango::Impl::batchRoute(const Request &req)
{
    const qsizetype suffixes = req.parts.size() - 2;
    if (req.method == "POST" && suffixes == 1) {
        qint64 ttl = kDefaultBatchTtl;
        if (!req.body.trimmed().isEmpty()) {
            QJsonParseError pe;
            const QJsonDocument doc = QJsonDocument::fromJson(req.body, &pe);
            if (pe.error != QJsonParseError::NoError || !doc.isObject())
                return corruptedJson();
            if (const qint64 t = qint64(doc.object().value(u"ttl").toDouble()); t > 0)
                ttl = t;
        }
        Batch b;
        b.ttlSeconds = ttl;
        b.expires = QDeadlineTimer(ttl * 1000);
        b.lastTick = lastTick();
        for (const Database &d : dbs)
            for (const Collection &c : d.collections)
                b.snapshot.insert(c.id, c.docs.values());
        const quint64 id = ++tick;
        batches.insert(id, b);
        OrderedJson o;
        o.add("id", str(id)).add("lastTick", str(b.lastTick));
        if (boolParam(req.query, QStringLiteral("state"), false))
            o.raw("state", loggerStateObject());
        return json(o.bytes());
    }
    if ((req.method == "PUT" || req.method == "DELETE") && suffixes == 2) {
        const auto it = batches.find(req.parts.at(3).toULongLong());
        if (it == batches.end())
            return error(404, 1600, QStringLiteral("cursor not found"));
        if (req.method == "DELETE") {
            batches.erase(it);
            return noContent();
        }
        qint64 ttl = kDefaultBatchTtl;
        const QJsonObject body = QJsonDocument::fromJson(req.body).object();
        if (const qint64 t = qint64(body.value(u"ttl").toDouble()); t > 0)
            ttl = t;
        it->ttlSeconds = ttl;
        it->expires = QDeadlineTimer(ttl * 1000);
        return noContent();
    }
    return methodNotSupported();
}

FakeArango::Impl::Batch *FakeArango::Impl::findBatch(const Request &req)
{
    const auto it = batches.find(tickParam(req.query, QStringLiteral("batchId"), 0));
    if (it == batches.end())
        return nullptr;
    it->expires = QDeadlineTimer(it->ttlSeconds * 1000); // each use extends the lifetime
    return &*it;
}

QByteArray FakeArango::Impl::inventoryCollections(const Database &d, bool includeSystem, bool foxx,
                                                  const QString &only) const
{
    QList<const Collection *> list;
    for (const Collection &c : d.collections)
        if (!excludedFromReplication(c.name, includeSystem, foxx) &&
            (only.isEmpty() || c.name == only))
            list.append(&c);
    std::stable_sort(list.begin(), list.end(), [](const Collection *a, const Collection *b) {
        return a->type != b->type ? a->type < b->type : a->name < b->name;
    });
    QList<QByteArray> out;
    for (const Collection *c : list) {
        QList<QByteArray> indexes;
        for (const auto &[id, def] : c->indexes)
            indexes.append(indexJson(def, id));
        out.append(OrderedJson()
                       .raw("indexes", jsonArray(indexes))
                       .add("parameters", parameters(*c))
                       .bytes());
    }
    return jsonArray(out);
}

Reply FakeArango::Impl::inventoryRoute(const Request &req)
{
    if (!req.query.hasQueryItem(QStringLiteral("batchId")))
        return error(404, 1600, QStringLiteral("batchId not specified"));
    const Batch *b = findBatch(req);
    if (!b)
        return error(404, 1600, QStringLiteral("context was not found"));
    const bool global = boolParam(req.query, QStringLiteral("global"), false);
    if (global && req.db != u"_system")
        return forbidden(
            QStringLiteral("global inventory can only be created from within _system database"));
    const bool includeSystem = boolParam(req.query, QStringLiteral("includeSystem"), true);
    const bool foxx = boolParam(req.query, QStringLiteral("includeFoxxQueues"), false);
    const QString only = req.query.queryItemValue(QStringLiteral("collection"), QUrl::FullyDecoded);
    OrderedJson o;
    if (global) {
        OrderedJson databases;
        for (const Database &d : dbs)
            databases.add(d.name,
                          OrderedJson()
                              .add("id", d.id)
                              .add("name", d.name)
                              .add("properties", databaseProperties(d))
                              .raw("collections", inventoryCollections(d, includeSystem, foxx, {}))
                              .raw("views", "[]"));
        o.add("databases", databases);
    } else {
        const Database &d = dbs[req.db];
        if (only.isEmpty())
            o.add("properties", databaseProperties(d));
        o.raw("collections", inventoryCollections(d, includeSystem, foxx, only)).raw("views", "[]");
    }
    o.add("state", loggerState(b->lastTick)).add("tick", str(tick));
    return json(o.bytes());
}

Reply FakeArango::Impl::dumpRoute(const Request &req)
{
    const QString name = req.query.queryItemValue(QStringLiteral("collection"), QUrl::FullyDecoded);
    if (name.isEmpty())
        return error(400, 400, QStringLiteral("invalid collection parameter"));
    if (!req.query.hasQueryItem(QStringLiteral("batchId")))
        return error(404, 400, QStringLiteral("replication dump - request misses batchId"));
    Batch *b = findBatch(req);
    if (!b)
        return error(
            404, 400,
            QStringLiteral("replication dump - unable to find context (it could be expired)"));
    const Collection *c = collection(req.db, name);
    if (!c)
        return error(400, 400, QStringLiteral("replication dump - bad parameter"));
    const quint64 chunk =
        std::min(kMaxChunk, tickParam(req.query, QStringLiteral("chunkSize"), kDefaultDumpChunk));
    const bool envelope = boolParam(req.query, QStringLiteral("useEnvelope"), true);
    const QList<QJsonObject> docs = b->snapshot.value(c->id);
    qsizetype &pos = b->position[c->id];
    QByteArray body;
    while (pos < docs.size() && quint64(body.size()) < chunk) {
        const QByteArray doc = documentJson(docs.at(pos++));
        body += envelope ? "{\"type\":2300,\"data\":" + doc + "}\n" : doc + '\n';
    }
    // lastincluded is a running counter of this context, not a WAL tick
    return dumpReply(body,
                     {{"x-arango-replication-checkmore", pos < docs.size() ? "true" : "false"},
                      {"x-arango-replication-lastincluded",
                       body.isEmpty() ? QByteArray("0") : QByteArray::number(pos)}});
}

Reply FakeArango::Impl::loggerFollowRoute(const Request &req) const
{
    const quint64 from = tickParam(req.query, QStringLiteral("from"), 0);
    const quint64 to = tickParam(req.query, QStringLiteral("to"), kMaxTick);
    if (from > to || to == 0)
        return error(400, 400, QStringLiteral("invalid from/to values"));
    const QString only = req.query.queryItemValue(QStringLiteral("collection"), QUrl::FullyDecoded);
    if (!only.isEmpty() && !dbs[req.db].collections.contains(only))
        return collectionNotFound();
    const quint64 chunk =
        std::min(kMaxChunk, tickParam(req.query, QStringLiteral("chunkSize"), kDefaultTailChunk));
    const TailResult r =
        tail(req, false, false, boolParam(req.query, QStringLiteral("includeSystem"), true), from,
             to, chunk, only);
    Headers headers = tailHeaders(r, from);
    headers.prepend({"x-arango-replication-active", "true"});
    return dumpReply(r.body, std::move(headers));
}

} // namespace repl::test
