// Interop against a real pouchdb-server from npm (spec §11), both directions, over loopback.
#include "interop/CouchSnapshot.h"
#include "support/HttpClient.h"
#include "support/PouchServer.h"
#include "support/ServerProcess.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QTest>
#include <QThread>

using namespace repl::test;

namespace {

QJsonObject replicateBody(const QString &source, const QString &target,
                          QJsonObject extra = QJsonObject())
{
    extra.insert(QStringLiteral("source"), source);
    extra.insert(QStringLiteral("target"), target);
    return extra;
}

} // namespace

class TestPouchInterop : public QObject
{
    Q_OBJECT

    std::unique_ptr<ServerProcess> m_server;
    std::unique_ptr<PouchServer> m_pouch;
    std::unique_ptr<HttpClient> m_ours;
    std::unique_ptr<HttpClient> m_peer;

    QString pouchUrl(const QString &db) const { return m_pouch->baseUrl().toString() + u'/' + db; }
    QString ourUrl(const QString &db) const
    {
        QUrl u = m_server->baseUrl();
        u.setUserName(QStringLiteral("root"));
        u.setPassword(ServerProcess::password());
        return u.toString() + u'/' + db;
    }

    static void seed(HttpClient &http, const QString &db, int plain)
    {
        seedCouchDatabase(http, db, plain);
    }

    static bool waitFor(const std::function<bool()> &condition, int timeoutMs = 15000)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            if (condition())
                return true;
            QThread::msleep(50);
        }
        return condition();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_pouch = std::make_unique<PouchServer>();
        QVERIFY2(m_pouch->start(), qPrintable(m_pouch->errorString()));
        m_server = std::make_unique<ServerProcess>();
        QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
        m_ours = std::make_unique<HttpClient>(m_server->baseUrl());
        m_peer = std::make_unique<HttpClient>(m_pouch->baseUrl());
        m_peer->clearCredentials();
        seed(*m_peer, QStringLiteral("src"), 300);
    }

    void pullFromPouchKeepsWinnersConflictsAndBodies()
    {
        const HttpReply r =
            m_ours->post(QStringLiteral("/_replicate"),
                         replicateBody(pouchUrl(QStringLiteral("src")), QStringLiteral("pulled"),
                                       {{QStringLiteral("create_target"), true},
                                        {QStringLiteral("worker_batch_size"), 64}}));
        QVERIFY2(r.status == 200, r.body.constData());
        const QJsonObject o = r.json();
        QVERIFY(o.value(QStringLiteral("ok")).toBool());
        QCOMPARE(o.value(QStringLiteral("replication_id_version")).toInt(), 4);
        QVERIFY(!o.value(QStringLiteral("session_id")).toString().isEmpty());
        const QJsonObject h = o.value(QStringLiteral("history")).toArray().first().toObject();
        QCOMPARE(h.value(QStringLiteral("doc_write_failures")).toInt(), 0);
        // 300 plain + 5 conflicted (2 leaves) + deadbranch (2) + deep + 5 gone
        QCOMPARE(h.value(QStringLiteral("docs_written")).toInt(), 300 + 10 + 2 + 1 + 5);

        const auto theirs = couchSnapshot(*m_peer, QStringLiteral("src"));
        const auto ours = couchSnapshot(*m_ours, QStringLiteral("pulled"));
        QCOMPARE(theirs.size(), 300 + 5 + 1 + 1 + 5);
        QVERIFY2(theirs == ours, qPrintable(describeDifference(theirs, ours)));
        // Spot checks of the CouchDB semantics the snapshot encodes.
        QCOMPARE(
            ours.value(QStringLiteral("conflicted0")).value(QStringLiteral("winner")).toString(),
            QStringLiteral("2-bbbb0"));
        QCOMPARE(
            ours.value(QStringLiteral("conflicted0")).value(QStringLiteral("conflicts")).toArray(),
            QJsonArray{QStringLiteral("2-aaaa0")});
        QVERIFY(ours.value(QStringLiteral("gone0")).value(QStringLiteral("deleted")).toBool());
        QCOMPARE(m_ours->get(QStringLiteral("/pulled/gone0")).status, 404);
        const QJsonObject dead =
            m_ours->get(QStringLiteral("/pulled/deadbranch?deleted_conflicts=true")).json();
        QCOMPARE(dead.value(QStringLiteral("_deleted_conflicts")).toArray(),
                 QJsonArray{QStringLiteral("3-dddd")});
        const QJsonObject deep = m_ours->get(QStringLiteral("/pulled/deep?revs=true")).json();
        QCOMPARE(deep.value(QStringLiteral("_revisions"))
                     .toObject()
                     .value(QStringLiteral("ids"))
                     .toArray()
                     .size(),
                 5);
    }

    void secondRunReusesTheCheckpoint()
    {
        const QJsonObject body = replicateBody(
            pouchUrl(QStringLiteral("src")), QStringLiteral("pulled"),
            {{QStringLiteral("create_target"), true}, {QStringLiteral("worker_batch_size"), 64}});
        const HttpReply again = m_ours->post(QStringLiteral("/_replicate"), body);
        QCOMPARE(again.status, 200);
        QVERIFY2(again.json().value(QStringLiteral("no_changes")).toBool(), again.body.constData());
        const QString seqBefore =
            again.json().value(QStringLiteral("source_last_seq")).toVariant().toString();

        for (int i = 0; i < 3; ++i)
            QCOMPARE(m_peer
                         ->put(QStringLiteral("/src/late%1").arg(i),
                               QJsonObject{{QStringLiteral("late"), i}})
                         .status,
                     201);
        const HttpReply third = m_ours->post(QStringLiteral("/_replicate"), body);
        QCOMPARE(third.status, 200);
        const QJsonObject h =
            third.json().value(QStringLiteral("history")).toArray().first().toObject();
        QCOMPARE(h.value(QStringLiteral("docs_read")).toInt(), 3); // only what is new
        QCOMPARE(h.value(QStringLiteral("start_last_seq")).toVariant().toString(), seqBefore);
        QCOMPARE(h.value(QStringLiteral("docs_written")).toInt(), 3);
        // As on CouchDB 3, the scheduler lists what runs: a finished one-shot is gone.
        QVERIFY(!m_ours->get(QStringLiteral("/_scheduler/jobs")).body.contains("/pulled"));
    }

    void pouchPullsFromOurCouchFace()
    {
        seed(*m_ours, QStringLiteral("ours"), 120);
        // pouchdb-server's own replicator, HTTP on both ends (it creates the target).
        const HttpReply r = m_peer->post(
            QStringLiteral("/_replicate"),
            replicateBody(ourUrl(QStringLiteral("ours")), pouchUrl(QStringLiteral("copy"))));
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(r.json().value(QStringLiteral("doc_write_failures")).toInt(), 0);
        const auto mine = couchSnapshot(*m_ours, QStringLiteral("ours"));
        const auto theirs = couchSnapshot(*m_peer, QStringLiteral("copy"));
        QCOMPARE(mine.size(), 120 + 5 + 1 + 1 + 5);
        QVERIFY2(mine == theirs, qPrintable(describeDifference(mine, theirs)));
    }

    void pouchPushesIntoOurCouchFace()
    {
        // pouchdb-server's replicator as the client of our target-side routes: it creates the
        // database, asks _revs_diff, writes _bulk_docs new_edits=false and keeps its own
        // checkpoint format in our _local docs.
        const HttpReply r = m_peer->post(
            QStringLiteral("/_replicate"),
            replicateBody(pouchUrl(QStringLiteral("src")), ourUrl(QStringLiteral("pushed"))));
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(r.json().value(QStringLiteral("doc_write_failures")).toInt(), 0);
        const auto theirs = couchSnapshot(*m_peer, QStringLiteral("src"));
        const auto mine = couchSnapshot(*m_ours, QStringLiteral("pushed"));
        QVERIFY2(theirs == mine, qPrintable(describeDifference(theirs, mine)));
        // Again: its checkpoint on our side makes the second run read nothing.
        const HttpReply again = m_peer->post(
            QStringLiteral("/_replicate"),
            replicateBody(pouchUrl(QStringLiteral("src")), ourUrl(QStringLiteral("pushed"))));
        QCOMPARE(again.status, 200);
        QCOMPARE(again.json().value(QStringLiteral("docs_read")).toInt(), 0);
    }

    void attachmentsArriveWithTheirData()
    {
        const QByteArray data = QByteArrayLiteral("hello, attachment\n").toBase64();
        QCOMPARE(m_peer->put(QStringLiteral("/att")).status, 201);
        const QJsonObject doc{
            {QStringLiteral("title"), QStringLiteral("with a file")},
            {QStringLiteral("_attachments"),
             QJsonObject{
                 {QStringLiteral("hello.txt"),
                  QJsonObject{{QStringLiteral("content_type"), QStringLiteral("text/plain")},
                              {QStringLiteral("data"), QString::fromLatin1(data)}}}}}};
        QCOMPARE(m_peer->put(QStringLiteral("/att/withfile"), doc).status, 201);
        HttpReply r =
            m_ours->post(QStringLiteral("/_replicate"),
                         replicateBody(pouchUrl(QStringLiteral("att")), QStringLiteral("att"),
                                       {{QStringLiteral("create_target"), true}}));
        QVERIFY2(r.status == 200, r.body.constData());
        const QJsonObject mine =
            m_ours->get(QStringLiteral("/att/withfile?attachments=true")).json();
        const QJsonObject file = mine.value(QStringLiteral("_attachments"))
                                     .toObject()
                                     .value(QStringLiteral("hello.txt"))
                                     .toObject();
        QCOMPARE(file.value(QStringLiteral("data")).toString().toLatin1(), data);
        QVERIFY(!file.value(QStringLiteral("stub")).toBool());
        // And back: pouchdb-server pulls it from our face with the data.
        r = m_peer->post(
            QStringLiteral("/_replicate"),
            replicateBody(ourUrl(QStringLiteral("att")), pouchUrl(QStringLiteral("attback"))));
        QVERIFY2(r.status == 200, r.body.constData());
        const QJsonObject theirs =
            m_peer->get(QStringLiteral("/attback/withfile?attachments=true")).json();
        QCOMPARE(theirs.value(QStringLiteral("_attachments"))
                     .toObject()
                     .value(QStringLiteral("hello.txt"))
                     .toObject()
                     .value(QStringLiteral("data"))
                     .toString()
                     .toLatin1(),
                 data);
    }

    void docIdsOnly()
    {
        const HttpReply r = m_ours->post(
            QStringLiteral("/_replicate"),
            replicateBody(
                pouchUrl(QStringLiteral("src")), QStringLiteral("some"),
                {{QStringLiteral("create_target"), true},
                 {QStringLiteral("doc_ids"),
                  QJsonArray{QStringLiteral("doc0007"), QStringLiteral("conflicted1")}}}));
        QVERIFY2(r.status == 200, r.body.constData());
        const QJsonObject all = m_ours->get(QStringLiteral("/some/_all_docs")).json();
        QCOMPARE(all.value(QStringLiteral("total_rows")).toInt(), 2);
        QCOMPARE(m_ours->get(QStringLiteral("/some/conflicted1?conflicts=true"))
                     .json()
                     .value(QStringLiteral("_conflicts"))
                     .toArray()
                     .size(),
                 1);
    }

    void javascriptFilterWithQueryParams()
    {
        const QJsonObject ddoc{
            {QStringLiteral("filters"),
             QJsonObject{
                 {QStringLiteral("by_type"),
                  QStringLiteral("function(doc, req) { return doc.type === req.query.type; }")}}}};
        QCOMPARE(m_peer->put(QStringLiteral("/src/_design/app"), ddoc).status, 201);
        const HttpReply r = m_ours->post(
            QStringLiteral("/_replicate"),
            replicateBody(pouchUrl(QStringLiteral("src")), QStringLiteral("typed"),
                          {{QStringLiteral("create_target"), true},
                           {QStringLiteral("filter"), QStringLiteral("app/by_type")},
                           {QStringLiteral("query_params"),
                            QJsonObject{{QStringLiteral("type"), QStringLiteral("x")}}}}));
        QVERIFY2(r.status == 200, r.body.constData());
        const QJsonObject all =
            m_ours->get(QStringLiteral("/typed/_all_docs?include_docs=true")).json();
        QCOMPARE(all.value(QStringLiteral("total_rows")).toInt(), 100); // i % 3 == 0 of 300
        for (const QJsonValue &row : all.value(QStringLiteral("rows")).toArray())
            QCOMPARE(row.toObject()
                         .value(QStringLiteral("doc"))
                         .toObject()
                         .value(QStringLiteral("type"))
                         .toString(),
                     QStringLiteral("x"));
        // The same filter evaluated by our own face (QJSEngine) gives the same set.
        QCOMPARE(m_ours->put(QStringLiteral("/typed/_design/app"), ddoc).status, 201);
        const auto count = [&](const QString &type) {
            return m_ours->get(QStringLiteral("/typed/_changes?filter=app/by_type&type=") + type)
                .json()
                .value(QStringLiteral("results"))
                .toArray()
                .size();
        };
        QCOMPARE(count(QStringLiteral("x")), 100);
        QCOMPARE(count(QStringLiteral("y")), 0);
        const HttpReply changes =
            m_ours->get(QStringLiteral("/pulled/_changes?filter=app/by_type&type=y"));
        QCOMPARE(changes.status, 404); // pulled has no design doc: a clear not_found
        QCOMPARE(changes.json().value(QStringLiteral("error")).toString(),
                 QStringLiteral("not_found"));
    }

    void continuousThenCancel()
    {
        const QJsonObject body = replicateBody(
            pouchUrl(QStringLiteral("src")), QStringLiteral("live"),
            {{QStringLiteral("create_target"), true}, {QStringLiteral("continuous"), true}});
        const HttpReply r = m_ours->post(QStringLiteral("/_replicate"), body);
        QCOMPARE(r.status, 202);
        const QString localId = r.json().value(QStringLiteral("_local_id")).toString();
        QVERIFY(localId.endsWith(QStringLiteral("+continuous+create_target")));
        QVERIFY(waitFor([&] {
            return m_ours->get(QStringLiteral("/live"))
                       .json()
                       .value(QStringLiteral("doc_count"))
                       .toInt() >= 300;
        }));
        QCOMPARE(
            m_peer->put(QStringLiteral("/src/while-live"), QJsonObject{{QStringLiteral("x"), 1}})
                .status,
            201);
        QVERIFY(
            waitFor([&] { return m_ours->get(QStringLiteral("/live/while-live")).status == 200; }));
        const QJsonArray tasks = m_ours->get(QStringLiteral("/_active_tasks")).jsonArray();
        bool listed = false;
        for (const QJsonValue &t : tasks) {
            const QJsonObject o = t.toObject();
            if (o.value(QStringLiteral("replication_id")).toString() != localId)
                continue;
            listed = true;
            QVERIFY(o.value(QStringLiteral("docs_written")).toInt() >= 300);
            QVERIFY(o.value(QStringLiteral("source"))
                        .toString()
                        .startsWith(QStringLiteral("http://127.0.0.1")));
            for (const char *field : {"docs_read", "doc_write_failures", "changes_pending",
                                      "checkpointed_source_seq", "started_on", "updated_on"})
                QVERIFY2(o.contains(QLatin1String(field)), field);
        }
        QVERIFY(listed);

        QJsonObject cancel = body;
        cancel.insert(QStringLiteral("cancel"), true);
        const HttpReply c = m_ours->post(QStringLiteral("/_replicate"), cancel);
        QCOMPARE(c.status, 200);
        QCOMPARE(c.json().value(QStringLiteral("_local_id")).toString(), localId);
        QCOMPARE(
            m_peer->put(QStringLiteral("/src/after-cancel"), QJsonObject{{QStringLiteral("x"), 2}})
                .status,
            201);
        QThread::msleep(1500);
        QCOMPARE(m_ours->get(QStringLiteral("/live/after-cancel")).status, 404);
        QCOMPARE(m_ours->post(QStringLiteral("/_replicate"), cancel).status, 404);
        QCOMPARE(m_ours
                     ->post(QStringLiteral("/_replicate"),
                            QJsonObject{{QStringLiteral("replication_id"), localId},
                                        {QStringLiteral("cancel"), true}})
                     .status,
                 404);
    }

    void databaseNotFound()
    {
        HttpReply r =
            m_ours->post(QStringLiteral("/_replicate"),
                         replicateBody(pouchUrl(QStringLiteral("nosuch")), QStringLiteral("x1"),
                                       {{QStringLiteral("create_target"), true}}));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.json().value(QStringLiteral("error")).toString(),
                 QStringLiteral("db_not_found"));
        QVERIFY(
            r.json().value(QStringLiteral("reason")).toString().contains(QStringLiteral("nosuch")));
        r = m_ours->post(
            QStringLiteral("/_replicate"),
            replicateBody(pouchUrl(QStringLiteral("src")), QStringLiteral("notthere")));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.json().value(QStringLiteral("error")).toString(),
                 QStringLiteral("db_not_found"));
        QCOMPARE(m_ours->get(QStringLiteral("/notthere")).status, 404); // nothing was created
        r = m_ours->post(QStringLiteral("/_replicate"),
                         replicateBody(QStringLiteral("pulled"), pouchUrl(QStringLiteral("nope"))));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.json().value(QStringLiteral("error")).toString(),
                 QStringLiteral("db_not_found"));
    }

    void badRequestsNameTheField()
    {
        const struct
        {
            QJsonObject body;
            const char *mentions;
        } cases[] = {
            {replicateBody(QStringLiteral("a"), QStringLiteral("b"),
                           {{QStringLiteral("continuous"), QStringLiteral("yes")}}),
             "continuous"},
            {replicateBody(QStringLiteral("a"), QStringLiteral("b"),
                           {{QStringLiteral("doc_ids"), QJsonArray{QStringLiteral("x")}},
                            {QStringLiteral("filter"), QStringLiteral("d/f")}}),
             "mutually exclusive"},
            {replicateBody(QStringLiteral("ftp://h/db"), QStringLiteral("b")), "source"},
            {QJsonObject{{QStringLiteral("target"), QStringLiteral("b")}}, "source"},
            {replicateBody(QStringLiteral("a"), QStringLiteral("b"),
                           {{QStringLiteral("proxy"), QStringLiteral("http://p:1")},
                            {QStringLiteral("source_proxy"), QStringLiteral("http://p:2")}}),
             "proxy"},
        };
        for (const auto &c : cases) {
            const HttpReply r = m_ours->post(QStringLiteral("/_replicate"), c.body);
            QCOMPARE(r.status, 400);
            QCOMPARE(r.json().value(QStringLiteral("error")).toString(),
                     QStringLiteral("bad_request"));
            QVERIFY2(r.json()
                         .value(QStringLiteral("reason"))
                         .toString()
                         .contains(QLatin1String(c.mentions)),
                     r.body.constData());
        }
    }

    void resumesAfterTheReplicatorIsKilled()
    {
        // A continuous pull of 3000 documents, killed (-9) mid-way: after the restart the job
        // resumes by itself from its checkpoint and the target ends equal to the source.
        QJsonArray docs;
        for (int i = 0; i < 3000; ++i)
            docs.append(QJsonObject{
                {QStringLiteral("_id"), QStringLiteral("big%1").arg(i, 5, 10, QLatin1Char('0'))},
                {QStringLiteral("i"), i}});
        QCOMPARE(m_peer->put(QStringLiteral("/bigsrc")).status, 201);
        QCOMPARE(m_peer
                     ->post(QStringLiteral("/bigsrc/_bulk_docs"),
                            QJsonObject{{QStringLiteral("docs"), docs}})
                     .status,
                 201);

        ServerProcess replicator;
        QVERIFY2(replicator.start(), qPrintable(replicator.errorString()));
        HttpClient http(replicator.baseUrl());
        const HttpReply r =
            http.post(QStringLiteral("/_replicate"),
                      replicateBody(pouchUrl(QStringLiteral("bigsrc")), QStringLiteral("bigcopy"),
                                    {{QStringLiteral("create_target"), true},
                                     {QStringLiteral("continuous"), true},
                                     {QStringLiteral("worker_batch_size"), 10},
                                     {QStringLiteral("checkpoint_interval"), 100}}));
        QCOMPARE(r.status, 202);
        // Kill it once a checkpoint is on the target and well before the end.
        const QString localId = r.json().value(QStringLiteral("_local_id")).toString();
        const QString checkpointPath =
            QStringLiteral("/bigcopy/_local/") + localId.section(u'+', 0, 0);
        QVERIFY(waitFor([&] {
            return http.get(checkpointPath)
                       .json()
                       .value(QStringLiteral("source_last_seq"))
                       .toInt() >= 300;
        }));
        // What the checkpoint claims is on the target: with several batches in flight, one
        // finishing early must not carry the checkpoint past one still being written.
        const int claimed =
            http.get(checkpointPath).json().value(QStringLiteral("source_last_seq")).toInt();
        QJsonArray claimedIds;
        for (const QJsonValue &row :
             m_peer->get(QStringLiteral("/bigsrc/_changes?limit=%1").arg(claimed))
                 .json()
                 .value(QStringLiteral("results"))
                 .toArray())
            if (row.toObject().value(QStringLiteral("seq")).toInt() <= claimed)
                claimedIds.append(row.toObject().value(QStringLiteral("id")));
        QVERIFY(claimedIds.size() >= 300);
        const QJsonArray onTarget = http.post(QStringLiteral("/bigcopy/_all_docs"),
                                              QJsonObject{{QStringLiteral("keys"), claimedIds}})
                                        .json()
                                        .value(QStringLiteral("rows"))
                                        .toArray();
        for (const QJsonValue &row : onTarget)
            QVERIFY2(!row.toObject().contains(QStringLiteral("error")),
                     qPrintable(QStringLiteral("checkpoint at %1 but %2 is not on the target")
                                    .arg(claimed)
                                    .arg(row.toObject().value(QStringLiteral("key")).toString())));
        const int beforeCrash =
            http.get(QStringLiteral("/bigcopy")).json().value(QStringLiteral("doc_count")).toInt();
        QVERIFY2(beforeCrash < 3000, "the pull finished before it could be interrupted");
        replicator.kill();
        QVERIFY2(replicator.start(), qPrintable(replicator.errorString()));
        http.setBase(replicator.baseUrl());
        const int afterCrash =
            http.get(QStringLiteral("/bigcopy")).json().value(QStringLiteral("doc_count")).toInt();
        QVERIFY(afterCrash >= 300); // what was acknowledged survived the kill
        QVERIFY(waitFor(
            [&] {
                return http.get(QStringLiteral("/bigcopy"))
                           .json()
                           .value(QStringLiteral("doc_count"))
                           .toInt() == 3000;
            },
            60000));
        // The resumed session started from the checkpoint, not from 0.
        QVERIFY(waitFor([&] {
            const QJsonArray h =
                http.get(checkpointPath).json().value(QStringLiteral("history")).toArray();
            return h.size() >= 2;
        }));
        const QJsonObject log = http.get(checkpointPath).json();
        const QJsonArray history = log.value(QStringLiteral("history")).toArray();
        QVERIFY2(!history.isEmpty(), log.isEmpty() ? "no checkpoint" : "empty history");
        QVERIFY2(history.first().toObject().value(QStringLiteral("start_last_seq")).toInt() > 0,
                 QJsonDocument(history.first().toObject()).toJson().constData());
        QCOMPARE(couchSnapshot(http, QStringLiteral("bigcopy")).size(), 3000);
        QCOMPARE(http.post(QStringLiteral("/_replicate"),
                           QJsonObject{{QStringLiteral("replication_id"), localId},
                                       {QStringLiteral("cancel"), true}})
                     .status,
                 200);
    }

    void cleanupTestCase()
    {
        m_server.reset();
        m_pouch.reset();
    }
};

QTEST_GUILESS_MAIN(TestPouchInterop)
#include "tst_pouchdb_interop.moc"
