#include "server/couch/CouchMultipart.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace repl::server::couch;

// The CouchDB face's multipart bodies: regressions found by fuzz_multipart (tests/fuzz).
class TestCouchMultipart : public QObject
{
    Q_OBJECT

    static QByteArray related(const QByteArray &json, const QList<QByteArray> &attachments)
    {
        QByteArray body = "--b\r\nContent-Type: application/json\r\n\r\n" + json + "\r\n";
        for (const QByteArray &bytes : attachments)
            body += "--b\r\nContent-Type: application/octet-stream\r\n\r\n" + bytes + "\r\n";
        return body + "--b--";
    }

    static QByteArray dataOf(const QJsonObject &doc, const QString &name)
    {
        return QByteArray::fromBase64(
            doc[QStringLiteral("_attachments")][name][u"data"].toString().toLatin1());
    }

private Q_SLOTS:
    // The parts follow the attachments in the order the JSON text lists them. That order was
    // taken from where each name first appears as text after "_attachments": a name that is
    // also a value of an earlier attachment (here the content type "a"), or a name written
    // with escapes, took the wrong part.
    void partsFollowTheAttachmentsInTextOrder_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("name used as a value before")
            << QByteArray(R"({"_id":"d","_attachments":{"x":{"content_type":"a","follows":true},)"
                          R"("y":{"follows":true},"a":{"follows":true}}})");
        QTest::newRow("name with escapes")
            << QByteArray(R"({"_id":"d","_attachments":{"x":{"follows":true},"y":{"follows":true},)"
                          R"("\u0061":{"follows":true}}})");
        QTest::newRow("\"_attachments\" as a value first")
            << QByteArray(R"({"_id":"d","note":"_attachments","z":{"a":1,"y":2},"_attachments":)"
                          R"({"x":{"follows":true},"y":{"follows":true},"a":{"follows":true}}})");
    }
    void partsFollowTheAttachmentsInTextOrder()
    {
        QFETCH(QByteArray, json);
        QString why;
        const std::optional<QJsonObject> doc = multipartRelatedDocument(
            "multipart/related; boundary=\"b\"", related(json, {"X", "Y", "A"}), why);
        QVERIFY2(doc, qPrintable(why));
        QCOMPARE(dataOf(*doc, QStringLiteral("x")), QByteArray("X"));
        QCOMPARE(dataOf(*doc, QStringLiteral("y")), QByteArray("Y"));
        QCOMPARE(dataOf(*doc, QStringLiteral("a")), QByteArray("A"));
    }

    // An attachment's content type or name went into its part's headers as it was: a line
    // break in it ended the headers early, so the rest of them became attachment bytes (or
    // more headers), and a name ending in '\' escaped the closing quote.
    void partHeadersHoldNoLineBreaks()
    {
        const QJsonObject doc{
            {QStringLiteral("_id"), QStringLiteral("d")},
            {QStringLiteral("_attachments"),
             QJsonObject{{QStringLiteral("a\\"),
                          QJsonObject{{QStringLiteral("content_type"),
                                       QStringLiteral("text/plain\r\nInjected: yes\r\n\r\nx")},
                                      {QStringLiteral("data"), QStringLiteral("aGVsbG8=")}}}}}};
        const QByteArray answer = QJsonDocument(QJsonArray{QJsonObject{{"ok", doc}}}).toJson();
        QByteArray contentType;
        const QByteArray body = openRevsMultipartBody(answer, contentType);
        QVERIFY(!body.contains("\r\nInjected"));
        QVERIFY(body.contains("filename=\"a\\\\\""));
        // The related part reads back with the attachment's own bytes.
        const qsizetype at = body.indexOf("Content-Type: multipart/related; ");
        QVERIFY(at > 0);
        const qsizetype headerEnd = body.indexOf("\r\n", at);
        const qsizetype contentStart = headerEnd + 4;
        const qsizetype contentEnd = body.lastIndexOf("\r\n--");
        QString why;
        const std::optional<QJsonObject> back =
            multipartRelatedDocument(QByteArrayView(body).sliced(at + 14, headerEnd - at - 14),
                                     body.mid(contentStart, contentEnd - contentStart), why);
        QVERIFY2(back, qPrintable(why));
        QCOMPARE(dataOf(*back, QStringLiteral("a\\")), QByteArray("hello"));
    }
};

QTEST_APPLESS_MAIN(TestCouchMultipart)
#include "tst_couchmultipart.moc"
