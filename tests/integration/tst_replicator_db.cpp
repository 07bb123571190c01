// The _replicator database and CouchDB 3's scheduler views (/_scheduler/docs, /_scheduler/jobs)
// on a real repldesk-server, compared field by field with the real Apache CouchDB 3.4.3
// (../shared/peers/couchdb; those checks skip with a message where it is absent), and
// CouchDB's own _replicator replicating continuously from our face while our server is
// killed (-9) and restarted, and ours from CouchDB.
#include "support/HttpClient.h"
#include "support/PouchServer.h" // freePort()
#include "support/RealCouchDb.h"
#include "support/ServerProcess.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace repl::test;

namespace {

QString withCredentials(QUrl base, const QString &db, const QString &user, const QString &password)
{
    base.setUserName(user);
    base.setPassword(password);
    base.setPath(u'/' + db);
    return base.toString();
}

QJsonObject schedulerDoc(HttpClient &c, const QString &docId)
{
    return c.get(QStringLiteral("/_scheduler/docs/_replicator/") + docId).json();
}

int docCount(HttpClient &c, const QString &db)
{
    const HttpReply r = c.get(u'/' + db);
    return r.status == 200 ? r.json().value(QStringLiteral("doc_count")).toInt() : -1;
}

// The JSON type of each member, to compare shapes (values differ between servers).
QHash<QString, QString> shape(const QJsonObject &o)
{
    QHash<QString, QString> out;
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QJsonValue v = it.value();
        out.insert(it.key(), v.isNull()     ? QStringLiteral("null")
                             : v.isString() ? QStringLiteral("string")
                             : v.isDouble() ? QStringLiteral("number")
                             : v.isBool()   ? QStringLiteral("bool")
                             : v.isArray()  ? QStringLiteral("array")
                                            : QStringLiteral("object"));
    }
    return out;
}

} // namespace

class TestReplicatorDb : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dataDir;
    quint16 m_port = 0;
    std::unique_ptr<ServerProcess> m_server;
    std::unique_ptr<HttpClient> m_ours;
    RealCouchDb m_couch;
    std::unique_ptr<HttpClient> m_peer;

    QString ours(const QString &db) const
    {
        return withCredentials(m_server->baseUrl(), db, QStringLiteral("root"),
                               ServerProcess::password());
    }
    QString couch(const QString &db) const
    {
        return withCredentials(m_couch.baseUrl(), db, QStringLiteral("admin"),
                               RealCouchDb::password());
    }
    bool startOurs()
    {
        // Always the same port: CouchDB's jobs keep their URL across our restart.
        m_server = std::make_unique<ServerProcess>(
            m_dataDir.path(),
            QStringList{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(m_port)});
        if (!m_server->start())
            return false;
        m_ours = std::make_unique<HttpClient>(m_server->baseUrl());
        return true;
    }
    void fill(HttpClient &c, const QString &db, int from, int to)
    {
        QJsonArray docs;
        for (int i = from; i < to; ++i)
            docs.append(
                QJsonObject{{"_id", QStringLiteral("d%1").arg(i, 4, 10, QChar(u'0'))}, {"n", i}});
        QCOMPARE(
            c.post(u'/' + db + QStringLiteral("/_bulk_docs"), QJsonObject{{"docs", docs}}).status,
            201);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_port = freePort();
        QVERIFY2(startOurs(), qPrintable(m_server->errorString()));
        if (RealCouchDb::unavailableReason().isEmpty()) {
            // CouchDB's scheduler looks at crashed jobs once a minute by default; every
            // second keeps the kill test short (the behaviour is the same).
            m_couch.setIni(QStringLiteral("replicator"), QStringLiteral("interval"),
                           QStringLiteral("1000"));
            m_couch.setIni(QStringLiteral("replicator"), QStringLiteral("startup_jitter"),
                           QStringLiteral("0"));
            QVERIFY2(m_couch.start(), qPrintable(m_couch.errorString()));
            m_peer = std::make_unique<HttpClient>(m_couch.baseUrl(), QStringLiteral("admin"),
                                                  RealCouchDb::password());
            QCOMPARE(m_peer->get(QStringLiteral("/_node/_local/_config/replicator/interval")).body,
                     QByteArray("\"1000\"\n"));
        }
    }

    // One-shot: runs, completes, and the document says so; it is not run again.
    void oneShotCompletesAndSaysSoInItsDocument()
    {
        QCOMPARE(m_ours->put(QStringLiteral("/src1")).status, 201);
        fill(*m_ours, QStringLiteral("src1"), 0, 5);
        const QJsonObject doc{{"source", ours(QStringLiteral("src1"))},
                              {"target", ours(QStringLiteral("tgt1"))},
                              {"create_target", true}};
        QCOMPARE(m_ours->put(QStringLiteral("/_replicator/once"), doc).status, 201);
        QTRY_COMPARE_WITH_TIMEOUT(
            schedulerDoc(*m_ours, QStringLiteral("once")).value(QStringLiteral("state")),
            QJsonValue(QStringLiteral("completed")), 15000);
        QCOMPARE(docCount(*m_ours, QStringLiteral("tgt1")), 5);
        QTRY_COMPARE_WITH_TIMEOUT(m_ours->get(QStringLiteral("/_replicator/once"))
                                      .json()
                                      .value(QStringLiteral("_replication_state"))
                                      .toString(),
                                  QStringLiteral("completed"), 10000);
        const QJsonObject stored = m_ours->get(QStringLiteral("/_replicator/once")).json();
        QVERIFY(stored.value(QStringLiteral("_replication_state_time")).isString());
        QCOMPARE(
            stored[QStringLiteral("_replication_stats")][QStringLiteral("docs_written")].toInt(),
            5);
        // Credentials are the document's, never shown by the scheduler.
        const QByteArray docs = m_ours->get(QStringLiteral("/_scheduler/docs")).body;
        QVERIFY2(!docs.contains(ServerProcess::password().toUtf8()), docs.constData());
        QCOMPARE(schedulerDoc(*m_ours, QStringLiteral("once")).value(QStringLiteral("source")),
                 QJsonValue(m_server->baseUrl().toString() + QStringLiteral("/src1/")));
    }

    // Continuous: runs until its document is deleted; an edit restarts it toward the new
    // target; a document that cannot run says why.
    void continuousFollowsItsDocument()
    {
        QCOMPARE(m_ours->put(QStringLiteral("/src2")).status, 201);
        fill(*m_ours, QStringLiteral("src2"), 0, 3);
        QJsonObject doc{
            {"source", ours(QStringLiteral("src2"))},
            {"target",
             QJsonObject{
                 {"url", m_server->baseUrl().toString() + QStringLiteral("/tgt2")},
                 {"auth",
                  QJsonObject{{"basic", QJsonObject{{"username", "root"},
                                                    {"password", ServerProcess::password()}}}}}}},
            {"create_target", true},
            {"continuous", true}};
        const HttpReply created = m_ours->put(QStringLiteral("/_replicator/cont"), doc);
        QCOMPARE(created.status, 201);
        QTRY_COMPARE_WITH_TIMEOUT(docCount(*m_ours, QStringLiteral("tgt2")), 3, 15000);
        fill(*m_ours, QStringLiteral("src2"), 3, 6);
        QTRY_COMPARE_WITH_TIMEOUT(docCount(*m_ours, QStringLiteral("tgt2")), 6, 15000);
        QCOMPARE(schedulerDoc(*m_ours, QStringLiteral("cont")).value(QStringLiteral("state")),
                 QJsonValue(QStringLiteral("running")));
        const QJsonObject jobs = m_ours->get(QStringLiteral("/_scheduler/jobs")).json();
        QJsonObject job;
        for (const QJsonValue &j : jobs.value(QStringLiteral("jobs")).toArray())
            if (j[QStringLiteral("doc_id")] == QJsonValue(QStringLiteral("cont")))
                job = j.toObject();
        QVERIFY2(!job.isEmpty(), jobs.isEmpty() ? "no jobs" : "no job of doc cont");
        QCOMPARE(job.value(QStringLiteral("database")).toString(), QStringLiteral("_replicator"));
        QVERIFY(job.value(QStringLiteral("id"))
                    .toString()
                    .endsWith(QStringLiteral("+continuous+create_target")));
        QCOMPARE(job[QStringLiteral("history")][0][QStringLiteral("type")].toString(),
                 QStringLiteral("started"));
        QVERIFY(!m_ours->get(QStringLiteral("/_scheduler/jobs"))
                     .body.contains(ServerProcess::password().toUtf8()));
        QVERIFY(!m_ours->get(QStringLiteral("/_active_tasks"))
                     .body.contains(ServerProcess::password().toUtf8()));

        // An edit restarts the job toward the new target.
        doc.insert(QStringLiteral("_rev"), created.json().value(QStringLiteral("rev")));
        doc.insert(QStringLiteral("target"), ours(QStringLiteral("tgt2b")));
        const HttpReply edited = m_ours->put(QStringLiteral("/_replicator/cont"), doc);
        QCOMPARE(edited.status, 201);
        QTRY_COMPARE_WITH_TIMEOUT(docCount(*m_ours, QStringLiteral("tgt2b")), 6, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(
            schedulerDoc(*m_ours, QStringLiteral("cont")).value(QStringLiteral("target")),
            QJsonValue(m_server->baseUrl().toString() + QStringLiteral("/tgt2b/")), 10000);

        // Deleted: the job ends, later writes stay where they are.
        const QString rev = edited.json().value(QStringLiteral("rev")).toString();
        QCOMPARE(m_ours->del(QStringLiteral("/_replicator/cont?rev=") + rev).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(
            m_ours->get(QStringLiteral("/_scheduler/docs/_replicator/cont")).status, 404, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(
            !m_ours->get(QStringLiteral("/_scheduler/jobs")).body.contains("\"doc_id\":\"cont\""),
            10000);
        fill(*m_ours, QStringLiteral("src2"), 6, 8);
        QTest::qWait(1500);
        QCOMPARE(docCount(*m_ours, QStringLiteral("tgt2b")), 6);
    }

    void documentsThatCannotRunSayWhy()
    {
        const QJsonObject missingSource{{"source", ours(QStringLiteral("no-such-db"))},
                                        {"target", ours(QStringLiteral("tgt3"))}};
        QCOMPARE(m_ours->put(QStringLiteral("/_replicator/bad"), missingSource).status, 201);
        QTRY_COMPARE_WITH_TIMEOUT(
            schedulerDoc(*m_ours, QStringLiteral("bad")).value(QStringLiteral("state")),
            QJsonValue(QStringLiteral("crashing")), 15000);
        const QJsonObject bad = schedulerDoc(*m_ours, QStringLiteral("bad"));
        QVERIFY(bad[QStringLiteral("info")][QStringLiteral("error")].toString().contains(
            QStringLiteral("no-such-db")));
        QVERIFY(bad.value(QStringLiteral("error_count")).toInt() >= 1);
        // Refused when written, as CouchDB 3's validate_doc_update does: bare (local) names,
        // bad field types. Nothing is stored.
        QList<HttpClient *> servers{m_ours.get()};
        if (m_peer)
            servers.append(m_peer.get());
        for (HttpClient *c : std::as_const(servers)) {
            const HttpReply local = c->put(QStringLiteral("/_replicator/local"),
                                           QJsonObject{{"source", "src1"}, {"target", "tgt9"}});
            QCOMPARE(local.status, 403);
            QCOMPARE(local.json().value(QStringLiteral("error")).toString(),
                     QStringLiteral("forbidden"));
            QCOMPARE(local.json().value(QStringLiteral("reason")).toString(),
                     QStringLiteral("local_endpoints_not_supported"));
            const HttpReply typed = c->put(QStringLiteral("/_replicator/typed"),
                                           QJsonObject{{"source", ours(QStringLiteral("src1"))},
                                                       {"target", ours(QStringLiteral("t"))},
                                                       {"continuous", "yes"}});
            QCOMPARE(typed.status, 403);
            QVERIFY2(typed.json()
                         .value(QStringLiteral("reason"))
                         .toString()
                         .contains(QStringLiteral("continuous")),
                     typed.body.constData());
            QCOMPARE(c->get(QStringLiteral("/_replicator/local")).status, 404);
        }
    }

    // The same documents on the real CouchDB 3.4.3 and on ours: the scheduler answers have
    // the same members with the same types, and the same states.
    void schedulerShapesMatchCouchDb()
    {
        if (!m_peer)
            QSKIP(qPrintable(RealCouchDb::unavailableReason()));
        for (HttpClient *c : {m_ours.get(), m_peer.get()}) {
            QCOMPARE(c->put(QStringLiteral("/shape-src1")).status, 201);
            fill(*c, QStringLiteral("shape-src1"), 0, 5);
            QCOMPARE(c->put(QStringLiteral("/shape-src2")).status, 201);
            fill(*c, QStringLiteral("shape-src2"), 0, 3);
        }
        auto docsFor = [](const std::function<QString(const QString &)> &url) {
            return QList<QPair<QString, QJsonObject>>{
                {QStringLiteral("s-once"),
                 QJsonObject{{"source", url(QStringLiteral("shape-src1"))},
                             {"target", url(QStringLiteral("s-tgt1"))},
                             {"create_target", true}}},
                {QStringLiteral("s-cont"),
                 QJsonObject{{"source", url(QStringLiteral("shape-src2"))},
                             {"target", url(QStringLiteral("s-tgt2"))},
                             {"create_target", true},
                             {"continuous", true}}}};
        };
        for (const auto &[id, doc] : docsFor([this](const QString &db) { return ours(db); }))
            QCOMPARE(m_ours->put(QStringLiteral("/_replicator/") + id, doc).status, 201);
        for (const auto &[id, doc] : docsFor([this](const QString &db) { return couch(db); }))
            QCOMPARE(m_peer->put(QStringLiteral("/_replicator/") + id, doc).status, 201);
        for (HttpClient *c : {m_ours.get(), m_peer.get()}) {
            const char *who = c == m_peer.get() ? "CouchDB" : "ours";

            // Generous: on a loaded machine CouchDB's scheduler can take its time.
            QTRY_VERIFY2_WITH_TIMEOUT(
                schedulerDoc(*c, QStringLiteral("s-once")).value(QStringLiteral("state")) ==
                    QJsonValue(QStringLiteral("completed")),
                who, 90000);
            // Running; its data arrived (CouchDB fills a continuous job's `info` only when the
            // job reports, which can take up to its scheduler interval).
            QTRY_VERIFY2_WITH_TIMEOUT(
                schedulerDoc(*c, QStringLiteral("s-cont")).value(QStringLiteral("state")) ==
                    QJsonValue(QStringLiteral("running")),
                who, 90000);
            QTRY_COMPARE_WITH_TIMEOUT(docCount(*c, QStringLiteral("s-tgt2")), 3, 30000);
        }
        // Members and their types, entry by entry (values such as seqs differ by design).
        for (const QString &docId : {QStringLiteral("s-once"), QStringLiteral("s-cont")}) {
            const QJsonObject theirs = schedulerDoc(*m_peer, docId);
            const QJsonObject mine = schedulerDoc(*m_ours, docId);
            QHash<QString, QString> a = shape(theirs), b = shape(mine);
            if (a.value(QStringLiteral("info")) == u"null" && docId == u"s-cont")
                a.remove(QStringLiteral("info")); // not reported yet by CouchDB's job
            for (auto it = a.begin(); it != a.end(); ++it)
                QVERIFY2(b.value(it.key()) == it.value(),
                         qPrintable(QStringLiteral("%1: member %2 is %3 on CouchDB, %4 here")
                                        .arg(docId, it.key(), it.value(),
                                             b.value(it.key(), QStringLiteral("missing")))));
            const QJsonObject theirInfo = theirs.value(QStringLiteral("info")).toObject();
            const QJsonObject myInfo = mine.value(QStringLiteral("info")).toObject();
            for (const QString &k : theirInfo.keys())
                QVERIFY2(myInfo.contains(k), qPrintable(docId + QStringLiteral(": info.") + k));
            if (!theirInfo.isEmpty())
                QCOMPARE(myInfo.value(QStringLiteral("docs_written")).toInt(),
                         theirInfo.value(QStringLiteral("docs_written")).toInt());
        }
        auto jobOf = [](HttpClient &c, const QString &docId) {
            for (const QJsonValue &j :
                 c.get(QStringLiteral("/_scheduler/jobs")).json()[QStringLiteral("jobs")].toArray())
                if (j[QStringLiteral("doc_id")] == QJsonValue(docId))
                    return j.toObject();
            return QJsonObject();
        };
        const QJsonObject theirJob = jobOf(*m_peer, QStringLiteral("s-cont"));
        const QJsonObject myJob = jobOf(*m_ours, QStringLiteral("s-cont"));
        QVERIFY(!theirJob.isEmpty() && !myJob.isEmpty());
        const QHash<QString, QString> a = shape(theirJob), b = shape(myJob);
        for (auto it = a.begin(); it != a.end(); ++it) {
            if (it.key() == u"user")
                continue; // CouchDB names the writer; we have no per-user jobs
            QVERIFY2(b.value(it.key()) == it.value(),
                     qPrintable(QStringLiteral("job member %1 is %2 on CouchDB, %3 here")
                                    .arg(it.key(), it.value(),
                                         b.value(it.key(), QStringLiteral("missing")))));
        }
        // Completed documents carry the same replicator members on both.
        const QJsonObject theirDoc = m_peer->get(QStringLiteral("/_replicator/s-once")).json();
        const QJsonObject myDoc = m_ours->get(QStringLiteral("/_replicator/s-once")).json();
        for (const char *k :
             {"_replication_state", "_replication_state_time", "_replication_stats"})
            QVERIFY2(theirDoc.contains(QLatin1String(k)) && myDoc.contains(QLatin1String(k)), k);
    }

    // Passwords of _replicator documents never reach the server's log.
    void credentialsStayOutOfTheLog()
    {
        QVERIFY(!m_server->output().isEmpty());
        QVERIFY2(!m_server->output().contains(ServerProcess::password().toUtf8()),
                 m_server->output().constData());
    }

    // CouchDB's own _replicator follows our face continuously while our server is killed and
    // restarted, and ours follows CouchDB: nothing acknowledged is lost either way.
    void bothWaysWithCouchDbAcrossAKill()
    {
        if (!m_peer)
            QSKIP(qPrintable(RealCouchDb::unavailableReason()));
        QCOMPARE(m_ours->put(QStringLiteral("/from-ours")).status, 201);
        QCOMPARE(m_peer->put(QStringLiteral("/from-couch")).status, 201);
        fill(*m_ours, QStringLiteral("from-ours"), 0, 50);
        fill(*m_peer, QStringLiteral("from-couch"), 0, 50);
        // CouchDB pulls from us; we pull from CouchDB; both continuous, both _replicator.
        QCOMPARE(m_peer
                     ->put(QStringLiteral("/_replicator/pull-ours"),
                           QJsonObject{{"source", ours(QStringLiteral("from-ours"))},
                                       {"target", couch(QStringLiteral("copy-of-ours"))},
                                       {"create_target", true},
                                       {"continuous", true},
                                       // Notice the kill soon (defaults: 30 s, 5 retries).
                                       {"connection_timeout", 5000},
                                       {"retries_per_request", 1}})
                     .status,
                 201);
        QCOMPARE(m_ours
                     ->put(QStringLiteral("/_replicator/pull-couch"),
                           QJsonObject{{"source", couch(QStringLiteral("from-couch"))},
                                       {"target", ours(QStringLiteral("copy-of-couch"))},
                                       {"create_target", true},
                                       {"continuous", true}})
                     .status,
                 201);
        QTRY_COMPARE_WITH_TIMEOUT(docCount(*m_peer, QStringLiteral("copy-of-ours")), 50, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(docCount(*m_ours, QStringLiteral("copy-of-couch")), 50, 30000);

        fill(*m_ours, QStringLiteral("from-ours"), 50, 80);
        m_server->kill(); // -9, in the middle of it
        fill(*m_peer, QStringLiteral("from-couch"), 50, 80);
        QVERIFY2(startOurs(), qPrintable(m_server->errorString()));
        fill(*m_ours, QStringLiteral("from-ours"), 80, 100);
        fill(*m_peer, QStringLiteral("from-couch"), 80, 100);
        // CouchDB's job retries with backoff (up to a minute between tries after a crash).
        QElapsedTimer recovery;
        recovery.start();
        QTRY_COMPARE_WITH_TIMEOUT(docCount(*m_ours, QStringLiteral("copy-of-couch")), 100, 60000);
        qInfo("ours caught up with CouchDB %lld ms after the restart", qint64(recovery.elapsed()));
        // CouchDB backs off after the crashes the kill caused: 30–60 s here under load.
        QTRY_COMPARE_WITH_TIMEOUT(docCount(*m_peer, QStringLiteral("copy-of-ours")), 100, 150000);
        qInfo("CouchDB caught up with ours %lld ms after the restart", qint64(recovery.elapsed()));
        QCOMPARE(schedulerDoc(*m_ours, QStringLiteral("pull-couch")).value(QStringLiteral("state")),
                 QJsonValue(QStringLiteral("running")));
    }
};

QTEST_GUILESS_MAIN(TestReplicatorDb)
#include "tst_replicator_db.moc"
