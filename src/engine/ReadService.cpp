#include "engine/ReadService.h"

#include "core/DocumentJson.h"
#include "core/LogEventType.h"
#include "core/LogLine.h"
#include "engine/Engine.h"
#include "engine/LoggerService.h"
#include "storage/CatalogTable.h"
#include "storage/Connection.h"

#include <QJsonArray>

namespace repl::ReadService {

std::optional<storage::DocumentRow> document(storage::Connection &reader, const CollectionInfo &c,
                                             const QString &key)
{
    return storage::DocumentTable(reader).get(c.cid, key);
}

qint64 count(storage::Connection &reader, qint64 cid)
{
    return storage::CatalogTable(reader).count(cid);
}

QJsonObject inventory(Engine &engine, storage::Connection &reader, const DatabaseInfo &db,
                      bool includeSystem)
{
    const auto catalog = engine.catalog();
    const Tick tick = engine.lastTick();
    QJsonArray collections;
    storage::CatalogTable table(reader);
    for (const CollectionInfo *c : catalog->collections(db.id)) {
        if ((c->isSystem() && !includeSystem) || c->isServerLocal())
            continue;
        QJsonObject params = c->parameters(engine.serverId());
        params.insert(QStringLiteral("count"), double(table.count(c->cid)));
        QJsonArray indexes;
        for (const IndexInfo &i : c->indexes)
            indexes.append(i.toJson(c->name));
        collections.append(QJsonObject{{QStringLiteral("parameters"), params},
                                       {QStringLiteral("indexes"), indexes}});
    }
    QJsonObject state =
        LoggerService::stateJson(engine, db).value(QStringLiteral("state")).toObject();
    return {{QStringLiteral("collections"), collections},
            {QStringLiteral("state"), state},
            {QStringLiteral("tick"), tickString(tick)}};
}

DumpResult dump(storage::Connection &reader, const CollectionInfo &c, const DumpRequest &request)
{
    DumpResult r;
    const qint64 limit = qMax<qint64>(1, request.chunkSize);
    r.body.reserve(qMin<qint64>(limit + 64 * 1024, 32 * 1024 * 1024));
    const QByteArray cname = c.name.toUtf8();
    storage::DocumentTable(reader).scanByTick(
        c.cid, request.from, request.to,
        [&](Tick tick, QByteArrayView key, QByteArrayView rev, bool deleted, QByteArrayView body) {
            if (r.body.size() >= limit) {
                r.checkMore = true;
                return false;
            }
            const QByteArray data =
                deleted ? composeKeyRev(key, rev) : composeDocument(cname, key, rev, body);
            r.body +=
                dumpLine(tick, request.ticks,
                         int(deleted ? LogEventType::DocumentRemove : LogEventType::DocumentUpsert),
                         key, rev, data);
            r.lastIncluded = tick;
            return true;
        });
    return r;
}

} // namespace repl::ReadService
