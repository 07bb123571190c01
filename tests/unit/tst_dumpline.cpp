#include "core/DocumentJson.h"
#include "core/DumpLine.h"
#include "core/LogEventType.h"
#include "core/LogLine.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace repl;

// The sync's fast path: dump lines in repldesk's own layout are sliced in place, and every
// other layout is left untouched for the JSON parse.
class TestDumpLine : public QObject
{
    Q_OBJECT

private:
    static QByteArray upsertLine(QByteArrayView key, QByteArrayView rev, QByteArrayView body)
    {
        return dumpLine(4711, true, int(LogEventType::DocumentUpsert), key, rev,
                        composeDocument("orders", key, rev, body));
    }

private Q_SLOTS:
    void slicesADocumentIntoItsStoredForm_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("attributes") << QByteArray("{\"n\":1,\"s\":\"a,b}}\",\"t\":[{\"x\":null}]}");
        QTest::newRow("one attribute") << QByteArray("{\"n\":1}");
        QTest::newRow("no attributes") << QByteArray("{}");
    }
    void slicesADocumentIntoItsStoredForm()
    {
        QFETCH(QByteArray, body);
        QByteArray line = upsertLine("k1", "3-abc", body);
        const std::optional<DumpRecord> r = sliceOwnDumpLine(line.data(), line.size());
        QVERIFY(r);
        QCOMPARE(r->tick, Tick(4711));
        QVERIFY(!r->deleted);
        QCOMPARE(r->key, QByteArrayView("k1"));
        QCOMPARE(r->rev, QByteArrayView("3-abc"));
        QCOMPARE(r->body.toByteArray(), body);
        // The views point into the line, not into copies.
        QVERIFY(r->key.data() >= line.constData() &&
                r->key.data() < line.constData() + line.size());
        if (body != "{}")
            QVERIFY(r->body.data() > line.constData() &&
                    r->body.data() < line.constData() + line.size());
    }

    void slicesARemoval()
    {
        QByteArray line = dumpLine(9, true, int(LogEventType::DocumentRemove), "gone", "2-ff",
                                   composeKeyRev("gone", "2-ff"));
        const std::optional<DumpRecord> r = sliceOwnDumpLine(line.data(), line.size());
        QVERIFY(r);
        QVERIFY(r->deleted);
        QCOMPARE(r->key, QByteArrayView("gone"));
        QCOMPARE(r->rev, QByteArrayView("2-ff"));
        QCOMPARE(r->body, QByteArrayView("{}"));
    }

    void acceptsCrLfEndings()
    {
        QByteArray line = upsertLine("k", "1-a", "{\"v\":2}");
        line.chop(1); // dumpLine ends with '\n'
        line += "\r\n";
        const std::optional<DumpRecord> r = sliceOwnDumpLine(line.data(), line.size());
        QVERIFY(r);
        QCOMPARE(r->body, QByteArrayView("{\"v\":2}"));
    }

    void leavesOtherLayoutsUntouched_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::newRow("ArangoDB 3.x (no tick, data first)") << QByteArray(
            "{\"type\":2300,\"data\":{\"_key\":\"k\",\"_id\":\"c/k\",\"_rev\":\"_a\",\"n\":1}}");
        QTest::newRow("key escaped") << QByteArray(
            "{\"tick\":\"5\",\"type\":2300,\"key\":\"a\\\"b\",\"rev\":\"1-a\",\"data\":{\"_key\":"
            "\"a\\\"b\",\"_id\":\"c/a\\\"b\",\"_rev\":\"1-a\",\"n\":1}}");
        QTest::newRow("data _key differs") << QByteArray(
            "{\"tick\":\"5\",\"type\":2300,\"key\":\"a\",\"rev\":\"1-a\",\"data\":{\"_key\":\"b\","
            "\"_id\":\"c/b\",\"_rev\":\"1-a\",\"n\":1}}");
        QTest::newRow("data _rev differs") << QByteArray(
            "{\"tick\":\"5\",\"type\":2300,\"key\":\"a\",\"rev\":\"1-a\",\"data\":{\"_key\":\"a\","
            "\"_id\":\"c/a\",\"_rev\":\"1-b\",\"n\":1}}");
        QTest::newRow("other event type") << QByteArray(
            "{\"tick\":\"5\",\"type\":2001,\"key\":\"a\",\"rev\":\"1-a\",\"data\":{\"_key\":\"a\","
            "\"_id\":\"c/a\",\"_rev\":\"1-a\"}}");
        QTest::newRow("truncated") << QByteArray(
            "{\"tick\":\"5\",\"type\":2300,\"key\":\"a\",\"rev\":\"1-a\",\"data\":{\"_key\":\"a\","
            "\"_id\":\"c/a\",\"_rev\":\"1-a\",\"n\":1}");
    }
    void leavesOtherLayoutsUntouched()
    {
        QFETCH(QByteArray, line);
        const QByteArray before = line;
        QVERIFY(!sliceOwnDumpLine(line.data(), line.size()));
        QCOMPARE(line, before); // the slow path parses the original bytes
    }

    // The slice and a JSON parse of the same line agree on every attribute.
    void agreesWithTheJsonParse()
    {
        const QByteArray body =
            "{\"name\":\"customer 7\",\"city\":\"Berlin\",\"tags\":[\"a\",\"b\"]}";
        QByteArray line = upsertLine("d7", "1-0123", body);
        const QJsonObject parsed = QJsonDocument::fromJson(line).object();
        QJsonObject expected = parsed.value(QStringLiteral("data")).toObject();
        expected.remove(QStringLiteral("_key"));
        expected.remove(QStringLiteral("_id"));
        expected.remove(QStringLiteral("_rev"));
        const std::optional<DumpRecord> r = sliceOwnDumpLine(line.data(), line.size());
        QVERIFY(r);
        QCOMPARE(QJsonDocument::fromJson(r->body.toByteArray()).object(), expected);
        QCOMPARE(QString::fromUtf8(r->key), parsed.value(QStringLiteral("key")).toString());
    }
};

QTEST_APPLESS_MAIN(TestDumpLine)
#include "tst_dumpline.moc"
