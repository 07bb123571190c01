#include "core/Revision.h"

#include <QRegularExpression>
#include <QTest>

using repl::makeRevision;
using repl::parseRevision;
using repl::RevisionId;

namespace repl {
char *toString(const RevisionId &r)
{
    return qstrdup(QByteArray(QByteArray::number(r.generation) + " / " + r.hash).constData());
}
} // namespace repl

namespace {
bool isLowerHex32(const QByteArray &hash)
{
    static const QRegularExpression re(QStringLiteral("^[0-9a-f]{32}$"));
    return re.match(QString::fromLatin1(hash)).hasMatch();
}
} // namespace

class TestRevision : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseValid_data();
    void parseValid();
    void parseInvalid_data();
    void parseInvalid();
    void defaultIsInvalid();
    void makeIsDeterministic();
    void makeDiffersByInput_data();
    void makeDiffersByInput();
    void makeGeneration_data();
    void makeGeneration();
    void madeRevisionParsesBack();
};

void TestRevision::parseValid_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("generation");
    QTest::addColumn<QByteArray>("hash");

    QTest::newRow("short") << QByteArray("1-abc") << 1 << QByteArray("abc");
    QTest::newRow("md5 hash") << QByteArray("3-0123456789abcdef0123456789abcdef") << 3
                              << QByteArray("0123456789abcdef0123456789abcdef");
    QTest::newRow("multi-digit generation") << QByteArray("1234-ff") << 1234 << QByteArray("ff");
    QTest::newRow("one-char hash") << QByteArray("7-x") << 7 << QByteArray("x");
    QTest::newRow("largest generation")
        << QByteArray("2147483646-ab") << 2147483646 << QByteArray("ab");
}

void TestRevision::parseValid()
{
    QFETCH(QByteArray, text);
    QFETCH(int, generation);
    QFETCH(QByteArray, hash);

    const RevisionId r = parseRevision(text);
    QVERIFY(r.isValid());
    QCOMPARE(r.generation, generation);
    QCOMPARE(r.hash, hash);
    QCOMPARE(r.toBytes(), text);
}

void TestRevision::parseInvalid_data()
{
    QTest::addColumn<QByteArray>("text");

    QTest::newRow("generation 0") << QByteArray("0-abc");
    QTest::newRow("non-numeric generation") << QByteArray("x-abc");
    QTest::newRow("missing generation") << QByteArray("-abc");
    QTest::newRow("missing hash") << QByteArray("1-");
    QTest::newRow("empty") << QByteArray("");
    QTest::newRow("no dash") << QByteArray("1abc");
    QTest::newRow("negative generation") << QByteArray("-1-abc");
    QTest::newRow("generation with letters") << QByteArray("1x-abc");
    QTest::newRow("only dash") << QByteArray("-");
    QTest::newRow("generation overflowing int") << QByteArray("99999999999-abc");
    // Found by fuzz_revtree: an edit of it overflowed the generation (makeRevision).
    QTest::newRow("generation without a successor") << QByteArray("2147483647-abc");
    QTest::newRow("leading plus") << QByteArray("+1-abc");
    QTest::newRow("leading space") << QByteArray(" 1-abc");
    QTest::newRow("space before dash") << QByteArray("1 -abc");
}

void TestRevision::parseInvalid()
{
    QFETCH(QByteArray, text);
    const RevisionId r = parseRevision(text);
    QVERIFY2(
        !r.isValid(),
        qPrintable(
            QStringLiteral("parsed as %1-%2").arg(r.generation).arg(QString::fromLatin1(r.hash))));
}

void TestRevision::defaultIsInvalid()
{
    QVERIFY(!RevisionId().isValid());
    QVERIFY(!(RevisionId{1, QByteArray()}).isValid());
    QVERIFY(!(RevisionId{0, "abc"}).isValid());
    QVERIFY((RevisionId{1, "abc"}).isValid());
}

void TestRevision::makeIsDeterministic()
{
    const RevisionId parent = parseRevision("2-0123456789abcdef0123456789abcdef");
    const QByteArray body = R"({"a":1,"b":"x"})";
    const RevisionId one = makeRevision(parent, false, body);
    const RevisionId two = makeRevision(parent, false, QByteArray(body)); // a separate buffer
    QCOMPARE(one, two);
    QVERIFY(one.isValid());
    QCOMPARE(makeRevision(RevisionId(), false, body), makeRevision(RevisionId(), false, body));
    QCOMPARE(makeRevision(RevisionId(), true, "{}"), makeRevision(RevisionId(), true, "{}"));
}

void TestRevision::makeDiffersByInput_data()
{
    QTest::addColumn<QByteArray>("parentA");
    QTest::addColumn<bool>("deletedA");
    QTest::addColumn<QByteArray>("bodyA");
    QTest::addColumn<QByteArray>("parentB");
    QTest::addColumn<bool>("deletedB");
    QTest::addColumn<QByteArray>("bodyB");

    const QByteArray p = "1-" + QByteArray(32, 'a');
    QTest::newRow("body") << p << false << QByteArray(R"({"a":1})") << p << false
                          << QByteArray(R"({"a":2})");
    QTest::newRow("deleted flag") << p << false << QByteArray("{}") << p << true
                                  << QByteArray("{}");
    QTest::newRow("parent hash") << p << false << QByteArray("{}") << "1-" + QByteArray(32, 'b')
                                 << false << QByteArray("{}");
    QTest::newRow("parent generation") << p << false << QByteArray("{}")
                                       << "2-" + QByteArray(32, 'a') << false << QByteArray("{}");
    QTest::newRow("first revision vs child")
        << QByteArray() << false << QByteArray("{}") << p << false << QByteArray("{}");
    QTest::newRow("empty body vs empty object")
        << p << false << QByteArray() << p << false << QByteArray("{}");
}

void TestRevision::makeDiffersByInput()
{
    QFETCH(QByteArray, parentA);
    QFETCH(bool, deletedA);
    QFETCH(QByteArray, bodyA);
    QFETCH(QByteArray, parentB);
    QFETCH(bool, deletedB);
    QFETCH(QByteArray, bodyB);

    const RevisionId a = makeRevision(parseRevision(parentA), deletedA, bodyA);
    const RevisionId b = makeRevision(parseRevision(parentB), deletedB, bodyB);
    QVERIFY(isLowerHex32(a.hash));
    QVERIFY(isLowerHex32(b.hash));
    QVERIFY2(a.hash != b.hash, a.hash.constData());
}

void TestRevision::makeGeneration_data()
{
    QTest::addColumn<QByteArray>("parent");
    QTest::addColumn<int>("expected");

    QTest::newRow("first revision") << QByteArray() << 1;
    QTest::newRow("after 1") << QByteArray("1-abc") << 2;
    QTest::newRow("after 41") << "41-" + QByteArray(32, 'f') << 42;
    QTest::newRow("after 999") << QByteArray("999-0") << 1000;
}

void TestRevision::makeGeneration()
{
    QFETCH(QByteArray, parent);
    QFETCH(int, expected);

    for (bool deleted : {false, true}) {
        const RevisionId r = makeRevision(parseRevision(parent), deleted, R"({"x":[1,2,3]})");
        QCOMPARE(r.generation, expected);
        QVERIFY2(isLowerHex32(r.hash), r.hash.constData());
        QVERIFY(r.isValid());
    }
}

void TestRevision::madeRevisionParsesBack()
{
    RevisionId r;
    for (int i = 0; i < 5; ++i) {
        const RevisionId next = makeRevision(r, i == 4, QByteArray::number(i));
        const QByteArray text = next.toBytes();
        QVERIFY(text.startsWith(QByteArray::number(i + 1) + '-'));
        QCOMPARE(text.size(), QByteArray::number(i + 1).size() + 1 + 32);
        QCOMPARE(parseRevision(text), next);
        r = next;
    }
}

QTEST_GUILESS_MAIN(TestRevision)
#include "tst_revision.moc"
