#pragma once

#include "ops/Metrics.h"

#include <QAbstractTableModel>
#include <QHash>

#include <optional>

namespace repl::gui {

// One scrape of a server's metrics as rows, one per sample: the replication families first
// (arangodb_replication_*, then repldesk_replication_*), the others after them, each in the
// server's order. Samples that only grow (counters, histogram buckets, _sum and _count) get
// their change per second since the previous scrape, which is what an operator watches.
class MetricsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsModel)

public:
    enum Column
    {
        Name = 0, // the sample's name (a histogram's foo_bucket …)
        Labels,
        Value,
        Rate, // change per second since the previous scrape
        ColumnCount
    };
    enum Role
    {
        RawRole = Qt::UserRole, // numbers as doubles (nothing where none), texts as they are
        FilterRole,             // name, labels and family, for the filter
    };
    struct Row
    {
        QString key; // name and labels: the same sample in the next scrape
        QString family;
        QString help;
        ops::MetricType type = ops::MetricType::Untyped;
        QString name;
        QString labels;
        double value = 0;
        bool cumulative = false;
        std::optional<double> rate; // per second, once a previous scrape had the sample
        bool reset = false;         // the value went down: the server started again
    };

    explicit MetricsModel(QObject *parent = nullptr);

    // A new scrape, read `atMs` on a monotonic clock (milliseconds).
    void apply(const ops::Metrics &metrics, qint64 atMs);
    void clear();

    const QList<Row> &rows() const { return m_rows; }
    // The row of the sample called `name` with exactly these labels (as labelText() writes
    // them), -1 when there is none.
    int rowOf(const QString &name, const QString &labels = {}) const;
    // Milliseconds between the last two scrapes (the rates' interval), 0 before a second.
    qint64 intervalMs() const { return m_intervalMs; }
    int familyCount() const { return m_familyCount; }

    // 0 for arangodb_replication_*, 1 for repldesk_replication_*, 2 for the others.
    static int groupOf(const QString &family);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QList<Row> m_rows;
    QHash<QString, double> m_previous; // key → value of the last scrape
    qint64 m_lastAtMs = -1;
    qint64 m_intervalMs = 0;
    int m_familyCount = 0;
};

} // namespace repl::gui
