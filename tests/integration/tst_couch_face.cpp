// The CouchDB face of repldesk-server over HTTP: server and database endpoints, documents and
// revision trees, replication endpoints, _all_docs, _local docs, the changes feed (filters,
// longpoll, continuous) and the one data set shared with the ArangoDB face.
#include "support/HttpClient.h"
#include "support/ServerProcess.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QTimer>

using namespace repl::test;
using namespace Qt::StringLiterals;

class TestCouchFace : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ServerProcess> m_server;
    std::unique_ptr<HttpClient> m_http;

    void createDb(const QString &name)
    {
        const HttpReply r = m_http->put(u'/' + name);
        QVERIFY2(r.status == 201, r.body.constData());
    }
    qint64 updateSeq(const QString &db)
    {
        return m_http->get(u'/' + db).json()[u"update_seq"_s].toInteger(-1);
    }
    static QString enc(const QString &json)
    {
        return QString::fromLatin1(QUrl::toPercentEncoding(json));
    }
    // The ids of a changes answer's results (or of _all_docs' rows), in order.
    static QStringList changeIds(const HttpReply &r, const QString &member = u"results"_s)
    {
        QStringList out;
        for (const QJsonValue &row : r.json()[member].toArray())
            out.append(row[u"id"_s].toString());
        return out;
    }
    static QString err(const HttpReply &r) { return r.json()[u"error"_s].toString(); }
    static QString reason(const HttpReply &r) { return r.json()[u"reason"_s].toString(); }
    // "status error", e.g. "409 conflict": an error answer in one comparable string.
    static QString failure(const HttpReply &r) { return QString::number(r.status) + u' ' + err(r); }
    static QString revOf(const HttpReply &r) { return r.json()[u"rev"_s].toString(); }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<ServerProcess>();
        QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
        m_http = std::make_unique<HttpClient>(m_server->baseUrl());
    }

    void serverEndpoints()
    {
        const HttpReply a = m_http->get(u"/"_s);
        QCOMPARE(a.status, 200);
        QCOMPARE(a.json()[u"couchdb"_s].toString(), u"Welcome"_s);
        const QString uuid = a.json()[u"uuid"_s].toString();
        static const QRegularExpression hex32(u"^[0-9a-f]{32}$"_s);
        QVERIFY2(hex32.match(uuid).hasMatch(), qPrintable(uuid));
        QCOMPARE(m_http->get(u"/"_s).json()[u"uuid"_s].toString(), uuid);

        const HttpReply u = m_http->get(u"/_uuids?count=3"_s);
        QCOMPARE(u.status, 200);
        const QStringList uuids =
            QVariant(u.json()[u"uuids"_s].toArray().toVariantList()).toStringList();
        QCOMPARE(uuids.filter(hex32).size(), 3);
        QCOMPARE(QSet<QString>(uuids.begin(), uuids.end()).size(), 3);

        createDb(u"zeta"_s);
        createDb(u"alpha"_s);
        // _replicator is made at start and listed, as CouchDB 3 lists it.
        QCOMPARE(m_http->get(u"/_all_dbs"_s).jsonArray(),
                 (QJsonArray{"_replicator", "alpha", "zeta"}));
    }

    void databaseLifecycle()
    {
        HttpReply r = m_http->put(u"/life"_s);
        QCOMPARE(r.status, 201);
        QCOMPARE(r.json(), (QJsonObject{{"ok", true}}));
        r = m_http->put(u"/life"_s);
        QCOMPARE(failure(r), u"412 file_exists"_s);
        for (const QString &bad : {u"a$b"_s, u"a+b"_s, u"Upper"_s, u"1abc"_s}) {
            r = m_http->put(u'/' + bad); // the client percent-encodes the path
            QCOMPARE(failure(r), u"400 illegal_database_name"_s);
            QVERIFY2(reason(r).contains(bad), qPrintable(bad + u' ' + reason(r)));
        }
        QCOMPARE(m_http->request("HEAD", u"/life"_s).status, 200);
        QCOMPARE(m_http->request("HEAD", u"/nolife"_s).status, 404);

        QCOMPARE(m_http->put(u"/life/d1"_s, R"({"x":1})").status, 201);
        r = m_http->get(u"/life"_s);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json()[u"db_name"_s].toString(), u"life"_s);
        QVERIFY(r.json()[u"update_seq"_s].isDouble() && r.json()[u"update_seq"_s].toInteger() > 0);
        QCOMPARE(r.json()[u"doc_count"_s].toInt(), 1);
        QCOMPARE(r.json()[u"doc_del_count"_s].toInt(), 0);
        QCOMPARE(r.json()[u"instance_start_time"_s].toString(), u"0"_s);

        r = m_http->del(u"/life"_s);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json()[u"ok"_s].toBool(), true);
        for (const QString &path : {u"/life"_s, u"/life/d1"_s, u"/life/_changes"_s}) {
            r = m_http->get(path);
            QCOMPARE(r.status, 404);
            QCOMPARE(r.json(),
                     (QJsonObject{{"error", "not_found"}, {"reason", "Database does not exist."}}));
        }
        QVERIFY(!m_http->get(u"/_all_dbs"_s).jsonArray().contains(u"life"_s));
    }

    void documentWrites()
    {
        createDb(u"docs"_s);
        HttpReply r = m_http->put(u"/docs/a"_s, R"({"v":1})");
        QCOMPARE(r.status, 201);
        QCOMPARE(r.json()[u"ok"_s].toBool(), true);
        QCOMPARE(r.json()[u"id"_s].toString(), u"a"_s);
        QString rev = revOf(r);
        QVERIFY(rev.startsWith(u"1-"_s));

        r = m_http->put(u"/docs/a"_s, R"({"v":2})"); // no rev
        QCOMPARE(failure(r), u"409 conflict"_s);
        // The current rev in the body, as ?rev= or as If-Match.
        r = m_http->put(u"/docs/a"_s, uR"({"_rev":"%1","v":2})"_s.arg(rev).toUtf8());
        QCOMPARE(r.status, 201);
        r = m_http->put(u"/docs/a?rev="_s + revOf(r), R"({"v":3})");
        QCOMPARE(r.status, 201);
        const QString stale = revOf(r);
        r = m_http->request("PUT", u"/docs/a"_s, R"({"v":4})",
                            {{"If-Match", '"' + stale.toUtf8() + '"'}});
        QCOMPARE(r.status, 201);
        rev = revOf(r);
        QVERIFY(rev.startsWith(u"4-"_s));
        QCOMPARE(m_http->put(u"/docs/a?rev="_s + stale, R"({"v":5})").status, 409);
        r = m_http->get(u"/docs/a"_s);
        QCOMPARE(r.json()[u"_rev"_s].toString(), rev);
        QCOMPARE(r.json()[u"v"_s].toInt(), 4);

        QCOMPARE(m_http->del(u"/docs/a"_s).status, 409);
        r = m_http->del(u"/docs/a?rev="_s + rev);
        QCOMPARE(r.status, 200);
        QVERIFY(revOf(r).startsWith(u"5-"_s));
        r = m_http->get(u"/docs/a"_s);
        QCOMPARE(r.status, 404);
        QCOMPARE(r.json(), (QJsonObject{{"error", "not_found"}, {"reason", "deleted"}}));
        QCOMPARE(m_http->get(u"/docs"_s).json()[u"doc_del_count"_s].toInt(), 1);
        // Recreating a deleted document extends its branch.
        r = m_http->put(u"/docs/a"_s, R"({"v":"again"})");
        QCOMPARE(r.status, 201);
        QVERIFY(revOf(r).startsWith(u"6-"_s));

        r = m_http->put(u"/docs/b"_s, R"({"_foo":1})");
        QCOMPARE(failure(r), u"400 doc_validation"_s);
        r = m_http->put(u"/docs/_other"_s, R"({"x":1})");
        QCOMPARE(failure(r), u"400 illegal_docid"_s);
        QCOMPARE(m_http->put(u"/docs/_design/dd"_s, R"({"x":1})").status, 201);
        QCOMPARE(m_http->get(u"/docs/_design/dd"_s).json()[u"x"_s].toInt(), 1);
        r = m_http->put(u"/docs/c"_s, "{not json");
        QCOMPARE(failure(r), u"400 bad_request"_s);
        QVERIFY(!reason(r).isEmpty());
    }

    void revisionQueries()
    {
        createDb(u"revq"_s);
        const QString r1 = revOf(m_http->put(u"/revq/d"_s, R"({"v":1})"));
        const QString r2 = revOf(m_http->put(u"/revq/d?rev="_s + r1, R"({"v":2})"));
        const QString r3 = revOf(m_http->put(u"/revq/d?rev="_s + r2, R"({"v":3})"));
        QVERIFY(r3.startsWith(u"3-"_s));

        HttpReply r = m_http->get(u"/revq/d?revs=true"_s);
        const QJsonObject revisions = r.json()[u"_revisions"_s].toObject();
        QCOMPARE(revisions[u"start"_s].toInt(), 3);
        QCOMPARE(revisions[u"ids"_s].toArray(), (QJsonArray{r3.mid(2), r2.mid(2), r1.mid(2)}));
        r = m_http->get(u"/revq/d?revs_info=true"_s);
        const QJsonArray info = r.json()[u"_revs_info"_s].toArray();
        QCOMPARE(info.size(), 3);
        QCOMPARE(info[0][u"rev"_s].toString(), r3);
        QCOMPARE(info[0][u"status"_s].toString(), u"available"_s);
        QCOMPARE(info[2][u"rev"_s].toString(), r1);

        r = m_http->get(u"/revq/d?open_revs=all"_s);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.jsonArray().size(), 1);
        QCOMPARE(r.jsonArray()[0][u"ok"_s][u"_rev"_s].toString(), r3);
        r = m_http->get(u"/revq/d?open_revs="_s + enc(R"(["1-x"])"));
        QCOMPARE(r.jsonArray(), (QJsonArray{QJsonObject{{"missing", "1-x"}}}));
        // An ancestor without latest is not a leaf any more: missing; with latest: the leaf.
        const QString openR1 = u"/revq/d?open_revs="_s + enc(u"[\"%1\"]"_s.arg(r1));
        QCOMPARE(m_http->get(openR1).jsonArray(), (QJsonArray{QJsonObject{{"missing", r1}}}));
        r = m_http->get(openR1 + u"&latest=true"_s);
        QCOMPARE(r.jsonArray().size(), 1);
        QCOMPARE(r.jsonArray()[0][u"ok"_s][u"_rev"_s].toString(), r3);

        r = m_http->get(u"/revq/d?latest=true&rev="_s + r1);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json()[u"_rev"_s].toString(), r3);
    }

    void newEditsFalseBranches()
    {
        createDb(u"repl"_s);
        const QByteArray branches = R"({"new_edits":false,"docs":[
            {"_id":"c","_rev":"2-bbb","_revisions":{"start":2,"ids":["bbb","aaa"]},"v":"b"},
            {"_id":"c","_rev":"2-ccc","_revisions":{"start":2,"ids":["ccc","aaa"]},"v":"c"},
            {"_id":"g","_rev":"1-r","v":1},
            {"_id":"g","_rev":"3-000","_revisions":{"start":3,"ids":["000","x","r"]},"v":3},
            {"_id":"g","_rev":"2-zzz","_revisions":{"start":2,"ids":["zzz","r"]},"v":2},
            {"_id":"d","_rev":"2-live","_revisions":{"start":2,"ids":["live","r"]},"v":"live"},
            {"_id":"d","_rev":"4-dead","_revisions":{"start":4,"ids":["dead","y","x","r"]},
             "_deleted":true}]})";
        HttpReply r = m_http->post(u"/repl/_bulk_docs"_s, branches);
        QCOMPARE(r.status, 201);
        QCOMPARE(r.jsonArray(), QJsonArray());

        // Same generation: the greater hash wins; the given revs are kept verbatim.
        r = m_http->get(u"/repl/c?conflicts=true"_s);
        QCOMPARE(r.json()[u"_rev"_s].toString(), u"2-ccc"_s);
        QCOMPARE(r.json()[u"v"_s].toString(), u"c"_s);
        QCOMPARE(r.json()[u"_conflicts"_s].toArray(), (QJsonArray{"2-bbb"}));
        // Higher generation beats a greater hash.
        r = m_http->get(u"/repl/g?conflicts=true"_s);
        QCOMPARE(r.json()[u"_rev"_s].toString(), u"3-000"_s);
        QCOMPARE(r.json()[u"_conflicts"_s].toArray(), (QJsonArray{"2-zzz"}));
        // A live leaf beats a deleted one of a higher generation.
        r = m_http->get(u"/repl/d?conflicts=true&deleted_conflicts=true"_s);
        QCOMPARE(r.json()[u"_rev"_s].toString(), u"2-live"_s);
        QVERIFY(!r.json().contains(u"_conflicts"_s));
        QCOMPARE(r.json()[u"_deleted_conflicts"_s].toArray(), (QJsonArray{"4-dead"}));

        r = m_http->get(u"/repl/c?open_revs=all"_s); // sorted by generation, then hash
        QCOMPARE(r.jsonArray().size(), 2);
        QCOMPARE(r.jsonArray()[0][u"ok"_s].toObject(),
                 (QJsonObject{{"_id", "c"}, {"_rev", "2-bbb"}, {"v", "b"}}));

        // A replay (even with another body) is a no-op: no new seq, no new rev, same body.
        const qint64 seq = updateSeq(u"repl"_s);
        r = m_http->post(u"/repl/_bulk_docs"_s,
                         R"({"new_edits":false,"docs":[{"_id":"c","_rev":"2-ccc",
                            "_revisions":{"start":2,"ids":["ccc","aaa"]},"v":"changed"}]})");
        QCOMPARE(r.status, 201);
        QCOMPARE(r.jsonArray(), QJsonArray());
        QCOMPARE(updateSeq(u"repl"_s), seq);
        QCOMPARE(m_http->get(u"/repl/c"_s).json()[u"v"_s].toString(), u"c"_s);

        r = m_http->get(u"/repl/_changes?style=all_docs"_s);
        QCOMPARE(changeIds(r), (QStringList{"c", "g", "d"}));
        QCOMPARE(r.json()[u"results"_s][0][u"changes"_s].toArray(),
                 (QJsonArray{QJsonObject{{"rev", "2-ccc"}}, QJsonObject{{"rev", "2-bbb"}}}));

        // A new document's only revision without history (any generation, or deleted) is
        // stored at once; later writes build on it like on any other.
        r = m_http->post(u"/repl/_bulk_docs"_s,
                         R"({"new_edits":false,"docs":[
                            {"_id":"s","_rev":"5-fff","_revisions":{"start":5,"ids":["fff"]},
                             "v":5},
                            {"_id":"t","_rev":"1-ttt","_deleted":true,"v":0}]})");
        QCOMPARE(r.status, 201);
        QCOMPARE(r.jsonArray(), QJsonArray());
        r = m_http->get(u"/repl/s?revs=true"_s);
        QCOMPARE(r.json()[u"_rev"_s].toString(), u"5-fff"_s);
        QCOMPARE(r.json()[u"_revisions"_s].toObject(),
                 (QJsonObject{{"start", 5}, {"ids", QJsonArray{"fff"}}}));
        r = m_http->put(u"/repl/s"_s, R"({"_rev":"5-fff","v":6})");
        QCOMPARE(r.status, 201);
        QVERIFY(r.json()[u"rev"_s].toString().startsWith(u"6-"_s));
        r = m_http->get(u"/repl/s?revs=true"_s);
        QCOMPARE(r.json()[u"_revisions"_s][u"ids"_s].toArray().last().toString(), u"fff"_s);
        QCOMPARE(m_http->get(u"/repl/t"_s).status, 404);
        r = m_http->get(u"/repl/t?rev=1-ttt"_s);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json()[u"_deleted"_s].toBool(), true);
        QCOMPARE(r.json()[u"v"_s].toInt(), 0);

        // With the logger running, a batch of first generations logs one transaction, and its
        // replay logs nothing at all (not even an empty transaction).
        QCOMPARE(m_http->put(u"/_api/replication/logger-start"_s).status, 200);
        const QByteArray firsts = R"({"new_edits":false,"docs":[
            {"_id":"f1","_rev":"1-f1","v":1},{"_id":"f2","_rev":"1-f2","v":2},
            {"_id":"f3","_rev":"1-f3","v":3}]})";
        const auto logTick = [this] {
            return m_http->get(u"/_api/replication/logger-state"_s)
                .json()[u"state"_s][u"lastLogTick"_s]
                .toString()
                .toULongLong();
        };
        const quint64 beforeBatch = logTick();
        r = m_http->post(u"/repl/_bulk_docs"_s, firsts);
        QCOMPARE(r.status, 201);
        const quint64 afterBatch = logTick();
        // Start, three documents, commit.
        QCOMPARE(afterBatch - beforeBatch, quint64(5));
        r = m_http->post(u"/repl/_bulk_docs"_s, firsts);
        QCOMPARE(r.status, 201);
        QCOMPARE(logTick(), afterBatch);
        QCOMPARE(m_http->put(u"/_api/replication/logger-stop"_s).status, 200);

        // A document without _rev fails the whole request, as in CouchDB.
        r = m_http->post(u"/repl/_bulk_docs"_s,
                         R"({"new_edits":false,"docs":[{"_id":"norev","v":1}]})");
        QCOMPARE(failure(r), u"400 bad_request"_s);
        QVERIFY(reason(r).contains(u"_rev"_s));
        QCOMPARE(m_http->get(u"/repl/norev"_s).status, 404);
    }

    // Generations are ints whose newest has a successor: revisions beyond are a 400. A
    // _revisions.start of 2^31 - 1 made the next edit overflow, and 2^32 + 1 was read as 1.
    // (The bound on "N-hash" was found by fuzz_revtree.)
    void revisionGenerationsBeyondAnIntAreRefused()
    {
        createDb(u"gens"_s);
        for (const char *start : {"2147483647", "4294967297", "-4294967295"}) {
            const QByteArray body = R"({"new_edits":false,"docs":[{"_id":"a","_revisions":)"
                                    R"({"start":)" +
                                    QByteArray(start) + R"(,"ids":["abc"]}}]})";
            const HttpReply r = m_http->post(u"/gens/_bulk_docs"_s, body);
            QVERIFY2(r.status == 400, r.body.constData());
            QVERIFY2(r.body.contains("start from 1 to 2147483646"), r.body.constData());
        }
        HttpReply r = m_http->put(u"/gens/b?new_edits=false"_s, R"({"_rev":"2147483647-abc"})");
        QVERIFY2(r.status == 400, r.body.constData());
        QCOMPARE(m_http->get(u"/gens"_s).json()[u"doc_count"_s].toInt(), 0);
        // The largest generation still takes an edit.
        r = m_http->put(u"/gens/c?new_edits=false"_s, R"({"_rev":"2147483646-abc"})");
        QVERIFY2(r.status == 201, r.body.constData());
        r = m_http->put(u"/gens/c"_s, R"({"_rev":"2147483646-abc","v":1})");
        QVERIFY2(r.status == 201, r.body.constData());
        QVERIFY(r.json()[u"rev"_s].toString().startsWith(u"2147483647-"));
    }

    void bulkDocsNewEdits()
    {
        createDb(u"bulk"_s);
        HttpReply r = m_http->post(u"/bulk/_bulk_docs"_s,
                                   R"({"docs":[{"_id":"a","v":1},{"_id":"b","v":2}]})");
        QCOMPARE(r.status, 201);
        const QJsonArray res = r.jsonArray();
        QCOMPARE(res.size(), 2);
        QCOMPARE(res[0][u"id"_s].toString(), u"a"_s);
        QCOMPARE(res[0][u"ok"_s].toBool(), true);
        QVERIFY(res[1][u"rev"_s].toString().startsWith(u"1-"_s));
        const QString revA = res[0][u"rev"_s].toString();
        // An invalid id fails the whole request before anything is written (CouchDB).
        r = m_http->post(u"/bulk/_bulk_docs"_s, uR"({"docs":[{"_id":"a","_rev":"%1","v":10},)"
                                                R"({"_id":"_bad"}]})"_s.arg(revA)
                                                    .toUtf8());
        QCOMPARE(failure(r), u"400 illegal_docid"_s);
        QCOMPARE(m_http->get(u"/bulk/a"_s).json()[u"v"_s].toInt(), 1);
        r = m_http->post(u"/bulk/_bulk_docs"_s, uR"({"docs":[{"_id":"a","_rev":"%1","v":10},)"
                                                R"({"_id":"b","v":20}]})"_s.arg(revA)
                                                    .toUtf8());
        QCOMPARE(r.status, 201);
        QCOMPARE(r.jsonArray().size(), 2);
        QVERIFY(r.jsonArray()[0][u"rev"_s].toString().startsWith(u"2-"_s));
        QCOMPARE(r.jsonArray()[1][u"id"_s].toString(), u"b"_s);
        QCOMPARE(r.jsonArray()[1][u"error"_s].toString(), u"conflict"_s);
        QVERIFY(!r.jsonArray()[1][u"reason"_s].toString().isEmpty());
        QCOMPARE(m_http->get(u"/bulk/b"_s).json()[u"v"_s].toInt(), 2);
    }

    // A replicator's new_edits=false batch (compact documents) is read from its bytes; the
    // same documents with white space take the JSON parser. Both must store the same thing
    // (revisions, history, deletion, conflicts, bodies) and refuse the same documents alike.
    void replicatedBatchesReadFromTheirBytes()
    {
        createDb(u"raw"_s);
        createDb(u"parsed"_s);
        const QList<QByteArray> docs{
            "{\"_id\":\"a\",\"_rev\":\"1-aa\",\"s\":\"caf\\u00e9 \\\"q\\\"\",\"z\":[{\"k\":null}]}",
            R"({"_revisions":{"start":3,"ids":["cc","bb","aa"]},"_id":"a","_rev":"3-cc","v":3})",
            R"({"_id":"b","_rev":"2-bb","_deleted":true,"_conflicts":["1-x"]})",
            R"({"_id":"b","_rev":"1-x","b":{"deep":{"er":[1,[2,[3]]]}}})",
            R"({"_id":"\u00e9t\u00e9","_rev":"1-e","_revs_info":[],"o":{}})",
            R"({"_id":"_design/d","_rev":"1-d","views":{}})",
            R"({"_id":"_local/cp","_rev":"0-1","history":[]})",
            R"({"_id":"n","_rev":"1-n","z":1.50,"a":"x"})",
        };
        const QByteArray compact = R"({"new_edits":false,"docs":[)" + docs.join(',') + "]}";
        QByteArray spaced = compact;
        spaced.replace(",\"", ", \"");
        QVERIFY2(spaced != compact, "the parsed copy must differ by white space");
        HttpReply r = m_http->post(u"/raw/_bulk_docs"_s, compact);
        QVERIFY2(r.status == 201, r.body.constData());
        QCOMPARE(r.jsonArray(), QJsonArray());
        r = m_http->post(u"/parsed/_bulk_docs"_s, spaced);
        QVERIFY2(r.status == 201, r.body.constData());
        for (const QString &id : {u"a"_s, u"b"_s, u"\u00e9t\u00e9"_s, u"_design/d"_s, u"n"_s}) {
            const QString q = u"/%1?revs=true&open_revs=all"_s.arg(id);
            const QJsonArray raw = m_http->get(u"/raw"_s + q).jsonArray();
            QVERIFY2(!raw.isEmpty(), qPrintable(id));
            QCOMPARE(raw, m_http->get(u"/parsed"_s + q).jsonArray());
        }
        QCOMPARE(m_http->get(u"/raw/a"_s).json()[u"_rev"_s].toString(), u"3-cc"_s);
        QCOMPARE(m_http->get(u"/raw/b?conflicts=true"_s).json()[u"_rev"_s].toString(), u"1-x"_s);
        QCOMPARE(m_http->get(u"/raw/_local/cp"_s).json()[u"history"_s].toArray(), QJsonArray());
        // The body keeps its members as sent: no key sorted, no number written again.
        r = m_http->get(u"/raw/n"_s);
        QVERIFY2(r.body.contains("\"z\":1.50,\"a\":\"x\""), r.body.constData());

        // Refusals: the same status and reason either way, and nothing written.
        const QList<QByteArray> bad{
            R"({"_id":"c","_rev":"1-c","_bad":1})",
            R"({"_id":"c","_rev":"1-c!"})",
            R"({"_id":"c"})",
            R"({"_id":"c","_revisions":{"start":1,"ids":["a","b"]}})",
            R"({"_id":"_c","_rev":"1-c"})",
            R"({"_id":"c","_rev":"1-c","_deleted":"yes"})",
            R"([1])",
        };
        for (const QByteArray &doc : bad) {
            const QByteArray body = R"({"new_edits":false,"docs":[)" + doc + "]}";
            const HttpReply fast = m_http->post(u"/raw/_bulk_docs"_s, body);
            const HttpReply slow =
                m_http->post(u"/raw/_bulk_docs"_s, QByteArray(body).replace(":", " : "));
            QVERIFY2(fast.status == 400, doc.constData());
            QCOMPARE(failure(fast), failure(slow));
            QCOMPARE(reason(fast), reason(slow));
        }
        QCOMPARE(m_http->get(u"/raw/c"_s).status, 404);
    }

    // `pending` of a paged feed is carried from one page to the next while nothing is written
    // (not counted afresh each time); each page's figure must still be what is left, also
    // after a write between pages and with a filter that passes rows over.
    void pendingStaysExactWhilePaging()
    {
        createDb(u"pages"_s);
        for (int i = 0; i < 10; ++i)
            QCOMPARE(m_http->put(u"/pages/d%1"_s.arg(i), R"({"v":1})").status, 201);
        for (const QString &extra :
             {QString(),
              u"&filter=_doc_ids&doc_ids=[\"d1\",\"d2\",\"d4\",\"d5\",\"d7\",\"d8\"]"_s}) {
            qint64 since = 0;
            int pages = 0;
            for (;;) {
                const HttpReply r =
                    m_http->get(u"/pages/_changes?limit=3&since=%1%2"_s.arg(since).arg(extra));
                QCOMPARE(r.status, 200);
                const qint64 last = r.json()[u"last_seq"_s].toInteger();
                const QString what = u"page %1 of %2"_s.arg(pages).arg(extra);
                if (r.json()[u"pending"_s].isUndefined() || last == since)
                    break; // the last page: nothing limited it
                QVERIFY2(
                    r.json()[u"pending"_s].toInteger() ==
                        qint64(
                            changeIds(m_http->get(u"/pages/_changes?since=%1"_s.arg(last))).size()),
                    qPrintable(what));
                if (pages == 1) { // a write between pages: a new document, an old one moved
                    QCOMPARE(m_http->put(u"/pages/new%1"_s.arg(extra.size()), "{}").status, 201);
                    const QString rev = m_http->get(u"/pages/d0"_s).json()[u"_rev"_s].toString();
                    QCOMPARE(m_http->put(u"/pages/d0?rev="_s + rev, R"({"v":2})").status, 201);
                }
                since = last;
                ++pages;
                QVERIFY2(pages < 20, "the feed does not end");
            }
            QVERIFY2(pages >= 3, qPrintable(u"only %1 pages with '%2'"_s.arg(pages).arg(extra)));
        }
    }

    void revsDiffAndBulkGet()
    {
        createDb(u"diff"_s);
        const QByteArray doc = R"({"new_edits":false,"docs":[{"_id":"x","_rev":"2-bb",
            "_revisions":{"start":2,"ids":["bb","aa"]},"v":2}]})";
        QCOMPARE(m_http->post(u"/diff/_bulk_docs"_s, doc).status, 201);
        HttpReply r =
            m_http->post(u"/diff/_revs_diff"_s, R"({"x":["2-bb","3-cc"],"y":["1-zz"],"x2":[]})");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json(),
                 (QJsonObject{{"x", QJsonObject{{"missing", QJsonArray{"3-cc"}},
                                                {"possible_ancestors", QJsonArray{"2-bb"}}}},
                              {"y", QJsonObject{{"missing", QJsonArray{"1-zz"}}}}}));
        QCOMPARE(m_http->post(u"/diff/_revs_diff"_s, R"({"x":["2-bb","1-aa"]})").json(),
                 QJsonObject());
        // Read from its bytes: escaped ids, a repeated id (the last counts, as in a JSON
        // object), white space, and a missing revision asked twice, answered once.
        r = m_http->post(
            u"/diff/_revs_diff"_s,
            "{ \"\\u0078\" : [\"4-dd\", \"4-dd\"], \"y\":[\"1-a\"], \"y\":[\"1-b\"] }");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json(),
                 (QJsonObject{{"x", QJsonObject{{"missing", QJsonArray{"4-dd"}},
                                                {"possible_ancestors", QJsonArray{"2-bb"}}}},
                              {"y", QJsonObject{{"missing", QJsonArray{"1-b"}}}}}));
        for (const QByteArray &bad : {QByteArray(R"({"x":"2-bb"})"), QByteArray(R"({"x":[2]})"),
                                      QByteArray(R"(["x"])"), QByteArray(R"({"x":[})")}) {
            r = m_http->post(u"/diff/_revs_diff"_s, bad);
            QVERIFY2(r.status == 400, bad.constData());
            QVERIFY2(!reason(r).isEmpty(), r.body.constData());
        }
        QCOMPARE(reason(m_http->post(u"/diff/_revs_diff"_s, R"({"x":[2]})")),
                 u"revs for x must be strings"_s);

        r = m_http->post(u"/diff/_bulk_get?revs=true"_s,
                         R"({"docs":[{"id":"x","rev":"2-bb"},{"id":"x","rev":"9-no"},{"id":"x"},
                            {"id":"nope"}]})");
        QCOMPARE(r.status, 200);
        const QJsonArray results = r.json()[u"results"_s].toArray();
        QCOMPARE(results.size(), 4);
        const QJsonObject ok = results[0][u"docs"_s][0][u"ok"_s].toObject();
        QCOMPARE(ok[u"_rev"_s].toString(), u"2-bb"_s);
        QCOMPARE(ok[u"_revisions"_s].toObject(),
                 (QJsonObject{{"start", 2}, {"ids", QJsonArray{"bb", "aa"}}}));
        QCOMPARE(results[1][u"docs"_s][0][u"error"_s].toObject(),
                 (QJsonObject{
                     {"id", "x"}, {"rev", "9-no"}, {"error", "not_found"}, {"reason", "missing"}}));
        QCOMPARE(results[2][u"docs"_s][0][u"ok"_s][u"v"_s].toInt(), 2);
        QCOMPARE(results[3][u"id"_s].toString(), u"nope"_s);
        QCOMPARE(results[3][u"docs"_s][0][u"error"_s][u"error"_s].toString(), u"not_found"_s);
    }

    void allDocs()
    {
        createDb(u"all"_s);
        const QByteArray docs = R"({"docs":[{"_id":"b","n":2},{"_id":"d","n":4},{"_id":"a","n":1},
            {"_id":"c","n":3},{"_id":"e","n":5}]})";
        QCOMPARE(m_http->post(u"/all/_bulk_docs"_s, docs).status, 201);
        const QString revE = m_http->get(u"/all/e"_s).json()[u"_rev"_s].toString();
        QCOMPARE(m_http->del(u"/all/e?rev="_s + revE).status, 200);
        QCOMPARE(m_http->put(u"/all/_local/l"_s, R"({"x":1})").status, 201);

        auto ids = [](const HttpReply &r) { return changeIds(r, u"rows"_s); };
        HttpReply r = m_http->get(u"/all/_all_docs"_s);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json()[u"total_rows"_s].toInt(), 4);
        QCOMPARE(r.json()[u"offset"_s].toInt(), 0);
        QCOMPARE(ids(r), (QStringList{"a", "b", "c", "d"}));
        const QJsonObject first = r.json()[u"rows"_s][0].toObject();
        QCOMPARE(first[u"key"_s].toString(), u"a"_s);
        QVERIFY(first[u"value"_s][u"rev"_s].toString().startsWith(u"1-"_s));
        QVERIFY(!first.contains(u"doc"_s));

        r = m_http->get(
            u"/all/_all_docs?startkey=%1&endkey=%2"_s.arg(enc(R"("b")"), enc(R"("c")")));
        QCOMPARE(ids(r), (QStringList{"b", "c"}));
        r = m_http->get(u"/all/_all_docs?descending=true&skip=1&limit=2"_s);
        QCOMPARE(ids(r), (QStringList{"c", "b"}));
        QCOMPARE(r.json()[u"offset"_s].toInt(), 1);
        r = m_http->get(u"/all/_all_docs?include_docs=true&limit=1"_s);
        QCOMPARE(r.json()[u"rows"_s][0][u"doc"_s][u"n"_s].toInt(), 1);

        r = m_http->post(u"/all/_all_docs?include_docs=true"_s, R"({"keys":["d","zz","a"]})");
        QCOMPARE(r.status, 200);
        const QJsonArray rows = r.json()[u"rows"_s].toArray();
        QCOMPARE(rows.size(), 3);
        QCOMPARE(rows[0][u"doc"_s][u"n"_s].toInt(), 4);
        QCOMPARE(rows[1].toObject(), (QJsonObject{{"key", "zz"}, {"error", "not_found"}}));
        QCOMPARE(rows[2][u"id"_s].toString(), u"a"_s);
    }

    void localDocs()
    {
        createDb(u"loc"_s);
        HttpReply r = m_http->put(u"/loc/_local/cp"_s, R"({"seq":1})");
        QCOMPARE(r.status, 201);
        QCOMPARE(revOf(r), u"0-1"_s);
        r = m_http->put(u"/loc/_local/cp"_s, R"({"_rev":"0-1","seq":2})");
        QCOMPARE(r.status, 201);
        QCOMPARE(revOf(r), u"0-2"_s);
        QCOMPARE(m_http->put(u"/loc/_local/cp"_s, R"({"_rev":"0-1","seq":9})").status, 409);
        r = m_http->put(u"/loc/_local/cp"_s, R"({"seq":9})");
        QCOMPARE(r.status, 409);
        r = m_http->get(u"/loc/_local/cp"_s);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json()[u"_id"_s].toString(), u"_local/cp"_s);
        QCOMPARE(r.json()[u"seq"_s].toInt(), 2);
        const QString current = r.json()[u"_rev"_s].toString();

        QVERIFY(changeIds(m_http->get(u"/loc/_changes"_s)).isEmpty());
        QCOMPARE(m_http->get(u"/loc/_all_docs"_s).json()[u"rows"_s].toArray(), QJsonArray());
        QCOMPARE(m_http->get(u"/loc"_s).json()[u"doc_count"_s].toInt(), 0);

        r = m_http->del(u"/loc/_local/cp?rev="_s + current);
        QCOMPARE(r.status, 200);
        r = m_http->get(u"/loc/_local/cp"_s);
        QCOMPARE(failure(r), u"404 not_found"_s);
        QCOMPARE(revOf(m_http->put(u"/loc/_local/cp"_s, R"({"seq":1})")), u"0-1"_s);
    }

    void changesFeed()
    {
        createDb(u"feed"_s);
        const QString ra = revOf(m_http->put(u"/feed/a"_s, R"({"v":1})"));
        m_http->put(u"/feed/b"_s, R"({"v":1})");
        m_http->put(u"/feed/c"_s, R"({"v":1})");
        const QString ra2 = revOf(m_http->put(u"/feed/a?rev="_s + ra, R"({"v":2})"));
        const QString rc = m_http->get(u"/feed/c"_s).json()[u"_rev"_s].toString();
        QCOMPARE(m_http->del(u"/feed/c?rev="_s + rc).status, 200);

        HttpReply r = m_http->get(u"/feed/_changes"_s);
        QCOMPARE(r.status, 200);
        QCOMPARE(changeIds(r), (QStringList{"b", "a", "c"})); // one row each, at its latest seq
        const QJsonArray rows = r.json()[u"results"_s].toArray();
        QCOMPARE(rows[1][u"changes"_s].toArray(), (QJsonArray{QJsonObject{{"rev", ra2}}}));
        QVERIFY(!rows[0].toObject().contains(u"deleted"_s));
        QCOMPARE(rows[2][u"deleted"_s].toBool(), true);
        const qint64 last = r.json()[u"last_seq"_s].toInteger();
        QCOMPARE(last, rows[2][u"seq"_s].toInteger());
        QCOMPARE(last, updateSeq(u"feed"_s));
        QVERIFY(rows[0][u"seq"_s].toInteger() < rows[1][u"seq"_s].toInteger());

        const qint64 seqB = rows[0][u"seq"_s].toInteger();
        r = m_http->get(u"/feed/_changes?since=%1"_s.arg(seqB));
        QCOMPARE(changeIds(r), (QStringList{"a", "c"}));
        r = m_http->get(u"/feed/_changes?limit=1"_s);
        QCOMPARE(changeIds(r), QStringList{"b"});
        QCOMPARE(r.json()[u"pending"_s].toInt(), 2);
        QCOMPARE(r.json()[u"last_seq"_s].toInteger(), seqB);
        r = m_http->get(u"/feed/_changes?since=now"_s);
        QVERIFY(changeIds(r).isEmpty());
        QCOMPARE(r.json()[u"last_seq"_s].toInteger(), last);

        r = m_http->get(u"/feed/_changes?include_docs=true"_s);
        const QJsonArray withDocs = r.json()[u"results"_s].toArray();
        QCOMPARE(withDocs[1][u"doc"_s].toObject(),
                 (QJsonObject{{"_id", "a"}, {"_rev", ra2}, {"v", 2}}));
        QCOMPARE(withDocs[2][u"doc"_s][u"_deleted"_s].toBool(), true);
    }

    void changesFilters()
    {
        createDb(u"filt"_s);
        const QByteArray docs = R"({"docs":[
            {"_id":"a","type":"x","n":1,"tags":["p"],"addr":{"city":"Oslo"}},
            {"_id":"b","type":"y","n":5,"addr":{"city":"Rome"}},
            {"_id":"c","type":"x","n":10,"name":"carl"},
            {"_id":"_design/dd",
             "views":{"big":{"map":"function(doc){ if (doc.n > 4) emit(doc._id, null); }"}},
             "filters":{"typ":"function(doc, req){ return doc.type === req.query.t; }"}}]})";
        QCOMPARE(m_http->post(u"/filt/_bulk_docs"_s, docs).status, 201);
        auto selected = [this](const char *selector) {
            return changeIds(m_http->post(u"/filt/_changes?filter=_selector"_s,
                                          QByteArray(R"({"selector":)") + selector + '}'));
        };
        QCOMPARE(selected(R"({"type":"x"})"), (QStringList{"a", "c"}));
        QCOMPARE(selected(R"({"type":{"$eq":"y"}})"), QStringList{"b"});
        QCOMPARE(selected(R"({"n":{"$gt":4}})"), (QStringList{"b", "c"}));
        QCOMPARE(selected(R"({"addr.city":{"$in":["Rome","Paris"]}})"), QStringList{"b"});
        QCOMPARE(selected(R"({"addr":{"city":"Oslo"}})"), QStringList{"a"});
        QCOMPARE(selected(R"({"tags":{"$exists":true}})"), QStringList{"a"});
        QCOMPARE(selected(R"({"name":{"$regex":"^ca"}})"), QStringList{"c"});
        QCOMPARE(selected(R"({"$and":[{"type":"x"},{"n":{"$gt":2}}]})"), QStringList{"c"});
        QCOMPARE(selected(R"({"$or":[{"n":1},{"name":{"$exists":true}}]})"),
                 (QStringList{"a", "c"}));
        HttpReply r = m_http->post(u"/filt/_changes?filter=_selector"_s,
                                   R"({"selector":{"n":{"$bogus":1}}})");
        QCOMPARE(failure(r), u"400 bad_request"_s);

        r = m_http->post(u"/filt/_changes?filter=_doc_ids"_s, R"({"doc_ids":["c","a"]})");
        QCOMPARE(changeIds(r), (QStringList{"a", "c"}));
        r = m_http->get(u"/filt/_changes?filter=_doc_ids&doc_ids="_s + enc(R"(["b"])"));
        QCOMPARE(changeIds(r), QStringList{"b"});
        r = m_http->get(u"/filt/_changes?filter=_design"_s);
        QCOMPARE(changeIds(r), QStringList{"_design/dd"});
        r = m_http->get(u"/filt/_changes?filter=_view&view=dd/big"_s);
        QCOMPARE(changeIds(r), (QStringList{"b", "c"}));
        r = m_http->get(u"/filt/_changes?filter=dd/typ&t=y"_s);
        QCOMPARE(changeIds(r), QStringList{"b"});
        r = m_http->get(u"/filt/_changes?filter=dd/typ&t=x"_s);
        QCOMPARE(changeIds(r), (QStringList{"a", "c"}));
        r = m_http->get(u"/filt/_changes?filter=dd/nope"_s);
        QCOMPARE(failure(r), u"404 not_found"_s);
    }

    void longpoll()
    {
        createDb(u"poll"_s);
        m_http->put(u"/poll/seed"_s, R"({"v":0})");
        QElapsedTimer clock;
        clock.start();
        HttpReply r = m_http->get(u"/poll/_changes?feed=longpoll&since=now&timeout=1500"_s);
        const qint64 idle = clock.elapsed();
        QCOMPARE(r.status, 200);
        QVERIFY(changeIds(r).isEmpty());
        QVERIFY2(idle >= 1300 && idle < 4000, qPrintable(QString::number(idle)));

        // A write from another client during the wait ends it early with that change.
        HttpClient writer(m_server->baseUrl());
        int written = 0;
        auto writeSoon = [&](const QString &path) {
            QTimer::singleShot(500, [&writer, &written, path] {
                written = writer.put(path, QByteArray(R"({"v":1})")).status;
            });
        };
        const qint64 seq = updateSeq(u"poll"_s);
        writeSoon(u"/poll/early"_s);
        clock.restart();
        r = m_http->get(u"/poll/_changes?feed=longpoll&since=%1&timeout=3000"_s.arg(seq));
        qint64 took = clock.elapsed();
        QCOMPARE(written, 201);
        QVERIFY2(took < 2000, qPrintable(QString::number(took)));
        QCOMPARE(changeIds(r), QStringList{"early"});

        written = 0;
        writeSoon(u"/poll/early2"_s);
        clock.restart();
        r = m_http->get(u"/poll/_changes?feed=longpoll&since=now&timeout=3000"_s);
        took = clock.elapsed();
        QCOMPARE(written, 201);
        QVERIFY2(took < 2000, qPrintable(QString::number(took)));
        QCOMPARE(changeIds(r), QStringList{"early2"});
    }

    void continuousFeed()
    {
        createDb(u"cont-other"_s);
        createDb(u"cont"_s);
        m_http->put(u"/cont/a"_s, R"({"v":1})");
        m_http->put(u"/cont/b"_s, R"({"v":1})");
        HttpClient writer(m_server->baseUrl());
        int written = 0;
        QTimer::singleShot(300,
                           [&] { written = writer.put(u"/cont/late"_s, QByteArray("{}")).status; });
        QElapsedTimer clock;
        clock.start();
        HttpReply r = m_http->request(
            "GET", u"/cont/_changes?feed=continuous&since=0&heartbeat=200&timeout=1000"_s, {}, {},
            15000);
        const qint64 took = clock.elapsed();
        QCOMPARE(r.status, 200);
        QVERIFY2(r.networkError.isEmpty(), qPrintable(r.networkError));
        QCOMPARE(written, 201);
        QVERIFY2(took >= 1000 && took < 6000, qPrintable(QString::number(took)));
        QVERIFY(r.body.endsWith('\n'));
        QVERIFY2(r.body.count("\n\n") >= 2, r.body.constData()); // heartbeats: empty lines
        const QList<QJsonObject> lines = r.lines();
        QCOMPARE(lines.size(), 4);
        QStringList ids;
        for (const QJsonObject &line : lines.first(3))
            ids.append(line[u"id"_s].toString());
        QCOMPARE(ids, (QStringList{"a", "b", "late"}));
        QCOMPARE(lines.last(), (QJsonObject{{"last_seq", updateSeq(u"cont"_s)}}));
        QCOMPARE(lines.last()[u"last_seq"_s].toInteger(), lines[2][u"seq"_s].toInteger());

        // A database whose last change is older than another database's must stream the same.
        const qint64 seq = updateSeq(u"cont"_s);
        QCOMPARE(m_http->put(u"/cont-other/x"_s, "{}").status, 201);
        r = m_http->request(
            "GET", u"/cont/_changes?feed=continuous&since=%1&heartbeat=200&timeout=1000"_s.arg(seq),
            {}, {}, 3000);
        QVERIFY2(r.networkError.isEmpty(), qPrintable(r.networkError));
        QCOMPARE(r.lines().value(0), (QJsonObject{{"last_seq", seq}}));
        QVERIFY(r.body.startsWith('\n'));
    }

    void arangoEditsOfAConflictedDocumentFollowTheWinnerRule()
    {
        createDb(u"mixed"_s);
        // Two live leaves: 2-bbbb wins ("b" > "a"), 2-aaaa is the conflict.
        const QByteArray docs =
            R"({"new_edits":false,"docs":[
              {"_id":"k","_rev":"2-aaaa","_revisions":{"start":2,"ids":["aaaa","1111"]},"side":"a"},
              {"_id":"k","_rev":"2-bbbb","_revisions":{"start":2,"ids":["bbbb","1111"]},"side":"b"}]})";
        QCOMPARE(m_http->post(u"/mixed/_bulk_docs"_s, docs).status, 201);
        QCOMPARE(m_http->get(u"/_api/document/mixed/k"_s).json()[u"side"_s].toString(), u"b"_s);
        // Removing the winner through the ArangoDB face uncovers the conflict (CouchDB's rule),
        // it does not delete the document.
        QCOMPARE(m_http->del(u"/_api/document/mixed/k"_s).status, 202);
        HttpReply r = m_http->get(u"/mixed/k?conflicts=true&deleted_conflicts=true"_s);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json()[u"_rev"_s].toString(), u"2-aaaa"_s);
        QCOMPARE(r.json()[u"side"_s].toString(), u"a"_s);
        QVERIFY(!r.json().contains(u"_conflicts"_s));
        QCOMPARE(r.json()[u"_deleted_conflicts"_s].toArray().size(), 1);
        QCOMPARE(m_http->get(u"/_api/document/mixed/k"_s).json()[u"side"_s].toString(), u"a"_s);
        // Replacing through the ArangoDB face extends the (new) winner's branch.
        QCOMPARE(m_http->put(u"/_api/document/mixed/k"_s, R"({"side":"a2"})").status, 202);
        r = m_http->get(u"/mixed/k?revs=true"_s);
        QCOMPARE(r.json()[u"side"_s].toString(), u"a2"_s);
        QCOMPARE(r.json()[u"_revisions"_s].toObject()[u"ids"_s].toArray().size(), 3);
        QCOMPARE(m_http->get(u"/mixed"_s).json()[u"doc_count"_s].toInt(), 1);

        // A unique index still holds for ArangoDB-face edits of a conflicted document.
        QCOMPARE(m_http
                     ->post(u"/_api/index?collection=mixed"_s,
                            R"({"type":"persistent","fields":["email"],"unique":true})")
                     .status,
                 201);
        QCOMPARE(m_http->post(u"/_api/document/mixed"_s, R"({"_key":"u1","email":"x@y"})").status,
                 202);
        const QByteArray again =
            R"({"new_edits":false,"docs":[
              {"_id":"k","_rev":"4-cccc","_revisions":{"start":4,"ids":["cccc","zz","yy"]},"side":"c"}]})";
        QCOMPARE(m_http->post(u"/mixed/_bulk_docs"_s, again).status, 201); // a new conflict
        r = m_http->put(u"/_api/document/mixed/k"_s, R"({"email":"x@y"})");
        QCOMPARE(r.status, 409);
        QCOMPARE(r.json()[u"errorNum"_s].toInt(), 1210);
    }

    void multipartPutAsCouchDbReplicatorsSendIt()
    {
        createDb(u"mp"_s);
        // The JSON part lists "zeta.txt" before "alpha.bin": parts follow that order.
        const QByteArray json =
            R"({"_id":"m","_rev":"2-bbbb","_revisions":{"start":2,"ids":["bbbb","aaaa"]},"x":1,)"
            R"("_attachments":{"zeta.txt":{"content_type":"text/plain","length":5,"follows":true,"revpos":2},)"
            R"("alpha.bin":{"content_type":"application/octet-stream","length":3,"follows":true,"revpos":1}}})";
        const QByteArray body = "--abc\r\nContent-Type: application/json\r\n\r\n" + json +
                                "\r\n--abc\r\nContent-Disposition: attachment; "
                                "filename=\"zeta.txt\"\r\n\r\nhello\r\n--abc\r\n\r\n"
                                "\x01\x02\x03\r\n--abc--";
        HttpReply r = m_http->request("PUT", u"/mp/m?new_edits=false"_s, body,
                                      {{"Content-Type", "multipart/related; boundary=\"abc\""}});
        QCOMPARE(r.status, 201);
        QCOMPARE(m_http->get(u"/mp/m"_s).json()[u"_rev"_s].toString(), u"2-bbbb"_s);
        QCOMPARE(m_http->get(u"/mp/m/zeta.txt"_s).body, QByteArray("hello"));
        // Without attachments=true a document shows stubs, as CouchDB does.
        const QJsonObject stub =
            m_http->get(u"/mp/m"_s).json()[u"_attachments"_s].toObject()[u"zeta.txt"_s].toObject();
        QVERIFY(stub[u"stub"_s].toBool());
        QVERIFY(!stub.contains(u"data"_s));
        QCOMPARE(stub[u"length"_s].toInt(), 5);
        QCOMPARE(stub[u"digest"_s].toString(), u"md5-XUFAKrxLKna5cZ2REBfFkg=="_s);
        QCOMPARE(m_http->get(u"/mp/m?attachments=true"_s)
                     .json()[u"_attachments"_s]
                     .toObject()[u"zeta.txt"_s]
                     .toObject()[u"data"_s]
                     .toString(),
                 QString::fromLatin1(QByteArray("hello").toBase64()));
        r = m_http->get(u"/mp/m/alpha.bin"_s);
        QCOMPARE(r.body, QByteArray("\x01\x02\x03"));
        QCOMPARE(r.header("content-type"), QByteArray("application/octet-stream"));
        // A part missing for an attachment that "follows" is a clear 400.
        const QByteArray shortBody = "--abc\r\n\r\n" + json + "\r\n--abc--";
        r = m_http->request("PUT", u"/mp/m2?new_edits=false"_s, shortBody,
                            {{"Content-Type", "multipart/related; boundary=abc"}});
        QCOMPARE(r.status, 400);
        QVERIFY(r.json()[u"reason"_s].toString().contains(u"has no part"_s));
    }

    void runawayFilterIsStopped()
    {
        createDb(u"loop"_s);
        QCOMPARE(m_http->put(u"/loop/x"_s, "{}").status, 201);
        QCOMPARE(m_http
                     ->put(u"/loop/_design/bad"_s,
                           R"({"filters":{"spin":"function(doc, req) { while (true) {} }"}})")
                     .status,
                 201);
        QElapsedTimer clock;
        clock.start();
        const HttpReply r =
            m_http->request("GET", u"/loop/_changes?filter=bad/spin"_s, {}, {}, 20000);
        QCOMPARE(r.status, 500);
        QCOMPARE(r.json()[u"error"_s].toString(), u"os_process_error"_s);
        QVERIFY2(clock.elapsed() < 10000, qPrintable(QString::number(clock.elapsed())));
        // The server is fine afterwards.
        QCOMPARE(m_http->get(u"/loop/x"_s).status, 200);
    }

    void bothFacesShareData()
    {
        createDb(u"shared"_s);
        const QString rev = revOf(m_http->put(u"/shared/fromcouch"_s, R"({"who":"couch"})"));
        HttpReply r = m_http->get(u"/_api/document/shared/fromcouch"_s);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json()[u"_rev"_s].toString(), rev);
        QCOMPARE(r.json()[u"who"_s].toString(), u"couch"_s);

        const qint64 seq = updateSeq(u"shared"_s);
        r = m_http->post(u"/_api/document/shared"_s,
                         QJsonObject{{"_key", "fromarango"}, {"who", "arango"}});
        QVERIFY2(r.status == 201 || r.status == 202, r.body.constData());
        const QString arangoRev = r.json()[u"_rev"_s].toString();
        r = m_http->get(u"/shared/fromarango"_s);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json()[u"_id"_s].toString(), u"fromarango"_s);
        QCOMPARE(r.json()[u"_rev"_s].toString(), arangoRev);
        QCOMPARE(r.json()[u"who"_s].toString(), u"arango"_s);
        r = m_http->get(u"/shared/_changes?since=%1"_s.arg(seq));
        QCOMPARE(changeIds(r), QStringList{"fromarango"});
        QCOMPARE(m_http->get(u"/shared"_s).json()[u"doc_count"_s].toInt(), 2);
    }

    void errorsAreCouchShaped()
    {
        createDb(u"errs"_s);
        // {method, path, "status error"}; every request carries a body that is not JSON.
        const QList<QStringList> requests{
            {"GET", "/nodb/_all_docs", "404 not_found"},
            {"POST", "/nodb/_bulk_docs", "404 not_found"},
            {"POST", "/errs/_bulk_docs", "400 bad_request"},
            {"POST", "/errs/_revs_diff", "400 bad_request"},
            {"POST", "/errs/_bulk_get", "400 bad_request"},
            {"POST", "/errs/_changes?filter=_selector", "400 bad_request"},
            {"GET", "/errs/_changes?since=banana", "400 bad_request"},
            {"GET", "/errs/nodoc", "404 not_found"},
            {"GET", "/errs/_nothing/here", "404 not_found"}};
        for (const QStringList &q : requests) {
            const HttpReply r = m_http->request(q[0].toLatin1(), q[1], "{bad json");
            QCOMPARE(failure(r), q[2]);
            QVERIFY2(r.json().keys() == (QStringList{"error", "reason"}), r.body.constData());
            QVERIFY(!reason(r).isEmpty());
        }
    }
};

QTEST_GUILESS_MAIN(TestCouchFace)
#include "tst_couch_face.moc"
