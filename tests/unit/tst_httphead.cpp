// The connection guard's pure parts: where a head ends, what a head may hold, chunked bodies
// fed a byte at a time, and the failed-login delays.
#include "server/HttpHead.h"
#include "server/LoginThrottle.h"

#include <QTest>

using namespace repl::server;

class TestHttpHead : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void headEndsAtTheFirstEmptyLine()
    {
        const QByteArray req = "\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nbody";
        HeadScanner s;
        qsizetype end = 0;
        for (qsizetype n = 1; n <= req.size() && end == 0; ++n) // a byte at a time
            end = s.scan(QByteArrayView(req).first(n));
        QCOMPARE(end, req.indexOf("body"));
        HeadScanner lf;
        QCOMPARE(lf.scan("GET / HTTP/1.1\nHost: x\n\nrest"), qsizetype(24));
        HeadScanner none;
        QCOMPARE(none.scan("GET / HTTP/1.1\r\nHost: x\r\n"), qsizetype(0));
        QVERIFY(none.sawRequestLine());
    }

    void heads_data()
    {
        QTest::addColumn<QByteArray>("fields");
        QTest::addColumn<int>("status"); // 0: accepted
        QTest::newRow("plain") << QByteArray("Host: x\r\n") << 0;
        QTest::newRow("same length twice")
            << QByteArray("Content-Length: 3\r\nContent-Length: 3\r\n") << 0;
        QTest::newRow("negative length") << QByteArray("Content-Length: -1\r\n") << 400;
        QTest::newRow("two lengths")
            << QByteArray("Content-Length: 3\r\nContent-Length: 4\r\n") << 400;
        QTest::newRow("length list") << QByteArray("Content-Length: 3,3\r\n") << 400;
        QTest::newRow("empty length") << QByteArray("Content-Length:\r\n") << 400;
        QTest::newRow("length and chunked")
            << QByteArray("Content-Length: 3\r\nTransfer-Encoding: chunked\r\n") << 400;
        QTest::newRow("gzip, chunked") << QByteArray("Transfer-Encoding: gzip, chunked\r\n") << 501;
        QTest::newRow("chunked, gzip") << QByteArray("Transfer-Encoding: chunked, gzip\r\n") << 400;
        QTest::newRow("NUL in value") << QByteArray("X-A: a\0b\r\n", 10) << 400;
        QTest::newRow("bare CR") << QByteArray("X-A: a\rb\r\n") << 400;
        QTest::newRow("space in name") << QByteArray("X A: b\r\n") << 400;
        QTest::newRow("no colon") << QByteArray("XA\r\n") << 400;
        QTest::newRow("two Authorization")
            << QByteArray("Authorization: a\r\nAuthorization: b\r\n") << 400;
        QTest::newRow("Expect other") << QByteArray("Expect: 200-ok\r\n") << 417;
        QTest::newRow("too large") << QByteArray("Content-Length: 1025\r\n") << 413;
    }

    void heads()
    {
        QFETCH(QByteArray, fields);
        QFETCH(int, status);
        HttpLimits limits;
        limits.maxBodyBytes = 1024;
        HeadError error;
        const auto h =
            parseRequestHead("POST /db/_bulk_docs HTTP/1.1\r\n" + fields + "\r\n", limits, error);
        QCOMPARE(h ? 0 : error.status, status);
        if (h)
            QVERIFY(h->couch);
    }

    void requestLines()
    {
        HttpLimits limits;
        HeadError error;
        QVERIFY(parseRequestHead("GET /_api/version HTTP/1.0\r\n\r\n", limits, error));
        QVERIFY(!parseRequestHead("GET  / HTTP/1.1\r\n\r\n", limits, error));
        QVERIFY(!parseRequestHead("GET /\xff HTTP/1.1\r\n\r\n", limits, error));
        QVERIFY(!parseRequestHead("GET / HTTP/2.0\r\n\r\n", limits, error));
        QCOMPARE(error.status, 505);
        QVERIFY(!parseRequestHead("GET / http/1.1\r\n\r\n", limits, error));
        limits.maxHeaderCount = 2;
        QVERIFY(!parseRequestHead("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits, error));
        QCOMPARE(error.status, 431);
        QVERIFY(!isCouchPath("/_api/version"));
        QVERIFY(!isCouchPath("/_db/x/_api/version"));
        QVERIFY(isCouchPath("/db/doc"));
        QVERIFY(isCouchPath("/"));
    }

    void chunkedBodies_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("state");
        QTest::addColumn<qint64>("size");
        using S = ChunkedBody::State;
        QTest::newRow("two chunks")
            << QByteArray("3\r\nabc\r\nA\r\n0123456789\r\n0\r\n\r\n") << int(S::Done) << qint64(13);
        QTest::newRow("empty") << QByteArray("0\r\n\r\n") << int(S::Done) << qint64(0);
        QTest::newRow("extension")
            << QByteArray("3;x=y\r\nabc\r\n0\r\n\r\n") << int(S::Invalid) << qint64(0);
        QTest::newRow("trailer") << QByteArray("3\r\nabc\r\n0\r\nX: y\r\n\r\n") << int(S::Invalid)
                                 << qint64(0);
        QTest::newRow("bare LF") << QByteArray("3\nabc\r\n0\r\n\r\n") << int(S::Invalid)
                                 << qint64(0);
        QTest::newRow("no CRLF after data")
            << QByteArray("3\r\nabcXY0\r\n\r\n") << int(S::Invalid) << qint64(0);
        QTest::newRow("negative") << QByteArray("-3\r\nabc\r\n0\r\n\r\n") << int(S::Invalid)
                                  << qint64(0);
        QTest::newRow("16 digits")
            << QByteArray("0000000000000003\r\nabc\r\n0\r\n\r\n") << int(S::Invalid) << qint64(0);
        QTest::newRow("over the limit") << QByteArray("401\r\n") << int(S::TooLarge) << qint64(0);
    }

    void chunkedBodies()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, state);
        QFETCH(qint64, size);
        const QByteArray input = body + "NEXT";
        for (bool byByte : {false, true}) {
            ChunkedBody c(1024);
            ChunkedBody::State s = ChunkedBody::State::More;
            qsizetype consumed = 0;
            qsizetype used = 0;
            const qsizetype step = byByte ? 1 : input.size();
            while (s == ChunkedBody::State::More && consumed < input.size()) {
                const QByteArrayView piece =
                    QByteArrayView(input).sliced(consumed, qMin(step, input.size() - consumed));
                s = c.feed(piece, used);
                consumed += s == ChunkedBody::State::Done ? used : piece.size();
            }
            QCOMPARE(int(s), state);
            if (s == ChunkedBody::State::Done) {
                QCOMPARE(c.decodedSize(), size);
                QCOMPARE(consumed, body.size()); // "NEXT" is the next request's
            }
        }
    }

    void failedLoginsWaitLonger()
    {
        LoginThrottle t(2, 5000);
        const QByteArray a = LoginThrottle::addressKey(QHostAddress(QStringLiteral("127.0.0.3")));
        t.failed(a, 0);
        t.failed(a, 10);
        QCOMPARE(t.waitMs(a, 10), 0);
        t.failed(a, 20); // the 3rd: 1 s
        QCOMPARE(t.waitMs(a, 20), 1000);
        t.failed(a, 1100); // 2 s
        QCOMPARE(t.waitMs(a, 1100), 2000);
        t.failed(a, 3200);
        t.failed(a, 7300); // 4 s, then the cap of 5 s
        QCOMPARE(t.waitMs(a, 7300), 5000);
        QCOMPARE(t.waitMs("other", 7300), 0);
        t.succeeded(a);
        QCOMPARE(t.waitMs(a, 7300), 0);
        // IPv6 counts by /64; IPv4-mapped as IPv4.
        QCOMPARE(LoginThrottle::addressKey(QHostAddress(QStringLiteral("2001:db8::1"))),
                 LoginThrottle::addressKey(QHostAddress(QStringLiteral("2001:db8::ffff:2"))));
        QCOMPARE(LoginThrottle::addressKey(QHostAddress(QStringLiteral("::ffff:10.0.0.1"))),
                 QByteArray("10.0.0.1"));
    }
};

QTEST_GUILESS_MAIN(TestHttpHead)
#include "tst_httphead.moc"
