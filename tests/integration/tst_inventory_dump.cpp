// inventory and dump: what a follower's initial sync reads.
#include "support/HttpClient.h"
#include "support/ServerProcess.h"

#include <QTest>

using namespace repl::test;

class TestInventoryDump : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ServerProcess> m_server;
    std::unique_ptr<HttpClient> m_http;

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<ServerProcess>();
        QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
        m_http = std::make_unique<HttpClient>(m_server->baseUrl());
        for (const char *name : {"beta", "Alpha", "_hidden"})
            QCOMPARE(m_http->post(QStringLiteral("/_api/collection"), QJsonObject{{"name", name}})
                         .status,
                     200);
        QCOMPARE(m_http
                     ->post(QStringLiteral("/_api/collection"),
                            QJsonObject{{"name", "aEdges"}, {"type", 3}})
                     .status,
                 200);
        QCOMPARE(m_http
                     ->post(QStringLiteral("/_api/index?collection=beta"),
                            QJsonObject{{"type", "skiplist"}, {"fields", QJsonArray{"x", "y"}}})
                     .status,
                 201);
    }

    void inventory()
    {
        HttpReply r = m_http->get(QStringLiteral("/_api/replication/inventory"));
        QCOMPARE(r.status, 200);
        const QJsonObject inv = r.json();
        const QJsonArray cols = inv[QStringLiteral("collections")].toArray();
        QStringList names;
        for (const QJsonValue &c : cols)
            names << c[QStringLiteral("parameters")].toObject()[QStringLiteral("name")].toString();
        // Documents before edges, then by name case-insensitively; system ones excluded.
        QCOMPARE(names, (QStringList{"Alpha", "beta", "aEdges"}));
        const QJsonObject beta = cols[1].toObject();
        QCOMPARE(beta[QStringLiteral("parameters")].toObject()[QStringLiteral("type")].toInt(), 2);
        QVERIFY(beta[QStringLiteral("parameters")].toObject()[QStringLiteral("cid")].isString());
        const QJsonArray idx = beta[QStringLiteral("indexes")].toArray();
        QCOMPARE(idx.size(), 1); // the primary index is not listed
        QCOMPARE(idx[0].toObject()[QStringLiteral("fields")].toArray(), (QJsonArray{"x", "y"}));
        QCOMPARE(idx[0].toObject()[QStringLiteral("type")].toString(), QStringLiteral("skiplist"));
        QVERIFY(inv[QStringLiteral("tick")].toString().toULongLong() > 0);
        QVERIFY(inv[QStringLiteral("state")].toObject().contains(QStringLiteral("lastLogTick")));
        r = m_http->get(QStringLiteral("/_api/replication/inventory?includeSystem=true"));
        QCOMPARE(r.json()[QStringLiteral("collections")].toArray().size(), 4);
    }

    void dumpLatestMarkerPerKey()
    {
        QCOMPARE(
            m_http
                ->post(QStringLiteral("/_api/document/beta"), QJsonObject{{"_key", "a"}, {"v", 1}})
                .status,
            202);
        QCOMPARE(
            m_http
                ->post(QStringLiteral("/_api/document/beta"), QJsonObject{{"_key", "b"}, {"v", 1}})
                .status,
            202);
        QCOMPARE(
            m_http
                ->post(QStringLiteral("/_api/document/beta"), QJsonObject{{"_key", "c"}, {"v", 1}})
                .status,
            202);
        QCOMPARE(
            m_http->patch(QStringLiteral("/_api/document/beta/a"), QByteArray(R"({"v":2})")).status,
            202);
        QCOMPARE(m_http->del(QStringLiteral("/_api/document/beta/b")).status, 202);
        const HttpReply r = m_http->get(QStringLiteral("/_api/replication/dump?collection=beta"));
        QCOMPARE(r.status, 200);
        QVERIFY(r.header("content-type").startsWith("application/x-arango-dump"));
        const QList<QJsonObject> lines = r.lines();
        QCOMPARE(lines.size(), 3);
        // Tick order: c (insert), a (update), b (removal).
        QCOMPARE(lines[0][QStringLiteral("key")].toString(), QStringLiteral("c"));
        QCOMPARE(lines[1][QStringLiteral("key")].toString(), QStringLiteral("a"));
        QCOMPARE(lines[1][QStringLiteral("data")].toObject()[QStringLiteral("v")].toInt(), 2);
        QCOMPARE(lines[1][QStringLiteral("type")].toInt(), 2300);
        QCOMPARE(lines[2][QStringLiteral("key")].toString(), QStringLiteral("b"));
        QCOMPARE(lines[2][QStringLiteral("type")].toInt(), 2302);
        for (const QJsonObject &l : lines)
            QCOMPARE(l[QStringLiteral("rev")].toString(),
                     l[QStringLiteral("data")].toObject()[QStringLiteral("_rev")].toString());
        QCOMPARE(r.header("x-arango-replication-lastincluded"),
                 lines[2][QStringLiteral("tick")].toString().toUtf8());
        QCOMPARE(r.header("x-arango-replication-checkmore"), QByteArray("false"));
        // ticks=false drops the tick attribute.
        QVERIFY(!m_http->get(QStringLiteral("/_api/replication/dump?collection=beta&ticks=false"))
                     .lines()[0]
                     .contains(QStringLiteral("tick")));
        // After the last tick: 204 with lastincluded 0.
        const HttpReply end =
            m_http->get(QStringLiteral("/_api/replication/dump?collection=beta&from=") +
                        QString::fromUtf8(r.header("x-arango-replication-lastincluded")));
        QCOMPARE(end.status, 204);
        QCOMPARE(end.header("x-arango-replication-lastincluded"), QByteArray("0"));
        // Empty collection: 204.
        QCOMPARE(m_http->get(QStringLiteral("/_api/replication/dump?collection=Alpha")).status,
                 204);
    }

    void dumpInChunks()
    {
        QByteArray lines;
        for (int i = 0; i < 300; ++i)
            lines += QStringLiteral("{\"_key\":\"k%1\",\"payload\":\"%2\"}\n")
                         .arg(i)
                         .arg(QString(50, u'x'))
                         .toUtf8();
        QCOMPARE(m_http->post(QStringLiteral("/_api/import?collection=Alpha"), lines)
                     .json()[QStringLiteral("created")]
                     .toInt(),
                 300);
        QSet<QString> keys;
        QString from = QStringLiteral("0");
        int calls = 0;
        for (;;) {
            const HttpReply r = m_http->get(
                QStringLiteral("/_api/replication/dump?collection=Alpha&chunkSize=2000&from=") +
                from);
            ++calls;
            QVERIFY(calls < 200);
            if (r.status == 204)
                break;
            QCOMPARE(r.status, 200);
            for (const QJsonObject &l : r.lines())
                keys.insert(l[QStringLiteral("key")].toString());
            from = QString::fromUtf8(r.header("x-arango-replication-lastincluded"));
            if (r.header("x-arango-replication-checkmore") == "false")
                break;
        }
        QCOMPARE(keys.size(), 300);
        QVERIFY(calls > 5);
    }

    void dumpSystemCollections()
    {
        QCOMPARE(m_http->post(QStringLiteral("/_api/document/_hidden"), QJsonObject{{"_key", "s"}})
                     .status,
                 202);
        QCOMPARE(
            m_http->get(QStringLiteral("/_api/replication/dump?collection=_hidden")).lines().size(),
            1);
        QCOMPARE(m_http
                     ->get(QStringLiteral(
                         "/_api/replication/dump?collection=_hidden&includeSystem=false"))
                     .status,
                 204);
    }
};

QTEST_GUILESS_MAIN(TestInventoryDump)
#include "tst_inventory_dump.moc"
