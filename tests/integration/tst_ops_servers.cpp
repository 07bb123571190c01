// The operations library and repldeskctl against FAKE ArangoDB 3.11.14 and 3.12.10 servers
// (no ArangoDB runs here; the fakes answer as the recorded real exchanges and the 3.11 docs
// say, and record every request) and against real repldesk-server processes.
// What must hold on every server: a sync preview sends nothing that changes data; a sync is
// refused unless confirmed with the database's name; inventory and documents go through a
// batch that is released; the log is tailed with collection names; the global applier is
// read; ArangoDB 3.12.10 is explained, not polled.
#include "ops/ServerOps.h"
#include "support/CtlProcess.h"
#include "support/FakeArango.h"
#include "support/HttpClient.h"
#include "support/ServerProcess.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QScopeGuard>
#include <QSet>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace repl;
using namespace repl::test;

namespace {

const QString FakePassword = QStringLiteral("fake-pw");

client::ClientSettings settingsFor(const QString &url, const QString &password)
{
    client::ClientSettings s;
    s.base = QUrl(url);
    s.username = QStringLiteral("root");
    s.password = password;
    s.requestTimeoutMs = 15000;
    return s;
}

// Runs an asynchronous operation to its callback.
template<typename T> struct Outcome
{
    T value{};
    QString error;
    bool done = false;
};

std::unique_ptr<ops::ServerOps> probed(const QString &url, const QString &password)
{
    auto o = std::make_unique<ops::ServerOps>(settingsFor(url, password));
    bool done = false;
    o->probe(o.get(), [&](const ops::Dialect &, const client::HttpResult &) { done = true; });
    if (!QTest::qWaitFor([&] { return done; }, 15000))
        qWarning("probe of %s did not finish", qPrintable(url));
    return o;
}

CtlRun runCtl(const QStringList &args, const QString &configHome = {})
{
    QHash<QString, QString> env{{QStringLiteral("RD_PW"), FakePassword},
                                {QStringLiteral("RD_REAL_PW"), ServerProcess::password()},
                                {QStringLiteral("RD_COUCH_PW"), QStringLiteral("couch-pw")}};
    if (!configHome.isEmpty()) // the app's settings (its server list) live there
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), configHome);
    return repl::test::runCtlWith(args, env);
}

// A FAKE on loopback that wants root's FakePassword.
bool serve(FakeArango &f)
{
    f.setCredentials(QStringLiteral("root"), FakePassword);
    return f.listen();
}

void bothVersions()
{
    QTest::addColumn<int>("version");
    QTest::newRow("3.11.14") << int(FakeArangoVersion::V3_11_14);
    QTest::newRow("3.12.10") << int(FakeArangoVersion::V3_12_10);
}

void fillShop(FakeArango &f, int orders, bool withAudit)
{
    f.createDatabase(QStringLiteral("shop"));
    f.createCollection(QStringLiteral("shop"), QStringLiteral("orders"));
    f.addIndex(QStringLiteral("shop"), QStringLiteral("orders"),
               QJsonObject{{QStringLiteral("type"), QStringLiteral("persistent")},
                           {QStringLiteral("fields"), QJsonArray{QStringLiteral("customer")}}});
    for (int i = 0; i < orders; ++i)
        f.insert(QStringLiteral("shop"), QStringLiteral("orders"),
                 QJsonObject{{QStringLiteral("_key"), QStringLiteral("o%1").arg(i)},
                             {QStringLiteral("customer"), i % 3}});
    if (withAudit) {
        f.createCollection(QStringLiteral("shop"), QStringLiteral("audit"));
        f.insert(QStringLiteral("shop"), QStringLiteral("audit"),
                 QJsonObject{{QStringLiteral("_key"), QStringLiteral("a1")}});
    } else {
        f.createCollection(QStringLiteral("shop"), QStringLiteral("users"));
        f.insert(QStringLiteral("shop"), QStringLiteral("users"),
                 QJsonObject{{QStringLiteral("_key"), QStringLiteral("u1")}});
        f.insert(QStringLiteral("shop"), QStringLiteral("users"),
                 QJsonObject{{QStringLiteral("_key"), QStringLiteral("u2")}});
    }
}

bool anyRequestTo(const FakeArango &f, const QString &part)
{
    for (const FakeArango::Recorded &r : f.requests())
        if (r.path.contains(part))
            return true;
    return false;
}

} // namespace

class TestOpsServers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(repl::test::ctlBinary()), qPrintable(repl::test::ctlBinary()));
    }

    // FAKE 3.11.14: the preview reads both sides and writes nothing anywhere; the plan says
    // what a real sync would do.
    void previewSendsNothingThatWrites()
    {
        FakeArango leader(FakeArangoVersion::V3_11_14), target(FakeArangoVersion::V3_11_14);
        for (FakeArango *f : {&leader, &target}) {
            QVERIFY(serve(*f));
        }
        fillShop(leader, 5, false);
        fillShop(target, 3, true);
        leader.clearRequests();
        target.clearRequests();

        auto ops = probed(target.url(), FakePassword);
        QCOMPARE(ops->dialect().kind(), ops::ServerKind::ArangoDB);
        ops::SyncOptions o;
        o.leaderEndpoint = leader.url();
        o.leaderPassword = FakePassword;
        Outcome<ops::SyncPlan> out;
        ops->previewSync(QStringLiteral("shop"), o, ops.get(),
                         [&](const ops::SyncPlan &p, const QString &e) {
                             out = {p, e, true};
                         });
        QTRY_VERIFY_WITH_TIMEOUT(out.done, 15000);
        QVERIFY2(out.error.isEmpty(), qPrintable(out.error));
        QCOMPARE(out.value.purged, 3);
        QCOMPARE(out.value.copied, 7);
        QHash<QString, ops::SyncPlan::Entry> by;
        for (const auto &e : out.value.collections)
            by.insert(e.name, e);
        QCOMPARE(by.value(QStringLiteral("orders")).action,
                 ops::SyncPlan::Entry::Action::DropAndCopy);
        QCOMPARE(by.value(QStringLiteral("users")).action, ops::SyncPlan::Entry::Action::Create);
        QCOMPARE(by.value(QStringLiteral("audit")).action, ops::SyncPlan::Entry::Action::Keep);
        QCOMPARE(out.value.leaderTick.toULongLong(), leader.lastTick());

        // Nothing that changes data went to either server; every batch was released.
        QVERIFY(!leader.requests().isEmpty());
        QVERIFY(!target.requests().isEmpty());
        QCOMPARE(leader.writes().size(), 0);
        QCOMPARE(target.writes().size(), 0);
        QCOMPARE(target.syncCalls(), 0);
        QTRY_COMPARE(leader.openBatches(), 0);
        QTRY_COMPARE(target.openBatches(), 0);
        QCOMPARE(target.count(QStringLiteral("shop"), QStringLiteral("orders")), 3);

        // The same through repldeskctl, as JSON.
        const CtlRun r = runCtl({"--server", target.url(), "--password-env", "RD_PW", "--database",
                                 "shop", "--json", "sync", "--leader", leader.url(),
                                 "--leader-password-env", "RD_PW", "--preview"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject plan = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(plan.value(QStringLiteral("documentsPurged")).toInt(), 3);
        bool sawOrders = false;
        for (const QJsonValue &c : plan.value(QStringLiteral("collections")).toArray())
            if (c[QStringLiteral("name")].toString() == u"orders") {
                sawOrders = true;
                QCOMPARE(c[QStringLiteral("action")].toString(), QStringLiteral("drop-and-copy"));
                QCOMPARE(c[QStringLiteral("purged")].toInt(), 3);
                QCOMPARE(c[QStringLiteral("copied")].toInt(), 5);
            }
        QVERIFY(sawOrders);
        QCOMPARE(target.writes().size(), 0);
        QCOMPARE(leader.writes().size(), 0);
    }

    // A sync with the wrong confirmation sends nothing; the right one runs the (purging) sync.
    void syncNeedsTheDatabaseName()
    {
        FakeArango target(FakeArangoVersion::V3_11_14);
        QVERIFY(serve(target));
        fillShop(target, 3, true);
        target.clearRequests();
        const QStringList base{"--server", target.url(), "--password-env",
                               "RD_PW",    "--database", "shop",
                               "sync",     "--leader",   "http://127.0.0.1:1"};
        const CtlRun wrong = runCtl(base + QStringList{"--confirm", "Shop"});
        QCOMPARE(wrong.exitCode, 1);
        QVERIFY2(wrong.err.contains("confirm with its exact name"), wrong.err.constData());
        QCOMPARE(target.syncCalls(), 0);
        QCOMPARE(target.writes().size(), 0);
        const CtlRun usage = runCtl(base); // neither --preview nor --confirm
        QCOMPARE(usage.exitCode, 2);
        QCOMPARE(target.syncCalls(), 0);

        const CtlRun right = runCtl(base + QStringList{"--confirm", "shop"});
        QVERIFY2(right.exitCode == 0, right.err.constData());
        QCOMPARE(target.syncCalls(), 1);
        // The FAKE purges as ArangoDB does: this is why a preview must never call sync.
        QCOMPARE(target.count(QStringLiteral("shop"), QStringLiteral("orders")), 0);
        QVERIFY(right.out.contains("applier start --from"));
    }

    void inventoryAndDocumentsUseAReleasedBatch_data() { bothVersions(); }
    void inventoryAndDocumentsUseAReleasedBatch()
    {
        QFETCH(int, version);
        FakeArango f{FakeArangoVersion(version)};
        QVERIFY(serve(f));
        fillShop(f, 40, true);
        f.clearRequests();
        auto ops = probed(f.url(), FakePassword);

        Outcome<QStringList> dbs;
        ops->databases(ops.get(), [&](const QStringList &n, const QString &e) {
            dbs = {n, e, true};
        });
        QTRY_VERIFY(dbs.done);
        QCOMPARE(dbs.value, QStringList({"_system", "shop"}));

        Outcome<QJsonObject> inv;
        ops->inventory(QStringLiteral("shop"), ops.get(),
                       [&](const QJsonObject &i, const QString &e) {
                           inv = {i, e, true};
                       });
        QTRY_VERIFY(inv.done);
        QVERIFY2(inv.error.isEmpty(), qPrintable(inv.error));
        QStringList names;
        for (const QJsonValue &c : inv.value.value(QStringLiteral("collections")).toArray())
            names.append(c[QStringLiteral("parameters")][QStringLiteral("name")].toString());
        QVERIFY(names.contains(u"orders"));
        QVERIFY(names.contains(u"audit"));
        QVERIFY(anyRequestTo(f, QStringLiteral("/_api/replication/batch")));
        QTRY_COMPARE(f.openBatches(), 0);

        // Documents page by page inside one batch, released after the last page.
        QString cursor;
        int seen = 0, pages = 0;
        do {
            Outcome<ops::ServerOps::Page> page;
            ops->documents(QStringLiteral("shop"), QStringLiteral("orders"), cursor, ops.get(),
                           [&](const ops::ServerOps::Page &p, const QString &e) {
                               page = {p, e, true};
                           });
            QTRY_VERIFY(page.done);
            QVERIFY2(page.error.isEmpty(), qPrintable(page.error));
            seen += int(page.value.documents.size());
            cursor = page.value.next;
            ++pages;
        } while (!cursor.isEmpty() && pages < 100);
        QCOMPARE(seen, 40);
        QTRY_COMPARE(f.openBatches(), 0);
        QCOMPARE(f.writes().size(), 0);
    }

    void followTailsTheWalWithNames_data() { bothVersions(); }
    void followTailsTheWalWithNames()
    {
        QFETCH(int, version);
        FakeArango f{FakeArangoVersion(version)};
        QVERIFY(serve(f));
        fillShop(f, 2, true);
        const quint64 from = f.lastTick();
        f.insert(QStringLiteral("shop"), QStringLiteral("orders"),
                 QJsonObject{{QStringLiteral("_key"), QStringLiteral("new1")}});
        f.remove(QStringLiteral("shop"), QStringLiteral("orders"), QStringLiteral("o0"));
        f.clearRequests();

        const CtlRun r =
            runCtl({"--server", f.url(), "--password-env", "RD_PW", "--database", "shop", "--json",
                    "follow", "--from", QString::number(from), "--limit", "2"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        const QJsonObject first = QJsonDocument::fromJson(lines[0]).object();
        const QJsonObject second = QJsonDocument::fromJson(lines[1]).object();
        QCOMPARE(first.value(QStringLiteral("type")).toInt(), 2300);
        QCOMPARE(first.value(QStringLiteral("collection")).toString(), QStringLiteral("orders"));
        QCOMPARE(first.value(QStringLiteral("key")).toString(), QStringLiteral("new1"));
        QCOMPARE(second.value(QStringLiteral("type")).toInt(), 2302);
        QCOMPARE(second.value(QStringLiteral("key")).toString(), QStringLiteral("o0"));
        QVERIFY(first.value(QStringLiteral("tick")).isString());
        QVERIFY(anyRequestTo(f, QStringLiteral("/_api/wal/tail")));
        QVERIFY(!anyRequestTo(f, QStringLiteral("logger-follow")));
    }

    void globalApplierIsRead()
    {
        FakeArango f(FakeArangoVersion::V3_11_14);
        QVERIFY(serve(f));
        f.setApplierState({}, true, 100, 150);
        auto ops = probed(f.url(), FakePassword);
        Outcome<QJsonObject> st;
        ops->applierState(QStringLiteral("shop"), true, ops.get(),
                          [&](const QJsonObject &s, const QString &e) {
                              st = {s, e, true};
                          });
        QTRY_VERIFY(st.done);
        QVERIFY2(st.error.isEmpty(), qPrintable(st.error));
        QVERIFY(st.value[QStringLiteral("state")][QStringLiteral("running")].toBool());
        bool global = false;
        for (const FakeArango::Recorded &r : f.requests())
            global |=
                r.path == u"/_api/replication/applier-state" && r.query.contains(u"global=true");
        QVERIFY(global); // on _system, whatever database was named

        const CtlRun r =
            runCtl({"--server", f.url(), "--password-env", "RD_PW", "--json", "lag", "--global"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject lag = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(lag.value(QStringLiteral("ticksBehind")).toInt(), 50);
        QVERIFY(lag.value(QStringLiteral("running")).toBool());
    }

    // --server NAME: a server of the app's list gives endpoint, user and database.
    void serverByNameFromTheAppsList()
    {
        FakeArango f(FakeArangoVersion::V3_11_14);
        QVERIFY(serve(f));
        fillShop(f, 4, true);
        QTemporaryDir home;
        QDir().mkpath(home.filePath(QStringLiteral("ReplDesk")));
        QFile ini(home.filePath(QStringLiteral("ReplDesk/repldesk.conf")));
        QVERIFY(ini.open(QIODevice::WriteOnly));
        ini.write(QStringLiteral("[servers]\n1\\id=a1\n1\\name=Shop leader\n1\\endpoint=%1\n"
                                 "1\\user=root\n1\\database=shop\nsize=1\n")
                      .arg(f.url())
                      .toUtf8());
        ini.close();
        const CtlRun r = runCtl({"--server", "Shop leader", "--password-env", "RD_PW", "inventory"},
                                home.path());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("orders") && r.out.contains("audit"), r.out.constData());
        const CtlRun unknown = runCtl({"--server", "No such server", "probe"}, home.path());
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY(unknown.err.contains("nor the name of a server"));
    }

    // Restore point retention is ReplDesk's: elsewhere refused with the dialect's reason and
    // never sent; values out of range fail in the library before anything is sent.
    void restorePointRetentionIsRefusedUnsent()
    {
        FakeArango f(FakeArangoVersion::V3_11_14);
        QVERIFY(serve(f));
        fillShop(f, 1, false);
        f.clearRequests();
        auto o = probed(f.url(), FakePassword);
        Outcome<ops::RestorePointRetention> read, set, range;
        o->restorePointRetention(QStringLiteral("shop"), o.get(),
                                 [&](const ops::RestorePointRetention &r, const QString &e) {
                                     read = {r, e, true};
                                 });
        o->setRestorePointRetention(QStringLiteral("shop"), 1, std::nullopt, o.get(),
                                    [&](const ops::RestorePointRetention &r, const QString &e) {
                                        set = {r, e, true};
                                    });
        o->setRestorePointRetention(QStringLiteral("shop"), 1001, std::nullopt, o.get(),
                                    [&](const ops::RestorePointRetention &r, const QString &e) {
                                        range = {r, e, true};
                                    });
        QVERIFY(QTest::qWaitFor([&] { return read.done && set.done && range.done; }, 10000));
        QVERIFY2(read.error.contains(QStringLiteral("keeps no restore points")),
                 qPrintable(read.error));
        QVERIFY2(set.error.contains(QStringLiteral("keeps no restore points")),
                 qPrintable(set.error));
        QVERIFY2(range.error.contains(QStringLiteral("must be from 0 to 1000, not 1001")),
                 qPrintable(range.error));
        const CtlRun ctl = runCtl({"--server", f.url(), "--password-env", "RD_PW", "--database",
                                   "shop", "restore-points", "retention", "--keep", "2"});
        QCOMPARE(ctl.exitCode, 1);
        QVERIFY2(ctl.err.contains("cannot set the restore point retention of shop") &&
                     ctl.err.contains("keeps no restore points"),
                 ctl.err.constData());
        QVERIFY(!anyRequestTo(f, QStringLiteral("restore-points")));
    }

    // 3.12.10 removed leader/follower replication: said in one sentence, never asked.
    void arango31210IsExplainedNotPolled()
    {
        FakeArango f(FakeArangoVersion::V3_12_10);
        QVERIFY(serve(f));
        fillShop(f, 1, true);
        f.clearRequests();
        for (const QStringList &cmd :
             {QStringList{"applier", "state"}, QStringList{"lag"},
              QStringList{"sync", "--leader", "http://127.0.0.1:1", "--preview"}}) {
            const CtlRun r = runCtl(
                QStringList{"--server", f.url(), "--password-env", "RD_PW", "--database", "shop"} +
                cmd);
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.contains("ArangoDB 3.12.10 removed leader/follower replication"),
                     r.err.constData());
        }
        const CtlRun logger =
            runCtl({"--server", f.url(), "--password-env", "RD_PW", "logger", "start"});
        QCOMPARE(logger.exitCode, 1);
        QVERIFY2(logger.err.contains("cannot be started, stopped or configured"),
                 logger.err.constData());
        QVERIFY(!anyRequestTo(f, QStringLiteral("applier")));
        QVERIFY(!anyRequestTo(f, QStringLiteral("/sync")));
        QVERIFY(!anyRequestTo(f, QStringLiteral("logger-start")));
        QVERIFY(anyRequestTo(f, QStringLiteral("/_api/version")));

        const CtlRun probe = runCtl({"--server", f.url(), "--password-env", "RD_PW", "probe"});
        QCOMPARE(probe.exitCode, 0);
        QVERIFY(probe.out.contains("ArangoDB 3.12.10"));
        QVERIFY(probe.out.contains("removed leader/follower replication"));
    }

    // repldeskctl metrics: a real repldesk-server's text as a table and as JSON; ArangoDB with
    // its metrics API off (the FAKE has no such route: 404) and one older than 3.8 (no
    // endpoint: refused, unsent) each fail with their sentence.
    void metricsOfEachKind()
    {
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        const QStringList real{"--server", server.baseUrl().toString(), "--password-env",
                               "RD_REAL_PW"};
        const CtlRun table = runCtl(real + QStringList{"metrics"});
        QVERIFY2(table.exitCode == 0, table.err.constData());
        QVERIFY(table.out.startsWith("METRIC"));
        QVERIFY2(table.out.contains("\narangodb_replication_tailing_documents_total "),
                 table.out.constData());
        QVERIFY(table.out.contains("repldesk_http_request_duration_seconds_bucket"));
        QVERIFY(table.out.contains("le=\"+Inf\""));
        const CtlRun json = runCtl(real + QStringList{"--json", "metrics"});
        QVERIFY2(json.exitCode == 0, json.err.constData());
        QJsonObject documents;
        QJsonObject histogram;
        for (const QJsonValue &f : QJsonDocument::fromJson(json.out)
                                       .object()
                                       .value(QStringLiteral("families"))
                                       .toArray()) {
            if (f[QStringLiteral("name")].toString() ==
                u"arangodb_replication_tailing_documents_total")
                documents = f.toObject();
            if (f[QStringLiteral("name")].toString() == u"repldesk_http_request_duration_seconds")
                histogram = f.toObject();
        }
        QCOMPARE(documents.value(QStringLiteral("type")).toString(), QStringLiteral("counter"));
        QVERIFY(!documents.value(QStringLiteral("help")).toString().isEmpty());
        QCOMPARE(documents[QStringLiteral("samples")][0][QStringLiteral("value")].toDouble(-1),
                 0.0);
        QCOMPARE(histogram.value(QStringLiteral("type")).toString(), QStringLiteral("histogram"));
        bool sawInf = false;
        for (const QJsonValue &sample : histogram.value(QStringLiteral("samples")).toArray())
            sawInf |= sample[QStringLiteral("labels")][QStringLiteral("le")].toString() == u"+Inf";
        QVERIFY(sawInf);

        FakeArango off(FakeArangoVersion::V3_11_14);
        QVERIFY(serve(off));
        const CtlRun notFound =
            runCtl({"--server", off.url(), "--password-env", "RD_PW", "metrics"});
        QCOMPARE(notFound.exitCode, 1);
        QVERIFY2(notFound.err.contains("ArangoDB 3.11.14 answered 404 for /_admin/metrics/v2") &&
                     notFound.err.contains("--server.export-metrics-api false"),
                 notFound.err.constData());
        QVERIFY(anyRequestTo(off, QStringLiteral("/_admin/metrics/v2")));

        auto old = probed(off.url(), FakePassword);
        old->setDialect(ops::Dialect::fromVersion(
            QJsonObject{{QStringLiteral("server"), QStringLiteral("arango")},
                        {QStringLiteral("version"), QStringLiteral("3.7.18")}}));
        const qsizetype before = off.requests().size();
        Outcome<bool> o;
        old->metrics(old.get(), [&](const ops::Metrics &, const QString &e) {
            o.error = e;
            o.done = true;
        });
        QVERIFY(o.done); // refused at once
        QVERIFY2(o.error.contains(QStringLiteral("from 3.8 on")), qPrintable(o.error));
        QCOMPARE(off.requests().size(), before);
    }

    // The real Apache CouchDB 3.4.3 (../shared/peers/couchdb): recognised, its databases with
    // counts and Mango indexes, and ArangoDB-only operations refused with the reason, unsent.
    void realCouchDb()
    {
        const QString script =
            QStringLiteral(REPLDESK_SHARED_DIR "/peers/couchdb/start-couchdb.sh");
        if (!QFile::exists(script))
            QSKIP("../shared/peers/couchdb is absent here: the real CouchDB 3.4.3 test needs it "
                  "(CI has it)");
        QTcpServer probe; // a free loopback port
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        QTemporaryDir install;
        QProcess start;
        start.start(QStringLiteral("sh"),
                    {script, install.path(), QString::number(port), QStringLiteral("couch-pw")});
        QVERIFY(start.waitForFinished(240000));
        QVERIFY2(start.exitCode() == 0, start.readAllStandardError().constData());
        const auto stop = qScopeGuard([&] {
            QProcess::execute(QStringLiteral("sh"),
                              {script, QStringLiteral("--stop"), install.path()});
        });
        const QString url = QStringLiteral("http://127.0.0.1:%1").arg(port);
        HttpClient couch(QUrl(url), QStringLiteral("admin"), QStringLiteral("couch-pw"));
        QCOMPARE(couch.put(QStringLiteral("/shop")).status, 201);
        QCOMPARE(couch.put(QStringLiteral("/shop/d1"), QJsonObject{{"a", 1}}).status, 201);
        QCOMPARE(couch
                     .post(QStringLiteral("/shop/_index"),
                           QJsonObject{{"index", QJsonObject{{"fields", QJsonArray{"a"}}}},
                                       {"name", "by-a"}})
                     .status,
                 200);
        const QStringList server{"--server",       url,          "--user", "admin",
                                 "--password-env", "RD_COUCH_PW"};

        const CtlRun probeRun = runCtl(server + QStringList{"--json", "probe"});
        QVERIFY2(probeRun.exitCode == 0, probeRun.err.constData());
        const QJsonObject p = QJsonDocument::fromJson(probeRun.out).object();
        QCOMPARE(p.value(QStringLiteral("kind")).toString(), QStringLiteral("CouchDB"));
        QCOMPARE(p.value(QStringLiteral("version")).toString(), QStringLiteral("3.4.3"));
        QVERIFY(p[QStringLiteral("features")][QStringLiteral("applier")].isString());

        const CtlRun dbs = runCtl(server + QStringList{"--json", "databases"});
        QVERIFY2(dbs.exitCode == 0, dbs.err.constData());
        QVERIFY(QJsonDocument::fromJson(dbs.out).array().contains(QJsonValue("shop")));

        const CtlRun inv = runCtl(server + QStringList{"--json", "inventory"});
        QVERIFY2(inv.exitCode == 0, inv.err.constData());
        bool sawShop = false;
        for (const QJsonValue &c : QJsonDocument::fromJson(inv.out)
                                       .object()
                                       .value(QStringLiteral("collections"))
                                       .toArray()) {
            const QJsonObject params = c[QStringLiteral("parameters")].toObject();
            if (params.value(QStringLiteral("name")).toString() != u"shop")
                continue;
            sawShop = true;
            // CouchDB counts its design documents too: d1 and the index's _design document.
            QCOMPARE(params.value(QStringLiteral("count")).toInt(), 2);
            const QJsonArray indexes = c[QStringLiteral("indexes")].toArray();
            QCOMPARE(indexes.size(), 1);
            QCOMPARE(indexes[0][QStringLiteral("fields")].toArray(), QJsonArray{"a"});
        }
        QVERIFY(sawShop);

        for (const QStringList &cmd :
             {QStringList{"applier", "state"}, QStringList{"follow", "--limit", "1"}}) {
            const CtlRun r = runCtl(server + cmd);
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.contains("CouchDB 3.4.3"), r.err.constData());
        }

        // Its /_node/_local/_prometheus, read: every family typed as CouchDB says (it ends its
        // HELP lines with a CR alone), counters, gauges and summaries among them. The _min and
        // _max it adds to some summaries are no part of a summary in the format: they are
        // untyped families of their own, as Prometheus reads them too.
        const CtlRun metrics = runCtl(server + QStringList{"--json", "metrics"});
        QVERIFY2(metrics.exitCode == 0, metrics.err.constData());
        QSet<QString> types;
        QJsonObject requests;
        const QJsonArray families = QJsonDocument::fromJson(metrics.out)
                                        .object()
                                        .value(QStringLiteral("families"))
                                        .toArray();
        QVERIFY(families.size() > 50);
        for (const QJsonValue &f : families) {
            const QString name = f[QStringLiteral("name")].toString();
            const QString type = f[QStringLiteral("type")].toString();
            types.insert(type);
            QVERIFY2(!f[QStringLiteral("help")].toString().contains(u'\r'), qPrintable(name));
            if (type == u"untyped")
                QVERIFY2(name.endsWith(u"_min") || name.endsWith(u"_max"), qPrintable(name));
            if (name == u"couchdb_httpd_requests_total")
                requests = f.toObject();
        }
        QVERIFY(types.contains(QStringLiteral("counter")) &&
                types.contains(QStringLiteral("gauge")) &&
                types.contains(QStringLiteral("summary")));
        QCOMPARE(requests.value(QStringLiteral("type")).toString(), QStringLiteral("counter"));
        QVERIFY(requests[QStringLiteral("samples")][0][QStringLiteral("value")].toDouble() > 0);
    }

    // The same flows against real repldesk-servers: ReplDesk's own dialect, and the 3.x path
    // (batches, wal/tail) against a live engine.
    void realServersPreviewSyncAndTail()
    {
        ServerProcess leaderProc, followerProc;
        QVERIFY2(leaderProc.start(), qPrintable(leaderProc.errorString()));
        QVERIFY2(followerProc.start(), qPrintable(followerProc.errorString()));
        HttpClient leader(leaderProc.baseUrl()), follower(followerProc.baseUrl());
        for (HttpClient *c : {&leader, &follower}) {
            QCOMPARE(
                c->post(QStringLiteral("/_api/database"), QJsonObject{{"name", "shop"}}).status,
                201);
            QCOMPARE(c->put(QStringLiteral("/_db/shop/_api/replication/logger-start")).status, 200);
            QCOMPARE(c->post(QStringLiteral("/_db/shop/_api/collection"),
                             QJsonObject{{"name", "orders"}})
                         .status,
                     200);
        }
        for (int i = 0; i < 5; ++i)
            QVERIFY(leader
                        .post(QStringLiteral("/_db/shop/_api/document/orders"),
                              QJsonObject{{"_key", QStringLiteral("L%1").arg(i)}})
                        .status < 300);
        for (int i = 0; i < 3; ++i)
            QVERIFY(follower
                        .post(QStringLiteral("/_db/shop/_api/document/orders"),
                              QJsonObject{{"_key", QStringLiteral("F%1").arg(i)}})
                        .status < 300);
        const QString leaderUrl = leaderProc.baseUrl().toString();
        const QString followerUrl = followerProc.baseUrl().toString();
        const QStringList target{"--server",   followerUrl,  "--password-env",
                                 "RD_REAL_PW", "--database", "shop"};
        const CtlRun preview =
            runCtl(target + QStringList{"--json", "sync", "--leader", leaderUrl,
                                        "--leader-password-env", "RD_REAL_PW", "--preview"});
        QVERIFY2(preview.exitCode == 0, preview.err.constData());
        const QJsonObject plan = QJsonDocument::fromJson(preview.out).object();
        QCOMPARE(plan.value(QStringLiteral("documentsPurged")).toInt(), 3);
        QCOMPARE(plan.value(QStringLiteral("documentsCopied")).toInt(), 5);
        QCOMPARE(follower.get(QStringLiteral("/_db/shop/_api/collection/orders/count"))
                     .json()
                     .value(QStringLiteral("count"))
                     .toInt(),
                 3);

        const CtlRun wrong =
            runCtl(target + QStringList{"sync", "--leader", leaderUrl, "--leader-password-env",
                                        "RD_REAL_PW", "--confirm", "_system"});
        QCOMPARE(wrong.exitCode, 1);
        QCOMPARE(follower.get(QStringLiteral("/_db/shop/_api/collection/orders/count"))
                     .json()
                     .value(QStringLiteral("count"))
                     .toInt(),
                 3);
        const CtlRun sync =
            runCtl(target + QStringList{"sync", "--leader", leaderUrl, "--leader-password-env",
                                        "RD_REAL_PW", "--confirm", "shop"});
        QVERIFY2(sync.exitCode == 0, sync.err.constData());
        QCOMPARE(follower.get(QStringLiteral("/_db/shop/_api/collection/orders/count"))
                     .json()
                     .value(QStringLiteral("count"))
                     .toInt(),
                 5);

        // logger-follow (ReplDesk's dialect) names collections.
        const CtlRun follow =
            runCtl({"--server", leaderUrl, "--password-env", "RD_REAL_PW", "--database", "shop",
                    "--json", "follow", "--from", "0", "--limit", "3"});
        QVERIFY2(follow.exitCode == 0, follow.err.constData());
        QVERIFY(follow.out.contains("\"collection\":\"orders\""));

        // The 3.x path against the live engine: batches and wal/tail with cuid → name.
        auto ops = probed(leaderUrl, ServerProcess::password());
        ops->setDialect(
            ops::Dialect::fromVersion(QJsonObject{{"server", "arango"}, {"version", "3.11.14"}}));
        Outcome<QJsonObject> inv;
        ops->inventory(QStringLiteral("shop"), ops.get(),
                       [&](const QJsonObject &i, const QString &e) {
                           inv = {i, e, true};
                       });
        QTRY_VERIFY(inv.done);
        QVERIFY2(inv.error.isEmpty(), qPrintable(inv.error));
        Outcome<ops::LogChunk> chunk;
        ops->tail(QStringLiteral("shop"), 0, 1 << 20, 0, ops.get(),
                  [&](const ops::LogChunk &c, const QString &e) {
                      chunk = {c, e, true};
                  });
        QTRY_VERIFY(chunk.done);
        QVERIFY2(chunk.error.isEmpty(), qPrintable(chunk.error));
        int named = 0;
        for (const ops::LogEvent &e : chunk.value.events)
            named += e.type == 2300 && e.collection == u"orders" && !e.cuid.isEmpty();
        QCOMPARE(named, 5);
        QVERIFY(chunk.value.lastTick > 0);
        Outcome<ops::ServerOps::Page> page;
        ops->documents(QStringLiteral("shop"), QStringLiteral("orders"), {}, ops.get(),
                       [&](const ops::ServerOps::Page &p, const QString &e) {
                           page = {p, e, true};
                       });
        QTRY_VERIFY(page.done);
        QVERIFY2(page.error.isEmpty(), qPrintable(page.error));
        QCOMPARE(page.value.documents.size(), 5);
    }
    // repldesk-server's global applier (applier-*?global=true on _system): it follows every
    // database of the leader, creates the missing ones, picks up a database created later,
    // stops all of them on stop, and comes back after a restart when autoStart is set.
    void realServersGlobalApplier()
    {
        ServerProcess leaderProc;
        QTemporaryDir followerDir;
        auto followerProc = std::make_unique<ServerProcess>(followerDir.path());
        QVERIFY2(leaderProc.start(), qPrintable(leaderProc.errorString()));
        QVERIFY2(followerProc->start(), qPrintable(followerProc->errorString()));
        HttpClient leader(leaderProc.baseUrl());
        auto fillDatabase = [&](const QString &db, int documents) {
            QCOMPARE(
                leader.post(QStringLiteral("/_api/database"), QJsonObject{{"name", db}}).status,
                201);
            QCOMPARE(
                leader.put(QStringLiteral("/_db/%1/_api/replication/logger-start").arg(db)).status,
                200);
            QCOMPARE(leader
                         .post(QStringLiteral("/_db/%1/_api/collection").arg(db),
                               QJsonObject{{"name", "items"}})
                         .status,
                     200);
            for (int i = 0; i < documents; ++i)
                QVERIFY(leader
                            .post(QStringLiteral("/_db/%1/_api/document/items").arg(db),
                                  QJsonObject{{"_key", QStringLiteral("k%1").arg(i)}})
                            .status < 300);
        };
        fillDatabase(QStringLiteral("shop"), 4);
        fillDatabase(QStringLiteral("crm"), 2);
        auto count = [](HttpClient &c, const QString &db) {
            return c.get(QStringLiteral("/_db/%1/_api/collection/items/count").arg(db))
                .json()
                .value(QStringLiteral("count"))
                .toInt(-1);
        };

        HttpClient follower(followerProc->baseUrl());
        QCOMPARE(
            follower.post(QStringLiteral("/_api/database"), QJsonObject{{"name", "local"}}).status,
            201);
        // Global only on _system: elsewhere 403 with errorNum 11, as ArangoDB answers.
        const auto misplaced =
            follower.get(QStringLiteral("/_db/local/_api/replication/applier-state?global=true"));
        QCOMPARE(misplaced.status, 403);
        QCOMPARE(misplaced.json().value(QStringLiteral("errorNum")).toInt(), 11);
        const QJsonObject config{
            {"endpoint", QStringLiteral("tcp://127.0.0.1:%1").arg(leaderProc.port())},
            {"username", "root"},
            {"password", ServerProcess::password()},
            {"autoStart", true},
            {"idleMinWaitTime", 0.2},
            {"idleMaxWaitTime", 0.5}};
        const auto configured =
            follower.put(QStringLiteral("/_api/replication/applier-config?global=true"), config);
        QVERIFY2(configured.status == 200, configured.body.constData());
        QVERIFY(!configured.json().contains(QStringLiteral("password")));

        const QString followerUrl = followerProc->baseUrl().toString();
        const CtlRun started = runCtl({"--server", followerUrl, "--password-env", "RD_REAL_PW",
                                       "applier", "start", "--global"});
        QVERIFY2(started.exitCode == 0, started.err.constData());
        QTRY_COMPARE_WITH_TIMEOUT(count(follower, QStringLiteral("shop")), 4, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(count(follower, QStringLiteral("crm")), 2, 20000);

        // A database created on the leader later is found and followed.
        fillDatabase(QStringLiteral("late"), 3);
        QTRY_COMPARE_WITH_TIMEOUT(count(follower, QStringLiteral("late")), 3, 30000);
        QVERIFY(leader
                    .post(QStringLiteral("/_db/shop/_api/document/items"),
                          QJsonObject{{"_key", "k-new"}})
                    .status < 300);
        QTRY_COMPARE_WITH_TIMEOUT(count(follower, QStringLiteral("shop")), 5, 20000);

        const CtlRun state = runCtl({"--server", followerUrl, "--password-env", "RD_REAL_PW",
                                     "--json", "applier", "state", "--global"});
        QVERIFY2(state.exitCode == 0, state.err.constData());
        const QJsonObject global = QJsonDocument::fromJson(state.out).object();
        QVERIFY(global[QStringLiteral("state")][QStringLiteral("running")].toBool());
        QStringList followed;
        for (const QJsonValue &m : global.value(QStringLiteral("databases")).toArray())
            followed.append(m[QStringLiteral("database")].toString());
        QCOMPARE(followed.size(), 3);
        for (const char *db : {"shop", "crm", "late"})
            QVERIFY2(followed.contains(QLatin1String(db)), db);
        QVERIFY(!followed.contains(QStringLiteral("local"))); // not the leader's: left alone
        QVERIFY(
            !global[QStringLiteral("state")][QStringLiteral("lastAppliedContinuousTick")].isNull());
        const CtlRun table = runCtl({"--server", followerUrl, "--password-env", "RD_REAL_PW",
                                     "applier", "state", "--global"});
        QVERIFY2(table.out.contains("global (server-level)") && table.out.contains("late"),
                 table.out.constData());

        // After a restart (autoStart) the global applier runs again and keeps following.
        QCOMPARE(followerProc->stop(), 0);
        followerProc = std::make_unique<ServerProcess>(followerDir.path());
        QVERIFY2(followerProc->start(), qPrintable(followerProc->errorString()));
        HttpClient restarted(followerProc->baseUrl());
        QTRY_VERIFY_WITH_TIMEOUT(
            restarted.get(QStringLiteral("/_api/replication/applier-state?global=true"))
                .json()[QStringLiteral("state")][QStringLiteral("running")]
                .toBool(),
            10000);
        QVERIFY(leader
                    .post(QStringLiteral("/_db/crm/_api/document/items"),
                          QJsonObject{{"_key", "after-restart"}})
                    .status < 300);
        QTRY_COMPARE_WITH_TIMEOUT(count(restarted, QStringLiteral("crm")), 3, 20000);

        // Stop: every database applier it drives stops with it.
        const CtlRun stopped =
            runCtl({"--server", followerProc->baseUrl().toString(), "--password-env", "RD_REAL_PW",
                    "applier", "stop", "--global"});
        QVERIFY2(stopped.exitCode == 0, stopped.err.constData());
        for (const char *db : {"shop", "crm", "late"})
            QTRY_VERIFY2(!restarted
                              .get(QStringLiteral("/_db/%1/_api/replication/applier-state")
                                       .arg(QLatin1String(db)))
                              .json()[QStringLiteral("state")][QStringLiteral("running")]
                              .toBool(),
                         db);
    }
};

QTEST_GUILESS_MAIN(TestOpsServers)
#include "tst_ops_servers.moc"
