#include "gui/LagMonitor.h"

#include "ui_LagMonitor.h"

#include <QChartView>
#include <QDateTimeAxis>
#include <QFile>
#include <QFileDialog>
#include <QLineSeries>
#include <QMessageBox>
#include <QValueAxis>

namespace repl::gui {

namespace {
constexpr int MaxSamples = 3600;
constexpr int WindowSeconds = 120;
} // namespace

LagMonitor::LagMonitor(QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::LagMonitor>())
    , m_leader(new QLineSeries)
    , m_applied(new QLineSeries)
    , m_x(new QDateTimeAxis)
    , m_y(new QValueAxis)
{
    m_ui->setupUi(this);
    auto *chart = new QChart;
    m_leader->setName(tr("leader lastTick"));
    m_applied->setName(tr("follower lastApplied"));
    QPen leaderPen(QColor(0x1f, 0x6f, 0xd1));
    leaderPen.setWidthF(2.0);
    m_leader->setPen(leaderPen);
    QPen appliedPen(QColor(0x2e, 0x9e, 0x4f));
    appliedPen.setWidthF(2.0);
    appliedPen.setStyle(Qt::DashLine);
    m_applied->setPen(appliedPen);
    chart->addSeries(m_leader);
    chart->addSeries(m_applied);
    m_x->setFormat(QStringLiteral("HH:mm:ss"));
    m_x->setTitleText(tr("time"));
    m_y->setLabelFormat(QStringLiteral("%d"));
    m_y->setTitleText(tr("tick"));
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    for (QLineSeries *s : {m_leader, m_applied}) {
        s->attachAxis(m_x);
        s->attachAxis(m_y);
    }
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    auto *view = new QChartView(chart, m_ui->chartHost);
    view->setObjectName(QStringLiteral("lagChart"));
    view->setRenderHint(QPainter::Antialiasing);
    m_ui->chartHostLayout->addWidget(view);

    connect(m_ui->refreshSeconds, &QDoubleSpinBox::valueChanged, this,
            [this](double s) { Q_EMIT refreshIntervalChanged(int(s * 1000)); });
    for (QDoubleSpinBox *b : {m_ui->warningSeconds, m_ui->criticalSeconds})
        connect(b, &QDoubleSpinBox::valueChanged, this, &LagMonitor::updateFigures);
    connect(m_ui->exportCsvButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export lag samples"), QStringLiteral("lag.csv"), tr("CSV files (*.csv)"));
        if (path.isEmpty())
            return;
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(csv().toUtf8()) < 0)
            QMessageBox::warning(this, tr("Export failed"),
                                 tr("Could not write %1: %2").arg(path, f.errorString()));
    });
    updateFigures();
}

LagMonitor::~LagMonitor() = default;

void LagMonitor::clear()
{
    m_samples.clear();
    m_lastInSync = QDateTime();
    m_leader->clear();
    m_applied->clear();
    updateFigures();
}

void LagMonitor::addApplierState(const QJsonObject &state, const QDateTime &at)
{
    const QJsonObject s = state.value(QStringLiteral("state")).toObject();
    const quint64 leader =
        s.value(QStringLiteral("lastAvailableContinuousTick")).toString().toULongLong();
    const quint64 applied =
        s.value(QStringLiteral("lastAppliedContinuousTick")).toString().toULongLong();
    if (leader == 0 && applied == 0)
        return;
    m_samples.append({at, qMax(leader, applied), applied});
    if (m_samples.size() > MaxSamples)
        m_samples.removeFirst();
    if (applied >= leader)
        m_lastInSync = at;
    const qint64 ms = at.toMSecsSinceEpoch();
    m_leader->append(double(ms), double(qMax(leader, applied)));
    m_applied->append(double(ms), double(applied));
    // Keep the visible window; the samples keep the longer history for CSV.
    while (m_leader->count() > 0 && m_leader->at(0).x() < double(ms - WindowSeconds * 1000)) {
        m_leader->remove(0);
        m_applied->remove(0);
    }
    m_x->setRange(QDateTime::fromMSecsSinceEpoch(qint64(m_leader->at(0).x()), Qt::UTC),
                  QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).addSecs(1));
    double lo = m_applied->at(0).y();
    double hi = m_leader->at(m_leader->count() - 1).y();
    if (hi - lo < 10)
        hi = lo + 10;
    m_y->setRange(lo, hi + (hi - lo) * 0.05);
    updateFigures();
}

double LagMonitor::lagSeconds() const
{
    if (m_samples.isEmpty())
        return 0;
    const Sample &last = m_samples.last();
    if (last.appliedTick >= last.leaderTick)
        return 0;
    const QDateTime since = m_lastInSync.isValid() ? m_lastInSync : m_samples.first().time;
    return since.msecsTo(last.time) / 1000.0;
}

QString LagMonitor::csv() const
{
    QString out = QStringLiteral("time,leader_tick,applied_tick,lag_ticks\n");
    for (const Sample &s : m_samples)
        out += QStringLiteral("%1,%2,%3,%4\n")
                   .arg(s.time.toString(Qt::ISODateWithMs))
                   .arg(s.leaderTick)
                   .arg(s.appliedTick)
                   .arg(s.leaderTick > s.appliedTick ? s.leaderTick - s.appliedTick : 0);
    return out;
}

void LagMonitor::updateFigures()
{
    if (m_samples.isEmpty()) {
        m_ui->lagStatusValue->setText(tr("no data"));
        m_ui->lagStatusValue->setStyleSheet(QStringLiteral(
            "padding: 3px 8px; border-radius: 4px; background: #9e9e9e; color: white;"));
        return;
    }
    const Sample &last = m_samples.last();
    const quint64 ticks =
        last.leaderTick > last.appliedTick ? last.leaderTick - last.appliedTick : 0;
    const double seconds = lagSeconds();
    m_ui->leaderTickValue->setText(QString::number(last.leaderTick));
    m_ui->lagAppliedValue->setText(QString::number(last.appliedTick));
    m_ui->lagTicksValue->setText(tr("%n tick(s)", nullptr, int(qMin<quint64>(ticks, 2000000000))));
    m_ui->lagSecondsValue->setText(tr("(%1 s behind)").arg(seconds, 0, 'f', 1));
    QString color = QStringLiteral("#2e9e4f");
    QString label = tr("in sync");
    if (seconds >= m_ui->criticalSeconds->value()) {
        color = QStringLiteral("#c62828");
        label = tr("critical");
    } else if (seconds >= m_ui->warningSeconds->value()) {
        color = QStringLiteral("#d98c1f");
        label = tr("warning");
    } else if (ticks > 0) {
        label = tr("catching up");
    }
    m_ui->lagStatusValue->setText(label);
    m_ui->lagStatusValue->setStyleSheet(
        QStringLiteral("padding: 3px 8px; border-radius: 4px; background: %1; color: white; "
                       "font-weight: bold;")
            .arg(color));
}

} // namespace repl::gui
