// Restore points on real repldesk-servers: a sync keeps what it purges; a restore brings the
// database back to its state before the sync, and a follower of the restored server
// converges (the restore is logged); a restore waits for the applier to be stopped; discard
// and retention (the newest 3) drop kept copies; kept copies never show to followers.
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
        auto ctl = [this](const QStringList &args) {
            const CtlRun r = runCtlWith(QStringList{"--server", m_followerProc.baseUrl().toString(),
                                                    "--password-env", "RD_PW"} +
                                            args,
                                        {{QStringLiteral("RD_PW"), ServerProcess::password()}});
            return std::pair{r.exitCode, r.out + r.err};
        };
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
};

QTEST_GUILESS_MAIN(TestRestorePoints)
#include "tst_restore_points.moc"
