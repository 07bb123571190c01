#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QSortFilterProxyModel>
#include <QString>

#include <deque>

namespace repl::gui {

// One event of a server's replication log, as the live log shows it.
struct LogRow
{
    quint64 tick = 0;
    int type = 0;
    QString collection;
    QString key;
    int size = 0; // bytes of the line
};

// The live log's events, newest last, bounded (oldest dropped). appendBatch() inserts a whole
// batch with one beginInsertRows, so thousands of events per second stay cheap to show.
class LogEventModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogEventModel)

public:
    enum Column
    {
        Tick = 0,
        Type,
        Collection,
        Key,
        Size,
        ColumnCount
    };
    enum Role
    {
        RawRole = Qt::UserRole + 1,
        TypeRole
    };

    explicit LogEventModel(int capacity = 50000, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

    void appendBatch(const QList<LogRow> &rows);
    void clear();

private:
    int m_capacity;
    std::deque<LogRow> m_rows;
};

// Filters by collection (substring) and by a type family.
class LogEventFilter final : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    enum class Family
    {
        All,
        Documents,
        Removals,
        Schema,
        Transactions,
        Logger
    };
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setCollection(const QString &text);
    void setFamily(Family f);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_collection;
    Family m_family = Family::All;
};

} // namespace repl::gui
