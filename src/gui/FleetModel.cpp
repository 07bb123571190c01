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
    connect(&m_watcher, &FleetWatcher::polled, this, [this] {
        invalidate();
        scheduleRefresh();
    });
    connect(&m_watcher, &FleetWatcher::serversChanged, this, &FleetModel::rebuild);
    connect(&m_servers, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &, const QModelIndex &, const QList<int> &roles) {
                // Names and endpoints show here; the list's state dots do not.
                if (roles.isEmpty() || roles.contains(Qt::DisplayRole) ||
                    roles.contains(ServerListModel::EndpointRole)) {
                    invalidate();
                    scheduleRefresh();
                }
            });
}

void FleetModel::rebuild()
{
    m_refresh->stop();
    beginResetModel();
    m_ids.clear();
    for (const ServerEntry &e : m_servers.entries())
        m_ids << e.id;
    m_rows = QList<Row>(m_ids.size());
    invalidate();
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
    invalidate();
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
    const bool leader = m_watcher.hasFollowers(id) || !s->loggerReading.clients.isEmpty();
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
    for (int r = 0; r < int(m_ids.size()); ++r) {
        ++out.servers;
        const ServerStatus *s = m_watcher.status(m_ids.at(r));
        out.followers += s && s->reading.valid;
        const Row *row = this->row(r);
        const LagThresholds::Level l = row ? row->level : LagThresholds::Level::Ok;
        out.warnings += l == LagThresholds::Level::Warning;
        out.critical += l == LagThresholds::Level::Critical;
    }
    return out;
}

const FleetModel::Row *FleetModel::row(int r) const
{
    if (r < 0 || r >= m_ids.size() || r >= m_rows.size())
        return nullptr;
    Row &out = m_rows[r];
    if (out.generation != m_generation) {
        fill(out, m_ids.at(r), r);
        out.generation = m_generation;
    }
    return &out;
}

void FleetModel::fill(Row &row, const QString &id, int r) const
{
    row = Row{};
    // Rows follow the list's order: its entry is found at the same row (else looked for).
    const QList<ServerEntry> &entries = m_servers.entries();
    const ServerEntry *e =
        r < entries.size() && entries.at(r).id == id ? &entries.at(r) : m_servers.entry(id);
    if (!e)
        return;
    const ServerStatus *s = m_watcher.status(id);
    LagThresholds::Level level = LagThresholds::Level::Ok;
    const QString alarmText = alarm(id, &level);
    row.level = level;
    row.stateColor = level == LagThresholds::Level::Critical  ? QVariant(Red)
                     : level == LagThresholds::Level::Warning ? QVariant(Amber)
                     : alarmText == tr("applying")            ? QVariant(Green)
                     : s && s->noPassword                     ? QVariant(Grey)
                                                              : QVariant();
    row.stateTip = s && !s->error.isEmpty() ? alarmText + u'\n' + s->error : alarmText;
    auto &d = row.display;
    d[Server] = e->name;
    d[Role] = roleOf(id);
    d[Kind] = s && s->dialect.isKnown() ? s->dialect.describe() : QString();
    d[State] = alarmText;
    if (!s || !s->reading.valid)
        return;
    const QString leader = m_watcher.leaderOf(id);
    const ServerEntry *l = leader.isEmpty() ? nullptr : m_servers.entry(leader);
    d[Follows] = l ? l->name : s->reading.leaderEndpoint;
    d[Applied] = s->reading.appliedTick;
    d[LeaderTick] = s->reading.leaderTick;
    d[Lag] = s->reading.ticksBehind();
    d[LagSeconds] = QString::number(s->secondsBehind, 'f', 1);
}

QVariant FleetModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.column() >= ColumnCount)
        return {};
    // A view asks each cell for a dozen roles at each repaint: the others go at once.
    switch (role) {
    case IdRole:
        return index.row() < m_ids.size() ? QVariant(m_ids.at(index.row())) : QVariant();
    case SparkRole: {
        if (index.column() != Trend || index.row() >= m_ids.size())
            return {};
        const ServerStatus *s = m_watcher.status(m_ids.at(index.row()));
        return s ? QVariant::fromValue(s->trail.ticksBehind) : QVariant();
    }
    case Qt::TextAlignmentRole:
        return index.column() >= Applied && index.column() <= LagSeconds
                   ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter))
                   : QVariant();
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
    case Qt::ForegroundRole:
    case AlarmRole:
        break;
    default:
        return {};
    }
    const Row *r = row(index.row());
    if (!r)
        return {};
    switch (role) {
    case AlarmRole:
        return int(r->level);
    case Qt::ForegroundRole:
        return index.column() == State ? r->stateColor : QVariant();
    case Qt::ToolTipRole:
        return index.column() == State ? QVariant(r->stateTip) : QVariant();
    default:
        return r->display[size_t(index.column())];
    }
}

} // namespace repl::gui
