// Restore points on real repldesk-servers: a sync keeps what it purges; a restore brings the
// database back to its state before the sync, and a follower of the restored server
// converges (the restore is logged); a restore waits for the applier to be stopped; discard
// and retention (the newest 3 by default) drop kept copies; kept copies never show to
// followers. The retention is read and set through its route and repldeskctl, applied at
// once (keep, then maxBytes), per database, and bad values are refused naming the field.
#include "ReplicationTestKit.h"
#include "support/CtlProcess.h"

#include <QJsonDocument>
#include <QTest>

using namespace repl::test;

class TestRestorePoints : public QObject
{
    Q_OBJECT

    ServerProcess m_leaderProc, m_followerProc, m_downstreamProc;
    std::unique_ptr<HttpClient> m_leader, m_follower, m_downstream;

    QJsonArray points()
    {
        return m_follower->get(QStringLiteral("/_api/replication/restore-points"))
            .json()
            .value(QStringLiteral("restorePoints"))
            .toArray();
    }
    // The restore points' ids and sizes, oldest first, once every size is measured (the
    // server measures a point after its sync answered).
    QList<QPair<QString, qint64>> measuredPoints()
    {
        QList<QPair<QString, qint64>> out;
        const bool measured = QTest::qWaitFor(
            [&] {
                out.clear();
                for (const QJsonValue &p : points()) {
                    const qint64 bytes = qint64(p[QStringLiteral("bytes")].toDouble());
                    if (bytes <= 0)
                        return false;
                    out.append({p[QStringLiteral("id")].toString(), bytes});
                }
                return true;
            },
            10000);
        if (!measured)
            qWarning("restore point sizes not measured within 10 s");
        return measured ? out : QList<QPair<QString, qint64>>{};
    }
    QStringList idsOf(const QList<QPair<QString, qint64>> &list)
    {
        QStringList ids;
        for (const auto &p : list)
            ids.append(p.first);
        return ids;
    }
    void syncOnce(int round)
    {
        write(*m_follower, QStringLiteral("orders"), QStringLiteral("k%1").arg(round), round);
        const HttpReply r =
            m_follower->put(QStringLiteral("/_api/replication/sync"), syncBody(m_leaderProc));
        QVERIFY2(r.status == 200, qPrintable(statusText(r)));
    }
    // repldeskctl against the follower: exit code and stdout + stderr.
    std::pair<int, QByteArray> ctl(const QStringList &args)
    {
        const CtlRun r = runCtlWith(QStringList{"--server", m_followerProc.baseUrl().toString(),
                                                "--password-env", "RD_PW"} +
                                        args,
                                    {{QStringLiteral("RD_PW"), ServerProcess::password()}});
        return {r.exitCode, r.out + r.err};
    }
    QJsonObject retention(const QString &database = {})
    {
        const HttpReply r = m_follower->get(
            dbPrefix(database) + QStringLiteral("/_api/replication/restore-points/retention"));
        return r.status == 200 ? r.json() : QJsonObject{{"status", r.status}};
    }
    static QJsonObject retentionOf(int keep, qint64 maxBytes)
    {
        return {{"keep", keep}, {"maxBytes", double(maxBytes)}};
    }
    void write(HttpClient &h, const QString &collection, const QString &key, int v)
    {
        QVERIFY(h.post(QStringLiteral("/_api/document/") + collection,
                       QJsonObject{{"_key", key}, {"v", v}})
                    .status < 300);
    }

private Q_SLOTS:
    void initTestCase()
    {
        for (ServerProcess *p : {&m_leaderProc, &m_followerProc, &m_downstreamProc})
            QVERIFY2(p->start(), qPrintable(p->errorString()));
        m_leader = std::make_unique<HttpClient>(m_leaderProc.baseUrl());
        m_follower = std::make_unique<HttpClient>(m_followerProc.baseUrl());
        m_downstream = std::make_unique<HttpClient>(m_downstreamProc.baseUrl());
        for (HttpClient *h : {m_leader.get(), m_follower.get()}) {
            QCOMPARE(h->put(QStringLiteral("/_api/replication/logger-start")).status, 200);
            QCOMPARE(
                h->post(QStringLiteral("/_api/collection"), QJsonObject{{"name", "orders"}}).status,
                200);
        }
        for (int i = 0; i < 5; ++i)
            write(*m_leader, QStringLiteral("orders"), QStringLiteral("L%1").arg(i), i);
        for (int i = 0; i < 3; ++i)
            write(*m_follower, QStringLiteral("orders"), QStringLiteral("F%1").arg(i), i);
        QCOMPARE(m_follower
                     ->post(QStringLiteral("/_api/index?collection=orders"),
                            QJsonObject{{"type", "persistent"}, {"fields", QJsonArray{"v"}}})
                     .status,
                 201);
        // A server that follows the follower: it must see what a restore does.
        syncAndStart(*m_downstream, m_followerProc);
    }

    void syncKeepsWhatItPurgesAndRestoreBringsItBack()
    {
        const StateSnapshot before = snapshot(*m_follower);
        QVERIFY2(before.error.isEmpty(), qPrintable(before.error));
        HttpReply r =
            m_follower->put(QStringLiteral("/_api/replication/sync"), syncBody(m_leaderProc));
        QVERIFY2(r.status == 200, qPrintable(statusText(r)));
        QCOMPARE(m_follower->get(QStringLiteral("/_api/collection/orders/count"))
                     .json()
                     .value(QStringLiteral("count"))
                     .toInt(),
                 5);
        const QJsonArray list = points();
        QCOMPARE(list.size(), 1);
        const QJsonObject point = list.first().toObject();
        QCOMPARE(point[QStringLiteral("collections")][0][QStringLiteral("name")].toString(),
                 QStringLiteral("orders"));
        QCOMPARE(point[QStringLiteral("collections")][0][QStringLiteral("count")].toInt(), 3);
        QVERIFY(point.value(QStringLiteral("bytes")).toInt() > 0);
        QVERIFY(point.value(QStringLiteral("leader"))
                    .toString()
                    .contains(QString::number(m_leaderProc.port())));
        QVERIFY(point.value(QStringLiteral("time")).toString().endsWith(u'Z'));
        // The kept copy is the server's own: not in the inventory, not in the list.
        const QByteArray inventory =
            m_follower->get(QStringLiteral("/_api/replication/inventory?includeSystem=true")).body;
        QVERIFY2(!inventory.contains("_rp"), inventory.constData());
        QVERIFY(!m_follower->get(QStringLiteral("/_api/collection")).body.contains("_rp"));

        // Written after the sync; the restore puts the database back as it was before it.
        write(*m_follower, QStringLiteral("orders"), QStringLiteral("after"), 9);
        const QString id = point.value(QStringLiteral("id")).toString();
        r = m_follower->put(QStringLiteral("/_api/replication/restore-points/%1/restore").arg(id));
        QVERIFY2(r.status == 200, qPrintable(statusText(r)));
        const QString d = diff(before, snapshot(*m_follower));
        QVERIFY2(d.isEmpty(), qPrintable(d));
        QCOMPARE(points().size(), 0); // restored: gone from the list
        // The follower's own follower converges: the restore is in the log.
        expectEqual(*m_follower, *m_downstream, "after the restore");
    }

    void restoreWaitsForTheApplierDiscardAndRetention()
    {
        // Four syncs: the newest three points stay.
        for (int round = 0; round < 4; ++round) {
            write(*m_follower, QStringLiteral("orders"), QStringLiteral("r%1").arg(round), round);
            const HttpReply r =
                m_follower->put(QStringLiteral("/_api/replication/sync"), syncBody(m_leaderProc));
            QVERIFY2(r.status == 200, qPrintable(statusText(r)));
        }
        QJsonArray list = points();
        QCOMPARE(list.size(), 3);
        const QString oldest = list.first()[QStringLiteral("id")].toString();

        // Not while the applier writes into the database: 400 with errorNum 1411.
        QCOMPARE(configureApplier(*m_follower, m_leaderProc).status, 200);
        QCOMPARE(m_follower->put(QStringLiteral("/_api/replication/applier-start")).status, 200);
        const HttpReply refused = m_follower->put(
            QStringLiteral("/_api/replication/restore-points/%1/restore").arg(oldest));
        QCOMPARE(refused.status, 400);
        QCOMPARE(refused.json().value(QStringLiteral("errorNum")).toInt(), 1411);
        QCOMPARE(m_follower->put(QStringLiteral("/_api/replication/applier-stop")).status, 200);

        // The same through repldeskctl: listed; a restore wants the database's exact name.
        const auto [listed, listing] = ctl({"--json", "restore-points", "list"});
        QCOMPARE(listed, 0);
        QCOMPARE(QJsonDocument::fromJson(listing)
                     .object()
                     .value(QStringLiteral("restorePoints"))
                     .toArray()
                     .size(),
                 3);
        const auto [refusedCode, refusedText] =
            ctl({"restore-points", "restore", oldest, "--confirm", "_System"});
        QCOMPARE(refusedCode, 1);
        QVERIFY2(refusedText.contains("Not confirmed"), refusedText.constData());
        QCOMPARE(points().size(), 3); // nothing happened

        // Discard: the point and its kept copy go.
        const auto [discarded, discardText] = ctl({"restore-points", "discard", oldest});
        QVERIFY2(discarded == 0, discardText.constData());
        QCOMPARE(points().size(), 2);
        QCOMPARE(
            m_follower->del(QStringLiteral("/_api/replication/restore-points/") + oldest).status,
            404);
        // Gone for good: it cannot be restored any more.
        QCOMPARE(
            m_follower
                ->put(QStringLiteral("/_api/replication/restore-points/%1/restore").arg(oldest))
                .status,
            404);
    }

    // repldeskctl restore-points retention: read, then keep=1 drops all but the newest at
    // once and later syncs keep to it; a size limit drops the oldest until the rest fits.
    void retentionKeepsTheNewestThroughCtl()
    {
        const QString path = QStringLiteral("/_api/replication/restore-points/retention");
        QCOMPARE(retention(), retentionOf(3, 0)); // the default
        auto [shown, shownText] = ctl({"restore-points", "retention"});
        QVERIFY2(shown == 0, shownText.constData());
        QVERIFY2(shownText.contains("keep       3 (the newest restore points)"),
                 shownText.constData());
        QVERIFY2(shownText.contains("max-bytes  0 (no size limit)"), shownText.constData());

        syncOnce(0); // two are left from before: three now
        const auto three = measuredPoints();
        QCOMPARE(three.size(), 3);
        auto [kept, keptText] = ctl({"restore-points", "retention", "--keep", "1"});
        QVERIFY2(kept == 0, keptText.constData());
        QVERIFY2(keptText.contains("kept now   1 restore point,"), keptText.constData());
        QCOMPARE(idsOf(measuredPoints()), QStringList{three.last().first});
        QCOMPARE(retention(), retentionOf(1, 0));
        syncOnce(1); // the new point replaces the one kept
        const auto one = measuredPoints();
        QCOMPARE(one.size(), 1);
        QVERIFY(one.first().first != three.last().first);

        // Per database: another database still has the default.
        QCOMPARE(m_follower->post(QStringLiteral("/_api/database"), QJsonObject{{"name", "other"}})
                     .status,
                 201);
        QCOMPARE(retention(QStringLiteral("other")), retentionOf(3, 0));
        auto [other, otherText] =
            ctl({"--database", "other", "--json", "restore-points", "retention"});
        QVERIFY2(other == 0, otherText.constData());
        QCOMPARE(QJsonDocument::fromJson(otherText).object(), retentionOf(3, 0));

        // Keep 5, four points; a limit of the newest two's size drops the two oldest.
        auto [five, fiveText] = ctl({"--json", "restore-points", "retention", "--keep", "5"});
        QVERIFY2(five == 0, fiveText.constData());
        QCOMPARE(QJsonDocument::fromJson(fiveText).object(), retentionOf(5, 0));
        for (int round = 2; round < 5; ++round)
            syncOnce(round);
        const auto four = measuredPoints();
        QCOMPARE(four.size(), 4);
        const qint64 newestTwo = four[2].second + four[3].second;
        auto [sized, sizedText] =
            ctl({"restore-points", "retention", "--max-bytes", QString::number(newestTwo)});
        QVERIFY2(sized == 0, sizedText.constData());
        QVERIFY2(sizedText.contains("kept now   2 restore points,"), sizedText.constData());
        QCOMPARE(idsOf(measuredPoints()), (QStringList{four[2].first, four[3].first}));
        QCOMPARE(retention(), retentionOf(5, newestTwo));

        // A unit: stored exactly, nothing more dropped.
        auto [unit, unitText] = ctl({"restore-points", "retention", "--max-bytes", "1.5GiB"});
        QVERIFY2(unit == 0, unitText.constData());
        QVERIFY2(unitText.contains("max-bytes  1.5 GiB (1610612736 bytes"), unitText.constData());
        QCOMPARE(retention(), retentionOf(5, 1610612736));
        QCOMPARE(points().size(), 2);

        // Through the route: a limit the newest alone fits in keeps just the newest.
        const HttpReply put = m_follower->put(
            path, QJsonObject{{"maxBytes", double(four[3].second)}}); // keep stays 5
        QVERIFY2(put.status == 200, qPrintable(statusText(put)));
        QCOMPARE(put.json(), retentionOf(5, four[3].second));
        QCOMPARE(idsOf(measuredPoints()), QStringList{four[3].first});
    }

    // Bad values: the route answers 400 naming the field, repldeskctl names the flag and
    // exits 2 without sending anything; the retention stays as it was.
    void badRetentionValuesAreRefused()
    {
        const QString path = QStringLiteral("/_api/replication/restore-points/retention");
        const QJsonObject before = retention();
        QVERIFY(before.contains(QStringLiteral("keep")));
        const QList<QPair<QJsonObject, QString>> bodies{
            {{{"keep", -1}}, QStringLiteral("keep")},
            {{{"keep", 1001}}, QStringLiteral("keep")},
            {{{"keep", 2.5}}, QStringLiteral("keep")},
            {{{"keep", "3"}}, QStringLiteral("keep")},
            {{{"maxBytes", -1}}, QStringLiteral("maxBytes")},
            {{{"maxBytes", "1G"}}, QStringLiteral("maxBytes")},
            {{{"keep", 2}, {"maxBytes", 0.5}}, QStringLiteral("maxBytes")}};
        for (const auto &[body, field] : bodies) {
            const HttpReply r = m_follower->put(path, body);
            const QByteArray what = QJsonDocument(body).toJson(QJsonDocument::Compact);
            QVERIFY2(r.status == 400, what.constData());
            QVERIFY2(r.json().value(QStringLiteral("errorMessage")).toString().contains(field),
                     r.body.constData());
        }
        QCOMPARE(retention(), before);

        const QList<QPair<QStringList, QByteArray>> calls{
            {{"--keep", "1001"}, "--keep"},
            {{"--keep", "-1"}, "--keep"},
            {{"--keep", "many"}, "--keep"},
            {{"--max-bytes", "12Q"}, "--max-bytes"},
            {{"--max-bytes", "-5"}, "--max-bytes"},
            {{"--max-bytes", "1.5"}, "--max-bytes"},
            {{"--keep", "2", "--max-bytes", "2 GB extra"}, "--max-bytes"}};
        for (const auto &[flags, named] : calls) {
            const auto [code, text] = ctl(QStringList{"restore-points", "retention"} + flags);
            QVERIFY2(code == 2, text.constData());
            QVERIFY2(text.contains("repldeskctl: " + named + " needs"), text.constData());
        }
        const auto [listCode, listText] = ctl({"restore-points", "list", "--keep", "2"});
        QCOMPARE(listCode, 2);
        QVERIFY2(listText.contains("--keep goes with 'restore-points retention' only"),
                 listText.constData());
        QCOMPARE(retention(), before);
    }
};

QTEST_GUILESS_MAIN(TestRestorePoints)
#include "tst_restore_points.moc"
