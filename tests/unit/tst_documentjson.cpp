#include "core/DocumentJson.h"
#include "core/LogLine.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QTest>

using namespace repl;
using namespace Qt::StringLiterals;

namespace {

// Parses `text` as a JSON object, failing the test when it is not one.
QJsonObject parseObject(const QByteArray &text)
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(text, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject()) {
        qWarning("not a JSON object (%s): %s", qPrintable(err.errorString()), text.constData());
        return {};
    }
    return doc.object();
}

// The top-level keys of a compact JSON object in the order they appear in its text.
QStringList keysInOrder(const QByteArray &compactObject)
{
    QStringList keys;
    int depth = 0;
    bool inString = false;
    bool expectKey = false;
    qsizetype keyStart = -1;
    for (qsizetype i = 0; i < compactObject.size(); ++i) {
        const char c = compactObject[i];
        if (inString) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                inString = false;
                if (keyStart >= 0) {
                    keys.append(QString::fromUtf8(compactObject.mid(keyStart, i - keyStart)));
                    keyStart = -1;
                }
            }
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            if (depth == 1 && expectKey)
                keyStart = i + 1;
            expectKey = false;
            break;
        case '{':
        case '[':
            ++depth;
            expectKey = depth == 1;
            break;
        case '}':
        case ']':
            --depth;
            break;
        case ',':
            expectKey = depth == 1;
            break;
        default:
            break;
        }
    }
    return keys;
}

} // namespace

class TestDocumentJson : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void couchSeqAndArrays();
    void appendJsonString_data();
    void appendJsonString();
    void appendJsonStringAppends();
    void jsonStringFromQString();
    void composeDocument_data();
    void composeDocument();
    void composeKeyRev();
    void userBody_data();
    void userBody();
    void objectMembers();
    void lineBuilderOrder();
    void lineBuilderValues();
    void documentEventLine_data();
    void documentEventLine();
    void dumpLine_data();
    void dumpLine();
};

void TestDocumentJson::appendJsonString_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("plain") << QByteArray("abc") << QByteArray(R"("abc")");
    QTest::newRow("empty") << QByteArray() << QByteArray(R"("")");
    QTest::newRow("quote") << QByteArray(R"(say "hi")") << QByteArray(R"("say \"hi\"")");
    QTest::newRow("backslash") << QByteArray(R"(C:\dir\)") << QByteArray(R"("C:\\dir\\")");
    QTest::newRow("newline") << QByteArray("a\nb") << QByteArray(R"("a\nb")");
    QTest::newRow("tab") << QByteArray("a\tb") << QByteArray(R"("a\tb")");
    QTest::newRow("carriage return") << QByteArray("a\rb") << QByteArray(R"("a\rb")");
    QTest::newRow("backspace and form feed") << QByteArray("\b\f") << QByteArray(R"("\b\f")");
    QTest::newRow("\\u0001") << QByteArray("a\x01z") << QByteArray(R"("a\u0001z")");
    QTest::newRow("\\u001f") << QByteArray("\x1f") << QByteArray(R"("\u001f")");
    QTest::newRow("NUL") << QByteArray("a\0b", 3) << QByteArray(R"("a\u0000b")");
    QTest::newRow("escape char 0x1b") << QByteArray("\x1b[0m") << QByteArray(R"("\u001b[0m")");
    QTest::newRow("slash not escaped") << QByteArray("a/b") << QByteArray(R"("a/b")");
    QTest::newRow("DEL passes") << QByteArray("\x7f") << QByteArray("\"\x7f\"");
    QTest::newRow("UTF-8 passes through")
        << QByteArray("gr\xc3\xbc\xc3\x9f \xe2\x82\xac \xf0\x9f\x98\x80")
        << QByteArray("\"gr\xc3\xbc\xc3\x9f \xe2\x82\xac \xf0\x9f\x98\x80\"");
    QTest::newRow("everything at once")
        << QByteArray("\"\\\n\t\x01\xc3\xa9") << QByteArray("\"\\\"\\\\\\n\\t\\u0001\xc3\xa9\"");
}

void TestDocumentJson::appendJsonString()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);

    QByteArray out;
    repl::appendJsonString(out, input);
    QCOMPARE(out, expected);
    QCOMPARE(jsonString(QByteArrayView(input)), expected);

    // A JSON parser reads it back as the same text.
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson("[" + out + "]", &err);
    QCOMPARE(err.error, QJsonParseError::NoError);
    QCOMPARE(doc.array().size(), 1);
    QVERIFY(doc.array().at(0).isString());
    QCOMPARE(doc.array().at(0).toString(), QString::fromUtf8(input));
}

void TestDocumentJson::appendJsonStringAppends()
{
    QByteArray out = "{\"k\":";
    repl::appendJsonString(out, "v\"1");
    out += '}';
    QCOMPARE(out, QByteArray(R"({"k":"v\"1"})"));
    QCOMPARE(parseObject(out).value(u"k").toString(), QStringLiteral("v\"1"));
}

void TestDocumentJson::jsonStringFromQString()
{
    const QString text = QStringLiteral("\u00e4\"\n");
    QCOMPARE(jsonString(text), QByteArray("\"\xc3\xa4\\\"\\n\""));
}

void TestDocumentJson::composeDocument_data()
{
    QTest::addColumn<QByteArray>("collection");
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("rev");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("empty body") << QByteArray("users") << QByteArray("k1") << QByteArray("1-abc")
                                << QByteArray("{}")
                                << QByteArray(R"({"_key":"k1","_id":"users/k1","_rev":"1-abc"})");
    QTest::newRow("attributes")
        << QByteArray("users") << QByteArray("k1") << QByteArray("2-def")
        << QByteArray(R"({"name":"Ann","age":42,"tags":["a","b"],"addr":{"city":"X"}})")
        << QByteArray(R"({"_key":"k1","_id":"users/k1","_rev":"2-def","name":"Ann","age":42,)"
                      R"("tags":["a","b"],"addr":{"city":"X"}})");
    QTest::newRow("edge attributes")
        << QByteArray("knows") << QByteArray("e:1") << QByteArray("1-0")
        << QByteArray(R"({"_from":"users/a","_to":"users/b"})")
        << QByteArray(R"({"_key":"e:1","_id":"knows/e:1","_rev":"1-0","_from":"users/a",)"
                      R"("_to":"users/b"})");
    QTest::newRow("escaped attribute value")
        << QByteArray("c") << QByteArray("k") << QByteArray("1-a")
        << QByteArray(R"({"s":"line\nbreak \"q\""})")
        << QByteArray(R"({"_key":"k","_id":"c/k","_rev":"1-a","s":"line\nbreak \"q\""})");
}

void TestDocumentJson::composeDocument()
{
    QFETCH(QByteArray, collection);
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, rev);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, expected);

    const QByteArray doc = repl::composeDocument(collection, key, rev, body);
    QCOMPARE(doc, expected);

    const QJsonObject o = parseObject(doc);
    QVERIFY(!o.isEmpty());
    QCOMPARE(o.value(u"_key").toString(), QString::fromUtf8(key));
    QCOMPARE(o.value(u"_id").toString(), QString::fromUtf8(collection + '/' + key));
    QCOMPARE(o.value(u"_rev").toString(), QString::fromUtf8(rev));
    const QJsonObject user = parseObject(body);
    QCOMPARE(o.size(), user.size() + 3);
    for (auto it = user.begin(); it != user.end(); ++it)
        QCOMPARE(o.value(it.key()), it.value());
    const QStringList keys = keysInOrder(doc);
    QVERIFY(keys.size() >= 3);
    QCOMPARE(keys.mid(0, 3), (QStringList{u"_key"_s, u"_id"_s, u"_rev"_s}));
}

void TestDocumentJson::composeKeyRev()
{
    const QByteArray out = repl::composeKeyRev("abc", "3-ff");
    QCOMPARE(out, QByteArray(R"({"_key":"abc","_rev":"3-ff"})"));
    const QJsonObject o = parseObject(out);
    QCOMPARE(o.size(), 2);
    QCOMPARE(o.value(u"_key").toString(), QStringLiteral("abc"));
    QCOMPARE(o.value(u"_rev").toString(), QStringLiteral("3-ff"));
}

void TestDocumentJson::userBody_data()
{
    QTest::addColumn<QByteArray>("document");
    QTest::addColumn<QByteArray>("expected"); // as a JSON object, compared parsed

    QTest::newRow("system attributes only")
        << QByteArray(R"({"_key":"k","_id":"c/k","_rev":"1-a"})") << QByteArray("{}");
    QTest::newRow("empty") << QByteArray("{}") << QByteArray("{}");
    QTest::newRow("user attributes kept")
        << QByteArray(R"({"_key":"k","a":1,"b":{"_key":"nested stays"},"c":[1,"x"]})")
        << QByteArray(R"({"a":1,"b":{"_key":"nested stays"},"c":[1,"x"]})");
    QTest::newRow("edge: _from and _to kept")
        << QByteArray(R"({"_key":"e","_id":"c/e","_rev":"1-a","_from":"v/1","_to":"v/2","w":0.5})")
        << QByteArray(R"({"_from":"v/1","_to":"v/2","w":0.5})");
    QTest::newRow("other underscore attributes kept")
        << QByteArray(R"({"_rev":"1-a","_meta":true,"_id":"x/y"})")
        << QByteArray(R"({"_meta":true})");
}

void TestDocumentJson::userBody()
{
    QFETCH(QByteArray, document);
    QFETCH(QByteArray, expected);

    const QByteArray body = repl::userBody(parseObject(document));
    const QJsonObject o = parseObject(body);
    // Compact: exactly what QJsonDocument's compact form of the remaining object is.
    QCOMPARE(body, QJsonDocument(o).toJson(QJsonDocument::Compact));
    QCOMPARE(o, parseObject(expected));
    QVERIFY(!o.contains(u"_key"));
    QVERIFY(!o.contains(u"_id"));
    QVERIFY(!o.contains(u"_rev"));

    // Composing it back gives the user attributes plus fresh system attributes.
    const QJsonObject composed = parseObject(repl::composeDocument("c", "nk", "9-z", body));
    QCOMPARE(composed.value(u"_key").toString(), QStringLiteral("nk"));
    QCOMPARE(composed.value(u"_id").toString(), QStringLiteral("c/nk"));
    QCOMPARE(composed.value(u"_rev").toString(), QStringLiteral("9-z"));
    QCOMPARE(composed.size(), o.size() + 3);
}

void TestDocumentJson::objectMembers()
{
    QCOMPARE(repl::objectMembers("{}").size(), 0);
    QCOMPARE(repl::objectMembers(R"({"a":1})"), QByteArrayView(R"("a":1)"));
    QCOMPARE(repl::objectMembers("").size(), 0);
}

void TestDocumentJson::lineBuilderOrder()
{
    const QByteArray line = JsonLineBuilder()
                                .tick("zeta", 5)
                                .number("alpha", 2300)
                                .string("mid", "a\"b")
                                .raw("data", R"({"x":[1,2]})")
                                .boolean("beta", true)
                                .boolean("gamma", false)
                                .finish();
    QCOMPARE(
        line,
        QByteArray(
            R"({"zeta":"5","alpha":2300,"mid":"a\"b","data":{"x":[1,2]},"beta":true,"gamma":false})"));
    QCOMPARE(keysInOrder(line),
             (QStringList{u"zeta"_s, u"alpha"_s, u"mid"_s, u"data"_s, u"beta"_s, u"gamma"_s}));
    const QJsonObject o = parseObject(line);
    QCOMPARE(o.size(), 6);
    QCOMPARE(o.value(u"zeta").toString(), QStringLiteral("5"));
    QCOMPARE(o.value(u"alpha").toInt(), 2300);
    QCOMPARE(o.value(u"mid").toString(), QStringLiteral("a\"b"));
    QCOMPARE(o.value(u"data").toObject().value(u"x").toArray(), (QJsonArray{1, 2}));
    QCOMPARE(o.value(u"beta"), QJsonValue(true));
    QCOMPARE(o.value(u"gamma"), QJsonValue(false));
}

void TestDocumentJson::lineBuilderValues()
{
    QCOMPARE(JsonLineBuilder().finish(), QByteArray("{}"));
    QCOMPARE(JsonLineBuilder().finish(true), QByteArray("{}\n"));
    QCOMPARE(JsonLineBuilder().number("n", -42).finish(), QByteArray(R"({"n":-42})"));
    // Ticks are full 64-bit and go out as strings (JavaScript cannot hold them as numbers).
    const QByteArray big = JsonLineBuilder().tick("t", MaxTick).finish(true);
    QCOMPARE(big, QByteArray("{\"t\":\"18446744073709551615\"}\n"));
    QCOMPARE(parseObject(big.chopped(1)).value(u"t").toString(),
             QStringLiteral("18446744073709551615"));
    // A tiny reserve still grows as needed.
    JsonLineBuilder small(1);
    const QByteArray longText(1000, 'x');
    const QByteArray out = small.string("s", longText).finish();
    QCOMPARE(parseObject(out).value(u"s").toString().size(), 1000);
}

void TestDocumentJson::documentEventLine_data()
{
    QTest::addColumn<QByteArray>("oldRev");
    QTest::addColumn<int>("type");
    QTest::addColumn<QByteArray>("data");

    QTest::newRow("insert") << QByteArray() << 2300
                            << QByteArray(
                                   R"({"_key":"k\"1","_id":"coll/k\"1","_rev":"2-b","a":1})");
    QTest::newRow("update") << QByteArray("1-a") << 2300
                            << QByteArray(R"({"_key":"k\"1","_id":"coll/k\"1","_rev":"2-b"})");
    QTest::newRow("remove") << QByteArray("1-a") << 2302
                            << QByteArray(R"({"_key":"k\"1","_rev":"2-b"})");
}

void TestDocumentJson::documentEventLine()
{
    QFETCH(QByteArray, oldRev);
    QFETCH(int, type);
    QFETCH(QByteArray, data);

    DocumentEvent e;
    e.tick = 1234567890123ULL;
    e.type = type;
    e.databaseId = 1;
    e.cid = 77;
    e.collection = "coll";
    e.tid = 0;
    e.key = "k\"1";
    e.rev = "2-b";
    e.oldRev = oldRev;
    e.data = data;

    const QByteArray line = repl::documentEventLine(e);
    QVERIFY(line.endsWith('\n'));
    QCOMPARE(line.count('\n'), 1);
    const QByteArray text = line.chopped(1);
    const QJsonObject o = parseObject(text);
    QVERIFY(!o.isEmpty());

    QStringList expectedKeys{u"tick"_s,  u"type"_s, u"database"_s, u"cid"_s,
                             u"cname"_s, u"tid"_s,  u"key"_s,      u"rev"_s};
    if (!oldRev.isEmpty())
        expectedKeys.append(u"oldRev"_s);
    expectedKeys.append(u"data"_s);
    QCOMPARE(keysInOrder(text), expectedKeys);

    QCOMPARE(o.value(u"tick").toString(), QStringLiteral("1234567890123"));
    QCOMPARE(o.value(u"type").toInt(), type);
    QVERIFY(o.value(u"type").isDouble());
    QCOMPARE(o.value(u"database").toString(), QStringLiteral("1"));
    QCOMPARE(o.value(u"cid").toString(), QStringLiteral("77"));
    QCOMPARE(o.value(u"cname").toString(), QStringLiteral("coll"));
    QCOMPARE(o.value(u"tid").toString(), QStringLiteral("0"));
    QCOMPARE(o.value(u"key").toString(), QStringLiteral("k\"1"));
    QCOMPARE(o.value(u"rev").toString(), QStringLiteral("2-b"));
    QCOMPARE(o.contains(u"oldRev"), !oldRev.isEmpty());
    if (!oldRev.isEmpty())
        QCOMPARE(o.value(u"oldRev").toString(), QString::fromUtf8(oldRev));
    QCOMPARE(o.value(u"data").toObject(), parseObject(data));
}

void TestDocumentJson::dumpLine_data()
{
    QTest::addColumn<bool>("withTick");
    QTest::addColumn<int>("type");
    QTest::newRow("with tick, upsert") << true << 2300;
    QTest::newRow("without tick, upsert") << false << 2300;
    QTest::newRow("with tick, remove") << true << 2302;
}

void TestDocumentJson::dumpLine()
{
    QFETCH(bool, withTick);
    QFETCH(int, type);

    const QByteArray data = type == 2302
                                ? repl::composeKeyRev("a b", "3-c")
                                : repl::composeDocument("c", "a b", "3-c", R"({"v":"\u00e9"})");
    const QByteArray line = repl::dumpLine(99, withTick, type, "a b", "3-c", data);
    QVERIFY(line.endsWith('\n'));
    QCOMPARE(line.count('\n'), 1);
    const QByteArray text = line.chopped(1);
    const QJsonObject o = parseObject(text);
    QVERIFY(!o.isEmpty());

    QStringList expectedKeys;
    if (withTick)
        expectedKeys.append(u"tick"_s);
    expectedKeys << u"type"_s << u"key"_s << u"rev"_s << u"data"_s;
    QCOMPARE(keysInOrder(text), expectedKeys);
    QCOMPARE(o.contains(u"tick"), withTick);
    if (withTick)
        QCOMPARE(o.value(u"tick").toString(), QStringLiteral("99"));
    QCOMPARE(o.value(u"type").toInt(), type);
    QCOMPARE(o.value(u"key").toString(), QStringLiteral("a b"));
    QCOMPARE(o.value(u"rev").toString(), QStringLiteral("3-c"));
    QCOMPARE(o.value(u"data").toObject(), parseObject(data));
}

void TestDocumentJson::couchSeqAndArrays()
{
    QCOMPARE(couchSeqText(QJsonValue(42)), QStringLiteral("42"));
    QCOMPARE(couchSeqText(QJsonValue(QStringLiteral("12-g1AAAA"))), QStringLiteral("12-g1AAAA"));
    QCOMPARE(couchSeqText(QJsonValue(QJsonArray{7, QStringLiteral("n")})),
             QStringLiteral("[7,\"n\"]"));
    QCOMPARE(couchSeqText(QJsonValue(QJsonValue::Null)), QString());
    QCOMPARE(couchSeqShort(QStringLiteral("12-g1AAAA")), QStringLiteral("12"));
    QCOMPARE(jsonText(QJsonValue(QJsonValue::Null)), QStringLiteral("null"));
    QCOMPARE(jsonText(QJsonValue(true)), QStringLiteral("true"));
    QCOMPARE(parseJsonValue("12").value_or(QJsonValue()), QJsonValue(12));
    QCOMPARE(parseJsonValue("\"a\"").value_or(QJsonValue()), QJsonValue(QStringLiteral("a")));
    QCOMPARE(parseJsonValue("null").value_or(QJsonValue(1)), QJsonValue(QJsonValue::Null));
    QString why;
    QVERIFY(!parseJsonValue("1,2", &why));
    QVERIFY(!why.isEmpty());
    QVERIFY(!parseJsonValue("{nope"));
    QCOMPARE(jsonArray({}), QByteArray("[]"));
    QCOMPARE(jsonArray({"1", "{\"a\":2}"}), QByteArray("[1,{\"a\":2}]"));
    QCOMPARE(jsonStringArray({"1-a", "q\"x"}), QByteArray("[\"1-a\",\"q\\\"x\"]"));
}

QTEST_GUILESS_MAIN(TestDocumentJson)
#include "tst_documentjson.moc"
