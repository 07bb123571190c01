#include "client/Endpoint.h"
#include "ops/Backup.h"
#include "ops/BackupFiles.h"
#include "ops/OpsSupport.h"

#include <QFile>
#include <QJsonDocument>
#include <QSet>
#include <QUrlQuery>

// The restore: a backup folder into a database, guarded by a preview and the database's name.
namespace repl::ops {

using detail::BackupFolder;
using detail::compact;
using detail::objectOf;
using detail::tr;

QJsonObject RestorePlan::toJson() const
{
    QJsonArray list;
    for (const Entry &e : collections)
        list.append(QJsonObject{{QStringLiteral("name"), e.name},
                                {QStringLiteral("action"),
                                 e.exists ? QStringLiteral("replace") : QStringLiteral("create")},
                                {QStringLiteral("existing"), e.existing},
                                {QStringLiteral("restored"), e.restored}});
    return {{QStringLiteral("format"), formatName(format)},
            {QStringLiteral("backupDatabase"), backupDatabase},
            {QStringLiteral("targetDatabase"), targetDatabase},
            {QStringLiteral("databaseExists"), databaseExists},
            {QStringLiteral("collections"), list},
            {QStringLiteral("kept"), QJsonArray::fromStringList(kept)},
            {QStringLiteral("dropped"), dropped},
            {QStringLiteral("restored"), restored}};
}

namespace detail {

qint64 countLines(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    qint64 n = 0;
    while (!f.atEnd())
        if (!f.readLine().trimmed().isEmpty())
            ++n;
    return n;
}

BackupFolder readBackupFolder(const QString &folder)
{
    BackupFolder b;
    const QDir dir(folder);
    if (!dir.exists()) {
        b.error = tr("There is no folder '%1': give the folder a backup wrote.").arg(folder);
        return b;
    }
    auto readJson = [&](const QString &name, QJsonObject *out) {
        QFile f(dir.filePath(name));
        if (!f.open(QIODevice::ReadOnly)) {
            b.error = tr("Cannot read '%1': %2").arg(f.fileName(), f.errorString());
            return false;
        }
        QJsonParseError pe;
        *out = QJsonDocument::fromJson(f.readAll(), &pe).object();
        if (pe.error != QJsonParseError::NoError || out->isEmpty()) {
            b.error = tr("'%1' is not a JSON object (%2): the backup is damaged.")
                          .arg(f.fileName(), pe.errorString());
            return false;
        }
        return true;
    };
    QJsonObject meta;
    if (dir.exists(couchManifestName())) {
        if (!readJson(couchManifestName(), &meta))
            return b;
        if (meta.value(QStringLiteral("format")).toString() != couchFormatTag() ||
            meta.value(QStringLiteral("version")).toInt() != 1) {
            b.error = tr("'%1' is not a manifest this version can read (format %2, version %3).")
                          .arg(dir.filePath(couchManifestName()),
                               meta.value(QStringLiteral("format")).toString())
                          .arg(meta.value(QStringLiteral("version")).toInt());
            return b;
        }
        b.format = BackupFormat::CouchJsonLines;
        b.database = meta.value(QStringLiteral("database")).toString();
        BackupFolder::Collection c;
        c.name = b.database;
        c.dataPath = dir.filePath(meta.value(QStringLiteral("file")).toString());
        c.documents = countLines(c.dataPath);
        if (c.documents < 0) {
            b.error = tr("Cannot read '%1', the backup's documents: the backup is incomplete.")
                          .arg(c.dataPath);
            return b;
        }
        b.collections.append(c);
        return b;
    }
    if (!dir.exists(dumpJsonName())) {
        b.error = tr("'%1' is not a backup: it has neither dump.json (arangodump's layout) nor "
                     "couchdb.json (a CouchDB backup of ReplDesk).")
                      .arg(folder);
        return b;
    }
    if (!readJson(dumpJsonName(), &meta))
        return b;
    b.format = BackupFormat::ArangoDump;
    b.database = meta.value(QStringLiteral("database")).toString();
    const QStringList structures =
        dir.entryList({QStringLiteral("*.structure.json")}, QDir::Files, QDir::Name);
    for (const QString &file : structures) {
        BackupFolder::Collection c;
        if (!readJson(file, &c.structure))
            return b;
        c.name = c.structure.value(QStringLiteral("parameters"))[QStringLiteral("name")].toString();
        if (c.name.isEmpty()) {
            b.error = tr("'%1' names no collection (parameters.name): the backup is damaged.")
                          .arg(dir.filePath(file));
            return b;
        }
        const QString base = file.chopped(int(qstrlen(".structure.json")));
        c.dataPath = dir.filePath(base + QStringLiteral(".data.json"));
        if (!QFileInfo::exists(c.dataPath) &&
            QFileInfo::exists(c.dataPath + QStringLiteral(".gz"))) {
            b.error = tr("'%1' is compressed (arangodump --compress-output): unpack it with "
                         "gunzip first.")
                          .arg(c.dataPath + QStringLiteral(".gz"));
            return b;
        }
        c.documents = QFileInfo::exists(c.dataPath) ? countLines(c.dataPath) : 0;
        b.collections.append(c);
    }
    return b;
}

} // namespace detail

namespace {
constexpr int ImportBatchDocs = 1000;
constexpr int BulkDocsBatch = 300;
constexpr qint64 BatchBytes = 8 * 1024 * 1024;

// Collection parameters a create takes (the rest are the source server's own: ids, counts).
QJsonObject createBody(const QJsonObject &parameters)
{
    QJsonObject out;
    for (const char *key :
         {"name", "type", "waitForSync", "isSystem", "schema", "computedValues", "cacheEnabled",
          "numberOfShards", "replicationFactor", "writeConcern", "shardKeys"}) {
        const QJsonValue v = parameters.value(QLatin1String(key));
        if (!v.isUndefined() && !v.isNull())
            out.insert(QLatin1String(key), v);
    }
    QJsonObject keyOptions = parameters.value(QStringLiteral("keyOptions")).toObject();
    if (!keyOptions.isEmpty()) {
        keyOptions.remove(QStringLiteral("lastValue"));
        out.insert(QStringLiteral("keyOptions"), keyOptions);
    }
    return out;
}

QJsonObject indexBody(QJsonObject index)
{
    for (const char *key : {"id", "selectivityEstimate", "figures", "isNewlyCreated", "code",
                            "error", "progress", "objectId"})
        index.remove(QLatin1String(key));
    return index;
}
} // namespace

struct RestoreJob::State
{
    ServerOps *ops = nullptr;
    QString folder, target;
    QObject *owner = nullptr;
    QPointer<QObject> context;
    Progress progress;
    ServerOps::Done<RestorePlan> done;
    QObject *calls = nullptr;
    bool running = false, finished = false;
    BackupFolder backup;
    RestorePlan plan;
    TransferProgress at;
    qsizetype index = 0;
    QFile data;

    QString couchPath() const { return u'/' + client::percentEncoded(plan.targetDatabase); }
    void finish(const QString &error);
    void makePlan(std::function<void(const QString &)> then);
    void arangoPlan(std::function<void(const QString &)> then);
    void couchPlan(std::function<void(const QString &)> then);
    void run();
    void arangoCollection();
    void arangoIndexes(QJsonArray indexes);
    void arangoData();
    void couchData();
    // Up to `maxDocs` documents of the open data file as lines (envelopes unwrapped).
    QList<QByteArray> readBatch(int maxDocs, QString *error);
};

void RestoreJob::State::finish(const QString &error)
{
    if (finished)
        return;
    finished = true;
    if (calls)
        calls->deleteLater();
    calls = nullptr;
    if (data.isOpen())
        data.close();
    if (context && done)
        done(plan, error);
}

void RestoreJob::State::makePlan(std::function<void(const QString &)> then)
{
    backup = detail::readBackupFolder(folder);
    if (!backup.error.isEmpty())
        return then(backup.error);
    plan = {};
    plan.format = backup.format;
    plan.backupDatabase = backup.database;
    plan.targetDatabase = target.isEmpty() ? backup.database : target;
    if (plan.targetDatabase.isEmpty())
        return then(tr("The backup names no database: give the target database."));
    for (const BackupFolder::Collection &c : std::as_const(backup.collections)) {
        RestorePlan::Entry e;
        e.name = c.name;
        e.restored = c.documents;
        plan.restored += c.documents;
        plan.collections.append(e);
    }
    auto go = [this, then] {
        const Dialect &d = ops->dialect();
        if (backup.format == BackupFormat::ArangoDump) {
            if (!d.isArangoApi())
                return then(tr("This is an arangodump backup; %1 is not an ArangoDB-kind server "
                               "(restore it into ReplDesk or ArangoDB).")
                                .arg(d.describe()));
            return arangoPlan(then);
        }
        if (!d.isCouchApi() && d.kind() != ServerKind::ReplDesk)
            return then(tr("This is a CouchDB backup; %1 speaks no CouchDB protocol (restore it "
                           "into CouchDB, pouchdb-server or ReplDesk).")
                            .arg(d.describe()));
        couchPlan(then);
    };
    if (ops->dialect().isKnown())
        return go();
    ops->probe(calls, [this, go, then](const Dialect &d, const client::HttpResult &f) {
        if (finished)
            return;
        if (!d.isKnown())
            return then(tr("cannot identify the server: %1").arg(describeFailure(f)));
        go();
    });
}

void RestoreJob::State::arangoPlan(std::function<void(const QString &)> then)
{
    ops->databases(calls, [this, then](const QStringList &names, const QString &e) {
        if (finished)
            return;
        if (!e.isEmpty())
            return then(tr("cannot list the target's databases: %1").arg(e));
        plan.databaseExists = names.contains(plan.targetDatabase);
        if (!plan.databaseExists)
            return then({});
        ops->inventory(
            plan.targetDatabase, calls, [this, then](const QJsonObject &inv, const QString &e) {
                if (finished)
                    return;
                if (!e.isEmpty())
                    return then(tr("cannot read the target's inventory: %1").arg(e));
                QSet<QString> existing;
                for (const QJsonValue &v : inv.value(QStringLiteral("collections")).toArray()) {
                    const QString name =
                        v[QStringLiteral("parameters")][QStringLiteral("name")].toString();
                    if (!name.isEmpty() && !name.startsWith(u'_'))
                        existing.insert(name);
                }
                QStringList replaced;
                for (RestorePlan::Entry &c : plan.collections) {
                    c.exists = existing.remove(c.name);
                    if (c.exists)
                        replaced.append(c.name);
                }
                plan.kept = QStringList(existing.begin(), existing.end());
                plan.kept.sort();
                ops->counts(plan.targetDatabase, replaced, calls,
                            [this, then](const QHash<QString, qint64> &counts, const QString &e) {
                                if (finished)
                                    return;
                                if (!e.isEmpty())
                                    return then(e);
                                for (RestorePlan::Entry &c : plan.collections) {
                                    c.existing = counts.value(c.name);
                                    plan.dropped += c.existing;
                                }
                                then({});
                            });
            });
    });
}

void RestoreJob::State::couchPlan(std::function<void(const QString &)> then)
{
    ops->client().get(couchPath(), {}, calls, [this, then](const client::HttpResult &r) {
        if (finished)
            return;
        if (r.status == 404)
            return then({});
        if (!r.ok())
            return then(tr("cannot read database '%1' on the target: %2")
                            .arg(plan.targetDatabase, describeFailure(r)));
        const QJsonObject info = objectOf(r.body);
        plan.databaseExists = true;
        RestorePlan::Entry &e = plan.collections.first();
        e.exists = true;
        e.existing = qint64(info.value(QStringLiteral("doc_count")).toDouble() +
                            info.value(QStringLiteral("doc_del_count")).toDouble());
        plan.dropped = e.existing;
        then({});
    });
}

QList<QByteArray> RestoreJob::State::readBatch(int maxDocs, QString *error)
{
    QList<QByteArray> out;
    qint64 bytes = 0;
    while (out.size() < maxDocs && bytes < BatchBytes && !data.atEnd()) {
        QByteArray line = data.readLine().trimmed();
        if (line.isEmpty())
            continue;
        if (backup.format == BackupFormat::ArangoDump && line.startsWith("{\"type\"")) {
            // An envelope ({"type":2300,"data":{…}}) of an older arangodump.
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            if (o.contains(QStringLiteral("data"))) {
                if (o.value(QStringLiteral("type")).toInt() != 2300)
                    continue;
                line = compact(o.value(QStringLiteral("data")).toObject());
            }
        }
        bytes += line.size();
        out.append(line);
    }
    if (data.error() != QFile::NoError)
        *error = tr("Cannot read '%1': %2").arg(data.fileName(), data.errorString());
    return out;
}

void RestoreJob::State::run()
{
    at = {};
    at.total = plan.restored;
    index = 0;
    if (plan.format == BackupFormat::CouchJsonLines) {
        at.collection = plan.targetDatabase;
        auto create = [this] {
            ops->client().request(
                "PUT", couchPath(), {}, {}, calls, [this](const client::HttpResult &r) {
                    if (finished)
                        return;
                    if (!r.ok())
                        return finish(tr("cannot create database '%1': %2")
                                          .arg(plan.targetDatabase, describeFailure(r)));
                    data.setFileName(backup.collections.first().dataPath);
                    if (!data.open(QIODevice::ReadOnly))
                        return finish(
                            tr("Cannot read '%1': %2").arg(data.fileName(), data.errorString()));
                    couchData();
                });
        };
        if (!plan.databaseExists)
            return create();
        return ops->client().request(
            "DELETE", couchPath(), {}, {}, calls, [this, create](const client::HttpResult &r) {
                if (finished)
                    return;
                if (!r.ok() && r.status != 404)
                    return finish(tr("cannot drop database '%1': %2")
                                      .arg(plan.targetDatabase, describeFailure(r)));
                create();
            });
    }
    if (plan.databaseExists)
        return arangoCollection();
    ops->client().request("POST", QStringLiteral("/_api/database"), {},
                          compact({{QStringLiteral("name"), plan.targetDatabase}}), calls,
                          [this](const client::HttpResult &r) {
                              if (finished)
                                  return;
                              if (!r.ok())
                                  return finish(tr("cannot create database '%1': %2")
                                                    .arg(plan.targetDatabase, describeFailure(r)));
                              arangoCollection();
                          });
}

void RestoreJob::State::arangoCollection()
{
    if (index >= backup.collections.size())
        return finish({});
    const BackupFolder::Collection &c = backup.collections[index];
    const RestorePlan::Entry &entry = plan.collections[index];
    at.collection = c.name;
    if (progress && context)
        progress(at);
    const QString path = ServerOps::dbPath(
        plan.targetDatabase, QStringLiteral("/_api/collection/") + client::percentEncoded(c.name));
    const QJsonObject parameters = c.structure.value(QStringLiteral("parameters")).toObject();
    const QJsonArray indexes = c.structure.value(QStringLiteral("indexes")).toArray();
    auto create = [this, parameters, indexes] {
        ops->client().request(
            "POST", ServerOps::dbPath(plan.targetDatabase, QStringLiteral("/_api/collection")), {},
            compact(createBody(parameters)), calls, [this, indexes](const client::HttpResult &r) {
                if (finished)
                    return;
                if (!r.ok())
                    return finish(tr("cannot create collection '%1': %2")
                                      .arg(at.collection, describeFailure(r)));
                arangoIndexes(indexes);
            });
    };
    if (!entry.exists)
        return create();
    QUrlQuery q;
    if (c.name.startsWith(u'_'))
        q.addQueryItem(QStringLiteral("isSystem"), QStringLiteral("true"));
    ops->client().request(
        "DELETE", path, q, {}, calls, [this, create](const client::HttpResult &r) {
            if (finished)
                return;
            if (!r.ok() && r.status != 404)
                return finish(
                    tr("cannot drop collection '%1': %2").arg(at.collection, describeFailure(r)));
            create();
        });
}

void RestoreJob::State::arangoIndexes(QJsonArray indexes)
{
    while (!indexes.isEmpty()) {
        const QJsonObject index = indexes.takeAt(0).toObject();
        const QString type = index.value(QStringLiteral("type")).toString();
        if (type == u"primary" || type == u"edge")
            continue; // made with the collection
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("collection"), at.collection);
        ops->client().request(
            "POST", ServerOps::dbPath(plan.targetDatabase, QStringLiteral("/_api/index")), q,
            compact(indexBody(index)), calls, [this, indexes, index](const client::HttpResult &r) {
                if (finished)
                    return;
                if (!r.ok())
                    return finish(tr("cannot create an index on '%1' (%2): %3")
                                      .arg(at.collection,
                                           QString::fromUtf8(compact(indexBody(index))),
                                           describeFailure(r)));
                arangoIndexes(indexes);
            });
        return;
    }
    data.setFileName(backup.collections[index].dataPath);
    if (!QFileInfo::exists(data.fileName())) {
        ++index;
        return arangoCollection();
    }
    if (!data.open(QIODevice::ReadOnly))
        return finish(tr("Cannot read '%1': %2").arg(data.fileName(), data.errorString()));
    arangoData();
}

void RestoreJob::State::arangoData()
{
    QString error;
    const QList<QByteArray> lines = readBatch(ImportBatchDocs, &error);
    if (!error.isEmpty())
        return finish(error);
    if (lines.isEmpty()) {
        data.close();
        ++index;
        return arangoCollection();
    }
    // arangorestore's route: the documents keep their _key and _rev (ArangoDB 3.x and ReplDesk
    // alike), and an old dump's envelopes are understood there.
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("collection"), at.collection);
    const qsizetype n = lines.size();
    ops->client().request(
        "PUT",
        ServerOps::dbPath(plan.targetDatabase, QStringLiteral("/_api/replication/restore-data")), q,
        lines.join('\n'), calls, [this, n](const client::HttpResult &r) {
            if (finished)
                return;
            if (!r.ok())
                return finish(tr("cannot import documents into '%1': %2")
                                  .arg(at.collection, describeFailure(r)));
            at.done += n;
            if (progress && context)
                progress(at);
            arangoData();
        });
}

void RestoreJob::State::couchData()
{
    QString error;
    const QList<QByteArray> lines = readBatch(BulkDocsBatch, &error);
    if (!error.isEmpty())
        return finish(error);
    if (lines.isEmpty()) {
        data.close();
        return finish({});
    }
    const QByteArray body =
        QByteArrayLiteral("{\"new_edits\":false,\"docs\":[") + lines.join(',') + "]}";
    const qsizetype n = lines.size();
    ops->client().request("POST", couchPath() + QStringLiteral("/_bulk_docs"), {}, body, calls,
                          [this, n](const client::HttpResult &r) {
                              if (finished)
                                  return;
                              if (!r.ok())
                                  return finish(tr("cannot write revisions into '%1': %2")
                                                    .arg(plan.targetDatabase, describeFailure(r)));
                              for (const QJsonValue &v : QJsonDocument::fromJson(r.body).array())
                                  if (v.toObject().contains(QStringLiteral("error")))
                                      return finish(
                                          tr("the target refused revision %1 of '%2': %3 (%4)")
                                              .arg(v[QStringLiteral("rev")].toString(),
                                                   v[QStringLiteral("id")].toString(),
                                                   v[QStringLiteral("error")].toString(),
                                                   v[QStringLiteral("reason")].toString()));
                              at.done += n;
                              if (progress && context)
                                  progress(at);
                              couchData();
                          });
}

// ---------------------------------------------------------------------------------------------

RestoreJob::RestoreJob(ServerOps &ops, QString folder, QString targetDatabase, QObject *parent)
    : QObject(parent)
    , m_state(std::make_shared<State>())
{
    m_state->ops = &ops;
    m_state->folder = std::move(folder);
    m_state->target = std::move(targetDatabase);
    m_state->owner = this;
}

RestoreJob::~RestoreJob()
{
    m_state->context = nullptr;
    m_state->finish(tr("cancelled"));
}

void RestoreJob::cancel()
{
    if (m_state->running)
        m_state->finish(tr("The restore was cancelled; what was written so far stays (run the "
                           "restore again to replace it)."));
}

void RestoreJob::preview(QObject *context, ServerOps::Done<RestorePlan> done)
{
    State &s = *m_state;
    if (s.running && !s.finished)
        return done({}, tr("This restore is running already."));
    s.running = true;
    s.finished = false;
    s.context = context;
    s.done = std::move(done);
    s.calls = new QObject(this);
    s.makePlan([st = m_state.get()](const QString &e) { st->finish(e); });
}

void RestoreJob::start(const QString &confirmDatabase, QObject *context, Progress progress,
                       ServerOps::Done<RestorePlan> done)
{
    State &s = *m_state;
    if (s.running && !s.finished)
        return done({}, tr("This restore is running already."));
    s.running = true;
    s.finished = false;
    s.context = context;
    s.progress = std::move(progress);
    s.done = std::move(done);
    s.calls = new QObject(this);
    s.makePlan([st = m_state.get(), confirmDatabase](const QString &e) {
        if (!e.isEmpty())
            return st->finish(e);
        if (confirmDatabase != st->plan.targetDatabase)
            return st->finish(
                tr("Not confirmed: a restore replaces collections of database '%1'; confirm with "
                   "its exact name (got '%2').")
                    .arg(st->plan.targetDatabase, confirmDatabase));
        st->run();
    });
}

} // namespace repl::ops
