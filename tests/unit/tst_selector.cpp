#include "core/Selector.h"

#include <QJsonDocument>
#include <QTest>

using namespace repl;

// Mango selectors: regressions found by fuzz_selector (tests/fuzz).
class TestSelector : public QObject
{
    Q_OBJECT

    static QJsonObject object(const char *json) { return QJsonDocument::fromJson(json).object(); }

private Q_SLOTS:
    // -2^63 % -1 overflows: the server died of SIGFPE matching such a document.
    void modByMinusOneOfTheSmallestInteger_data()
    {
        QTest::addColumn<QByteArray>("selector");
        QTest::addColumn<bool>("matches");
        QTest::newRow("remainder 0") << QByteArray(R"({"n":{"$mod":[-1,0]}})") << true;
        QTest::newRow("remainder 1") << QByteArray(R"({"n":{"$mod":[-1,1]}})") << false;
        QTest::newRow("divisor 2") << QByteArray(R"({"n":{"$mod":[2,0]}})") << true;
        QTest::newRow("divisor 0") << QByteArray(R"({"n":{"$mod":[0,0]}})") << false;
    }
    void modByMinusOneOfTheSmallestInteger()
    {
        QFETCH(QByteArray, selector);
        QFETCH(bool, matches);
        const QJsonObject s = object(selector.constData());
        QVERIFY(validateSelector(s).isEmpty());
        QCOMPARE(matchesSelector(s, object(R"({"n":-9223372036854775808})")), matches);
        QCOMPARE(matchesSelector(s, object(R"({"n":-8})")), matches);
    }
};

QTEST_APPLESS_MAIN(TestSelector)
#include "tst_selector.moc"
