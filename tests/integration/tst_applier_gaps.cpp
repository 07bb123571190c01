// Gaps in what a follower sees of the leader's log: retention pruned the ticks it needs
// (1414, or an automatic resync with autoResync), and a leader transaction that spans
// follow answers when the applier is stopped or killed in the middle of it.
#include "ReplicationWorkload.h"

using namespace repl::test;

class TestApplierGaps : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void prunedLogStopsWith1414ThenSyncRecovers()
    {
        ServerProcess leader, follower;
        QVERIFY2(leader.start(), qPrintable(leader.errorString()));
        QVERIFY2(follower.start(), qPrintable(follower.errorString()));
        HttpClient l(leader.baseUrl()), f(follower.baseUrl());
        QCOMPARE(l.put(QStringLiteral("/_api/replication/logger-config"),
                       QJsonObject{{"maxEvents", 200}})
                     .status,
                 200);
        QCOMPARE(l.put(QStringLiteral("/_api/replication/logger-start")).status, 200);
        QCOMPARE(l.post(QStringLiteral("/_api/collection"), QJsonObject{{"name", "steady"}}).status,
                 200);
        // While the follower keeps up, single writes: one bulk step could exceed maxEvents
        // by itself and prune events no follower has fetched yet.
        auto steadyWrites = [&](int n) {
            for (int i = 0; i < n; ++i)
                QCOMPARE(
                    l.post(QStringLiteral("/_api/document/steady"), QJsonObject{{"i", i}}).status,
                    202);
        };
        Workload w(l, 1414, QStringLiteral("p"));
        runWorkload(w, 100);
        if (QTest::currentTestFailed())
            return;
        syncAndStart(f, leader);
        if (QTest::currentTestFailed())
            return;
        steadyWrites(20);
        if (QTest::currentTestFailed())
            return;
        expectEqual(l, f, "before the stop");
        if (QTest::currentTestFailed())
            return;
        HttpReply r = f.put(QStringLiteral("/_api/replication/applier-stop"));
        QCOMPARE(r.json()[QStringLiteral("state")][QStringLiteral("lastError")]
                         [QStringLiteral("errorNum")]
                             .toInt(),
                 1412);
        const quint64 resumeAt =
            tickOf(applierState(f)[QStringLiteral("lastProcessedContinuousTick")]);
        const StateSnapshot followerBefore = snapshot(f);
        QVERIFY2(followerBefore.error.isEmpty(), qPrintable(followerBefore.error));

        // The leader writes far more than it keeps: the follower's position is gone.
        runWorkload(w, 300);
        if (QTest::currentTestFailed())
            return;
        const HttpReply probe =
            l.get(QStringLiteral("/_api/replication/logger-follow?from=%1").arg(resumeAt));
        QCOMPARE(probe.header("x-arango-replication-frompresent"), QByteArray("false"));

        r = f.put(QStringLiteral("/_api/replication/applier-start"));
        QVERIFY2(r.status == 200, qPrintable(statusText(r)));
        QJsonObject st;
        QVERIFY2(waitStopped(f, 20000, &st),
                 qPrintable(QJsonDocument(st).toJson(QJsonDocument::Compact)));
        const QJsonObject err = st[QStringLiteral("lastError")].toObject();
        QCOMPARE(err[QStringLiteral("errorNum")].toInt(), 1414);
        const QString message = err[QStringLiteral("errorMessage")].toString();
        QVERIFY2(message.contains(QStringLiteral("sync")), qPrintable(message));
        QVERIFY2(message.contains(QString::number(resumeAt)), qPrintable(message));
        // Nothing from after the gap was applied.
        QString d = diff(followerBefore, snapshot(f));
        QVERIFY2(d.isEmpty(),
                 qPrintable(QStringLiteral("the refused start changed data:\n  ") + d));
        QCOMPARE(tickOf(st[QStringLiteral("lastAppliedContinuousTick")]), resumeAt);

        // The cure the message names: a sync, then the applier from the sync's tick. A sync
        // keeps local collections the leader does not have (here: ones the leader dropped or
        // renamed during the gap); the dry run names them, and they are all that differs.
        r = f.put(QStringLiteral("/_api/replication/sync"), syncBody(leader, {{"dryRun", true}}));
        QVERIFY2(r.status == 200, qPrintable(statusText(r)));
        QSet<QString> kept;
        for (const QJsonValue &v : r.json()[QStringLiteral("collections")].toArray())
            if (v[QStringLiteral("action")].toString() == u"keep")
                kept.insert(v[QStringLiteral("name")].toString());
        r = f.put(QStringLiteral("/_api/replication/sync"), syncBody(leader));
        QVERIFY2(r.status == 200, qPrintable(statusText(r)));
        r = f.put(QStringLiteral("/_api/replication/applier-start"));
        QVERIFY2(r.status == 200, qPrintable(statusText(r)));
        steadyWrites(30);
        if (QTest::currentTestFailed())
            return;
        QString why;
        QVERIFY2(waitApplied(f, lastLogTick(l), 60000, &why), qPrintable(why));
        const StateSnapshot expected = snapshot(l);
        StateSnapshot actual = snapshot(f);
        QSet<QString> leftovers;
        for (const QString &name : actual.collections.keys())
            if (!expected.collections.contains(name))
                leftovers.insert(name);
        QCOMPARE(leftovers, kept);
        for (const QString &name : std::as_const(leftovers)) {
            QVERIFY(followerBefore.collections.contains(name));
            QCOMPARE(actual.collections.take(name).documents,
                     followerBefore.collections[name].documents);
        }
        d = diff(expected, actual);
        QVERIFY2(d.isEmpty(), qPrintable(QStringLiteral("after the resync:\n  ") + d));
        QCOMPARE(applierState(f)[QStringLiteral("lastError")][QStringLiteral("errorNum")].toInt(),
                 0);
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-stop")).status, 200);
    }

    // A leader transaction (2200 … 2201) that spans follow answers: the follower holds the
    // open part in memory. Stopped or killed in between, it must resume before the
    // transaction's start (safeResumeTick), or the part it held is lost.
    void resumeInsideAnOpenLeaderTransactionLosesNothing_data()
    {
        QTest::addColumn<bool>("crash");
        QTest::newRow("applier-stop") << false;
        QTest::newRow("kill -9") << true;
    }

    void resumeInsideAnOpenLeaderTransactionLosesNothing()
    {
        QFETCH(bool, crash);
        auto event = [](int tick, int type, const char *key) {
            QJsonObject e{{"tick", QString::number(tick)}, {"type", type}, {"database", "1"}};
            if (type == 2000) {
                e.insert(QStringLiteral("cid"), QStringLiteral("77"));
                e.insert(QStringLiteral("collection"),
                         QJsonObject{{"name", "tx"}, {"cid", "77"}, {"type", 2}});
            } else {
                e.insert(QStringLiteral("tid"), QStringLiteral("20")); // all in transaction 20
            }
            if (type == 2300) {
                const QString rev = QStringLiteral("_rev%1").arg(tick);
                e.insert(QStringLiteral("cid"), QStringLiteral("77"));
                e.insert(QStringLiteral("cname"), QStringLiteral("tx"));
                e.insert(QStringLiteral("key"), QLatin1String(key));
                e.insert(QStringLiteral("rev"), rev);
                e.insert(QStringLiteral("data"),
                         QJsonObject{{"_key", QLatin1String(key)}, {"_rev", rev}, {"v", tick}});
            }
            return qMakePair(tick, QJsonDocument(e).toJson(QJsonDocument::Compact) + '\n');
        };
        // Ticks 10 (create tx), 20 (begin), 21, 22 visible first; 23 and 24 (commit) later.
        const QList<QPair<int, QByteArray>> log{event(10, 2000, ""),  event(20, 2200, ""),
                                                event(21, 2300, "a"), event(22, 2300, "b"),
                                                event(23, 2300, "c"), event(24, 2201, "")};
        int visible = 4;
        QList<quint64> follows;
        ScriptedLeader leader([&](const QString &path, const QUrlQuery &q) {
            using A = ScriptedLeader::Answer;
            if (path.endsWith(u"/_api/replication/server-id"))
                return A{200, R"({"serverId":"555000111222333"})", {}};
            if (path.endsWith(u"/_api/version")) // not repldesk: adaptive polling
                return A{200, R"({"server":"arango","version":"3.11.0"})", {}};
            if (!path.endsWith(u"/_api/replication/logger-follow"))
                return A{404, R"({"error":true,"errorNum":404})", {}};
            const quint64 from = q.queryItemValue(QStringLiteral("from")).toULongLong();
            follows << from;
            QByteArray body;
            int last = 0;
            for (int i = 0; i < visible; ++i)
                if (quint64(log[i].first) > from) {
                    body += log[i].second;
                    last = log[i].first;
                }
            const QByteArray lastTick = QByteArray::number(log[visible - 1].first);
            return A{body.isEmpty() ? 204 : 200,
                     body,
                     {{"x-arango-replication-lastincluded", QByteArray::number(last)},
                      {"x-arango-replication-lasttick", lastTick},
                      {"x-arango-replication-checkmore", "false"},
                      {"x-arango-replication-frompresent", "true"},
                      {"x-arango-replication-active", "true"}}};
        });
        QTemporaryDir dir;
        ServerProcess follower(dir.path());
        QVERIFY2(follower.start(), qPrintable(follower.errorString()));
        HttpClient f(follower.baseUrl());
        QCOMPARE(configureApplier(f, leader.endpoint()).status, 200);
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-start?from=5")).status, 200);
        QJsonObject st;
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         st = applierState(f);
                         return tickOf(st[QStringLiteral("lastProcessedContinuousTick")]) >= 22;
                     },
                     20000),
                 qPrintable(QJsonDocument(st).toJson(QJsonDocument::Compact)));
        // The collection exists; the uncommitted transaction is not visible yet.
        QCOMPARE(f.get(QStringLiteral("/_api/collection/tx/count"))
                     .json()[QStringLiteral("count")]
                     .toInt(-1),
                 0);
        QVERIFY2(tickOf(st[QStringLiteral("safeResumeTick")]) < 20,
                 qPrintable(QJsonDocument(st).toJson(QJsonDocument::Compact)));

        if (crash) {
            follower.kill();
            QVERIFY2(follower.start(), qPrintable(follower.errorString()));
            f.setBase(follower.baseUrl());
        } else {
            QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-stop")).status, 200);
        }
        visible = log.size(); // the rest of the transaction and its commit arrive
        const qsizetype before = follows.size();
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-start")).status, 200);
        QString why;
        QVERIFY2(waitApplied(f, 24, 20000, &why), qPrintable(why));
        QVERIFY(follows.size() > before);
        // Against a leader that is not repldesk, no long-poll parameter: plain polling.
        QVERIFY(!leader.requests.filter(QStringLiteral("logger-follow")).isEmpty());
        QVERIFY(leader.requests.filter(QStringLiteral("waitMs")).isEmpty());
        QVERIFY2(follows.at(before) < 20,
                 qPrintable(QStringLiteral("resumed with from=%1, inside the open transaction "
                                           "that began at tick 20")
                                .arg(follows.at(before))));
        for (const char *key : {"a", "b", "c"})
            QVERIFY2(f.get(QStringLiteral("/_api/document/tx/%1").arg(QLatin1String(key))).status ==
                         200,
                     key);
        QCOMPARE(f.get(QStringLiteral("/_api/collection/tx/count"))
                     .json()[QStringLiteral("count")]
                     .toInt(),
                 3);
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-stop")).status, 200);
    }

    // A leader transaction the leader aborted (2202) is discarded; what follows is applied.
    void abortedLeaderTransactionIsDiscarded()
    {
        QList<QByteArray> log{
            R"({"tick":"10","type":2000,"database":"1","cid":"77","collection":{"name":"tx","cid":"77","type":2}})",
            R"({"tick":"20","type":2200,"database":"1","tid":"20"})",
            R"({"tick":"21","type":2300,"database":"1","tid":"20","cid":"77","cname":"tx","key":"gone","rev":"_r21","data":{"_key":"gone","_rev":"_r21"}})",
            R"({"tick":"22","type":2202,"database":"1","tid":"20"})",
            R"({"tick":"23","type":2300,"database":"1","tid":"0","cid":"77","cname":"tx","key":"kept","rev":"_r23","data":{"_key":"kept","_rev":"_r23"}})"};
        ScriptedLeader leader([&](const QString &path, const QUrlQuery &q) {
            using A = ScriptedLeader::Answer;
            if (path.endsWith(u"/_api/replication/server-id"))
                return A{200, R"({"serverId":"555000111222444"})", {}};
            if (path.endsWith(u"/_api/version"))
                return A{200, R"({"server":"arango","version":"3.11.0"})", {}};
            if (!path.endsWith(u"/_api/replication/logger-follow"))
                return A{404, R"({"error":true,"errorNum":404})", {}};
            const bool fresh = q.queryItemValue(QStringLiteral("from")).toULongLong() < 23;
            const QByteArray body = fresh ? log.join('\n') + '\n' : QByteArray();
            return A{fresh ? 200 : 204,
                     body,
                     {{"x-arango-replication-lastincluded", fresh ? "23" : "0"},
                      {"x-arango-replication-lasttick", "23"},
                      {"x-arango-replication-checkmore", "false"},
                      {"x-arango-replication-frompresent", "true"}}};
        });
        ServerProcess follower;
        QVERIFY2(follower.start(), qPrintable(follower.errorString()));
        HttpClient f(follower.baseUrl());
        QCOMPARE(configureApplier(f, leader.endpoint()).status, 200);
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-start?from=5")).status, 200);
        QString why;
        QVERIFY2(waitApplied(f, 23, 20000, &why), qPrintable(why));
        QCOMPARE(f.get(QStringLiteral("/_api/document/tx/kept")).status, 200);
        QCOMPARE(f.get(QStringLiteral("/_api/document/tx/gone")).status, 404);
        QCOMPARE(f.get(QStringLiteral("/_api/collection/tx/count"))
                     .json()[QStringLiteral("count")]
                     .toInt(),
                 1);
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-stop")).status, 200);
    }

    // autoResync: "full resync if tick gone" (spec §9), also with requireFromPresent at its
    // default (true), as in ArangoDB: the applier resyncs instead of stopping with 1414.
    void autoResyncRecoversFromAPrunedLog_data()
    {
        QTest::addColumn<bool>("requireFromPresent");
        QTest::newRow("requireFromPresent default (true)") << true;
        QTest::newRow("requireFromPresent false") << false;
    }

    void autoResyncRecoversFromAPrunedLog()
    {
        QFETCH(bool, requireFromPresent);
        ServerProcess leader, follower;
        QVERIFY2(leader.start(), qPrintable(leader.errorString()));
        QVERIFY2(follower.start(), qPrintable(follower.errorString()));
        HttpClient l(leader.baseUrl()), f(follower.baseUrl());
        QCOMPARE(l.put(QStringLiteral("/_api/replication/logger-config"),
                       QJsonObject{{"maxEvents", 100}})
                     .status,
                 200);
        QCOMPARE(l.put(QStringLiteral("/_api/replication/logger-start")).status, 200);
        QCOMPARE(l.post(QStringLiteral("/_api/collection"), QJsonObject{{"name", "steady"}}).status,
                 200);
        for (int i = 0; i < 20; ++i)
            QCOMPARE(l.post(QStringLiteral("/_api/document/steady"),
                            QJsonObject{{"_key", QStringLiteral("k%1").arg(i)}, {"i", i}})
                         .status,
                     202);
        syncAndStart(f, leader,
                     QJsonObject{{"autoResync", true}, {"requireFromPresent", requireFromPresent}});
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-stop")).status, 200);

        // The gap: far more events than the leader keeps (no drops or renames, which a sync
        // would leave behind as local collections).
        QCOMPARE(l.post(QStringLiteral("/_api/collection"), QJsonObject{{"name", "late"}}).status,
                 200);
        for (int i = 0; i < 150; ++i) {
            QCOMPARE(l.post(QStringLiteral("/_api/document/late"), QJsonObject{{"i", i}}).status,
                     202);
            QCOMPARE(l.patch(QStringLiteral("/_api/document/steady/k%1").arg(i % 20),
                             QByteArray(R"({"touched":true})"))
                         .status,
                     202);
        }
        QCOMPARE(l.del(QStringLiteral("/_api/document/steady/k3")).status, 202);

        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-start")).status, 200);
        QJsonObject st;
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         st = applierState(f);
                         return st[QStringLiteral("totalResyncs")].toDouble() >= 1 ||
                                !st[QStringLiteral("running")].toBool();
                     },
                     20000),
                 qPrintable(QJsonDocument(st).toJson(QJsonDocument::Compact)));
        QVERIFY2(st[QStringLiteral("running")].toBool(),
                 qPrintable(QStringLiteral("stopped instead of resyncing: ") +
                            QJsonDocument(st).toJson(QJsonDocument::Compact)));
        for (int i = 0; i < 10; ++i) // and it follows on after the resync
            QCOMPARE(
                l.post(QStringLiteral("/_api/document/steady"), QJsonObject{{"after", i}}).status,
                202);
        expectEqual(l, f, "after the automatic resync");
        if (QTest::currentTestFailed())
            return;
        st = applierState(f);
        QCOMPARE(st[QStringLiteral("totalResyncs")].toDouble(), 1.0);
        QCOMPARE(st[QStringLiteral("lastError")][QStringLiteral("errorNum")].toInt(), 0);
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-stop")).status, 200);
    }
};

QTEST_GUILESS_MAIN(TestApplierGaps)
#include "tst_applier_gaps.moc"
