// The applier against two (or three) real repldesk-server processes: sync, then thousands of
// mixed leader operations followed continuously, ending in whole-state equality; restricted
// appliers; a chain leader → F1 → F2 through logRemoteChanges.
#include "ReplicationWorkload.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkReply>

using namespace repl::test;

namespace {

// Writes to one collection of the leader in the background (the test's event loop runs it,
// also while a blocking HttpClient call waits): several lanes, each a sequence of insert,
// patch, insert, remove on its own keys, so every write must succeed.
class BackgroundWriter : public QObject
{
public:
    BackgroundWriter(QUrl base, QString collection, int lanes)
        : m_base(std::move(base))
        , m_collection(std::move(collection))
        , m_lanes(lanes)
    {}

    void start()
    {
        m_running = true;
        for (int lane = 0; lane < m_lanes; ++lane)
            next(lane, 0);
    }
    void stop() { m_running = false; }
    int acknowledged() const { return m_acknowledged; }
    int inFlight() const { return m_inFlight; }
    QString firstError() const { return m_error; }

private:
    void next(int lane, int step)
    {
        if (!m_running)
            return;
        const QString key = QStringLiteral("l%1_%2").arg(lane).arg(step / 2 * 2);
        QUrl url = m_base;
        QByteArray method = "POST", body;
        switch (step % 4) {
        case 0:
        case 2:
            url.setPath(QStringLiteral("/_api/document/") + m_collection);
            body = QJsonDocument(QJsonObject{{"_key", QStringLiteral("l%1_%2").arg(lane).arg(step)},
                                             {"lane", lane},
                                             {"step", step}})
                       .toJson(QJsonDocument::Compact);
            break;
        case 1:
            method = "PATCH";
            url.setPath(QStringLiteral("/_api/document/%1/%2").arg(m_collection, key));
            body = QJsonDocument(QJsonObject{{"patched", step}}).toJson(QJsonDocument::Compact);
            break;
        default:
            method = "DELETE";
            url.setPath(QStringLiteral("/_api/document/%1/%2").arg(m_collection, key));
        }
        QNetworkRequest req(url);
        req.setRawHeader("Authorization",
                         "Basic " + ("root:" + ServerProcess::password().toUtf8()).toBase64());
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        ++m_inFlight;
        QNetworkReply *reply = m_nam.sendCustomRequest(req, method, body);
        connect(reply, &QNetworkReply::finished, this, [this, reply, lane, step] {
            --m_inFlight;
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            reply->deleteLater();
            if (status != 202) {
                if (m_error.isEmpty())
                    m_error =
                        QStringLiteral("lane %1 step %2: HTTP %3").arg(lane).arg(step).arg(status);
                return;
            }
            ++m_acknowledged;
            next(lane, step + 1);
        });
    }

    QNetworkAccessManager m_nam;
    QUrl m_base;
    QString m_collection;
    int m_lanes;
    bool m_running = false;
    int m_acknowledged = 0;
    int m_inFlight = 0;
    QString m_error;
};

} // namespace

class TestApplier : public QObject
{
    Q_OBJECT

private:
    static QStringList namesOf(const QJsonArray &collections)
    {
        QStringList names;
        for (const QJsonValue &v : collections)
            names << v.toObject().value(QStringLiteral("name")).toString();
        names.sort();
        return names;
    }

private Q_SLOTS:
    void syncThenApplierThroughMixedOperationsEndsEqual()
    {
        ServerProcess leader, follower;
        QVERIFY2(leader.start(), qPrintable(leader.errorString()));
        QVERIFY2(follower.start(), qPrintable(follower.errorString()));
        HttpClient l(leader.baseUrl()), f(follower.baseUrl());
        QCOMPARE(l.put(QStringLiteral("/_api/replication/logger-start")).status, 200);

        // Something worth copying first: documents, edges, indexes, renamed and dropped ones.
        Workload w(l, 20240601);
        runWorkload(w, 400);
        if (QTest::currentTestFailed())
            return;
        const StateSnapshot beforeSync = snapshot(l);
        QVERIFY2(beforeSync.error.isEmpty(), qPrintable(beforeSync.error));
        QVERIFY(beforeSync.documentCount() > 200);

        HttpReply r = f.put(QStringLiteral("/_api/replication/sync"), syncBody(leader));
        QVERIFY2(r.status == 200, qPrintable(statusText(r)));
        const QJsonObject sync = r.json();
        QCOMPARE(namesOf(sync.value(QStringLiteral("collections")).toArray()),
                 beforeSync.collections.keys());
        for (const QJsonValue &v : sync.value(QStringLiteral("collections")).toArray())
            QVERIFY(v.toObject().value(QStringLiteral("id")).toString().toLongLong() > 0);
        const quint64 syncTick = tickOf(sync.value(QStringLiteral("lastLogTick")));
        QCOMPARE(syncTick, lastLogTick(l));
        QString d = diff(beforeSync, snapshot(f));
        QVERIFY2(d.isEmpty(), qPrintable(QStringLiteral("after sync:\n  ") + d));
        QCOMPARE(tickOf(applierState(f).value(QStringLiteral("lastAppliedContinuousTick"))),
                 syncTick);

        // The applier resumes from the sync's tick and follows while the leader keeps writing.
        r = configureApplier(f, leader);
        QVERIFY2(r.status == 200, qPrintable(statusText(r)));
        r = f.put(QStringLiteral("/_api/replication/applier-start"));
        QVERIFY2(r.status == 200, qPrintable(statusText(r)));
        QCOMPARE(r.json()[QStringLiteral("state")][QStringLiteral("running")].toBool(), true);
        runWorkload(w, 2600);
        if (QTest::currentTestFailed())
            return;
        QVERIFY2(w.operations() > 3000, qPrintable(QString::number(w.operations())));

        const quint64 target = lastLogTick(l);
        QString why;
        QVERIFY2(waitApplied(f, target, 60000, &why), qPrintable(why));
        const StateSnapshot expected = snapshot(l);
        QVERIFY2(expected.error.isEmpty(), qPrintable(expected.error));
        QVERIFY(expected.collections.size() >= 3);
        d = diff(expected, snapshot(f));
        QVERIFY2(d.isEmpty(), qPrintable(QStringLiteral("after the applier:\n  ") + d));

        // What the applier reports about itself.
        const QJsonObject full = f.get(QStringLiteral("/_api/replication/applier-state")).json();
        const QJsonObject st = full.value(QStringLiteral("state")).toObject();
        QCOMPARE(st.value(QStringLiteral("running")).toBool(), true);
        QCOMPARE(st.value(QStringLiteral("phase")).toString(), QStringLiteral("running"));
        QCOMPARE(
            st.value(QStringLiteral("lastError")).toObject()[QStringLiteral("errorNum")].toInt(),
            0);
        QVERIFY(tickOf(st.value(QStringLiteral("lastProcessedContinuousTick"))) >= target);
        QVERIFY(tickOf(st.value(QStringLiteral("lastAvailableContinuousTick"))) >= target);
        QVERIFY(tickOf(st.value(QStringLiteral("safeResumeTick"))) >= target);
        QCOMPARE(st.value(QStringLiteral("ticksBehind")).toDouble(-1), 0.0);
        QVERIFY(st.value(QStringLiteral("totalEvents")).toDouble() > 2000);
        QVERIFY(st.value(QStringLiteral("totalDocuments")).toDouble() > 1000);
        QVERIFY(st.value(QStringLiteral("totalRemovals")).toDouble() > 100);
        QVERIFY(st.value(QStringLiteral("totalRequests")).toDouble() >= 2);
        QCOMPARE(st.value(QStringLiteral("totalFailedConnects")).toDouble(), 0.0);
        QVERIFY(!st.value(QStringLiteral("progress"))
                     .toObject()
                     .value(QStringLiteral("message"))
                     .toString()
                     .isEmpty());
        QCOMPARE(full[QStringLiteral("server")][QStringLiteral("serverId")].toString(),
                 follower.serverIdFromBanner());
        QCOMPARE(full[QStringLiteral("endpoint")].toString(), endpointOf(leader));
        QCOMPARE(full[QStringLiteral("database")].toString(), QStringLiteral("_system"));

        // The applier identifies itself to the leader, which lists it among its clients.
        bool listed = false;
        for (const QJsonValue &c : l.get(QStringLiteral("/_api/replication/logger-state"))
                                       .json()[QStringLiteral("clients")]
                                       .toArray())
            listed |= c[QStringLiteral("serverId")].toString() == follower.serverIdFromBanner();
        QVERIFY(listed);

        // An operator stop says so.
        r = f.put(QStringLiteral("/_api/replication/applier-stop"));
        QCOMPARE(r.status, 200);
        const QJsonObject stopped = r.json()[QStringLiteral("state")].toObject();
        QCOMPARE(stopped[QStringLiteral("running")].toBool(), false);
        QCOMPARE(stopped[QStringLiteral("phase")].toString(), QStringLiteral("stopped"));
        QCOMPARE(stopped[QStringLiteral("lastError")][QStringLiteral("errorNum")].toInt(), 1412);
        QVERIFY(!stopped[QStringLiteral("lastError")][QStringLiteral("errorMessage")]
                     .toString()
                     .isEmpty());
        QVERIFY(!stopped[QStringLiteral("ticksBehind")].isDouble()); // only while running
    }

    // "Replays are idempotent": started again from an older tick (here the sync's), the
    // applier re-reads events it has applied, including ones for collections that were
    // renamed or dropped since, and the state stays the leader's.
    void replayFromAnOlderTickChangesNothing()
    {
        ServerProcess leader, follower;
        QVERIFY2(leader.start(), qPrintable(leader.errorString()));
        QVERIFY2(follower.start(), qPrintable(follower.errorString()));
        HttpClient l(leader.baseUrl()), f(follower.baseUrl());
        QCOMPARE(l.put(QStringLiteral("/_api/replication/logger-start")).status, 200);
        Workload w(l, 8080, QStringLiteral("re"));
        runWorkload(w, 100);
        if (QTest::currentTestFailed())
            return;
        HttpReply r = f.put(QStringLiteral("/_api/replication/sync"), syncBody(leader));
        QVERIFY2(r.status == 200, qPrintable(statusText(r)));
        const QString syncTick = r.json()[QStringLiteral("lastLogTick")].toString();
        QCOMPARE(configureApplier(f, leader).status, 200);
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-start")).status, 200);
        runWorkload(w, 800);
        if (QTest::currentTestFailed())
            return;
        expectEqual(l, f, "first pass");
        if (QTest::currentTestFailed())
            return;
        const StateSnapshot once = snapshot(f);
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-stop")).status, 200);

        r = f.put(QStringLiteral("/_api/replication/applier-start?from=") + syncTick);
        QCOMPARE(r.status, 200);
        QString why;
        QVERIFY2(waitApplied(f, lastLogTick(l), 30000, &why), qPrintable(why));
        const QJsonObject st = applierState(f);
        QVERIFY(st[QStringLiteral("totalEvents")].toDouble() > 800);
        QCOMPARE(st[QStringLiteral("lastError")][QStringLiteral("errorNum")].toInt(), 0);
        const QString d = diff(once, snapshot(f));
        QVERIFY2(d.isEmpty(), qPrintable(QStringLiteral("the replay changed data:\n  ") + d));
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-stop")).status, 200);
    }

    // The sync's lastLogTick is a safe start for the applier even when the leader writes
    // during the sync: nothing between the two is lost.
    void syncUnderConcurrentWritesThenApplierEndsEqual()
    {
        ServerProcess leader, follower;
        QVERIFY2(leader.start(), qPrintable(leader.errorString()));
        QVERIFY2(follower.start(), qPrintable(follower.errorString()));
        HttpClient l(leader.baseUrl()), f(follower.baseUrl());
        QCOMPARE(l.put(QStringLiteral("/_api/replication/logger-start")).status, 200);
        for (const char *c : {"bulk", "hot"})
            QCOMPARE(l.post(QStringLiteral("/_api/collection"), QJsonObject{{"name", c}}).status,
                     200);
        QCOMPARE(l.post(QStringLiteral("/_api/index?collection=hot"),
                        QJsonObject{{"type", "persistent"}, {"fields", QJsonArray{"lane", "step"}}})
                     .status,
                 201);
        for (int part = 0; part < 5; ++part) {
            QByteArray lines;
            for (int i = 0; i < 5000; ++i)
                lines += QStringLiteral(R"({"_key":"b%1","payload":"%2"})")
                             .arg(part * 5000 + i)
                             .arg(QString(40, u'x'))
                             .toUtf8() +
                         '\n';
            QCOMPARE(
                l.post(QStringLiteral("/_api/import?collection=bulk&type=documents"), lines).status,
                201);
        }

        BackgroundWriter writer(leader.baseUrl(), QStringLiteral("hot"), 3);
        writer.start();
        QVERIFY(QTest::qWaitFor([&] { return writer.acknowledged() >= 30; }, 20000));
        const int ackBefore = writer.acknowledged();
        HttpReply r = f.put(QStringLiteral("/_api/replication/sync"), syncBody(leader));
        const int ackDuring = writer.acknowledged() - ackBefore;
        QVERIFY2(r.status == 200, qPrintable(statusText(r)));
        QVERIFY2(ackDuring > 0, "no leader write landed while the sync ran");
        QCOMPARE(f.get(QStringLiteral("/_api/collection/bulk/count"))
                     .json()[QStringLiteral("count")]
                     .toInt(),
                 25000);
        QVERIFY(configureApplier(f, leader).status == 200);
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-start")).status, 200);
        const int ackStarted = writer.acknowledged();
        QVERIFY(QTest::qWaitFor([&] { return writer.acknowledged() >= ackStarted + 150; }, 30000));
        writer.stop();
        QVERIFY(QTest::qWaitFor([&] { return writer.inFlight() == 0; }, 10000));
        QVERIFY2(writer.firstError().isEmpty(), qPrintable(writer.firstError()));

        QString why;
        QVERIFY2(waitApplied(f, lastLogTick(l), 60000, &why), qPrintable(why));
        const StateSnapshot expected = snapshot(l);
        QVERIFY2(expected.error.isEmpty(), qPrintable(expected.error));
        QVERIFY(expected.collections.value(QStringLiteral("hot")).documents.size() > 50);
        const QString d = diff(expected, snapshot(f));
        QVERIFY2(d.isEmpty(),
                 qPrintable(QStringLiteral("%1 writes during the sync:\n  ").arg(ackDuring) + d));
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-stop")).status, 200);
    }

    // Against a repldesk leader the applier long-polls: a write shows up on the follower
    // well before the idle poll interval (idleMinWaitTime 1 s … idleMaxWaitTime 2.5 s), and an
    // idle applier does not poll busily even with short idle times.
    void longPollKeepsLagLowWithoutBusyPolling()
    {
        ServerProcess leader, follower;
        QVERIFY2(leader.start(), qPrintable(leader.errorString()));
        QVERIFY2(follower.start(), qPrintable(follower.errorString()));
        HttpClient l(leader.baseUrl()), f(follower.baseUrl());
        QCOMPARE(l.put(QStringLiteral("/_api/replication/logger-start")).status, 200);
        QCOMPARE(l.post(QStringLiteral("/_api/collection"), QJsonObject{{"name", "lag"}}).status,
                 200);
        QCOMPARE(f.put(QStringLiteral("/_api/replication/sync"), syncBody(leader)).status, 200);
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-config"),
                       syncBody(leader, {{"idleMinWaitTime", 1}, {"idleMaxWaitTime", 2.5}}))
                     .status,
                 200);
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-start")).status, 200);
        QList<qint64> lags;
        for (int i = 0; i < 5; ++i) {
            // Idle long enough for a polling applier to be in its back-off.
            const QString progress = QStringLiteral("following");
            QVERIFY(QTest::qWaitFor(
                [&] {
                    return applierState(f)[QStringLiteral("progress")][QStringLiteral("message")]
                        .toString()
                        .contains(progress);
                },
                5000));
            QElapsedTimer idle;
            idle.start();
            QVERIFY(QTest::qWaitFor([&] { return idle.elapsed() >= 1200; }, 2000));
            QElapsedTimer t;
            t.start();
            const QString key = QStringLiteral("k%1").arg(i);
            QCOMPARE(
                l.post(QStringLiteral("/_api/document/lag"), QJsonObject{{"_key", key}}).status,
                202);
            QVERIFY(QTest::qWaitFor(
                [&] { return f.get(QStringLiteral("/_api/document/lag/") + key).status == 200; },
                10000));
            lags << t.elapsed();
        }
        std::sort(lags.begin(), lags.end());
        QVERIFY2(lags.at(2) < 500, qPrintable(QStringLiteral("median lag %1 ms").arg(lags.at(2))));
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-stop")).status, 200);

        QCOMPARE(configureApplier(f, leader).status, 200); // idle 0.05 … 0.2 s
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-start")).status, 200);
        QVERIFY(QTest::qWaitFor(
            [&] {
                return applierState(f)[QStringLiteral("progress")][QStringLiteral("message")]
                    .toString()
                    .contains(QStringLiteral("following"));
            },
            5000));
        const double requestsBefore = applierState(f)[QStringLiteral("totalRequests")].toDouble();
        QElapsedTimer idle;
        idle.start();
        QVERIFY(QTest::qWaitFor([&] { return idle.elapsed() >= 1500; }, 2500));
        const double requests =
            applierState(f)[QStringLiteral("totalRequests")].toDouble() - requestsBefore;
        QVERIFY2(requests <= 2,
                 qPrintable(QStringLiteral("%1 requests in 1.5 s idle").arg(requests)));
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-stop")).status, 200);
    }

    // Per-database appliers: the leader's database "shop" followed into the follower's
    // "mirror" (routes under /_db/…, `database` names the leader's side); _system is untouched.
    void otherDatabaseFollowedUnderAnotherName()
    {
        ServerProcess leader, follower;
        QVERIFY2(leader.start(), qPrintable(leader.errorString()));
        QVERIFY2(follower.start(), qPrintable(follower.errorString()));
        HttpClient l(leader.baseUrl()), f(follower.baseUrl());
        QCOMPARE(l.post(QStringLiteral("/_api/database"), QJsonObject{{"name", "shop"}}).status,
                 201);
        QCOMPARE(f.post(QStringLiteral("/_api/database"), QJsonObject{{"name", "mirror"}}).status,
                 201);
        QCOMPARE(l.put(QStringLiteral("/_api/replication/logger-start")).status, 200);
        QCOMPARE(l.put(QStringLiteral("/_db/shop/_api/replication/logger-start")).status, 200);
        Workload shop(l, 31, QStringLiteral("s"), QStringLiteral("shop"));
        Workload system(l, 32, QStringLiteral("z"));
        runWorkload(shop, 200);
        runWorkload(system, 50);
        if (QTest::currentTestFailed())
            return;
        HttpReply r = f.put(QStringLiteral("/_db/mirror/_api/replication/sync"),
                            syncBody(leader, {{"database", "shop"}}));
        QVERIFY2(r.status == 200, qPrintable(statusText(r)));
        QCOMPARE(tickOf(r.json()[QStringLiteral("lastLogTick")]),
                 lastLogTick(l, QStringLiteral("shop")));
        r = f.put(
            QStringLiteral("/_db/mirror/_api/replication/applier-config"),
            syncBody(leader,
                     {{"database", "shop"}, {"idleMinWaitTime", 0.05}, {"idleMaxWaitTime", 0.2}}));
        QVERIFY2(r.status == 200, qPrintable(statusText(r)));
        QCOMPARE(f.put(QStringLiteral("/_db/mirror/_api/replication/applier-start")).status, 200);
        for (int i = 0; i < 5 && !QTest::currentTestFailed(); ++i) { // both databases
            runWorkload(shop, 120);
            runWorkload(system, 20);
        }
        if (QTest::currentTestFailed())
            return;
        QString why;
        QVERIFY2(waitApplied(f, lastLogTick(l, QStringLiteral("shop")), 60000, &why,
                             QStringLiteral("mirror")),
                 qPrintable(why));
        const StateSnapshot expected = snapshot(l, false, QStringLiteral("shop"));
        QVERIFY2(expected.error.isEmpty(), qPrintable(expected.error));
        QVERIFY(!expected.collections.isEmpty());
        const QString d = diff(expected, snapshot(f, false, QStringLiteral("mirror")));
        QVERIFY2(d.isEmpty(), qPrintable(d));
        QVERIFY(snapshot(f).collections.isEmpty()); // the follower's _system got nothing
        QCOMPARE(applierState(f)[QStringLiteral("running")].toBool(), false);
        const QJsonObject full =
            f.get(QStringLiteral("/_db/mirror/_api/replication/applier-state")).json();
        QCOMPARE(full[QStringLiteral("database")].toString(), QStringLiteral("shop"));
        QCOMPARE(full[QStringLiteral("state")][QStringLiteral("running")].toBool(), true);
        QCOMPARE(f.put(QStringLiteral("/_db/mirror/_api/replication/applier-stop")).status, 200);
    }

    // user:password inside the endpoint URL authenticates, but no route shows them again.
    void credentialsInTheEndpointAreNeverEchoed()
    {
        ServerProcess leader, follower;
        QVERIFY2(leader.start(), qPrintable(leader.errorString()));
        QVERIFY2(follower.start(), qPrintable(follower.errorString()));
        HttpClient l(leader.baseUrl()), f(follower.baseUrl());
        QCOMPARE(l.put(QStringLiteral("/_api/replication/logger-start")).status, 200);
        QCOMPARE(l.post(QStringLiteral("/_api/collection"), QJsonObject{{"name", "c"}}).status,
                 200);
        QUrl withCredentials = leader.baseUrl();
        withCredentials.setUserName(QStringLiteral("root"));
        withCredentials.setPassword(ServerProcess::password());
        const QString endpoint = withCredentials.toString();
        QVERIFY(endpoint.contains(ServerProcess::password()));
        // Nor does the 400 for an endpoint that is no URL (no host): the sync's echoed it whole.
        const QString hostless =
            QStringLiteral("http://root:%1@:8529").arg(ServerProcess::password());
        for (const char *path : {"/_api/replication/sync", "/_api/replication/applier-config"}) {
            const HttpReply bad = f.put(QLatin1String(path), QJsonObject{{"endpoint", hostless}});
            QVERIFY2(bad.status == 400, qPrintable(statusText(bad)));
            QVERIFY2(!bad.body.contains(ServerProcess::password().toUtf8()), bad.body.constData());
        }
        HttpReply r =
            f.put(QStringLiteral("/_api/replication/sync"), QJsonObject{{"endpoint", endpoint}});
        QVERIFY2(r.status == 200, qPrintable(statusText(r)));
        r = f.put(QStringLiteral("/_api/replication/applier-config"),
                  QJsonObject{
                      {"endpoint", endpoint}, {"idleMinWaitTime", 0.05}, {"idleMaxWaitTime", 0.2}});
        QVERIFY2(r.status == 200, qPrintable(statusText(r)));
        QVERIFY2(!r.body.contains(ServerProcess::password().toUtf8()), r.body.constData());
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-start")).status, 200);
        QCOMPARE(l.post(QStringLiteral("/_api/document/c"), QJsonObject{{"_key", "k"}}).status,
                 202);
        QTRY_COMPARE_WITH_TIMEOUT(f.get(QStringLiteral("/_api/document/c/k")).status, 200, 15000);
        for (const QString &path : {QStringLiteral("/_api/replication/applier-config"),
                                    QStringLiteral("/_api/replication/applier-state")}) {
            const HttpReply g = f.get(path);
            QCOMPARE(g.status, 200);
            QVERIFY2(!g.body.contains(ServerProcess::password().toUtf8()), g.body.constData());
            QVERIFY2(g.body.contains(QByteArray::number(leader.port())), g.body.constData());
        }
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-stop")).status, 200);
    }

    void restrictedApplierFollowsOnlyItsCollections_data()
    {
        QTest::addColumn<QString>("restrictType");
        QTest::newRow("include") << QStringLiteral("include");
        QTest::newRow("exclude") << QStringLiteral("exclude");
    }

    void restrictedApplierFollowsOnlyItsCollections()
    {
        QFETCH(QString, restrictType);
        ServerProcess leader, follower;
        QVERIFY2(leader.start(), qPrintable(leader.errorString()));
        QVERIFY2(follower.start(), qPrintable(follower.errorString()));
        HttpClient l(leader.baseUrl()), f(follower.baseUrl());
        QCOMPARE(l.put(QStringLiteral("/_api/replication/logger-start")).status, 200);
        for (const char *name : {"kept", "skipped"})
            QCOMPARE(l.post(QStringLiteral("/_api/collection"), QJsonObject{{"name", name}}).status,
                     200);
        // include [kept] and exclude [skipped, late] mean the same here.
        const QJsonArray list =
            restrictType == u"include" ? QJsonArray{"kept"} : QJsonArray{"skipped", "late"};
        const QJsonObject restriction{{"restrictType", restrictType},
                                      {"restrictCollections", list}};
        HttpReply r =
            f.put(QStringLiteral("/_api/replication/sync"), syncBody(leader, restriction));
        QVERIFY2(r.status == 200, qPrintable(statusText(r)));
        QCOMPARE(namesOf(r.json()[QStringLiteral("collections")].toArray()), QStringList{"kept"});
        QVERIFY(configureApplier(f, leader, restriction).status == 200);
        const QJsonObject cfg = f.get(QStringLiteral("/_api/replication/applier-config")).json();
        QCOMPARE(cfg[QStringLiteral("restrictType")].toString(), restrictType);
        QCOMPARE(cfg[QStringLiteral("restrictCollections")].toArray(), list);
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-start")).status, 200);

        for (int i = 0; i < 40; ++i) {
            for (const char *c : {"kept", "skipped"})
                QCOMPARE(l.post(QStringLiteral("/_api/document/%1").arg(QLatin1String(c)),
                                QJsonObject{{"_key", QStringLiteral("d%1").arg(i)}, {"i", i}})
                             .status,
                         202);
        }
        QCOMPARE(l.post(QStringLiteral("/_api/collection"), QJsonObject{{"name", "late"}}).status,
                 200);
        QCOMPARE(l.post(QStringLiteral("/_api/document/late"), QJsonObject{{"x", 1}}).status, 202);
        QCOMPARE(l.post(QStringLiteral("/_api/index?collection=skipped"),
                        QJsonObject{{"type", "persistent"}, {"fields", QJsonArray{"i"}}})
                     .status,
                 201);
        QCOMPARE(l.del(QStringLiteral("/_api/document/kept/d3")).status, 202);
        QCOMPARE(l.del(QStringLiteral("/_api/document/skipped/d3")).status, 202);

        QString why;
        QVERIFY2(waitApplied(f, lastLogTick(l), 30000, &why), qPrintable(why));
        StateSnapshot expected = snapshot(l);
        QVERIFY2(expected.error.isEmpty(), qPrintable(expected.error));
        expected.collections.remove(QStringLiteral("skipped"));
        expected.collections.remove(QStringLiteral("late"));
        QCOMPARE(expected.collections[QStringLiteral("kept")].documents.size(), 39);
        const QString d = diff(expected, snapshot(f));
        QVERIFY2(d.isEmpty(), qPrintable(d));
        const QJsonObject st = applierState(f);
        // 39 inserts + 1 removal + 1 create + 1 insert + 1 index for the excluded collections.
        QCOMPARE(st[QStringLiteral("totalOperationsExcluded")].toDouble(), 44.0);
        QCOMPARE(st[QStringLiteral("totalDocuments")].toDouble(), 40.0);
        QCOMPARE(st[QStringLiteral("totalRemovals")].toDouble(), 1.0);
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-stop")).status, 200);
    }

    void chainLeaderToF1ToF2Converges()
    {
        ServerProcess leader, f1, f2;
        QVERIFY2(leader.start(), qPrintable(leader.errorString()));
        QVERIFY2(f1.start(), qPrintable(f1.errorString()));
        QVERIFY2(f2.start(), qPrintable(f2.errorString()));
        HttpClient l(leader.baseUrl()), h1(f1.baseUrl()), h2(f2.baseUrl());
        QCOMPARE(l.put(QStringLiteral("/_api/replication/logger-start")).status, 200);
        Workload w(l, 77, QStringLiteral("chain"));
        runWorkload(w, 150);
        if (QTest::currentTestFailed())
            return;

        // F1 logs, but not what its applier brings in: its log stays where it was.
        QCOMPARE(h1.put(QStringLiteral("/_api/replication/logger-start")).status, 200);
        QCOMPARE(h1.get(QStringLiteral("/_api/replication/logger-config"))
                     .json()[QStringLiteral("logRemoteChanges")]
                     .toBool(),
                 false);
        HttpReply r = h1.put(QStringLiteral("/_api/replication/sync"), syncBody(leader));
        QVERIFY2(r.status == 200, qPrintable(statusText(r)));
        QVERIFY(configureApplier(h1, leader).status == 200);
        QCOMPARE(h1.put(QStringLiteral("/_api/replication/applier-start")).status, 200);
        const quint64 f1Quiet = lastLogTick(h1);
        runWorkload(w, 100);
        if (QTest::currentTestFailed())
            return;
        QString why;
        QVERIFY2(waitApplied(h1, lastLogTick(l), 30000, &why), qPrintable(why));
        QCOMPARE(lastLogTick(h1), f1Quiet);

        // logRemoteChanges on (the applier keeps running): F1 becomes a leader for F2.
        r = h1.put(QStringLiteral("/_api/replication/logger-config"),
                   QJsonObject{{"logRemoteChanges", true}});
        QCOMPARE(r.status, 200);
        r = h2.put(QStringLiteral("/_api/replication/sync"), syncBody(f1));
        QVERIFY2(r.status == 200, qPrintable(statusText(r)));
        QVERIFY(configureApplier(h2, f1).status == 200);
        QCOMPARE(h2.put(QStringLiteral("/_api/replication/applier-start")).status, 200);
        runWorkload(w, 700);
        if (QTest::currentTestFailed())
            return;

        QVERIFY2(waitApplied(h1, lastLogTick(l), 60000, &why), qPrintable(why));
        const quint64 f1Tick = lastLogTick(h1);
        QVERIFY(f1Tick > f1Quiet);
        QVERIFY2(waitApplied(h2, f1Tick, 60000, &why), qPrintable(why));
        const StateSnapshot expected = snapshot(l);
        QVERIFY2(expected.error.isEmpty(), qPrintable(expected.error));
        QString d = diff(expected, snapshot(h1));
        QVERIFY2(d.isEmpty(), qPrintable(QStringLiteral("F1:\n  ") + d));
        d = diff(expected, snapshot(h2));
        QVERIFY2(d.isEmpty(), qPrintable(QStringLiteral("F2:\n  ") + d));
        // F2 follows F1, not the leader.
        QCOMPARE(h2.get(QStringLiteral("/_api/replication/applier-state"))
                     .json()[QStringLiteral("endpoint")]
                     .toString(),
                 endpointOf(f1));
        QCOMPARE(h2.put(QStringLiteral("/_api/replication/applier-stop")).status, 200);
        QCOMPARE(h1.put(QStringLiteral("/_api/replication/applier-stop")).status, 200);
    }
};

QTEST_GUILESS_MAIN(TestApplier)
#include "tst_applier.moc"
