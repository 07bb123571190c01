// Interop with the real Apache CouchDB 3.4.3 (../shared/peers/couchdb; skipped with a
// message where it is absent): our replicator pulls from and pushes to CouchDB, and CouchDB's
// own replicator pulls from and pushes to our face, each with conflicts, deleted branches,
// deleted documents and attachments (a name with '/'); whole-state equality after each run,
// and the _local checkpoints reused on a second run.
#include "interop/CouchSnapshot.h"
#include "support/HttpClient.h"
#include "support/RealCouchDb.h"
#include "support/ServerProcess.h"

#include <QJsonDocument>
#include <QTest>

using namespace repl::test;

class TestCouchDbInterop : public QObject
{
    Q_OBJECT

    std::unique_ptr<ServerProcess> m_server;
    std::unique_ptr<HttpClient> m_ours;
    RealCouchDb m_couch;
    std::unique_ptr<HttpClient> m_peer;

    static QString url(QUrl base, const QString &user, const QString &password, const QString &db)
    {
        base.setUserName(user);
        base.setPassword(password);
        base.setPath(u'/' + db);
        return base.toString();
    }
    QString ours(const QString &db) const
    {
        return url(m_server->baseUrl(), QStringLiteral("root"), ServerProcess::password(), db);
    }
    QString couch(const QString &db) const
    {
        return url(m_couch.baseUrl(), QStringLiteral("admin"), RealCouchDb::password(), db);
    }
    static QJsonObject body(const QString &source, const QString &target)
    {
        return {{QStringLiteral("source"), source},
                {QStringLiteral("target"), target},
                {QStringLiteral("create_target"), true}};
    }
    // The same database on both servers: every leaf with its body, winners, conflicts,
    // deletions, and the attachment bytes.
    void expectEqual(HttpClient &a, const QString &dbA, HttpClient &b, const QString &dbB)
    {
        const auto left = couchSnapshot(a, dbA);
        const auto right = couchSnapshot(b, dbB);
        QVERIFY2(left == right, qPrintable(describeDifference(left, right)));
        QVERIFY(left.size() > 20);
        for (const QString &name : {QStringLiteral("dir/file.bin"), QStringLiteral("plain.bin")}) {
            const HttpReply x = a.get(u'/' + dbA + QStringLiteral("/withatt/") + name);
            const HttpReply y = b.get(u'/' + dbB + QStringLiteral("/withatt/") + name);
            QCOMPARE(x.status, 200);
            QCOMPARE(y.status, 200);
            QCOMPARE(x.body, y.body);
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString why = RealCouchDb::unavailableReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        m_server = std::make_unique<ServerProcess>();
        QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
        m_ours = std::make_unique<HttpClient>(m_server->baseUrl());
        QVERIFY2(m_couch.start(), qPrintable(m_couch.errorString()));
        m_peer = std::make_unique<HttpClient>(m_couch.baseUrl(), QStringLiteral("admin"),
                                              RealCouchDb::password());
        seedCouchDatabase(*m_peer, QStringLiteral("theirs"), 60);
        addAttachments(*m_peer, QStringLiteral("theirs"));
        seedCouchDatabase(*m_ours, QStringLiteral("mine"), 60);
        addAttachments(*m_ours, QStringLiteral("mine"));
    }

    // Ours pulls from CouchDB; a second run finds its checkpoint and reads only what is new.
    void wePullFromCouchDbAndResume()
    {
        const QJsonObject pull = body(couch(QStringLiteral("theirs")), QStringLiteral("pulled"));
        const HttpReply first = m_ours->post(QStringLiteral("/_replicate"), pull);
        QVERIFY2(first.status == 200, first.body.constData());
        expectEqual(*m_peer, QStringLiteral("theirs"), *m_ours, QStringLiteral("pulled"));
        // Our checkpoint is on both sides: CouchDB keeps it among its _local documents.
        const HttpReply theirLocals =
            m_peer->get(QStringLiteral("/theirs/_local_docs?include_docs=true"));
        bool checkpointed = false;
        for (const QJsonValue &row : theirLocals.json().value(QStringLiteral("rows")).toArray())
            checkpointed |= row[QStringLiteral("doc")][QStringLiteral("session_id")] ==
                            first.json().value(QStringLiteral("session_id"));
        QVERIFY2(checkpointed, theirLocals.body.constData());
        const HttpReply again = m_ours->post(QStringLiteral("/_replicate"), pull);
        QCOMPARE(again.status, 200);
        QVERIFY2(again.json().value(QStringLiteral("no_changes")).toBool(), again.body.constData());
        for (int i = 0; i < 3; ++i)
            QCOMPARE(
                m_peer->put(QStringLiteral("/theirs/new%1").arg(i), QJsonObject{{"i", i}}).status,
                201);
        const HttpReply third = m_ours->post(QStringLiteral("/_replicate"), pull);
        QCOMPARE(third.status, 200);
        QCOMPARE(third.json()[QStringLiteral("history")][0][QStringLiteral("docs_read")].toInt(),
                 3);
        expectEqual(*m_peer, QStringLiteral("theirs"), *m_ours, QStringLiteral("pulled"));
    }

    // Ours pushes (a local database to a CouchDB URL).
    void wePushToCouchDb()
    {
        const HttpReply r =
            m_ours->post(QStringLiteral("/_replicate"),
                         body(QStringLiteral("mine"), couch(QStringLiteral("pushed"))));
        QVERIFY2(r.status == 200, r.body.constData());
        expectEqual(*m_ours, QStringLiteral("mine"), *m_peer, QStringLiteral("pushed"));
    }

    // CouchDB's replicator pulls from our face, then finds its checkpoint on a second run.
    void couchDbPullsFromUs()
    {
        const QJsonObject pull =
            body(ours(QStringLiteral("mine")), couch(QStringLiteral("from-us")));
        const HttpReply r = m_peer->post(QStringLiteral("/_replicate"), pull);
        QVERIFY2(r.status == 200, r.body.constData());
        expectEqual(*m_ours, QStringLiteral("mine"), *m_peer, QStringLiteral("from-us"));
        const HttpReply again = m_peer->post(QStringLiteral("/_replicate"), pull);
        QCOMPARE(again.status, 200);
        QVERIFY2(again.json().value(QStringLiteral("no_changes")).toBool(), again.body.constData());
        // CouchDB's checkpoint lives in our _local documents (listed as CouchDB lists them).
        const HttpReply locals = m_ours->get(QStringLiteral("/mine/_local_docs?include_docs=true"));
        QCOMPARE(locals.status, 200);
        bool found = false;
        for (const QJsonValue &row : locals.json().value(QStringLiteral("rows")).toArray())
            found |= row[QStringLiteral("doc")][QStringLiteral("history")].isArray();
        QVERIFY2(found, locals.body.constData());
        QCOMPARE(locals.json().value(QStringLiteral("total_rows")), QJsonValue(QJsonValue::Null));
    }

    // CouchDB's replicator pushes into our face.
    void couchDbPushesToUs()
    {
        const HttpReply r =
            m_peer->post(QStringLiteral("/_replicate"),
                         body(couch(QStringLiteral("theirs")), ours(QStringLiteral("from-couch"))));
        QVERIFY2(r.status == 200, r.body.constData());
        expectEqual(*m_peer, QStringLiteral("theirs"), *m_ours, QStringLiteral("from-couch"));
    }
};

QTEST_GUILESS_MAIN(TestCouchDbInterop)
#include "tst_couchdb_interop.moc"
