// The lag views against real servers: a leader and two followers (repldesk-server processes)
// in the real window, offscreen. The Lag tab's chart holds exactly the ticks and seconds
// behind computed from the states the app polled; the Followers tab lists both followers of
// the leader with their lag; a stopped follower turns the critical band solid and its fleet
// row red; the lag history is read back after the window (the app) is made again.
#include "credentials/CredentialStore.h"
#include "gui/FleetModel.h"
#include "gui/FleetOverview.h"
#include "gui/FleetWatcher.h"
#include "gui/LagChart.h"
#include "gui/LagMonitor.h"
#include "gui/LeaderView.h"
#include "gui/MainWindow.h"
#include "gui/ServerList.h"
#include "gui/ServerSession.h"
#include "support/HttpClient.h"
#include "support/ServerProcess.h"

#include <QAreaSeries>
#include <QDoubleSpinBox>
#include <QFile>
#include <QJsonDocument>
#include <QLineSeries>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using namespace repl;
using gui::LagThresholds;

namespace {
quint64 tickOf(const QJsonObject &o, const char *name)
{
    return o.value(QLatin1String(name)).toString().toULongLong();
}
} // namespace

class TestLagViews : public QObject
{
    Q_OBJECT

private:
    test::ServerProcess m_leader, m_f1, m_f2;
    std::unique_ptr<gui::ServerListModel> m_servers;
    std::unique_ptr<CredentialStore> m_credentials;
    std::unique_ptr<gui::MainWindow> m_window;
    int m_written = 0;

    void follow(test::ServerProcess &follower)
    {
        test::HttpClient f(follower.baseUrl());
        const QJsonObject leader{{"endpoint", m_leader.baseUrl().toString()},
                                 {"username", "root"},
                                 {"password", test::ServerProcess::password()}};
        QCOMPARE(f.put(QStringLiteral("/_api/replication/sync"), leader).status, 200);
        QJsonObject config = leader;
        config.insert(QStringLiteral("idleMinWaitTime"), 0.05);
        config.insert(QStringLiteral("idleMaxWaitTime"), 0.2);
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-config"), config).status, 200);
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-start")).status, 200);
    }
    void write(int n)
    {
        test::HttpClient l(m_leader.baseUrl());
        for (int i = 0; i < n; ++i)
            QCOMPARE(
                l.post(QStringLiteral("/_api/document/c"), QJsonObject{{"n", ++m_written}}).status,
                202);
    }
    void openWindow()
    {
        m_window = std::make_unique<gui::MainWindow>(*m_servers, *m_credentials);
        m_window->resize(1200, 800);
        m_window->show();
        m_window->fleetWatcher()->setIntervalMs(300);
        const auto add = [this](const char *id, const char *name, test::ServerProcess &p) {
            m_window->addRuntimeServer(QLatin1String(id), QLatin1String(name), p.baseUrl(),
                                       p.serverIdFromBanner(), test::ServerProcess::password());
        };
        add("leader", "Leader", m_leader);
        add("f1", "Follower 1", m_f1);
        add("f2", "Follower 2", m_f2);
    }
    QTabWidget *tabs() const { return m_window->findChild<QTabWidget *>(QStringLiteral("tabs")); }
    quint64 leaderLogTick()
    {
        return test::HttpClient(m_leader.baseUrl())
            .get(QStringLiteral("/_api/replication/logger-state"))
            .json()[QStringLiteral("state")]
            .toObject()[QStringLiteral("lastLogTick")]
            .toString()
            .toULongLong();
    }

private Q_SLOTS:
    void initTestCase()
    {
        Q_INIT_RESOURCE(repldesk); // the toolbar's icons, from the static GUI library
        QStandardPaths::setTestModeEnabled(true);
        // A history of an earlier run goes, with its write-ahead log.
        for (const char *suffix : {"", "-wal", "-shm"})
            QFile::remove(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                          QStringLiteral("/lag-history.sqlite") + QLatin1String(suffix));
        QSettings().remove(QStringLiteral("lag"));
        for (test::ServerProcess *p : {&m_leader, &m_f1, &m_f2})
            QVERIFY2(p->start(), qPrintable(p->errorString()));
        test::HttpClient l(m_leader.baseUrl());
        QCOMPARE(l.put(QStringLiteral("/_api/replication/logger-start")).status, 200);
        QCOMPARE(l.post(QStringLiteral("/_api/collection"), QJsonObject{{"name", "c"}}).status,
                 200);
        follow(m_f1);
        follow(m_f2);
        m_servers = std::make_unique<gui::ServerListModel>();
        m_credentials = std::make_unique<CredentialStore>(QStringLiteral("ReplDeskTest"));
        openWindow();
    }

    void leaderViewListsBothFollowersWithTheirLag()
    {
        m_window->selectServer(QStringLiteral("leader"));
        gui::LeaderView *view = m_window->leaderView();
        tabs()->setCurrentWidget(view);
        write(20);
        const quint64 tick = leaderLogTick();
        gui::FollowersModel *m = view->model();
        // Both followers, named as in the list, seen by the leader's log and caught up.
        const auto caughtUp = [&] {
            if (m->rows().size() != 2)
                return false;
            for (const gui::FollowersModel::Row &r : m->rows())
                if (!r.listed || !r.fromLogger || r.lastServedTick < tick || r.ticksBehind != 0)
                    return false;
            return true;
        };
        QTRY_VERIFY_WITH_TIMEOUT(caughtUp(), 20000);
        QStringList names;
        for (int r = 0; r < m->rowCount(); ++r)
            names << m->index(r, gui::FollowersModel::Follower).data().toString();
        names.sort();
        QCOMPARE(names, (QStringList{QStringLiteral("Follower 1"), QStringLiteral("Follower 2")}));
        for (int r = 0; r < m->rowCount(); ++r) {
            QCOMPARE(m->index(r, gui::FollowersModel::Lag).data().toULongLong(), 0ull);
            QCOMPARE(m->index(r, gui::FollowersModel::State).data().toString(),
                     QStringLiteral("in sync"));
        }
        // One series per follower in its chart, the last point its row's lag.
        for (const gui::FollowersModel::Row &r : m->rows()) {
            QLineSeries *ticks = view->chart()->ticksSeries(r.key);
            QVERIFY2(ticks && ticks->count() > 0, qPrintable(r.key));
            QCOMPARE(ticks->at(ticks->count() - 1).y(), double(r.ticksBehind));
        }
    }

    void lagChartHoldsWhatWasPolled()
    {
        // Follower 1 stops applying; the leader goes on: its lag grows in ticks and seconds.
        m_window->selectServer(QStringLiteral("f1"));
        gui::LagMonitor *lag = m_window->lagMonitor();
        tabs()->setCurrentWidget(lag);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_window->currentSession() && m_window->currentSession()->entry().id == u"f1", 5000);
        // What the app polled: the follower's applier-state (the session) and the leader's
        // logger-state (the fleet); the expected values computed from them here.
        struct Expected
        {
            double ticks, seconds;
        };
        QList<Expected> expected;
        qint64 inSyncMs = -1;
        QList<QPointF> seen;
        connect(m_window->currentSession(), &gui::ServerSession::applierStateChanged, this,
                [&](const QJsonObject &state) {
                    QLineSeries *t = lag->chart()->ticksSeries(QStringLiteral("follower"));
                    if (!t || t->count() == 0)
                        return;
                    const QJsonObject s = state[QStringLiteral("state")].toObject();
                    quint64 leader = qMax(tickOf(s, "lastAvailableContinuousTick"),
                                          tickOf(s, "lastAppliedContinuousTick"));
                    if (!s[QStringLiteral("running")].toBool())
                        if (const gui::ServerStatus *l =
                                m_window->fleetWatcher()->status(QStringLiteral("leader")))
                            leader = qMax(leader, l->logger[QStringLiteral("state")]
                                                      .toObject()[QStringLiteral("lastLogTick")]
                                                      .toString()
                                                      .toULongLong());
                    const double ticks = double(leader - tickOf(s, "lastAppliedContinuousTick"));
                    const qint64 at = qint64(t->at(t->count() - 1).x());
                    if (ticks == 0 || inSyncMs < 0)
                        inSyncMs = at;
                    expected.append({ticks, (at - inSyncMs) / 1000.0});
                    seen.append(t->at(t->count() - 1));
                });
        test::HttpClient f(m_f1.baseUrl());
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-stop")).status, 200);
        for (int round = 0; round < 8; ++round) {
            write(5);
            QTest::qWait(400);
        }
        QTRY_VERIFY_WITH_TIMEOUT(!expected.isEmpty() && expected.last().ticks >= 20, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(expected.size() >= 6, 15000);
        // Every polled state is a point of both series, with exactly those values.
        QLineSeries *ticks = lag->chart()->ticksSeries(QStringLiteral("follower"));
        QLineSeries *seconds = lag->chart()->secondsSeries(QStringLiteral("follower"));
        const QList<QPointF> tp = ticks->points();
        const QList<QPointF> sp = seconds->points();
        QCOMPARE(tp.size(), sp.size());
        int matched = 0;
        for (qsizetype i = 0; i < seen.size(); ++i) {
            const qsizetype at = tp.indexOf(seen.at(i));
            QVERIFY2(at >= 0, qPrintable(QString::number(i)));
            QCOMPARE(tp.at(at).y(), expected.at(i).ticks);
            QCOMPARE(sp.at(at).x(), tp.at(at).x());
            QVERIFY2(
                qAbs(sp.at(at).y() - expected.at(i).seconds) < 1e-6,
                qPrintable(
                    QStringLiteral("%1 vs %2").arg(sp.at(at).y()).arg(expected.at(i).seconds)));
            ++matched;
        }
        QVERIFY(matched >= 6);
        QVERIFY(expected.last().seconds > 1.0); // it really was behind for a while
        // The figures above the chart say the same as its last point.
        QCOMPARE(lag->samples().last().leaderTick - lag->samples().last().appliedTick,
                 quint64(tp.last().y()));
        disconnect(m_window->currentSession(), nullptr, this, nullptr);
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-start")).status, 200);
    }

    void stoppedFollowerTurnsItsAlarmOn()
    {
        // Thresholds low enough for a test: warning after 0.5 s, critical after 1 s.
        gui::LagMonitor *lag = m_window->lagMonitor();
        lag->findChild<QDoubleSpinBox *>(QStringLiteral("warningSeconds"))->setValue(0.5);
        lag->findChild<QDoubleSpinBox *>(QStringLiteral("criticalSeconds"))->setValue(1.0);
        m_window->selectServer(QStringLiteral("f2"));
        tabs()->setCurrentWidget(lag);
        gui::LagChart *chart = lag->chart();
        QAreaSeries *critical = chart->band(LagThresholds::Level::Critical);
        QVERIFY(critical);
        QTRY_COMPARE_WITH_TIMEOUT(chart->alarmLevel(), LagThresholds::Level::Ok, 10000);
        const int faint = critical->brush().color().alpha();
        test::HttpClient f(m_f2.baseUrl());
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-stop")).status, 200);
        for (int round = 0; round < 10 && chart->alarmLevel() != LagThresholds::Level::Critical;
             ++round) {
            write(3);
            QTest::qWait(300);
        }
        QTRY_COMPARE_WITH_TIMEOUT(chart->alarmLevel(), LagThresholds::Level::Critical, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(critical->brush().color().alpha() > faint, 2000);
        // The fleet row of the stopped follower says so, in red.
        auto *fleet = m_window->fleetOverview()->view()->model();
        int row = -1;
        for (int r = 0; r < fleet->rowCount(); ++r)
            if (fleet->index(r, 0).data().toString() == u"Follower 2")
                row = r;
        QVERIFY(row >= 0);
        const QModelIndex state = fleet->index(row, gui::FleetModel::State);
        QTRY_VERIFY_WITH_TIMEOUT(state.data().toString().startsWith(u"applier stopped,"), 10000);
        QCOMPARE(state.data(gui::FleetModel::AlarmRole).toInt(),
                 int(LagThresholds::Level::Critical));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->fleetOverview()->summaryText().contains(u"critical: 1"),
                                 5000);
        // For the README: REPLDESK_SCREENSHOTS=DIR saves the Lag tab, the leader's Followers
        // tab and the Overview as they are now (a follower stopped and lagging).
        if (const QString dir = qEnvironmentVariable("REPLDESK_SCREENSHOTS"); !dir.isEmpty()) {
            QTest::qWait(3000); // a few more seconds of lag in the charts
            m_window->grab().save(dir + QStringLiteral("/lag-monitor.png"));
            m_window->selectServer(QStringLiteral("leader"));
            tabs()->setCurrentWidget(m_window->leaderView());
            QTest::qWait(1500);
            m_window->grab().save(dir + QStringLiteral("/followers.png"));
            tabs()->setCurrentIndex(0);
            QTest::qWait(500);
            m_window->grab().save(dir + QStringLiteral("/fleet-overview.png"));
            m_window->selectServer(QStringLiteral("f2"));
        }
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-start")).status, 200);
        QSettings().remove(QStringLiteral("lag"));
    }

    void historyIsReadBackAfterARestart()
    {
        // Samples of Follower 1 were recorded all along; the window goes (its history is
        // written out) and a new one comes, as when the app is started again.
        QTest::qWait(1500);
        const qint64 closedAt = QDateTime::currentMSecsSinceEpoch();
        m_window.reset();
        openWindow();
        m_window->selectServer(QStringLiteral("f1"));
        gui::LagMonitor *lag = m_window->lagMonitor();
        QLineSeries *ticks = nullptr;
        const auto before = [&] {
            ticks = lag->chart()->ticksSeries(QStringLiteral("follower"));
            if (!ticks)
                return 0;
            int n = 0;
            for (const QPointF &p : ticks->points())
                n += p.x() < double(closedAt);
            return n;
        };
        QTRY_VERIFY_WITH_TIMEOUT(before() >= 5, 10000);
        // Among them the lag of the stop above (at least 20 ticks behind), not only zeros.
        double most = 0;
        for (const QPointF &p : ticks->points())
            most = qMax(most, p.y());
        QVERIFY2(most >= 20, qPrintable(QString::number(most)));
    }

    void cleanupTestCase() { m_window.reset(); }
};

QTEST_MAIN(TestLagViews)
#include "tst_lagviews.moc"
