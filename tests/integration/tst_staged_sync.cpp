// The staged sync on real repldesk-servers: while a sync copies, readers of the synced
// database see the old data and writes to another database go through; followers of a
// follower that logs remote changes see the swap (drop, create, the documents in one log
// transaction) and converge; a sync whose leader dies half way leaves the database as it
// was, and its staging goes (no "_st" collection left in the SQLite file).
#include "ReplicationTestKit.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace repl::test;

namespace {

constexpr int LeaderDocs = 120000;
constexpr int OldDocs = 300;

void import(HttpClient &h, const QString &collection, const QString &prefix, int count)
{
    for (int start = 0; start < count; start += 20000) {
        QByteArray body;
        for (int i = start; i < qMin(count, start + 20000); ++i)
            body += QJsonDocument(QJsonObject{{"_key", prefix + QString::number(i)},
                                              {"v", i},
                                              {"pad", QStringLiteral("x").repeated(40)}})
                        .toJson(QJsonDocument::Compact) +
                    '\n';
        const HttpReply r = h.post(
            QStringLiteral("/_api/import?collection=%1&type=documents").arg(collection), body);
        QVERIFY2(r.status == 201, qPrintable(statusText(r)));
    }
}

qint64 count(HttpClient &h, const QString &collection)
{
    return h.get(QStringLiteral("/_api/collection/%1/count").arg(collection))
        .json()
        .value(QStringLiteral("count"))
        .toInteger(-1);
}

// Collections whose name says "staging" in the server's SQLite file (read-only, beside the
// running server: WAL lets it).
QStringList stagingLeft(const ServerProcess &server)
{
    QStringList out;
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("staging-check"));
        db.setDatabaseName(server.dataDir() + QStringLiteral("/repldesk.sqlite"));
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (!db.open())
            return {QStringLiteral("cannot open: ") + db.lastError().text()};
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("SELECT name FROM collections WHERE name LIKE '\\_st%' "
                                   "ESCAPE '\\'")))
            return {QStringLiteral("query failed")};
        while (q.next())
            out << q.value(0).toString();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("staging-check"));
    return out;
}

// The sync, sent from its own thread so the test can look at the follower meanwhile.
class AsyncSync
{
public:
    AsyncSync(const ServerProcess &follower, QJsonObject body)
    {
        m_thread.reset(QThread::create([this, url = follower.baseUrl(), body] {
            HttpClient h(url);
            m_reply = h.request("PUT", QStringLiteral("/_api/replication/sync"),
                                QJsonDocument(body).toJson(QJsonDocument::Compact), {}, 300000);
            m_done = true;
        }));
        m_thread->start();
    }
    ~AsyncSync() { m_thread->wait(); }
    bool done() const { return m_done; }
    HttpReply wait()
    {
        m_thread->wait();
        return m_reply;
    }

private:
    std::unique_ptr<QThread> m_thread;
    HttpReply m_reply;
    std::atomic<bool> m_done{false};
};

} // namespace

class TestStagedSync : public QObject
{
    Q_OBJECT

    ServerProcess m_leaderProc, m_followerProc, m_downstreamProc;
    std::unique_ptr<HttpClient> m_leader, m_follower, m_downstream;

private Q_SLOTS:
    void initTestCase()
    {
        for (ServerProcess *p : {&m_leaderProc, &m_followerProc, &m_downstreamProc})
            QVERIFY2(p->start(), qPrintable(p->errorString()));
        m_leader = std::make_unique<HttpClient>(m_leaderProc.baseUrl());
        m_follower = std::make_unique<HttpClient>(m_followerProc.baseUrl());
        m_downstream = std::make_unique<HttpClient>(m_downstreamProc.baseUrl());
        QCOMPARE(m_leader->put(QStringLiteral("/_api/replication/logger-start")).status, 200);
        for (HttpClient *h : {m_leader.get(), m_follower.get()})
            QCOMPARE(
                h->post(QStringLiteral("/_api/collection"), QJsonObject{{"name", "orders"}}).status,
                200);
        import(*m_leader, QStringLiteral("orders"), QStringLiteral("L"), LeaderDocs);
        import(*m_follower, QStringLiteral("orders"), QStringLiteral("F"), OldDocs);
        QCOMPARE(m_follower->put(QStringLiteral("/_api/replication/logger-start")).status, 200);
        QCOMPARE(m_follower->post(QStringLiteral("/_api/database"), QJsonObject{{"name", "other"}})
                     .status,
                 201);
        QCOMPARE(
            m_follower
                ->post(QStringLiteral("/_db/other/_api/collection"), QJsonObject{{"name", "load"}})
                .status,
            200);
    }

    void readersSeeOldDataAndOtherWritesGoOnDuringTheSync()
    {
        AsyncSync sync(m_followerProc, syncBody(m_leaderProc));
        HttpClient probe(m_followerProc.baseUrl());
        int looks = 0, writes = 0;
        double slowestWriteMs = 0;
        bool swapped = false; // the swap may commit a moment before the answer arrives
        while (!sync.done()) {
            const qint64 seen = count(probe, QStringLiteral("orders"));
            if (seen == LeaderDocs)
                swapped = true;
            else // never a part of the copy, never the old data after the swap
                QVERIFY2(seen == OldDocs && !swapped, qPrintable(QString::number(seen)));
            ++looks;
            QElapsedTimer t;
            t.start();
            const HttpReply w = probe.post(QStringLiteral("/_db/other/_api/document/load"),
                                           QJsonObject{{"n", writes}});
            QVERIFY2(w.status < 300, qPrintable(statusText(w)));
            slowestWriteMs = qMax(slowestWriteMs, t.nsecsElapsed() / 1e6);
            ++writes;
        }
        const HttpReply r = sync.wait();
        QVERIFY2(r.status == 200, qPrintable(statusText(r)));
        qInfo("%d looks and %d writes to another database during the sync; slowest write %.1f ms",
              looks, writes, slowestWriteMs);
        QVERIFY2(looks >= 3, "the sync ended before the test could look at the follower");
        // A write to another database never waits for the whole sync (it took >= 3 round
        // trips); a generous bound for a loaded CI machine.
        QVERIFY2(slowestWriteMs < 1000, qPrintable(QString::number(slowestWriteMs)));
        QCOMPARE(count(*m_follower, QStringLiteral("orders")), qint64(LeaderDocs));
        QVERIFY2(stagingLeft(m_followerProc).isEmpty(),
                 qPrintable(stagingLeft(m_followerProc).join(u',')));
    }

    void aFollowerThatLogsRemoteChangesLogsTheSwap()
    {
        // The follower is itself a leader: its log records what it applies and syncs, and a
        // server follows it.
        QCOMPARE(m_follower
                     ->put(QStringLiteral("/_api/replication/logger-config"),
                           QJsonObject{{"logRemoteChanges", true}})
                     .status,
                 200);
        syncAndStart(*m_downstream, m_followerProc);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(m_follower
                    ->post(QStringLiteral("/_api/document/orders"),
                           QJsonObject{{"_key", "written-before-the-second-sync"}})
                    .status < 300);
        const quint64 logBefore = lastLogTick(*m_follower);
        QElapsedTimer t;
        t.start();
        const HttpReply r =
            m_follower->put(QStringLiteral("/_api/replication/sync"), syncBody(m_leaderProc));
        QVERIFY2(r.status == 200, qPrintable(statusText(r)));
        qInfo("sync with the swap logged: %lld ms", t.elapsed());

        // The follower's log holds the swap: drop of the old collection, its create, then the
        // documents inside one transaction.
        const HttpReply log = m_follower->get(
            QStringLiteral("/_api/replication/logger-follow?from=%1&chunkSize=67108864")
                .arg(logBefore));
        QVERIFY2(log.status == 200 || log.status == 204, qPrintable(statusText(log)));
        QList<int> types;
        int documents = 0;
        QString tid;
        for (const QJsonObject &e : log.lines()) {
            const int type = e.value(QStringLiteral("type")).toInt();
            if (e.value(QStringLiteral("cname")).toString() == u"load")
                continue;
            if (type == 2300) {
                ++documents;
                QCOMPARE(e.value(QStringLiteral("tid")).toString(), tid);
                continue;
            }
            types << type;
            if (type == 2200)
                tid = e.value(QStringLiteral("tid")).toString();
        }
        QCOMPARE(types, (QList<int>{2001, 2000, 2200, 2201}));
        QCOMPARE(documents, LeaderDocs);

        // ... and a follower of the follower converges on it.
        expectEqual(*m_follower, *m_downstream, "after the staged sync");
    }

    void aSyncWhoseLeaderDiesLeavesTheDatabaseAsItWas()
    {
        QVERIFY(m_follower->put(QStringLiteral("/_api/replication/applier-stop")).status < 300);
        ServerProcess dying;
        QVERIFY2(dying.start(), qPrintable(dying.errorString()));
        HttpClient d(dying.baseUrl());
        QCOMPARE(d.post(QStringLiteral("/_api/collection"), QJsonObject{{"name", "orders"}}).status,
                 200);
        import(d, QStringLiteral("orders"), QStringLiteral("D"), LeaderDocs);
        const StateSnapshot before = snapshot(*m_follower);
        QVERIFY2(before.error.isEmpty(), qPrintable(before.error));
        const QJsonArray pointsBefore =
            m_follower->get(QStringLiteral("/_api/replication/restore-points"))
                .json()
                .value(QStringLiteral("restorePoints"))
                .toArray();

        AsyncSync sync(m_followerProc, syncBody(dying));
        // Kill the leader once the follower has stored part of the copy.
        QElapsedTimer t;
        t.start();
        bool copying = false;
        while (!sync.done() && t.elapsed() < 30000) {
            const QString progress = applierState(*m_follower)
                                         .value(QStringLiteral("progress"))
                                         .toObject()
                                         .value(QStringLiteral("message"))
                                         .toString();
            if (progress.contains(QStringLiteral("copying"))) {
                copying = true;
                break;
            }
            QThread::msleep(2);
        }
        QVERIFY2(copying, "the sync never reached the copy");
        dying.kill();
        const HttpReply r = sync.wait();
        QVERIFY2(r.status >= 400, qPrintable(statusText(r)));
        const QString diffs = diff(before, snapshot(*m_follower));
        QVERIFY2(diffs.isEmpty(), qPrintable(diffs));
        QCOMPARE(m_follower->get(QStringLiteral("/_api/replication/restore-points"))
                     .json()
                     .value(QStringLiteral("restorePoints"))
                     .toArray(),
                 pointsBefore);
        // The staging is dropped when the sync fails (its rows go a slice at a time).
        QTRY_VERIFY_WITH_TIMEOUT(stagingLeft(m_followerProc).isEmpty(), 10000);
    }
};

QTEST_GUILESS_MAIN(TestStagedSync)
#include "tst_staged_sync.moc"
