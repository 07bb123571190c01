// Reading a _changes answer's last_seq from its end (the replicator asks for the next page
// before parsing the current one): the shapes CouchDB 3, PouchDB and our server send are read;
// anything else gives nothing, so the caller waits for the full parse.
#include "engine/couch/replicator/CouchReplicationSupport.h"

#include <QtTest>

using repl::couchrepl::trailingLastSeq;

class TestChangesTail : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsKnownShapes_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QJsonValue>("seq");
        QTest::addColumn<qint64>("pending");
        // Ours: rows on their own lines, then last_seq and pending.
        QTest::newRow("repldesk") << QByteArray("{\"results\":[\n{\"seq\":4,\"id\":\"a\"},\n"
                                                "{\"seq\":5,\"id\":\"b\"}\n],\n"
                                                "\"last_seq\":5,\"pending\":28}\n")
                                  << QJsonValue(5) << qint64(28);
        // CouchDB 3.x: opaque string seqs.
        QTest::newRow("couchdb") << QByteArray("{\"results\":[\n{\"seq\":\"1-g1AAAA\",\"id\":"
                                               "\"a\",\"changes\":[{\"rev\":\"1-x\"}]}\n],\n"
                                               "\"last_seq\":\"1-g1AAAA_x-Y\",\"pending\":0}\n")
                                 << QJsonValue(QStringLiteral("1-g1AAAA_x-Y")) << qint64(0);
        // PouchDB: no pending, no line breaks.
        QTest::newRow("pouchdb") << QByteArray("{\"results\":[{\"id\":\"a\",\"seq\":7,\"doc\":"
                                               "{\"last_seq\":1}}],\"last_seq\":7}")
                                 << QJsonValue(7) << qint64(-1);
        QTest::newRow("empty page")
            << QByteArray("{\"results\":[],\"last_seq\":0}") << QJsonValue(0) << qint64(-1);
        QTest::newRow("spaces") << QByteArray("{ \"results\" : [ ] , \"last_seq\" : 12 , "
                                              "\"pending\" : 3 }  \r\n")
                                << QJsonValue(12) << qint64(3);
    }
    void readsKnownShapes()
    {
        QFETCH(QByteArray, body);
        QFETCH(QJsonValue, seq);
        QFETCH(qint64, pending);
        const auto tail = trailingLastSeq(body);
        QVERIFY(tail);
        QCOMPARE(tail->lastSeq, seq);
        QCOMPARE(tail->pending, pending);
        // What the full parse says, too: reading ahead never disagrees with it.
        QCOMPARE(QJsonDocument::fromJson(body).object().value(QStringLiteral("last_seq")), seq);
    }

    void leavesOtherShapesToTheParser_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("last_seq first")
            << QByteArray("{\"last_seq\":5,\"results\":[{\"id\":\"a\",\"seq\":5}]}");
        // The only "last_seq" is inside a document: results come after it.
        QTest::newRow("inside a doc")
            << QByteArray("{\"results\":[{\"id\":\"a\",\"doc\":{\"x\":1,\"last_seq\":9}}]}");
        QTest::newRow("escaped string") << QByteArray("{\"results\":[],\"last_seq\":\"5\\u0041\"}");
        QTest::newRow("another field after")
            << QByteArray("{\"results\":[],\"last_seq\":5,\"pending\":0,\"x\":1}");
        QTest::newRow("field after last_seq")
            << QByteArray("{\"results\":[],\"last_seq\":5,\"x\":1}");
        QTest::newRow("too long a number")
            << QByteArray("{\"results\":[],\"last_seq\":1234567890123456789}");
        QTest::newRow("negative") << QByteArray("{\"results\":[],\"last_seq\":-1}");
        QTest::newRow("cut short") << QByteArray("{\"results\":[],\"last_seq\":5");
        QTest::newRow("object seq") << QByteArray("{\"results\":[],\"last_seq\":{\"a\":1}}");
        QTest::newRow("nothing after the key") << QByteArray("{\"results\":[],\"last_seq\"");
    }
    void leavesOtherShapesToTheParser()
    {
        QFETCH(QByteArray, body);
        QVERIFY(!trailingLastSeq(body));
    }
};

QTEST_GUILESS_MAIN(TestChangesTail)
#include "tst_changestail.moc"
