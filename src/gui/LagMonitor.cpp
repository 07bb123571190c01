#include "gui/LagMonitor.h"

#include "gui/LagChart.h"
#include "gui/LagHistory.h"
#include "ui_LagMonitor.h"

#include <QFile>
#include <QFileDialog>
#include <QMessageBox>

namespace repl::gui {

namespace {
constexpr int MaxSamples = 3600;
const QString Key = QStringLiteral("follower");
} // namespace

LagMonitor::LagMonitor(QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::LagMonitor>())
    , m_chart(new LagChart(this))
{
    m_ui->setupUi(this);
    m_chart->setObjectName(QStringLiteral("lagChart"));
    m_ui->chartHostLayout->addWidget(m_chart);
    const LagThresholds t = LagThresholds::load();
    m_ui->warningSeconds->setValue(t.warningSeconds);
    m_ui->criticalSeconds->setValue(t.criticalSeconds);
    m_chart->setThresholds(t);
    connect(m_ui->refreshSeconds, &QDoubleSpinBox::valueChanged, this,
            [this](double s) { Q_EMIT refreshIntervalChanged(int(s * 1000)); });
    for (QDoubleSpinBox *b : {m_ui->warningSeconds, m_ui->criticalSeconds})
        connect(b, &QDoubleSpinBox::valueChanged, this, [this] {
            const LagThresholds now = thresholds();
            now.save();
            m_chart->setThresholds(now);
            updateFigures();
            Q_EMIT thresholdsChanged(now);
        });
    connect(m_ui->exportCsvButton, &QPushButton::clicked, this, &LagMonitor::exportCsv);
    connect(m_chart, &LagChart::windowChanged, this, &LagMonitor::loadHistory);
    updateFigures();
}

LagMonitor::~LagMonitor() = default;

LagThresholds LagMonitor::thresholds() const
{
    LagThresholds t;
    t.warningSeconds = m_ui->warningSeconds->value();
    t.criticalSeconds = m_ui->criticalSeconds->value();
    return t;
}

void LagMonitor::setServer(const QString &serverId, const QString &name, LagHistory *history)
{
    if (serverId == m_server && history == m_history && !m_samples.isEmpty())
        return; // the same server and database: keep what is shown
    m_server = serverId;
    m_name = name;
    m_history = history;
    clear();
    loadHistory();
}

void LagMonitor::clear()
{
    ++m_generation;
    m_samples.clear();
    m_clock.clear();
    m_leaderNow = 0;
    m_follower = false;
    m_chart->clear();
    m_chart->setSeries(Key, m_name.isEmpty() ? tr("this follower") : m_name);
    updateFigures();
}

// What the app recorded of this server for the chosen window (also before a restart).
void LagMonitor::loadHistory()
{
    if (!m_history || m_server.isEmpty())
        return;
    const quint64 generation = m_generation;
    const qint64 to = QDateTime::currentMSecsSinceEpoch();
    m_history->query({m_server}, to - m_chart->windowMs(), to, 1000, this,
                     [this, generation](const QList<LagSample> &history) {
                         if (generation != m_generation || history.isEmpty())
                             return;
                         // History first, then what this session polled since (the store lags by a
                         // second).
                         QList<LagChart::Point> points;
                         for (const LagSample &s : history)
                             points.append({s.timeMs, double(s.ticksBehind), s.secondsBehind});
                         const qint64 last = points.last().timeMs;
                         for (const Sample &s : std::as_const(m_samples))
                             if (s.time.toMSecsSinceEpoch() > last)
                                 points.append({s.time.toMSecsSinceEpoch(),
                                                double(s.leaderTick - s.appliedTick),
                                                s.secondsBehind});
                         m_chart->setPoints(Key, points);
                     });
}

void LagMonitor::addApplierState(const QJsonObject &state, const QDateTime &at)
{
    ApplierReading r = ApplierReading::fromState(state);
    r.seeLeaderTick(m_leaderNow);
    m_follower = r.valid || r.leaderTick != 0 || r.appliedTick != 0;
    if (!m_follower) {
        updateFigures();
        return;
    }
    const qint64 ms = at.toMSecsSinceEpoch();
    const double seconds = m_clock.secondsBehind(Key, r.ticksBehind(), ms);
    m_samples.append({at, r.leaderTick, r.appliedTick, seconds});
    if (m_samples.size() > MaxSamples)
        m_samples.removeFirst();
    m_chart->append(Key, {ms, double(r.ticksBehind()), seconds});
    updateFigures();
}

double LagMonitor::lagSeconds() const
{
    return m_samples.isEmpty() ? 0 : m_samples.last().secondsBehind;
}

QString LagMonitor::csv() const
{
    QString out = QStringLiteral("time,leader_tick,applied_tick,lag_ticks,lag_seconds\n");
    for (const Sample &s : m_samples)
        out += QStringLiteral("%1,%2,%3,%4,%5\n")
                   .arg(s.time.toString(Qt::ISODateWithMs))
                   .arg(s.leaderTick)
                   .arg(s.appliedTick)
                   .arg(s.leaderTick > s.appliedTick ? s.leaderTick - s.appliedTick : 0)
                   .arg(s.secondsBehind, 0, 'f', 3);
    return out;
}

// The range the chart shows, from the history store (what the app recorded, also before a
// restart); without one, this session's samples.
void LagMonitor::exportCsv()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export lag samples"), QStringLiteral("lag.csv"), tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    if (m_history && !m_server.isEmpty()) {
        m_history->exportCsv(
            path, {m_server}, m_chart->shownFromMs(), m_chart->shownToMs(), this,
            [this, path](const QString &error, qint64 rows) {
                if (!error.isEmpty())
                    QMessageBox::warning(this, tr("Export failed"),
                                         tr("Could not write %1: %2").arg(path, error));
                else
                    m_ui->lagHint->setText(tr("Exported %1 samples to %2.").arg(rows).arg(path));
                m_ui->lagHint->setVisible(!error.isEmpty() || rows >= 0);
            });
        return;
    }
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(csv().toUtf8()) < 0)
        QMessageBox::warning(this, tr("Export failed"),
                             tr("Could not write %1: %2").arg(path, f.errorString()));
}

void LagMonitor::updateFigures()
{
    const auto badge = [this](const QString &color, const QString &label) {
        m_ui->lagStatusValue->setText(label);
        m_ui->lagStatusValue->setStyleSheet(
            QStringLiteral("padding: 3px 8px; border-radius: 4px; background: %1; color: white; "
                           "font-weight: bold;")
                .arg(color));
    };
    if (m_samples.isEmpty()) {
        for (QLabel *l : {m_ui->leaderTickValue, m_ui->lagAppliedValue, m_ui->lagTicksValue,
                          m_ui->lagSecondsValue})
            l->setText(QStringLiteral("—"));
        badge(QStringLiteral("#9e9e9e"), m_follower ? tr("no data") : tr("not a follower"));
        m_ui->lagHint->setText(
            m_follower || m_server.isEmpty()
                ? QString()
                : tr("This server follows no leader: its applier is neither running nor "
                     "configured. Who follows it is in the Followers tab; the whole fleet is "
                     "in the Overview."));
        m_ui->lagHint->setVisible(!m_ui->lagHint->text().isEmpty());
        return;
    }
    m_ui->lagHint->setVisible(false);
    const Sample &last = m_samples.last();
    const quint64 ticks =
        last.leaderTick > last.appliedTick ? last.leaderTick - last.appliedTick : 0;
    const double seconds = lagSeconds();
    m_ui->leaderTickValue->setText(QString::number(last.leaderTick));
    m_ui->lagAppliedValue->setText(QString::number(last.appliedTick));
    m_ui->lagTicksValue->setText(tr("%1 ticks").arg(ticks));
    m_ui->lagSecondsValue->setText(tr("(%1 s behind)").arg(seconds, 0, 'f', 1));
    switch (thresholds().levelOf(seconds)) {
    case LagThresholds::Level::Critical:
        return badge(QStringLiteral("#c62828"), tr("critical"));
    case LagThresholds::Level::Warning:
        return badge(QStringLiteral("#d98c1f"), tr("warning"));
    case LagThresholds::Level::Ok:
        return badge(QStringLiteral("#2e9e4f"), ticks > 0 ? tr("catching up") : tr("in sync"));
    }
}

} // namespace repl::gui
