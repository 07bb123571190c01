// Nothing acknowledged is lost: kill -9 in the middle of a write loop, restart, count.
#include "support/HttpClient.h"
#include "support/ServerProcess.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>
#include <QTimer>

using namespace repl::test;

class TestDurability : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void killDuringWritesLosesNothingAcknowledged()
    {
        QTemporaryDir dir;
        ServerProcess server(dir.path());
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        HttpClient http(server.baseUrl());
        QCOMPARE(http.put(QStringLiteral("/_api/replication/logger-start")).status, 200);
        QCOMPARE(
            http.post(QStringLiteral("/_api/collection"), QJsonObject{{"name", "ledger"}}).status,
            200);

        // Several writers in flight at once (async), so the kill lands mid-commit.
        QNetworkAccessManager nam;
        QSet<QString> acknowledged;
        QSet<QString> sent;
        int next = 0;
        const QByteArray auth =
            "Basic " + QByteArray("root:" + ServerProcess::password().toUtf8()).toBase64();
        std::function<void()> sendOne = [&] {
            const QString key = QStringLiteral("k%1").arg(next++);
            sent.insert(key);
            QUrl url = server.baseUrl();
            url.setPath(QStringLiteral("/_api/document/ledger"));
            QNetworkRequest req(url);
            req.setRawHeader("Authorization", auth);
            req.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
            QNetworkReply *reply = nam.post(
                req, QStringLiteral("{\"_key\":\"%1\",\"v\":%2}").arg(key).arg(next).toUtf8());
            connect(reply, &QNetworkReply::finished, this, [&, reply, key] {
                const int status =
                    reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                if (status == 202)
                    acknowledged.insert(key);
                reply->deleteLater();
                if (server.isRunning())
                    sendOne();
            });
        };
        for (int i = 0; i < 8; ++i)
            sendOne();
        QVERIFY(QTest::qWaitFor([&] { return acknowledged.size() >= 400; }, 60000));
        server.kill(); // SIGKILL while requests are in flight
        QVERIFY(!server.isRunning());
        QTest::qWait(200); // let the failed replies drain (their outcome is not acknowledged)
        QVERIFY(sent.size() > acknowledged.size());

        QVERIFY2(server.start(), qPrintable(server.errorString()));
        HttpClient after(server.baseUrl());
        int present = 0;
        for (const QString &key : std::as_const(acknowledged)) {
            const HttpReply r = after.get(QStringLiteral("/_api/document/ledger/") + key);
            QVERIFY2(r.status == 200,
                     qPrintable(key + QStringLiteral(" was acknowledged but is gone")));
            ++present;
        }
        QCOMPARE(present, acknowledged.size());
        // The count matches the documents, and the log holds an event for every acknowledged write.
        const int count = after.get(QStringLiteral("/_api/collection/ledger/count"))
                              .json()[QStringLiteral("count")]
                              .toInt();
        QVERIFY(count >= acknowledged.size());
        QVERIFY(count <= sent.size());
        QSet<QString> logged;
        QString from = QStringLiteral("0");
        for (;;) {
            const HttpReply r = after.get(
                QStringLiteral("/_api/replication/logger-follow?chunkSize=1000000&from=") + from);
            if (r.status != 200)
                break;
            for (const QJsonObject &e : r.lines())
                if (e[QStringLiteral("type")].toInt() == 2300)
                    logged.insert(e[QStringLiteral("key")].toString());
            from = QString::fromUtf8(r.header("x-arango-replication-lastincluded"));
        }
        for (const QString &key : std::as_const(acknowledged))
            QVERIFY2(logged.contains(key), qPrintable(key));
        QCOMPARE(logged.size(), count);

        // Ticks continue above everything before the crash.
        const QString lastTick = after.get(QStringLiteral("/_api/replication/logger-state"))
                                     .json()[QStringLiteral("state")]
                                     .toObject()[QStringLiteral("lastLogTick")]
                                     .toString();
        const HttpReply fresh =
            after.post(QStringLiteral("/_api/document/ledger"), QByteArray("{}"));
        QVERIFY(fresh.json()[QStringLiteral("_key")].toString().toULongLong() >
                lastTick.toULongLong());
    }
};

QTEST_GUILESS_MAIN(TestDurability)
#include "tst_durability.moc"
