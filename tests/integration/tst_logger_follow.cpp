// The replication logger over HTTP against a real repldesk-server: the scenario from
// ArangoDB's logger-follow documentation, chunking, headers, errors, config, retention.
#include "support/HttpClient.h"
#include "support/ServerProcess.h"

#include <QTest>

using namespace repl::test;

class TestLoggerFollow : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ServerProcess> m_server;
    std::unique_ptr<HttpClient> m_http;

    QString lastLogTick()
    {
        const HttpReply r = m_http->get(QStringLiteral("/_api/replication/logger-state"));
        return r.json()[QStringLiteral("state")]
            .toObject()[QStringLiteral("lastLogTick")]
            .toString();
    }

    // create products, save p1 and p2, remove p1, update p2, drop the collection.
    void runDocumentedScenario()
    {
        QCOMPARE(m_http->post(QStringLiteral("/_api/collection"), QJsonObject{{"name", "products"}})
                     .status,
                 200);
        QCOMPARE(m_http
                     ->post(QStringLiteral("/_api/document/products"),
                            QByteArray(R"({"_key":"p1","name":"flux compensator"})"))
                     .status,
                 202);
        QCOMPARE(m_http
                     ->post(QStringLiteral("/_api/document/products"),
                            QByteArray(R"({"_key":"p2","name":"hybrid hovercraft","hp":5100})"))
                     .status,
                 202);
        QCOMPARE(m_http->del(QStringLiteral("/_api/document/products/p1")).status, 202);
        QCOMPARE(m_http
                     ->patch(QStringLiteral("/_api/document/products/p2"),
                             QByteArray(R"({"name":"broken hovercraft"})"))
                     .status,
                 202);
        QCOMPARE(m_http->del(QStringLiteral("/_api/collection/products")).status, 200);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<ServerProcess>();
        QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
        m_http = std::make_unique<HttpClient>(m_server->baseUrl());
    }

    void startAndStopAreReal()
    {
        HttpReply r = m_http->put(QStringLiteral("/_api/replication/logger-start"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json()[QStringLiteral("running")].toBool(), true);
        const QString before = lastLogTick();
        // Stopped: writes are not logged.
        r = m_http->put(QStringLiteral("/_api/replication/logger-stop"));
        QCOMPARE(r.json()[QStringLiteral("running")].toBool(), false);
        const QString afterStop = lastLogTick();
        QVERIFY(afterStop.toULongLong() > before.toULongLong()); // the 1000 marker
        QCOMPARE(m_http->post(QStringLiteral("/_api/collection"), QJsonObject{{"name", "unlogged"}})
                     .status,
                 200);
        QCOMPARE(lastLogTick(), afterStop);
        QCOMPARE(m_http->get(QStringLiteral("/_api/replication/logger-state"))
                     .json()[QStringLiteral("state")]
                     .toObject()[QStringLiteral("running")]
                     .toBool(),
                 false);
        r = m_http->get(QStringLiteral("/_api/replication/logger-follow?from=") + before);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("x-arango-replication-active"), QByteArray("false"));
        QList<QJsonObject> lines = r.lines();
        QCOMPARE(lines.size(), 1);
        QCOMPARE(lines[0][QStringLiteral("type")].toInt(), 1000);
        // Started again: a 1001 marker, then events again.
        QCOMPARE(m_http->put(QStringLiteral("/_api/replication/logger-start")).status, 200);
        r = m_http->get(QStringLiteral("/_api/replication/logger-follow?from=") + afterStop);
        lines = r.lines();
        QCOMPARE(lines.size(), 1);
        QCOMPARE(lines[0][QStringLiteral("type")].toInt(), 1001);
        QCOMPARE(r.header("x-arango-replication-active"), QByteArray("true"));
        QCOMPARE(m_http->del(QStringLiteral("/_api/collection/unlogged")).status, 200);
    }

    void documentedScenario()
    {
        const QString from = lastLogTick();
        runDocumentedScenario();
        const HttpReply r =
            m_http->get(QStringLiteral("/_api/replication/logger-follow?from=") + from);
        QCOMPARE(r.status, 200);
        QVERIFY(r.header("content-type").startsWith("application/x-arango-dump"));
        QVERIFY(r.body.endsWith('\n'));
        const QList<QJsonObject> ev = r.lines();
        QCOMPARE(ev.size(), 6);
        const QList<int> types{2000, 2300, 2300, 2302, 2300, 2001};
        for (int i = 0; i < 6; ++i) {
            QCOMPARE(ev[i][QStringLiteral("type")].toInt(), types[i]);
            QCOMPARE(ev[i][QStringLiteral("cname")].toString(), QStringLiteral("products"));
            QVERIFY(ev[i][QStringLiteral("tick")].isString());
            if (i)
                QVERIFY(ev[i][QStringLiteral("tick")].toString().toULongLong() >
                        ev[i - 1][QStringLiteral("tick")].toString().toULongLong());
            QCOMPARE(ev[i][QStringLiteral("cid")].toString(),
                     ev[0][QStringLiteral("cid")].toString());
        }
        QCOMPARE(ev[0][QStringLiteral("collection")].toObject()[QStringLiteral("name")].toString(),
                 QStringLiteral("products"));
        QCOMPARE(ev[1][QStringLiteral("key")].toString(), QStringLiteral("p1"));
        QCOMPARE(ev[1][QStringLiteral("data")].toObject()[QStringLiteral("name")].toString(),
                 QStringLiteral("flux compensator"));
        QCOMPARE(ev[1][QStringLiteral("data")].toObject()[QStringLiteral("_id")].toString(),
                 QStringLiteral("products/p1"));
        QCOMPARE(ev[2][QStringLiteral("key")].toString(), QStringLiteral("p2"));
        QCOMPARE(ev[2][QStringLiteral("data")].toObject()[QStringLiteral("hp")].toInt(), 5100);
        QCOMPARE(ev[3][QStringLiteral("key")].toString(), QStringLiteral("p1"));
        QCOMPARE(ev[3][QStringLiteral("oldRev")].toString(),
                 ev[1][QStringLiteral("rev")].toString());
        QCOMPARE(ev[4][QStringLiteral("key")].toString(), QStringLiteral("p2"));
        // A PATCH logs the merged document.
        const QJsonObject merged = ev[4][QStringLiteral("data")].toObject();
        QCOMPARE(merged[QStringLiteral("name")].toString(), QStringLiteral("broken hovercraft"));
        QCOMPARE(merged[QStringLiteral("hp")].toInt(), 5100);
        QCOMPARE(merged[QStringLiteral("_rev")].toString(),
                 ev[4][QStringLiteral("rev")].toString());
        for (int i = 1; i < 5; ++i)
            QCOMPARE(ev[i][QStringLiteral("tid")].toString(), QStringLiteral("0"));
        const QByteArray last = ev[5][QStringLiteral("tick")].toString().toUtf8();
        QCOMPARE(r.header("x-arango-replication-lastincluded"), last);
        QCOMPARE(r.header("x-arango-replication-lasttick"), last);
        QCOMPARE(r.header("x-arango-replication-checkmore"), QByteArray("false"));
        QCOMPARE(r.header("x-arango-replication-frompresent"), QByteArray("true"));
        QCOMPARE(r.header("x-arango-replication-active"), QByteArray("true"));

        // 204 at the end, lastincluded 0, same headers.
        const HttpReply end = m_http->get(QStringLiteral("/_api/replication/logger-follow?from=") +
                                          QString::fromUtf8(last));
        QCOMPARE(end.status, 204);
        QVERIFY(end.body.isEmpty());
        QCOMPARE(end.header("x-arango-replication-lastincluded"), QByteArray("0"));
        QCOMPARE(end.header("x-arango-replication-lasttick"), last);
        QCOMPARE(end.header("x-arango-replication-checkmore"), QByteArray("false"));

        // to= bounds the range inclusively.
        const QString third = ev[2][QStringLiteral("tick")].toString();
        const HttpReply bounded = m_http->get(
            QStringLiteral("/_api/replication/logger-follow?from=%1&to=%2").arg(from, third));
        QCOMPARE(bounded.lines().size(), 3);
        QCOMPARE(bounded.header("x-arango-replication-lastincluded"), third.toUtf8());
    }

    void chunkSizeSplitsTheSameEvents()
    {
        const QString from = lastLogTick();
        runDocumentedScenario();
        const QList<QJsonObject> all =
            m_http->get(QStringLiteral("/_api/replication/logger-follow?from=") + from).lines();
        QCOMPARE(all.size(), 6);
        QList<QJsonObject> collected;
        QString next = from;
        int calls = 0;
        for (;;) {
            const HttpReply r = m_http->get(
                QStringLiteral("/_api/replication/logger-follow?chunkSize=400&from=") + next);
            QVERIFY(r.status == 200 || r.status == 204);
            ++calls;
            QVERIFY(calls < 20);
            if (r.status == 204) {
                QCOMPARE(r.header("x-arango-replication-lastincluded"), QByteArray("0"));
                break;
            }
            const QList<QJsonObject> part = r.lines();
            QVERIFY(!part.isEmpty()); // at least one event, even when it exceeds chunkSize
            collected += part;
            const bool more = r.header("x-arango-replication-checkmore") == "true";
            next = QString::fromUtf8(r.header("x-arango-replication-lastincluded"));
            QCOMPARE(next, part.last()[QStringLiteral("tick")].toString());
            if (!more) {
                QCOMPARE(collected.size(), all.size());
            }
        }
        QVERIFY2(calls >= 3, "chunkSize=400 must split the six events over several calls");
        QCOMPARE(collected, all);
    }

    void badRequests_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("errorNum");
        QTest::newRow("from>to") << QByteArray("GET")
                                 << "/_api/replication/logger-follow?from=10&to=5" << 400 << 400;
        QTest::newRow("to=0") << QByteArray("GET") << "/_api/replication/logger-follow?to=0" << 400
                              << 400;
        QTest::newRow("from not a number")
            << QByteArray("GET") << "/_api/replication/logger-follow?from=abc" << 400 << 400;
        QTest::newRow("POST follow")
            << QByteArray("POST") << "/_api/replication/logger-follow" << 405 << 405;
        QTest::newRow("DELETE follow")
            << QByteArray("DELETE") << "/_api/replication/logger-follow" << 405 << 405;
        QTest::newRow("GET logger-start")
            << QByteArray("GET") << "/_api/replication/logger-start" << 405 << 405;
        QTest::newRow("POST logger-state")
            << QByteArray("POST") << "/_api/replication/logger-state" << 405 << 405;
        QTest::newRow("unknown command")
            << QByteArray("GET") << "/_api/replication/frobnicate" << 400 << 400;
        QTest::newRow("superfluous suffix")
            << QByteArray("GET") << "/_api/replication/logger-state/x" << 400 << 601;
        QTest::newRow("dump without collection")
            << QByteArray("GET") << "/_api/replication/dump" << 400 << 400;
        QTest::newRow("dump unknown collection")
            << QByteArray("GET") << "/_api/replication/dump?collection=nope" << 404 << 1203;
    }

    void badRequests()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(int, status);
        QFETCH(int, errorNum);
        const HttpReply r =
            m_http->request(method, path, method == "POST" ? QByteArray("{}") : QByteArray());
        QCOMPARE(r.status, status);
        const QJsonObject e = r.json();
        QCOMPARE(e[QStringLiteral("error")].toBool(), true);
        QCOMPARE(e[QStringLiteral("code")].toInt(), status);
        QCOMPARE(e[QStringLiteral("errorNum")].toInt(), errorNum);
        QVERIFY(!e[QStringLiteral("errorMessage")].toString().isEmpty());
    }

    void invalidFromToMessage()
    {
        const HttpReply r =
            m_http->get(QStringLiteral("/_api/replication/logger-follow?from=10&to=5"));
        QCOMPARE(r.json()[QStringLiteral("errorMessage")].toString(),
                 QStringLiteral("invalid from/to values"));
        const HttpReply bad =
            m_http->get(QStringLiteral("/_api/replication/logger-follow?chunkSize=big"));
        QVERIFY(bad.json()[QStringLiteral("errorMessage")].toString().contains(
            QStringLiteral("chunkSize")));
    }

    void clientsAreListed()
    {
        const QString from = lastLogTick();
        QCOMPARE(
            m_http
                ->get(QStringLiteral("/_api/replication/logger-follow?serverId=4242&from=") + from)
                .status,
            204);
        const QJsonArray clients = m_http->get(QStringLiteral("/_api/replication/logger-state"))
                                       .json()[QStringLiteral("clients")]
                                       .toArray();
        bool found = false;
        for (const QJsonValue &c : clients) {
            if (c[QStringLiteral("serverId")].toString() == QStringLiteral("4242")) {
                found = true;
                QCOMPARE(c[QStringLiteral("lastServedTick")].toString(), from);
                QVERIFY(!c[QStringLiteral("time")].toString().isEmpty());
            }
        }
        QVERIFY(found);
        const QJsonObject state =
            m_http->get(QStringLiteral("/_api/replication/logger-state")).json();
        QCOMPARE(state[QStringLiteral("server")].toObject()[QStringLiteral("serverId")].toString(),
                 m_server->serverIdFromBanner());
        QVERIFY(
            state[QStringLiteral("state")].toObject()[QStringLiteral("totalEvents")].toDouble() >
            10);
    }

    void includeSystemFiltersSystemCollections()
    {
        const QString from = lastLogTick();
        QCOMPARE(
            m_http->post(QStringLiteral("/_api/collection"), QJsonObject{{"name", "_sys1"}}).status,
            200);
        QCOMPARE(m_http->post(QStringLiteral("/_api/document/_sys1"), QByteArray("{}")).status,
                 202);
        QCOMPARE(m_http->get(QStringLiteral("/_api/replication/logger-follow?from=") + from)
                     .lines()
                     .size(),
                 2);
        QCOMPARE(
            m_http
                ->get(QStringLiteral("/_api/replication/logger-follow?includeSystem=false&from=") +
                      from)
                .status,
            204);
        QCOMPARE(m_http->del(QStringLiteral("/_api/collection/_sys1")).status, 403);
        QCOMPARE(m_http->del(QStringLiteral("/_api/collection/_sys1?isSystem=true")).status, 200);
    }

    void arrayInsertIsOneTransaction()
    {
        QCOMPARE(
            m_http->post(QStringLiteral("/_api/collection"), QJsonObject{{"name", "trx"}}).status,
            200);
        const QString from = lastLogTick();
        const HttpReply r =
            m_http->post(QStringLiteral("/_api/document/trx"),
                         QByteArray(R"([{"_key":"a"},{"_key":"b"},{"_key":"a"},{"_key":"c"}])"));
        QCOMPARE(r.status, 202);
        const QJsonArray results = r.jsonArray();
        QCOMPARE(results.size(), 4);
        QCOMPARE(results[2].toObject()[QStringLiteral("errorNum")].toInt(), 1210);
        QCOMPARE(r.header("x-arango-error-codes"), QByteArray(R"({"1210":1})"));
        const QList<QJsonObject> ev =
            m_http->get(QStringLiteral("/_api/replication/logger-follow?from=") + from).lines();
        QCOMPARE(ev.size(), 5);
        QCOMPARE(ev.first()[QStringLiteral("type")].toInt(), 2200);
        QCOMPARE(ev.last()[QStringLiteral("type")].toInt(), 2201);
        const QString tid = ev.first()[QStringLiteral("tid")].toString();
        QVERIFY(tid.toULongLong() > 0);
        for (const QJsonObject &e : ev)
            QCOMPARE(e[QStringLiteral("tid")].toString(), tid);
        QCOMPARE(ev[1][QStringLiteral("key")].toString(), QStringLiteral("a"));
        QCOMPARE(ev[3][QStringLiteral("key")].toString(), QStringLiteral("c"));
    }

    void configMergesValidatesAndPersists()
    {
        HttpReply r = m_http->get(QStringLiteral("/_api/replication/logger-config"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json()[QStringLiteral("autoStart")].toBool(), false);
        QCOMPARE(r.json()[QStringLiteral("maxEvents")].toDouble(), 1048576.0);
        r = m_http->put(QStringLiteral("/_api/replication/logger-config"),
                        QJsonObject{{"autoStart", true}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json()[QStringLiteral("autoStart")].toBool(), true);
        QCOMPARE(r.json()[QStringLiteral("maxEvents")].toDouble(), 1048576.0); // kept
        r = m_http->put(QStringLiteral("/_api/replication/logger-config"), QByteArray("{broken"));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json()[QStringLiteral("errorNum")].toInt(), 400);
        r = m_http->put(QStringLiteral("/_api/replication/logger-config"),
                        QJsonObject{{"maxEvents", -5}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json()[QStringLiteral("errorNum")].toInt(), 1409);
        QVERIFY(r.json()[QStringLiteral("errorMessage")].toString().contains(
            QStringLiteral("maxEvents")));
        r = m_http->put(QStringLiteral("/_api/replication/logger-config"),
                        QJsonObject{{"logRemoteChanges", "yes"}});
        QCOMPARE(r.json()[QStringLiteral("errorNum")].toInt(), 1409);
        // Nothing changed by the refused requests.
        QCOMPARE(m_http->get(QStringLiteral("/_api/replication/logger-config"))
                     .json()[QStringLiteral("logRemoteChanges")]
                     .toBool(),
                 false);
    }

    void retentionPrunesAndReportsFromPresent()
    {
        QCOMPARE(m_http->post(QStringLiteral("/_api/database"), QJsonObject{{"name", "retention"}})
                     .status,
                 201);
        const QString db = QStringLiteral("/_db/retention");
        QCOMPARE(m_http
                     ->put(db + QStringLiteral("/_api/replication/logger-config"),
                           QJsonObject{{"maxEvents", 10}})
                     .status,
                 200);
        QCOMPARE(m_http->put(db + QStringLiteral("/_api/replication/logger-start")).status, 200);
        const QString start = QString::fromUtf8(
            QByteArray::number(m_http->get(db + QStringLiteral("/_api/replication/logger-state"))
                                   .json()[QStringLiteral("state")]
                                   .toObject()[QStringLiteral("lastLogTick")]
                                   .toString()
                                   .toULongLong() -
                               1));
        QCOMPARE(m_http->post(db + QStringLiteral("/_api/collection"), QJsonObject{{"name", "r"}})
                     .status,
                 200);
        for (int i = 0; i < 30; ++i)
            QCOMPARE(
                m_http->post(db + QStringLiteral("/_api/document/r"), QJsonObject{{"i", i}}).status,
                202);
        const HttpReply old =
            m_http->get(db + QStringLiteral("/_api/replication/logger-follow?from=") + start);
        QCOMPARE(old.header("x-arango-replication-frompresent"), QByteArray("false"));
        QCOMPARE(old.lines().size(), 10);
        const QString first =
            m_http->get(db + QStringLiteral("/_api/replication/logger-first-tick"))
                .json()[QStringLiteral("firstTick")]
                .toString();
        QCOMPARE(first, old.lines().first()[QStringLiteral("tick")].toString());
        const HttpReply fresh =
            m_http->get(db + QStringLiteral("/_api/replication/logger-follow?from=") +
                        QString::number(first.toULongLong() - 1));
        QCOMPARE(fresh.header("x-arango-replication-frompresent"), QByteArray("true"));
        const QJsonArray ranges =
            m_http->get(db + QStringLiteral("/_api/replication/logger-tick-ranges")).jsonArray();
        QCOMPARE(ranges.size(), 1);
        QCOMPARE(ranges[0].toObject()[QStringLiteral("tickMin")].toString(), first);
        // The default database is untouched by this database's retention.
        QVERIFY(
            m_http->get(QStringLiteral("/_api/replication/logger-follow?from=0")).lines().size() >
            10);
    }

    void autoStartSurvivesRestart()
    {
        // autoStart was set in configMergesValidatesAndPersists; stop the logger and restart.
        QCOMPARE(m_http->put(QStringLiteral("/_api/replication/logger-stop")).status, 200);
        QCOMPARE(m_http->put(QStringLiteral("/_db/retention/_api/replication/logger-stop")).status,
                 200);
        const QString before = lastLogTick();
        QCOMPARE(m_server->stop(), 0);
        QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
        m_http->setBase(m_server->baseUrl());
        const QJsonObject state =
            m_http->get(QStringLiteral("/_api/replication/logger-state")).json();
        QCOMPARE(state[QStringLiteral("state")].toObject()[QStringLiteral("running")].toBool(),
                 true);
        QCOMPARE(m_http->get(QStringLiteral("/_api/replication/logger-config"))
                     .json()[QStringLiteral("autoStart")]
                     .toBool(),
                 true);
        const QList<QJsonObject> ev =
            m_http->get(QStringLiteral("/_api/replication/logger-follow?from=") + before).lines();
        QCOMPARE(ev.size(), 1);
        QCOMPARE(ev[0][QStringLiteral("type")].toInt(), 1001);
        // No autoStart there: stays stopped after the restart.
        QCOMPARE(m_http->get(QStringLiteral("/_db/retention/_api/replication/logger-state"))
                     .json()[QStringLiteral("state")]
                     .toObject()[QStringLiteral("running")]
                     .toBool(),
                 false);
        QCOMPARE(m_http->get(QStringLiteral("/_db/retention/_api/replication/logger-config"))
                     .json()[QStringLiteral("maxEvents")]
                     .toDouble(),
                 10.0);
    }
};

QTEST_GUILESS_MAIN(TestLoggerFollow)
#include "tst_logger_follow.moc"
