// A _changes answer as the replicator reads it. Its last_seq from its end (the replicator asks
// for the next page before parsing the current one): the shapes CouchDB 3, PouchDB and our
// server send are read; anything else gives nothing, so the caller waits for the full parse.
// Then the page without JSON objects (parseChangesPage, docHead, withFirstRevision): what it
// reads is what QJsonDocument reads of the same text, and malformed text is refused.
#include "engine/couch/CouchService.h"
#include "engine/couch/replicator/CouchReplicationSupport.h"

#include <QtTest>

using namespace repl::couchrepl;

namespace {

QJsonObject objectOf(QByteArrayView text)
{
    QJsonParseError err{};
    const QJsonDocument d = QJsonDocument::fromJson(text.toByteArray(), &err);
    return err.error == QJsonParseError::NoError ? d.object() : QJsonObject();
}

} // namespace

class TestChangesPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsKnownShapes_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QJsonValue>("seq");
        QTest::addColumn<qint64>("pending");
        // Ours: rows on their own lines, then last_seq and pending.
        QTest::newRow("repldesk") << QByteArray("{\"results\":[\n{\"seq\":4,\"id\":\"a\"},\n"
                                                "{\"seq\":5,\"id\":\"b\"}\n],\n"
                                                "\"last_seq\":5,\"pending\":28}\n")
                                  << QJsonValue(5) << qint64(28);
        // CouchDB 3.x: opaque string seqs.
        QTest::newRow("couchdb") << QByteArray("{\"results\":[\n{\"seq\":\"1-g1AAAA\",\"id\":"
                                               "\"a\",\"changes\":[{\"rev\":\"1-x\"}]}\n],\n"
                                               "\"last_seq\":\"1-g1AAAA_x-Y\",\"pending\":0}\n")
                                 << QJsonValue(QStringLiteral("1-g1AAAA_x-Y")) << qint64(0);
        // PouchDB: no pending, no line breaks.
        QTest::newRow("pouchdb") << QByteArray("{\"results\":[{\"id\":\"a\",\"seq\":7,\"doc\":"
                                               "{\"last_seq\":1}}],\"last_seq\":7}")
                                 << QJsonValue(7) << qint64(-1);
        QTest::newRow("empty page")
            << QByteArray("{\"results\":[],\"last_seq\":0}") << QJsonValue(0) << qint64(-1);
        QTest::newRow("spaces") << QByteArray("{ \"results\" : [ ] , \"last_seq\" : 12 , "
                                              "\"pending\" : 3 }  \r\n")
                                << QJsonValue(12) << qint64(3);
    }
    void readsKnownShapes()
    {
        QFETCH(QByteArray, body);
        QFETCH(QJsonValue, seq);
        QFETCH(qint64, pending);
        const auto tail = trailingLastSeq(body);
        QVERIFY(tail);
        QCOMPARE(tail->lastSeq, seq);
        QCOMPARE(tail->pending, pending);
        // What the full parse says, too: reading ahead never disagrees with it.
        QCOMPARE(QJsonDocument::fromJson(body).object().value(QStringLiteral("last_seq")), seq);
    }

    void leavesOtherShapesToTheParser_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("last_seq first")
            << QByteArray("{\"last_seq\":5,\"results\":[{\"id\":\"a\",\"seq\":5}]}");
        // The only "last_seq" is inside a document: results come after it.
        QTest::newRow("inside a doc")
            << QByteArray("{\"results\":[{\"id\":\"a\",\"doc\":{\"x\":1,\"last_seq\":9}}]}");
        QTest::newRow("escaped string") << QByteArray("{\"results\":[],\"last_seq\":\"5\\u0041\"}");
        QTest::newRow("another field after")
            << QByteArray("{\"results\":[],\"last_seq\":5,\"pending\":0,\"x\":1}");
        QTest::newRow("field after last_seq")
            << QByteArray("{\"results\":[],\"last_seq\":5,\"x\":1}");
        QTest::newRow("too long a number")
            << QByteArray("{\"results\":[],\"last_seq\":1234567890123456789}");
        QTest::newRow("negative") << QByteArray("{\"results\":[],\"last_seq\":-1}");
        QTest::newRow("cut short") << QByteArray("{\"results\":[],\"last_seq\":5");
        QTest::newRow("object seq") << QByteArray("{\"results\":[],\"last_seq\":{\"a\":1}}");
        QTest::newRow("nothing after the key") << QByteArray("{\"results\":[],\"last_seq\"");
    }
    void leavesOtherShapesToTheParser()
    {
        QFETCH(QByteArray, body);
        QVERIFY(!trailingLastSeq(body));
    }

    // Every row's id, revisions, seq and document as QJsonDocument reads the same answer.
    void readsPagesAsTheJsonParserDoes_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("repldesk, include_docs")
            << QByteArray("{\"results\":[\n"
                          "{\"seq\":4,\"id\":\"a\",\"changes\":[{\"rev\":\"1-x\"},{\"rev\":"
                          "\"1-y\"}],\"doc\":{\"_id\":\"a\",\"_rev\":\"1-y\",\"n\":[1,{\"k\":"
                          "\"}\"}]}},\n"
                          "{\"seq\":5,\"id\":\"b\",\"deleted\":true,\"changes\":[{\"rev\":"
                          "\"2-z\"}],\"doc\":{\"_id\":\"b\",\"_rev\":\"2-z\",\"_deleted\":true}}"
                          "\n],\n\"last_seq\":5,\"pending\":28}\n");
        QTest::newRow("couchdb 3, spaces and escapes")
            << QByteArray("{\"results\":[\r\n{ \"seq\" : \"1-g1AA\", \"id\":\"caf\\u00e9\\\"\","
                          " \"changes\":[ {\"rev\":\"1-x\"} ] , \"doc\" : null }\r\n],\r\n"
                          "\"last_seq\":\"1-g1AA\",\"pending\":0}");
        QTest::newRow("pouchdb, fields in another order")
            << QByteArray("{\"results\":[{\"doc\":{\"_id\":\"\u00e9\",\"_rev\":\"1-a\"},"
                          "\"changes\":[{\"rev\":\"1-a\"}],\"id\":\"\u00e9\",\"seq\":7}],"
                          "\"last_seq\":7}");
        QTest::newRow("empty") << QByteArray("{\"last_seq\":0,\"results\":[]}");
        QTest::newRow("unknown members")
            << QByteArray("{\"x\":[1,2],\"results\":[{\"id\":\"a\",\"x\":{\"id\":\"b\"},"
                          "\"changes\":[{\"rev\":\"1-a\",\"x\":1}]}]}");
    }
    void readsPagesAsTheJsonParserDoes()
    {
        QFETCH(QByteArray, body);
        const std::optional<ChangesPage> page = parseChangesPage(body);
        QVERIFY(page);
        const QJsonObject o = objectOf(body);
        QVERIFY(!o.isEmpty());
        QCOMPARE(page->lastSeq, o.value(QStringLiteral("last_seq")));
        QCOMPARE(page->pending, o.value(QStringLiteral("pending")));
        const QJsonArray rows = o.value(QStringLiteral("results")).toArray();
        QCOMPARE(page->rows.size(), rows.size());
        for (qsizetype i = 0; i < rows.size(); ++i) {
            const QJsonObject row = rows[i].toObject();
            const ChangeRow &r = page->rows[i];
            QCOMPARE(r.idText(), row.value(QStringLiteral("id")).toString());
            QCOMPARE(jsonValueOf(r.seq), row.value(QStringLiteral("seq")));
            QStringList revs;
            for (const QJsonValue &c : row.value(QStringLiteral("changes")).toArray())
                revs.append(c.toObject().value(QStringLiteral("rev")).toString());
            QStringList read;
            for (QByteArrayView rev : r.revs)
                read.append(jsonValueOf(rev).toString());
            QCOMPARE(read, revs);
            const QJsonObject doc = row.value(QStringLiteral("doc")).toObject();
            QCOMPARE(objectOf(r.doc), doc);
            if (doc.isEmpty())
                continue;
            const std::optional<DocHead> head = docHead(r.doc);
            QVERIFY(head);
            QCOMPARE(head->id, doc.value(QStringLiteral("_id")).toString());
            QCOMPARE(QString::fromLatin1(head->rev), doc.value(QStringLiteral("_rev")).toString());
            QCOMPARE(head->deleted, doc.value(QStringLiteral("_deleted")).toBool());
        }
    }

    void refusesMalformedPages_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("no results") << QByteArray("{\"last_seq\":5}");
        QTest::newRow("results not a list") << QByteArray("{\"results\":{}}");
        QTest::newRow("a row not an object") << QByteArray("{\"results\":[1]}");
        QTest::newRow("id not a string") << QByteArray("{\"results\":[{\"id\":1}]}");
        QTest::newRow("cut short") << QByteArray("{\"results\":[{\"id\":\"a\"}");
        QTest::newRow("broken doc")
            << QByteArray("{\"results\":[{\"id\":\"a\",\"doc\":{\"a\":tru}}]}");
        QTest::newRow("trailing bytes") << QByteArray("{\"results\":[]} x");
        QTest::newRow("bad escape") << QByteArray("{\"results\":[{\"id\":\"a\\q\"}]}");
        QTest::newRow("raw control character") << QByteArray("{\"results\":[{\"id\":\"a\tb\"}]}");
        QTest::newRow("number out of range")
            << QByteArray("{\"results\":[{\"id\":\"a\",\"seq\":1e999}]}");
    }
    void refusesMalformedPages()
    {
        QFETCH(QByteArray, body);
        QVERIFY(!parseChangesPage(body));
    }

    void docHeadGivesUpOnEscapedNames()
    {
        // "\u005fid" is _id: read from the bytes it would be missed, so nothing is read.
        QVERIFY(!docHead("{\"\\u005fid\":\"a\",\"_rev\":\"1-a\"}"));
        const auto head = docHead("{\"_id\":\"a\",\"_attachments\":{\"f\":{\"stub\":true}}}");
        QVERIFY(head);
        QCOMPARE(objectOf(head->attachments)
                     .value(QStringLiteral("f"))
                     .toObject()
                     .value(QStringLiteral("stub")),
                 QJsonValue(true));
        QVERIFY(head->rev.isEmpty());
    }

    void firstRevisionIsSplicedIn()
    {
        const QByteArray doc =
            withFirstRevision("{\"_id\":\"a\",\"_rev\":\"1-abc\",\"n\":1}", "abc");
        const QJsonObject o = objectOf(doc);
        QCOMPARE(o.value(QStringLiteral("_revisions")).toObject(),
                 (QJsonObject{{QStringLiteral("start"), 1},
                              {QStringLiteral("ids"), QJsonArray{QStringLiteral("abc")}}}));
        QCOMPARE(o.value(QStringLiteral("n")), QJsonValue(1));
        QCOMPARE(o.size(), 4);
        QCOMPARE(objectOf(withFirstRevision("{}", "h")).size(), 1);
    }

    // The _revs_diff request made from a page's bytes reads, as JSON, as the rows' ids and
    // revisions; rows without an id or revisions are left out.
    void revsDiffRequestFromThePage()
    {
        const QByteArray body(
            "{\"results\":[{\"id\":\"a\",\"changes\":[{\"rev\":\"1-x\"},{\"rev\":\"2-y\"}]},"
            "{\"id\":\"b\\\"q\",\"changes\":[{\"rev\":\"3-z\"}]},{\"id\":\"\",\"changes\":"
            "[{\"rev\":\"1-n\"}]},{\"id\":\"c\",\"changes\":[]}]}");
        const auto page = parseChangesPage(body);
        QVERIFY(page);
        QCOMPARE(objectOf(revsDiffRequest(page->rows)),
                 (QJsonObject{{QStringLiteral("a"),
                               QJsonArray{QStringLiteral("1-x"), QStringLiteral("2-y")}},
                              {QStringLiteral("b\"q"), QJsonArray{QStringLiteral("3-z")}}}));
        QCOMPARE(revsDiffRequest({}), QByteArray("{}"));
    }

    void revsDiffAnswers()
    {
        const auto missing = parseRevsDiffAnswer(
            "{\"a\":{\"missing\":[\"1-x\",\"2-y\"],\"possible_ancestors\":[\"1-w\"]},\n"
            " \"\\u00e9\" : {\"missing\":[\"3-z\"]}}");
        QVERIFY(missing);
        QCOMPARE(missing->size(), 2);
        QCOMPARE(missing->at(0).id, QStringLiteral("a"));
        QCOMPARE(missing->at(0).revs, (QStringList{QStringLiteral("1-x"), QStringLiteral("2-y")}));
        QCOMPARE(missing->at(1).id, QStringLiteral("\u00e9"));
        QCOMPARE(missing->at(1).revs, QStringList{QStringLiteral("3-z")});
        QVERIFY(parseRevsDiffAnswer("{}")->isEmpty());
        QVERIFY(!parseRevsDiffAnswer("{\"a\":{}}"));
        QVERIFY(!parseRevsDiffAnswer("{\"a\":{\"missing\":[1]}}"));
        QVERIFY(!parseRevsDiffAnswer("[]"));
        QVERIFY(!parseRevsDiffAnswer("{\"a\":{\"missing\":[]}"));
    }

    // Found by fuzz_couch_pages: a member named twice counts once, the last, as QJsonDocument
    // reads it (a change's rev, a row's doc), and a _revs_diff request's wrong type is a 400
    // only for an entry no later one replaces, and only once the text is known to be JSON.
    void membersNamedTwiceCountOnce()
    {
        const auto page = parseChangesPage(
            "{\"results\":[{\"id\":\"a\",\"changes\":[{\"rev\":\"9-old\",\"rev\":\"1-x\"}],"
            "\"doc\":{\"_id\":\"a\"},\"doc\":null}]}");
        QVERIFY(page);
        QCOMPARE(page->rows.size(), 1);
        QCOMPARE(page->rows[0].revs.size(), 1);
        QCOMPARE(jsonValueOf(page->rows[0].revs[0]), QJsonValue(QStringLiteral("1-x")));
        QVERIFY(page->rows[0].doc.isEmpty());

        using repl::CouchService::readRevsDiff;
        const auto request = readRevsDiff(QByteArrayView("{\"b\":[2],\"a\":[],\"b\":[\"1-b\"]}"));
        QVERIFY(request);
        QCOMPARE(request->size(), 2);
        QCOMPARE(request->at(0).id, QStringLiteral("b"));
        QCOMPARE(request->at(0).revs, QList<QByteArray>{"1-b"});
        QVERIFY_THROWS_EXCEPTION(repl::CouchError,
                                 readRevsDiff(QByteArrayView("{\"a\":[\"1-a\"],\"b\":[2]}")));
        QVERIFY(!readRevsDiff(QByteArrayView("{\"a\":\"\"ax\"}"))); // not JSON: no type error
    }

    void seqValues()
    {
        QCOMPARE(jsonValueOf("12"), QJsonValue(12));
        QCOMPARE(jsonValueOf("\"12-g1\""), QJsonValue(QStringLiteral("12-g1")));
        QCOMPARE(jsonValueOf("\"a\\u0041\""), QJsonValue(QStringLiteral("aA")));
        QCOMPARE(jsonValueOf("[1,\"x\"]"), QJsonValue(QJsonArray{1, QStringLiteral("x")}));
        QCOMPARE(jsonValueOf("-3"), QJsonValue(-3));
        QCOMPARE(jsonValueOf("12345678901234567890"), QJsonValue(12345678901234567890.0));
        QVERIFY(jsonValueOf("").isUndefined());
        QVERIFY(jsonValueOf("nope").isUndefined());
    }
};

QTEST_GUILESS_MAIN(TestChangesPage)
#include "tst_changespage.moc"
