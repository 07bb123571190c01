#include "client/Endpoint.h"

#include <QTest>

using namespace repl::client;
using namespace Qt::StringLiterals;

// Endpoints as clients give them: regressions found by fuzz_endpoint (tests/fuzz).
class TestEndpoint : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void takesCredentials_data()
    {
        QTest::addColumn<QString>("endpoint");
        QTest::addColumn<QString>("stripped");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::newRow("user and password")
            << u"http://ann:s3cret@db:8529/x"_s << u"http://db:8529/x"_s << u"ann"_s << u"s3cret"_s;
        QTest::newRow("encoded") << u"tcp://a%40b:p%3Aw@db:8529"_s << u"tcp://db:8529"_s << u"a@b"_s
                                 << u"p:w"_s;
        QTest::newRow("none") << u"https://db:6984/"_s << u"https://db:6984/"_s << u"kept"_s
                              << u"kept"_s;
        // The authority ends at '?' and '#' too: an '@' after them is no credentials. It was
        // read as "user host, password 8529?x=ann" at the server "example.org".
        QTest::newRow("'@' in the query")
            << u"http://db:8529?x=ann@example.org"_s << u"http://db:8529?x=ann@example.org"_s
            << u"kept"_s << u"kept"_s;
        QTest::newRow("'@' in the fragment")
            << u"http://db:8529#ann@example.org"_s << u"http://db:8529#ann@example.org"_s
            << u"kept"_s << u"kept"_s;
        // Decoded as QUrl reads the endpoint: a stray '%' is a '%' (it was dropped with the
        // next byte, so the password used was not the one written).
        QTest::newRow("malformed escape") << u"http://ann:s%4\u0414@db:8529/"_s
                                          << u"http://db:8529/"_s << u"ann"_s << u"s%4\u0414"_s;
        QTest::newRow("user only") << u"http://ann@db"_s << u"http://db"_s << u"ann"_s << QString();
        QTest::newRow("credentials, '@' in the query")
            << u"http://ann:pw@db:8529?to=b@c"_s << u"http://db:8529?to=b@c"_s << u"ann"_s
            << u"pw"_s;
    }
    void takesCredentials()
    {
        QFETCH(QString, endpoint);
        QFETCH(QString, stripped);
        QFETCH(QString, user);
        QFETCH(QString, password);
        QString u = QStringLiteral("kept"), p = QStringLiteral("kept");
        QCOMPARE(takeCredentials(endpoint, u, p), stripped);
        QCOMPARE(u, user);
        QCOMPARE(p, password);
        // The server stays the one the whole endpoint names.
        QCOMPARE(normalizeEndpoint(stripped).host(), normalizeEndpoint(endpoint).host());
    }

    // Found by fuzz_endpoint: QUrl writes a noncharacter (U+7FFFF) in a path as two lone
    // surrogates that read back as U+FFFD, so the written endpoint named another server path.
    // Such an endpoint is refused; ordinary ones round-trip.
    void endpointsThatDoNotReadBackAreRefused()
    {
        QVERIFY(
            !normalizeEndpoint(u"http://db:8529/a"_s + QString::fromUcs4(U"\U0007FFFF")).isValid());
        for (const QString &fine :
             {u"tcp://db:8529"_s, u"ssl://[::1]:8530/x"_s, u"http://db:8529/caf\u00e9/%20"_s}) {
            const QUrl url = normalizeEndpoint(fine);
            QVERIFY2(url.isValid(), qPrintable(fine));
            QCOMPARE(normalizeEndpoint(url.toString(QUrl::FullyEncoded)), url);
        }
    }
};

QTEST_APPLESS_MAIN(TestEndpoint)
#include "tst_endpoint.moc"
