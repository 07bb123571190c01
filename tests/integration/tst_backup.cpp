// Backup and restore of one database (repl_ops BackupJob/RestoreJob and repldeskctl backup /
// restore) against real servers: repldesk-servers (arangodump's layout, whole-state equality
// after a restore into a fresh server), pouchdb-servers and a repldesk-server's CouchDB face
// (every leaf revision, conflicts, deleted branches, attachments come back), and the guard: a
// preview changes nothing, a wrong confirmation is refused with nothing changed.
#include "ReplicationTestKit.h"
#include "interop/CouchSnapshot.h"
#include "ops/Backup.h"
#include "ops/ServerOps.h"
#include "support/CtlProcess.h"
#include "support/FakeArango.h"
#include "support/HttpClient.h"
#include "support/PouchServer.h"
#include "support/ServerProcess.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace repl;
using namespace repl::test;

namespace {

const QString Shop = QStringLiteral("shop");
const QString Notes = QStringLiteral("notes");

std::unique_ptr<ops::ServerOps> opsFor(const QUrl &base, bool auth)
{
    client::ClientSettings s;
    s.base = base;
    if (auth) {
        s.username = QStringLiteral("root");
        s.password = ServerProcess::password();
    }
    s.requestTimeoutMs = 20000;
    return std::make_unique<ops::ServerOps>(s);
}

template<typename T> struct Outcome
{
    T value{};
    QString error;
    bool done = false;
    QList<ops::TransferProgress> progress;
};

Outcome<ops::BackupSummary> runBackup(ops::ServerOps &o, const QString &db, const QString &dir)
{
    Outcome<ops::BackupSummary> out;
    QObject context;
    ops::BackupJob job(o, db, dir);
    job.start(
        &context, [&](const ops::TransferProgress &p) { out.progress.append(p); },
        [&](const ops::BackupSummary &s, const QString &e) {
            out.value = s;
            out.error = e;
            out.done = true;
        });
    if (!QTest::qWaitFor([&] { return out.done; }, 30000))
        out.error = QStringLiteral("the backup did not finish in 30 s");
    return out;
}

Outcome<ops::RestorePlan> runRestore(ops::ServerOps &o, const QString &dir, const QString &target,
                                     const std::optional<QString> &confirm)
{
    Outcome<ops::RestorePlan> out;
    QObject context;
    ops::RestoreJob job(o, dir, target);
    auto done = [&](const ops::RestorePlan &p, const QString &e) {
        out.value = p;
        out.error = e;
        out.done = true;
    };
    if (confirm)
        job.start(
            *confirm, &context, [&](const ops::TransferProgress &p) { out.progress.append(p); },
            done);
    else
        job.preview(&context, done);
    if (!QTest::qWaitFor([&] { return out.done; }, 30000))
        out.error = QStringLiteral("the restore did not finish in 30 s");
    return out;
}

CtlRun runCtl(const QStringList &args)
{
    return repl::test::runCtlWith(args, {{QStringLiteral("RD_PW"), ServerProcess::password()}});
}

QList<QJsonObject> jsonLines(const QString &path)
{
    QList<QJsonObject> out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return out;
    while (!f.atEnd()) {
        const QByteArray line = f.readLine().trimmed();
        if (!line.isEmpty())
            out.append(QJsonDocument::fromJson(line).object());
    }
    return out;
}

QJsonObject jsonFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object()
                                       : QJsonObject();
}

// Folders beside `dir` whose names say they are partial backups of it.
QStringList partialsOf(const QString &dir)
{
    const QFileInfo fi(dir);
    return QDir(fi.absolutePath())
        .entryList({u'.' + fi.fileName() + QStringLiteral(".partial-*")},
                   QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot);
}

} // namespace

class TestBackup : public QObject
{
    Q_OBJECT

    std::unique_ptr<ServerProcess> m_source, m_fresh;
    std::unique_ptr<PouchServer> m_pouchSource, m_pouchFresh;
    std::unique_ptr<HttpClient> m_src, m_dst, m_psrc, m_pdst;
    QTemporaryDir m_tmp;

    QString folder(const QString &name) const { return m_tmp.filePath(name); }

    void seedShop()
    {
        HttpClient &h = *m_src;
        QCOMPARE(h.post(QStringLiteral("/_api/database"), QJsonObject{{"name", Shop}}).status, 201);
        const QString db = QStringLiteral("/_db/shop");
        QCOMPARE(
            h.post(db + QStringLiteral("/_api/collection"), QJsonObject{{"name", "orders"}}).status,
            200);
        QCOMPARE(h.post(db + QStringLiteral("/_api/collection"),
                        QJsonObject{{"name", "customers"}, {"waitForSync", true}})
                     .status,
                 200);
        QCOMPARE(h.post(db + QStringLiteral("/_api/collection"),
                        QJsonObject{{"name", "links"}, {"type", 3}})
                     .status,
                 200);
        QCOMPARE(
            h.post(db + QStringLiteral("/_api/collection"), QJsonObject{{"name", "empty"}}).status,
            200);
        QVERIFY(h.post(db + QStringLiteral("/_api/index?collection=orders"),
                       QJsonObject{{"type", "persistent"}, {"fields", QJsonArray{"customer"}}})
                    .status < 300);
        QVERIFY(h.post(db + QStringLiteral("/_api/index?collection=customers"),
                       QJsonObject{{"type", "persistent"},
                                   {"fields", QJsonArray{"email"}},
                                   {"unique", true},
                                   {"sparse", true}})
                    .status < 300);
        auto import = [&](const QString &collection, const QList<QJsonObject> &docs) {
            QByteArray body;
            for (const QJsonObject &d : docs)
                body += QJsonDocument(d).toJson(QJsonDocument::Compact) + '\n';
            const HttpReply r = h.post(
                db + QStringLiteral("/_api/import?type=documents&complete=true&collection=") +
                    collection,
                body);
            QVERIFY2(r.status == 201, r.body.constData());
        };
        QList<QJsonObject> orders, customers, links;
        for (int i = 0; i < 400; ++i)
            orders.append(
                {{"_key", QStringLiteral("o%1").arg(i)},
                 {"customer", QStringLiteral("c%1").arg(i % 50)},
                 {"total", i * 1.5},
                 {"lines", QJsonArray{QJsonObject{{"sku", i}, {"qty", i % 7}}}},
                 {"note", i % 10 == 0 ? QJsonValue() : QJsonValue(QStringLiteral("ü€"))}});
        for (int i = 0; i < 50; ++i)
            customers.append({{"_key", QStringLiteral("c%1").arg(i)},
                              {"email", QStringLiteral("c%1@example.org").arg(i)}});
        for (int i = 0; i < 60; ++i)
            links.append({{"_key", QStringLiteral("l%1").arg(i)},
                          {"_from", QStringLiteral("customers/c%1").arg(i % 50)},
                          {"_to", QStringLiteral("orders/o%1").arg(i)}});
        import(QStringLiteral("orders"), orders);
        import(QStringLiteral("customers"), customers);
        import(QStringLiteral("links"), links);
        // Later revisions and removals: the backup holds the live state only.
        for (int i = 0; i < 20; ++i)
            QCOMPARE(h.patch(db + QStringLiteral("/_api/document/orders/o%1").arg(i),
                             QJsonDocument(QJsonObject{{"paid", true}}).toJson())
                         .status,
                     202);
        for (int i = 390; i < 400; ++i)
            QCOMPARE(h.del(db + QStringLiteral("/_api/document/orders/o%1").arg(i)).status, 202);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        QVERIFY2(QFile::exists(repl::test::ctlBinary()), qPrintable(repl::test::ctlBinary()));
        m_source = std::make_unique<ServerProcess>();
        QVERIFY2(m_source->start(), qPrintable(m_source->errorString()));
        m_fresh = std::make_unique<ServerProcess>();
        QVERIFY2(m_fresh->start(), qPrintable(m_fresh->errorString()));
        m_pouchSource = std::make_unique<PouchServer>();
        QVERIFY2(m_pouchSource->start(), qPrintable(m_pouchSource->errorString()));
        m_pouchFresh = std::make_unique<PouchServer>();
        QVERIFY2(m_pouchFresh->start(), qPrintable(m_pouchFresh->errorString()));
        m_src = std::make_unique<HttpClient>(m_source->baseUrl());
        m_dst = std::make_unique<HttpClient>(m_fresh->baseUrl());
        m_psrc = std::make_unique<HttpClient>(m_pouchSource->baseUrl());
        m_psrc->clearCredentials();
        m_pdst = std::make_unique<HttpClient>(m_pouchFresh->baseUrl());
        m_pdst->clearCredentials();
        seedShop();
        seedCouchDatabase(*m_psrc, Notes, 200);
        addAttachments(*m_psrc, Notes);
        QCOMPARE(
            m_psrc->put(QStringLiteral("/notes/_local/checkpoint"), QJsonObject{{"seq", 1}}).status,
            201);
    }

    void arangoRoundTripIntoAFreshServer()
    {
        auto source = opsFor(m_source->baseUrl(), true);
        const QString dir = folder(QStringLiteral("shop-backup"));
        const auto b = runBackup(*source, Shop, dir);
        QVERIFY2(b.error.isEmpty(), qPrintable(b.error));
        QCOMPARE(b.value.format, ops::BackupFormat::ArangoDump);
        QCOMPARE(b.value.documents, qint64(390 + 50 + 60));
        QVERIFY(!b.progress.isEmpty());
        QCOMPARE(b.progress.last().done, qint64(500));
        QCOMPARE(b.progress.last().total, qint64(500));
        QVERIFY(partialsOf(dir).isEmpty());

        // arangodump's layout: dump.json, and per collection <name>_<md5>.structure.json with
        // {parameters, indexes} and <name>_<md5>.data.json with one document per line.
        const QJsonObject meta = jsonFile(dir + QStringLiteral("/dump.json"));
        QCOMPARE(meta.value(QStringLiteral("database")).toString(), Shop);
        QVERIFY(!meta.value(QStringLiteral("lastTickAtDumpStart")).toString().isEmpty());
        const QMap<QString, int> expected{{QStringLiteral("orders"), 390},
                                          {QStringLiteral("customers"), 50},
                                          {QStringLiteral("links"), 60},
                                          {QStringLiteral("empty"), 0}};
        QStringList files = QDir(dir).entryList(QDir::Files, QDir::Name);
        QCOMPARE(files.size(), 1 + 2 * expected.size());
        for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
            const QString base =
                dir + u'/' + it.key() + u'_' +
                QString::fromLatin1(
                    QCryptographicHash::hash(it.key().toUtf8(), QCryptographicHash::Md5).toHex());
            const QJsonObject structure = jsonFile(base + QStringLiteral(".structure.json"));
            QCOMPARE(
                structure.value(QStringLiteral("parameters"))[QStringLiteral("name")].toString(),
                it.key());
            QVERIFY(structure.value(QStringLiteral("indexes")).isArray());
            QVERIFY2(QFile::exists(base + QStringLiteral(".data.json")), qPrintable(base));
            const QList<QJsonObject> docs = jsonLines(base + QStringLiteral(".data.json"));
            QCOMPARE(docs.size(), it.value());
            for (const QJsonObject &d : docs) {
                QVERIFY(!d.value(QStringLiteral("_key")).toString().isEmpty());
                QVERIFY(!d.contains(QStringLiteral("type"))); // no envelope
            }
        }
        const QJsonObject orders =
            jsonFile(dir + QStringLiteral("/orders_") +
                     QString::fromLatin1(
                         QCryptographicHash::hash("orders", QCryptographicHash::Md5).toHex()) +
                     QStringLiteral(".structure.json"));
        QCOMPARE(orders.value(QStringLiteral("indexes")).toArray().size(), 1);

        // Preview on the fresh server: everything is created, nothing dropped, nothing sent.
        auto target = opsFor(m_fresh->baseUrl(), true);
        const auto preview = runRestore(*target, dir, {}, std::nullopt);
        QVERIFY2(preview.error.isEmpty(), qPrintable(preview.error));
        QCOMPARE(preview.value.targetDatabase, Shop);
        QVERIFY(!preview.value.databaseExists);
        QCOMPARE(preview.value.restored, qint64(500));
        QCOMPARE(preview.value.dropped, qint64(0));
        QCOMPARE(m_dst->get(QStringLiteral("/_db/shop/_api/collection")).status, 404);

        const auto r = runRestore(*target, dir, {}, Shop);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.progress.last().done, qint64(500));
        const StateSnapshot before = snapshot(*m_src, false, Shop);
        const StateSnapshot after = snapshot(*m_dst, false, Shop);
        QVERIFY2(before.error.isEmpty(), qPrintable(before.error));
        QCOMPARE(before.documentCount(), qint64(500));
        // Whole state, revisions included: restore-data keeps every _key and _rev.
        const QString d = diff(before, after);
        QVERIFY2(d.isEmpty(), qPrintable(d));
    }

    void backupRefusesAFolderInUseAndCancelLeavesNothing()
    {
        auto source = opsFor(m_source->baseUrl(), true);
        const QString used = folder(QStringLiteral("in-use"));
        QVERIFY(QDir().mkpath(used));
        QFile keep(used + QStringLiteral("/keep.txt"));
        QVERIFY(keep.open(QIODevice::WriteOnly));
        keep.close();
        const auto refused = runBackup(*source, Shop, used);
        QVERIFY(refused.error.contains(QStringLiteral("not empty")));
        QVERIFY(QFile::exists(used + QStringLiteral("/keep.txt")));

        const QString dir = folder(QStringLiteral("cancelled"));
        QObject context;
        ops::BackupJob job(*source, Shop, dir);
        QString error;
        bool done = false;
        bool sawProgress = false;
        job.start(
            &context,
            [&](const ops::TransferProgress &) {
                sawProgress = true;
                job.cancel();
            },
            [&](const ops::BackupSummary &, const QString &e) {
                error = e;
                done = true;
            });
        QVERIFY(QTest::qWaitFor([&] { return done; }, 20000));
        QVERIFY(sawProgress);
        QVERIFY2(error.contains(QStringLiteral("cancelled")), qPrintable(error));
        QTest::qWait(50);
        QVERIFY(!QFileInfo::exists(dir));
        QVERIFY2(partialsOf(dir).isEmpty(), qPrintable(partialsOf(dir).join(u',')));
    }

    // Cancel stops a restore after the request in flight; nothing more is written.
    void restoreCancelStops()
    {
        auto target = opsFor(m_fresh->baseUrl(), true);
        QObject context;
        ops::RestoreJob job(*target, folder(QStringLiteral("shop-backup")),
                            QStringLiteral("cancelled"));
        QString error;
        bool done = false;
        job.start(
            QStringLiteral("cancelled"), &context,
            [&](const ops::TransferProgress &) { job.cancel(); },
            [&](const ops::RestorePlan &, const QString &e) {
                error = e;
                done = true;
            });
        QVERIFY(QTest::qWaitFor([&] { return done; }, 20000));
        QVERIFY2(error.contains(QStringLiteral("cancelled")), qPrintable(error));
        QTest::qWait(200);
        const StateSnapshot s = snapshot(*m_dst, false, QStringLiteral("cancelled"));
        QVERIFY2(s.collections.size() <= 1, qPrintable(s.collections.keys().join(u',')));
        QCOMPARE(s.documentCount(), qint64(0));
    }

    void couchRoundTripIntoPouchAndReplDesk()
    {
        auto source = opsFor(m_pouchSource->baseUrl(), false);
        const QString dir = folder(QStringLiteral("notes-backup"));
        const auto b = runBackup(*source, Notes, dir);
        QVERIFY2(b.error.isEmpty(), qPrintable(b.error));
        QCOMPARE(b.value.format, ops::BackupFormat::CouchJsonLines);
        // 200 plain + 5 conflicted (2 leaves) + deadbranch (2) + deep + 5 gone + withatt
        QCOMPARE(b.value.documents, qint64(200 + 10 + 2 + 1 + 5 + 1));

        const QJsonObject manifest = jsonFile(dir + QStringLiteral("/couchdb.json"));
        QCOMPARE(manifest.value(QStringLiteral("database")).toString(), Notes);
        QCOMPARE(manifest.value(QStringLiteral("documents")).toInt(), 200 + 5 + 1 + 1 + 5 + 1);
        const QList<QJsonObject> leaves =
            jsonLines(dir + u'/' + manifest.value(QStringLiteral("file")).toString());
        QCOMPARE(leaves.size(), 219);
        int deleted = 0;
        for (const QJsonObject &l : leaves) {
            QVERIFY(l.contains(QStringLiteral("_revisions")));
            QVERIFY(!l.value(QStringLiteral("_id")).toString().startsWith(u"_local/"));
            deleted += l.value(QStringLiteral("_deleted")).toBool();
            if (l.value(QStringLiteral("_id")).toString() == u"withatt")
                QVERIFY(!l.value(QStringLiteral(
                    "_attachments"))[QStringLiteral("plain.bin")][QStringLiteral("data")]
                             .toString()
                             .isEmpty());
        }
        QCOMPARE(deleted, 5 + 1);

        const auto expected = couchSnapshot(*m_psrc, Notes);
        QCOMPARE(expected.size(), 213);

        // Into a fresh pouchdb-server.
        auto pouch = opsFor(m_pouchFresh->baseUrl(), false);
        const auto preview = runRestore(*pouch, dir, {}, std::nullopt);
        QVERIFY2(preview.error.isEmpty(), qPrintable(preview.error));
        QVERIFY(!preview.value.databaseExists);
        QCOMPARE(m_pdst->get(QStringLiteral("/notes")).status, 404);
        const auto r = runRestore(*pouch, dir, {}, Notes);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        const auto inPouch = couchSnapshot(*m_pdst, Notes);
        QVERIFY2(inPouch == expected, qPrintable(describeDifference(expected, inPouch)));
        QCOMPARE(m_pdst->get(QStringLiteral("/notes/_local/checkpoint")).status, 404);

        // Into a repldesk-server's CouchDB face.
        auto ours = opsFor(m_fresh->baseUrl(), true);
        const auto r2 = runRestore(*ours, dir, {}, Notes);
        QVERIFY2(r2.error.isEmpty(), qPrintable(r2.error));
        const auto inOurs = couchSnapshot(*m_dst, Notes);
        QVERIFY2(inOurs == expected, qPrintable(describeDifference(expected, inOurs)));

        // The same through repldeskctl; a CouchDB server has no default database.
        const QStringList pouchCli{"--server", m_pouchSource->baseUrl().toString(), "--user", ""};
        const CtlRun noDb = runCtl(pouchCli + QStringList{"backup", folder("cli-notes")});
        QCOMPARE(noDb.exitCode, 1);
        QVERIFY2(noDb.err.contains("--database"), noDb.err.constData());
        const CtlRun cli =
            runCtl(pouchCli + QStringList{"--database", Notes, "backup", folder("cli-notes")});
        QVERIFY2(cli.exitCode == 0, cli.err.constData());
        QVERIFY2(cli.out.contains("219 leaf revisions"), cli.out.constData());

        // Again over the restored database: dropped and written anew, the same state.
        QCOMPARE(m_pdst->put(QStringLiteral("/notes/extra"), QJsonObject{{"x", 1}}).status, 201);
        const auto again = runRestore(*pouch, dir, {}, std::nullopt);
        QVERIFY(again.value.databaseExists);
        const QJsonObject info = m_pdst->get(QStringLiteral("/notes")).json();
        QCOMPARE(again.value.dropped, qint64(info.value(QStringLiteral("doc_count")).toInt() +
                                             info.value(QStringLiteral("doc_del_count")).toInt()));
        QVERIFY(again.value.dropped >= 208 + 1); // the live documents and the extra one
        QVERIFY(runRestore(*pouch, dir, {}, Notes).error.isEmpty());
        const auto replaced = couchSnapshot(*m_pdst, Notes);
        QVERIFY2(replaced == expected, qPrintable(describeDifference(expected, replaced)));
    }

    // ArangoDB 3.11 (the FAKE answers as the recorded exchanges): inventory and dump go through
    // one batch that is released, nothing else is written there; the backup restores into
    // ReplDesk under another database name.
    void arangoDb311BackupThroughOneBatch()
    {
        FakeArango f{FakeArangoVersion::V3_11_14};
        f.setCredentials(QStringLiteral("root"), ServerProcess::password());
        QVERIFY(f.listen());
        f.createDatabase(Shop);
        f.createCollection(Shop, QStringLiteral("orders"));
        f.addIndex(Shop, QStringLiteral("orders"),
                   QJsonObject{{"type", "persistent"}, {"fields", QJsonArray{"customer"}}});
        for (int i = 0; i < 40; ++i)
            f.insert(Shop, QStringLiteral("orders"),
                     QJsonObject{{"_key", QStringLiteral("o%1").arg(i)}, {"customer", i % 3}});
        f.remove(Shop, QStringLiteral("orders"), QStringLiteral("o0"));
        f.clearRequests();

        auto fake = opsFor(QUrl(f.url()), true);
        const QString dir = folder(QStringLiteral("fake-backup"));
        const auto b = runBackup(*fake, Shop, dir);
        QVERIFY2(b.error.isEmpty(), qPrintable(b.error));
        QCOMPARE(b.value.collections, QStringList{QStringLiteral("orders")});
        QCOMPARE(b.value.documents, qint64(39));
        QTRY_COMPARE(f.openBatches(), 0);
        QStringList writes;
        for (const FakeArango::Recorded &r : f.writes())
            writes << QString::fromLatin1(r.method) + u' ' + r.path;
        QVERIFY2(writes.isEmpty(), qPrintable(writes.join(u','))); // batches aside
        int batches = 0, dumps = 0;
        for (const FakeArango::Recorded &r : f.requests()) {
            batches += r.method == "POST" && r.path.endsWith(u"/_api/replication/batch");
            if (r.path.endsWith(u"/dump")) {
                ++dumps;
                QVERIFY2(r.query.contains(u"batchId="), qPrintable(r.query));
            }
        }
        QCOMPARE(batches, 1);
        QVERIFY(dumps >= 1);

        auto target = opsFor(m_fresh->baseUrl(), true);
        const QString other = QStringLiteral("shop311");
        QVERIFY(runRestore(*target, dir, other, Shop).error.contains(u"Not confirmed"));
        QCOMPARE(m_dst->get(QStringLiteral("/_db/shop311/_api/collection")).status, 404);
        const auto r = runRestore(*target, dir, other, other);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        const StateSnapshot restored = snapshot(*m_dst, false, other);
        QVERIFY2(restored.error.isEmpty(), qPrintable(restored.error));
        const CollectionSnapshot orders = restored.collections.value(QStringLiteral("orders"));
        QCOMPARE(orders.documents.size(), 39);
        QVERIFY(!orders.documents.contains(QStringLiteral("o0")));
        QCOMPARE(orders.documents.value(QStringLiteral("o5")).value(QStringLiteral("customer")),
                 QJsonValue(2));
        QVERIFY(orders.indexes.contains(QStringLiteral("persistent [customer] unique=0 sparse=0")));
    }

    void cliBackupPreviewRefusedAndConfirmedRestore()
    {
        const QStringList src{"--server",       m_source->baseUrl().toString(),
                              "--password-env", "RD_PW",
                              "--database",     Shop};
        const QStringList dst{"--server",       m_fresh->baseUrl().toString(),
                              "--password-env", "RD_PW",
                              "--database",     Shop};
        const QString dir = folder(QStringLiteral("cli-backup"));
        const CtlRun b = runCtl(src + QStringList{"--json", "backup", dir});
        QVERIFY2(b.exitCode == 0, b.err.constData());
        QCOMPARE(QJsonDocument::fromJson(b.out).object().value(QStringLiteral("documents")).toInt(),
                 500);
        QVERIFY(b.err.contains("backup orders"));
        QVERIFY(QFile::exists(dir + QStringLiteral("/dump.json")));
        // A second backup into the same folder is refused.
        QCOMPARE(runCtl(src + QStringList{"backup", dir}).exitCode, 1);

        // The target differs from the backup now: one more order, one order changed.
        QCOMPARE(m_dst
                     ->post(QStringLiteral("/_db/shop/_api/document/orders"),
                            QJsonObject{{"_key", "extra"}})
                     .status,
                 202);
        const StateSnapshot changed = snapshot(*m_dst, false, Shop);

        const CtlRun preview = runCtl(dst + QStringList{"restore", dir, "--preview"});
        QVERIFY2(preview.exitCode == 0, preview.err.constData());
        QVERIFY2(preview.out.contains("drop-and-restore"), preview.out.constData());
        QVERIFY2(preview.out.contains("391"), preview.out.constData()); // orders dropped
        const CtlRun previewJson = runCtl(dst + QStringList{"--json", "restore", dir, "--preview"});
        QCOMPARE(previewJson.exitCode, 0);
        const QJsonObject plan = QJsonDocument::fromJson(previewJson.out).object();
        QCOMPARE(plan.value(QStringLiteral("dropped")).toInt(), 391 + 50 + 60);
        QCOMPARE(plan.value(QStringLiteral("restored")).toInt(), 500);
        QVERIFY(diff(changed, snapshot(*m_dst, false, Shop)).isEmpty());

        const CtlRun wrong = runCtl(dst + QStringList{"restore", dir, "--confirm", "Shop"});
        QCOMPARE(wrong.exitCode, 1);
        QVERIFY2(wrong.err.contains("Not confirmed"), wrong.err.constData());
        QVERIFY(diff(changed, snapshot(*m_dst, false, Shop)).isEmpty());
        QCOMPARE(runCtl(dst + QStringList{"restore", dir}).exitCode, 2);

        const CtlRun right = runCtl(dst + QStringList{"restore", dir, "--confirm", Shop});
        QVERIFY2(right.exitCode == 0, right.err.constData());
        QVERIFY(right.out.contains("restored 500 documents"));
        const QString d = diff(snapshot(*m_src, false, Shop), snapshot(*m_dst, false, Shop));
        QVERIFY2(d.isEmpty(), qPrintable(d));
    }

    // Ctrl-C (or SIGTERM) ends the tool through its event loop with 130 and says so; a
    // server that never answers keeps it waiting until then.
    void interruptEndsTheToolWith130()
    {
        QTcpServer silent; // accepts, never answers
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("RD_PW"), ServerProcess::password());
        p.setProcessEnvironment(env);
        const QString folder = m_tmp.filePath(QStringLiteral("interrupted"));
        p.start(repl::test::ctlBinary(),
                {"--server", QStringLiteral("http://127.0.0.1:%1").arg(silent.serverPort()),
                 "--password-env", "RD_PW", "--database", "shop", "backup", folder});
        QVERIFY(p.waitForStarted());
        QTest::qWait(700);
        QCOMPARE(p.state(), QProcess::Running); // still waiting for the server
        p.terminate();
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit); // handled, not killed by the signal
        QCOMPARE(p.exitCode(), 130);
        QVERIFY(p.readAllStandardError().contains("interrupted"));
        QVERIFY(!QFileInfo::exists(folder));
    }

    void cleanupTestCase()
    {
        if (m_pouchSource)
            m_pouchSource->stop();
        if (m_pouchFresh)
            m_pouchFresh->stop();
        if (m_source)
            m_source->stop();
        if (m_fresh)
            m_fresh->stop();
    }
};

QTEST_GUILESS_MAIN(TestBackup)
#include "tst_backup.moc"
