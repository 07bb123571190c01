#pragma once

#include "gui/LagReading.h"

#include <QAbstractTableModel>
#include <QStringList>

#include <array>

class QTimer;

namespace repl::gui {

class FleetWatcher;
class ServerListModel;
struct ServerStatus;

// Every server in the list, one row each, as the FleetWatcher last saw it: its role in the
// topology (who follows whom, matched by endpoint), its kind, its lag in ticks and seconds,
// the last 15 minutes of its lag (a sparkline: SparkRole) and what is wrong with it
// (State: the alarm text, coloured). Rows follow the list's order. Polls change rows many
// times a second with a large fleet: the views hear of them at most every RefreshMs, in one
// ranged dataChanged (data() itself always answers what the watcher knows now). A row's
// texts are worked out once per poll that may have changed them, not for each cell and role
// a repaint asks for.
class FleetModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FleetModel)

public:
    enum Column
    {
        Server = 0,
        Role,
        Kind,
        Follows,
        Applied,
        LeaderTick,
        Lag,
        LagSeconds,
        Trend,
        State,
        ColumnCount
    };
    enum DataRole
    {
        IdRole = Qt::UserRole + 1,
        SparkRole, // Trend: QList<float> ticks behind over the last 15 min, oldest first
        AlarmRole, // State: int(LagThresholds::Level) of the row's worst alarm
    };

    FleetModel(ServerListModel &servers, FleetWatcher &watcher, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

    void setThresholds(const LagThresholds &t);
    // The alarm text of a server ("" none) and its level.
    QString alarm(const QString &id, LagThresholds::Level *level = nullptr) const;
    QString roleOf(const QString &id) const;
    // Counts for a summary line: servers, followers, alarms.
    struct Summary
    {
        int servers = 0, followers = 0, warnings = 0, critical = 0;
    };
    Summary summary() const;

    // How long row changes are gathered before the views hear of them.
    static constexpr int RefreshMs = 250;

private:
    void scheduleRefresh();
    void refreshRows();
    void rebuild();
    void invalidate() { ++m_generation; }

    // What a row shows, as of m_generation.
    struct Row
    {
        quint64 generation = 0; // 0: never worked out
        std::array<QVariant, ColumnCount> display;
        LagThresholds::Level level = LagThresholds::Level::Ok;
        QVariant stateColor;
        QString stateTip;
    };
    const Row *row(int r) const;
    void fill(Row &row, const QString &id, int r) const;

    ServerListModel &m_servers;
    FleetWatcher &m_watcher;
    QStringList m_ids; // rows
    LagThresholds m_thresholds;
    QTimer *m_refresh;         // pending row changes: one dataChanged when it fires
    quint64 m_generation = 1;  // raised by anything that may change what a row shows
    mutable QList<Row> m_rows; // parallel to m_ids
};

} // namespace repl::gui
