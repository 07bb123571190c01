#pragma once

#include "gui/LagReading.h"

#include <QAbstractTableModel>
#include <QWidget>

class QLabel;
class QTableView;

namespace repl::gui {

class FleetWatcher;
class LagChart;
class LagHistory;
class ServerListModel;

// The followers of one leader: the clients its logger-state lists (serverId, lastServedTick,
// when it last asked) merged with the listed servers whose applier follows it, each with its
// lag in ticks and seconds. A follower that stopped asking is flagged.
class FollowersModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FollowersModel)

public:
    enum Column
    {
        Follower = 0,
        ServerId,
        LastServed,
        Lag,
        LagSeconds,
        LastAsked,
        State,
        ColumnCount
    };
    struct Row
    {
        QString key;      // the listed server's id, or "server:" + its server id
        QString name;     // the list's name, or "server <id>"
        QString serverId; // ArangoDB/ReplDesk server id, where known
        bool listed = false;
        bool fromLogger = false; // the leader's logger-state names it
        quint64 lastServedTick = 0;
        qint64 lastAskedMs = 0;
        double silentSeconds = 0;
        quint64 ticksBehind = 0;
        double secondsBehind = 0;
        QString state;
        LagThresholds::Level level = LagThresholds::Level::Ok;
    };

    FollowersModel(ServerListModel &servers, FleetWatcher &watcher, QObject *parent = nullptr);

    void setLeader(const QString &leaderId);
    QString leader() const { return m_leader; }
    const QList<Row> &rows() const { return m_rows; }
    quint64 leaderTick() const { return m_leaderTick; }
    // Re-reads the watcher's statuses (after a poll of the leader or a follower).
    void refresh();
    void setThresholds(const LagThresholds &t);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

private:
    ServerListModel &m_servers;
    FleetWatcher &m_watcher;
    QString m_leader;
    QList<Row> m_rows;
    quint64 m_leaderTick = 0;
    LagClock m_clock; // for followers known only from the leader's logger-state
    LagThresholds m_thresholds;
};

// The leader's view of all its followers: the table above, and their lag over time (one
// series per follower) below, with history from the local store for the chosen window.
class LeaderView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LeaderView)

public:
    LeaderView(ServerListModel &servers, FleetWatcher &watcher, LagHistory *history,
               QWidget *parent = nullptr);

    void setLeader(const QString &leaderId);
    FollowersModel *model() const { return m_model; }
    LagChart *chart() const { return m_chart; }
    void setThresholds(const LagThresholds &t);

private:
    void polled(const QString &id);
    void loadHistory();

    ServerListModel &m_servers;
    FleetWatcher &m_watcher;
    LagHistory *m_history;
    FollowersModel *m_model;
    QLabel *m_title;
    // The leader's newest tick, apart from the wrapped title and of a fixed size: it changes
    // with every poll, and a label that may change size relayouts the whole window.
    QLabel *m_tick;
    QTableView *m_view;
    LagChart *m_chart;
    quint64 m_generation = 0; // history answers for another leader are dropped
};

} // namespace repl::gui
