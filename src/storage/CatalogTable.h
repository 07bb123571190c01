#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QtGlobal>

#include <optional>

namespace repl::storage {

class Connection;

struct DatabaseRow
{
    qint64 id = 0;
    QString name;
    QByteArray loggerConfig; // JSON object
    bool loggerRunning = false;
    qint64 prunedUpTo = 0; // highest tick removed from this database's log by retention
};

struct CollectionRow
{
    qint64 cid = 0;
    qint64 db = 0;
    QString name;
    int type = 2;
    QByteArray props; // JSON object of further properties (waitForSync, …)
};

struct IndexRow
{
    qint64 id = 0;
    qint64 cid = 0;
    QByteArray def; // JSON object
};

// Server metadata, databases, collections and index definitions.
class CatalogTable final
{
public:
    explicit CatalogTable(Connection &conn)
        : m_conn(conn)
    {}

    std::optional<QByteArray> meta(const QString &key);
    void setMeta(const QString &key, const QByteArray &value);

    QList<DatabaseRow> databases();
    void insertDatabase(const DatabaseRow &row);
    void deleteDatabase(qint64 id);
    void setLogger(qint64 db, const QByteArray &config, bool running);
    void setPrunedUpTo(qint64 db, qint64 tick);

    QList<CollectionRow> collections();
    void insertCollection(const CollectionRow &row);
    void updateCollection(const CollectionRow &row);
    void deleteCollection(qint64 cid);
    void addCount(qint64 cid, qint64 delta);
    qint64 count(qint64 cid);

    QList<IndexRow> indexes();
    void insertIndex(const IndexRow &row);
    void deleteIndex(qint64 id);

    // Applier configuration and state per database (JSON objects; empty when never set).
    // Restore points of a database, oldest first: (id, info JSON).
    QList<QPair<qint64, QByteArray>> restorePoints(qint64 db);
    void putRestorePoint(qint64 id, qint64 db, const QByteArray &info);
    void deleteRestorePoint(qint64 id);

    QByteArray applierConfig(qint64 db);
    QByteArray applierState(qint64 db);
    void setApplierConfig(qint64 db, const QByteArray &config);
    void setApplierState(qint64 db, const QByteArray &state);

    // Unique index entries; insertUnique returns false when the value is taken by another key.
    std::optional<QString> uniqueOwner(qint64 iid, const QByteArray &value);
    void insertUnique(qint64 iid, const QByteArray &value, const QString &key);
    void removeUnique(qint64 iid, const QByteArray &value, const QString &key);
    void dropUnique(qint64 iid);

private:
    Connection &m_conn;
};

} // namespace repl::storage
