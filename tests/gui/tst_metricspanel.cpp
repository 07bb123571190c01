// The Metrics panel against real servers, offscreen: a repldesk-server follower applying a
// leader's log (both real processes). The table shows arangodb_replication_tailing_documents_total
// equal to what the follower's applier-state says it applied (totalDocuments), the replication
// families first; after a second refresh the counter's change per second is exactly the
// difference over the time between the two answers. A wrong password (401), ArangoDB with its
// metrics API off (404, the FAKE 3.11.14, which has no such route) and a server without the
// endpoint are each said in one sentence above the table; for the last nothing is asked.
#include "gui/MetricsModel.h"
#include "gui/MetricsPanel.h"
#include "gui/ServerSession.h"
#include "support/FakeArango.h"
#include "support/HttpClient.h"
#include "support/ServerProcess.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

using namespace repl;

namespace {

const QString Documents = QStringLiteral("arangodb_replication_tailing_documents_total");

quint64 tickOf(const QJsonObject &o, const char *name)
{
    return o.value(QLatin1String(name)).toString().toULongLong();
}

gui::ServerEntry entryFor(const QString &id, const QUrl &url)
{
    gui::ServerEntry e;
    e.id = id;
    e.name = id;
    e.endpoint = url.toString();
    return e;
}

} // namespace

class TestMetricsPanel : public QObject
{
    Q_OBJECT

private:
    test::ServerProcess m_leader, m_follower;
    int m_written = 0;

    void write(int n)
    {
        test::HttpClient l(m_leader.baseUrl());
        for (int i = 0; i < n; ++i)
            QCOMPARE(
                l.post(QStringLiteral("/_api/document/c"), QJsonObject{{"n", ++m_written}}).status,
                202);
    }
    // The follower's applier state once it has applied everything the leader logged.
    QJsonObject caughtUp()
    {
        test::HttpClient l(m_leader.baseUrl());
        test::HttpClient f(m_follower.baseUrl());
        const quint64 tick = tickOf(l.get(QStringLiteral("/_api/replication/logger-state"))
                                        .json()[QStringLiteral("state")]
                                        .toObject(),
                                    "lastLogTick");
        QJsonObject state;
        const bool reached = QTest::qWaitFor(
            [&] {
                state = f.get(QStringLiteral("/_api/replication/applier-state"))
                            .json()[QStringLiteral("state")]
                            .toObject();
                return tickOf(state, "lastAppliedContinuousTick") >= tick;
            },
            20000);
        if (!reached)
            qWarning("the follower did not catch up with tick %llu", tick);
        return reached ? state : QJsonObject();
    }
    // Refreshes and waits for the answer; its success.
    static bool refreshed(gui::MetricsPanel &panel)
    {
        QSignalSpy spy(&panel, &gui::MetricsPanel::refreshed);
        panel.refresh(); // a refusal (nothing to ask) answers at once
        if (spy.isEmpty() && !spy.wait(20000))
            return false;
        return spy.first().first().toBool();
    }
    // The row of `name` as the table on screen shows it (through its filter and sort).
    static int viewRowOf(QTableView *view, const QString &name)
    {
        for (int r = 0; r < view->model()->rowCount(); ++r)
            if (view->model()->index(r, gui::MetricsModel::Name).data().toString() == name &&
                view->model()->index(r, gui::MetricsModel::Labels).data().toString().isEmpty())
                return r;
        return -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        Q_INIT_RESOURCE(repldesk); // the panel's icons, from the static GUI library
        QStandardPaths::setTestModeEnabled(true);
        QSettings().remove(QStringLiteral("metrics"));
        for (test::ServerProcess *p : {&m_leader, &m_follower})
            QVERIFY2(p->start(), qPrintable(p->errorString()));
        test::HttpClient l(m_leader.baseUrl());
        QCOMPARE(l.put(QStringLiteral("/_api/replication/logger-start")).status, 200);
        QCOMPARE(l.post(QStringLiteral("/_api/collection"), QJsonObject{{"name", "c"}}).status,
                 200);
        test::HttpClient f(m_follower.baseUrl());
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
    void cleanupTestCase() { QSettings().remove(QStringLiteral("metrics")); }

    void countersAsTheApplierSaysAndTheirRate()
    {
        gui::ServerSession session(entryFor(QStringLiteral("follower"), m_follower.baseUrl()),
                                   test::ServerProcess::password());
        gui::MetricsPanel panel;
        QAbstractItemModelTester tester(panel.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        panel.resize(1000, 600);
        panel.show();
        panel.setIntervalSeconds(3600); // refreshes by hand below
        write(25);
        const QJsonObject before = caughtUp();
        QVERIFY(!before.isEmpty());
        const double applied = before[QStringLiteral("totalDocuments")].toDouble();
        QCOMPARE(applied, 25.0);

        // Shown and active: it reads at once.
        QSignalSpy spy(&panel, &gui::MetricsPanel::refreshed);
        panel.setServer(&session);
        panel.setActive(true);
        QVERIFY(spy.wait(20000));
        QCOMPARE(spy.first().first().toBool(), true);
        QVERIFY2(panel.message().isEmpty(), qPrintable(panel.message()));
        auto *view = panel.findChild<QTableView *>(QStringLiteral("metricsView"));
        QVERIFY(view);
        const int shown = viewRowOf(view, Documents);
        QVERIFY(shown >= 0);
        const QModelIndex value = view->model()->index(shown, gui::MetricsModel::Value);
        QCOMPARE(value.data(gui::MetricsModel::RawRole).toDouble(), applied);
        QCOMPARE(value.data().toString(), QLocale().toString(qint64(applied)));
        QVERIFY(value.data(Qt::ToolTipRole)
                    .toString()
                    .contains(u"Document inserts and replaces applied from a leader's log."));
        QVERIFY(view->model()
                    ->index(shown, gui::MetricsModel::Rate)
                    .data()
                    .toString()
                    .isEmpty()); // one scrape: no rate yet

        // The replication families first, ArangoDB's names before ours, then the rest.
        const QList<gui::MetricsModel::Row> &rows = panel.model()->rows();
        QVERIFY(rows.size() > 20);
        int lastGroup = 0;
        for (const gui::MetricsModel::Row &r : rows) {
            const int group = gui::MetricsModel::groupOf(r.family);
            QVERIFY2(group >= lastGroup, qPrintable(r.name));
            lastGroup = group;
        }
        QCOMPARE(gui::MetricsModel::groupOf(rows.first().family), 0);
        QVERIFY(panel.model()->rowOf(QStringLiteral("repldesk_replication_applier_running"),
                                     QStringLiteral("database=\"_system\"")) >= 0);

        // The filter keeps what names, labels or families match.
        auto *filter = panel.findChild<QLineEdit *>(QStringLiteral("metricsFilter"));
        QTest::keyClicks(filter, QStringLiteral("TAILING_DOCUMENTS"));
        QCOMPARE(view->model()->rowCount(), 1);
        QCOMPARE(view->model()->index(0, gui::MetricsModel::Name).data().toString(), Documents);
        filter->clear();
        QCOMPARE(view->model()->rowCount(), int(rows.size()));

        // 40 more documents applied, a second refresh: the counter grew by 40, and its rate is
        // that over the time between the two answers.
        const double first = panel.model()->rows()[panel.model()->rowOf(Documents)].value;
        write(40);
        const QJsonObject after = caughtUp();
        QCOMPARE(after[QStringLiteral("totalDocuments")].toDouble(), applied + 40);
        QVERIFY(refreshed(panel));
        const gui::MetricsModel::Row &row = panel.model()->rows()[panel.model()->rowOf(Documents)];
        QCOMPARE(row.value, after[QStringLiteral("totalDocuments")].toDouble());
        QCOMPARE(row.value - first, 40.0);
        const qint64 interval = panel.model()->intervalMs();
        QVERIFY(interval > 0);
        QVERIFY(row.rate.has_value());
        QCOMPARE(*row.rate, (row.value - first) * 1000.0 / double(interval));
        QVERIFY(*row.rate > 0);
        const int again = viewRowOf(view, Documents);
        QCOMPARE(
            view->model()->index(again, gui::MetricsModel::Rate).data(gui::MetricsModel::RawRole),
            QVariant(*row.rate));
        QVERIFY(!view->model()->index(again, gui::MetricsModel::Rate).data().toString().isEmpty());
        // A gauge has no rate.
        const int tick = panel.model()->rowOf(QStringLiteral("repldesk_last_tick"));
        QVERIFY(tick >= 0);
        QVERIFY(!panel.model()->rows()[tick].rate);

        // Every N seconds while active, not while inactive.
        panel.setIntervalSeconds(1);
        QSignalSpy timed(&panel, &gui::MetricsPanel::refreshed);
        QTRY_VERIFY_WITH_TIMEOUT(timed.size() >= 2, 10000);
        panel.setActive(false);
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isRefreshing(), 10000);
        const qsizetype counted = timed.size();
        QTest::qWait(2500);
        QCOMPARE(timed.size(), counted);

        // Without a server the table is empty and says so.
        panel.setServer(nullptr);
        QCOMPARE(panel.model()->rowCount(), 0);
        QCOMPARE(panel.findChild<QLabel *>(QStringLiteral("metricsStatus"))->text(),
                 QStringLiteral("No server selected."));
    }

    // The model alone, on texts written here and a clock given: rates of what only grows,
    // none for gauges or quantiles, a restart (a counter going down) is no rate; one ranged
    // change per scrape while the samples stay the same, a reset when they change.
    void modelRatesAndResets()
    {
        gui::MetricsModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const auto scrape = [&](double requests, double gauge, qint64 atMs, bool extra = false) {
            QByteArray text = "# TYPE other_total counter\nother_total 1\n"
                              "# TYPE repldesk_replication_applier_lag_ticks gauge\n"
                              "repldesk_replication_applier_lag_ticks{database=\"db\"} " +
                              QByteArray::number(gauge) +
                              "\n# TYPE arangodb_replication_tailing_requests_total counter\n"
                              "arangodb_replication_tailing_requests_total " +
                              QByteArray::number(requests) +
                              "\n# TYPE t summary\nt{quantile=\"0.5\"} 3\nt_count " +
                              QByteArray::number(requests) + '\n';
            if (extra)
                text += "new_gauge 1\n";
            const std::optional<ops::Metrics> m = ops::Metrics::parse(text);
            QVERIFY(m);
            model.apply(*m, atMs);
        };
        scrape(100, 7, 1000);
        QCOMPARE(model.rowCount(), 5);
        // ArangoDB's replication names, ours, then the rest in the server's order.
        QCOMPARE(model.rows()[0].name,
                 QStringLiteral("arangodb_replication_tailing_requests_total"));
        QCOMPARE(model.rows()[1].name, QStringLiteral("repldesk_replication_applier_lag_ticks"));
        QCOMPARE(model.rows()[2].name, QStringLiteral("other_total"));
        QCOMPARE(model.rows()[3].name, QStringLiteral("t"));
        QCOMPARE(model.familyCount(), 4);
        QCOMPARE(model.intervalMs(), 0);
        QVERIFY(!model.rows()[0].rate);

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        scrape(160, 9, 3000); // two seconds later: 60 more requests
        QCOMPARE(changed.size(), 1);
        QCOMPARE(reset.size(), 0);
        QCOMPARE(model.intervalMs(), 2000);
        QCOMPARE(model.rows()[0].rate.value_or(-1), 30.0);
        QCOMPARE(model.index(0, gui::MetricsModel::Rate).data().toString(),
                 QLocale().toString(30.0, 'f', 2));
        QVERIFY(!model.rows()[1].rate);                    // a gauge
        QCOMPARE(model.rows()[2].rate.value_or(-1), 0.0);  // a counter that stood still
        QVERIFY(!model.rows()[3].rate);                    // a quantile
        QCOMPARE(model.rows()[4].rate.value_or(-1), 30.0); // the summary's _count

        scrape(5, 9, 4000, true); // the server started again; a new family
        QCOMPARE(reset.size(), 1);
        QVERIFY(model.rows()[0].reset);
        QVERIFY(!model.rows()[0].rate);
        QCOMPARE(model.index(0, gui::MetricsModel::Rate).data().toString(),
                 QStringLiteral("reset"));
        QCOMPARE(model.rowOf(QStringLiteral("new_gauge")), 5);
        QCOMPARE(model.rowOf(QStringLiteral("repldesk_replication_applier_lag_ticks"),
                             QStringLiteral("database=\"db\"")),
                 1);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.intervalMs(), 0);
    }

    void wrongPasswordIsSaid()
    {
        gui::ServerSession session(entryFor(QStringLiteral("follower"), m_follower.baseUrl()),
                                   QStringLiteral("not-the-password"));
        // Known to be ReplDesk (probed before the password changed): the metrics call is sent.
        session.ops().setDialect(ops::Dialect::fromVersion(
            QJsonObject{{QStringLiteral("server"), QStringLiteral("repldesk")},
                        {QStringLiteral("version"), QStringLiteral("0.1.0")}}));
        gui::MetricsPanel panel;
        panel.setServer(&session);
        QVERIFY(!refreshed(panel));
        QCOMPARE(panel.message(),
                 QStringLiteral("ReplDesk 0.1.0 asks for a user and password to read its metrics "
                                "(HTTP 401): check the ones given for this server."));
        QCOMPARE(panel.model()->rowCount(), 0);
    }

    void arangoDbWithItsMetricsApiOffIsSaid()
    {
        test::FakeArango fake(test::FakeArangoVersion::V3_11_14);
        QVERIFY(fake.listen());
        gui::ServerSession session(entryFor(QStringLiteral("arango"), QUrl(fake.url())), {});
        gui::MetricsPanel panel;
        panel.setServer(&session);
        QVERIFY(!refreshed(panel)); // probes, then asks /_admin/metrics/v2: 404
        QCOMPARE(panel.message(),
                 QStringLiteral("ArangoDB 3.11.14 answered 404 for /_admin/metrics/v2: its "
                                "metrics API is switched off (started with "
                                "--server.export-metrics-api false)."));
    }

    void serverWithoutMetricsIsNotAsked()
    {
        test::FakeArango fake(test::FakeArangoVersion::V3_11_14);
        QVERIFY(fake.listen());
        gui::ServerSession session(entryFor(QStringLiteral("old"), QUrl(fake.url())), {});
        session.ops().setDialect(ops::Dialect::fromVersion(
            QJsonObject{{QStringLiteral("server"), QStringLiteral("arango")},
                        {QStringLiteral("version"), QStringLiteral("3.7.18")}}));
        gui::MetricsPanel panel;
        panel.setServer(&session);
        QVERIFY(!refreshed(panel));
        QCOMPARE(panel.message(),
                 QStringLiteral("ArangoDB 3.7.18 has no metrics in Prometheus' format: ArangoDB "
                                "serves them at /_admin/metrics/v2 from 3.8 on."));
        for (const test::FakeArango::Recorded &r : fake.requests())
            QVERIFY2(!r.path.contains(u"metrics"), qPrintable(r.path));
    }
};

QTEST_MAIN(TestMetricsPanel)
#include "tst_metricspanel.moc"
