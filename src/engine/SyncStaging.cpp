#include "engine/SyncStaging.h"

#include "core/Error.h"
#include "engine/DocumentService.h"
#include "engine/SchemaService.h"
#include "engine/WriteTxn.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcStaging, "repldesk.engine.staging", QtInfoMsg)

namespace repl::SyncStaging {

QString stagingName(qint64 id, const QString &name)
{
    return QStringLiteral("_st%1_%2").arg(id).arg(name);
}

CollectionInfo create(WriteTxn &txn, qint64 db, qint64 id, const QJsonObject &entry,
                      ApplyService::Mapping &mapping)
{
    const QJsonObject p = entry.value(QStringLiteral("parameters")).toObject();
    const QString name = p.value(QStringLiteral("name")).toString();
    const QString staging = stagingName(id, name);
    if (const CollectionInfo *left = txn.catalog().collection(db, staging))
        SchemaService::dropCollection(txn, left->cid); // server-local: not logged
    const int type = p.value(QStringLiteral("type")).toInt(2);
    const CollectionInfo c = SchemaService::createCollection(
        txn, db, staging, type == 3 ? 3 : 2, p.value(QStringLiteral("waitForSync")).toBool());
    QString leaderCid = p.value(QStringLiteral("cid")).toString();
    if (leaderCid.isEmpty())
        leaderCid = p.value(QStringLiteral("id")).toString();
    mapping.collections.insert(leaderCid, name);
    for (const QJsonValue &idx : entry.value(QStringLiteral("indexes")).toArray()) {
        const QJsonObject def = idx.toObject();
        const QString type = def.value(QStringLiteral("type")).toString();
        if (type == u"primary" || type == u"edge")
            continue;
        const auto r = SchemaService::createIndex(txn, c.cid, def);
        mapping.indexes.insert(def.value(QStringLiteral("id")).toString().section(u'/', -1),
                               r.index.id);
    }
    return *txn.catalog().collection(c.cid);
}

namespace {

// The logged swap: a fresh collection under the final name, created, indexed and filled
// through the logging services inside one log transaction; the staging copy is dropped.
CollectionInfo copyLogged(WriteTxn &txn, const CollectionInfo &staging, const QString &name)
{
    const CollectionInfo fresh =
        SchemaService::createCollection(txn, staging.db, name, staging.type, staging.waitForSync);
    for (const IndexInfo &idx : staging.indexes)
        if (idx.type != u"primary" && idx.type != u"edge")
            SchemaService::createIndex(txn, fresh.cid, idx.toJson(name));
    const CollectionInfo target = *txn.catalog().collection(fresh.cid);
    DocumentService::LoggedTransaction logged(txn, staging.db);
    struct Row
    {
        QByteArray key, rev, body;
        bool deleted;
    };
    // Read in slices of the tick order, written after each slice: the scan never runs over
    // rows this job writes.
    Tick from = 0;
    for (;;) {
        std::vector<Row> rows;
        Tick last = from;
        txn.documents().scanByTick(
            staging.cid, from, MaxTick,
            [&](Tick tick, QByteArrayView key, QByteArrayView rev, bool deleted,
                QByteArrayView body) {
                rows.push_back({key.toByteArray(), rev.toByteArray(), body.toByteArray(), deleted});
                last = tick;
                return rows.size() < 10000;
            });
        if (rows.empty())
            break;
        for (const Row &r : rows)
            DocumentService::storeLeaderVersion(txn, target, r.key, r.rev, {}, r.body, r.deleted,
                                                logged.tid());
        from = last; // exclusive
    }
    logged.commit();
    SchemaService::dropCollection(txn, staging.cid); // server-local: not logged
    return target;
}

} // namespace

CollectionInfo putInPlace(WriteTxn &txn, const CollectionInfo &source, const QString &name)
{
    return txn.isLogging(source.db) ? copyLogged(txn, source, name)
                                    : SchemaService::renameSilently(txn, source.cid, name);
}

QJsonArray swapIn(WriteTxn &txn, qint64 db, qint64 id, const QStringList &names,
                  RestorePointService::Pending &kept)
{
    QJsonArray out;
    for (const QString &name : names) {
        const CollectionInfo *stagingPtr = txn.catalog().collection(db, stagingName(id, name));
        if (!stagingPtr)
            throw Error(500, ErrorNum::Internal,
                        QStringLiteral("sync lost its staging copy of '%1'").arg(name));
        const CollectionInfo staging = *stagingPtr;
        if (const CollectionInfo *old = txn.catalog().collection(db, name)) {
            SchemaService::logDrop(txn, *old);
            RestorePointService::keepAside(txn, *old, kept);
        }
        const CollectionInfo in = putInPlace(txn, staging, name);
        out.append(QJsonObject{{QStringLiteral("id"), QString::number(in.cid)},
                               {QStringLiteral("name"), in.name}});
    }
    return out;
}

void discard(WriteTxn &txn, qint64 db, qint64 id)
{
    const QString prefix = stagingName(id, {});
    for (const CollectionInfo *c : txn.catalog().collections(db))
        if (c->name.startsWith(prefix))
            SchemaService::dropCollection(txn, c->cid); // server-local: not logged
}

int cleanAll(WriteTxn &txn)
{
    QList<qint64> left;
    for (const QString &db : txn.catalog().databaseNames())
        for (const CollectionInfo *c : txn.catalog().collections(txn.catalog().database(db)->id))
            if (CollectionInfo::isStagingName(c->name))
                left.append(c->cid);
    for (qint64 cid : std::as_const(left)) {
        qCInfo(lcStaging).noquote()
            << "dropping staging collection" << txn.catalog().collection(cid)->name
            << "left by a sync that did not finish";
        SchemaService::dropCollection(txn, cid);
    }
    return int(left.size());
}

} // namespace repl::SyncStaging
