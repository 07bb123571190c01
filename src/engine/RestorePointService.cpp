#include "engine/RestorePointService.h"

#include "core/Clock.h"
#include "core/Error.h"
#include "engine/ApplyService.h"
#include "engine/SchemaService.h"
#include "engine/WriteTxn.h"
#include "storage/CatalogTable.h"
#include "storage/DocumentTable.h"

#include <QJsonDocument>

namespace repl::RestorePointService {

namespace {

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

struct Stored
{
    qint64 id = 0;
    QJsonObject info;
};

Stored find(WriteTxn &txn, qint64 db, const QString &id)
{
    bool ok = false;
    const qint64 wanted = id.toLongLong(&ok);
    if (ok)
        for (const auto &[pid, info] : txn.catalogTable().restorePoints(db))
            if (pid == wanted)
                return {pid, QJsonDocument::fromJson(info).object()};
    throw Error(404, ErrorNum::HttpNotFound,
                QStringLiteral("restore point '%1' not found in this database: list them with GET "
                               "/_api/replication/restore-points")
                    .arg(id));
}

void dropKept(WriteTxn &txn, qint64 db, const QJsonObject &info)
{
    for (const QJsonValue &c : info.value(QStringLiteral("collections")).toArray())
        if (const CollectionInfo *kept =
                txn.catalog().collection(db, c[QStringLiteral("kept")].toString()))
            SchemaService::dropCollection(txn, kept->cid); // server-local: not logged
}

} // namespace

void keepAside(WriteTxn &txn, CollectionInfo c, Pending &p)
{
    if (p.id == 0)
        p.id = qint64(txn.nextTick());
    const QString kept = QStringLiteral("_rp%1_%2").arg(p.id).arg(c.name);
    qint64 count = 0, bytes = 0;
    txn.documents().scanByTick(
        c.cid, 0, std::numeric_limits<Tick>::max(),
        [&](Tick, QByteArrayView, QByteArrayView, bool deleted, QByteArrayView body) {
            if (!deleted) {
                ++count;
                bytes += body.size();
            }
            return true;
        });
    // Renamed without a log entry: followers see the leader's copy created in its place.
    txn.mutableCatalog().renameCollection(c.cid, kept);
    const CollectionInfo renamed = *txn.catalog().collection(c.cid);
    txn.catalogTable().updateCollection(
        {renamed.cid, renamed.db, renamed.name, renamed.type, renamed.storedProps()});
    p.collections.append(QJsonObject{{QStringLiteral("name"), c.name},
                                     {QStringLiteral("kept"), kept},
                                     {QStringLiteral("count"), double(count)}});
    p.bytes += bytes;
}

void record(WriteTxn &txn, qint64 db, const Pending &p, const QString &leader, int retention)
{
    if (p.id == 0)
        return;
    txn.catalogTable().putRestorePoint(p.id, db,
                                       compact({{QStringLiteral("time"), isoNow()},
                                                {QStringLiteral("leader"), leader},
                                                {QStringLiteral("collections"), p.collections},
                                                {QStringLiteral("bytes"), double(p.bytes)}}));
    const auto points = txn.catalogTable().restorePoints(db);
    for (qsizetype i = 0; i + retention < points.size(); ++i) {
        dropKept(txn, db, QJsonDocument::fromJson(points[i].second).object());
        txn.catalogTable().deleteRestorePoint(points[i].first);
    }
}

QJsonObject list(storage::Connection &reader, qint64 db)
{
    QJsonArray out;
    for (const auto &[id, stored] : storage::CatalogTable(reader).restorePoints(db)) {
        const QJsonObject info = QJsonDocument::fromJson(stored).object();
        QJsonArray collections;
        for (const QJsonValue &c : info.value(QStringLiteral("collections")).toArray())
            collections.append(QJsonObject{{QStringLiteral("name"), c[QStringLiteral("name")]},
                                           {QStringLiteral("count"), c[QStringLiteral("count")]}});
        out.append(QJsonObject{{QStringLiteral("id"), QString::number(id)},
                               {QStringLiteral("time"), info.value(QStringLiteral("time"))},
                               {QStringLiteral("leader"), info.value(QStringLiteral("leader"))},
                               {QStringLiteral("collections"), collections},
                               {QStringLiteral("bytes"), info.value(QStringLiteral("bytes"))}});
    }
    return {{QStringLiteral("restorePoints"), out}};
}

QJsonObject restore(WriteTxn &txn, qint64 db, const QString &id)
{
    const Stored point = find(txn, db, id);
    QJsonArray restored;
    for (const QJsonValue &entry : point.info.value(QStringLiteral("collections")).toArray()) {
        const QString name = entry[QStringLiteral("name")].toString();
        const CollectionInfo *keptPtr =
            txn.catalog().collection(db, entry[QStringLiteral("kept")].toString());
        if (!keptPtr)
            throw Error(500, ErrorNum::Internal,
                        QStringLiteral("restore point %1 lost its copy of '%2'").arg(id, name));
        const CollectionInfo kept = *keptPtr;
        // The current collection goes, the kept one comes back: all of it logged, so the
        // followers of this server converge on the restored data.
        if (const CollectionInfo *current = txn.catalog().collection(db, name))
            SchemaService::dropCollection(txn, current->cid);
        const CollectionInfo fresh =
            SchemaService::createCollection(txn, db, name, kept.type, kept.waitForSync);
        for (const IndexInfo &idx : kept.indexes)
            if (idx.type != u"primary" && idx.type != u"edge")
                SchemaService::createIndex(txn, fresh.cid, idx.toJson(name));
        struct Row
        {
            QString key;
            QByteArray rev;
            QJsonObject data;
        };
        QList<Row> rows;
        txn.documents().scanByTick(
            kept.cid, 0, std::numeric_limits<Tick>::max(),
            [&](Tick, QByteArrayView key, QByteArrayView rev, bool deleted, QByteArrayView body) {
                if (!deleted)
                    rows.append({QString::fromUtf8(key), rev.toByteArray(),
                                 QJsonDocument::fromJson(body.toByteArray()).object()});
                return true;
            });
        for (const Row &r : std::as_const(rows))
            ApplyService::storeVersion(txn, fresh, r.key, r.rev, {}, r.data, false, 0);
        SchemaService::dropCollection(txn, kept.cid); // server-local: not logged
        restored.append(QJsonObject{{QStringLiteral("name"), name},
                                    {QStringLiteral("count"), double(rows.size())}});
    }
    txn.catalogTable().deleteRestorePoint(point.id);
    return {{QStringLiteral("id"), id}, {QStringLiteral("collections"), restored}};
}

void discard(WriteTxn &txn, qint64 db, const QString &id)
{
    const Stored point = find(txn, db, id);
    dropKept(txn, db, point.info);
    txn.catalogTable().deleteRestorePoint(point.id);
}

} // namespace repl::RestorePointService
