// Private to the FAKE ArangoDB (FakeArango.h): what FakeArango.cpp, FakeArangoData.cpp,
// FakeArangoReplication.cpp and FakeArangoApplier.cpp share. Not for tests to include.
//
//   FakeArango.cpp            the server core: the JSON and reply helpers below, authorization,
//                             request recording, routing, /_api/version, the HTTP face and the
//                             public API
//   FakeArangoData.cpp        databases, collections, indexes and documents (the changes and the
//                             WAL markers they write), /_api/database, /_api/collection,
//                             /_api/index
//   FakeArangoReplication.cpp the leader side: /_api/wal, /_api/replication batch, inventory,
//                             dump, logger-state, logger-follow and the other logger-* routes
//   FakeArangoApplier.cpp     the follower side 3.11.14 still has: applier-* and sync
#pragma once

#include "support/FakeArango.h"

#include <QByteArray>
#include <QDeadlineTimer>
#include <QHash>
#include <QHttpServerRequest>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QUrlQuery>

#include <limits>
#include <utility>

namespace repl::test {

namespace fakearango {

using Headers = QList<std::pair<QByteArray, QByteArray>>;

constexpr quint64 kMaxTick = std::numeric_limits<quint64>::max();
constexpr qint64 kDefaultBatchTtl = 7200;           // BatchInfo::DefaultTimeout
constexpr quint64 kDefaultDumpChunk = 128 * 1024;   // RocksDB _defaultChunkSize
constexpr quint64 kDefaultTailChunk = 1024 * 1024;  // RestWalAccessHandler
constexpr quint64 kMaxChunk = 128ULL * 1024 * 1024; // both cap here

QByteArray compact(const QJsonValue &v);

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

QByteArray jsonArray(const QList<QByteArray> &elements);
QString isoNow();
QString str(quint64 tick);
// StringUtils::boolean, which ArangoDB uses for boolean query parameters.
bool boolParam(const QUrlQuery &q, const QString &key, bool dflt);
quint64 tickParam(const QUrlQuery &q, const QString &key, quint64 dflt);

struct Reply
{
    int status = 200;
    QByteArray contentType = QByteArrayLiteral("application/json");
    QByteArray body;
    Headers headers;
};

Reply json(const QByteArray &body, int status = 200);
// RestBaseHandler::generateError
Reply error(int status, int errorNum, const QString &message);
Reply noContent(Headers headers = {});
Reply notSimulated();
Reply collectionNotFound();
Reply forbidden(const QString &message);
Reply corruptedJson();

// Defined in FakeArangoData.cpp.
// System attributes first, as RocksDB stores a document, then the others.
QByteArray documentJson(const QJsonObject &doc);
// id, type and fields first, the rest sorted.
QByteArray indexJson(const QJsonObject &index, const QString &id);

// Defined in FakeArangoReplication.cpp.
// TRI_ExcludeCollectionReplication
bool excludedFromReplication(const QString &name, bool includeSystem, bool includeFoxxQueues);

} // namespace fakearango

struct FakeArango::Impl
{
    using Headers = fakearango::Headers;
    using OrderedJson = fakearango::OrderedJson;
    using Reply = fakearango::Reply;

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
        qint64 ttlSeconds = fakearango::kDefaultBatchTtl;
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

    bool is311() const { return version == FakeArangoVersion::V3_11_14; }
    QString versionString() const
    {
        return is311() ? QStringLiteral("3.11.14") : QStringLiteral("3.12.10");
    }
    quint64 lastTick() const { return lastWalTick; }

    // ---- core (FakeArango.cpp) -------------------------------------------------------------

    explicit Impl(FakeArangoVersion v);
    bool authorized(const QHttpServerRequest &request) const;
    Reply handle(const QHttpServerRequest &request);
    Reply versionRoute(const Request &req) const;

    // ---- data (FakeArangoData.cpp) ---------------------------------------------------------

    void log(WalEntry e);
    WalEntry marker(int type, const Database &db, const Collection *c = nullptr);
    Collection *collection(const QString &db, const QString &nameOrId);
    bool collectionExists(const QString &cid) const;
    void addSystemCollections(const QString &db);
    void createDatabase(const QString &name);
    void createCollection(const QString &db, const QString &name, int type);
    void addIndex(const QString &db, const QString &coll, QJsonObject def);
    QJsonObject insert(const QString &db, const QString &coll, QJsonObject doc);
    bool remove(const QString &db, const QString &coll, const QString &key);
    void truncate(const QString &db, Collection &c);
    void dropCollection(const QString &db, const QString &name);
    void pruneWal(quint64 upTo);
    OrderedJson keyOptions(const Collection &c) const;
    OrderedJson parameters(const Collection &c) const;
    OrderedJson properties(const Collection &c) const;
    static QByteArray primaryIndexJson(const Collection &c, bool api);
    static QByteArray edgeIndexJson(const Collection &c, bool api);
    OrderedJson databaseProperties(const Database &d) const;
    Reply databaseRoute(const Request &req) const;
    Reply collectionRoute(const Request &req);
    Reply indexRoute(const Request &req);

    // ---- /_api/wal and /_api/replication (FakeArangoReplication.cpp) ----------------------

    struct TailResult
    {
        QByteArray body;
        quint64 lastIncluded = 0;
        quint64 lastScanned = 0;
    };

    void collectGarbage();
    OrderedJson serverInfo(bool withEngine) const;
    OrderedJson loggerState(quint64 tickValue) const;
    QByteArray loggerStateObject() const;
    QByteArray markerLine(const WalEntry &e, bool newLayout) const;
    TailResult tail(const Request &req, bool global, bool newLayout, bool includeSystem,
                    quint64 from, quint64 to, quint64 chunkSize, const QString &only) const;
    Headers tailHeaders(const TailResult &r, quint64 from) const;
    static Reply dumpReply(const QByteArray &body, Headers headers);
    Reply walRoute(const Request &req) const;
    Reply replicationRoute(const Request &req);
    Reply batchRoute(const Request &req);
    Batch *findBatch(const Request &req);
    QByteArray inventoryCollections(const Database &d, bool includeSystem, bool foxx,
                                    const QString &only) const;
    Reply inventoryRoute(const Request &req);
    Reply dumpRoute(const Request &req);
    Reply loggerFollowRoute(const Request &req) const;

    // ---- applier and sync, 3.11 only (FakeArangoApplier.cpp) -------------------------------

    Applier newApplier(const QString &db) const;
    Applier &applier(const QString &db);
    QByteArray applierConfigJson(const QString &db) const;
    QByteArray applierStateJson(const QString &db) const;
    Reply applierRoute(const Request &req, const QString &cmd);
    Reply syncRoute(const Request &req);
};

} // namespace repl::test
