// LagChart keeps hours of points but its line series hold only the range shown: every point of
// a live window with at most MaxShownPoints, appended as it comes, and a reduced line (each
// bucket's lowest and highest value) beyond. Simulated clock, no servers.
#include "gui/LagChart.h"

#include <QLineSeries>
#include <QStandardPaths>
#include <QTest>

using repl::gui::LagChart;

class TestLagChart : public QObject
{
    Q_OBJECT

private:
    static constexpr qint64 Start = 1'700'000'000'000; // ms since the epoch

    // Point i: a few ticks behind, every 600th a spike of 5000.
    static double ticksAt(int i) { return (i + 1) % 600 == 0 ? 5000 : i % 7; }
    // `seconds` more points, a second apart.
    static void feed(LagChart &chart, qint64 &now, int &n, int seconds)
    {
        for (int i = 0; i < seconds; ++i, ++n) {
            now += 1000;
            chart.append(QStringLiteral("f"), {now, ticksAt(n), ticksAt(n) / 100});
        }
    }
    static double maxY(const QLineSeries *s)
    {
        double top = 0;
        for (const QPointF &p : s->points())
            top = qMax(top, p.y());
        return top;
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void liveWindowHoldsItsPointsOnly()
    {
        LagChart chart;
        chart.resize(800, 500);
        chart.show();
        qint64 now = Start;
        chart.setClock([&now] { return now; });
        chart.setSeries(QStringLiteral("f"), QStringLiteral("follower"));
        chart.setWindowMs(5 * 60'000); // 300 points at 1 s: below MaxShownPoints
        int n = 0;
        feed(chart, now, n, 3600); // an hour at 1 s
        QLineSeries *ticks = chart.ticksSeries(QStringLiteral("f"));
        QTRY_VERIFY(ticks->count() <= LagChart::MaxShownPoints);
        // Every second of the window is there (and one before it, where the line comes in).
        QCOMPARE(ticks->count(), 5 * 60 + 2);
        QVERIFY(ticks->at(0).x() < double(now - chart.windowMs()));
        QCOMPARE(ticks->at(1).x(), double(now - chart.windowMs()));
        QCOMPARE(ticks->at(ticks->count() - 1), QPointF(double(now), ticksAt(n - 1)));
        // A live point shows at once, in both series.
        feed(chart, now, n, 1);
        QCOMPARE(ticks->at(ticks->count() - 1), QPointF(double(now), ticksAt(n - 1)));
        QCOMPARE(chart.secondsSeries(QStringLiteral("f"))->count(), ticks->count());
        // The default window at 1 s has more: reduced, its spike kept.
        chart.setWindowMs(15 * 60'000);
        QVERIFY(ticks->count() <= LagChart::MaxShownPoints + 2);
        QCOMPARE(maxY(ticks), 5000.0);
    }

    void longWindowIsReducedKeepingPeaks()
    {
        LagChart chart;
        chart.resize(800, 500);
        chart.show();
        qint64 now = Start;
        chart.setClock([&now] { return now; });
        chart.setSeries(QStringLiteral("f"), QStringLiteral("follower"));
        int n = 0;
        feed(chart, now, n, 6 * 3600);
        chart.setWindowMs(6 * 60 * 60'000);
        QLineSeries *ticks = chart.ticksSeries(QStringLiteral("f"));
        QVERIFY(ticks->count() <= LagChart::MaxShownPoints + 2);
        QVERIFY(ticks->count() >= LagChart::MaxShownPoints / 2);
        QCOMPARE(maxY(ticks), 5000.0); // a spike of one sample survives the reduction
        int spikes = 0;
        for (const QPointF &p : ticks->points())
            spikes += p.y() == 5000;
        QCOMPARE(spikes, 6 * 3600 / 600);
        // Points in time order, spanning the window.
        for (int i = 1; i < ticks->count(); ++i)
            QVERIFY(ticks->at(i).x() > ticks->at(i - 1).x());
        QVERIFY(ticks->at(0).x() <= double(Start + 60'000));
        QVERIFY(ticks->at(ticks->count() - 1).x() >= double(now - 60'000));
    }

    void zoomShowsEveryPointOfTheRange()
    {
        LagChart chart;
        chart.resize(800, 500);
        chart.show();
        qint64 now = Start;
        chart.setClock([&now] { return now; });
        chart.setSeries(QStringLiteral("f"), QStringLiteral("follower"));
        int n = 0;
        feed(chart, now, n, 3 * 3600);
        // Two minutes, an hour back: outside the live window, from the history kept.
        const qint64 from = now - 3600'000, to = from + 120'000;
        chart.zoomTo(from, to);
        QLineSeries *ticks = chart.ticksSeries(QStringLiteral("f"));
        int inside = 0;
        for (const QPointF &p : ticks->points())
            inside += p.x() >= double(from) && p.x() <= double(to);
        QCOMPARE(inside, 121);
        chart.resetZoom();
        QVERIFY(ticks->count() <= LagChart::MaxShownPoints + 2);
        QVERIFY(ticks->at(ticks->count() - 1).x() >= double(now - 5000));
    }
};

QTEST_MAIN(TestLagChart)
#include "tst_lagchart.moc"
