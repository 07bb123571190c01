#include "core/Error.h"
#include "engine/Catalog.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using repl::LoggerConfig;

namespace {

QJsonObject object(const QByteArray &json)
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &err);
    if (err.error != QJsonParseError::NoError)
        qWarning("bad fixture %s: %s", json.constData(), qPrintable(err.errorString()));
    return doc.object();
}

LoggerConfig config(bool autoStart, bool logRemote, qint64 maxEvents, qint64 maxSize)
{
    LoggerConfig c;
    c.autoStart = autoStart;
    c.logRemoteChanges = logRemote;
    c.maxEvents = maxEvents;
    c.maxEventsSize = maxSize;
    return c;
}

// A non-default starting point, so "kept the old value" differs from "reset to default".
LoggerConfig customBase()
{
    return config(true, true, 500, 70000);
}

} // namespace

Q_DECLARE_METATYPE(repl::LoggerConfig)

namespace repl {
bool operator==(const LoggerConfig &a, const LoggerConfig &b)
{
    return a.autoStart == b.autoStart && a.logRemoteChanges == b.logRemoteChanges &&
           a.maxEvents == b.maxEvents && a.maxEventsSize == b.maxEventsSize;
}
char *toString(const LoggerConfig &c)
{
    return qstrdup(QJsonDocument(c.toJson()).toJson(QJsonDocument::Compact).constData());
}
} // namespace repl

class TestLoggerConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults();
    void merge_data();
    void merge();
    void invalid_data();
    void invalid();
    void toJsonShape();
    void toJsonRoundTrip_data();
    void toJsonRoundTrip();
    void fromStored();
};

void TestLoggerConfig::defaults()
{
    const LoggerConfig c;
    QCOMPARE(c.autoStart, false);
    QCOMPARE(c.logRemoteChanges, false);
    QCOMPARE(c.maxEvents, qint64(1048576));
    QCOMPARE(c.maxEventsSize, qint64(134217728));
}

void TestLoggerConfig::merge_data()
{
    QTest::addColumn<QByteArray>("patch");
    QTest::addColumn<LoggerConfig>("expected");

    const LoggerConfig b = customBase();
    QTest::newRow("empty patch keeps everything") << QByteArray("{}") << b;
    QTest::newRow("unknown keys are ignored")
        << QByteArray(R"({"foo":1,"bar":"x","maxevents":-5})") << b;
    QTest::newRow("autoStart only")
        << QByteArray(R"({"autoStart":false})") << config(false, true, 500, 70000);
    QTest::newRow("logRemoteChanges only")
        << QByteArray(R"({"logRemoteChanges":false})") << config(true, false, 500, 70000);
    QTest::newRow("maxEvents only")
        << QByteArray(R"({"maxEvents":123})") << config(true, true, 123, 70000);
    QTest::newRow("maxEventsSize only")
        << QByteArray(R"({"maxEventsSize":4096})") << config(true, true, 500, 4096);
    QTest::newRow("zero means unlimited")
        << QByteArray(R"({"maxEvents":0,"maxEventsSize":0})") << config(true, true, 0, 0);
    QTest::newRow("integral written as float")
        << QByteArray(R"({"maxEvents":2.0})") << config(true, true, 2, 70000);
    QTest::newRow("exponent notation")
        << QByteArray(R"({"maxEventsSize":1e6})") << config(true, true, 500, 1000000);
    QTest::newRow("large but exact") << QByteArray(R"({"maxEventsSize":9000000000000000})")
                                     << config(true, true, 500, 9000000000000000LL);
    QTest::newRow("all keys")
        << QByteArray(
               R"({"autoStart":false,"logRemoteChanges":false,"maxEvents":7,"maxEventsSize":8})")
        << config(false, false, 7, 8);
}

void TestLoggerConfig::merge()
{
    QFETCH(QByteArray, patch);
    QFETCH(LoggerConfig, expected);

    const LoggerConfig base = customBase();
    const LoggerConfig out = LoggerConfig::merged(base, object(patch));
    QCOMPARE(out, expected);
    // The base is untouched.
    QCOMPARE(base, customBase());
}

void TestLoggerConfig::invalid_data()
{
    QTest::addColumn<QByteArray>("patch");
    QTest::addColumn<QString>("field");

    QTest::newRow("autoStart string") << QByteArray(R"({"autoStart":"true"})") << "autoStart";
    QTest::newRow("autoStart number") << QByteArray(R"({"autoStart":1})") << "autoStart";
    QTest::newRow("autoStart null") << QByteArray(R"({"autoStart":null})") << "autoStart";
    QTest::newRow("logRemoteChanges object")
        << QByteArray(R"({"logRemoteChanges":{}})") << "logRemoteChanges";
    QTest::newRow("logRemoteChanges array")
        << QByteArray(R"({"logRemoteChanges":[true]})") << "logRemoteChanges";
    QTest::newRow("maxEvents negative") << QByteArray(R"({"maxEvents":-1})") << "maxEvents";
    QTest::newRow("maxEvents fractional") << QByteArray(R"({"maxEvents":1.5})") << "maxEvents";
    QTest::newRow("maxEvents small fraction") << QByteArray(R"({"maxEvents":0.25})") << "maxEvents";
    QTest::newRow("maxEvents string") << QByteArray(R"({"maxEvents":"100"})") << "maxEvents";
    QTest::newRow("maxEvents bool") << QByteArray(R"({"maxEvents":true})") << "maxEvents";
    QTest::newRow("maxEvents null") << QByteArray(R"({"maxEvents":null})") << "maxEvents";
    QTest::newRow("maxEvents too large") << QByteArray(R"({"maxEvents":1e16})") << "maxEvents";
    QTest::newRow("maxEvents huge") << QByteArray(R"({"maxEvents":1e300})") << "maxEvents";
    QTest::newRow("maxEventsSize negative fraction")
        << QByteArray(R"({"maxEventsSize":-0.5})") << "maxEventsSize";
    QTest::newRow("maxEventsSize array")
        << QByteArray(R"({"maxEventsSize":[]})") << "maxEventsSize";
    QTest::newRow("maxEventsSize negative huge")
        << QByteArray(R"({"maxEventsSize":-1e300})") << "maxEventsSize";
    QTest::newRow("valid keys before a bad one")
        << QByteArray(R"({"autoStart":false,"maxEvents":10,"maxEventsSize":"big"})")
        << "maxEventsSize";
}

void TestLoggerConfig::invalid()
{
    QFETCH(QByteArray, patch);
    QFETCH(QString, field);

    bool thrown = false;
    try {
        LoggerConfig::merged(customBase(), object(patch));
    } catch (const repl::Error &e) {
        thrown = true;
        QCOMPARE(e.httpStatus(), 400);
        QCOMPARE(e.errorNum(), 1409);
        QCOMPARE(e.errorNum(), repl::ErrorNum::ReplicationInvalidLoggerConfiguration);
        QVERIFY2(e.message().contains(u'<' + field + u'>'), qPrintable(e.message()));
        QVERIFY(QByteArray(e.what()).contains(field.toUtf8()));
    } catch (...) {
        QFAIL("threw something other than repl::Error");
    }
    QVERIFY2(thrown, "merged() accepted an invalid value");
}

void TestLoggerConfig::toJsonShape()
{
    const QJsonObject o = config(true, false, 12, 34).toJson();
    QCOMPARE(o.size(), 4);
    QCOMPARE(o.value(u"autoStart"), QJsonValue(true));
    QCOMPARE(o.value(u"logRemoteChanges"), QJsonValue(false));
    QVERIFY(o.value(u"maxEvents").isDouble());
    QCOMPARE(o.value(u"maxEvents").toInteger(), 12);
    QVERIFY(o.value(u"maxEventsSize").isDouble());
    QCOMPARE(o.value(u"maxEventsSize").toInteger(), 34);
}

void TestLoggerConfig::toJsonRoundTrip_data()
{
    QTest::addColumn<LoggerConfig>("config");
    QTest::newRow("defaults") << LoggerConfig();
    QTest::newRow("custom") << customBase();
    QTest::newRow("zeros") << config(false, true, 0, 0);
    QTest::newRow("large") << config(true, false, 4000000000LL, 9000000000000000LL);
}

void TestLoggerConfig::toJsonRoundTrip()
{
    QFETCH(LoggerConfig, config);

    // Merging a config's own JSON onto anything gives the config back.
    QCOMPARE(LoggerConfig::merged(LoggerConfig(), config.toJson()), config);
    QCOMPARE(LoggerConfig::merged(customBase(), config.toJson()), config);
    // Through its stored (text) form as well.
    const QByteArray stored = QJsonDocument(config.toJson()).toJson(QJsonDocument::Compact);
    QCOMPARE(LoggerConfig::fromStored(stored), config);
}

void TestLoggerConfig::fromStored()
{
    // Unreadable or invalid stored text falls back to the defaults instead of throwing.
    QCOMPARE(LoggerConfig::fromStored(QByteArray()), LoggerConfig());
    QCOMPARE(LoggerConfig::fromStored("not json"), LoggerConfig());
    QCOMPARE(LoggerConfig::fromStored(R"({"maxEvents":-3})"), LoggerConfig());
    // Missing keys take the defaults.
    LoggerConfig expected;
    expected.maxEvents = 9;
    QCOMPARE(LoggerConfig::fromStored(R"({"maxEvents":9})"), expected);
}

QTEST_GUILESS_MAIN(TestLoggerConfig)
#include "tst_loggerconfig.moc"
