// PUT /_api/replication/sync and the applier's guard rails against real repldesk-server
// processes (and one scripted fake leader): body validation, 1400/1402/1405/1410/1411,
// the password never answered, dryRun, restrictions, progress, and failed syncs that leave
// the local database exactly as it was.
#include "ReplicationTestKit.h"

using namespace repl::test;

namespace {

// A scripted leader whose server-id and inventory answer two collections, whose dump of "aaa"
// succeeds and whose dump of "zzz" fails with HTTP 500: a sync that breaks after it has
// already recreated and filled one collection.
bool hangOnZzz = false; // instead of failing, never answer the dump of "zzz"

ScriptedLeader::Answer brokenDumpLeader(const QString &path, const QUrlQuery &query)
{
    if (path.endsWith(u"/_api/replication/server-id"))
        return {200, R"({"serverId":"987654321012345"})", {}};
    if (path.endsWith(u"/_api/replication/inventory"))
        return {200,
                R"({"collections":[)"
                R"({"parameters":{"name":"aaa","cid":"11","type":2,"count":2},"indexes":[]},)"
                R"({"parameters":{"name":"zzz","cid":"12","type":2,"count":1},"indexes":[]}],)"
                R"("state":{"lastLogTick":"100","running":true},"tick":"100"})",
                {}};
    if (path.endsWith(u"/_api/replication/dump") &&
        query.queryItemValue(QStringLiteral("collection")) == u"aaa")
        return {
            200,
            R"({"tick":"5","type":2300,"key":"x1","rev":"_leaderRev1","data":{"_key":"x1","_rev":"_leaderRev1","v":"leader"}})"
            "\n"
            R"({"tick":"6","type":2300,"key":"mine0","rev":"_leaderRev2","data":{"_key":"mine0","_rev":"_leaderRev2","v":"leader"}})"
            "\n",
            {{"x-arango-replication-checkmore", "false"},
             {"x-arango-replication-lastincluded", "6"}}};
    if (path.endsWith(u"/_api/replication/dump") && hangOnZzz)
        return {0, {}, {}};
    if (path.endsWith(u"/_api/replication/dump"))
        return {500, R"({"error":true,"code":500,"errorNum":4,"errorMessage":"disk on fire"})", {}};
    return {404, R"({"error":true,"code":404,"errorNum":404,"errorMessage":"unknown"})", {}};
}

} // namespace

class TestSync : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ServerProcess> m_leader, m_follower;
    std::unique_ptr<HttpClient> m_l, m_f;

    void fill(HttpClient &http, const QString &collection, int n, const QString &tag)
    {
        QCOMPARE(
            http.post(QStringLiteral("/_api/collection"), QJsonObject{{"name", collection}}).status,
            200);
        QJsonArray docs;
        for (int i = 0; i < n; ++i)
            docs.append(QJsonObject{{"_key", QStringLiteral("%1%2").arg(tag).arg(i)}, {"v", tag}});
        if (n > 0)
            QCOMPARE(http.post(QStringLiteral("/_api/document/") + collection,
                               QJsonDocument(docs).toJson(QJsonDocument::Compact))
                         .status,
                     202);
    }

    static void expectError(const HttpReply &r, int status, int errorNum, const QString &mentions)
    {
        QVERIFY2(r.status == status, qPrintable(statusText(r)));
        const QJsonObject o = r.json();
        QCOMPARE(o[QStringLiteral("error")].toBool(), true);
        QCOMPARE(o[QStringLiteral("errorNum")].toInt(), errorNum);
        QCOMPARE(o[QStringLiteral("code")].toInt(), status);
        const QString message = o[QStringLiteral("errorMessage")].toString();
        QVERIFY2(message.contains(mentions), qPrintable(message));
    }

    static QStringList syncedNames(const HttpReply &r)
    {
        QStringList names;
        for (const QJsonValue &v : r.json()[QStringLiteral("collections")].toArray())
            names << v[QStringLiteral("name")].toString();
        names.sort();
        return names;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_leader = std::make_unique<ServerProcess>();
        m_follower = std::make_unique<ServerProcess>();
        QVERIFY2(m_leader->start(), qPrintable(m_leader->errorString()));
        QVERIFY2(m_follower->start(), qPrintable(m_follower->errorString()));
        m_l = std::make_unique<HttpClient>(m_leader->baseUrl());
        m_f = std::make_unique<HttpClient>(m_follower->baseUrl());
        QCOMPARE(m_l->put(QStringLiteral("/_api/replication/logger-start")).status, 200);
        fill(*m_l, QStringLiteral("onLeader"), 5, QStringLiteral("l"));
        fill(*m_f, QStringLiteral("local"), 4, QStringLiteral("f"));
    }

    void syncBodyValidation_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        QTest::newRow("no endpoint") << QByteArray(R"({"username":"root"})") << "endpoint";
        QTest::newRow("bad endpoint") << QByteArray(R"({"endpoint":"nonsense"})") << "endpoint";
        QTest::newRow("numeric endpoint") << QByteArray(R"({"endpoint":42})") << "endpoint";
        QTest::newRow("password type")
            << QByteArray(R"({"endpoint":"@EP@","password":1})") << "password";
        QTest::newRow("restrictType")
            << QByteArray(R"({"endpoint":"@EP@","restrictType":"sideways",)"
                          R"("restrictCollections":["a"]})")
            << "restrictType";
        QTest::newRow("restrictCollections type")
            << QByteArray(R"({"endpoint":"@EP@","restrictType":"include",)"
                          R"("restrictCollections":"a"})")
            << "restrictCollections";
        QTest::newRow("include without list")
            << QByteArray(R"({"endpoint":"@EP@","restrictType":"include"})")
            << "restrictCollections";
        QTest::newRow("includeSystem")
            << QByteArray(R"({"endpoint":"@EP@","includeSystem":"yes"})") << "includeSystem";
        QTest::newRow("dryRun") << QByteArray(R"({"endpoint":"@EP@","dryRun":1})") << "dryRun";
        QTest::newRow("incremental")
            << QByteArray(R"({"endpoint":"@EP@","incremental":true})") << "incremental";
        QTest::newRow("initialSyncMaxWaitTime")
            << QByteArray(R"({"endpoint":"@EP@","initialSyncMaxWaitTime":-1})")
            << "initialSyncMaxWaitTime";
        QTest::newRow("broken json") << QByteArray("{\"endpoint\":") << "";
    }

    void syncBodyValidation()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        body.replace("@EP@", endpointOf(*m_leader).toUtf8());
        const StateSnapshot before = snapshot(*m_f);
        expectError(m_f->put(QStringLiteral("/_api/replication/sync"), body), 400, 400, field);
        const QString d = diff(before, snapshot(*m_f));
        QVERIFY2(d.isEmpty(), qPrintable(d));
        QCOMPARE(before.collections.keys(), QStringList{"local"});
    }

    void applierConfigGuardsAndNeverAnswersThePassword()
    {
        HttpReply r = m_f->get(QStringLiteral("/_api/replication/applier-config"));
        QCOMPARE(r.status, 200);
        QJsonObject c = r.json();
        QVERIFY(!c.contains(QStringLiteral("endpoint")));
        QCOMPARE(c[QStringLiteral("requireFromPresent")].toBool(), true);
        QCOMPARE(c[QStringLiteral("autoResync")].toBool(), false);
        // 1410: no endpoint yet.
        expectError(m_f->put(QStringLiteral("/_api/replication/applier-start")), 400, 1410,
                    QStringLiteral("endpoint"));
        QCOMPARE(applierState(*m_f)[QStringLiteral("running")].toBool(), false);

        const QList<QPair<QJsonObject, QString>> invalid{
            {{{"endpoint", "nonsense"}}, "endpoint"},
            {{{"endpoint", 42}}, "endpoint"},
            {{{"maxConnectRetries", -1}}, "maxConnectRetries"},
            {{{"maxConnectRetries", 1.5}}, "maxConnectRetries"},
            {{{"connectionRetryWaitTime", "soon"}}, "connectionRetryWaitTime"},
            {{{"restrictType", "sideways"}}, "restrictType"},
            {{{"restrictCollections", "a"}}, "restrictCollections"},
            {{{"requireFromPresent", "yes"}}, "requireFromPresent"},
            {{{"idleMinWaitTime", 5}, {"idleMaxWaitTime", 1}}, "idleMaxWaitTime"}};
        for (const auto &[patch, field] : invalid) {
            expectError(m_f->put(QStringLiteral("/_api/replication/applier-config"), patch), 400,
                        1410, field);
            if (QTest::currentTestFailed())
                return;
        }
        c = m_f->get(QStringLiteral("/_api/replication/applier-config")).json();
        QVERIFY(!c.contains(QStringLiteral("endpoint")));
        QCOMPARE(c[QStringLiteral("maxConnectRetries")].toDouble(), 100.0);

        // The password is stored, never answered.
        const QByteArray secret = "s3cret-Pa55word";
        r = m_f->put(QStringLiteral("/_api/replication/applier-config"),
                     QJsonObject{{"endpoint", endpointOf(*m_leader)},
                                 {"username", "root"},
                                 {"password", QString::fromUtf8(secret)},
                                 {"maxConnectRetries", 7}});
        QCOMPARE(r.status, 200);
        QVERIFY(!r.json().contains(QStringLiteral("password")));
        QVERIFY(!r.body.contains(secret));
        QCOMPARE(r.json()[QStringLiteral("endpoint")].toString(), endpointOf(*m_leader));
        // Merge: a later PUT keeps what it does not name.
        r = m_f->put(QStringLiteral("/_api/replication/applier-config"),
                     QJsonObject{{"chunkSize", 65536}});
        QCOMPARE(r.status, 200);
        c = m_f->get(QStringLiteral("/_api/replication/applier-config")).json();
        QCOMPARE(c[QStringLiteral("endpoint")].toString(), endpointOf(*m_leader));
        QCOMPARE(c[QStringLiteral("username")].toString(), QStringLiteral("root"));
        QCOMPARE(c[QStringLiteral("maxConnectRetries")].toDouble(), 7.0);
        QCOMPARE(c[QStringLiteral("chunkSize")].toDouble(), 65536.0);
        QVERIFY(!c.contains(QStringLiteral("password")));
        for (const char *path :
             {"/_api/replication/applier-config", "/_api/replication/applier-state",
              "/_db/_system/_api/replication/applier-config"})
            QVERIFY2(!m_f->get(QLatin1String(path)).body.contains(secret), path);
        // The stored password is the one used: the leader refuses it (1402, HTTP 401).
        QCOMPARE(m_f->put(QStringLiteral("/_api/replication/applier-start")).status, 200);
        QJsonObject st;
        QVERIFY(waitStopped(*m_f, 20000, &st));
        QCOMPARE(st[QStringLiteral("lastError")][QStringLiteral("errorNum")].toInt(), 1402);
        const QString message =
            st[QStringLiteral("lastError")][QStringLiteral("errorMessage")].toString();
        QVERIFY2(message.contains(QStringLiteral("HTTP 401")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("127.0.0.1:%1").arg(m_leader->port())),
                 qPrintable(message));
        QVERIFY(!message.contains(QString::fromUtf8(secret)));
    }

    void runningApplierRefusesChanges1411()
    {
        QCOMPARE(configureApplier(*m_f, *m_leader, {{"maxConnectRetries", 100}}).status, 200);
        HttpReply r = m_f->put(
            QStringLiteral("/_api/replication/applier-start?from=%1").arg(lastLogTick(*m_l)));
        QCOMPARE(r.status, 200);
        QVERIFY(QTest::qWaitFor(
            [&] {
                return applierState(*m_f)[QStringLiteral("progress")][QStringLiteral("message")]
                    .toString()
                    .contains(QStringLiteral("following"));
            },
            10000));
        expectError(m_f->put(QStringLiteral("/_api/replication/applier-config"),
                             QJsonObject{{"chunkSize", 1}}),
                    400, 1411, QStringLiteral("stop"));
        expectError(m_f->put(QStringLiteral("/_api/replication/sync"), syncBody(*m_leader)), 400,
                    1411, QStringLiteral("stop"));
        // A dry run changes nothing, so it may look while the applier runs, and leaves the
        // applier's status alone.
        const StateSnapshot before = snapshot(*m_f);
        r = m_f->put(QStringLiteral("/_api/replication/sync"),
                     syncBody(*m_leader, {{"dryRun", true}}));
        QVERIFY2(r.status == 200, qPrintable(statusText(r)));
        QCOMPARE(r.json()[QStringLiteral("dryRun")].toBool(), true);
        QVERIFY(diff(before, snapshot(*m_f)).isEmpty());
        QJsonObject st = applierState(*m_f);
        QCOMPARE(st[QStringLiteral("running")].toBool(), true);
        QCOMPARE(st[QStringLiteral("phase")].toString(), QStringLiteral("running"));
        QVERIFY(st[QStringLiteral("progress")][QStringLiteral("message")].toString().contains(
            QStringLiteral("following")));
        expectError(m_f->del(QStringLiteral("/_api/replication/applier-state")), 400, 1411,
                    QStringLiteral("runs"));
        // Starting a running applier is harmless; it keeps running and following.
        r = m_f->put(QStringLiteral("/_api/replication/applier-start"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json()[QStringLiteral("state")][QStringLiteral("running")].toBool(), true);
        QCOMPARE(m_l->post(QStringLiteral("/_api/document/onLeader"), QJsonObject{{"_key", "live"}})
                     .status,
                 202);
        // onLeader was never synced here: the applier stops and says so.
        QVERIFY(waitStopped(*m_f, 20000, &st));
        QCOMPARE(st[QStringLiteral("lastError")][QStringLiteral("errorNum")].toInt(), 1203);
        QVERIFY(st[QStringLiteral("lastError")][QStringLiteral("errorMessage")].toString().contains(
            QStringLiteral("onLeader")));
        QCOMPARE(m_f->get(QStringLiteral("/_api/collection/onLeader")).status, 404);
        // Stopped: everything is allowed again.
        QCOMPARE(m_f->put(QStringLiteral("/_api/replication/applier-config"),
                          QJsonObject{{"chunkSize", 0}})
                     .status,
                 200);
        r = m_f->del(QStringLiteral("/_api/replication/applier-state"));
        QCOMPARE(r.status, 200);
        QVERIFY(r.json()[QStringLiteral("state")][QStringLiteral("lastAppliedContinuousTick")]
                    .isNull());
    }

    void selfAsLeaderIs1405()
    {
        const ServerProcess &self = *m_follower;
        HttpReply r = m_f->put(QStringLiteral("/_api/replication/sync"), syncBody(self));
        QCOMPARE(r.json()[QStringLiteral("errorNum")].toInt(), 1405);
        QVERIFY(r.status >= 400);
        QVERIFY2(
            r.json()[QStringLiteral("errorMessage")].toString().contains(QStringLiteral("loop")),
            qPrintable(statusText(r)));
        QCOMPARE(configureApplier(*m_f, self).status, 200);
        QCOMPARE(m_f->put(QStringLiteral("/_api/replication/applier-start")).status, 200);
        QJsonObject st;
        QVERIFY(waitStopped(*m_f, 20000, &st));
        QCOMPARE(st[QStringLiteral("lastError")][QStringLiteral("errorNum")].toInt(), 1405);
        QVERIFY(st[QStringLiteral("lastError")][QStringLiteral("errorMessage")].toString().contains(
            self.serverIdFromBanner()));
        QCOMPARE(snapshot(*m_f).collections.keys(), QStringList{"local"});
    }

    void failingSyncsLeaveLocalDataAlone()
    {
        const StateSnapshot before = snapshot(*m_f);
        QVERIFY2(before.error.isEmpty(), qPrintable(before.error));
        QCOMPARE(before.collections.value(QStringLiteral("local")).documents.size(), 4);
        // Wrong password: 500/1402, the leader and the HTTP status named.
        HttpReply r = m_f->put(QStringLiteral("/_api/replication/sync"),
                               syncBody(*m_leader, {{"password", "wrong"}}));
        expectError(r, 500, 1402, QStringLiteral("HTTP 401"));
        QVERIFY(r.json()[QStringLiteral("errorMessage")].toString().contains(
            QStringLiteral("127.0.0.1:%1").arg(m_leader->port())));
        const QJsonObject st = applierState(*m_f);
        QCOMPARE(st[QStringLiteral("lastError")][QStringLiteral("errorNum")].toInt(), 1402);
        QVERIFY(st[QStringLiteral("progress")][QStringLiteral("message")].toString().contains(
            QStringLiteral("sync failed")));
        // Nobody listening: 500/1400.
        quint16 closedPort = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            closedPort = probe.serverPort();
        }
        r = m_f->put(
            QStringLiteral("/_api/replication/sync"),
            QJsonObject{{"endpoint", QStringLiteral("tcp://127.0.0.1:%1").arg(closedPort)}});
        expectError(r, 500, 1400, QString::number(closedPort));
        // An include of a collection the leader does not have: nothing to copy, nothing
        // purged, the local collection stays.
        r = m_f->put(QStringLiteral("/_api/replication/sync"),
                     syncBody(*m_leader, {{"restrictType", "include"},
                                          {"restrictCollections", QJsonArray{"local"}}}));
        QCOMPARE(r.status, 200);
        QCOMPARE(syncedNames(r), QStringList{});
        const QString d = diff(before, snapshot(*m_f));
        QVERIFY2(d.isEmpty(), qPrintable(d));
    }

    void syncBrokenMidCopyRollsBack()
    {
        // The follower has both collections the fake leader lists, with its own documents.
        ServerProcess follower;
        QVERIFY2(follower.start(), qPrintable(follower.errorString()));
        HttpClient f(follower.baseUrl());
        fill(f, QStringLiteral("aaa"), 3, QStringLiteral("mine"));
        fill(f, QStringLiteral("zzz"), 2, QStringLiteral("mine"));
        QCOMPARE(f.post(QStringLiteral("/_api/index?collection=aaa"),
                        QJsonObject{{"type", "persistent"}, {"fields", QJsonArray{"v"}}})
                     .status,
                 201);
        const StateSnapshot before = snapshot(f);
        QVERIFY2(before.error.isEmpty(), qPrintable(before.error));

        ScriptedLeader fake(brokenDumpLeader);
        const HttpReply r = f.put(QStringLiteral("/_api/replication/sync"),
                                  QJsonObject{{"endpoint", fake.endpoint()}});
        expectError(r, 500, 1402, QStringLiteral("HTTP 500"));
        QVERIFY(
            r.json()[QStringLiteral("errorMessage")].toString().contains(QStringLiteral("zzz")));
        // It did get as far as copying "aaa" before "zzz" failed.
        QVERIFY2(fake.requests.filter(QStringLiteral("collection=aaa")).size() == 1,
                 qPrintable(fake.requests.join(u' ')));
        QVERIFY(!fake.requests.filter(QStringLiteral("collection=zzz")).isEmpty());
        const QString d = diff(before, snapshot(f));
        QVERIFY2(d.isEmpty(), qPrintable(QStringLiteral("a failed sync changed data:\n  ") + d));
        QVERIFY(applierState(f)[QStringLiteral("lastAppliedContinuousTick")].isNull());
    }

    void followerKilledMidSyncRecoversItsOldData()
    {
        QTemporaryDir dir;
        ServerProcess follower(dir.path());
        QVERIFY2(follower.start(), qPrintable(follower.errorString()));
        HttpClient f(follower.baseUrl());
        fill(f, QStringLiteral("aaa"), 3, QStringLiteral("mine"));
        fill(f, QStringLiteral("zzz"), 2, QStringLiteral("mine"));
        const StateSnapshot before = snapshot(f);
        QVERIFY2(before.error.isEmpty(), qPrintable(before.error));

        hangOnZzz = true;
        ScriptedLeader fake(brokenDumpLeader);
        // The sync hangs in the dump of "zzz": give up waiting for its answer.
        const HttpReply r = f.request("PUT", QStringLiteral("/_api/replication/sync"),
                                      QJsonDocument(QJsonObject{{"endpoint", fake.endpoint()}})
                                          .toJson(QJsonDocument::Compact),
                                      {}, 1500);
        hangOnZzz = false;
        QCOMPARE(r.status, 0); // no answer within 1.5 s
        QVERIFY(!fake.requests.filter(QStringLiteral("collection=zzz")).isEmpty());
        // While it runs, applier-state shows where it is.
        const QJsonObject st = applierState(f);
        QCOMPARE(st[QStringLiteral("phase")].toString(), QStringLiteral("syncing"));
        const QJsonObject progress = st[QStringLiteral("progress")].toObject();
        QVERIFY2(progress[QStringLiteral("message")].toString().contains(QStringLiteral("zzz")),
                 qPrintable(progress[QStringLiteral("message")].toString()));
        QCOMPARE(progress[QStringLiteral("collectionsTotal")].toDouble(), 2.0);
        QCOMPARE(progress[QStringLiteral("documentsDone")].toDouble(), 2.0);
        QCOMPARE(progress[QStringLiteral("documentsTotal")].toDouble(), 3.0);

        follower.kill(); // mid-sync, "aaa" already recreated in the open transaction
        QVERIFY2(follower.start(), qPrintable(follower.errorString()));
        f.setBase(follower.baseUrl());
        const QString d = diff(before, snapshot(f));
        QVERIFY2(d.isEmpty(), qPrintable(QStringLiteral("half a sync survived a crash:\n  ") + d));
        QVERIFY(applierState(f)[QStringLiteral("lastAppliedContinuousTick")].isNull());
    }

    // SIGTERM while a sync waits on a leader that does not answer: a clean, prompt shutdown
    // that rolls the sync back (initialSyncMaxWaitTime is 300 s by default).
    void sigtermDuringAHangingSyncShutsDownPromptly()
    {
        QTemporaryDir dir;
        ServerProcess follower(dir.path());
        QVERIFY2(follower.start(), qPrintable(follower.errorString()));
        HttpClient f(follower.baseUrl());
        fill(f, QStringLiteral("aaa"), 3, QStringLiteral("mine"));
        const StateSnapshot before = snapshot(f);
        hangOnZzz = true;
        ScriptedLeader fake(brokenDumpLeader);
        const HttpReply r = f.request("PUT", QStringLiteral("/_api/replication/sync"),
                                      QJsonDocument(QJsonObject{{"endpoint", fake.endpoint()}})
                                          .toJson(QJsonDocument::Compact),
                                      {}, 1000);
        hangOnZzz = false;
        QCOMPARE(r.status, 0);
        QCOMPARE(applierState(f)[QStringLiteral("phase")].toString(), QStringLiteral("syncing"));
        const int code = follower.stop(5000); // -1: it had to be killed
        QVERIFY2(code == 0, qPrintable(QStringLiteral("SIGTERM did not stop the server within 5 s "
                                                      "(exit %1); output: %2")
                                           .arg(code)
                                           .arg(QString::fromUtf8(follower.output().right(400)))));
        QVERIFY2(follower.start(), qPrintable(follower.errorString()));
        f.setBase(follower.baseUrl());
        const QString d = diff(before, snapshot(f));
        QVERIFY2(d.isEmpty(), qPrintable(d));
    }

    // Garbage and HTTP errors from a leader: 1401 and 1402, with what failed named.
    void leaderGarbageIs1401AndHttpErrorsAre1402()
    {
        enum class Mode
        {
            GarbageInventory,
            GarbageLog,
            FollowError
        } mode = Mode::GarbageInventory;
        ScriptedLeader fake([&](const QString &path, const QUrlQuery &) {
            using A = ScriptedLeader::Answer;
            if (path.endsWith(u"/_api/replication/server-id"))
                return A{200, R"({"serverId":"444000111222333"})", {}};
            if (path.endsWith(u"/_api/version"))
                return A{200, R"({"server":"arango","version":"3.11.0"})", {}};
            if (path.endsWith(u"/_api/replication/inventory"))
                return A{200, "<html>I am a proxy</html>", {}};
            if (path.endsWith(u"/_api/replication/logger-follow") && mode == Mode::FollowError)
                return A{
                    503, R"({"error":true,"code":503,"errorNum":503,"errorMessage":"busy"})", {}};
            if (path.endsWith(u"/_api/replication/logger-follow"))
                return A{200,
                         "this is not json\n",
                         {{"x-arango-replication-lastincluded", "50"},
                          {"x-arango-replication-lasttick", "50"},
                          {"x-arango-replication-checkmore", "false"},
                          {"x-arango-replication-frompresent", "true"}}};
            return A{404, R"({"error":true,"errorNum":404})", {}};
        });
        const StateSnapshot before = snapshot(*m_f);
        HttpReply r = m_f->put(QStringLiteral("/_api/replication/sync"),
                               QJsonObject{{"endpoint", fake.endpoint()}});
        expectError(r, 500, 1401, QStringLiteral("inventory"));
        QVERIFY(diff(before, snapshot(*m_f)).isEmpty());

        mode = Mode::GarbageLog;
        QCOMPARE(configureApplier(*m_f, fake.endpoint()).status, 200);
        QCOMPARE(m_f->put(QStringLiteral("/_api/replication/applier-start?from=10")).status, 200);
        QJsonObject st;
        QVERIFY(waitStopped(*m_f, 20000, &st));
        QCOMPARE(st[QStringLiteral("lastError")][QStringLiteral("errorNum")].toInt(), 1401);
        QVERIFY2(
            st[QStringLiteral("lastError")][QStringLiteral("errorMessage")].toString().contains(
                QStringLiteral("JSON")),
            qPrintable(QJsonDocument(st).toJson(QJsonDocument::Compact)));

        mode = Mode::FollowError;
        QCOMPARE(m_f->put(QStringLiteral("/_api/replication/applier-start?from=10")).status, 200);
        QVERIFY(waitStopped(*m_f, 20000, &st));
        QCOMPARE(st[QStringLiteral("lastError")][QStringLiteral("errorNum")].toInt(), 1402);
        const QString message =
            st[QStringLiteral("lastError")][QStringLiteral("errorMessage")].toString();
        QVERIFY2(message.contains(QStringLiteral("HTTP 503")) &&
                     message.contains(QStringLiteral("logger-follow")) &&
                     message.contains(QStringLiteral("busy")),
                 qPrintable(message));
        QVERIFY(diff(before, snapshot(*m_f)).isEmpty());
        QCOMPARE(m_f->del(QStringLiteral("/_api/replication/applier-state")).status, 200);
    }

    void dryRunChangesNothingThenSyncDoesWhatItSaid()
    {
        ServerProcess leader, follower;
        QVERIFY2(leader.start(), qPrintable(leader.errorString()));
        QVERIFY2(follower.start(), qPrintable(follower.errorString()));
        HttpClient l(leader.baseUrl()), f(follower.baseUrl());
        QCOMPARE(l.put(QStringLiteral("/_api/replication/logger-start")).status, 200);
        fill(l, QStringLiteral("shared"), 5, QStringLiteral("L"));
        fill(l, QStringLiteral("leaderOnly"), 2, QStringLiteral("L"));
        QCOMPARE(l.post(QStringLiteral("/_api/index?collection=shared"),
                        QJsonObject{
                            {"type", "persistent"}, {"fields", QJsonArray{"v"}}, {"sparse", true}})
                     .status,
                 201);
        fill(f, QStringLiteral("shared"), 7, QStringLiteral("F"));
        fill(f, QStringLiteral("localOnly"), 3, QStringLiteral("F"));
        const StateSnapshot before = snapshot(f);

        HttpReply r =
            f.put(QStringLiteral("/_api/replication/sync"), syncBody(leader, {{"dryRun", true}}));
        QVERIFY2(r.status == 200, qPrintable(statusText(r)));
        const QJsonObject plan = r.json();
        QCOMPARE(plan[QStringLiteral("dryRun")].toBool(), true);
        QCOMPARE(plan[QStringLiteral("documentsPurged")].toDouble(), 7.0);
        QCOMPARE(tickOf(plan[QStringLiteral("lastLogTick")]), lastLogTick(l));
        QMap<QString, QJsonObject> byName;
        for (const QJsonValue &v : plan[QStringLiteral("collections")].toArray())
            byName.insert(v[QStringLiteral("name")].toString(), v.toObject());
        QCOMPARE(byName.keys(), (QStringList{"leaderOnly", "localOnly", "shared"}));
        auto expectPlan = [&](const char *name, const char *action, double local, double remote) {
            const QJsonObject p = byName.value(QLatin1String(name));
            QCOMPARE(p[QStringLiteral("action")].toString(), QLatin1String(action));
            QCOMPARE(p[QStringLiteral("localDocuments")].toDouble(), local);
            QCOMPARE(p[QStringLiteral("leaderDocuments")].toDouble(), remote);
        };
        expectPlan("shared", "drop-and-recreate", 7, 5);
        expectPlan("leaderOnly", "create", 0, 2);
        expectPlan("localOnly", "keep", 3, 0);
        QString d = diff(before, snapshot(f));
        QVERIFY2(d.isEmpty(), qPrintable(QStringLiteral("the dry run changed data:\n  ") + d));
        QVERIFY(applierState(f)[QStringLiteral("lastAppliedContinuousTick")].isNull());

        // The real sync does what the dry run announced.
        r = f.put(QStringLiteral("/_api/replication/sync"), syncBody(leader));
        QVERIFY2(r.status == 200, qPrintable(statusText(r)));
        QCOMPARE(syncedNames(r), (QStringList{"leaderOnly", "shared"}));
        QCOMPARE(tickOf(r.json()[QStringLiteral("lastLogTick")]), lastLogTick(l));
        StateSnapshot expected = snapshot(l);
        expected.collections.insert(QStringLiteral("localOnly"),
                                    before.collections.value(QStringLiteral("localOnly")));
        d = diff(expected, snapshot(f));
        QVERIFY2(d.isEmpty(), qPrintable(d));

        // Progress after the sync, for a GUI: a message and complete counts.
        const QJsonObject st = applierState(f);
        const QJsonObject progress = st[QStringLiteral("progress")].toObject();
        QVERIFY2(progress[QStringLiteral("message")].toString().contains(QStringLiteral("sync")),
                 qPrintable(progress[QStringLiteral("message")].toString()));
        QVERIFY(!progress[QStringLiteral("time")].toString().isEmpty());
        QCOMPARE(progress[QStringLiteral("collectionsDone")].toDouble(), 2.0);
        QCOMPARE(progress[QStringLiteral("collectionsTotal")].toDouble(), 2.0);
        QCOMPARE(progress[QStringLiteral("documentsDone")].toDouble(), 7.0);
        QCOMPARE(progress[QStringLiteral("documentsTotal")].toDouble(), 7.0);
        QCOMPARE(st[QStringLiteral("running")].toBool(), false);
        QCOMPARE(tickOf(st[QStringLiteral("lastAppliedContinuousTick")]), lastLogTick(l));
    }

    void syncHonoursIncludeSystemAndRestrictions()
    {
        ServerProcess leader, follower;
        QVERIFY2(leader.start(), qPrintable(leader.errorString()));
        QVERIFY2(follower.start(), qPrintable(follower.errorString()));
        HttpClient l(leader.baseUrl()), f(follower.baseUrl());
        fill(l, QStringLiteral("_meta"), 1, QStringLiteral("s"));
        fill(l, QStringLiteral("plain"), 2, QStringLiteral("p"));
        fill(l, QStringLiteral("other"), 3, QStringLiteral("o"));
        auto sync = [&](const QJsonObject &extra) {
            const HttpReply r =
                f.put(QStringLiteral("/_api/replication/sync"), syncBody(leader, extra));
            return r.status == 200 ? syncedNames(r) : QStringList{statusText(r)};
        };
        QCOMPARE(sync({{"includeSystem", false}}), (QStringList{"other", "plain"}));
        QCOMPARE(f.get(QStringLiteral("/_api/collection/_meta")).status, 404);
        QCOMPARE(sync({{"restrictType", "exclude"}, {"restrictCollections", QJsonArray{"other"}}}),
                 (QStringList{"_meta", "plain"}));
        QCOMPARE(f.get(QStringLiteral("/_api/collection/_meta/count"))
                     .json()[QStringLiteral("count")]
                     .toInt(),
                 1);
        QCOMPARE(sync({{"restrictType", "include"}, {"restrictCollections", QJsonArray{"other"}}}),
                 QStringList{"other"});
        const StateSnapshot expected = snapshot(l, true);
        const QString d = diff(expected, snapshot(f, true));
        QVERIFY2(d.isEmpty(), qPrintable(d));
    }
};

QTEST_GUILESS_MAIN(TestSync)
#include "tst_sync.moc"
