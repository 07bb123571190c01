#include "gui/LogEventModel.h"

#include "core/LogEventType.h"

namespace repl::gui {

LogEventModel::LogEventModel(int capacity, QObject *parent)
    : QAbstractTableModel(parent)
    , m_capacity(capacity)
{}

int LogEventModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}
int LogEventModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LogEventModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Tick:
        return tr("Tick");
    case Type:
        return tr("Event");
    case Collection:
        return tr("Collection");
    case Key:
        return tr("Key");
    case Size:
        return tr("Bytes");
    }
    return {};
}

QVariant LogEventModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()))
        return {};
    const LogRow &r = m_rows[size_t(index.row())];
    if (role == TypeRole)
        return r.type;
    if (role == RawRole || role == Qt::DisplayRole) {
        switch (index.column()) {
        case Tick:
            return role == RawRole ? QVariant(r.tick) : QVariant(QString::number(r.tick));
        case Type:
            return role == RawRole ? QVariant(r.type)
                                   : QVariant(QStringLiteral("%1 %2").arg(r.type).arg(
                                         logEventTypeName(r.type)));
        case Collection:
            return r.collection;
        case Key:
            return r.key;
        case Size:
            return r.size;
        }
    }
    if (role == Qt::TextAlignmentRole && (index.column() == Tick || index.column() == Size))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

void LogEventModel::appendBatch(const QList<LogRow> &rows)
{
    if (rows.isEmpty())
        return;
    // Drop the oldest first so the model never exceeds its capacity.
    const int overflow = int(m_rows.size() + size_t(rows.size())) - m_capacity;
    if (overflow > 0) {
        const int drop = qMin(overflow, int(m_rows.size()));
        if (drop > 0) {
            beginRemoveRows({}, 0, drop - 1);
            m_rows.erase(m_rows.begin(), m_rows.begin() + drop);
            endRemoveRows();
        }
    }
    const qsizetype skip = qMax<qsizetype>(0, rows.size() - m_capacity);
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(rows.size() - skip) - 1);
    for (qsizetype i = skip; i < rows.size(); ++i)
        m_rows.push_back(rows[i]);
    endInsertRows();
}

void LogEventModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

void LogEventFilter::setCollection(const QString &text)
{
    m_collection = text;
    invalidateFilter();
}

void LogEventFilter::setFamily(Family f)
{
    m_family = f;
    invalidateFilter();
}

bool LogEventFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex idx =
        sourceModel()->index(sourceRow, LogEventModel::Collection, sourceParent);
    if (!m_collection.isEmpty() &&
        !idx.data().toString().contains(m_collection, Qt::CaseInsensitive))
        return false;
    const int type = idx.data(LogEventModel::TypeRole).toInt();
    switch (m_family) {
    case Family::All:
        return true;
    case Family::Documents:
        return type == 2300 || type == 2301;
    case Family::Removals:
        return type == 2302;
    case Family::Schema:
        return type >= 2000 && type < 2200;
    case Family::Transactions:
        return type >= 2200 && type < 2300;
    case Family::Logger:
        return type == 1000 || type == 1001;
    }
    return true;
}

} // namespace repl::gui
