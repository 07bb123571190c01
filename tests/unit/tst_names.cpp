#include "core/Names.h"

#include <QTest>

using namespace repl;

namespace {
QString repeat(QChar c, int n)
{
    return QString(n, c);
}
} // namespace

class TestNames : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void collectionName_data();
    void collectionName();
    void databaseName_data();
    void databaseName();
    void documentKey_data();
    void documentKey();
    void systemName();
};

void TestNames::collectionName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");

    QTest::newRow("one letter") << QStringLiteral("a") << true;
    QTest::newRow("upper case") << QStringLiteral("Users") << true;
    QTest::newRow("letters digits _ -") << QStringLiteral("abc_DEF-123") << true;
    QTest::newRow("system collection") << QStringLiteral("_users") << true;
    QTest::newRow("underscore only") << QStringLiteral("_") << true;
    QTest::newRow("256 chars") << QString(u'a' + repeat(u'b', 255)) << true;
    QTest::newRow("257 chars") << QString(u'a' + repeat(u'b', 256)) << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("digit first") << QStringLiteral("1abc") << false;
    QTest::newRow("dash first") << QStringLiteral("-abc") << false;
    QTest::newRow("space") << QStringLiteral("a b") << false;
    QTest::newRow("slash") << QStringLiteral("a/b") << false;
    QTest::newRow("quote") << QStringLiteral("a\"b") << false;
    QTest::newRow("dot") << QStringLiteral("a.b") << false;
    QTest::newRow("colon") << QStringLiteral("a:b") << false;
    QTest::newRow("trailing space") << QStringLiteral("abc ") << false;
    QTest::newRow("umlaut inside") << QStringLiteral("m\u00fcller") << false;
    QTest::newRow("umlaut first") << QStringLiteral("\u00fcber") << false;
    QTest::newRow("cyrillic") << QStringLiteral("\u0434\u0430") << false;
    QTest::newRow("fullwidth digit") << QStringLiteral("a\uff11") << false;
    QTest::newRow("NUL inside") << QString::fromUtf16(u"a\0b", 3) << false;
}

void TestNames::collectionName()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(isValidCollectionName(name), valid);
}

void TestNames::databaseName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");

    QTest::newRow("_system") << QStringLiteral("_system") << true;
    QTest::newRow("one letter") << QStringLiteral("a") << true;
    QTest::newRow("letters digits _ -") << QStringLiteral("Shop_2024-eu") << true;
    QTest::newRow("64 chars") << QString(u'd' + repeat(u'x', 63)) << true;
    QTest::newRow("65 chars") << QString(u'd' + repeat(u'x', 64)) << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("other underscore name") << QStringLiteral("_foo") << false;
    QTest::newRow("_system with suffix") << QStringLiteral("_system2") << false;
    QTest::newRow("_System (case)") << QStringLiteral("_System") << false;
    QTest::newRow("digit first") << QStringLiteral("1db") << false;
    QTest::newRow("dash first") << QStringLiteral("-db") << false;
    QTest::newRow("space") << QStringLiteral("my db") << false;
    QTest::newRow("slash") << QStringLiteral("a/b") << false;
    QTest::newRow("quote") << QStringLiteral("a\"b") << false;
    QTest::newRow("dot") << QStringLiteral("a.b") << false;
    QTest::newRow("unicode letter") << QStringLiteral("caf\u00e9") << false;
    QTest::newRow("emoji") << QStringLiteral("db\U0001F600") << false;
}

void TestNames::databaseName()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(isValidDatabaseName(name), valid);
}

void TestNames::documentKey_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<bool>("valid");

    QTest::newRow("one letter") << QStringLiteral("a") << true;
    QTest::newRow("digits only") << QStringLiteral("12345") << true;
    QTest::newRow("digit first") << QStringLiteral("1abc") << true;
    QTest::newRow("underscore first") << QStringLiteral("_abc") << true;
    QTest::newRow("dash first") << QStringLiteral("-abc") << true;
    QTest::newRow("every punctuation allowed") << QStringLiteral("_-:.@()+,=;$!*'%") << true;
    QTest::newRow("mixed") << QStringLiteral("user:42@example.com") << true;
    QTest::newRow("254 chars") << repeat(u'k', 254) << true;
    QTest::newRow("255 chars") << repeat(u'k', 255) << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("slash") << QStringLiteral("a/b") << false;
    QTest::newRow("space") << QStringLiteral("a b") << false;
    QTest::newRow("quote") << QStringLiteral("a\"b") << false;
    QTest::newRow("backslash") << QStringLiteral("a\\b") << false;
    QTest::newRow("hash") << QStringLiteral("a#b") << false;
    QTest::newRow("question mark") << QStringLiteral("a?b") << false;
    QTest::newRow("ampersand") << QStringLiteral("a&b") << false;
    QTest::newRow("brackets") << QStringLiteral("a[0]") << false;
    QTest::newRow("braces") << QStringLiteral("{a}") << false;
    QTest::newRow("tab") << QStringLiteral("a\tb") << false;
    QTest::newRow("newline") << QStringLiteral("a\nb") << false;
    QTest::newRow("NUL inside") << QString::fromUtf16(u"a\0b", 3) << false;
    QTest::newRow("umlaut") << QStringLiteral("m\u00fcller") << false;
    QTest::newRow("emoji") << QStringLiteral("k\U0001F600") << false;
    QTest::newRow("253 chars and a bad one") << QString(repeat(u'k', 253) + u'/') << false;
}

void TestNames::documentKey()
{
    QFETCH(QString, key);
    QFETCH(bool, valid);
    QCOMPARE(isValidDocumentKey(key), valid);
}

void TestNames::systemName()
{
    QVERIFY(isSystemName(u"_system"));
    QVERIFY(isSystemName(u"_"));
    QVERIFY(!isSystemName(u"system"));
    QVERIFY(!isSystemName(u""));
}

QTEST_GUILESS_MAIN(TestNames)
#include "tst_names.moc"
