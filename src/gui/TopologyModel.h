#pragma once

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace repl::gui {

// Who follows whom: every known server with its role, the leader it follows (matched by
// endpoint against the server list), its applied tick, the leader's tick and the lag.
class TopologyModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TopologyModel)

public:
    enum Column
    {
        Server = 0,
        Role,
        Follows,
        Applied,
        LeaderTick,
        Lag,
        State,
        ColumnCount
    };

    explicit TopologyModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

    // One server's latest answers (empty objects when it did not answer).
    void update(const QString &id, const QString &name, const QString &endpoint,
                const QJsonObject &applierState, bool reachable);
    void removeMissing(const QStringList &ids);

private:
    struct Row
    {
        QString id, name, endpoint;
        QJsonObject applier;
        bool reachable = false;
    };
    QString leaderNameFor(const QString &endpoint) const;
    QList<Row> m_rows;
};

} // namespace repl::gui
