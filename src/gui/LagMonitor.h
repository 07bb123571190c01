#pragma once

#include "gui/LagReading.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QWidget>

#include <memory>

namespace Ui {
class LagMonitor;
}

namespace repl::gui {

class LagChart;
class LagHistory;

// The selected server as a follower: its leader's tick against what it applied, now (the
// figures and a badge coloured by the thresholds) and over time (the lag itself, in ticks
// and seconds: LagChart), fed by its applier-state as the session polls it. With a history
// store, the chosen window is filled from what the app recorded before (also across
// restarts), and CSV export covers the range shown. A server that follows no leader says so
// instead of showing figures.
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
        double secondsBehind = 0;
    };

    explicit LagMonitor(QWidget *parent = nullptr);
    ~LagMonitor() override;

    // The server the figures are about (its id in the history), from now on.
    void setServer(const QString &serverId, const QString &name, LagHistory *history);
    void clear();
    // The leader's newest tick by its own logger-state (for a stopped applier, whose state no
    // longer hears of it).
    void setLeaderTick(quint64 tick) { m_leaderNow = tick; }
    void addApplierState(const QJsonObject &state,
                         const QDateTime &at = QDateTime::currentDateTimeUtc());
    const QList<Sample> &samples() const { return m_samples; }
    double lagSeconds() const;
    QString csv() const; // this session's samples
    LagChart *chart() const { return m_chart; }
    LagThresholds thresholds() const;

Q_SIGNALS:
    void refreshIntervalChanged(int ms);
    void thresholdsChanged(const repl::gui::LagThresholds &t);

private:
    void updateFigures();
    void loadHistory();
    void exportCsv();

    std::unique_ptr<Ui::LagMonitor> m_ui;
    LagChart *m_chart;
    QList<Sample> m_samples;
    LagClock m_clock;
    QString m_server;
    QString m_name;
    LagHistory *m_history = nullptr;
    quint64 m_generation = 0;
    bool m_follower = false; // the last state was a follower's
    quint64 m_leaderNow = 0;
};

} // namespace repl::gui
