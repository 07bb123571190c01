#include "storage/CatalogTable.h"

#include "storage/Connection.h"
#include "storage/ReclaimTable.h"

#include <QVariant>

namespace repl::storage {

std::optional<QByteArray> CatalogTable::meta(const QString &key)
{
    QSqlQuery &q = m_conn.prepared("SELECT value FROM meta WHERE key=?");
    q.bindValue(0, key);
    execOrThrow(q);
    std::optional<QByteArray> out;
    if (q.next())
        out = q.value(0).toByteArray();
    q.finish();
    return out;
}

void CatalogTable::setMeta(const QString &key, const QByteArray &value)
{
    QSqlQuery &q = m_conn.prepared("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
    q.bindValue(0, key);
    q.bindValue(1, value);
    execOrThrow(q);
}

QList<DatabaseRow> CatalogTable::databases()
{
    QSqlQuery &q = m_conn.prepared(
        "SELECT id, name, logger_config, logger_running, pruned_upto FROM databases ORDER BY id");
    execOrThrow(q);
    QList<DatabaseRow> out;
    while (q.next())
        out.append({q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toByteArray(),
                    q.value(3).toBool(), q.value(4).toLongLong()});
    q.finish();
    return out;
}

void CatalogTable::insertDatabase(const DatabaseRow &row)
{
    QSqlQuery &q = m_conn.prepared("INSERT INTO databases(id, name, logger_config, "
                                   "logger_running, pruned_upto) VALUES(?, ?, ?, ?, ?)");
    q.bindValue(0, row.id);
    q.bindValue(1, row.name);
    q.bindValue(2, row.loggerConfig);
    q.bindValue(3, row.loggerRunning ? 1 : 0);
    q.bindValue(4, row.prunedUpTo);
    execOrThrow(q);
}

void CatalogTable::deleteDatabase(qint64 id)
{
    ReclaimTable(m_conn).queueDatabase(id); // the documents go later, a slice at a time
    for (const char *sql :
         {"DELETE FROM indexes WHERE cid IN (SELECT cid FROM collections WHERE db=?)",
          "DELETE FROM collections WHERE db=?", "DELETE FROM log WHERE db=?",
          "DELETE FROM restore_points WHERE db=?", "DELETE FROM databases WHERE id=?"}) {
        QSqlQuery &q = m_conn.prepared(sql);
        q.bindValue(0, id);
        execOrThrow(q);
    }
}

void CatalogTable::setLogger(qint64 db, const QByteArray &config, bool running)
{
    QSqlQuery &q =
        m_conn.prepared("UPDATE databases SET logger_config=?, logger_running=? WHERE id=?");
    q.bindValue(0, config);
    q.bindValue(1, running ? 1 : 0);
    q.bindValue(2, db);
    execOrThrow(q);
}

void CatalogTable::setPrunedUpTo(qint64 db, qint64 tick)
{
    QSqlQuery &q = m_conn.prepared("UPDATE databases SET pruned_upto=? WHERE id=?");
    q.bindValue(0, tick);
    q.bindValue(1, db);
    execOrThrow(q);
}

QList<QPair<qint64, QByteArray>> CatalogTable::restorePoints(qint64 db)
{
    QSqlQuery &q = m_conn.prepared("SELECT id, info FROM restore_points WHERE db=? ORDER BY id");
    q.bindValue(0, db);
    execOrThrow(q);
    QList<QPair<qint64, QByteArray>> out;
    while (q.next())
        out.append({q.value(0).toLongLong(), q.value(1).toByteArray()});
    q.finish();
    return out;
}

void CatalogTable::putRestorePoint(qint64 id, qint64 db, const QByteArray &info)
{
    QSqlQuery &q = m_conn.prepared("INSERT OR REPLACE INTO restore_points(id, db, info) "
                                   "VALUES(?, ?, ?)");
    q.bindValue(0, id);
    q.bindValue(1, db);
    q.bindValue(2, info);
    execOrThrow(q);
}

void CatalogTable::deleteRestorePoint(qint64 id)
{
    QSqlQuery &q = m_conn.prepared("DELETE FROM restore_points WHERE id=?");
    q.bindValue(0, id);
    execOrThrow(q);
}

QList<CollectionRow> CatalogTable::collections()
{
    QSqlQuery &q =
        m_conn.prepared("SELECT cid, db, name, type, props FROM collections ORDER BY cid");
    execOrThrow(q);
    QList<CollectionRow> out;
    while (q.next())
        out.append({q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toString(),
                    q.value(3).toInt(), q.value(4).toByteArray()});
    q.finish();
    return out;
}

void CatalogTable::insertCollection(const CollectionRow &row)
{
    QSqlQuery &q = m_conn.prepared(
        "INSERT INTO collections(cid, db, name, type, props, count) VALUES(?, ?, ?, ?, ?, 0)");
    q.bindValue(0, row.cid);
    q.bindValue(1, row.db);
    q.bindValue(2, row.name);
    q.bindValue(3, row.type);
    q.bindValue(4, row.props);
    execOrThrow(q);
}

void CatalogTable::updateCollection(const CollectionRow &row)
{
    QSqlQuery &q = m_conn.prepared("UPDATE collections SET name=?, type=?, props=? WHERE cid=?");
    q.bindValue(0, row.name);
    q.bindValue(1, row.type);
    q.bindValue(2, row.props);
    q.bindValue(3, row.cid);
    execOrThrow(q);
}

void CatalogTable::deleteCollection(qint64 cid)
{
    ReclaimTable(m_conn).queueCollection(cid); // the documents go later, a slice at a time
    for (const char *sql :
         {"DELETE FROM indexes WHERE cid=?", "DELETE FROM collections WHERE cid=?"}) {
        QSqlQuery &q = m_conn.prepared(sql);
        q.bindValue(0, cid);
        execOrThrow(q);
    }
}

void CatalogTable::addCount(qint64 cid, qint64 delta)
{
    QSqlQuery &q = m_conn.prepared("UPDATE collections SET count=count+? WHERE cid=?");
    q.bindValue(0, delta);
    q.bindValue(1, cid);
    execOrThrow(q);
}

qint64 CatalogTable::count(qint64 cid)
{
    QSqlQuery &q = m_conn.prepared("SELECT count FROM collections WHERE cid=?");
    q.bindValue(0, cid);
    execOrThrow(q);
    const qint64 n = q.next() ? q.value(0).toLongLong() : 0;
    q.finish();
    return n;
}

QList<IndexRow> CatalogTable::indexes()
{
    QSqlQuery &q = m_conn.prepared("SELECT id, cid, def FROM indexes ORDER BY id");
    execOrThrow(q);
    QList<IndexRow> out;
    while (q.next())
        out.append({q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toByteArray()});
    q.finish();
    return out;
}

void CatalogTable::insertIndex(const IndexRow &row)
{
    QSqlQuery &q = m_conn.prepared("INSERT INTO indexes(id, cid, def) VALUES(?, ?, ?)");
    q.bindValue(0, row.id);
    q.bindValue(1, row.cid);
    q.bindValue(2, row.def);
    execOrThrow(q);
}

void CatalogTable::deleteIndex(qint64 id)
{
    dropUnique(id);
    QSqlQuery &q = m_conn.prepared("DELETE FROM indexes WHERE id=?");
    q.bindValue(0, id);
    execOrThrow(q);
}

QByteArray CatalogTable::applierConfig(qint64 db)
{
    QSqlQuery &q = m_conn.prepared("SELECT config FROM applier WHERE db=?");
    q.bindValue(0, db);
    execOrThrow(q);
    const QByteArray out = q.next() ? q.value(0).toByteArray() : QByteArray();
    q.finish();
    return out;
}

QByteArray CatalogTable::applierState(qint64 db)
{
    QSqlQuery &q = m_conn.prepared("SELECT state FROM applier WHERE db=?");
    q.bindValue(0, db);
    execOrThrow(q);
    const QByteArray out = q.next() ? q.value(0).toByteArray() : QByteArray();
    q.finish();
    return out;
}

void CatalogTable::setApplierConfig(qint64 db, const QByteArray &config)
{
    QSqlQuery &q = m_conn.prepared("INSERT INTO applier(db, config) VALUES(?, ?) ON CONFLICT(db) "
                                   "DO UPDATE SET config=excluded.config");
    q.bindValue(0, db);
    q.bindValue(1, config);
    execOrThrow(q);
}

void CatalogTable::setApplierState(qint64 db, const QByteArray &state)
{
    QSqlQuery &q = m_conn.prepared("INSERT INTO applier(db, state) VALUES(?, ?) ON CONFLICT(db) "
                                   "DO UPDATE SET state=excluded.state");
    q.bindValue(0, db);
    q.bindValue(1, state);
    execOrThrow(q);
}

std::optional<QString> CatalogTable::uniqueOwner(qint64 iid, const QByteArray &value)
{
    QSqlQuery &q = m_conn.prepared("SELECT key FROM unique_entries WHERE iid=? AND value=?");
    q.bindValue(0, iid);
    q.bindValue(1, value);
    execOrThrow(q);
    std::optional<QString> out;
    if (q.next())
        out = q.value(0).toString();
    q.finish();
    return out;
}

void CatalogTable::insertUnique(qint64 iid, const QByteArray &value, const QString &key)
{
    QSqlQuery &q =
        m_conn.prepared("INSERT OR REPLACE INTO unique_entries(iid, value, key) VALUES(?, ?, ?)");
    q.bindValue(0, iid);
    q.bindValue(1, value);
    q.bindValue(2, key);
    execOrThrow(q);
}

void CatalogTable::removeUnique(qint64 iid, const QByteArray &value, const QString &key)
{
    // Only the key's own entry: a replicated write may have taken the value over meanwhile.
    QSqlQuery &q = m_conn.prepared("DELETE FROM unique_entries WHERE iid=? AND value=? AND key=?");
    q.bindValue(0, iid);
    q.bindValue(1, value);
    q.bindValue(2, key);
    execOrThrow(q);
}

void CatalogTable::dropUnique(qint64 iid)
{
    QSqlQuery &q = m_conn.prepared("DELETE FROM unique_entries WHERE iid=?");
    q.bindValue(0, iid);
    execOrThrow(q);
}

} // namespace repl::storage
