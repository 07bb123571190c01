// The operations library's pure parts: which dialect a probe picks, what each kind of server
// lacks, the client-side sync plan, reading log lines of both tail routes, sizes as typed and
// restore point retention.
#include "client/ServerProbe.h"
#include "core/LogLine.h"
#include "ops/ByteSize.h"
#include "ops/Dialect.h"
#include "ops/Parse.h"
#include "ops/RestorePoints.h"
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
        QTest::newRow("3.11.14") << QStringLiteral("arango") << "3.11.14"
                                 << int(ServerKind::ArangoDB) << true << true;
        QTest::newRow("3.12.9") << QStringLiteral("arango") << "3.12.9" << int(ServerKind::ArangoDB)
                                << true << true;
        QTest::newRow("3.12.10") << QStringLiteral("arango") << "3.12.10"
                                 << int(ServerKind::ArangoDBNoLfr) << true << false;
        QTest::newRow("3.13.0-devel")
            << "arango"
            << "3.13.0-devel" << int(ServerKind::ArangoDBNoLfr) << true << false;
        QTest::newRow("repldesk") << QStringLiteral("repldesk") << "0.1.0"
                                  << int(ServerKind::ReplDesk) << false << true;
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

    // Where each kind serves Prometheus' text, from the servers' documentation: ArangoDB's
    // /_admin/metrics/v2 from 3.8 on, CouchDB's /_node/{node}/_prometheus from 3.2.0 on.
    void metricsEndpointPerKind_data()
    {
        QTest::addColumn<QString>("server");
        QTest::addColumn<QString>("product");
        QTest::addColumn<QString>("version");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("why");
        const QString v2 = QStringLiteral("/_admin/metrics/v2");
        const QString couch = QStringLiteral("/_node/_local/_prometheus");
        QTest::newRow("ReplDesk") << "repldesk"
                                  << ""
                                  << "0.1.0" << v2 << "";
        QTest::newRow("ArangoDB 3.8.0") << "arango"
                                        << ""
                                        << "3.8.0" << v2 << "";
        QTest::newRow("ArangoDB 3.11.14") << "arango"
                                          << ""
                                          << "3.11.14" << v2 << "";
        QTest::newRow("ArangoDB 3.12.10") << "arango"
                                          << ""
                                          << "3.12.10" << v2 << "";
        QTest::newRow("ArangoDB 3.7.18")
            << "arango"
            << ""
            << "3.7.18"
            << ""
            << "ArangoDB serves them at /_admin/metrics/v2 from 3.8 on";
        QTest::newRow("CouchDB 3.4.3") << ""
                                       << "CouchDB"
                                       << "3.4.3" << couch << "";
        QTest::newRow("CouchDB 3.2.0") << ""
                                       << "CouchDB"
                                       << "3.2.0" << couch << "";
        QTest::newRow("CouchDB 3.1.2") << ""
                                       << "CouchDB"
                                       << "3.1.2"
                                       << ""
                                       << "from 3.2 on (its other figures are in";
        QTest::newRow("PouchDB Server") << ""
                                        << "PouchDB Server"
                                        << "4.2.0"
                                        << ""
                                        << "serves no metrics in Prometheus' format";
    }
    void metricsEndpointPerKind()
    {
        QFETCH(QString, server);
        QFETCH(QString, product);
        QFETCH(QString, version);
        QFETCH(QString, path);
        QFETCH(QString, why);
        Dialect d;
        if (!server.isEmpty()) {
            d = Dialect::fromVersion(QJsonObject{{QStringLiteral("server"), server},
                                                 {QStringLiteral("version"), version}});
        } else {
            client::ServerProbe p;
            p.flavor = client::ServerFlavor::CouchDb;
            p.product = product;
            p.version = version;
            d = Dialect::fromProbe(p);
        }
        QCOMPARE(d.metricsPath(), path);
        QCOMPARE(d.has(Feature::Metrics), !path.isEmpty());
        const QString missing = d.missing(Feature::Metrics);
        QVERIFY2(why.isEmpty() ? missing.isEmpty() : missing.contains(why), qPrintable(missing));
        if (!why.isEmpty())
            QVERIFY2(missing.contains(version), qPrintable(missing)); // names the server
        QVERIFY(Dialect().metricsPath().isEmpty());
        QVERIFY(!Dialect().has(Feature::Metrics));
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

    void parsesByteSizes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("bytes"); // -1: not a size
        QTest::newRow("zero") << QStringLiteral("0") << qint64(0);
        QTest::newRow("plain bytes") << QStringLiteral("123456") << qint64(123456);
        QTest::newRow("B") << QStringLiteral("512 B") << qint64(512);
        QTest::newRow("K is 1024") << QStringLiteral("2K") << qint64(2048);
        QTest::newRow("500M") << QStringLiteral("500M") << qint64(500) * 1024 * 1024;
        QTest::newRow("2G") << QStringLiteral("2G") << qint64(2) * 1024 * 1024 * 1024;
        QTest::newRow("1.5GiB") << QStringLiteral("1.5GiB") << qint64(1610612736);
        QTest::newRow("lower case, blanks") << QStringLiteral(" 1.5 gib ") << qint64(1610612736);
        QTest::newRow("KB is 1000") << QStringLiteral("2KB") << qint64(2000);
        QTest::newRow("2 GB") << QStringLiteral("2 GB") << qint64(2000000000);
        QTest::newRow("1T") << QStringLiteral("1T") << (qint64(1) << 40);
        QTest::newRow("fraction rounds") << QStringLiteral("0.1K") << qint64(102);
        QTest::newRow("fraction of MB") << QStringLiteral("0.57MB") << qint64(570000);
        QTest::newRow("largest") << QStringLiteral("9000000000000000") << qint64(9000000000000000);
        QTest::newRow("too large") << QStringLiteral("9000000000000001") << qint64(-1);
        QTest::newRow("too many TiB") << QStringLiteral("8186T") << qint64(-1);
        QTest::newRow("empty") << QStringLiteral("") << qint64(-1);
        QTest::newRow("negative") << QStringLiteral("-1") << qint64(-1);
        QTest::newRow("fraction of bytes") << QStringLiteral("1.5") << qint64(-1);
        QTest::newRow("fraction of B") << QStringLiteral("1.5B") << qint64(-1);
        QTest::newRow("unknown unit") << QStringLiteral("12Q") << qint64(-1);
        QTest::newRow("bits") << QStringLiteral("12Mbit") << qint64(-1);
        QTest::newRow("two numbers") << QStringLiteral("1 2M") << qint64(-1);
        QTest::newRow("dot only") << QStringLiteral("1.M") << qint64(-1);
    }
    void parsesByteSizes()
    {
        QFETCH(QString, text);
        QFETCH(qint64, bytes);
        const std::optional<qint64> got = parseByteSize(text);
        QCOMPARE(got.value_or(-1), bytes);
    }

    void writesByteSizesBackExactly_data()
    {
        QTest::addColumn<qint64>("bytes");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << qint64(0) << QStringLiteral("0");
        QTest::newRow("bytes") << qint64(123457) << QStringLiteral("123457 B");
        QTest::newRow("below a KiB") << qint64(1000) << QStringLiteral("1 KB");
        QTest::newRow("KiB") << qint64(1536) << QStringLiteral("1.5 KiB");
        QTest::newRow("MiB") << qint64(500) * 1024 * 1024 << QStringLiteral("500 MiB");
        QTest::newRow("GiB") << qint64(1610612736) << QStringLiteral("1.5 GiB");
        QTest::newRow("two decimals") << qint64(5) * 1024 * 1024 / 4 << QStringLiteral("1.25 MiB");
        QTest::newRow("MB") << qint64(1000000) << QStringLiteral("1 MB");
        QTest::newRow("GB") << qint64(2500000000) << QStringLiteral("2.5 GB");
    }
    void writesByteSizesBackExactly()
    {
        QFETCH(qint64, bytes);
        QFETCH(QString, text);
        QCOMPARE(byteSizeText(bytes), text);
        QCOMPARE(parseByteSize(text).value_or(-1), bytes);
    }

    void retentionReadsAndDropsLikeTheServer()
    {
        QCOMPARE(RestorePointRetention::fromJson(QJsonObject{{"keep", 3}, {"maxBytes", 0}}),
                 RestorePointRetention{});
        QCOMPARE(RestorePointRetention::fromJson(QJsonObject{{"keep", 1}, {"maxBytes", 5e9}}),
                 (RestorePointRetention{1, 5000000000}));
        QVERIFY(!RestorePointRetention::fromJson(QJsonObject{{"keep", 3}}));
        QVERIFY(!RestorePointRetention::fromJson(QJsonObject{{"keep", -1}, {"maxBytes", 0}}));
        QVERIFY(!RestorePointRetention::fromJson(QJsonObject{{"keep", 1.5}, {"maxBytes", 0}}));
        QVERIFY(!RestorePointRetention::fromJson(QJsonObject{{"keep", 1}, {"maxBytes", "1G"}}));

        // Oldest first: a, b, c with 100, 200, 300 bytes.
        const QJsonArray points{QJsonObject{{"id", "a"}, {"bytes", 100}},
                                QJsonObject{{"id", "b"}, {"bytes", 200}},
                                QJsonObject{{"id", "c"}, {"bytes", 300}}};
        QCOMPARE(totalBytes(points), 600);
        QCOMPARE(droppedByRetention(points, {}), QStringList());
        QCOMPARE(droppedByRetention(points, {1, 0}), (QStringList{"a", "b"}));
        QCOMPARE(droppedByRetention(points, {0, 0}), (QStringList{"a", "b", "c"}));
        QCOMPARE(droppedByRetention(points, {3, 500}), QStringList{"a"});
        QCOMPARE(droppedByRetention(points, {3, 300}), (QStringList{"a", "b"}));
        QCOMPARE(droppedByRetention(points, {3, 299}), (QStringList{"a", "b", "c"}));
        QCOMPARE(droppedByRetention(points, {3, 600}), QStringList());
    }
};

QTEST_GUILESS_MAIN(TestOps)
#include "tst_ops.moc"
