#include "gui/FleetModel.h"

#include "gui/FleetWatcher.h"
#include "gui/ServerList.h"

#include <QColor>
#include <QTimer>

namespace repl::gui {

namespace {
const QColor Red(0xc6, 0x28, 0x28);
const QColor Amber(0xb2, 0x6a, 0x00);
const QColor Green(0x2e, 0x7d, 0x32);
const QColor Grey(0x75, 0x75, 0x75);
} // namespace

FleetModel::FleetModel(ServerListModel &servers, FleetWatcher &watcher, QObject *parent)
    : QAbstractTableModel(parent)
    , m_servers(servers)
    , m_watcher(watcher)
    , m_thresholds(LagThresholds::load())
    , m_refresh(new QTimer(this))
{
    m_refresh->setSingleShot(true);
    m_refresh->setInterval(RefreshMs);
    connect(m_refresh, &QTimer::timeout, this, &FleetModel::refreshRows);
    rebuild();
    connect(&m_watcher, &FleetWatcher::polled, this, &FleetModel::scheduleRefresh);
    connect(&m_watcher, &FleetWatcher::serversChanged, this, &FleetModel::rebuild);
    connect(&m_servers, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &, const QModelIndex &, const QList<int> &roles) {
                // Names and endpoints show here; the list's state dots do not.
                if (roles.isEmpty() || roles.contains(Qt::DisplayRole) ||
                    roles.contains(ServerListModel::EndpointRole))
                    scheduleRefresh();
            });
}

void FleetModel::rebuild()
{
    m_refresh->stop();
    beginResetModel();
    m_ids.clear();
    for (const ServerEntry &e : m_servers.entries())
        m_ids << e.id;
    endResetModel();
}

void FleetModel::scheduleRefresh()
{
    if (!m_refresh->isActive())
        m_refresh->start();
}

// Every row at once: a poll of one server can change others too (a new follower makes its
// leader one), and a view repaints what it shows of a range in one go.
void FleetModel::refreshRows()
{
    if (m_ids != m_watcher.ids())
        return rebuild();
    if (!m_ids.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_ids.size()) - 1, ColumnCount - 1));
}

void FleetModel::setThresholds(const LagThresholds &t)
{
    m_thresholds = t;
    if (!m_ids.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_ids.size()) - 1, ColumnCount - 1));
}

int FleetModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_ids.size());
}

int FleetModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FleetModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole && section == Trend)
        return tr("Ticks behind over the last 15 minutes");
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Server:
        return tr("Server");
    case Role:
        return tr("Role");
    case Kind:
        return tr("Kind");
    case Follows:
        return tr("Follows");
    case Applied:
        return tr("Applied tick");
    case LeaderTick:
        return tr("Leader tick");
    case Lag:
        return tr("Lag (ticks)");
    case LagSeconds:
        return tr("Lag (s)");
    case Trend:
        return tr("Last 15 min");
    case State:
        return tr("State");
    }
    return {};
}

QString FleetModel::roleOf(const QString &id) const
{
    const ServerStatus *s = m_watcher.status(id);
    if (!s || !s->dialect.isKnown())
        return {};
    if (s->dialect.isCouchApi())
        return tr("CouchDB protocol");
    const bool leader = !m_watcher.followersOf(id).isEmpty() || !s->loggerReading.clients.isEmpty();
    if (!s->dialect.has(ops::Feature::Applier))
        return leader ? tr("leader (cannot follow)") : tr("standalone (cannot follow)");
    const bool follower = s->reading.valid;
    return follower && leader ? tr("leader and follower")
           : follower         ? tr("follower")
           : leader           ? tr("leader")
                              : tr("standalone");
}

QString FleetModel::alarm(const QString &id, LagThresholds::Level *level) const
{
    using Level = LagThresholds::Level;
    const auto say = [level](Level l, const QString &text) {
        if (level)
            *level = l;
        return text;
    };
    const ServerStatus *s = m_watcher.status(id);
    if (!s || (s->polledAtMs == 0 && !s->noPassword))
        return say(Level::Ok, tr("checking…"));
    if (s->noPassword)
        return say(Level::Ok, tr("not watched: no password stored (open it once)"));
    if (!s->answered)
        return say(Level::Critical, tr("unreachable"));
    if (s->authFailed)
        return say(Level::Critical, tr("authentication failed (HTTP %1)").arg(s->authFailed));
    if (s->dialect.isCouchApi())
        return say(Level::Ok, tr("ok (replications in its Replications tab)"));
    if (s->reading.failed())
        return say(Level::Critical, tr("stopped: error %1").arg(s->reading.errorNum));
    if (s->reading.valid) {
        const Level l = m_thresholds.levelOf(s->secondsBehind);
        const QString behind = tr("%1 s behind").arg(s->secondsBehind, 0, 'f', 0);
        if (l != Level::Ok && !s->reading.running)
            return say(l, tr("applier stopped, %1").arg(behind));
        if (l == Level::Critical)
            return say(l, tr("lag critical: %1").arg(behind));
        if (l == Level::Warning)
            return say(l, tr("lag warning: %1").arg(behind));
    }
    // A leader's follower that stopped asking for the log.
    int silent = 0;
    for (const LoggerReading::Client &c : s->loggerReading.clients)
        silent += c.silentSeconds >= LoggerReading::StaleSeconds;
    if (silent > 0)
        return say(Level::Warning, silent == 1 ? tr("a follower stopped asking")
                                               : tr("%1 followers stopped asking").arg(silent));
    if (s->reading.running)
        return say(Level::Ok, tr("applying"));
    return say(Level::Ok, s->reading.valid ? tr("applier stopped") : tr("ok"));
}

FleetModel::Summary FleetModel::summary() const
{
    Summary out;
    for (const QString &id : m_ids) {
        ++out.servers;
        const ServerStatus *s = m_watcher.status(id);
        out.followers += s && s->reading.valid;
        LagThresholds::Level l = LagThresholds::Level::Ok;
        alarm(id, &l);
        out.warnings += l == LagThresholds::Level::Warning;
        out.critical += l == LagThresholds::Level::Critical;
    }
    return out;
}

QVariant FleetModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_ids.size())
        return {};
    // A view asks each cell for a dozen roles at each repaint: the others go at once.
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
    case Qt::ForegroundRole:
    case Qt::TextAlignmentRole:
    case IdRole:
    case SparkRole:
    case AlarmRole:
        break;
    default:
        return {};
    }
    const QString &id = m_ids.at(index.row());
    // Rows follow the list's order: its entry is found at the same row (else looked for).
    const QList<ServerEntry> &entries = m_servers.entries();
    const ServerEntry *e = index.row() < entries.size() && entries.at(index.row()).id == id
                               ? &entries.at(index.row())
                               : m_servers.entry(id);
    const ServerStatus *s = m_watcher.status(id);
    if (!e)
        return {};
    if (role == IdRole)
        return id;
    if (role == SparkRole && index.column() == Trend)
        return s ? QVariant::fromValue(s->trail.ticksBehind) : QVariant();
    if (role == AlarmRole || (role == Qt::ForegroundRole && index.column() == State)) {
        LagThresholds::Level l = LagThresholds::Level::Ok;
        const QString text = alarm(id, &l);
        if (role == AlarmRole)
            return int(l);
        return l == LagThresholds::Level::Critical  ? Red
               : l == LagThresholds::Level::Warning ? Amber
               : text == tr("applying")             ? Green
               : s && s->noPassword                 ? Grey
                                                    : QVariant();
    }
    if (role == Qt::TextAlignmentRole && index.column() >= Applied && index.column() <= LagSeconds)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == State)
        return s && !s->error.isEmpty() ? alarm(id) + u'\n' + s->error : alarm(id);
    if (role != Qt::DisplayRole)
        return {};
    const bool follower = s && s->reading.valid;
    switch (index.column()) {
    case Server:
        return e->name;
    case Role:
        return roleOf(id);
    case Kind:
        return s && s->dialect.isKnown() ? s->dialect.describe() : QString();
    case Follows: {
        if (!follower)
            return {};
        const QString leader = m_watcher.leaderOf(id);
        const ServerEntry *l = leader.isEmpty() ? nullptr : m_servers.entry(leader);
        return l ? l->name : s->reading.leaderEndpoint;
    }
    case Applied:
        return follower ? QVariant(s->reading.appliedTick) : QVariant();
    case LeaderTick:
        return follower ? QVariant(s->reading.leaderTick) : QVariant();
    case Lag:
        return follower ? QVariant(s->reading.ticksBehind()) : QVariant();
    case LagSeconds:
        return follower ? QVariant(QString::number(s->secondsBehind, 'f', 1)) : QVariant();
    case State:
        return alarm(id);
    }
    return {};
}

} // namespace repl::gui
