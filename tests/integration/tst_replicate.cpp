// POST /_replicate between two real repldesk-servers: the options pouchdb-server cannot serve
// (selector, since_seq without checkpoints, winning_revs_only) and an HTTP proxy.
#include "support/HttpClient.h"
#include "support/ServerProcess.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace repl::test;

// A minimal HTTP forward proxy (plain http only): reads the absolute-form request line of a
// new connection, connects to that host and relays bytes both ways. Counts connections.
class ForwardProxy : public QObject
{
public:
    ForwardProxy() { m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }
    int connections() const { return m_connections; }

    void start()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *client = m_server.nextPendingConnection()) {
                ++m_connections;
                auto *upstream = new QTcpSocket(client);
                auto *buffered = new QByteArray;
                connect(client, &QObject::destroyed, this, [buffered] { delete buffered; });
                connect(client, &QTcpSocket::readyRead, client, [client, upstream, buffered] {
                    if (upstream->state() == QAbstractSocket::ConnectedState) {
                        upstream->write(client->readAll());
                        return;
                    }
                    *buffered += client->readAll();
                    const qsizetype eol = buffered->indexOf("\r\n");
                    if (eol < 0 || upstream->state() != QAbstractSocket::UnconnectedState)
                        return;
                    const QList<QByteArray> parts = buffered->left(eol).split(' ');
                    const QUrl target(QString::fromLatin1(parts.value(1)));
                    upstream->connectToHost(target.host(), quint16(target.port(80)));
                });
                connect(upstream, &QTcpSocket::connected, client, [upstream, buffered] {
                    upstream->write(*buffered);
                    buffered->clear();
                });
                connect(upstream, &QTcpSocket::readyRead, client,
                        [client, upstream] { client->write(upstream->readAll()); });
                connect(upstream, &QTcpSocket::disconnected, client,
                        &QTcpSocket::disconnectFromHost);
                connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
            }
        });
    }

private:
    QTcpServer m_server;
    int m_connections = 0;
};

class TestReplicate : public QObject
{
    Q_OBJECT

    std::unique_ptr<ServerProcess> m_source, m_replicator;
    std::unique_ptr<HttpClient> m_a, m_b;

    QString sourceUrl(const QString &db) const
    {
        QUrl u = m_source->baseUrl();
        u.setUserName(QStringLiteral("root"));
        u.setPassword(ServerProcess::password());
        return u.toString() + u'/' + db;
    }
    HttpReply replicate(QJsonObject body)
    {
        if (!body.contains(QStringLiteral("create_target")))
            body.insert(QStringLiteral("create_target"), true);
        return m_b->post(QStringLiteral("/_replicate"), body);
    }
    int docCount(HttpClient &h, const QString &db)
    {
        return h.get(u'/' + db).json().value(QStringLiteral("doc_count")).toInt();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_source = std::make_unique<ServerProcess>();
        QVERIFY2(m_source->start(), qPrintable(m_source->errorString()));
        m_replicator = std::make_unique<ServerProcess>();
        QVERIFY2(m_replicator->start(), qPrintable(m_replicator->errorString()));
        m_a = std::make_unique<HttpClient>(m_source->baseUrl());
        m_b = std::make_unique<HttpClient>(m_replicator->baseUrl());
        QCOMPARE(m_a->put(QStringLiteral("/src")).status, 201);
        QJsonArray docs;
        for (int i = 0; i < 50; ++i)
            docs.append(
                QJsonObject{{QStringLiteral("_id"), QStringLiteral("d%1").arg(i)},
                            {QStringLiteral("n"), i},
                            {QStringLiteral("tags"),
                             QJsonArray{i % 2 ? QStringLiteral("odd") : QStringLiteral("even")}}});
        QCOMPARE(m_a->post(QStringLiteral("/src/_bulk_docs"),
                           QJsonObject{{QStringLiteral("docs"), docs}})
                     .status,
                 201);
    }

    void selector()
    {
        const HttpReply r = replicate(
            {{QStringLiteral("source"), sourceUrl(QStringLiteral("src"))},
             {QStringLiteral("target"), QStringLiteral("sel")},
             {QStringLiteral("selector"),
              QJsonObject{
                  {QStringLiteral("n"), QJsonObject{{QStringLiteral("$lt"), 10}}},
                  {QStringLiteral("tags"),
                   QJsonObject{{QStringLiteral("$all"), QJsonArray{QStringLiteral("odd")}}}}}}});
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(docCount(*m_b, QStringLiteral("sel")), 5); // 1, 3, 5, 7, 9
        QCOMPARE(m_b->get(QStringLiteral("/sel/d3")).status, 200);
        QCOMPARE(m_b->get(QStringLiteral("/sel/d2")).status, 404);
    }

    void sinceSeqWithoutCheckpoints()
    {
        const QJsonValue before =
            m_a->get(QStringLiteral("/src")).json().value(QStringLiteral("update_seq"));
        for (int i = 0; i < 3; ++i)
            QCOMPARE(m_a->put(QStringLiteral("/src/later%1").arg(i),
                              QJsonObject{{QStringLiteral("n"), 100 + i}})
                         .status,
                     201);
        const QJsonObject body{{QStringLiteral("source"), sourceUrl(QStringLiteral("src"))},
                               {QStringLiteral("target"), QStringLiteral("since")},
                               {QStringLiteral("since_seq"), before},
                               {QStringLiteral("use_checkpoints"), false}};
        HttpReply r = replicate(body);
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(r.json().value(QStringLiteral("docs_written")).toInt(), 3);
        QCOMPARE(docCount(*m_b, QStringLiteral("since")), 3);
        // Without checkpoints a rerun scans from since_seq again (nothing is new to write).
        r = replicate(body);
        QCOMPARE(r.status, 200);
        QVERIFY2(!r.json().value(QStringLiteral("no_changes")).toBool(), r.body.constData());
        QCOMPARE(r.json().value(QStringLiteral("docs_written")).toInt(), 0);
        QCOMPARE(r.json().value(QStringLiteral("history")).toArray().size(), 0);
    }

    void winningRevisionsOnly()
    {
        const QByteArray conflict =
            R"({"new_edits":false,"docs":[
              {"_id":"c","_rev":"2-aaaa","_revisions":{"start":2,"ids":["aaaa","1111"]},"v":"a"},
              {"_id":"c","_rev":"2-bbbb","_revisions":{"start":2,"ids":["bbbb","1111"]},"v":"b"}]})";
        QCOMPARE(m_a->post(QStringLiteral("/src/_bulk_docs"), conflict).status, 201);
        HttpReply r = replicate({{QStringLiteral("source"), sourceUrl(QStringLiteral("src"))},
                                 {QStringLiteral("target"), QStringLiteral("winners")},
                                 {QStringLiteral("winning_revs_only"), true}});
        QVERIFY2(r.status == 200, r.body.constData());
        const QJsonObject c = m_b->get(QStringLiteral("/winners/c?conflicts=true")).json();
        QCOMPARE(c.value(QStringLiteral("_rev")).toString(), QStringLiteral("2-bbbb"));
        QVERIFY(!c.contains(QStringLiteral("_conflicts")));
        // The full replication keeps the conflict.
        r = replicate({{QStringLiteral("source"), sourceUrl(QStringLiteral("src"))},
                       {QStringLiteral("target"), QStringLiteral("everything")}});
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(m_b->get(QStringLiteral("/everything/c?conflicts=true"))
                     .json()
                     .value(QStringLiteral("_conflicts"))
                     .toArray(),
                 QJsonArray{QStringLiteral("2-aaaa")});
    }

    void withoutBulkGet()
    {
        // Documents with history and a conflict, fetched one by one with open_revs.
        const HttpReply r = replicate({{QStringLiteral("source"), sourceUrl(QStringLiteral("src"))},
                                       {QStringLiteral("target"), QStringLiteral("openrevs")},
                                       {QStringLiteral("use_bulk_get"), false}});
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(r.json()
                     .value(QStringLiteral("history"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("doc_write_failures"))
                     .toInt(),
                 0);
        QCOMPARE(docCount(*m_b, QStringLiteral("openrevs")), docCount(*m_a, QStringLiteral("src")));
        QCOMPARE(m_b->get(QStringLiteral("/openrevs/c?conflicts=true"))
                     .json()
                     .value(QStringLiteral("_conflicts"))
                     .toArray(),
                 QJsonArray{QStringLiteral("2-aaaa")});
    }

    // Several batches are in flight at once (worker_processes): a first batch with a 24 MB
    // document is still being fetched and written while the small ones after it finish. A
    // checkpoint taken meanwhile must claim only what is written, in feed order: polled
    // throughout, whenever it says the big document's seq or later, the document is there.
    void checkpointsOnlyClaimWhatIsWritten()
    {
        QCOMPARE(m_a->put(QStringLiteral("/ooo")).status, 201);
        QCOMPARE(m_a->put(QStringLiteral("/ooo/big"),
                          QJsonObject{{QStringLiteral("blob"), QString(24 << 20, u'x')}})
                     .status,
                 201);
        QJsonArray docs;
        for (int i = 0; i < 300; ++i)
            docs.append(QJsonObject{
                {QStringLiteral("_id"), QStringLiteral("s%1").arg(i, 3, 10, QChar(u'0'))},
                {QStringLiteral("n"), i}});
        QCOMPARE(m_a->post(QStringLiteral("/ooo/_bulk_docs"),
                           QJsonObject{{QStringLiteral("docs"), docs}})
                     .status,
                 201);
        const QJsonArray feed = m_a->get(QStringLiteral("/ooo/_changes"))
                                    .json()
                                    .value(QStringLiteral("results"))
                                    .toArray();
        QCOMPARE(feed.first().toObject().value(QStringLiteral("id")).toString(),
                 QStringLiteral("big"));
        const QJsonValue bigSeq = feed.first().toObject().value(QStringLiteral("seq"));
        const auto seqNumber = [](const QJsonValue &v) {
            return v.isString() ? v.toString().section(u'-', 0, 0).toLongLong() : v.toInteger();
        };
        const HttpReply started =
            replicate({{QStringLiteral("source"), sourceUrl(QStringLiteral("ooo"))},
                       {QStringLiteral("target"), QStringLiteral("ooo")},
                       {QStringLiteral("continuous"), true},
                       {QStringLiteral("worker_batch_size"), 5},
                       {QStringLiteral("worker_processes"), 4},
                       {QStringLiteral("checkpoint_interval"), 100}});
        QVERIFY2(started.status == 202, started.body.constData());
        const QString id = started.json().value(QStringLiteral("_local_id")).toString();
        const QString checkpoint = QStringLiteral("/ooo/_local/") + id.section(u'+', 0, 0);
        QElapsedTimer clock;
        clock.start();
        int checkpointsSeen = 0;
        while (docCount(*m_b, QStringLiteral("ooo")) < 301 && clock.elapsed() < 60000) {
            const QJsonValue claimed =
                m_b->get(checkpoint).json().value(QStringLiteral("source_last_seq"));
            if (!claimed.isUndefined() && seqNumber(claimed) >= seqNumber(bigSeq)) {
                ++checkpointsSeen;
                QVERIFY2(m_b->get(QStringLiteral("/ooo/big")).status == 200,
                         qPrintable(QStringLiteral("the checkpoint claims %1 but the document "
                                                   "of seq %2 is not written")
                                        .arg(claimed.toVariant().toString(),
                                             bigSeq.toVariant().toString())));
            }
            QTest::qWait(5);
        }
        QCOMPARE(docCount(*m_b, QStringLiteral("ooo")), 301);
        QVERIFY(checkpointsSeen > 0);
        QCOMPARE(m_b->post(QStringLiteral("/_replicate"),
                           QJsonObject{{QStringLiteral("replication_id"), id},
                                       {QStringLiteral("cancel"), true}})
                     .status,
                 200);
    }

    void throughAnHttpProxy()
    {
        ForwardProxy proxy;
        proxy.start();
        const HttpReply r = replicate(
            {{QStringLiteral("source"), sourceUrl(QStringLiteral("src"))},
             {QStringLiteral("target"), QStringLiteral("proxied")},
             {QStringLiteral("proxy"), QStringLiteral("http://127.0.0.1:%1").arg(proxy.port())}});
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(docCount(*m_b, QStringLiteral("proxied")), docCount(*m_a, QStringLiteral("src")));
        QVERIFY(proxy.connections() > 0);
        // A proxy that is not there: the source cannot be opened, and the answer says so.
        const HttpReply dead =
            replicate({{QStringLiteral("source"), sourceUrl(QStringLiteral("src"))},
                       {QStringLiteral("target"), QStringLiteral("noproxy")},
                       {QStringLiteral("retries_per_request"), 0},
                       {QStringLiteral("proxy"), QStringLiteral("http://127.0.0.1:1")}});
        QCOMPARE(dead.status, 404);
        QCOMPARE(dead.json().value(QStringLiteral("error")).toString(),
                 QStringLiteral("db_not_found"));
    }

    void credentialsNeverShowInTaskLists()
    {
        const HttpReply r = replicate({{QStringLiteral("source"), sourceUrl(QStringLiteral("src"))},
                                       {QStringLiteral("target"), QStringLiteral("live")},
                                       {QStringLiteral("continuous"), true}});
        QCOMPARE(r.status, 202);
        const QByteArray tasks = m_b->get(QStringLiteral("/_active_tasks")).body;
        const QByteArray jobs = m_b->get(QStringLiteral("/_scheduler/jobs")).body;
        QVERIFY(tasks.contains("/src"));
        QVERIFY(!tasks.contains(ServerProcess::password().toUtf8()));
        QVERIFY(!jobs.contains(ServerProcess::password().toUtf8()));
        QCOMPARE(m_b->post(QStringLiteral("/_replicate"),
                           QJsonObject{{QStringLiteral("replication_id"),
                                        r.json().value(QStringLiteral("_local_id"))},
                                       {QStringLiteral("cancel"), true}})
                     .status,
                 200);
    }

    // --max-replications bounds the jobs running at once: one more is refused with a reason,
    // and a slot that frees takes the next.
    void runningJobsAreBounded()
    {
        ServerProcess capped({}, {QStringLiteral("--max-replications"), QStringLiteral("1")});
        QVERIFY2(capped.start(), qPrintable(capped.errorString()));
        HttpClient c(capped.baseUrl());
        auto continuous = [&](const QString &target) {
            return c.post(QStringLiteral("/_replicate"),
                          QJsonObject{{QStringLiteral("source"), sourceUrl(QStringLiteral("src"))},
                                      {QStringLiteral("target"), target},
                                      {QStringLiteral("create_target"), true},
                                      {QStringLiteral("continuous"), true}});
        };
        const HttpReply first = continuous(QStringLiteral("one"));
        QCOMPARE(first.status, 202);
        const HttpReply second = continuous(QStringLiteral("two"));
        QCOMPARE(second.status, 503);
        QVERIFY2(second.body.contains("--max-replications"), second.body.constData());
        QCOMPARE(c.post(QStringLiteral("/_replicate"),
                        QJsonObject{{QStringLiteral("replication_id"),
                                     first.json().value(QStringLiteral("_local_id"))},
                                    {QStringLiteral("cancel"), true}})
                     .status,
                 200);
        QTRY_COMPARE_WITH_TIMEOUT(continuous(QStringLiteral("two")).status, 202, 10000);
    }
};

QTEST_GUILESS_MAIN(TestReplicate)
#include "tst_replicate.moc"
