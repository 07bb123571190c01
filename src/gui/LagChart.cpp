#include "gui/LagChart.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QCursor>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QGraphicsLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPushButton>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>

namespace repl::gui {

namespace {

const QColor Warning(0xd9, 0x8c, 0x1f);
const QColor Critical(0xc6, 0x28, 0x28);

// Distinct on white and for the common colour-vision deficiencies (Okabe–Ito order).
QColor seriesColor(int i)
{
    static const QColor colors[] = {QColor(0x00, 0x72, 0xb2), QColor(0x00, 0x9e, 0x73),
                                    QColor(0xcc, 0x79, 0xa7), QColor(0x56, 0xb4, 0xe9),
                                    QColor(0xe6, 0x9f, 0x00), QColor(0x44, 0x44, 0x44),
                                    QColor(0xd5, 0x5e, 0x00), QColor(0x7a, 0x5c, 0xb8)};
    return colors[i % int(std::size(colors))];
}

QString windowName(qint64 ms)
{
    const qint64 minutes = ms / 60000;
    return minutes < 60 ? LagChart::tr("%1 min").arg(minutes)
                        : LagChart::tr("%1 h").arg(minutes / 60);
}

QColor withAlpha(QColor c, int alpha)
{
    c.setAlpha(alpha);
    return c;
}

} // namespace

LagChart::LagChart(QWidget *parent)
    : QWidget(parent)
    , m_layoutTimer(new QTimer(this))
{
    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Window:"), this));
    m_window = new QComboBox(this);
    m_window->setObjectName(QStringLiteral("lagWindow"));
    for (qint64 ms : windowChoices())
        m_window->addItem(windowName(ms), ms);
    m_window->setCurrentIndex(int(windowChoices().indexOf(m_windowMs)));
    bar->addWidget(m_window);
    m_resetZoom = new QPushButton(tr("Show live"), this);
    m_resetZoom->setObjectName(QStringLiteral("lagResetZoom"));
    m_resetZoom->setToolTip(tr("Leave the zoomed range and follow the newest samples again"));
    m_resetZoom->setEnabled(false);
    bar->addWidget(m_resetZoom);
    m_hint = new QLabel(tr("Drag across a chart to zoom; hover a line for exact values."), this);
    m_hint->setStyleSheet(QStringLiteral("color: palette(mid);"));
    bar->addWidget(m_hint, 1);

    auto *ticksChart = new QChart;
    auto *secondsChart = new QChart;
    build(ticksChart, m_ticksX, m_ticksY, tr("ticks behind"));
    build(secondsChart, m_secondsX, m_secondsY, tr("seconds behind"));
    ticksChart->legend()->setAlignment(Qt::AlignTop);
    secondsChart->legend()->hide();

    // Threshold bands: warning up to critical, critical up to the top of the axis.
    for (QLineSeries *&edge : m_bandEdges)
        edge = new QLineSeries(this);
    m_warningBand = new QAreaSeries(m_bandEdges[1], m_bandEdges[0]);
    m_criticalBand = new QAreaSeries(m_bandEdges[3], m_bandEdges[2]);
    m_warningBand->setName(tr("warning"));
    m_criticalBand->setName(tr("critical"));
    for (QAreaSeries *band : {m_warningBand, m_criticalBand}) {
        band->setPen(Qt::NoPen);
        secondsChart->addSeries(band);
        band->attachAxis(m_secondsX);
        band->attachAxis(m_secondsY);
    }

    m_ticksView = new QChartView(ticksChart, this);
    m_secondsView = new QChartView(secondsChart, this);
    for (QChartView *v : {m_ticksView, m_secondsView}) {
        v->setRenderHint(QPainter::Antialiasing);
        v->setRubberBand(QChartView::HorizontalRubberBand);
        v->setMinimumHeight(140);
    }
    m_ticksView->setObjectName(QStringLiteral("lagTicksChart"));
    m_secondsView->setObjectName(QStringLiteral("lagSecondsChart"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_ticksView, 1);
    layout->addWidget(m_secondsView, 1);

    connect(m_window, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_windowMs = m_window->itemData(i).toLongLong();
        resetZoom();
        Q_EMIT windowChanged(m_windowMs);
    });
    connect(m_resetZoom, &QPushButton::clicked, this, &LagChart::resetZoom);
    connect(m_ticksX, &QDateTimeAxis::rangeChanged, this, [this] { onRangeChanged(m_ticksX); });
    connect(m_secondsX, &QDateTimeAxis::rangeChanged, this, [this] { onRangeChanged(m_secondsX); });
    // Live points arrive one by one: the axes follow at most every 200 ms.
    m_layoutTimer->setSingleShot(true);
    m_layoutTimer->setInterval(200);
    connect(m_layoutTimer, &QTimer::timeout, this, &LagChart::layoutAxes);
    setThresholds(LagThresholds::load());
    layoutAxes();
}

LagChart::~LagChart() = default;

QList<qint64> LagChart::windowChoices()
{
    return {5 * 60'000, 15 * 60'000, 60 * 60'000, 6 * 60 * 60'000, 24 * 60 * 60'000};
}

void LagChart::build(QChart *chart, QDateTimeAxis *&x, QValueAxis *&y, const QString &title)
{
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->layout()->setContentsMargins(0, 0, 0, 0);
    chart->setBackgroundRoundness(0);
    x = new QDateTimeAxis(chart);
    x->setFormat(QStringLiteral("HH:mm:ss"));
    x->setTickCount(7);
    y = new QValueAxis(chart);
    y->setTitleText(title);
    y->setLabelFormat(QStringLiteral("%.0f"));
    y->setMin(0);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
}

qint64 LagChart::now() const
{
    return m_now ? m_now() : QDateTime::currentMSecsSinceEpoch();
}

void LagChart::setSeries(const QString &key, const QString &label)
{
    if (auto it = m_series.find(key); it != m_series.end()) {
        it->label = label;
        it->ticks->setName(label);
        it->seconds->setName(label);
        return;
    }
    Series s;
    s.label = label;
    const QColor color = seriesColor(int(m_order.size()));
    for (QLineSeries **line : {&s.ticks, &s.seconds}) {
        *line = new QLineSeries(this);
        (*line)->setName(label);
        QPen pen(color);
        pen.setWidthF(2);
        (*line)->setPen(pen);
        (*line)->setPointsVisible(false);
    }
    s.ticks->setObjectName(QStringLiteral("ticks:") + key);
    s.seconds->setObjectName(QStringLiteral("seconds:") + key);
    m_ticksView->chart()->addSeries(s.ticks);
    s.ticks->attachAxis(m_ticksX);
    s.ticks->attachAxis(m_ticksY);
    m_secondsView->chart()->addSeries(s.seconds);
    s.seconds->attachAxis(m_secondsX);
    s.seconds->attachAxis(m_secondsY);
    connect(s.ticks, &QLineSeries::hovered, this,
            [this, key](const QPointF &p, bool state) { showPoint(key, p, true, state); });
    connect(s.seconds, &QLineSeries::hovered, this,
            [this, key](const QPointF &p, bool state) { showPoint(key, p, false, state); });
    // Empty, it shows the range as it is, and takes live points from now on.
    s.shown = true;
    s.live = !m_zoomed;
    s.shownFromMs = m_zoomed ? shownFromMs() : now() - m_windowMs;
    s.shownToMs = m_zoomed ? shownToMs() : now();
    m_series.insert(key, s);
    m_order.append(key);
    scheduleLayout();
}

void LagChart::removeSeries(const QString &key)
{
    const auto it = m_series.find(key);
    if (it == m_series.end())
        return;
    m_ticksView->chart()->removeSeries(it->ticks);
    m_secondsView->chart()->removeSeries(it->seconds);
    delete it->ticks;
    delete it->seconds;
    m_series.erase(it);
    m_order.removeAll(key);
    scheduleLayout();
}

void LagChart::clear()
{
    for (const QString &key : QStringList(m_order))
        removeSeries(key);
    m_alarm = LagThresholds::Level::Ok;
    layoutAxes();
}

void LagChart::append(const QString &key, const Point &p)
{
    auto it = m_series.find(key);
    if (it == m_series.end())
        return;
    it->points.append(p);
    // What lies before the longest window is of no use to any view.
    const qint64 keep = p.timeMs - windowChoices().last();
    qsizetype drop = 0;
    while (drop < it->points.size() && it->points.at(drop).timeMs < keep)
        ++drop;
    if (drop > 0)
        it->points.remove(0, drop);
    // The live view shows the newest point at once; the layout trims what left the window.
    // Grown past twice the most it holds (no layout trimmed it), a series stops taking points
    // and is shown afresh later.
    if (it->live && it->ticks->count() >= 2 * MaxShownPoints)
        it->live = it->shown = false;
    if (it->live) {
        it->ticks->append(double(p.timeMs), p.ticksBehind);
        it->seconds->append(double(p.timeMs), p.secondsBehind);
    }
    scheduleLayout();
}

void LagChart::showRange(Series &s, qint64 fromMs, qint64 toMs, bool live)
{
    const auto before = [](const Point &p, qint64 t) { return p.timeMs < t; };
    auto first = std::lower_bound(s.points.cbegin(), s.points.cend(), fromMs, before);
    if (first != s.points.cbegin())
        --first;
    auto last = std::lower_bound(first, s.points.cend(), toMs + 1, before);
    if (last != s.points.cend())
        ++last;
    const qsizetype n = last - first;
    s.reduced = n > MaxShownPoints;
    const auto line = [&](double Point::*value) {
        QList<QPointF> out;
        out.reserve(std::min(n, MaxShownPoints));
        if (!s.reduced) {
            for (auto p = first; p != last; ++p)
                out.append({double(p->timeMs), (*p).*value});
            return out;
        }
        // Each time bucket's lowest and highest value, in their order. Buckets are whole
        // seconds from the epoch, so that they stay put while the live window slides.
        const qint64 span = (last - 1)->timeMs - first->timeMs + 1;
        qint64 width = (span + MaxShownPoints / 2 - 1) / (MaxShownPoints / 2);
        if (width >= 1000)
            width = (width + 999) / 1000 * 1000;
        for (auto p = first; p != last;) {
            const qint64 bucket = p->timeMs / width;
            auto lo = p, hi = p;
            for (++p; p != last && p->timeMs / width == bucket; ++p) {
                if ((*p).*value < (*lo).*value)
                    lo = p;
                if ((*p).*value > (*hi).*value)
                    hi = p;
            }
            const auto a = std::min(lo, hi), b = std::max(lo, hi);
            out.append({double(a->timeMs), (*a).*value});
            if (b != a)
                out.append({double(b->timeMs), (*b).*value});
        }
        return out;
    };
    s.ticks->replace(line(&Point::ticksBehind));
    s.seconds->replace(line(&Point::secondsBehind));
    s.shownFromMs = fromMs;
    s.shownToMs = toMs;
    s.shown = true;
    s.live = live;
}

void LagChart::setPoints(const QString &key, const QList<Point> &points)
{
    auto it = m_series.find(key);
    if (it == m_series.end())
        return;
    it->points = points;
    it->shown = false; // the layout shows the range
    layoutAxes();
}

void LagChart::setThresholds(const LagThresholds &t)
{
    m_thresholds = t;
    layoutAxes();
}

void LagChart::setWindowMs(qint64 ms)
{
    const int i = m_window->findData(ms);
    if (i >= 0 && i != m_window->currentIndex())
        m_window->setCurrentIndex(i); // emits windowChanged
}

void LagChart::zoomTo(qint64 fromMs, qint64 toMs)
{
    if (toMs <= fromMs)
        return;
    m_zoomed = true;
    m_resetZoom->setEnabled(true);
    m_ticksX->setRange(QDateTime::fromMSecsSinceEpoch(fromMs),
                       QDateTime::fromMSecsSinceEpoch(toMs));
    layoutAxes();
}

void LagChart::resetZoom()
{
    m_zoomed = false;
    m_resetZoom->setEnabled(false);
    layoutAxes();
}

qint64 LagChart::shownFromMs() const
{
    return m_ticksX->min().toMSecsSinceEpoch();
}

qint64 LagChart::shownToMs() const
{
    return m_ticksX->max().toMSecsSinceEpoch();
}

QLineSeries *LagChart::ticksSeries(const QString &key) const
{
    return m_series.contains(key) ? m_series.value(key).ticks : nullptr;
}

QLineSeries *LagChart::secondsSeries(const QString &key) const
{
    return m_series.contains(key) ? m_series.value(key).seconds : nullptr;
}

QAreaSeries *LagChart::band(LagThresholds::Level level) const
{
    return level == LagThresholds::Level::Critical  ? m_criticalBand
           : level == LagThresholds::Level::Warning ? m_warningBand
                                                    : nullptr;
}

void LagChart::scheduleLayout()
{
    // Hidden (another tab) too: the layout (the series' geometry and the axis labels, a few ms)
    // is spread over the polls, so that showing the chart is a paint and not the whole of it
    // at once, while the operator waits.
    if (!m_layoutTimer->isActive())
        m_layoutTimer->start();
}

// The x range (the live window, or the zoomed range), the y ranges from what is visible,
// and the bands across.
void LagChart::layoutAxes()
{
    m_layoutTimer->stop();
    qint64 to = now();
    qint64 from = to - m_windowMs;
    // Less history than the window: the chart spans what there is (at least a minute) and
    // grows to the window, rather than squeezing a fresh series against its right edge.
    qint64 earliest = to;
    for (const Series &s : std::as_const(m_series))
        if (!s.points.isEmpty())
            earliest = qMin(earliest, s.points.first().timeMs);
    from = qMax(from, qMin(earliest, to - 60'000));
    if (m_zoomed) {
        from = shownFromMs();
        to = shownToMs();
    }
    double maxTicks = 0;
    double maxSeconds = 0;
    m_alarm = LagThresholds::Level::Ok;
    for (const Series &s : std::as_const(m_series)) {
        for (const Point &p : s.points) {
            if (p.timeMs < from || p.timeMs > to)
                continue;
            maxTicks = qMax(maxTicks, p.ticksBehind);
            maxSeconds = qMax(maxSeconds, p.secondsBehind);
        }
        if (!s.points.isEmpty())
            m_alarm = qMax(m_alarm, m_thresholds.levelOf(s.points.last().secondsBehind));
    }
    // Each change of a series' points or of the axes redoes its geometry: a series shown
    // afresh is emptied before the axes move and filled after, so that it is laid out once.
    QList<Series *> refill;
    for (Series &s : m_series) {
        if (!s.shown || s.reduced || m_zoomed || !s.live || from < s.shownFromMs) {
            if (!s.shown || !m_zoomed || s.live || s.shownFromMs != from || s.shownToMs != to) {
                s.ticks->clear();
                s.seconds->clear();
                refill.append(&s);
            }
            continue;
        }
        // Live: what left the window goes once a tenth of the most a series holds has (until
        // then it is drawn off the edge).
        const int n = s.ticks->count();
        int gone = 0;
        while (gone + 1 < n && s.ticks->at(gone + 1).x() < double(from))
            ++gone;
        if (n - gone > MaxShownPoints) {
            s.ticks->clear();
            s.seconds->clear();
            refill.append(&s);
        } else if (gone >= MaxShownPoints / 10 || n > MaxShownPoints) {
            s.ticks->removePoints(0, gone);
            s.seconds->removePoints(0, gone);
            s.shownFromMs = from;
        }
    }
    m_syncing = true;
    const QString format = m_windowMs > 60 * 60'000 && !m_zoomed ? QStringLiteral("HH:mm")
                                                                 : QStringLiteral("HH:mm:ss");
    for (QDateTimeAxis *x : {m_ticksX, m_secondsX}) {
        x->setFormat(format);
        x->setRange(QDateTime::fromMSecsSinceEpoch(from), QDateTime::fromMSecsSinceEpoch(to));
    }
    m_syncing = false;
    setTop(m_ticksY, qMax(10.0, maxTicks * 1.1), m_ticksTop, m_ticksNice);
    setTop(m_secondsY, qMax(m_thresholds.criticalSeconds * 1.25, maxSeconds * 1.1), m_secondsTop,
           m_secondsNice);
    for (Series *s : std::as_const(refill))
        showRange(*s, from, to, !m_zoomed);
    updateBands(from, to);
    // New axis labels (their widths) change the charts' layout: done now, before the scenes
    // paint, not as a layout request after a first paint that it makes useless.
    for (QChartView *v : {m_ticksView, m_secondsView})
        v->chart()->layout()->activate();
}

// 0..top in nice numbers, unless that is what the axis shows already (each change of a range
// redoes every series' geometry).
void LagChart::setTop(QValueAxis *y, double top, double &lastTop, double &lastNice)
{
    if (top == lastTop && y->min() == 0 && y->max() == lastNice)
        return;
    y->setRange(0, top);
    y->applyNiceNumbers();
    lastTop = top;
    lastNice = y->max();
}

void LagChart::updateBands(qint64 fromMs, qint64 toMs)
{
    const double top = m_secondsY->max();
    const double warn = qMin(m_thresholds.warningSeconds, top);
    const double crit = qMin(m_thresholds.criticalSeconds, top);
    const auto span = [&](QLineSeries *edge, double y) {
        edge->replace({QPointF(double(fromMs), y), QPointF(double(toMs), y)});
    };
    span(m_bandEdges[0], warn);
    span(m_bandEdges[1], crit);
    span(m_bandEdges[2], crit);
    span(m_bandEdges[3], top);
    // Faint while nothing is in it; solid while a follower's latest value is.
    using Level = LagThresholds::Level;
    m_warningBand->setBrush(withAlpha(Warning, m_alarm == Level::Warning ? 110 : 35));
    m_criticalBand->setBrush(withAlpha(Critical, m_alarm == Level::Critical ? 110 : 35));
}

void LagChart::onRangeChanged(QDateTimeAxis *source)
{
    if (m_syncing)
        return;
    // The operator dragged across one chart (or zoomed out with the right button): both
    // show that range and stop following the newest samples.
    m_syncing = true;
    QDateTimeAxis *other = source == m_ticksX ? m_secondsX : m_ticksX;
    other->setRange(source->min(), source->max());
    m_syncing = false;
    m_zoomed = true;
    m_resetZoom->setEnabled(true);
    const qint64 from = source->min().toMSecsSinceEpoch();
    const qint64 to = source->max().toMSecsSinceEpoch();
    if (source != m_ticksX) {
        m_syncing = true;
        m_ticksX->setRange(source->min(), source->max());
        m_syncing = false;
    }
    for (Series &s : m_series) // every point of that range, from the history kept
        showRange(s, from, to, false);
    updateBands(from, to);
}

void LagChart::showPoint(const QString &key, const QPointF &point, bool ticks, bool state)
{
    if (!state) {
        QToolTip::hideText();
        return;
    }
    const auto it = m_series.constFind(key);
    if (it == m_series.constEnd() || it->points.isEmpty())
        return;
    // The sample nearest the pointer, with both of its values.
    const qint64 at = qint64(point.x());
    const auto nearest = std::min_element(
        it->points.cbegin(), it->points.cend(),
        [at](const Point &a, const Point &b) { return qAbs(a.timeMs - at) < qAbs(b.timeMs - at); });
    QToolTip::showText(
        QCursor::pos(),
        tr("<b>%1</b><br>%2<br>%3 ticks behind<br>%4 s behind")
            .arg(it->label.toHtmlEscaped(),
                 QDateTime::fromMSecsSinceEpoch(nearest->timeMs).toString(Qt::ISODate))
            .arg(qint64(nearest->ticksBehind))
            .arg(nearest->secondsBehind, 0, 'f', 1),
        ticks ? m_ticksView : m_secondsView);
}

} // namespace repl::gui
