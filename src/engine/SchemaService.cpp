#include "engine/SchemaService.h"

#include "core/Error.h"
#include "core/LogEventType.h"
#include "core/LogLine.h"
#include "core/Names.h"
#include "engine/DocumentService.h"
#include "engine/WriteTxn.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace repl::SchemaService {

namespace {

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

const CollectionInfo &requireCollection(WriteTxn &txn, qint64 cid)
{
    const CollectionInfo *c = txn.catalog().collection(cid);
    if (!c)
        throw Error(404, ErrorNum::CollectionNotFound);
    return *c;
}

void requireCollectionName(WriteTxn &txn, qint64 db, const QString &name)
{
    if (!isValidCollectionName(name))
        throw Error(400, ErrorNum::IllegalName,
                    QStringLiteral("illegal name: collection name '%1' must start with a letter "
                                   "or '_' and contain only letters, digits, '_' and '-'")
                        .arg(name.left(300)));
    if (txn.catalog().collection(db, name))
        throw Error(409, ErrorNum::DuplicateName,
                    QStringLiteral("duplicate name: collection '%1' already exists").arg(name));
}

// Logs a collection-level event: {"tick","type","database","cid","cname",extra…}.
void logCollectionEvent(WriteTxn &txn, const CollectionInfo &c, LogEventType type,
                        const char *extraKey, const QByteArray &extraJson, const QByteArray &data)
{
    if (!txn.isLogging(c.db))
        return;
    const Tick tick = txn.nextTick();
    JsonLineBuilder b;
    b.tick("tick", tick)
        .number("type", int(type))
        .tick("database", Tick(c.db))
        .tick("cid", Tick(c.cid))
        .string("cname", c.name.toUtf8())
        .tick("tid", 0);
    if (extraKey)
        b.raw(extraKey, extraJson);
    b.raw("data", data);
    if (!c.isServerLocal())
        txn.appendLog(c.db, c.isSystem(), tick, b.finish(true));
}

QByteArray idName(const CollectionInfo &c)
{
    return compact(
        {{QStringLiteral("id"), QString::number(c.cid)}, {QStringLiteral("name"), c.name}});
}

} // namespace

qint64 createDatabase(WriteTxn &txn, const QString &name)
{
    if (!isValidDatabaseName(name) || name == u"_system")
        throw Error(400, ErrorNum::DatabaseNameInvalid,
                    QStringLiteral("database name invalid: '%1' must start with a letter and "
                                   "contain only letters, digits, '_' and '-' (at most 64)")
                        .arg(name.left(100)));
    if (txn.catalog().database(name))
        throw Error(409, ErrorNum::DuplicateName,
                    QStringLiteral("duplicate name: database '%1' already exists").arg(name));
    DatabaseInfo db;
    db.id = qint64(txn.nextTick());
    db.name = name;
    txn.catalogTable().insertDatabase({db.id, name, compact(db.logger.toJson()), false, 0});
    txn.mutableCatalog().addDatabase(db);
    return db.id;
}

void dropDatabase(WriteTxn &txn, const QString &name)
{
    if (name == u"_system")
        throw Error(403, ErrorNum::Forbidden,
                    QStringLiteral("the _system database cannot be dropped"));
    const DatabaseInfo *db = txn.catalog().database(name);
    if (!db)
        throw Error(404, ErrorNum::DatabaseNotFound,
                    QStringLiteral("database not found: '%1'").arg(name));
    const qint64 id = db->id;
    txn.catalogTable().deleteDatabase(id);
    txn.mutableCatalog().removeDatabase(id);
    txn.forgetDatabase(id);
}

CollectionInfo createCollection(WriteTxn &txn, qint64 db, const QString &name, int type,
                                bool waitForSync)
{
    requireCollectionName(txn, db, name);
    if (type != 2 && type != 3)
        throw Error(400, ErrorNum::CollectionTypeInvalid,
                    QStringLiteral("invalid collection type: <type> must be 2 (document) or 3 "
                                   "(edge)"));
    CollectionInfo c;
    c.cid = qint64(txn.nextTick());
    c.db = db;
    c.name = name;
    c.type = type;
    c.waitForSync = waitForSync;
    txn.catalogTable().insertCollection({c.cid, db, name, type, c.storedProps()});
    txn.mutableCatalog().addCollection(c);
    const QByteArray params = compact(c.parameters(txn.serverId()));
    logCollectionEvent(txn, c, LogEventType::CollectionCreate, "collection", params, params);
    return c;
}

void dropCollection(WriteTxn &txn, qint64 cid)
{
    const CollectionInfo c = requireCollection(txn, cid);
    txn.catalogTable().deleteCollection(cid);
    txn.mutableCatalog().removeCollection(cid);
    logCollectionEvent(txn, c, LogEventType::CollectionDrop, nullptr, {}, idName(c));
}

CollectionInfo renameSilently(WriteTxn &txn, qint64 cid, const QString &newName)
{
    requireCollection(txn, cid);
    if (const CollectionInfo *taken =
            txn.catalog().collection(txn.catalog().collection(cid)->db, newName);
        taken && taken->cid != cid)
        throw Error(409, ErrorNum::DuplicateName,
                    QStringLiteral("duplicate name: %1 is taken").arg(newName));
    txn.mutableCatalog().renameCollection(cid, newName);
    const CollectionInfo c = *txn.catalog().collection(cid);
    txn.catalogTable().updateCollection({c.cid, c.db, c.name, c.type, c.storedProps()});
    return c;
}

void logDrop(WriteTxn &txn, const CollectionInfo &c)
{
    logCollectionEvent(txn, c, LogEventType::CollectionDrop, nullptr, {}, idName(c));
}

void logCreate(WriteTxn &txn, const CollectionInfo &c)
{
    const QByteArray params = compact(c.parameters(txn.serverId()));
    logCollectionEvent(txn, c, LogEventType::CollectionCreate, "collection", params, params);
    for (const IndexInfo &idx : c.indexes) {
        if (idx.type == u"primary" || idx.type == u"edge")
            continue;
        const QByteArray json = compact(idx.toJson(c.name));
        logCollectionEvent(txn, c, LogEventType::IndexCreate, "index", json, json);
    }
}

CollectionInfo renameCollection(WriteTxn &txn, qint64 cid, const QString &newName)
{
    const CollectionInfo old = requireCollection(txn, cid);
    if (old.name == newName)
        return old;
    requireCollectionName(txn, old.db, newName);
    if (old.isSystem() != isSystemName(newName))
        throw Error(400, ErrorNum::IllegalName,
                    QStringLiteral("illegal name: a rename cannot turn a system collection into "
                                   "a normal one or back"));
    txn.mutableCatalog().renameCollection(cid, newName);
    const CollectionInfo c = *txn.catalog().collection(cid);
    txn.catalogTable().updateCollection({c.cid, c.db, c.name, c.type, c.storedProps()});
    const QByteArray data = compact({{QStringLiteral("id"), QString::number(cid)},
                                     {QStringLiteral("name"), newName},
                                     {QStringLiteral("oldName"), old.name}});
    logCollectionEvent(txn, c, LogEventType::CollectionRename, "collection",
                       compact({{QStringLiteral("name"), newName}}), data);
    return c;
}

CollectionInfo setProperties(WriteTxn &txn, qint64 cid, const QJsonObject &patch)
{
    requireCollection(txn, cid);
    const QJsonValue wfs = patch.value(QStringLiteral("waitForSync"));
    if (!wfs.isUndefined() && !wfs.isBool())
        throw Error::badParameter(QStringLiteral("<waitForSync> must be a boolean"));
    CollectionInfo *m = txn.mutableCatalog().mutableCollection(cid);
    if (wfs.isBool())
        m->waitForSync = wfs.toBool();
    const CollectionInfo c = *m;
    txn.catalogTable().updateCollection({c.cid, c.db, c.name, c.type, c.storedProps()});
    const QByteArray params = compact(c.parameters(txn.serverId()));
    logCollectionEvent(txn, c, LogEventType::CollectionChange, "collection", params, params);
    return c;
}

void truncateCollection(WriteTxn &txn, qint64 cid)
{
    const CollectionInfo c = requireCollection(txn, cid);
    const qint64 removed = txn.documents().clear(cid);
    txn.addCount(cid, -removed);
    logCollectionEvent(txn, c, LogEventType::CollectionTruncate, nullptr, {}, idName(c));
}

IndexInfo parseIndexDefinition(const QJsonObject &d)
{
    IndexInfo i;
    i.type = d.value(QStringLiteral("type")).toString();
    if (i.type != u"hash" && i.type != u"skiplist" && i.type != u"persistent")
        throw Error::badParameter(QStringLiteral("invalid index type: <type> must be \"hash\", "
                                                 "\"skiplist\" or \"persistent\""));
    const QJsonValue fields = d.value(QStringLiteral("fields"));
    if (!fields.isArray() || fields.toArray().isEmpty())
        throw Error::badParameter(QStringLiteral("<fields> must be a non-empty array of "
                                                 "attribute names"));
    for (const QJsonValue &f : fields.toArray()) {
        if (!f.isString() || f.toString().isEmpty())
            throw Error::badParameter(QStringLiteral("<fields> must contain attribute names "
                                                     "(non-empty strings)"));
        i.fields.append(f.toString());
    }
    for (const char *flag : {"unique", "sparse"}) {
        const QJsonValue v = d.value(QLatin1String(flag));
        if (!v.isUndefined() && !v.isBool())
            throw Error::badParameter(
                QStringLiteral("<%1> must be a boolean").arg(QLatin1String(flag)));
    }
    i.unique = d.value(QStringLiteral("unique")).toBool();
    i.sparse = d.value(QStringLiteral("sparse")).toBool();
    return i;
}

IndexResult createIndex(WriteTxn &txn, qint64 cid, const QJsonObject &definition)
{
    const CollectionInfo c = requireCollection(txn, cid);
    IndexInfo idx = parseIndexDefinition(definition);
    for (const IndexInfo &existing : c.indexes)
        if (existing.type == idx.type && existing.fields == idx.fields &&
            existing.unique == idx.unique && existing.sparse == idx.sparse)
            return {existing, false};
    idx.id = qint64(txn.nextTick());
    if (idx.unique) {
        // Build the entries over the documents there are; a duplicate refuses the index.
        txn.documents().scanByTick(
            cid, 0, MaxTick,
            [&](Tick, QByteArrayView keyBytes, QByteArrayView, bool deleted, QByteArrayView body) {
                if (deleted)
                    return true;
                const QString key = QString::fromUtf8(keyBytes);
                const auto value = DocumentService::indexValue(
                    idx, QJsonDocument::fromJson(body.toByteArray()).object());
                if (!value)
                    return true;
                if (auto owner = txn.catalogTable().uniqueOwner(idx.id, *value))
                    throw Error(409, ErrorNum::UniqueConstraintViolated,
                                QStringLiteral("unique constraint violated: "
                                               "documents %1 and %2 share "
                                               "the indexed value %3")
                                    .arg(*owner, key, QString::fromUtf8(*value)));
                txn.catalogTable().insertUnique(idx.id, *value, key);
                return true;
            });
    }
    txn.catalogTable().insertIndex({idx.id, cid, idx.toStored()});
    txn.mutableCatalog().mutableCollection(cid)->indexes.append(idx);
    const QByteArray json = compact(idx.toJson(c.name));
    logCollectionEvent(txn, c, LogEventType::IndexCreate, "index", json, json);
    return {idx, true};
}

void dropIndex(WriteTxn &txn, qint64 cid, qint64 indexId)
{
    const CollectionInfo c = requireCollection(txn, cid);
    const auto it = std::find_if(c.indexes.begin(), c.indexes.end(),
                                 [&](const IndexInfo &i) { return i.id == indexId; });
    if (it == c.indexes.end())
        throw Error(404, ErrorNum::IndexNotFound);
    txn.catalogTable().deleteIndex(indexId);
    auto &list = txn.mutableCatalog().mutableCollection(cid)->indexes;
    list.removeIf([&](const IndexInfo &i) { return i.id == indexId; });
    const QByteArray id = QStringLiteral("%1/%2").arg(c.name).arg(indexId).toUtf8();
    const QByteArray data = compact({{QStringLiteral("id"), QString::fromUtf8(id)}});
    logCollectionEvent(txn, c, LogEventType::IndexDrop, "id",
                       '"' + QByteArray::number(indexId) + '"', data);
}

} // namespace repl::SchemaService
