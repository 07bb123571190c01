// The operations library's pure parts: which dialect a probe picks, what each kind of server
// lacks, the client-side sync plan, and reading log lines of both tail routes.
#include "client/ServerProbe.h"
#include "core/LogLine.h"
#include "ops/Dialect.h"
#include "ops/Parse.h"
#include "ops/SyncPlanner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace repl;
using namespace repl::ops;

namespace {
QJsonObject inventoryOf(const QStringList &names, const QString &tick = {})
{
    QJsonArray cols;
    for (const QString &n : names)
        cols.append(
            QJsonObject{{QStringLiteral("parameters"), QJsonObject{{QStringLiteral("name"), n}}},
                        {QStringLiteral("indexes"), QJsonArray()}});
    QJsonObject inv{{QStringLiteral("collections"), cols}};
    if (!tick.isEmpty())
        inv.insert(QStringLiteral("tick"), tick);
    return inv;
}
} // namespace

class TestOps : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dialectFromVersion_data()
    {
        QTest::addColumn<QString>("server");
        QTest::addColumn<QString>("version");
        QTest::addColumn<int>("kind");
        QTest::addColumn<bool>("batch");
        QTest::addColumn<bool>("applier");
        QTest::newRow("3.11.14") << "arango"
                                 << "3.11.14" << int(ServerKind::ArangoDB) << true << true;
        QTest::newRow("3.12.9") << "arango"
                                << "3.12.9" << int(ServerKind::ArangoDB) << true << true;
        QTest::newRow("3.12.10") << "arango"
                                 << "3.12.10" << int(ServerKind::ArangoDBNoLfr) << true << false;
        QTest::newRow("3.13.0-devel")
            << "arango"
            << "3.13.0-devel" << int(ServerKind::ArangoDBNoLfr) << true << false;
        QTest::newRow("repldesk") << "repldesk"
                                  << "0.1.0" << int(ServerKind::ReplDesk) << false << true;
    }
    void dialectFromVersion()
    {
        QFETCH(QString, server);
        QFETCH(QString, version);
        QFETCH(int, kind);
        QFETCH(bool, batch);
        QFETCH(bool, applier);
        const Dialect d = Dialect::fromVersion(
            QJsonObject{{QStringLiteral("server"), server}, {QStringLiteral("version"), version}});
        QCOMPARE(int(d.kind()), kind);
        QCOMPARE(d.needsBatch(), batch);
        QCOMPARE(d.tailsWal(), batch);
        QCOMPARE(d.has(Feature::Applier), applier);
        QCOMPARE(d.has(Feature::Sync), applier);
        QVERIFY(d.has(Feature::LoggerFollow)); // every 3.x tails its WAL
        QVERIFY(d.has(Feature::Inventory));
        QCOMPARE(d.has(Feature::LoggerControl), kind == int(ServerKind::ReplDesk));
        QCOMPARE(d.has(Feature::ServerDryRun), kind == int(ServerKind::ReplDesk));
        QCOMPARE(d.has(Feature::GlobalApplier), applier);
        QCOMPARE(d.longPollsTail(), kind == int(ServerKind::ReplDesk));
        QVERIFY(d.describe().contains(version));
    }

    void missingFeaturesSayWhy()
    {
        const Dialect modern = Dialect::fromVersion(
            QJsonObject{{QStringLiteral("server"), QStringLiteral("arango")},
                        {QStringLiteral("version"), QStringLiteral("3.12.10")}});
        const QString why = modern.missing(Feature::Applier);
        QVERIFY(why.contains(u"ArangoDB 3.12.10 removed leader/follower replication"));
        QVERIFY(why.contains(u"wal/tail"));
        QCOMPARE(modern.missing(Feature::Sync), why);

        client::ServerProbe couch;
        couch.flavor = client::ServerFlavor::CouchDb;
        couch.product = QStringLiteral("CouchDB");
        couch.version = QStringLiteral("3.4.3");
        const Dialect c = Dialect::fromProbe(couch);
        QCOMPARE(c.kind(), ServerKind::CouchDB);
        QVERIFY(c.missing(Feature::Applier).contains(u"CouchDB 3.4.3 speaks CouchDB"));
        QVERIFY(c.has(Feature::Inventory));
        QVERIFY(c.missing(Feature::LoggerFollow).contains(u"_changes")); // no log to tail
        QVERIFY(c.syncFailureNote().contains(u"partly copied"));
        QVERIFY(!Dialect().has(Feature::Inventory)); // nothing is assumed before a probe
    }

    void planDropsCopiesAndKeeps()
    {
        SyncOptions o;
        SyncPlanner p(o);
        p.setLeaderInventory(inventoryOf({"orders", "users", "_jobs"}, "4242"));
        p.setLocalInventory(inventoryOf({"orders", "audit", "_jobs"}));
        QCOMPARE(p.leaderCollectionsToCount(), QStringList({"orders", "users"})); // no system
        QCOMPARE(p.localCollectionsToCount(), QStringList({"orders"}));
        p.setLeaderCounts({{"orders", 10}, {"users", 3}});
        p.setLocalCounts({{"orders", 7}});
        const SyncPlan plan = p.plan();
        QCOMPARE(plan.leaderTick, QStringLiteral("4242"));
        QCOMPARE(plan.purged, 7);
        QCOMPARE(plan.copied, 13);
        const QJsonObject j = plan.toJson();
        const QJsonArray cols = j.value(QStringLiteral("collections")).toArray();
        QCOMPARE(cols.size(), 3); // orders, users, then the kept audit (not _jobs: no system)
        QCOMPARE(cols[0][QStringLiteral("action")].toString(), QStringLiteral("drop-and-copy"));
        QCOMPARE(cols[0][QStringLiteral("purged")].toInt(), 7);
        QCOMPARE(cols[1][QStringLiteral("action")].toString(), QStringLiteral("create"));
        QCOMPARE(cols[1][QStringLiteral("copied")].toInt(), 3);
        QCOMPARE(cols[2][QStringLiteral("action")].toString(), QStringLiteral("keep"));
        QCOMPARE(cols[2][QStringLiteral("name")].toString(), QStringLiteral("audit"));
    }

    void planFollowsRestrictions()
    {
        SyncOptions include;
        include.restrictType = QStringLiteral("include");
        include.restrictCollections = QStringList{"users"};
        SyncPlanner p(include);
        p.setLeaderInventory(inventoryOf({"orders", "users"}));
        QCOMPARE(p.leaderCollectionsToCount(), QStringList({"users"}));

        SyncOptions exclude;
        exclude.restrictType = QStringLiteral("exclude");
        exclude.restrictCollections = QStringList{"users"};
        exclude.includeSystem = true;
        SyncPlanner q(exclude);
        q.setLeaderInventory(inventoryOf({"orders", "users", "_graphs"}));
        QCOMPARE(q.leaderCollectionsToCount(), QStringList({"orders", "_graphs"}));

        // The sync body never carries a dry-run field (real servers ignore it and purge).
        const QJsonObject body = exclude.syncBody(QStringLiteral("shop"));
        QVERIFY(!body.contains(QStringLiteral("dryRun")));
        QCOMPARE(body.value(QStringLiteral("database")).toString(), QStringLiteral("shop"));
        QCOMPARE(body.value(QStringLiteral("restrictType")).toString(), QStringLiteral("exclude"));
    }

    void readsBothTailLayouts()
    {
        // wal/tail (ArangoDB 3.x, as recorded): db and cuid, no cname.
        const QByteArray wal =
            "{\"tick\":\"189313\",\"type\":2001,\"db\":\"_system\",\"cuid\":\"h68138D6305DA/"
            "72385\"}\n"
            "{\"tick\":\"189320\",\"type\":2300,\"db\":\"shop\",\"cuid\":\"h1/9\",\"tid\":\"0\","
            "\"data\":{\"_key\":\"k1\",\"_rev\":\"_jt3\",\"v\":1}}\n";
        const QList<LogEvent> w = parseLogLines(wal, QStringLiteral("ignored"));
        QCOMPARE(w.size(), 2);
        QCOMPARE(w[0].tick, 189313u);
        QCOMPARE(w[0].type, 2001);
        QCOMPARE(w[0].cuid, QStringLiteral("h68138D6305DA/72385"));
        QVERIFY(w[0].collection.isEmpty());
        QCOMPARE(w[1].database, QStringLiteral("shop"));
        QCOMPARE(w[1].key, QStringLiteral("k1"));
        QCOMPARE(w[1].rev, QStringLiteral("_jt3"));

        // logger-follow (ours and ArangoDB ≤ 3.12.9): cname and key at the top.
        const QByteArray follow =
            "{\"tick\":\"5\",\"type\":2302,\"cid\":\"3\",\"cname\":\"orders\","
            "\"key\":\"o1\",\"rev\":\"1-ab\"}\r\n\n";
        const QList<LogEvent> f = parseLogLines(follow, QStringLiteral("shop"));
        QCOMPARE(f.size(), 1);
        QCOMPARE(f[0].collection, QStringLiteral("orders"));
        QCOMPARE(f[0].database, QStringLiteral("shop"));
        QCOMPARE(f[0].key, QStringLiteral("o1"));

        // Our own document lines take the fast path and read the same.
        DocumentEvent ev;
        ev.tick = 77;
        ev.databaseId = 1;
        ev.cid = 3;
        ev.collection = "orders";
        ev.tid = 9;
        ev.key = "k/q";
        ev.rev = "1-abc";
        ev.data = "{\"_key\":\"k/q\",\"_rev\":\"1-abc\",\"n\":1}";
        const QByteArray own = documentEventLine(ev);
        const QList<LogEvent> o = parseLogLines(own + own, QStringLiteral("shop"));
        QCOMPARE(o.size(), 2);
        QCOMPARE(o[0].tick, 77u);
        QCOMPARE(o[0].type, 2300);
        QCOMPARE(o[0].collection, QStringLiteral("orders"));
        QCOMPARE(o[0].key, QJsonDocument::fromJson(own).object().value(u"key").toString());
        QCOMPARE(o[0].tid, QStringLiteral("9"));
        QCOMPARE(o[0].database, QStringLiteral("shop"));
        QCOMPARE(o[0].size, int(own.trimmed().size()));

        const LogChunk h = readLogHeaders({{"x-arango-replication-lastincluded", "189342"},
                                           {"x-arango-replication-lasttick", "189358"},
                                           {"x-arango-replication-checkmore", "true"},
                                           {"x-arango-replication-frompresent", "false"}});
        QCOMPARE(h.lastIncluded, 189342u);
        QCOMPARE(h.lastTick, 189358u);
        QVERIFY(h.checkMore);
        QVERIFY(!h.fromPresent);
    }

    void readsDumpWithAndWithoutEnvelope()
    {
        int removals = -1;
        const QList<QJsonObject> docs = parseDumpDocuments(
            "{\"type\":2300,\"data\":{\"_key\":\"a\"}}\n{\"type\":2302,\"data\":{\"_key\":\"b\"}}\n"
            "{\"_key\":\"c\",\"type\":\"plain document with a type field\"}\n",
            &removals);
        QCOMPARE(removals, 1);
        QCOMPARE(docs.size(), 2);
        QCOMPARE(docs[0].value(QStringLiteral("_key")).toString(), QStringLiteral("a"));
        QCOMPARE(docs[1].value(QStringLiteral("_key")).toString(), QStringLiteral("c"));
    }
};

QTEST_GUILESS_MAIN(TestOps)
#include "tst_ops.moc"
