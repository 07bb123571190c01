#include "engine/RestorePointService.h"

#include "core/Clock.h"
#include "core/Error.h"
#include "engine/ApplyService.h"
#include "engine/SchemaService.h"
#include "engine/SyncStaging.h"
#include "engine/WriteTxn.h"
#include "storage/CatalogTable.h"
#include "storage/DocumentTable.h"

#include <QJsonDocument>

#include <cmath>

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

QString retentionKey(qint64 db)
{
    return QStringLiteral("restorePointRetention:%1").arg(db);
}

// Drops the oldest points beyond the database's retention.
void applyRetention(WriteTxn &txn, qint64 db)
{
    const Retention r = retention(txn.connection(), db);
    const auto points = txn.catalogTable().restorePoints(db);
    qint64 total = 0;
    for (const auto &point : points)
        total += qint64(QJsonDocument::fromJson(point.second)
                            .object()
                            .value(QStringLiteral("bytes"))
                            .toDouble());
    qsizetype left = points.size();
    for (const auto &[id, stored] : points) {
        if (left <= r.keep && (r.maxBytes <= 0 || total <= r.maxBytes))
            break;
        const QJsonObject info = QJsonDocument::fromJson(stored).object();
        dropKept(txn, db, info);
        txn.catalogTable().deleteRestorePoint(id);
        total -= qint64(info.value(QStringLiteral("bytes")).toDouble());
        --left;
    }
}

qint64 keptBytes(storage::Connection &conn, qint64 db, const QJsonObject &info,
                 const Catalog &catalog)
{
    qint64 bytes = 0;
    storage::DocumentTable docs(conn);
    for (const QJsonValue &c : info.value(QStringLiteral("collections")).toArray())
        if (const CollectionInfo *kept =
                catalog.collection(db, c[QStringLiteral("kept")].toString()))
            docs.scanByTick(
                kept->cid, 0, MaxTick,
                [&](Tick, QByteArrayView, QByteArrayView, bool deleted, QByteArrayView body) {
                    if (!deleted)
                        bytes += body.size();
                    return true;
                });
    return bytes;
}

} // namespace

QJsonObject Retention::toJson() const
{
    return {{QStringLiteral("keep"), keep}, {QStringLiteral("maxBytes"), double(maxBytes)}};
}

Retention Retention::fromJson(const QJsonObject &o, const Retention &base)
{
    Retention r = base;
    auto count = [&](const char *field, qint64 &out) {
        const QJsonValue v = o.value(QLatin1String(field));
        if (v.isUndefined())
            return;
        const double d = v.toDouble(-1);
        if (!v.isDouble() || d < 0 || d != std::floor(d) || d > 9e15)
            throw Error(
                400, ErrorNum::BadParameter,
                QStringLiteral("<%1> must be a whole number, 0 or more").arg(QLatin1String(field)));
        out = qint64(d);
    };
    qint64 keep = r.keep;
    count("keep", keep);
    if (keep > 1000)
        throw Error(400, ErrorNum::BadParameter, QStringLiteral("<keep> must be 1000 or less"));
    r.keep = int(keep);
    count("maxBytes", r.maxBytes);
    return r;
}

Retention retention(storage::Connection &conn, qint64 db)
{
    const auto stored = storage::CatalogTable(conn).meta(retentionKey(db));
    return stored ? Retention::fromJson(QJsonDocument::fromJson(*stored).object(), {})
                  : Retention{};
}

void setRetention(WriteTxn &txn, qint64 db, const Retention &r)
{
    txn.catalogTable().setMeta(retentionKey(db), compact(r.toJson()));
    applyRetention(txn, db);
}

void keepAside(WriteTxn &txn, const CollectionInfo &c, Pending &p)
{
    if (p.id == 0)
        p.id = qint64(txn.nextTick());
    const QString kept = QStringLiteral("_rp%1_%2").arg(p.id).arg(c.name);
    // The count the collection keeps (no scan: the swap stays short); the size comes later.
    const qint64 count = txn.catalogTable().count(c.cid);
    SchemaService::renameSilently(txn, c.cid, kept);
    p.collections.append(QJsonObject{{QStringLiteral("name"), c.name},
                                     {QStringLiteral("kept"), kept},
                                     {QStringLiteral("count"), double(count)}});
}

void record(WriteTxn &txn, qint64 db, const Pending &p, const QString &leader)
{
    if (p.id == 0)
        return;
    txn.catalogTable().putRestorePoint(p.id, db,
                                       compact({{QStringLiteral("time"), isoNow()},
                                                {QStringLiteral("leader"), leader},
                                                {QStringLiteral("collections"), p.collections}}));
    applyRetention(txn, db);
}

qint64 measure(storage::Connection &reader, const Catalog &catalog, qint64 db, qint64 id)
{
    for (const auto &[pid, stored] : storage::CatalogTable(reader).restorePoints(db))
        if (pid == id)
            return keptBytes(reader, db, QJsonDocument::fromJson(stored).object(), catalog);
    return 0;
}

void settle(WriteTxn &txn, qint64 db, qint64 id, qint64 bytes)
{
    for (const auto &[pid, stored] : txn.catalogTable().restorePoints(db))
        if (pid == id) {
            QJsonObject info = QJsonDocument::fromJson(stored).object();
            info.insert(QStringLiteral("bytes"), double(bytes));
            txn.catalogTable().putRestorePoint(id, db, compact(info));
        }
    applyRetention(txn, db);
}

QJsonObject list(storage::Connection &reader, const Catalog &catalog, qint64 db)
{
    QJsonArray out;
    for (const auto &[id, stored] : storage::CatalogTable(reader).restorePoints(db)) {
        const QJsonObject info = QJsonDocument::fromJson(stored).object();
        QJsonArray collections;
        for (const QJsonValue &c : info.value(QStringLiteral("collections")).toArray())
            collections.append(QJsonObject{{QStringLiteral("name"), c[QStringLiteral("name")]},
                                           {QStringLiteral("count"), c[QStringLiteral("count")]}});
        // Not measured yet (the sync that made it is settling, or the server stopped first).
        const QJsonValue bytes = info.contains(QStringLiteral("bytes"))
                                     ? info.value(QStringLiteral("bytes"))
                                     : QJsonValue(double(keptBytes(reader, db, info, catalog)));
        out.append(QJsonObject{{QStringLiteral("id"), QString::number(id)},
                               {QStringLiteral("time"), info.value(QStringLiteral("time"))},
                               {QStringLiteral("leader"), info.value(QStringLiteral("leader"))},
                               {QStringLiteral("collections"), collections},
                               {QStringLiteral("bytes"), bytes}});
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
        const qint64 count = txn.catalogTable().count(kept.cid);
        // The current collection goes, the kept one comes back: logged when the logger runs
        // (drop, create, the documents in one log transaction), so followers converge.
        if (const CollectionInfo *current = txn.catalog().collection(db, name))
            SchemaService::dropCollection(txn, current->cid);
        SyncStaging::putInPlace(txn, kept, name);
        restored.append(
            QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("count"), double(count)}});
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
