#pragma once

#include "core/Tick.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace repl {

// Per-database logger configuration (spec §4), persisted with the database.
struct LoggerConfig
{
    bool autoStart = false;
    bool logRemoteChanges = false;
    qint64 maxEvents = 1048576;
    qint64 maxEventsSize = 134217728;

    QJsonObject toJson() const;
    // Merges the keys present in `patch`; throws 400/1409 naming a field with a bad value.
    static LoggerConfig merged(const LoggerConfig &base, const QJsonObject &patch);
    static LoggerConfig fromStored(const QByteArray &json);
};

struct IndexInfo
{
    qint64 id = 0;
    QString type; // "hash", "skiplist", "persistent"
    QStringList fields;
    bool unique = false;
    bool sparse = false;

    QJsonObject toJson(const QString &collection) const;
    QByteArray toStored() const;
    static IndexInfo fromStored(qint64 id, const QByteArray &json);
};

struct CollectionInfo
{
    qint64 cid = 0;
    qint64 db = 0;
    QString name;
    int type = 2; // 2 document, 3 edge
    bool waitForSync = false;
    QList<IndexInfo> indexes;

    bool isSystem() const { return name.startsWith(u'_'); }
    // Kept by this server alone and never offered to followers (not in the inventory, the
    // dump or the log): CouchDB's _replicator, whose documents are this server's own jobs
    // and hold their credentials, the collections a restore point keeps ("_rp<id>_…") and a
    // running sync's staging collections ("_st<id>_…").
    bool isServerLocal() const
    {
        return name == u"_replicator" || isKeptName(name) || isStagingName(name);
    }
    static bool isKeptName(const QString &n) { return hasIdPrefix(n, u"_rp"); }
    static bool isStagingName(const QString &n) { return hasIdPrefix(n, u"_st"); }
    static bool hasIdPrefix(const QString &n, QStringView prefix)
    {
        return n.startsWith(prefix) && n.size() > prefix.size() && n.at(prefix.size()).isDigit();
    }
    bool hasUniqueIndex() const;
    // ArangoDB's collection parameters as inventory and the 2000 event carry them.
    QJsonObject parameters(const QString &serverId) const;
    QByteArray storedProps() const;
    void applyStoredProps(const QByteArray &json);
};

struct DatabaseInfo
{
    qint64 id = 0;
    QString name;
    LoggerConfig logger;
    bool loggerRunning = false;
};

// Databases, collections and indexes. The writer owns the working copy; everyone else
// reads an immutable snapshot (Engine::catalog()) published after each commit.
class Catalog
{
public:
    const DatabaseInfo *database(const QString &name) const;
    const DatabaseInfo *database(qint64 id) const;
    const CollectionInfo *collection(qint64 db, const QString &name) const;
    const CollectionInfo *collection(qint64 cid) const;
    QList<const CollectionInfo *> collections(qint64 db) const; // sorted: type, then name (ci)
    QStringList databaseNames() const;

    DatabaseInfo *mutableDatabase(qint64 id);
    CollectionInfo *mutableCollection(qint64 cid);
    void addDatabase(const DatabaseInfo &db);
    void removeDatabase(qint64 id);
    void addCollection(const CollectionInfo &c);
    void removeCollection(qint64 cid);
    void renameCollection(qint64 cid, const QString &newName);

private:
    QHash<qint64, DatabaseInfo> m_databases;
    QHash<QString, qint64> m_databaseByName;
    QHash<qint64, CollectionInfo> m_collections;
    QHash<qint64, QHash<QString, qint64>> m_collectionByName; // per database
};

} // namespace repl
