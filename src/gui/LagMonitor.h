#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QWidget>

#include <memory>

namespace Ui {
class LagMonitor;
}
class QChart;
class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace repl::gui {

// Live lastTick (leader) versus lastApplied (follower), fed by the follower's applier-state.
// Lag in ticks, and in seconds = time since the follower last matched the leader's tick;
// warning/critical thresholds colour the status; samples export as CSV.
class LagMonitor final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LagMonitor)

public:
    struct Sample
    {
        QDateTime time;
        quint64 leaderTick = 0;
        quint64 appliedTick = 0;
    };

    explicit LagMonitor(QWidget *parent = nullptr);
    ~LagMonitor() override;

    void clear();
    void addApplierState(const QJsonObject &state,
                         const QDateTime &at = QDateTime::currentDateTimeUtc());
    const QList<Sample> &samples() const { return m_samples; }
    double lagSeconds() const;
    QString csv() const;

Q_SIGNALS:
    void refreshIntervalChanged(int ms);

private:
    void updateFigures();

    std::unique_ptr<Ui::LagMonitor> m_ui;
    QList<Sample> m_samples;
    QDateTime m_lastInSync;
    QLineSeries *m_leader;
    QLineSeries *m_applied;
    QDateTimeAxis *m_x;
    QValueAxis *m_y;
};

} // namespace repl::gui
