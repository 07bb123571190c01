#include "ops/Backup.h"

#include "client/Endpoint.h"
#include "ops/BackupFiles.h"
#include "ops/OpsSupport.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QSet>
#include <QUrlQuery>

// The backup: a database into a folder, in arangodump's layout or as CouchDB JSON lines.
namespace repl::ops {

using detail::compact;
using detail::objectOf;
using detail::tr;

QString formatName(BackupFormat f)
{
    return f == BackupFormat::ArangoDump ? QStringLiteral("arangodump")
                                         : QStringLiteral("couchdb-jsonl");
}

QJsonObject BackupSummary::toJson() const
{
    return {{QStringLiteral("format"), formatName(format)},
            {QStringLiteral("database"), database},
            {QStringLiteral("folder"), folder},
            {QStringLiteral("collections"), QJsonArray::fromStringList(collections)},
            {QStringLiteral("documents"), documents},
            {QStringLiteral("lastTick"), lastTick}};
}

namespace {
constexpr int DumpChunkBytes = 4 * 1024 * 1024;
constexpr int ChangesPage = 1000;
constexpr int OpenRevsInFlight = 8;
constexpr int BatchTtlSeconds = 600;

QString seqText(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isDouble())
        return QString::number(qint64(v.toDouble()));
    return {};
}

bool removeTree(const QString &path)
{
    return path.isEmpty() || !QFileInfo::exists(path) || QDir(path).removeRecursively();
}
} // namespace

struct BackupJob::State
{
    ServerOps *ops = nullptr;
    QString database, folder, partial;
    QPointer<QObject> context;
    Progress progress;
    ServerOps::Done<BackupSummary> done;
    QObject *calls = nullptr; // context of every request: deleted on finish, so late answers drop
    bool started = false, finished = false;
    BackupSummary summary;
    TransferProgress at;
    // ArangoDB
    QString batchId;
    std::function<void()> release;
    QElapsedTimer batchAge; // since the batch was made or last extended
    QList<QJsonObject> collections;
    qsizetype index = 0;
    QFile data;
    // CouchDB
    client::ReplicationClient *couch = nullptr; // Accept: application/json (open_revs)
    QString since;
    QSet<QString> seen;
    QStringList pendingIds;
    int inFlight = 0;
    bool feedDone = false;
    qint64 ids = 0;
    QJsonValue updateSeq;

    void finish(const QString &error);
    void report()
    {
        if (progress && context)
            progress(at);
    }
    QString fail(const QString &what) const { return what; }
    bool prepareFolder(QString *error);
    bool writeFile(const QString &name, const QByteArray &bytes, QString *error);

    // ArangoDB
    void arangoStart();
    void arangoInventory();
    void arangoNextCollection();
    void arangoDump(quint64 from);
    // CouchDB
    void couchStart();
    void couchPage();
    void couchFetchMore();
    void couchFinishIfDone();
};

bool BackupJob::State::prepareFolder(QString *error)
{
    const QFileInfo fi(folder);
    if (fi.exists()) {
        if (!fi.isDir()) {
            *error = tr("'%1' is a file: give a folder that does not exist yet.").arg(folder);
            return false;
        }
        if (!QDir(folder).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden |
                                  QDir::System)) {
            *error = tr("The folder '%1' is not empty: a backup never overwrites one; give a new "
                        "folder or remove it.")
                         .arg(folder);
            return false;
        }
    }
    const QString parent = fi.absolutePath();
    if (!QDir().mkpath(parent)) {
        *error =
            tr("Cannot create the folder '%1': check the path and its permissions.").arg(parent);
        return false;
    }
    partial = parent + QStringLiteral("/.") + fi.fileName() + QStringLiteral(".partial-") +
              QString::number(QRandomGenerator::global()->generate(), 16);
    if (!QDir().mkpath(partial)) {
        *error = tr("Cannot write into '%1': check its permissions.").arg(parent);
        return false;
    }
    return true;
}

bool BackupJob::State::writeFile(const QString &name, const QByteArray &bytes, QString *error)
{
    QSaveFile f(partial + u'/' + name);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit()) {
        *error = tr("Cannot write '%1': %2 (is the disk full?)").arg(name, f.errorString());
        return false;
    }
    return true;
}

void BackupJob::State::finish(const QString &error)
{
    if (finished)
        return;
    finished = true;
    if (release)
        release();
    if (calls)
        calls->deleteLater(); // drops every answer still on its way (callbacks check finished)
    calls = nullptr;
    if (data.isOpen())
        data.close();
    QString e = error;
    if (e.isEmpty()) {
        const QFileInfo fi(folder);
        if (fi.exists())
            QDir().rmdir(folder); // empty (checked before)
        if (!QDir().rename(partial, folder))
            e = tr("The backup is complete in '%1' but could not be renamed to '%2': rename it "
                   "yourself.")
                    .arg(partial, folder);
    }
    if (!error.isEmpty())
        removeTree(partial); // a rename that failed keeps the complete partial folder
    if (context && done)
        done(summary, e);
}

// ---------------------------------------------------------------------------------------------
// ArangoDB: one batch; the inventory, then each collection's dump, chunk by chunk.

void BackupJob::State::arangoStart()
{
    summary.format = BackupFormat::ArangoDump;
    ops->withBatch(
        database, BatchTtlSeconds, calls,
        [this](const QString &id, std::function<void()> rel) {
            release = rel;
            if (finished)
                return rel();
            batchId = id;
            batchAge.start();
            arangoInventory();
        },
        [this](const QString &e) { finish(e); });
}

void BackupJob::State::arangoInventory()
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("includeSystem"), QStringLiteral("false"));
    if (!batchId.isEmpty())
        q.addQueryItem(QStringLiteral("batchId"), batchId);
    ops->client().get(
        ServerOps::dbPath(database, QStringLiteral("/_api/replication/inventory")), q, calls,
        [this](const client::HttpResult &r) {
            if (finished)
                return;
            if (!r.ok())
                return finish(
                    tr("cannot read the inventory of '%1': %2").arg(database, describeFailure(r)));
            const QJsonObject inv = objectOf(r.body);
            QStringList names;
            for (const QJsonValue &v : inv.value(QStringLiteral("collections")).toArray()) {
                const QJsonObject c = v.toObject();
                const QJsonObject p = c.value(QStringLiteral("parameters")).toObject();
                const QString name = p.value(QStringLiteral("name")).toString();
                if (name.isEmpty() || name.startsWith(u'_') ||
                    p.value(QStringLiteral("deleted")).toBool())
                    continue; // arangodump's default: no system collections
                collections.append(c);
                names.append(name);
            }
            summary.collections = names;
            summary.lastTick = inv.value(QStringLiteral("tick")).toString();
            QJsonObject meta{{QStringLiteral("database"), database},
                             {QStringLiteral("lastTickAtDumpStart"), summary.lastTick}};
            if (inv.value(QStringLiteral("properties")).isObject())
                meta.insert(QStringLiteral("properties"), inv.value(QStringLiteral("properties")));
            QString error;
            if (!writeFile(detail::dumpJsonName(), compact(meta), &error))
                return finish(error);
            for (const QJsonObject &c : std::as_const(collections)) {
                const QString name =
                    c.value(QStringLiteral("parameters"))[QStringLiteral("name")].toString();
                const QJsonObject structure{
                    {QStringLiteral("parameters"), c.value(QStringLiteral("parameters"))},
                    {QStringLiteral("indexes"), c.value(QStringLiteral("indexes")).toArray()}};
                if (!writeFile(detail::arangoBaseName(name) + QStringLiteral(".structure.json"),
                               QJsonDocument(structure).toJson(QJsonDocument::Indented), &error))
                    return finish(error);
            }
            ops->counts(database, names, calls,
                        [this](const QHash<QString, qint64> &counts, const QString &) {
                            if (finished)
                                return;
                            for (qint64 n : counts)
                                at.total += n; // for progress only: a failed count is 0
                            arangoNextCollection();
                        });
        });
}

void BackupJob::State::arangoNextCollection()
{
    if (data.isOpen()) {
        data.close();
        if (data.error() != QFile::NoError)
            return finish(tr("Cannot write '%1': %2 (is the disk full?)")
                              .arg(data.fileName(), data.errorString()));
    }
    if (index >= collections.size()) {
        summary.documents = at.done;
        return finish({});
    }
    at.collection =
        collections[index++].value(QStringLiteral("parameters"))[QStringLiteral("name")].toString();
    // Always written, empty too, as arangodump does.
    data.setFileName(partial + u'/' + detail::arangoBaseName(at.collection) +
                     QStringLiteral(".data.json"));
    if (!data.open(QIODevice::WriteOnly))
        return finish(tr("Cannot write '%1': %2").arg(data.fileName(), data.errorString()));
    report();
    arangoDump(0);
}

void BackupJob::State::arangoDump(quint64 from)
{
    if (!batchId.isEmpty() && batchAge.elapsed() > BatchTtlSeconds * 1000 / 2) {
        // A long dump: keep the batch (and the snapshot it holds) alive.
        batchAge.start();
        ops->client().request(
            "PUT",
            ServerOps::dbPath(database, QStringLiteral("/_api/replication/batch/") + batchId), {},
            compact({{QStringLiteral("ttl"), BatchTtlSeconds}}), calls,
            [](const client::HttpResult &) {});
    }
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("collection"), at.collection);
    q.addQueryItem(QStringLiteral("chunkSize"), QString::number(DumpChunkBytes));
    q.addQueryItem(QStringLiteral("useEnvelope"), QStringLiteral("false"));
    if (batchId.isEmpty())
        q.addQueryItem(QStringLiteral("from"), QString::number(from));
    else
        q.addQueryItem(QStringLiteral("batchId"), batchId);
    ops->client().get(
        ServerOps::dbPath(database, QStringLiteral("/_api/replication/dump")), q, calls,
        [this, from](const client::HttpResult &r) {
            if (finished)
                return;
            if (r.status == 204)
                return arangoNextCollection();
            if (r.status != 200)
                return finish(tr("cannot dump '%1': %2").arg(at.collection, describeFailure(r)));
            QByteArray out;
            out.reserve(r.body.size());
            for (const QByteArray &raw : r.body.split('\n')) {
                const QByteArray line = raw.trimmed();
                if (line.isEmpty())
                    continue;
                const QJsonObject o = QJsonDocument::fromJson(line).object();
                if (o.isEmpty())
                    return finish(tr("The server sent a dump line of '%1' that is not JSON: %2")
                                      .arg(at.collection, QString::fromUtf8(line.left(200))));
                if (o.contains(QStringLiteral("type")) && o.contains(QStringLiteral("data"))) {
                    if (o.value(QStringLiteral("type")).toInt() != 2300)
                        continue; // a removal: the document is not in the database
                    out += compact(o.value(QStringLiteral("data")).toObject());
                } else {
                    out += line; // as the server wrote it (numbers keep their digits)
                }
                out += '\n';
                ++at.done;
            }
            if (data.write(out) != out.size())
                return finish(tr("Cannot write '%1': %2 (is the disk full?)")
                                  .arg(data.fileName(), data.errorString()));
            report();
            if (r.header("x-arango-replication-checkmore") != "true")
                return arangoNextCollection();
            const quint64 next = r.header("x-arango-replication-lastincluded").toULongLong();
            if (batchId.isEmpty() && (next == 0 || next == from))
                return arangoNextCollection();
            arangoDump(next);
        });
}

// ---------------------------------------------------------------------------------------------
// CouchDB: the changes feed page by page (ids, deleted too), then each id's leaves with their
// histories and attachments, a few at a time.

void BackupJob::State::couchStart()
{
    summary.format = BackupFormat::CouchJsonLines;
    summary.collections = {database};
    at.collection = database;
    client::ClientSettings s = ops->client().settings();
    s.headers.append({QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json")});
    couch = new client::ReplicationClient(s, calls);
    couch->get(
        u'/' + client::percentEncoded(database), {}, calls, [this](const client::HttpResult &r) {
            if (finished)
                return;
            if (r.status == 404)
                return finish(tr("The server has no database '%1': check --database "
                                 "(the CouchDB database to back up).")
                                  .arg(database));
            if (!r.ok())
                return finish(
                    tr("cannot read database '%1': %2").arg(database, describeFailure(r)));
            const QJsonObject info = objectOf(r.body);
            at.total = qint64(info.value(QStringLiteral("doc_count")).toDouble() +
                              info.value(QStringLiteral("doc_del_count")).toDouble());
            updateSeq = info.value(QStringLiteral("update_seq"));
            data.setFileName(partial + u'/' + detail::couchFileName(database));
            if (!data.open(QIODevice::WriteOnly))
                return finish(tr("Cannot write '%1': %2").arg(data.fileName(), data.errorString()));
            report();
            couchPage();
        });
}

void BackupJob::State::couchPage()
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("style"), QStringLiteral("all_docs"));
    q.addQueryItem(QStringLiteral("limit"), QString::number(ChangesPage));
    if (!since.isEmpty())
        q.addQueryItem(QStringLiteral("since"), client::percentEncoded(since));
    couch->get(
        u'/' + client::percentEncoded(database) + QStringLiteral("/_changes"), q, calls,
        [this](const client::HttpResult &r) {
            if (finished)
                return;
            if (!r.ok())
                return finish(
                    tr("cannot read the changes of '%1': %2").arg(database, describeFailure(r)));
            const QJsonObject o = objectOf(r.body);
            const QJsonArray results = o.value(QStringLiteral("results")).toArray();
            for (const QJsonValue &v : results) {
                const QString id = v[QStringLiteral("id")].toString();
                if (id.isEmpty() || id.startsWith(QStringLiteral("_local/")) || seen.contains(id))
                    continue;
                seen.insert(id);
                pendingIds.append(id);
            }
            const QString next = seqText(o.value(QStringLiteral("last_seq")));
            feedDone = results.size() < ChangesPage || next.isEmpty() || next == since;
            since = next;
            at.total = qMax(at.total, qint64(seen.size()));
            couchFetchMore();
        });
}

void BackupJob::State::couchFetchMore()
{
    while (inFlight < OpenRevsInFlight && !pendingIds.isEmpty() && !finished) {
        const QString id = pendingIds.takeFirst();
        ++inFlight;
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("open_revs"), QStringLiteral("all"));
        q.addQueryItem(QStringLiteral("revs"), QStringLiteral("true"));
        q.addQueryItem(QStringLiteral("attachments"), QStringLiteral("true"));
        couch->get(u'/' + client::percentEncoded(database) + u'/' + client::percentEncoded(id), q,
                   calls, [this, id](const client::HttpResult &r) {
                       if (finished)
                           return;
                       --inFlight;
                       if (!r.ok())
                           return finish(tr("cannot read the revisions of '%1' in '%2': %3")
                                             .arg(id, database, describeFailure(r)));
                       const QJsonDocument doc = QJsonDocument::fromJson(r.body);
                       if (!doc.isArray())
                           return finish(tr("The server answered the revisions of '%1' in "
                                            "'%2' with something other than a JSON array; it "
                                            "may not honour Accept: application/json.")
                                             .arg(id, database));
                       QByteArray out;
                       for (const QJsonValue &v : doc.array()) {
                           const QJsonObject leaf = v[QStringLiteral("ok")].toObject();
                           if (leaf.isEmpty())
                               continue; // {"missing": rev}
                           out += compact(leaf);
                           out += '\n';
                           ++summary.documents;
                       }
                       if (data.write(out) != out.size())
                           return finish(tr("Cannot write '%1': %2 (is the disk full?)")
                                             .arg(data.fileName(), data.errorString()));
                       ++at.done;
                       report();
                       couchFinishIfDone();
                   });
    }
}

void BackupJob::State::couchFinishIfDone()
{
    if (finished)
        return;
    if (!pendingIds.isEmpty())
        return couchFetchMore();
    if (inFlight > 0)
        return;
    if (!feedDone)
        return couchPage();
    data.close();
    if (data.error() != QFile::NoError)
        return finish(tr("Cannot write '%1': %2 (is the disk full?)")
                          .arg(data.fileName(), data.errorString()));
    const QJsonObject manifest{
        {QStringLiteral("format"), detail::couchFormatTag()},
        {QStringLiteral("version"), 1},
        {QStringLiteral("database"), database},
        {QStringLiteral("file"), detail::couchFileName(database)},
        {QStringLiteral("documents"), at.done},
        {QStringLiteral("revisions"), summary.documents},
        {QStringLiteral("updateSeq"), updateSeq},
        {QStringLiteral("server"), ops->dialect().describe()},
        {QStringLiteral("created"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)}};
    QString error;
    if (!writeFile(detail::couchManifestName(),
                   QJsonDocument(manifest).toJson(QJsonDocument::Indented), &error))
        return finish(error);
    summary.lastTick = seqText(updateSeq);
    finish({});
}

// ---------------------------------------------------------------------------------------------

BackupJob::BackupJob(ServerOps &ops, QString database, QString folder, QObject *parent)
    : QObject(parent)
    , m_state(std::make_shared<State>())
{
    m_state->ops = &ops;
    m_state->database = std::move(database);
    m_state->folder = QDir::cleanPath(QFileInfo(folder).absoluteFilePath());
    m_state->summary.database = m_state->database;
    m_state->summary.folder = m_state->folder;
}

BackupJob::~BackupJob()
{
    m_state->context = nullptr; // no callback from a destructor
    m_state->finish(tr("cancelled"));
}

void BackupJob::cancel()
{
    if (m_state->started)
        m_state->finish(tr("The backup was cancelled; nothing was kept (the partial folder is "
                           "removed)."));
}

void BackupJob::start(QObject *context, Progress progress, ServerOps::Done<BackupSummary> done)
{
    State &s = *m_state;
    if (s.started)
        return;
    s.started = true;
    s.context = context;
    s.progress = std::move(progress);
    s.done = std::move(done);
    s.calls = new QObject(this);
    QString error;
    if (s.database.isEmpty())
        error = tr("No database given: name the database to back up.");
    else if (!s.prepareFolder(&error))
        s.partial.clear();
    if (!error.isEmpty())
        return s.finish(error);
    auto go = [st = m_state.get()] {
        const Dialect &d = st->ops->dialect();
        if (d.isCouchApi())
            return st->couchStart();
        if (d.isArangoApi())
            return st->arangoStart();
        st->finish(tr("%1 is neither an ArangoDB-kind nor a CouchDB-kind server: nothing to "
                      "back up.")
                       .arg(d.describe()));
    };
    if (s.ops->dialect().isKnown())
        return go();
    s.ops->probe(s.calls, [st = m_state.get(), go](const Dialect &d, const client::HttpResult &f) {
        if (!d.isKnown())
            return st->finish(tr("cannot identify the server: %1").arg(describeFailure(f)));
        go();
    });
}

} // namespace repl::ops
