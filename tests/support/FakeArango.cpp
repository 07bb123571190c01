// FAKE ArangoDB 3.x single server: see FakeArango.h for what it covers and what it does not.
// Wire facts: shared/spec/arangodb-recorded/ (3.11.14, 3.12.10) and the RocksDB replication
// handlers of ArangoDB 3.x (RestReplicationHandler, RocksDBRestReplicationHandler,
// RestWalAccessHandler).
#include "support/FakeArango.h"

#include <QAbstractHttpServer>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QHash>
#include <QHostAddress>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QTcpServer>
#include <QUrlQuery>

#include <algorithm>
#include <limits>

namespace repl::test {

namespace {

using Headers = QList<std::pair<QByteArray, QByteArray>>;

constexpr quint64 kMaxTick = std::numeric_limits<quint64>::max();
constexpr qint64 kDefaultBatchTtl = 7200;           // BatchInfo::DefaultTimeout
constexpr quint64 kDefaultDumpChunk = 128 * 1024;   // RocksDB _defaultChunkSize
constexpr quint64 kDefaultTailChunk = 1024 * 1024;  // RestWalAccessHandler
constexpr quint64 kMaxChunk = 128ULL * 1024 * 1024; // both cap here

QByteArray compact(const QJsonValue &v)
{
    if (v.isObject())
        return QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
    if (v.isArray())
        return QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact);
    const QByteArray wrapped = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

// A JSON object written in the order its keys are added, as ArangoDB writes them (QJsonObject
// would sort them).
class OrderedJson
{
public:
    OrderedJson &add(const QString &key, const QJsonValue &value)
    {
        return raw(key, compact(value));
    }
    OrderedJson &add(const QString &key, const OrderedJson &value)
    {
        return raw(key, value.bytes());
    }
    OrderedJson &raw(const QString &key, const QByteArray &json)
    {
        m_body += m_body.isEmpty() ? '{' : ',';
        m_body += compact(key) + ':' + json;
        return *this;
    }
    // ASCII keys, the usual case
    OrderedJson &add(const char *key, const QJsonValue &value)
    {
        return add(QString::fromLatin1(key), value);
    }
    OrderedJson &add(const char *key, const OrderedJson &value)
    {
        return add(QString::fromLatin1(key), value);
    }
    OrderedJson &raw(const char *key, const QByteArray &json)
    {
        return raw(QString::fromLatin1(key), json);
    }
    QByteArray bytes() const { return m_body.isEmpty() ? QByteArrayLiteral("{}") : m_body + '}'; }

private:
    QByteArray m_body;
};

QByteArray jsonArray(const QList<QByteArray> &elements)
{
    return '[' + elements.join(',') + ']';
}

QString isoNow()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODate); // "2025-05-23T18:16:20Z"
}

QString str(quint64 tick)
{
    return QString::number(tick);
}

QJsonValue tickOrNull(quint64 tick)
{
    return tick ? QJsonValue(str(tick)) : QJsonValue(QJsonValue::Null);
}

// StringUtils::boolean, which ArangoDB uses for boolean query parameters.
bool boolParam(const QUrlQuery &q, const QString &key, bool dflt)
{
    if (!q.hasQueryItem(key))
        return dflt;
    const QString v = q.queryItemValue(key, QUrl::FullyDecoded).trimmed().toLower();
    return v == u"true" || v == u"1" || v == u"yes" || v == u"on" || v == u"y";
}

quint64 tickParam(const QUrlQuery &q, const QString &key, quint64 dflt)
{
    return q.hasQueryItem(key) ? q.queryItemValue(key).toULongLong() : dflt;
}

bool isSystemAttribute(const QString &key)
{
    return key == u"_key" || key == u"_id" || key == u"_from" || key == u"_to" || key == u"_rev";
}

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

// TRI_ExcludeCollectionReplication
bool excludedFromReplication(const QString &name, bool includeSystem, bool includeFoxxQueues)
{
    if (!name.startsWith(u'_'))
        return false;
    if (!includeSystem || name.startsWith(u"_statistics"))
        return true;
    return !includeFoxxQueues && (name == u"_jobs" || name == u"_queues");
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

struct Reply
{
    int status = 200;
    QByteArray contentType = QByteArrayLiteral("application/json");
    QByteArray body;
    Headers headers;
};

Reply json(const QByteArray &body, int status = 200)
{
    Reply r;
    r.status = status;
    r.body = body;
    return r;
}

// RestBaseHandler::generateError
Reply error(int status, int errorNum, const QString &message)
{
    return json(OrderedJson()
                    .add("code", status)
                    .add("error", true)
                    .add("errorMessage", message)
                    .add("errorNum", errorNum)
                    .bytes(),
                status);
}

Reply noContent(Headers headers = {})
{
    Reply r;
    r.status = 204;
    r.headers = std::move(headers);
    return r;
}

Reply invalidCommand(const QString &cmd)
{
    return error(400, 400, QStringLiteral("invalid command '%1'").arg(cmd));
}

Reply methodNotSupported()
{
    return error(405, 405, QStringLiteral("method not supported"));
}

Reply notSimulated()
{
    return error(501, 9, QStringLiteral("not implemented"));
}

Reply collectionNotFound()
{
    return error(404, 1203, QStringLiteral("collection or view not found"));
}

Reply forbidden(const QString &message)
{
    return error(403, 11, message);
}

Reply corruptedJson()
{
    return error(400, 600, QStringLiteral("invalid JSON object"));
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

QByteArray methodName(QHttpServerRequest::Method m)
{
    switch (m) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    case QHttpServerRequest::Method::Connect:
        return "CONNECT";
    case QHttpServerRequest::Method::Trace:
        return "TRACE";
    default:
        return "UNKNOWN";
    }
}

QByteArray headerValue(const QHttpServerRequest &request, const QByteArray &lowerName)
{
    for (const auto &h : request.headers())
        if (h.first.toLower() == lowerName)
            return h.second;
    return {};
}

} // namespace

struct FakeArango::Impl
{
    struct Collection
    {
        QString id; // cid, also the id in the globallyUniqueId
        QString name;
        int type = 2;
        QString gid;
        QList<std::pair<QString, QJsonObject>> indexes; // user indexes: id → definition
        QMap<quint64, QJsonObject> docs;                // storage order
        QHash<QString, quint64> slotByKey;
        quint64 lastKeyValue = 0;
        bool isSystem() const { return name.startsWith(u'_'); }
    };
    struct Database
    {
        QString id;
        QString name;
        QMap<QString, Collection> collections;
    };
    struct WalEntry
    {
        quint64 tick = 0;
        int type = 0;
        QString db;
        QString dbId;
        QString cid;
        QString cuid;
        QString cname;
        QByteArray data; // compact JSON, empty if the marker has none
    };
    struct Batch
    {
        qint64 ttlSeconds = kDefaultBatchTtl;
        QDeadlineTimer expires;
        quint64 lastTick = 0;
        QHash<QString, QList<QJsonObject>> snapshot; // cid → documents when the batch was made
        QHash<QString, qsizetype> position;          // cid → next document to dump
    };
    struct Applier
    {
        QJsonObject config; // the keys set; defaults come from applierDefaults()
        bool running = false;
        quint64 lastApplied = 0;
        quint64 lastAvailable = 0;
        int errorNum = 0;
        QString errorMessage;
        QString errorTime;
        QString started;
        QString progressTime;
        QString progressMessage;
    };
    struct Request
    {
        QByteArray method;
        QString path;
        QString db;
        QStringList parts; // path after the /_db/<db> prefix, split at '/'
        QUrlQuery query;
        QByteArray body;
    };

    FakeArangoVersion version;
    QString serverId;
    QString gidPrefix;
    QString user;
    QString password;
    quint64 tick = 0;
    quint64 walFirstTick = 1; // the oldest tick still in the WAL (wal/range tickMin)
    quint64 lastWalTick = 0;
    quint64 revisionClock = 0;
    QList<WalEntry> wal;
    QMap<QString, Database> dbs;
    QMap<quint64, Batch> batches;
    Applier globalApplier;
    QHash<QString, Applier> appliers;
    QList<Recorded> recorded;
    int syncCalls = 0;

    explicit Impl(FakeArangoVersion v)
        : version(v)
    {
        auto *rng = QRandomGenerator::global();
        serverId =
            QString::number(rng->bounded(Q_INT64_C(100000000000000), Q_INT64_C(999999999999999)));
        gidPrefix = QStringLiteral("h") +
                    QString::number(rng->bounded(Q_INT64_C(1) << 44, Q_INT64_C(1) << 48), 16)
                        .toUpper(); // "h" and 12 hex digits, as "h68138D6305DA"

        globalApplier = newApplier(QString());
        dbs.insert(QStringLiteral("_system"),
                   Database{QStringLiteral("1"), QStringLiteral("_system"), {}});
        addSystemCollections(QStringLiteral("_system"));
    }

    bool is311() const { return version == FakeArangoVersion::V3_11_14; }
    QString versionString() const
    {
        return is311() ? QStringLiteral("3.11.14") : QStringLiteral("3.12.10");
    }
    quint64 lastTick() const { return lastWalTick; }

    Applier newApplier(const QString &db) const
    {
        Applier a;
        a.started = isoNow();
        a.progressTime = a.started;
        a.progressMessage =
            db.isEmpty() ? QStringLiteral("applier initially created")
                         : QStringLiteral("applier initially created for database '%1'").arg(db);
        return a;
    }
    Applier &applier(const QString &db)
    {
        if (db.isEmpty())
            return globalApplier;
        auto it = appliers.find(db);
        if (it == appliers.end())
            it = appliers.insert(db, newApplier(db));
        return *it;
    }

    // ---- data ----------------------------------------------------------------------------

    void log(WalEntry e)
    {
        lastWalTick = e.tick;
        wal.append(std::move(e));
    }
    WalEntry marker(int type, const Database &db, const Collection *c = nullptr)
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

    Collection *collection(const QString &db, const QString &nameOrId)
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
    bool collectionExists(const QString &cid) const
    {
        for (const Database &d : dbs)
            for (const Collection &c : d.collections)
                if (c.id == cid)
                    return true;
        return false;
    }

    void addSystemCollections(const QString &db)
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

    void createDatabase(const QString &name)
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

    void createCollection(const QString &db, const QString &name, int type)
    {
        auto d = dbs.find(db);
        if (d == dbs.end() || name.isEmpty() || d->collections.contains(name)) {
            qWarning("FAKE ArangoDB: cannot create collection %s/%s", qPrintable(db),
                     qPrintable(name));
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

    void addIndex(const QString &db, const QString &coll, QJsonObject def)
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

    QJsonObject insert(const QString &db, const QString &coll, QJsonObject doc)
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

    bool remove(const QString &db, const QString &coll, const QString &key)
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

    void truncate(const QString &db, Collection &c)
    {
        c.docs.clear();
        c.slotByKey.clear();
        log(marker(2004, dbs[db], &c));
    }

    void dropCollection(const QString &db, const QString &name)
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

    void pruneWal(quint64 upTo)
    {
        wal.removeIf([upTo](const WalEntry &e) { return e.tick <= upTo; });
        walFirstTick = std::max(walFirstTick, upTo + 1);
    }

    void collectGarbage()
    {
        for (auto it = batches.begin(); it != batches.end();)
            it = it->expires.hasExpired() ? batches.erase(it) : std::next(it);
    }

    // ---- JSON shapes ----------------------------------------------------------------------

    OrderedJson keyOptions(const Collection &c) const
    {
        return OrderedJson()
            .add("allowUserKeys", true)
            .add("type", QStringLiteral("traditional"))
            .add("lastValue", qint64(c.lastKeyValue));
    }

    // The inventory's "parameters" (collection properties without objectId, path, statusString
    // and indexes).
    OrderedJson parameters(const Collection &c) const
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
    OrderedJson properties(const Collection &c) const
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

    static QByteArray primaryIndexJson(const Collection &c, bool api)
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
    static QByteArray edgeIndexJson(const Collection &c, bool api)
    {
        OrderedJson o;
        o.add("fields", QJsonArray{QStringLiteral("_from"), QStringLiteral("_to")})
            .add("id", api ? c.name + QStringLiteral("/1") : QStringLiteral("1"))
            .add("name", QStringLiteral("edge"));
        if (api)
            o.add("selectivityEstimate", 1);
        return o.add("sparse", false)
            .add("type", QStringLiteral("edge"))
            .add("unique", false)
            .bytes();
    }

    OrderedJson databaseProperties(const Database &d) const
    {
        return OrderedJson()
            .add("id", d.id)
            .add("name", d.name)
            .add("isSystem", d.name == u"_system")
            .add("path", QStringLiteral("/var/lib/arangodb3/databases/database-") + d.id);
    }

    OrderedJson serverInfo(bool withEngine) const
    {
        OrderedJson o;
        o.add("version", versionString()).add("serverId", serverId);
        if (withEngine)
            o.add("engine", QStringLiteral("rocksdb"));
        return o;
    }

    OrderedJson loggerState(quint64 tickValue) const
    {
        return OrderedJson()
            .add("running", true)
            .add("lastLogTick", str(tickValue))
            .add("lastUncommittedLogTick", str(tickValue))
            .add("totalEvents", qint64(tickValue))
            .add("time", isoNow());
    }

    QByteArray loggerStateObject() const
    {
        return OrderedJson()
            .add("state", loggerState(lastTick()))
            .add("server", serverInfo(true))
            .raw("clients", "[]")
            .bytes();
    }

    // One WAL marker as /_api/wal/tail writes it (newLayout) or as logger-follow does.
    QByteArray markerLine(const WalEntry &e, bool newLayout) const
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
            return o.raw("data", OrderedJson().add("id", e.cid).add("name", QString()).bytes())
                .bytes();
        if (!e.cname.isEmpty())
            o.add("cname", e.cname);
        if (!e.data.isEmpty())
            o.raw("data", e.data);
        return o.bytes();
    }

    QByteArray applierConfigJson(const QString &db) const
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
    QByteArray applierStateJson(const QString &db) const
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
             {"totalRequests", "totalFailedConnects", "totalEvents", "totalDocuments",
              "totalRemovals", "totalResyncs", "totalOperationsExcluded", "totalApplyTime",
              "averageApplyTime", "totalFetchTime", "averageFetchTime"})
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
        const QString database =
            db.isEmpty() ? QString() : a.config.value(u"database").toString(db);
        if (!database.isEmpty() && !endpoint.isEmpty())
            o.add("database", database);
        return o.bytes();
    }

    // ---- dispatch -------------------------------------------------------------------------

    bool authorized(const QHttpServerRequest &request) const
    {
        if (user.isEmpty())
            return true;
        const QByteArray auth = headerValue(request, "authorization").trimmed();
        if (!auth.toLower().startsWith("basic "))
            return false;
        return QByteArray::fromBase64(auth.mid(6).trimmed()) == (user + u':' + password).toUtf8();
    }

    Reply handle(const QHttpServerRequest &request)
    {
        Request req;
        req.method = methodName(request.method());
        req.path = request.url().path(QUrl::FullyDecoded);
        req.query = request.query();
        req.body = request.body();
        recorded.append({req.method, req.path, request.url().query(), req.body});
        collectGarbage();
        if (!authorized(request)) {
            Reply r = error(401, 401, QStringLiteral("not authorized to execute this request"));
            if (headerValue(request, "x-omit-www-authenticate").isEmpty())
                r.headers = {
                    {"www-authenticate", "Basic, realm=\"ArangoDB\""},
                    {"www-authenticate", "Bearer, token_type=\"JWT\", realm=\"ArangoDB\""}};
            return r;
        }
        QStringList parts = req.path.split(u'/', Qt::SkipEmptyParts);
        req.db = QStringLiteral("_system");
        if (parts.size() >= 2 && parts.first() == u"_db") {
            req.db = parts.at(1);
            parts = parts.mid(2);
        }
        if (!dbs.contains(req.db))
            return error(404, 1228, QStringLiteral("database not found"));
        req.parts = parts;
        if (parts.size() >= 2 && parts.first() == u"_api") {
            const QString area = parts.at(1);
            if (area == u"version")
                return versionRoute(req);
            if (area == u"database")
                return databaseRoute(req);
            if (area == u"collection")
                return collectionRoute(req);
            if (area == u"index")
                return indexRoute(req);
            if (area == u"wal")
                return walRoute(req);
            if (area == u"replication" && parts.size() >= 3)
                return replicationRoute(req);
        }
        return error(404, 404, QStringLiteral("unknown path '%1'").arg(req.path));
    }

    Reply versionRoute(const Request &req) const
    {
        OrderedJson o;
        o.add("server", QStringLiteral("arango"))
            .add("license", QStringLiteral("enterprise"))
            .add("version", versionString());
        if (boolParam(req.query, QStringLiteral("details"), false))
            o.add("details", OrderedJson()
                                 .add("architecture", QStringLiteral("64bit"))
                                 .add("license", QStringLiteral("enterprise"))
                                 .add("platform", QStringLiteral("linux"))
                                 .add("server-version", versionString())
                                 .add("mode", QStringLiteral("server"))
                                 .add("role", QStringLiteral("SINGLE"))
                                 .add("host", QStringLiteral("localhost")));
        if (!is311())
            o.add("apiVersions", QJsonArray{QStringLiteral("v0")})
                .add("deprecatedApiVersions", QJsonArray())
                .add("requestedApiVersion", QStringLiteral("v0"));
        return json(o.bytes());
    }

    Reply databaseRoute(const Request &req) const
    {
        if (req.method != "GET")
            return notSimulated();
        const QString sub = req.parts.value(2);
        if (sub.isEmpty() || sub == u"user") {
            if (sub.isEmpty() && req.db != u"_system")
                return error(403, 1230,
                             QStringLiteral("operation only allowed in system database"));
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

    Reply collectionRoute(const Request &req)
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

    Reply indexRoute(const Request &req)
    {
        if (req.method != "GET" || req.parts.size() > 2)
            return notSimulated();
        const QString name =
            req.query.queryItemValue(QStringLiteral("collection"), QUrl::FullyDecoded);
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

    // ---- /_api/wal ------------------------------------------------------------------------

    struct TailResult
    {
        QByteArray body;
        quint64 lastIncluded = 0;
        quint64 lastScanned = 0;
    };

    // Markers in (from, to], filtered, until the body reaches chunkSize (checked after each
    // marker, so at least one is returned).
    TailResult tail(const Request &req, bool global, bool newLayout, bool includeSystem,
                    quint64 from, quint64 to, quint64 chunkSize, const QString &only) const
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

    Headers tailHeaders(const TailResult &r, quint64 from) const
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
    static Reply dumpReply(const QByteArray &body, Headers headers)
    {
        Reply r = json(body, body.isEmpty() ? 204 : 200);
        r.headers = std::move(headers);
        r.contentType = QByteArrayLiteral("application/x-arango-dump");
        return r;
    }

    Reply walRoute(const Request &req) const
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
            const TailResult r = tail(req, global, true,
                                      boolParam(req.query, QStringLiteral("includeSystem"), false),
                                      from, to, chunk, only);
            return dumpReply(r.body, tailHeaders(r, from));
        }
        return error(
            400, 400,
            QStringLiteral("expected GET /_api/wal/[tail|range|lastTick|open-transactions]>"));
    }

    // ---- /_api/replication ----------------------------------------------------------------

    Reply replicationRoute(const Request &req)
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
                       : error(400, 601,
                               QStringLiteral("expecting URL /_api/replication/%1").arg(cmd));
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
            return m == "GET" ? json(OrderedJson().add("serverId", serverId).bytes())
                              : notSimulated();
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

    Reply batchRoute(const Request &req)
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

    Batch *findBatch(const Request &req)
    {
        const auto it = batches.find(tickParam(req.query, QStringLiteral("batchId"), 0));
        if (it == batches.end())
            return nullptr;
        it->expires = QDeadlineTimer(it->ttlSeconds * 1000); // each use extends the lifetime
        return &*it;
    }

    QByteArray inventoryCollections(const Database &d, bool includeSystem, bool foxx,
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

    Reply inventoryRoute(const Request &req)
    {
        if (!req.query.hasQueryItem(QStringLiteral("batchId")))
            return error(404, 1600, QStringLiteral("batchId not specified"));
        const Batch *b = findBatch(req);
        if (!b)
            return error(404, 1600, QStringLiteral("context was not found"));
        const bool global = boolParam(req.query, QStringLiteral("global"), false);
        if (global && req.db != u"_system")
            return forbidden(QStringLiteral(
                "global inventory can only be created from within _system database"));
        const bool includeSystem = boolParam(req.query, QStringLiteral("includeSystem"), true);
        const bool foxx = boolParam(req.query, QStringLiteral("includeFoxxQueues"), false);
        const QString only =
            req.query.queryItemValue(QStringLiteral("collection"), QUrl::FullyDecoded);
        OrderedJson o;
        if (global) {
            OrderedJson databases;
            for (const Database &d : dbs)
                databases.add(d.name, OrderedJson()
                                          .add("id", d.id)
                                          .add("name", d.name)
                                          .add("properties", databaseProperties(d))
                                          .raw("collections",
                                               inventoryCollections(d, includeSystem, foxx, {}))
                                          .raw("views", "[]"));
            o.add("databases", databases);
        } else {
            const Database &d = dbs[req.db];
            if (only.isEmpty())
                o.add("properties", databaseProperties(d));
            o.raw("collections", inventoryCollections(d, includeSystem, foxx, only))
                .raw("views", "[]");
        }
        o.add("state", loggerState(b->lastTick)).add("tick", str(tick));
        return json(o.bytes());
    }

    Reply dumpRoute(const Request &req)
    {
        const QString name =
            req.query.queryItemValue(QStringLiteral("collection"), QUrl::FullyDecoded);
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
        const quint64 chunk = std::min(
            kMaxChunk, tickParam(req.query, QStringLiteral("chunkSize"), kDefaultDumpChunk));
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

    Reply loggerFollowRoute(const Request &req) const
    {
        const quint64 from = tickParam(req.query, QStringLiteral("from"), 0);
        const quint64 to = tickParam(req.query, QStringLiteral("to"), kMaxTick);
        if (from > to || to == 0)
            return error(400, 400, QStringLiteral("invalid from/to values"));
        const QString only =
            req.query.queryItemValue(QStringLiteral("collection"), QUrl::FullyDecoded);
        if (!only.isEmpty() && !dbs[req.db].collections.contains(only))
            return collectionNotFound();
        const quint64 chunk = std::min(
            kMaxChunk, tickParam(req.query, QStringLiteral("chunkSize"), kDefaultTailChunk));
        const TailResult r =
            tail(req, false, false, boolParam(req.query, QStringLiteral("includeSystem"), true),
                 from, to, chunk, only);
        Headers headers = tailHeaders(r, from);
        headers.prepend({"x-arango-replication-active", "true"});
        return dumpReply(r.body, std::move(headers));
    }

    Reply applierRoute(const Request &req, const QString &cmd)
    {
        const bool global = boolParam(req.query, QStringLiteral("global"), false);
        if (global && req.db != u"_system")
            return forbidden(QStringLiteral(
                "global inventory can only be created from within _system database"));
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
                    return error(400, 1410,
                                 QStringLiteral(
                                     "invalid value for <restrictCollections> or <restrictType>"));
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

    Reply syncRoute(const Request &req)
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
            return error(
                400, 1410,
                QStringLiteral("invalid value for <restrictCollections> or <restrictType>"));
        const bool global = boolParam(req.query, QStringLiteral("global"), false);
        if (global && req.db != u"_system")
            return forbidden(QStringLiteral(
                "global inventory can only be created from within _system database"));
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
};

// The HTTP side: every request goes to Impl::handle; the answer is written with lower-case
// header names and an explicit content-length, as ArangoDB sends them.
class FakeArango::HttpFace final : public QAbstractHttpServer
{
public:
    HttpFace(Impl *impl, QObject *parent)
        : QAbstractHttpServer(parent)
        , m_impl(impl)
    {}

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        const Reply reply = m_impl->handle(request);
        QHttpServerResponder r = makeResponder(request, socket);
        r.writeStatusLine(QHttpServerResponder::StatusCode(reply.status));
        r.writeHeader("content-type", reply.contentType);
        r.writeHeader("server", "ArangoDB");
        r.writeHeader("x-arango-queue-time-seconds", "0.000000");
        r.writeHeader("x-content-type-options", "nosniff");
        for (const auto &[name, value] : reply.headers)
            r.writeHeader(name, value);
        r.writeHeader("content-length", QByteArray::number(reply.body.size()));
        r.writeBody(reply.body);
        return true;
    }
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        makeResponder(request, socket).write(QHttpServerResponder::StatusCode::NotFound);
    }

private:
    Impl *m_impl;
};

FakeArango::FakeArango(FakeArangoVersion v, QObject *parent)
    : QObject(parent)
    , m_impl(std::make_unique<Impl>(v))
    , m_http(new HttpFace(m_impl.get(), this))
{}

FakeArango::~FakeArango()
{
    delete m_http; // before m_impl goes
    m_http = nullptr;
}

bool FakeArango::listen()
{
    return m_http->listen(QHostAddress::LocalHost, 0) != 0;
}

quint16 FakeArango::port() const
{
    const auto servers = m_http->servers();
    return servers.isEmpty() ? 0 : servers.first()->serverPort();
}

QString FakeArango::url() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(port());
}

FakeArangoVersion FakeArango::version() const
{
    return m_impl->version;
}

QString FakeArango::versionString() const
{
    return m_impl->versionString();
}

QString FakeArango::serverId() const
{
    return m_impl->serverId;
}

void FakeArango::setCredentials(const QString &user, const QString &password)
{
    m_impl->user = user;
    m_impl->password = password;
}

void FakeArango::createDatabase(const QString &name)
{
    m_impl->createDatabase(name);
}

void FakeArango::createCollection(const QString &db, const QString &name, int type)
{
    m_impl->createCollection(db, name, type);
}

void FakeArango::addIndex(const QString &db, const QString &coll, const QJsonObject &definition)
{
    m_impl->addIndex(db, coll, definition);
}

QJsonObject FakeArango::insert(const QString &db, const QString &coll, QJsonObject doc)
{
    return m_impl->insert(db, coll, std::move(doc));
}

bool FakeArango::remove(const QString &db, const QString &coll, const QString &key)
{
    return m_impl->remove(db, coll, key);
}

void FakeArango::dropCollection(const QString &db, const QString &name)
{
    m_impl->dropCollection(db, name);
}

qint64 FakeArango::count(const QString &db, const QString &coll) const
{
    const Impl::Collection *c = m_impl->collection(db, coll);
    return c ? c->docs.size() : -1;
}

QList<QJsonObject> FakeArango::documents(const QString &db, const QString &coll) const
{
    const Impl::Collection *c = m_impl->collection(db, coll);
    return c ? c->docs.values() : QList<QJsonObject>();
}

quint64 FakeArango::lastTick() const
{
    return m_impl->lastTick();
}

void FakeArango::pruneWal(quint64 upToTick)
{
    m_impl->pruneWal(upToTick);
}

void FakeArango::setApplierState(const QString &db, bool running, quint64 lastApplied,
                                 quint64 lastAvailable, int lastErrorNum,
                                 const QString &lastErrorMessage)
{
    Impl::Applier &a = m_impl->applier(db);
    if (a.running != running) {
        a.progressTime = isoNow();
        a.progressMessage =
            running ? QStringLiteral("applier started") : QStringLiteral("applier shut down");
        if (running)
            a.started = a.progressTime;
    }
    a.running = running;
    a.lastApplied = lastApplied;
    a.lastAvailable = lastAvailable;
    a.errorNum = lastErrorNum;
    a.errorMessage = lastErrorMessage;
    a.errorTime = lastErrorNum ? isoNow() : QString();
}

void FakeArango::setApplierConfig(const QString &db, const QJsonObject &partial)
{
    Impl::Applier &a = m_impl->applier(db);
    for (auto it = partial.begin(); it != partial.end(); ++it)
        a.config.insert(it.key(), it.value());
}

QList<FakeArango::Recorded> FakeArango::requests() const
{
    return m_impl->recorded;
}

void FakeArango::clearRequests()
{
    m_impl->recorded.clear();
}

QList<FakeArango::Recorded> FakeArango::writes() const
{
    static const QRegularExpression batchPath(
        QStringLiteral("^(/_db/[^/]+)?/_api/replication/batch(/[^/]+)?/?$"));
    QList<Recorded> out;
    for (const Recorded &r : m_impl->recorded) {
        const bool mutating =
            r.method == "PUT" || r.method == "POST" || r.method == "DELETE" || r.method == "PATCH";
        if (mutating && !(r.method != "PATCH" && batchPath.match(r.path).hasMatch()))
            out.append(r);
    }
    return out;
}

int FakeArango::openBatches() const
{
    return int(std::count_if(m_impl->batches.cbegin(), m_impl->batches.cend(),
                             [](const Impl::Batch &b) { return !b.expires.hasExpired(); }));
}

int FakeArango::syncCalls() const
{
    return m_impl->syncCalls;
}

} // namespace repl::test
