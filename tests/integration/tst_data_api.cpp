// Databases, collections, documents, import and indexes over HTTP (ArangoDB's shapes).
#include "support/HttpClient.h"
#include "support/ServerProcess.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

using namespace repl::test;

class TestDataApi : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ServerProcess> m_server;
    std::unique_ptr<HttpClient> m_http;

    int errorNum(const HttpReply &r) { return r.json()[QStringLiteral("errorNum")].toInt(); }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<ServerProcess>();
        QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
        m_http = std::make_unique<HttpClient>(m_server->baseUrl());
    }

    void databases()
    {
        HttpReply r = m_http->post(QStringLiteral("/_api/database"), QJsonObject{{"name", "shop"}});
        QCOMPARE(r.status, 201);
        QCOMPARE(r.json()[QStringLiteral("result")].toBool(), true);
        r = m_http->get(QStringLiteral("/_api/database"));
        QCOMPARE(r.json()[QStringLiteral("result")].toArray(), (QJsonArray{"_system", "shop"}));
        r = m_http->post(QStringLiteral("/_api/database"), QJsonObject{{"name", "shop"}});
        QCOMPARE(r.status, 409);
        QCOMPARE(errorNum(r), 1207);
        r = m_http->post(QStringLiteral("/_api/database"), QJsonObject{{"name", "1bad name"}});
        QCOMPARE(r.status, 400);
        QCOMPARE(errorNum(r), 1229);
        r = m_http->post(QStringLiteral("/_api/database"), QByteArray("not json"));
        QCOMPARE(r.status, 400);
        // Only from _system.
        QCOMPARE(m_http->post(QStringLiteral("/_db/shop/_api/database"), QJsonObject{{"name", "x"}})
                     .status,
                 403);
        // Collections are per database.
        QCOMPARE(
            m_http
                ->post(QStringLiteral("/_db/shop/_api/collection"), QJsonObject{{"name", "items"}})
                .status,
            200);
        QCOMPARE(m_http->get(QStringLiteral("/_api/collection/items")).status, 404);
        QCOMPARE(m_http->get(QStringLiteral("/_db/shop/_api/collection/items")).status, 200);
        QCOMPARE(m_http->get(QStringLiteral("/_db/shop/_api/database/current"))
                     .json()[QStringLiteral("result")]
                     .toObject()[QStringLiteral("name")]
                     .toString(),
                 QStringLiteral("shop"));
        r = m_http->del(QStringLiteral("/_api/database/shop"));
        QCOMPARE(r.status, 200);
        QCOMPARE(m_http->get(QStringLiteral("/_db/shop/_api/collection/items")).status, 404);
        QCOMPARE(errorNum(m_http->del(QStringLiteral("/_api/database/shop"))), 1228);
        QCOMPARE(m_http->del(QStringLiteral("/_api/database/_system")).status, 403);
    }

    void collectionNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("status");
        QTest::newRow("ok") << "good_name-1" << 200;
        QTest::newRow("digit first") << "1abc" << 400;
        QTest::newRow("space") << "a b" << 400;
        QTest::newRow("slash") << "a/b" << 400;
        QTest::newRow("empty") << "" << 400;
        QTest::newRow("too long") << QString(257, u'a') << 400;
    }

    void collectionNames()
    {
        QFETCH(QString, name);
        QFETCH(int, status);
        const HttpReply r =
            m_http->post(QStringLiteral("/_api/collection"), QJsonObject{{"name", name}});
        QCOMPARE(r.status, status);
        if (status == 400)
            QCOMPARE(errorNum(r), 1208);
    }

    void collectionLifecycle()
    {
        HttpReply r = m_http->post(QStringLiteral("/_api/collection"),
                                   QJsonObject{{"name", "people"}, {"waitForSync", true}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json()[QStringLiteral("type")].toInt(), 2);
        QCOMPARE(r.json()[QStringLiteral("waitForSync")].toBool(), true);
        QCOMPARE(errorNum(m_http->post(QStringLiteral("/_api/collection"),
                                       QJsonObject{{"name", "people"}})),
                 1207);
        QCOMPARE(m_http
                     ->post(QStringLiteral("/_api/collection"),
                            QJsonObject{{"name", "links"}, {"type", 3}})
                     .json()[QStringLiteral("type")]
                     .toInt(),
                 3);
        QCOMPARE(m_http
                     ->post(QStringLiteral("/_api/collection"),
                            QJsonObject{{"name", "weird"}, {"type", 7}})
                     .status,
                 400);
        const QJsonArray list = m_http->get(QStringLiteral("/_api/collection"))
                                    .json()[QStringLiteral("result")]
                                    .toArray();
        QStringList names;
        for (const QJsonValue &v : list)
            names << v[QStringLiteral("name")].toString();
        QVERIFY(names.contains(QStringLiteral("people")));
        QVERIFY(names.contains(QStringLiteral("links")));
        // waitForSync → 201 for writes.
        QCOMPARE(m_http->post(QStringLiteral("/_api/document/people"), QJsonObject{{"_key", "ann"}})
                     .status,
                 201);
        QCOMPARE(m_http->get(QStringLiteral("/_api/collection/people/count"))
                     .json()[QStringLiteral("count")]
                     .toInt(),
                 1);
        r = m_http->put(QStringLiteral("/_api/collection/people/properties"),
                        QJsonObject{{"waitForSync", false}});
        QCOMPARE(r.json()[QStringLiteral("waitForSync")].toBool(), false);
        QCOMPARE(m_http->get(QStringLiteral("/_api/collection/people/properties"))
                     .json()[QStringLiteral("waitForSync")]
                     .toBool(),
                 false);
        QCOMPARE(m_http
                     ->put(QStringLiteral("/_api/collection/people/properties"),
                           QJsonObject{{"waitForSync", "no"}})
                     .status,
                 400);
        r = m_http->put(QStringLiteral("/_api/collection/people/rename"),
                        QJsonObject{{"name", "persons"}});
        QCOMPARE(r.status, 200);
        QCOMPARE(m_http->get(QStringLiteral("/_api/collection/people")).status, 404);
        QCOMPARE(m_http->get(QStringLiteral("/_api/document/persons/ann"))
                     .json()[QStringLiteral("_id")]
                     .toString(),
                 QStringLiteral("persons/ann"));
        QCOMPARE(errorNum(m_http->put(QStringLiteral("/_api/collection/persons/rename"),
                                      QJsonObject{{"name", "links"}})),
                 1207);
        QCOMPARE(m_http->put(QStringLiteral("/_api/collection/persons/truncate")).status, 200);
        QCOMPARE(m_http->get(QStringLiteral("/_api/collection/persons/count"))
                     .json()[QStringLiteral("count")]
                     .toInt(),
                 0);
        QCOMPARE(m_http->get(QStringLiteral("/_api/document/persons/ann")).status, 404);
        QCOMPARE(m_http->del(QStringLiteral("/_api/collection/persons")).status, 200);
        QCOMPARE(errorNum(m_http->get(QStringLiteral("/_api/collection/persons"))), 1203);
    }

    void documentCrud()
    {
        QCOMPARE(
            m_http->post(QStringLiteral("/_api/collection"), QJsonObject{{"name", "docs"}}).status,
            200);
        HttpReply r =
            m_http->post(QStringLiteral("/_api/document/docs"),
                         QJsonObject{{"name", "x"}, {"nested", QJsonObject{{"a", 1}, {"b", 2}}}});
        QCOMPARE(r.status, 202);
        const QString key = r.json()[QStringLiteral("_key")].toString();
        QVERIFY(!key.isEmpty());
        QCOMPARE(r.json()[QStringLiteral("_id")].toString(), QStringLiteral("docs/") + key);
        const QString rev1 = r.json()[QStringLiteral("_rev")].toString();
        QVERIFY(QRegularExpression(QStringLiteral("^1-[0-9a-f]{32}$")).match(rev1).hasMatch());
        QCOMPARE(r.header("etag"), ('"' + rev1 + '"').toUtf8());

        r = m_http->get(QStringLiteral("/_api/document/docs/") + key);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json()[QStringLiteral("name")].toString(), QStringLiteral("x"));
        QCOMPARE(r.json()[QStringLiteral("_rev")].toString(), rev1);
        QCOMPARE(m_http
                     ->request("GET", QStringLiteral("/_api/document/docs/") + key, {},
                               {{"If-None-Match", ('"' + rev1 + '"').toUtf8()}})
                     .status,
                 304);
        QCOMPARE(m_http->request("HEAD", QStringLiteral("/_api/document/docs/") + key).status, 200);

        // PATCH merges nested objects; keepNull=false removes.
        r = m_http->patch(QStringLiteral("/_api/document/docs/") + key +
                              QStringLiteral("?keepNull=false&returnNew=true"),
                          QByteArray(R"({"nested":{"b":null,"c":3},"name":null,"extra":true})"));
        QCOMPARE(r.status, 202);
        const QJsonObject updated = r.json()[QStringLiteral("new")].toObject();
        QCOMPARE(updated[QStringLiteral("nested")].toObject(), (QJsonObject{{"a", 1}, {"c", 3}}));
        QVERIFY(!updated.contains(QStringLiteral("name")));
        QCOMPARE(updated[QStringLiteral("extra")].toBool(), true);
        const QString rev2 = r.json()[QStringLiteral("_rev")].toString();
        QVERIFY(rev2.startsWith(QStringLiteral("2-")));
        QCOMPARE(r.json()[QStringLiteral("_oldRev")].toString(), rev1);

        // If-Match with a stale revision: 412, nothing written.
        r = m_http->request("PUT", QStringLiteral("/_api/document/docs/") + key,
                            QByteArray(R"({"replaced":1})"),
                            {{"If-Match", ('"' + rev1 + '"').toUtf8()}});
        QCOMPARE(r.status, 412);
        QCOMPARE(errorNum(r), 1200);
        QCOMPARE(m_http->get(QStringLiteral("/_api/document/docs/") + key)
                     .json()[QStringLiteral("_rev")]
                     .toString(),
                 rev2);
        r = m_http->request(
            "PUT", QStringLiteral("/_api/document/docs/") + key + QStringLiteral("?returnOld=true"),
            QByteArray(R"({"replaced":1})"), {{"If-Match", rev2.toUtf8()}});
        QCOMPARE(r.status, 202);
        QCOMPARE(r.json()[QStringLiteral("old")].toObject()[QStringLiteral("extra")].toBool(),
                 true);
        QCOMPARE(m_http->get(QStringLiteral("/_api/document/docs/") + key).json().keys(),
                 (QStringList{"_id", "_key", "_rev", "replaced"}));

        // Duplicate key → 409/1210; bad key → 400/1221; bad body → 400.
        QCOMPARE(
            m_http->post(QStringLiteral("/_api/document/docs"), QJsonObject{{"_key", "k1"}}).status,
            202);
        r = m_http->post(QStringLiteral("/_api/document/docs"), QJsonObject{{"_key", "k1"}});
        QCOMPARE(r.status, 409);
        QCOMPARE(errorNum(r), 1210);
        QCOMPARE(m_http
                     ->post(QStringLiteral("/_api/document/docs?overwrite=true"),
                            QJsonObject{{"_key", "k1"}, {"v", 2}})
                     .status,
                 202);
        QCOMPARE(m_http->get(QStringLiteral("/_api/document/docs/k1"))
                     .json()[QStringLiteral("v")]
                     .toInt(),
                 2);
        r = m_http->post(QStringLiteral("/_api/document/docs"), QJsonObject{{"_key", "bad key/x"}});
        QCOMPARE(r.status, 400);
        QCOMPARE(errorNum(r), 1221);
        QCOMPARE(m_http->post(QStringLiteral("/_api/document/docs"), QByteArray("[1,")).status,
                 400);
        QCOMPARE(m_http->post(QStringLiteral("/_api/document/docs"), QByteArray("42")).status, 400);
        QCOMPARE(errorNum(m_http->post(QStringLiteral("/_api/document/nosuch"), QByteArray("{}"))),
                 1203);

        // DELETE answers the removed revision; then 404/1202; a re-insert is allowed.
        const QString revK1 = m_http->get(QStringLiteral("/_api/document/docs/k1"))
                                  .json()[QStringLiteral("_rev")]
                                  .toString();
        r = m_http->del(QStringLiteral("/_api/document/docs/k1"));
        QCOMPARE(r.status, 202);
        QCOMPARE(r.json()[QStringLiteral("_rev")].toString(), revK1);
        r = m_http->get(QStringLiteral("/_api/document/docs/k1"));
        QCOMPARE(r.status, 404);
        QCOMPARE(errorNum(r), 1202);
        QCOMPARE(errorNum(m_http->del(QStringLiteral("/_api/document/docs/k1"))), 1202);
        r = m_http->post(QStringLiteral("/_api/document/docs"), QJsonObject{{"_key", "k1"}});
        QCOMPARE(r.status, 202);
        // The tombstone's history continues: generation 4 (insert, overwrite, delete, insert).
        QVERIFY(r.json()[QStringLiteral("_rev")].toString().startsWith(QStringLiteral("4-")));
    }

    void edges()
    {
        QCOMPARE(m_http
                     ->post(QStringLiteral("/_api/collection"),
                            QJsonObject{{"name", "rel"}, {"type", 3}})
                     .status,
                 200);
        QCOMPARE(m_http
                     ->post(QStringLiteral("/_api/document/rel"),
                            QJsonObject{{"_from", "a/1"}, {"_to", "b/2"}})
                     .status,
                 202);
        const HttpReply r =
            m_http->post(QStringLiteral("/_api/document/rel"), QJsonObject{{"_from", "a/1"}});
        QCOMPARE(r.status, 400);
        QVERIFY(
            r.json()[QStringLiteral("errorMessage")].toString().contains(QStringLiteral("_to")));
    }

    void import()
    {
        QCOMPARE(
            m_http->post(QStringLiteral("/_api/collection"), QJsonObject{{"name", "bulk"}}).status,
            200);
        QByteArray lines;
        for (int i = 0; i < 500; ++i)
            lines += QJsonDocument(QJsonObject{{"_key", QStringLiteral("d%1").arg(i)}, {"i", i}})
                         .toJson(QJsonDocument::Compact) +
                     "\n";
        lines += "\n{not json}\n";
        HttpReply r = m_http->post(
            QStringLiteral("/_api/import?collection=bulk&type=documents&details=true"), lines);
        QCOMPARE(r.status, 201);
        QCOMPARE(r.json()[QStringLiteral("created")].toInt(), 500);
        QCOMPARE(r.json()[QStringLiteral("errors")].toInt(), 1);
        QCOMPARE(r.json()[QStringLiteral("empty")].toInt(), 1);
        QCOMPARE(r.json()[QStringLiteral("details")].toArray().size(), 1);
        QCOMPARE(m_http->get(QStringLiteral("/_api/collection/bulk/count"))
                     .json()[QStringLiteral("count")]
                     .toInt(),
                 500);
        // An array with duplicates: onDuplicate=update merges.
        r = m_http->post(
            QStringLiteral("/_api/import?collection=bulk&type=array&onDuplicate=update"),
            QByteArray(R"([{"_key":"d1","extra":1},{"_key":"new1"}])"));
        QCOMPARE(r.json()[QStringLiteral("created")].toInt(), 1);
        QCOMPARE(r.json()[QStringLiteral("updated")].toInt(), 1);
        const QJsonObject d1 = m_http->get(QStringLiteral("/_api/document/bulk/d1")).json();
        QCOMPARE(d1[QStringLiteral("i")].toInt(), 1);
        QCOMPARE(d1[QStringLiteral("extra")].toInt(), 1);
        // complete=true: one error and nothing is imported.
        r = m_http->post(QStringLiteral("/_api/import?collection=bulk&type=array&complete=true"),
                         QByteArray(R"([{"_key":"z1"},{"_key":"d2"}])"));
        QCOMPARE(r.status, 409);
        QCOMPARE(m_http->get(QStringLiteral("/_api/document/bulk/z1")).status, 404);
        QCOMPARE(
            m_http
                ->post(QStringLiteral("/_api/import?collection=bulk&type=weird"), QByteArray("[]"))
                .status,
            400);
        QCOMPARE(
            m_http->post(QStringLiteral("/_api/import?collection=nosuch"), QByteArray("[]")).status,
            404);
    }

    // JSON lines whose parsed object the writer needs (unique index, onDuplicate=replace, a
    // key that is a tombstone) and does not need (a plain collection).
    void importKeepsWhatTheWriterNeeds()
    {
        for (const char *name : {"uimp", "plainimp"})
            QCOMPARE(m_http->post(QStringLiteral("/_api/collection"), QJsonObject{{"name", name}})
                         .status,
                     200);
        QCOMPARE(m_http
                     ->post(QStringLiteral("/_api/index?collection=uimp"),
                            QJsonObject{{"type", "persistent"},
                                        {"fields", QJsonArray{"email"}},
                                        {"unique", true}})
                     .status,
                 201);
        HttpReply r = m_http->post(
            QStringLiteral("/_api/import?collection=uimp&type=documents"),
            QByteArray("{\"_key\":\"a\",\"email\":\"x\"}\n{\"_key\":\"b\",\"email\":\"x\"}\n"));
        QCOMPARE(r.json()[QStringLiteral("created")].toInt(), 1);
        QCOMPARE(r.json()[QStringLiteral("errors")].toInt(), 1); // the unique index held
        r = m_http->post(
            QStringLiteral("/_api/import?collection=uimp&type=documents&onDuplicate=replace"),
            QByteArray("{\"_key\":\"a\",\"email\":\"y\",\"v\":2}\n"));
        QCOMPARE(r.json()[QStringLiteral("updated")].toInt(), 1);
        QJsonObject a = m_http->get(QStringLiteral("/_api/document/uimp/a")).json();
        QCOMPARE(a[QStringLiteral("email")].toString(), QStringLiteral("y"));
        QCOMPARE(a[QStringLiteral("v")].toInt(), 2);
        // Re-created over its tombstone: the unique index sees the new value.
        QCOMPARE(m_http->del(QStringLiteral("/_api/document/uimp/a")).status, 202);
        r = m_http->post(QStringLiteral("/_api/import?collection=uimp&type=documents"),
                         QByteArray("{\"_key\":\"a\",\"email\":\"z\"}\n"));
        QCOMPARE(r.json()[QStringLiteral("created")].toInt(), 1);
        r = m_http->post(QStringLiteral("/_api/import?collection=uimp&type=documents"),
                         QByteArray("{\"_key\":\"c\",\"email\":\"z\"}\n"));
        QCOMPARE(r.json()[QStringLiteral("errors")].toInt(), 1);
        // Distinct values are all accepted (were the objects dropped, every document's value
        // would be [null] and these would collide), and "y", which "a" gave up, is free.
        r = m_http->post(QStringLiteral("/_api/import?collection=uimp&type=documents"),
                         QByteArray("{\"_key\":\"d\",\"email\":\"w\"}\n"
                                    "{\"_key\":\"e\",\"email\":\"y\"}\n"));
        QCOMPARE(r.json()[QStringLiteral("created")].toInt(), 2);
        QCOMPARE(r.json()[QStringLiteral("errors")].toInt(), 0);

        // A plain collection: the same cycle, bodies intact.
        QCOMPARE(m_http
                     ->post(QStringLiteral("/_api/import?collection=plainimp&type=documents"),
                            QByteArray("{\"_key\":\"p\",\"n\":1}\n"))
                     .json()[QStringLiteral("created")]
                     .toInt(),
                 1);
        QCOMPARE(m_http->del(QStringLiteral("/_api/document/plainimp/p")).status, 202);
        QCOMPARE(m_http
                     ->post(QStringLiteral("/_api/import?collection=plainimp&type=documents"),
                            QByteArray("  {\"_key\":\"p\",\"n\":2,\"_id\":\"x/y\"}  \r\n"))
                     .json()[QStringLiteral("created")]
                     .toInt(),
                 1);
        const QJsonObject p = m_http->get(QStringLiteral("/_api/document/plainimp/p")).json();
        QCOMPARE(p[QStringLiteral("n")].toInt(), 2);
        QCOMPARE(p[QStringLiteral("_id")].toString(), QStringLiteral("plainimp/p"));
        QVERIFY(p[QStringLiteral("_rev")].toString().startsWith(u"3-"));
    }

    void indexes()
    {
        QCOMPARE(
            m_http->post(QStringLiteral("/_api/collection"), QJsonObject{{"name", "users"}}).status,
            200);
        QCOMPARE(m_http
                     ->post(QStringLiteral("/_api/document/users"),
                            QJsonObject{{"_key", "u1"}, {"email", "a@x"}})
                     .status,
                 202);
        QCOMPARE(m_http
                     ->post(QStringLiteral("/_api/document/users"),
                            QJsonObject{{"_key", "u2"}, {"email", "a@x"}})
                     .status,
                 202);
        // Unique over existing duplicates: refused.
        HttpReply r = m_http->post(
            QStringLiteral("/_api/index?collection=users"),
            QJsonObject{{"type", "persistent"}, {"fields", QJsonArray{"email"}}, {"unique", true}});
        QCOMPARE(r.status, 409);
        QCOMPARE(errorNum(r), 1210);
        QCOMPARE(m_http->del(QStringLiteral("/_api/document/users/u2")).status, 202);
        r = m_http->post(
            QStringLiteral("/_api/index?collection=users"),
            QJsonObject{{"type", "hash"}, {"fields", QJsonArray{"email"}}, {"unique", true}});
        QCOMPARE(r.status, 201);
        const QString id = r.json()[QStringLiteral("id")].toString();
        QVERIFY(id.startsWith(QStringLiteral("users/")));
        QCOMPARE(r.json()[QStringLiteral("isNewlyCreated")].toBool(), true);
        // Same definition again: 200, same id.
        r = m_http->post(
            QStringLiteral("/_api/index?collection=users"),
            QJsonObject{{"type", "hash"}, {"fields", QJsonArray{"email"}}, {"unique", true}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json()[QStringLiteral("id")].toString(), id);
        // Enforced on insert, replace and patch.
        r = m_http->post(QStringLiteral("/_api/document/users"),
                         QJsonObject{{"_key", "u3"}, {"email", "a@x"}});
        QCOMPARE(r.status, 409);
        QCOMPARE(errorNum(r), 1210);
        QCOMPARE(m_http->get(QStringLiteral("/_api/document/users/u3")).status, 404);
        QCOMPARE(m_http
                     ->post(QStringLiteral("/_api/document/users"),
                            QJsonObject{{"_key", "u3"}, {"email", "b@x"}})
                     .status,
                 202);
        QCOMPARE(
            m_http
                ->patch(QStringLiteral("/_api/document/users/u3"), QByteArray(R"({"email":"a@x"})"))
                .status,
            409);
        QCOMPARE(
            m_http
                ->patch(QStringLiteral("/_api/document/users/u1"), QByteArray(R"({"email":"c@x"})"))
                .status,
            202);
        QCOMPARE(
            m_http
                ->patch(QStringLiteral("/_api/document/users/u3"), QByteArray(R"({"email":"a@x"})"))
                .status,
            202);
        // Listing includes the primary index.
        r = m_http->get(QStringLiteral("/_api/index?collection=users"));
        QCOMPARE(r.json()[QStringLiteral("indexes")].toArray().size(), 2);
        QCOMPARE(r.json()[QStringLiteral("indexes")]
                     .toArray()[0]
                     .toObject()[QStringLiteral("type")]
                     .toString(),
                 QStringLiteral("primary"));
        // Bad definitions name the field.
        r = m_http->post(QStringLiteral("/_api/index?collection=users"),
                         QJsonObject{{"type", "hash"}});
        QCOMPARE(r.status, 400);
        QVERIFY(
            r.json()[QStringLiteral("errorMessage")].toString().contains(QStringLiteral("fields")));
        QCOMPARE(m_http
                     ->post(QStringLiteral("/_api/index?collection=users"),
                            QJsonObject{{"type", "fulltext"}, {"fields", QJsonArray{"a"}}})
                     .status,
                 400);
        // Drop: then duplicates are fine.
        QCOMPARE(m_http->del(QStringLiteral("/_api/index/") + id).status, 200);
        QCOMPARE(errorNum(m_http->del(QStringLiteral("/_api/index/") + id)), 1212);
        QCOMPARE(m_http
                     ->post(QStringLiteral("/_api/document/users"),
                            QJsonObject{{"_key", "u4"}, {"email", "a@x"}})
                     .status,
                 202);
        // Sparse unique ignores documents without the attribute.
        r = m_http->post(QStringLiteral("/_api/index?collection=users"),
                         QJsonObject{{"type", "persistent"},
                                     {"fields", QJsonArray{"nick"}},
                                     {"unique", true},
                                     {"sparse", true}});
        QCOMPARE(r.status, 201);
        QCOMPARE(m_http->post(QStringLiteral("/_api/document/users"), QJsonObject{{"_key", "u5"}})
                     .status,
                 202);
        QCOMPARE(m_http->post(QStringLiteral("/_api/document/users"), QJsonObject{{"_key", "u6"}})
                     .status,
                 202);
    }
};

QTEST_GUILESS_MAIN(TestDataApi)
#include "tst_data_api.moc"
