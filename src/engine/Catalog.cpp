#include "engine/Catalog.h"

#include "core/Error.h"
#include "core/JsonPatch.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace repl {

QJsonObject LoggerConfig::toJson() const
{
    return {{QStringLiteral("autoStart"), autoStart},
            {QStringLiteral("logRemoteChanges"), logRemoteChanges},
            {QStringLiteral("maxEvents"), double(maxEvents)},
            {QStringLiteral("maxEventsSize"), double(maxEventsSize)}};
}

LoggerConfig LoggerConfig::merged(const LoggerConfig &base, const QJsonObject &patch)
{
    LoggerConfig c = base;
    const JsonPatchReader read(patch, [](const QString &field, const QString &why) {
        return Error(
            400, ErrorNum::ReplicationInvalidLoggerConfiguration,
            QStringLiteral("invalid replication logger configuration: <%1> %2").arg(field, why));
    });
    read.boolean("autoStart", c.autoStart);
    read.boolean("logRemoteChanges", c.logRemoteChanges);
    read.count("maxEvents", c.maxEvents, QStringLiteral("0 means unlimited"));
    read.count("maxEventsSize", c.maxEventsSize, QStringLiteral("0 means unlimited"));
    return c;
}

LoggerConfig LoggerConfig::fromStored(const QByteArray &json)
{
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    try {
        return merged(LoggerConfig{}, o);
    } catch (const Error &) {
        return LoggerConfig{};
    }
}

QJsonObject IndexInfo::toJson(const QString &collection) const
{
    return {{QStringLiteral("id"), collection + u'/' + QString::number(id)},
            {QStringLiteral("type"), type},
            {QStringLiteral("fields"), QJsonArray::fromStringList(fields)},
            {QStringLiteral("unique"), unique},
            {QStringLiteral("sparse"), sparse}};
}

QByteArray IndexInfo::toStored() const
{
    QJsonObject o = toJson(QString());
    o.remove(QStringLiteral("id"));
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

IndexInfo IndexInfo::fromStored(qint64 id, const QByteArray &json)
{
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    IndexInfo i;
    i.id = id;
    i.type = o.value(QStringLiteral("type")).toString();
    for (const QJsonValue &f : o.value(QStringLiteral("fields")).toArray())
        i.fields.append(f.toString());
    i.unique = o.value(QStringLiteral("unique")).toBool();
    i.sparse = o.value(QStringLiteral("sparse")).toBool();
    return i;
}

bool CollectionInfo::hasUniqueIndex() const
{
    return std::any_of(indexes.begin(), indexes.end(), [](const IndexInfo &i) { return i.unique; });
}

QJsonObject CollectionInfo::parameters(const QString &serverId) const
{
    const QString id = QString::number(cid);
    return {{QStringLiteral("version"), 5},
            {QStringLiteral("type"), type},
            {QStringLiteral("cid"), id},
            {QStringLiteral("id"), id},
            {QStringLiteral("globallyUniqueId"), QStringLiteral("h%1/%2").arg(serverId, id)},
            {QStringLiteral("deleted"), false},
            {QStringLiteral("doCompact"), true},
            {QStringLiteral("name"), name},
            {QStringLiteral("isVolatile"), false},
            {QStringLiteral("isSystem"), isSystem()},
            {QStringLiteral("waitForSync"), waitForSync},
            {QStringLiteral("status"), 3},
            {QStringLiteral("keyOptions"),
             QJsonObject{{QStringLiteral("type"), QStringLiteral("traditional")},
                         {QStringLiteral("allowUserKeys"), true}}}};
}

QByteArray CollectionInfo::storedProps() const
{
    return QJsonDocument(QJsonObject{{QStringLiteral("waitForSync"), waitForSync}})
        .toJson(QJsonDocument::Compact);
}

void CollectionInfo::applyStoredProps(const QByteArray &json)
{
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    waitForSync = o.value(QStringLiteral("waitForSync")).toBool();
}

const DatabaseInfo *Catalog::database(const QString &name) const
{
    auto it = m_databaseByName.constFind(name);
    return it == m_databaseByName.constEnd() ? nullptr : database(*it);
}

const DatabaseInfo *Catalog::database(qint64 id) const
{
    auto it = m_databases.constFind(id);
    return it == m_databases.constEnd() ? nullptr : &*it;
}

const CollectionInfo *Catalog::collection(qint64 db, const QString &name) const
{
    auto d = m_collectionByName.constFind(db);
    if (d == m_collectionByName.constEnd())
        return nullptr;
    auto it = d->constFind(name);
    if (it == d->constEnd()) {
        // ArangoDB also accepts the collection id where a name is expected.
        bool ok = false;
        const qint64 cid = name.toLongLong(&ok);
        const CollectionInfo *c = ok ? collection(cid) : nullptr;
        return c && c->db == db ? c : nullptr;
    }
    return collection(*it);
}

const CollectionInfo *Catalog::collection(qint64 cid) const
{
    auto it = m_collections.constFind(cid);
    return it == m_collections.constEnd() ? nullptr : &*it;
}

QList<const CollectionInfo *> Catalog::collections(qint64 db) const
{
    QList<const CollectionInfo *> out;
    for (qint64 cid : m_collectionByName.value(db))
        out.append(collection(cid));
    std::sort(out.begin(), out.end(), [](const CollectionInfo *a, const CollectionInfo *b) {
        if (a->type != b->type)
            return a->type < b->type;
        return a->name.compare(b->name, Qt::CaseInsensitive) < 0;
    });
    return out;
}

QStringList Catalog::databaseNames() const
{
    QStringList names = m_databaseByName.keys();
    names.sort();
    return names;
}

DatabaseInfo *Catalog::mutableDatabase(qint64 id)
{
    auto it = m_databases.find(id);
    return it == m_databases.end() ? nullptr : &*it;
}

CollectionInfo *Catalog::mutableCollection(qint64 cid)
{
    auto it = m_collections.find(cid);
    return it == m_collections.end() ? nullptr : &*it;
}

void Catalog::addDatabase(const DatabaseInfo &db)
{
    m_databases.insert(db.id, db);
    m_databaseByName.insert(db.name, db.id);
    m_collectionByName[db.id];
}

void Catalog::removeDatabase(qint64 id)
{
    const auto names = m_collectionByName.take(id);
    for (qint64 cid : names)
        m_collections.remove(cid);
    if (const DatabaseInfo *d = database(id))
        m_databaseByName.remove(d->name);
    m_databases.remove(id);
}

void Catalog::addCollection(const CollectionInfo &c)
{
    m_collections.insert(c.cid, c);
    m_collectionByName[c.db].insert(c.name, c.cid);
}

void Catalog::removeCollection(qint64 cid)
{
    if (const CollectionInfo *c = collection(cid))
        m_collectionByName[c->db].remove(c->name);
    m_collections.remove(cid);
}

void Catalog::renameCollection(qint64 cid, const QString &newName)
{
    CollectionInfo *c = mutableCollection(cid);
    if (!c)
        return;
    m_collectionByName[c->db].remove(c->name);
    c->name = newName;
    m_collectionByName[c->db].insert(newName, cid);
}

} // namespace repl
