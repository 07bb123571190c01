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

    // Found by fuzz_dump_line: lines of the own layout whose attributes are no JSON, or not the
    // JSON the slow path would store, were taken and stored unparsed, so a leader could plant
    // text that breaks every answer serving the document (or forge its _key in them).
    void leavesLinesTheJsonParseReadsOtherwise_data()
    {
        QTest::addColumn<QByteArray>("line");
        const auto upsert = [](QByteArrayView key, QByteArrayView members) {
            return "{\"tick\":\"5\",\"type\":2300,\"key\":\"" + key.toByteArray() +
                   "\",\"rev\":\"1-a\",\"data\":{\"_key\":\"" + key.toByteArray() +
                   "\",\"_id\":\"c/k\",\"_rev\":\"1-a\"" + members.toByteArray() + "}}\n";
        };
        QTest::newRow("attributes not JSON") << upsert("k", ",\"s\":\"x}}");
        QTest::newRow("an unclosed array") << upsert("k", ",\"a\":[1,2}}");
        QTest::newRow("data closed early, a top-level key after it")
            << upsert("k", ",\"a\":1},\"key\":\"other\",\"x\":{\"b\":2");
        QTest::newRow("a second _key") << upsert("k", ",\"_key\":\"forged\"");
        QTest::newRow("a second _rev") << upsert("k", ",\"n\":1,\"_rev\":\"9-z\"");
        QTest::newRow("an escaped name") << upsert("k", ",\"\\u005fkey\":\"forged\"");
        QTest::newRow("a number beyond a double") << upsert("k", ",\"n\":1e400");
        QTest::newRow("a raw control character") << upsert("k", ",\"s\":\"a\tb\"");
        QTest::newRow("control character in the key") << upsert("a\x01", ",\"n\":1");
        QTest::newRow("invalid UTF-8 in the key") << upsert("a\xff", ",\"n\":1");
        QTest::newRow("empty key") << upsert("", ",\"n\":1");
        QTest::newRow("removal with an empty rev") << QByteArray(
            "{\"tick\":\"5\",\"type\":2302,\"key\":\"k\",\"rev\":\"\",\"data\":{\"_key\":"
            "\"k\",\"_rev\":\"\"}}");
    }
    void leavesLinesTheJsonParseReadsOtherwise()
    {
        QFETCH(QByteArray, line);
        const QByteArray before = line;
        QVERIFY(!sliceOwnDumpLine(line.data(), line.size()));
        QCOMPARE(line, before);
        // The logger-follow line with the same document is left to the JSON parse as well.
        QByteArray log = before;
        log.replace("\"type\":2300,", "\"type\":2300,\"database\":\"1\",\"cid\":\"2\",\"cname\":"
                                      "\"c\",\"tid\":\"0\",");
        log.replace("\"type\":2302,", "\"type\":2302,\"database\":\"1\",\"cid\":\"2\",\"cname\":"
                                      "\"c\",\"tid\":\"0\",");
        QVERIFY(!parseOwnLogLine(log));
        const QByteArray fine = log.left(log.indexOf("\"data\":")) +
                                "\"data\":{\"_key\":\"k\",\"_id\":\"c/k\",\"_rev\":\"1-a\"}}";
        if (before.contains("\"key\":\"k\",\"rev\":\"1-a\"") && before.contains("2300"))
            QVERIFY(parseOwnLogLine(fine)); // the same line with good attributes is taken
    }

    // Found by fuzz_dump_line: a transaction id the strict tick parse refuses ("+1") was read
    // as 1 by the fast path (toULongLong takes a sign), so the two paths grouped differently.
    void logLineTransactionIdsAreDigitsOnly()
    {
        const auto line = [](const char *tid) {
            return "{\"tick\":\"9\",\"type\":2300,\"database\":\"1\",\"cid\":\"2\","
                   "\"cname\":\"c\",\"tid\":\"" +
                   QByteArray(tid) +
                   "\",\"key\":\"k\",\"rev\":\"1-a\",\"data\":{\"_key\":\"k\",\"_id\":"
                   "\"c/k\",\"_rev\":\"1-a\"}}";
        };
        const std::optional<LogDocumentRecord> plain = parseOwnLogLine(line("77"));
        QVERIFY(plain);
        QCOMPARE(plain->tid, Tick(77));
        for (const char *odd : {"+77", " 77", "-1", "", "7a"})
            QVERIFY2(!parseOwnLogLine(line(odd)), odd);
    }

    // Numbers and nesting the JSON parse takes are taken too.
    void takesWhatTheJsonParseTakes()
    {
        const QByteArray body =
            "{\"n\":-0.5e-3,\"m\":1.7e308,\"big\":123456789012345678901234,"
            "\"s\":\"\\u00e4\\\"\\n\xc3\xa4\",\"d\":[[[{\"x\":[true,false,null]}]]],"
            "\"e\":{},\"f\":[]}";
        QByteArray line = upsertLine("k", "2-b", body);
        const std::optional<DumpRecord> r = sliceOwnDumpLine(line.data(), line.size());
        QVERIFY(r);
        QCOMPARE(r->body.toByteArray(), body);
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
