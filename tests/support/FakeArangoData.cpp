// FAKE ArangoDB 3.x single server (see FakeArango.h), its data: databases, collections, indexes
// and documents, the WAL markers each change writes, and the routes that read them
// (/_api/database, /_api/collection, /_api/index).
// Wire facts: shared/spec/arangodb-recorded/ (3.11.14, 3.12.10) and ArangoDB 3.x's RocksDB
// engine.
#include "support/FakeArangoInternal.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace repl::test {

using namespace fakearango;

namespace {

bool isSystemAttribute(const QString &key)
{
    return key == u"_key" || key == u"_id" || key == u"_from" || key == u"_to" || key == u"_rev";
}

// ArangoDB's _rev: a hybrid logical clock value in its own base64 alphabet, 11 characters.
QString encodeRevision(quint64 value)
{
    static const char alphabet[] =
        "-_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString out(11, u'-');
    for (int i = 10; i >= 0; --i) {
        out[i] = QLatin1Char(alphabet[value & 0x3f]);
        value >>= 6;
    }
    return out;
}

} // namespace

namespace fakearango {

// System attributes first, as RocksDB stores a document, then the others.
QByteArray documentJson(const QJsonObject &doc)
{
    OrderedJson o;
    for (const char *key : {"_key", "_id", "_from", "_to", "_rev"})
        if (doc.contains(QLatin1String(key)))
            o.add(QLatin1String(key), doc.value(QLatin1String(key)));
    for (auto it = doc.begin(); it != doc.end(); ++it)
        if (!isSystemAttribute(it.key()))
            o.add(it.key(), it.value());
    return o.bytes();
}

// id, type and fields first, the rest sorted.
QByteArray indexJson(const QJsonObject &index, const QString &id)
{
    OrderedJson o;
    o.add("id", id);
    for (const char *key : {"type", "fields"})
        if (index.contains(QLatin1String(key)))
            o.add(QLatin1String(key), index.value(QLatin1String(key)));
    for (auto it = index.begin(); it != index.end(); ++it)
        if (it.key() != u"id" && it.key() != u"type" && it.key() != u"fields")
            o.add(it.key(), it.value());
    return o.bytes();
}

} // namespace fakearango

void FakeArango::Impl::log(WalEntry e)
{
    lastWalTick = e.tick;
    wal.append(std::move(e));
}

FakeArango::Impl::WalEntry FakeArango::Impl::marker(int type, const Database &db,
                                                    const Collection *c)
{
    WalEntry e;
    e.tick = ++tick;
    e.type = type;
    e.db = db.name;
    e.dbId = db.id;
    if (c) {
        e.cid = c->id;
        e.cuid = c->gid;
        e.cname = c->name;
    }
    return e;
}

FakeArango::Impl::Collection *FakeArango::Impl::collection(const QString &db,
                                                           const QString &nameOrId)
{
    auto d = dbs.find(db);
    if (d == dbs.end())
        return nullptr;
    auto c = d->collections.find(nameOrId);
    if (c != d->collections.end())
        return &*c;
    for (Collection &x : d->collections)
        if (x.id == nameOrId)
            return &x;
    return nullptr;
}

bool FakeArango::Impl::collectionExists(const QString &cid) const
{
    for (const Database &d : dbs)
        for (const Collection &c : d.collections)
            if (c.id == cid)
                return true;
    return false;
}

void FakeArango::Impl::addSystemCollections(const QString &db)
{
    QStringList names{QStringLiteral("_analyzers"), QStringLiteral("_appbundles"),
                      QStringLiteral("_apps"),      QStringLiteral("_aqlfunctions"),
                      QStringLiteral("_frontend"),  QStringLiteral("_graphs"),
                      QStringLiteral("_jobs"),      QStringLiteral("_queues")};
    if (db == u"_system")
        names.append(QStringLiteral("_users"));
    for (const QString &n : names)
        createCollection(db, n, 2);
}

void FakeArango::Impl::createDatabase(const QString &name)
{
    if (name.isEmpty() || dbs.contains(name)) {
        qWarning("FAKE ArangoDB: database %s exists", qPrintable(name));
        return;
    }
    Database d;
    d.name = name;
    d.id = str(++tick);
    WalEntry e = marker(1100, d);
    e.data = OrderedJson().add("id", d.id).add("name", name).bytes();
    dbs.insert(name, d);
    log(std::move(e));
    addSystemCollections(name);
}

void FakeArango::Impl::createCollection(const QString &db, const QString &name, int type)
{
    auto d = dbs.find(db);
    if (d == dbs.end() || name.isEmpty() || d->collections.contains(name)) {
        qWarning("FAKE ArangoDB: cannot create collection %s/%s", qPrintable(db), qPrintable(name));
        return;
    }
    Collection c;
    c.name = name;
    c.type = type == 3 ? 3 : 2;
    c.id = str(++tick);
    c.gid = gidPrefix + u'/' + c.id;
    WalEntry e = marker(2000, *d, &c);
    QList<QByteArray> indexes{primaryIndexJson(c, false)};
    if (c.type == 3)
        indexes.append(edgeIndexJson(c, false));
    e.data = parameters(c).raw("indexes", jsonArray(indexes)).bytes();
    d->collections.insert(name, c);
    log(std::move(e));
}

void FakeArango::Impl::addIndex(const QString &db, const QString &coll, QJsonObject def)
{
    Collection *c = collection(db, coll);
    if (!c) {
        qWarning("FAKE ArangoDB: no collection %s/%s", qPrintable(db), qPrintable(coll));
        return;
    }
    QString type = def.value(u"type").toString(QStringLiteral("persistent"));
    if (type == u"hash" || type == u"skiplist") // 3.x maps both to persistent
        type = QStringLiteral("persistent");
    def.insert(QStringLiteral("type"), type);
    const QString id = str(++tick);
    def.remove(QStringLiteral("id"));
    if (!def.contains(u"name"))
        def.insert(QStringLiteral("name"), QStringLiteral("idx_") + id);
    for (const char *key : {"unique", "sparse"})
        if (!def.contains(QLatin1String(key)))
            def.insert(QLatin1String(key), false);
    if (type == u"persistent") {
        for (const char *key : {"deduplicate", "estimates"})
            if (!def.contains(QLatin1String(key)))
                def.insert(QLatin1String(key), true);
        if (!def.contains(u"cacheEnabled"))
            def.insert(QStringLiteral("cacheEnabled"), false);
    }
    c->indexes.append({id, def});
    WalEntry e = marker(2100, dbs[db], c);
    e.data = indexJson(def, id);
    log(std::move(e));
}

QJsonObject FakeArango::Impl::insert(const QString &db, const QString &coll, QJsonObject doc)
{
    Collection *c = collection(db, coll);
    if (!c) {
        qWarning("FAKE ArangoDB: no collection %s/%s", qPrintable(db), qPrintable(coll));
        return {};
    }
    WalEntry e = marker(2300, dbs[db], c);
    if (doc.value(u"_key").toString().isEmpty()) {
        doc.insert(QStringLiteral("_key"), str(e.tick));
        c->lastKeyValue = e.tick;
    }
    const QString key = doc.value(u"_key").toString();
    doc.insert(QStringLiteral("_id"), c->name + u'/' + key);
    const quint64 hlc = quint64(QDateTime::currentMSecsSinceEpoch()) << 20;
    revisionClock = std::max(revisionClock + 1, hlc);
    doc.insert(QStringLiteral("_rev"), encodeRevision(revisionClock));
    if (const auto old = c->slotByKey.constFind(key); old != c->slotByKey.cend())
        c->docs.remove(*old); // a replace gets a new place, as a new LocalDocumentId
    c->docs.insert(e.tick, doc);
    c->slotByKey.insert(key, e.tick);
    e.data = documentJson(doc);
    log(std::move(e));
    return doc;
}

bool FakeArango::Impl::remove(const QString &db, const QString &coll, const QString &key)
{
    Collection *c = collection(db, coll);
    if (!c || !c->slotByKey.contains(key))
        return false;
    const QJsonObject old = c->docs.take(c->slotByKey.take(key));
    WalEntry e = marker(2302, dbs[db], c);
    e.data = OrderedJson().add("_key", key).add("_rev", old.value(u"_rev")).bytes();
    log(std::move(e));
    return true;
}

void FakeArango::Impl::truncate(const QString &db, Collection &c)
{
    c.docs.clear();
    c.slotByKey.clear();
    log(marker(2004, dbs[db], &c));
}

void FakeArango::Impl::dropCollection(const QString &db, const QString &name)
{
    Collection *c = collection(db, name);
    if (!c) {
        qWarning("FAKE ArangoDB: no collection %s/%s", qPrintable(db), qPrintable(name));
        return;
    }
    WalEntry e = marker(2001, dbs[db], c);
    const QString removed = c->name;
    dbs[db].collections.remove(removed);
    log(std::move(e));
}

void FakeArango::Impl::pruneWal(quint64 upTo)
{
    wal.removeIf([upTo](const WalEntry &e) { return e.tick <= upTo; });
    walFirstTick = std::max(walFirstTick, upTo + 1);
}

OrderedJson FakeArango::Impl::keyOptions(const Collection &c) const
{
    return OrderedJson()
        .add("allowUserKeys", true)
        .add("type", QStringLiteral("traditional"))
        .add("lastValue", qint64(c.lastKeyValue));
}

// The inventory's "parameters" (collection properties without objectId, path, statusString
// and indexes).
OrderedJson FakeArango::Impl::parameters(const Collection &c) const
{
    OrderedJson o;
    o.add("cid", c.id)
        .add("id", c.id)
        .add("name", c.name)
        .add("type", c.type)
        .add("status", 3)
        .add("version", 7)
        .add("waitForSync", false)
        .add("deleted", false)
        .add("isSystem", c.isSystem())
        .add("allowUserKeys", true)
        .add("keyOptions", keyOptions(c))
        .add("cacheEnabled", false)
        .add("schema", QJsonValue::Null)
        .add("computedValues", QJsonValue::Null)
        .add("globallyUniqueId", c.gid)
        .add("planId", c.id)
        .add("syncByRevision", true)
        .add("usesRevisionsAsDocumentIds", true)
        .add("isSmart", false)
        .add("isDisjoint", false)
        .add("isSmartChild", false)
        .add("numberOfShards", 1)
        .add("replicationFactor", 1)
        .add("writeConcern", 1)
        .add("shardKeys", QJsonArray{QStringLiteral("_key")})
        .add("shardingStrategy", QStringLiteral("hash"));
    return o;
}

// GET /_api/collection/<name>/properties (and /count, which appends "count").
OrderedJson FakeArango::Impl::properties(const Collection &c) const
{
    OrderedJson o;
    o.add("error", false)
        .add("code", 200)
        .add("id", c.id)
        .add("name", c.name)
        .add("type", c.type)
        .add("status", 3)
        .add("statusString", QStringLiteral("loaded"))
        .add("isSystem", c.isSystem())
        .add("globallyUniqueId", c.gid)
        .add("waitForSync", false)
        .add("keyOptions", keyOptions(c))
        .add("schema", QJsonValue::Null)
        .add("computedValues", QJsonValue::Null)
        .add("cacheEnabled", false)
        .add("syncByRevision", true)
        .add("usesRevisionsAsDocumentIds", true)
        .add("isSmart", false)
        .add("isDisjoint", false)
        .add("isSmartChild", false)
        .add("internalValidatorType", 0)
        .add("writeConcern", 1)
        .add("replicationFactor", 1)
        .add("numberOfShards", 1)
        .add("shardKeys", QJsonArray{QStringLiteral("_key")})
        .add("shardingStrategy", QStringLiteral("hash"));
    return o;
}

QByteArray FakeArango::Impl::primaryIndexJson(const Collection &c, bool api)
{
    OrderedJson o;
    o.add("fields", QJsonArray{QStringLiteral("_key")})
        .add("id", api ? c.name + QStringLiteral("/0") : QStringLiteral("0"))
        .add("name", QStringLiteral("primary"));
    if (api)
        o.add("selectivityEstimate", 1);
    return o.add("sparse", false)
        .add("type", QStringLiteral("primary"))
        .add("unique", true)
        .bytes();
}

QByteArray FakeArango::Impl::edgeIndexJson(const Collection &c, bool api)
{
    OrderedJson o;
    o.add("fields", QJsonArray{QStringLiteral("_from"), QStringLiteral("_to")})
        .add("id", api ? c.name + QStringLiteral("/1") : QStringLiteral("1"))
        .add("name", QStringLiteral("edge"));
    if (api)
        o.add("selectivityEstimate", 1);
    return o.add("sparse", false).add("type", QStringLiteral("edge")).add("unique", false).bytes();
}

OrderedJson FakeArango::Impl::databaseProperties(const Database &d) const
{
    return OrderedJson()
        .add("id", d.id)
        .add("name", d.name)
        .add("isSystem", d.name == u"_system")
        .add("path", QStringLiteral("/var/lib/arangodb3/databases/database-") + d.id);
}

Reply FakeArango::Impl::databaseRoute(const Request &req) const
{
    if (req.method != "GET")
        return notSimulated();
    const QString sub = req.parts.value(2);
    if (sub.isEmpty() || sub == u"user") {
        if (sub.isEmpty() && req.db != u"_system")
            return error(403, 1230, QStringLiteral("operation only allowed in system database"));
        return json(OrderedJson()
                        .add("error", false)
                        .add("code", 200)
                        .add("result", QJsonArray::fromStringList(dbs.keys()))
                        .bytes());
    }
    if (sub == u"current")
        return json(OrderedJson()
                        .add("error", false)
                        .add("code", 200)
                        .add("result", databaseProperties(dbs[req.db]))
                        .bytes());
    return error(404, 404, QStringLiteral("unknown path '%1'").arg(req.path));
}

Reply FakeArango::Impl::collectionRoute(const Request &req)
{
    if (req.method != "GET")
        return notSimulated();
    const Database &d = dbs[req.db];
    if (req.parts.size() == 2) {
        const bool excludeSystem = boolParam(req.query, QStringLiteral("excludeSystem"), false);
        QList<QByteArray> result;
        for (const Collection &c : d.collections) {
            if (excludeSystem && c.isSystem())
                continue;
            result.append(OrderedJson()
                              .add("id", c.id)
                              .add("name", c.name)
                              .add("status", 3)
                              .add("type", c.type)
                              .add("isSystem", c.isSystem())
                              .add("globallyUniqueId", c.gid)
                              .bytes());
        }
        return json(OrderedJson()
                        .add("error", false)
                        .add("code", 200)
                        .raw("result", jsonArray(result))
                        .bytes());
    }
    const Collection *c = collection(req.db, req.parts.at(2));
    if (!c)
        return collectionNotFound();
    const QString sub = req.parts.value(3);
    if (sub == u"count")
        return json(properties(*c).add("count", qint64(c->docs.size())).bytes());
    if (sub == u"properties")
        return json(properties(*c).bytes());
    if (sub.isEmpty())
        return json(OrderedJson()
                        .add("error", false)
                        .add("code", 200)
                        .add("id", c->id)
                        .add("name", c->name)
                        .add("status", 3)
                        .add("type", c->type)
                        .add("isSystem", c->isSystem())
                        .add("globallyUniqueId", c->gid)
                        .bytes());
    return notSimulated();
}

Reply FakeArango::Impl::indexRoute(const Request &req)
{
    if (req.method != "GET" || req.parts.size() > 2)
        return notSimulated();
    const QString name = req.query.queryItemValue(QStringLiteral("collection"), QUrl::FullyDecoded);
    if (name.isEmpty())
        return error(400, 1204, QStringLiteral("expecting collection name"));
    const Collection *c = collection(req.db, name);
    if (!c)
        return collectionNotFound();
    QList<QByteArray> indexes{primaryIndexJson(*c, true)};
    if (c->type == 3)
        indexes.append(edgeIndexJson(*c, true));
    for (const auto &[id, def] : c->indexes) {
        QJsonObject withEstimate = def;
        if (def.value(u"estimates").toBool() || def.value(u"unique").toBool())
            withEstimate.insert(QStringLiteral("selectivityEstimate"), 1);
        indexes.append(indexJson(withEstimate, c->name + u'/' + id));
    }
    OrderedJson identifiers;
    for (const QByteArray &ix : indexes)
        identifiers.raw(QJsonDocument::fromJson(ix).object().value(u"id").toString(), ix);
    return json(OrderedJson()
                    .add("error", false)
                    .add("code", 200)
                    .raw("indexes", jsonArray(indexes))
                    .add("identifiers", identifiers)
                    .bytes());
}

} // namespace repl::test
