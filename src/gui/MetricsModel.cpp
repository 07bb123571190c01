#include "gui/MetricsModel.h"

#include <QFont>
#include <QLocale>

#include <algorithm>
#include <cmath>

namespace repl::gui {

namespace {

QString numberText(double v)
{
    if (std::isnan(v))
        return QStringLiteral("NaN");
    if (std::isinf(v))
        return v > 0 ? QStringLiteral("+Inf") : QStringLiteral("-Inf");
    const QLocale locale;
    if (v == std::floor(v) && std::fabs(v) < 1e15)
        return locale.toString(qint64(v));
    return locale.toString(v, 'g', QLocale::FloatingPointShortest);
}

QString rateText(double perSecond)
{
    const QLocale locale;
    if (perSecond == 0)
        return locale.toString(0);
    // Two decimals for small rates, whole numbers once they are large.
    return locale.toString(perSecond, 'f', std::fabs(perSecond) >= 100 ? 0 : 2);
}

} // namespace

MetricsModel::MetricsModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int MetricsModel::groupOf(const QString &family)
{
    if (family.startsWith(u"arangodb_replication_"))
        return 0;
    if (family.startsWith(u"repldesk_replication_"))
        return 1;
    return 2;
}

void MetricsModel::apply(const ops::Metrics &metrics, qint64 atMs)
{
    const qint64 interval = m_lastAtMs >= 0 ? atMs - m_lastAtMs : 0;
    QList<const ops::MetricFamily *> families;
    for (const ops::MetricFamily &f : metrics.families())
        families.append(&f);
    std::stable_sort(families.begin(), families.end(),
                     [](const ops::MetricFamily *a, const ops::MetricFamily *b) {
                         return groupOf(a->name) < groupOf(b->name);
                     });
    QList<Row> rows;
    QHash<QString, double> values;
    for (const ops::MetricFamily *f : std::as_const(families)) {
        for (const ops::MetricSample &s : f->samples) {
            Row r;
            r.family = f->name;
            r.help = f->help;
            r.type = f->type;
            r.name = s.name;
            r.labels = s.labelText();
            r.key = r.name + u'\x1f' + r.labels;
            r.value = s.value;
            r.cumulative = f->isCumulative(s);
            const auto before = m_previous.constFind(r.key);
            if (r.cumulative && interval > 0 && before != m_previous.cend()) {
                if (r.value >= *before)
                    r.rate = (r.value - *before) * 1000.0 / double(interval);
                else
                    r.reset = true;
            }
            values.insert(r.key, r.value);
            rows.append(std::move(r));
        }
    }
    m_previous = std::move(values);
    m_lastAtMs = atMs;
    m_intervalMs = interval;
    m_familyCount = int(families.size());
    const bool sameRows = rows.size() == m_rows.size() &&
                          std::equal(rows.cbegin(), rows.cend(), m_rows.cbegin(),
                                     [](const Row &a, const Row &b) { return a.key == b.key; });
    if (sameRows) {
        m_rows = std::move(rows);
        if (!m_rows.isEmpty()) // one ranged change per scrape
            Q_EMIT dataChanged(index(0, Value), index(int(m_rows.size()) - 1, Rate));
        return;
    }
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

void MetricsModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
    m_previous.clear();
    m_lastAtMs = -1;
    m_intervalMs = 0;
    m_familyCount = 0;
}

int MetricsModel::rowOf(const QString &name, const QString &labels) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].name == name && m_rows[i].labels == labels)
            return i;
    return -1;
}

int MetricsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int MetricsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MetricsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &r = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name:
            return r.name;
        case Labels:
            return r.labels;
        case Value:
            return numberText(r.value);
        case Rate:
            if (r.reset)
                return tr("reset");
            return r.rate ? rateText(*r.rate) : QString();
        }
        break;
    case RawRole:
        switch (index.column()) {
        case Name:
            return r.name;
        case Labels:
            return r.labels;
        case Value:
            return r.value;
        case Rate:
            return r.rate ? QVariant(*r.rate) : QVariant();
        }
        break;
    case FilterRole:
        return r.name + u' ' + r.labels + u' ' + r.family;
    case Qt::ToolTipRole: {
        if (index.column() == Rate && r.reset)
            return tr("The value went down since the previous refresh: the server started "
                      "again, so there is no rate this time.");
        if (index.column() == Rate && r.cumulative && !r.rate)
            return tr("The change per second shows from the next refresh on.");
        const QString head =
            QStringLiteral("%1 (%2)").arg(r.family, ops::Metrics::typeName(r.type));
        return r.help.isEmpty() ? head : head + u'\n' + r.help;
    }
    case Qt::TextAlignmentRole:
        if (index.column() == Value || index.column() == Rate)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case Qt::FontRole:
        if (index.column() == Name && groupOf(r.family) < 2) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        break;
    default:
        break;
    }
    return {};
}

QVariant MetricsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Name:
            return tr("Metric");
        case Labels:
            return tr("Labels");
        case Value:
            return tr("Value");
        case Rate:
            return tr("Per second");
        }
    }
    if (role == Qt::ToolTipRole && section == Rate)
        return tr("How much a counter grew per second between the last two refreshes.");
    return {};
}

} // namespace repl::gui
