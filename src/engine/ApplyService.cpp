#include "engine/ApplyService.h"

#include "core/Error.h"
#include "core/LogEventType.h"
#include "core/RevTree.h"
#include "core/Revision.h"
#include "engine/DocumentService.h"
#include "engine/SchemaService.h"
#include "engine/WriteTxn.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace repl::ApplyService {

namespace {

QString numericId(const QJsonValue &v)
{
    QString s = v.isString() ? v.toString() : QString::number(qint64(v.toDouble()));
    return s.section(u'/', -1);
}

QString stringOf(const QJsonValue &v)
{
    return v.isString()   ? v.toString()
           : v.isDouble() ? QString::number(qint64(v.toDouble()))
                          : QString();
}

const CollectionInfo *resolve(WriteTxn &txn, qint64 db, const QJsonObject &event,
                              const Mapping &mapping, QString *nameOut)
{
    QString name = mapping.collections.value(stringOf(event.value(QStringLiteral("cid"))));
    if (name.isEmpty())
        name = event.value(QStringLiteral("cname")).toString();
    if (name.isEmpty())
        name = event.value(QStringLiteral("collection"))
                   .toObject()
                   .value(QStringLiteral("name"))
                   .toString();
    if (nameOut)
        *nameOut = name;
    return name.isEmpty() ? nullptr : txn.catalog().collection(db, name);
}

QJsonObject parametersOf(const QJsonObject &event)
{
    const QJsonValue c = event.value(QStringLiteral("collection"));
    return c.isObject() ? c.toObject() : event.value(QStringLiteral("data")).toObject();
}

// Operations on collections the applier does not follow are counted and skipped.
bool excluded(const ApplierConfig &config, const QString &collection, Stats &stats)
{
    if (config.includes(collection))
        return false;
    ++stats.excluded;
    return true;
}

} // namespace

QJsonObject Mapping::toJson() const
{
    QJsonObject cols, idx;
    for (auto it = collections.cbegin(); it != collections.cend(); ++it)
        cols.insert(it.key(), it.value());
    for (auto it = indexes.cbegin(); it != indexes.cend(); ++it)
        idx.insert(it.key(), QString::number(it.value()));
    return {{QStringLiteral("collections"), cols}, {QStringLiteral("indexes"), idx}};
}

Mapping Mapping::fromJson(const QJsonObject &o)
{
    Mapping m;
    const QJsonObject cols = o.value(QStringLiteral("collections")).toObject();
    for (auto it = cols.begin(); it != cols.end(); ++it)
        m.collections.insert(it.key(), it.value().toString());
    const QJsonObject idx = o.value(QStringLiteral("indexes")).toObject();
    for (auto it = idx.begin(); it != idx.end(); ++it)
        m.indexes.insert(it.key(), it.value().toString().toLongLong());
    return m;
}

bool storeVersion(WriteTxn &txn, const CollectionInfo &c, const QString &key, const QByteArray &rev,
                  const QByteArray &oldRev, const QJsonObject &data, bool deleted, Tick tid)
{
    QJsonObject body = data;
    body.remove(QStringLiteral("_key"));
    body.remove(QStringLiteral("_id"));
    body.remove(QStringLiteral("_rev"));
    const QByteArray bytes =
        deleted ? QByteArrayLiteral("{}") : QJsonDocument(body).toJson(QJsonDocument::Compact);
    return DocumentService::storeLeaderVersion(txn, c, key.toUtf8(), rev, oldRev, bytes, deleted,
                                               tid);
}

void applyDocument(WriteTxn &txn, qint64 db, const LogDocumentRecord &e, const Mapping &mapping,
                   const ApplierConfig &config, Stats &stats, Tick tid, TargetCache *cache)
{
    ++stats.events;
    // Runs of events hit one collection: resolve it once per run.
    TargetCache local;
    TargetCache &t = cache ? *cache : local;
    if (t.cid.isNull() || t.cid != e.cid) {
        t.cid = e.cid;
        t.name = mapping.collections.value(QString::fromLatin1(e.cid));
        if (t.name.isEmpty())
            t.name = QString::fromUtf8(e.cname);
        t.included = config.includes(t.name);
        t.collection = t.included ? txn.catalog().collection(db, t.name) : nullptr;
    }
    if (!t.included) {
        ++stats.excluded;
        return;
    }
    if (!t.collection)
        throw Error(
            404, ErrorNum::CollectionNotFound,
            QStringLiteral("collection '%1' (leader cid %2) not found locally: run a sync first")
                .arg(t.name, QString::fromLatin1(e.cid)));
    DocumentService::storeLeaderVersion(txn, *t.collection, e.key, e.rev, e.oldRev, e.body,
                                        e.deleted, tid);
    ++(e.deleted ? stats.removals : stats.documents);
}

CollectionInfo recreateCollection(WriteTxn &txn, qint64 db, const QJsonObject &p)
{
    const QString name = p.value(QStringLiteral("name")).toString();
    if (const CollectionInfo *old = txn.catalog().collection(db, name))
        SchemaService::dropCollection(txn, old->cid);
    const int type = p.value(QStringLiteral("type")).toInt(2);
    return SchemaService::createCollection(txn, db, name, type == 3 ? 3 : 2,
                                           p.value(QStringLiteral("waitForSync")).toBool());
}

void applyEvent(WriteTxn &txn, qint64 db, const QJsonObject &e, Mapping &mapping,
                const ApplierConfig &config, Stats &stats, Tick tid)
{
    const int type = e.value(QStringLiteral("type")).toInt();
    ++stats.events;
    const QString cid = stringOf(e.value(QStringLiteral("cid")));
    QString name;
    switch (static_cast<LogEventType>(type)) {
    case LogEventType::LoggerStarted:
    case LogEventType::LoggerStopped:
        return;
    case LogEventType::DocumentUpsert:
    case LogEventType::EdgeUpsert:
    case LogEventType::DocumentRemove: {
        const CollectionInfo *c = resolve(txn, db, e, mapping, &name);
        if (excluded(config, name, stats))
            return;
        if (!c)
            throw Error(404, ErrorNum::CollectionNotFound,
                        QStringLiteral("collection '%1' (leader cid %2) not found locally: run a "
                                       "sync first")
                            .arg(name, cid));
        const QJsonObject data = e.value(QStringLiteral("data")).toObject();
        QString key = e.value(QStringLiteral("key")).toString();
        if (key.isEmpty())
            key = data.value(QStringLiteral("_key")).toString();
        QByteArray rev = e.value(QStringLiteral("rev")).toString().toUtf8();
        if (rev.isEmpty())
            rev = data.value(QStringLiteral("_rev")).toString().toUtf8();
        if (key.isEmpty() || rev.isEmpty())
            throw Error(500, ErrorNum::ReplicationInvalidResponse,
                        QStringLiteral("event %1 carries no key or revision")
                            .arg(e.value(QStringLiteral("tick")).toString()));
        const bool removal = type == int(LogEventType::DocumentRemove);
        storeVersion(txn, *c, key, rev, e.value(QStringLiteral("oldRev")).toString().toUtf8(), data,
                     removal, tid);
        ++(removal ? stats.removals : stats.documents);
        return;
    }
    case LogEventType::CollectionCreate: {
        const QJsonObject p = parametersOf(e);
        name = p.value(QStringLiteral("name")).toString();
        if (excluded(config, name, stats))
            return;
        mapping.collections.insert(cid.isEmpty() ? stringOf(p.value(QStringLiteral("cid"))) : cid,
                                   name);
        if (!txn.catalog().collection(db, name))
            SchemaService::createCollection(txn, db, name,
                                            p.value(QStringLiteral("type")).toInt(2) == 3 ? 3 : 2,
                                            p.value(QStringLiteral("waitForSync")).toBool());
        return;
    }
    case LogEventType::CollectionDrop: {
        const CollectionInfo *c = resolve(txn, db, e, mapping, &name);
        if (name.isEmpty())
            name =
                e.value(QStringLiteral("data")).toObject().value(QStringLiteral("name")).toString();
        if (excluded(config, name, stats))
            return;
        if (!c && !name.isEmpty())
            c = txn.catalog().collection(db, name);
        if (c)
            SchemaService::dropCollection(txn, c->cid);
        mapping.collections.remove(cid);
        return;
    }
    case LogEventType::CollectionRename: {
        const QJsonObject d = e.value(QStringLiteral("data")).toObject();
        QString newName = d.value(QStringLiteral("name")).toString();
        if (newName.isEmpty())
            newName = parametersOf(e).value(QStringLiteral("name")).toString();
        QString oldName = mapping.collections.value(cid);
        if (oldName.isEmpty())
            oldName = d.value(QStringLiteral("oldName")).toString();
        if (!config.includes(oldName) && !config.includes(newName)) {
            ++stats.excluded;
            return;
        }
        const CollectionInfo *c = txn.catalog().collection(db, oldName);
        if (c && !txn.catalog().collection(db, newName))
            SchemaService::renameCollection(txn, c->cid, newName);
        if (!cid.isEmpty())
            mapping.collections.insert(cid, newName);
        return;
    }
    case LogEventType::CollectionChange: {
        const CollectionInfo *c = resolve(txn, db, e, mapping, &name);
        if (excluded(config, name, stats))
            return;
        if (c)
            SchemaService::setProperties(
                txn, c->cid,
                {{QStringLiteral("waitForSync"),
                  parametersOf(e).value(QStringLiteral("waitForSync")).toBool()}});
        return;
    }
    case LogEventType::CollectionTruncate: {
        const CollectionInfo *c = resolve(txn, db, e, mapping, &name);
        if (excluded(config, name, stats))
            return;
        if (c)
            SchemaService::truncateCollection(txn, c->cid);
        return;
    }
    case LogEventType::IndexCreate: {
        const CollectionInfo *c = resolve(txn, db, e, mapping, &name);
        if (excluded(config, name, stats))
            return;
        if (!c)
            throw Error(404, ErrorNum::CollectionNotFound,
                        QStringLiteral("index for collection '%1' which is not here: run a sync")
                            .arg(name));
        QJsonObject def = e.value(QStringLiteral("index")).toObject();
        if (def.isEmpty())
            def = e.value(QStringLiteral("data")).toObject();
        const auto r = SchemaService::createIndex(txn, c->cid, def);
        mapping.indexes.insert(numericId(def.value(QStringLiteral("id"))), r.index.id);
        return;
    }
    case LogEventType::IndexDrop: {
        const CollectionInfo *c = resolve(txn, db, e, mapping, &name);
        if (excluded(config, name, stats))
            return;
        QJsonValue idValue = e.value(QStringLiteral("id"));
        if (idValue.isUndefined())
            idValue = e.value(QStringLiteral("data")).toObject().value(QStringLiteral("id"));
        const QString leaderId = numericId(idValue);
        const qint64 local = mapping.indexes.take(leaderId);
        // (Decided before the drop: it edits c->indexes, so no loop may run over them.)
        if (c && local &&
            std::any_of(c->indexes.cbegin(), c->indexes.cend(),
                        [local](const IndexInfo &i) { return i.id == local; }))
            SchemaService::dropIndex(txn, c->cid, local);
        return;
    }
    default:
        throw Error(500, ErrorNum::ReplicationUnexpectedMarker,
                    QStringLiteral("unexpected marker: event type %1 at tick %2")
                        .arg(type)
                        .arg(e.value(QStringLiteral("tick")).toString()));
    }
}

} // namespace repl::ApplyService
