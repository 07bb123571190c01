// The applier through faults, with real processes: the follower killed with SIGKILL while the
// leader writes, the leader stopped and restarted, autoStart, a different leader behind the
// same configuration. Every stop must say why, and every recovery must end in whole-state
// equality with nothing lost or applied twice.
#include "ReplicationWorkload.h"

using namespace repl::test;

class TestApplierFaults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void followerKilledMidStreamResumesWithoutLossOrDuplicates()
    {
        QTemporaryDir followerDir;
        ServerProcess leader, follower(followerDir.path());
        QVERIFY2(leader.start(), qPrintable(leader.errorString()));
        QVERIFY2(follower.start(), qPrintable(follower.errorString()));
        HttpClient l(leader.baseUrl()), f(follower.baseUrl());
        QCOMPARE(l.put(QStringLiteral("/_api/replication/logger-start")).status, 200);
        QCOMPARE(l.post(QStringLiteral("/_api/collection"), QJsonObject{{"name", "ctr"}}).status,
                 200);
        QCOMPARE(l.post(QStringLiteral("/_api/document/ctr"), QJsonObject{{"_key", "c"}, {"n", 0}})
                     .status,
                 202);
        Workload w(l, 4242, QStringLiteral("k"));
        runWorkload(w, 200);
        if (QTest::currentTestFailed())
            return;

        // The follower logs what it applies (and keeps logging after a restart), so a
        // double application would show as a revision logged twice.
        QCOMPARE(f.put(QStringLiteral("/_api/replication/logger-config"),
                       QJsonObject{{"logRemoteChanges", true}, {"autoStart", true}})
                     .status,
                 200);
        QCOMPARE(f.put(QStringLiteral("/_api/replication/logger-start")).status, 200);
        syncAndStart(f, leader, QJsonObject{{"chunkSize", 8192}});
        if (QTest::currentTestFailed())
            return;
        const quint64 syncTick = tickOf(applierState(f)[QStringLiteral("safeResumeTick")]);
        QVERIFY(syncTick > 0);

        const int patches = 1500;
        for (int i = 1; i <= patches; ++i) {
            const HttpReply r = l.patch(
                QStringLiteral("/_api/document/ctr/c"),
                QJsonDocument(QJsonObject{{"n", i}, {"seen", QJsonObject{{QString::number(i), i}}}})
                    .toJson(QJsonDocument::Compact));
            QVERIFY2(r.status == 202, qPrintable(statusText(r)));
            const QString err = w.step();
            QVERIFY2(err.isEmpty(), qPrintable(err));
            if (i == 400) {
                // Make sure the applier is busy, then kill it mid-stream.
                QVERIFY(QTest::qWaitFor(
                    [&] {
                        return tickOf(applierState(
                                   f)[QStringLiteral("lastAppliedContinuousTick")]) > syncTick;
                    },
                    20000));
                follower.kill();
                QVERIFY(!follower.isRunning());
            }
            if (i == 700) {
                // Back on the same data dir (a new port): the saved state survived.
                QVERIFY2(follower.start(), qPrintable(follower.errorString()));
                f.setBase(follower.baseUrl());
                const QJsonObject before = applierState(f);
                QCOMPARE(before[QStringLiteral("running")].toBool(), false);
                const quint64 saved = tickOf(before[QStringLiteral("lastAppliedContinuousTick")]);
                QVERIFY2(saved > syncTick, qPrintable(QString::number(saved)));
                QVERIFY(saved < lastLogTick(l));
                QCOMPARE(f.get(QStringLiteral("/_api/replication/applier-config"))
                             .json()[QStringLiteral("endpoint")]
                             .toString(),
                         endpointOf(leader));
                HttpReply r2 = f.put(QStringLiteral("/_api/replication/applier-start"));
                QVERIFY2(r2.status == 200, qPrintable(statusText(r2)));
                QCOMPARE(r2.json()[QStringLiteral("state")][QStringLiteral("running")].toBool(),
                         true);
                // Killed again as soon as it made progress through the backlog (small
                // chunks: many batches), and what it committed is still there afterwards.
                quint64 progressed = 0;
                QVERIFY(QTest::qWaitFor(
                    [&] {
                        progressed =
                            tickOf(applierState(f)[QStringLiteral("lastAppliedContinuousTick")]);
                        return progressed > saved;
                    },
                    20000));
                follower.kill();
                QVERIFY2(follower.start(), qPrintable(follower.errorString()));
                f.setBase(follower.baseUrl());
                QVERIFY(tickOf(applierState(f)[QStringLiteral("lastAppliedContinuousTick")]) >=
                        progressed);
                r2 = f.put(QStringLiteral("/_api/replication/applier-start"));
                QVERIFY2(r2.status == 200, qPrintable(statusText(r2)));
            }
            if (i == 1100) {
                // A second crash while it catches up, and an immediate restart.
                follower.kill();
                QVERIFY2(follower.start(), qPrintable(follower.errorString()));
                f.setBase(follower.baseUrl());
                QCOMPARE(applierState(f)[QStringLiteral("running")].toBool(), false);
                QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-start")).status, 200);
            }
        }
        expectEqual(l, f, "after two kills");
        if (QTest::currentTestFailed())
            return;

        const QJsonObject counter = f.get(QStringLiteral("/_api/document/ctr/c")).json();
        QCOMPARE(counter[QStringLiteral("n")].toInt(), patches);
        QCOMPARE(counter[QStringLiteral("seen")].toObject().size(), patches);

        // No revision was applied (and so logged by the follower) twice.
        QHash<QString, int> logged;
        int ctrVersions = 0;
        QString from = QStringLiteral("0");
        for (int round = 0; round < 1000; ++round) {
            const HttpReply r = f.get(
                QStringLiteral("/_api/replication/logger-follow?chunkSize=4194304&from=") + from);
            QVERIFY(r.status == 200 || r.status == 204);
            if (r.status == 204)
                break;
            for (const QJsonObject &e : r.lines()) {
                const int type = e[QStringLiteral("type")].toInt();
                if (type != 2300 && type != 2302)
                    continue;
                const QString id = e[QStringLiteral("cname")].toString() + u'/' +
                                   e[QStringLiteral("key")].toString() + u'@' +
                                   e[QStringLiteral("rev")].toString();
                QVERIFY2(++logged[id] == 1, qPrintable(id + QStringLiteral(" applied twice")));
                if (id.startsWith(QStringLiteral("ctr/c@")))
                    ++ctrVersions;
            }
            from = QString::fromUtf8(r.header("x-arango-replication-lastincluded"));
        }
        QVERIFY(logged.size() > 1000);
        // Every patch after the sync arrived exactly once (the sync copied one version).
        QCOMPARE(ctrVersions, patches + 1);
    }

    void leaderStoppedThenBackOnNewPort()
    {
        QTemporaryDir leaderDir;
        ServerProcess leader(leaderDir.path()), follower;
        QVERIFY2(leader.start(), qPrintable(leader.errorString()));
        QVERIFY2(follower.start(), qPrintable(follower.errorString()));
        HttpClient l(leader.baseUrl()), f(follower.baseUrl());
        QCOMPARE(l.put(QStringLiteral("/_api/replication/logger-config"),
                       QJsonObject{{"autoStart", true}})
                     .status,
                 200);
        QCOMPARE(l.put(QStringLiteral("/_api/replication/logger-start")).status, 200);
        Workload w(l, 99, QStringLiteral("r"));
        runWorkload(w, 200);
        if (QTest::currentTestFailed())
            return;
        syncAndStart(f, leader, QJsonObject{{"maxConnectRetries", 3}});
        if (QTest::currentTestFailed())
            return;
        runWorkload(w, 300);
        if (QTest::currentTestFailed())
            return;
        expectEqual(l, f, "before the leader stops");
        if (QTest::currentTestFailed())
            return;

        const QString oldEndpoint = endpointOf(leader);
        QCOMPARE(leader.stop(), 0);
        QJsonObject st;
        QVERIFY2(waitStopped(f, 20000, &st),
                 qPrintable(QJsonDocument(st).toJson(QJsonDocument::Compact)));
        QCOMPARE(st[QStringLiteral("phase")].toString(), QStringLiteral("stopped"));
        const QJsonObject err = st[QStringLiteral("lastError")].toObject();
        QCOMPARE(err[QStringLiteral("errorNum")].toInt(), 1400);
        const QString message = err[QStringLiteral("errorMessage")].toString();
        QVERIFY2(message.contains(QStringLiteral("127.0.0.1:%1").arg(QUrl(oldEndpoint).port())),
                 qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("no response")), qPrintable(message));
        QVERIFY(!err[QStringLiteral("time")].toString().isEmpty());
        QVERIFY(st[QStringLiteral("totalFailedConnects")].toDouble() > 3);
        QVERIFY(st[QStringLiteral("progress")][QStringLiteral("failedConnects")].toDouble() > 3);
        QVERIFY(st[QStringLiteral("progress")][QStringLiteral("message")].toString().contains(
            QStringLiteral("stopped")));

        // Back on the same data dir: same serverId, new port, logging again (autoStart).
        QVERIFY2(leader.start(), qPrintable(leader.errorString()));
        l.setBase(leader.baseUrl());
        QCOMPARE(l.get(QStringLiteral("/_api/replication/logger-state"))
                     .json()[QStringLiteral("state")][QStringLiteral("running")]
                     .toBool(),
                 true);
        runWorkload(w, 300);
        if (QTest::currentTestFailed())
            return;
        HttpReply r = f.put(QStringLiteral("/_api/replication/applier-config"),
                            QJsonObject{{"endpoint", endpointOf(leader)}});
        QVERIFY2(r.status == 200, qPrintable(statusText(r)));
        r = f.put(QStringLiteral("/_api/replication/applier-start"));
        QVERIFY2(r.status == 200, qPrintable(statusText(r)));
        expectEqual(l, f, "after the leader came back");
        if (QTest::currentTestFailed())
            return;
        st = applierState(f);
        QCOMPARE(st[QStringLiteral("running")].toBool(), true);
        QCOMPARE(st[QStringLiteral("lastError")][QStringLiteral("errorNum")].toInt(), 0);
        QCOMPARE(st[QStringLiteral("totalFailedConnects")].toDouble(), 0.0);
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-stop")).status, 200);
    }

    // autoStart: a configured applier starts with the server (with the stored password).
    void autoStartResumesWithTheServer()
    {
        QTemporaryDir dir;
        ServerProcess leader, follower(dir.path());
        QVERIFY2(leader.start(), qPrintable(leader.errorString()));
        QVERIFY2(follower.start(), qPrintable(follower.errorString()));
        HttpClient l(leader.baseUrl()), f(follower.baseUrl());
        QCOMPARE(l.put(QStringLiteral("/_api/replication/logger-start")).status, 200);
        Workload w(l, 5150, QStringLiteral("a"));
        runWorkload(w, 100);
        if (QTest::currentTestFailed())
            return;
        syncAndStart(f, leader, QJsonObject{{"autoStart", true}});
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(follower.stop(), 0);
        runWorkload(w, 200); // written while the follower is down
        if (QTest::currentTestFailed())
            return;
        QVERIFY2(follower.start(), qPrintable(follower.errorString()));
        f.setBase(follower.baseUrl());
        QCOMPARE(applierState(f)[QStringLiteral("running")].toBool(), true); // nobody started it
        expectEqual(l, f, "after an automatic start");
    }

    void differentLeaderBehindTheEndpointStopsWith1404()
    {
        ServerProcess leader, other, follower;
        QVERIFY2(leader.start(), qPrintable(leader.errorString()));
        QVERIFY2(other.start(), qPrintable(other.errorString()));
        QVERIFY2(follower.start(), qPrintable(follower.errorString()));
        HttpClient l(leader.baseUrl()), o(other.baseUrl()), f(follower.baseUrl());
        QCOMPARE(l.put(QStringLiteral("/_api/replication/logger-start")).status, 200);
        QCOMPARE(o.put(QStringLiteral("/_api/replication/logger-start")).status, 200);
        QCOMPARE(l.post(QStringLiteral("/_api/collection"), QJsonObject{{"name", "a"}}).status,
                 200);
        syncAndStart(f, leader);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-stop")).status, 200);
        QCOMPARE(configureApplier(f, other).status, 200);
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-start")).status, 200);
        QJsonObject st;
        QVERIFY(waitStopped(f, 20000, &st));
        QCOMPARE(st[QStringLiteral("lastError")][QStringLiteral("errorNum")].toInt(), 1404);
        const QString message =
            st[QStringLiteral("lastError")][QStringLiteral("errorMessage")].toString();
        QVERIFY2(message.contains(other.serverIdFromBanner()) &&
                     message.contains(leader.serverIdFromBanner()),
                 qPrintable(message));
        // Forgetting the state allows a fresh start against the new leader.
        HttpReply r = f.del(QStringLiteral("/_api/replication/applier-state"));
        QCOMPARE(r.status, 200);
        QVERIFY(r.json()[QStringLiteral("state")][QStringLiteral("lastAppliedContinuousTick")]
                    .isNull());
        r = f.put(QStringLiteral("/_api/replication/applier-start?from=%1").arg(lastLogTick(o)));
        QCOMPARE(r.status, 200);
        QCOMPARE(
            o.post(QStringLiteral("/_api/collection"), QJsonObject{{"name", "fromOther"}}).status,
            200);
        QString why;
        QVERIFY2(waitApplied(f, lastLogTick(o), 20000, &why), qPrintable(why));
        QCOMPARE(f.get(QStringLiteral("/_api/collection/fromOther")).status, 200);
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-stop")).status, 200);
    }
};

QTEST_GUILESS_MAIN(TestApplierFaults)
#include "tst_applier_faults.moc"
