#pragma once

#include "gui/LagReading.h"

#include <QHash>
#include <QList>
#include <QWidget>

class QAreaSeries;
class QChart;
class QChartView;
class QComboBox;
class QDateTimeAxis;
class QLabel;
class QLineSeries;
class QPushButton;
class QTimer;
class QValueAxis;

namespace repl::gui {

// The lag itself over time: ticks behind (top) and seconds behind (bottom), one series per
// follower, the warning and critical thresholds drawn as bands in the seconds chart (a band
// turns solid while a follower's latest value lies in it). Hovering a series shows its exact
// values; dragging across either chart zooms both to that time range; a window selector
// (5 min … 24 h) sets how far back the live view reaches. The owner feeds it: history for a
// window (windowChanged asks for it) and live points as they are polled.
class LagChart final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LagChart)

public:
    struct Point
    {
        qint64 timeMs = 0;
        double ticksBehind = 0;
        double secondsBehind = 0;
    };

    explicit LagChart(QWidget *parent = nullptr);
    ~LagChart() override;

    // A series per follower: `key` names it, `label` shows in the legend and tooltips.
    void setSeries(const QString &key, const QString &label);
    void removeSeries(const QString &key);
    QStringList seriesKeys() const { return m_order; }
    void clear();
    void append(const QString &key, const Point &p);
    // Replaces a series' points (history read for the window), oldest first.
    void setPoints(const QString &key, const QList<Point> &points);
    void setThresholds(const LagThresholds &t);

    qint64 windowMs() const { return m_windowMs; }
    void setWindowMs(qint64 ms);
    static QList<qint64> windowChoices(); // 5 min, 15 min, 1 h, 6 h, 24 h

    bool zoomed() const { return m_zoomed; }
    void zoomTo(qint64 fromMs, qint64 toMs);
    void resetZoom();
    // The x range shown, ms since the epoch.
    qint64 shownFromMs() const;
    qint64 shownToMs() const;

    // For tests and the views: the chart's own objects.
    QLineSeries *ticksSeries(const QString &key) const;
    QLineSeries *secondsSeries(const QString &key) const;
    QAreaSeries *band(LagThresholds::Level level) const;
    // The highest band a series' latest point lies in.
    LagThresholds::Level alarmLevel() const { return m_alarm; }
    // "now" for the live window (tests set a simulated clock; 0: the system clock).
    void setClock(std::function<qint64()> nowMs) { m_now = std::move(nowMs); }

    // The most points a line series holds; more are reduced to the lowest and highest value of
    // each of half as many time buckets (a peak or a return to zero is never lost; hovering
    // still finds every sample). The line series hold only the range shown, whatever history
    // the chart keeps. Both bound the GUI thread's time: Qt Charts redoes a series' geometry
    // (the line and a stroked outline for hovering) at each change of it or of the axes, and
    // strokes each segment of a 2 px line when painting (both charts with 3 series of 900
    // points: 14 ms a paint; of 300: 8 ms), so its time follows the points a series holds.
    // The 15-minute window at 1 s shows a bucket per 5 s, a few pixels wide.
    static constexpr qsizetype MaxShownPoints = 400;

Q_SIGNALS:
    // The operator chose another window: the owner loads that much history (setPoints).
    void windowChanged(qint64 ms);

private:
    struct Series
    {
        QString label;
        QLineSeries *ticks = nullptr;
        QLineSeries *seconds = nullptr;
        QList<Point> points; // up to the longest window, oldest first
        // What the line series hold: the points of shownFromMs..shownToMs (and one on either
        // side, so that the line runs to the edges), all of them or reduced. A live series
        // also gets each new point as it comes, whatever shownToMs says.
        qint64 shownFromMs = 0;
        qint64 shownToMs = 0;
        bool shown = false;
        bool live = false;
        bool reduced = false;
    };
    void build(QChart *chart, QDateTimeAxis *&x, QValueAxis *&y, const QString &title);
    void showRange(Series &s, qint64 fromMs, qint64 toMs, bool live);
    void setTop(QValueAxis *y, double top, double &lastTop, double &lastNice);
    void scheduleLayout();
    void layoutAxes();
    void updateBands(qint64 fromMs, qint64 toMs);
    void onRangeChanged(QDateTimeAxis *source);
    void showPoint(const QString &key, const QPointF &point, bool ticks, bool state);
    qint64 now() const;

    QComboBox *m_window = nullptr;
    QPushButton *m_resetZoom = nullptr;
    QLabel *m_hint = nullptr;
    QChartView *m_ticksView = nullptr;
    QChartView *m_secondsView = nullptr;
    QDateTimeAxis *m_ticksX = nullptr;
    QDateTimeAxis *m_secondsX = nullptr;
    QValueAxis *m_ticksY = nullptr;
    QValueAxis *m_secondsY = nullptr;
    QAreaSeries *m_warningBand = nullptr;
    QAreaSeries *m_criticalBand = nullptr;
    QLineSeries *m_bandEdges[4] = {}; // warning lower/upper, critical lower/upper
    QTimer *m_layoutTimer = nullptr;
    QHash<QString, Series> m_series;
    double m_ticksTop = -1, m_ticksNice = -1; // the y ranges last asked for, and got
    double m_secondsTop = -1, m_secondsNice = -1;
    QStringList m_order;
    LagThresholds m_thresholds;
    LagThresholds::Level m_alarm = LagThresholds::Level::Ok;
    qint64 m_windowMs = 15 * 60 * 1000;
    bool m_zoomed = false;
    bool m_syncing = false; // applying one chart's range to the other
    std::function<qint64()> m_now;
};

} // namespace repl::gui
