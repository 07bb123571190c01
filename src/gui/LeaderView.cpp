#include "gui/LeaderView.h"

#include "gui/FleetWatcher.h"
#include "gui/LagChart.h"
#include "gui/LagHistory.h"
#include "gui/ServerList.h"

#include <QColor>
#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace repl::gui {

FollowersModel::FollowersModel(ServerListModel &servers, FleetWatcher &watcher, QObject *parent)
    : QAbstractTableModel(parent)
    , m_servers(servers)
    , m_watcher(watcher)
    , m_thresholds(LagThresholds::load())
{}

void FollowersModel::setLeader(const QString &leaderId)
{
    if (leaderId == m_leader)
        return;
    m_leader = leaderId;
    m_clock.clear();
    refresh();
}

void FollowersModel::setThresholds(const LagThresholds &t)
{
    m_thresholds = t;
    refresh();
}

void FollowersModel::refresh()
{
    using Level = LagThresholds::Level;
    QList<Row> rows;
    const ServerStatus *leader = m_watcher.status(m_leader);
    const LoggerReading logger = leader ? leader->loggerReading : LoggerReading();
    m_leaderTick = logger.lastTick;
    const auto listedRow = [this](const QString &id) {
        Row r;
        r.key = id;
        r.listed = true;
        if (const ServerEntry *e = m_servers.entry(id)) {
            r.name = e->name;
            r.serverId = e->serverId;
        }
        if (const ServerStatus *s = m_watcher.status(id)) {
            r.ticksBehind = s->reading.ticksBehind();
            r.secondsBehind = s->secondsBehind;
            if (s->reading.failed()) {
                r.state = tr("stopped: error %1").arg(s->reading.errorNum);
                r.level = Level::Critical;
            } else if (s->reading.valid && !s->reading.running) {
                // Stopped on purpose or not, the leader goes on without it: its lag counts.
                r.level = qMax(Level::Warning, m_thresholds.levelOf(r.secondsBehind));
                r.state = r.ticksBehind > 0
                              ? tr("applier stopped, %1 s behind").arg(qint64(r.secondsBehind))
                              : tr("applier stopped");
            }
        }
        return r;
    };
    for (const QString &id : m_watcher.followersOf(m_leader))
        rows.append(listedRow(id));
    const qint64 now = m_watcher.now();
    for (const LoggerReading::Client &c : logger.clients) {
        const QString listed = m_watcher.idForServerId(c.serverId);
        auto it = std::find_if(rows.begin(), rows.end(), [&](const Row &r) {
            return (!listed.isEmpty() && r.key == listed) ||
                   (!c.serverId.isEmpty() && r.serverId == c.serverId);
        });
        if (it == rows.end()) {
            if (!listed.isEmpty() && listed != m_leader) {
                rows.append(listedRow(listed));
            } else {
                Row r;
                r.key = QStringLiteral("server:") + c.serverId;
                r.name = tr("server %1").arg(c.serverId);
                r.serverId = c.serverId;
                r.ticksBehind = c.ticksBehind;
                r.secondsBehind = m_clock.secondsBehind(r.key, c.ticksBehind, now);
                rows.append(r);
            }
            it = rows.end() - 1;
        }
        it->fromLogger = true;
        it->lastServedTick = c.lastServedTick;
        it->lastAskedMs = c.lastAskedMs;
        it->silentSeconds = c.silentSeconds;
        if (it->state.isEmpty() && c.silentSeconds >= LoggerReading::StaleSeconds) {
            it->state = tr("stopped asking %1 s ago").arg(qint64(c.silentSeconds));
            it->level = Level::Warning;
        }
    }
    for (Row &r : rows) {
        if (!r.state.isEmpty())
            continue;
        r.level = m_thresholds.levelOf(r.secondsBehind);
        r.state = r.level == Level::Critical  ? tr("lag critical")
                  : r.level == Level::Warning ? tr("lag warning")
                  : r.ticksBehind > 0         ? tr("catching up")
                                              : tr("in sync");
    }
    const bool sameKeys = rows.size() == m_rows.size() &&
                          std::equal(rows.cbegin(), rows.cend(), m_rows.cbegin(),
                                     [](const Row &a, const Row &b) { return a.key == b.key; });
    if (sameKeys) {
        m_rows = rows;
        if (!m_rows.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

int FollowersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int FollowersModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FollowersModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Follower:
        return tr("Follower");
    case ServerId:
        return tr("Server id");
    case LastServed:
        return tr("Last served tick");
    case Lag:
        return tr("Lag (ticks)");
    case LagSeconds:
        return tr("Lag (s)");
    case LastAsked:
        return tr("Last asked");
    case State:
        return tr("State");
    }
    return {};
}

QVariant FollowersModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &r = m_rows.at(index.row());
    if (role == Qt::ForegroundRole && index.column() == State)
        return r.level == LagThresholds::Level::Critical  ? QColor(0xc6, 0x28, 0x28)
               : r.level == LagThresholds::Level::Warning ? QColor(0xb2, 0x6a, 0x00)
                                                          : QColor(0x2e, 0x7d, 0x32);
    if (role == Qt::TextAlignmentRole && index.column() >= LastServed &&
        index.column() <= LagSeconds)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == Follower)
        return r.listed ? tr("In the server list") : tr("Known only from the leader's log clients");
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Follower:
        return r.name;
    case ServerId:
        return r.serverId;
    case LastServed:
        return r.fromLogger ? QVariant(r.lastServedTick) : QVariant();
    case Lag:
        return r.ticksBehind;
    case LagSeconds:
        return QString::number(r.secondsBehind, 'f', 1);
    case LastAsked:
        return r.lastAskedMs > 0 ? QDateTime::fromMSecsSinceEpoch(r.lastAskedMs)
                                       .toString(QStringLiteral("HH:mm:ss"))
                                 : QVariant();
    case State:
        return r.state;
    }
    return {};
}

LeaderView::LeaderView(ServerListModel &servers, FleetWatcher &watcher, LagHistory *history,
                       QWidget *parent)
    : QWidget(parent)
    , m_servers(servers)
    , m_watcher(watcher)
    , m_history(history)
    , m_model(new FollowersModel(servers, watcher, this))
    , m_title(new QLabel(this))
    , m_tick(new QLabel(this))
    , m_view(new QTableView(this))
    , m_chart(new LagChart(this))
{
    m_view->setObjectName(QStringLiteral("followersView"));
    m_title->setObjectName(QStringLiteral("followersTitle"));
    m_title->setWordWrap(true);
    m_tick->setObjectName(QStringLiteral("followersLeaderTick"));
    m_tick->setTextFormat(Qt::PlainText);
    m_tick->setAlignment(Qt::AlignRight | Qt::AlignTop);
    m_tick->setFixedSize(
        m_tick->fontMetrics().horizontalAdvance(tr("Newest tick: %1").arg(quint64(1) << 63)) + 8,
        m_tick->fontMetrics().height());
    m_view->setModel(m_model);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    const int widths[] = {160, 150, 120, 90, 70, 80};
    for (int c = 0; c < int(std::size(widths)); ++c)
        m_view->setColumnWidth(c, widths[c]);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_view);
    split->addWidget(m_chart);
    split->setStretchFactor(1, 3);
    split->setSizes({140, 460});
    auto *head = new QHBoxLayout;
    head->addWidget(m_title, 1);
    head->addWidget(m_tick, 0, Qt::AlignTop);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(head);
    layout->addWidget(split, 1);
    connect(&m_watcher, &FleetWatcher::polled, this, &LeaderView::polled);
    connect(m_chart, &LagChart::windowChanged, this, &LeaderView::loadHistory);
}

void LeaderView::setThresholds(const LagThresholds &t)
{
    m_model->setThresholds(t);
    m_chart->setThresholds(t);
}

void LeaderView::setLeader(const QString &leaderId)
{
    if (leaderId == m_model->leader())
        return;
    m_model->setLeader(leaderId);
    m_chart->clear();
    ++m_generation;
    polled(leaderId);
    loadHistory();
}

// A poll of the leader or of one of its followers: the table, the title, and a point per
// follower it is news about.
void LeaderView::polled(const QString &id)
{
    const QString leader = m_model->leader();
    const bool ofLeader = id == leader;
    if (!ofLeader && m_watcher.leaderOf(id) != leader)
        return;
    m_model->refresh();
    const ServerEntry *e = m_servers.entry(leader);
    const int n = int(m_model->rows().size());
    // Set only when it says something else (a new text relayouts the window).
    const QString title =
        n == 0 ? tr("<b>%1</b> has no followers: none of the listed servers follows it, and its "
                    "log has no clients.")
                     .arg(e ? e->name.toHtmlEscaped() : leader)
               : tr("<b>Followers of %1</b> — followers: %2. A follower that has not asked "
                    "for the log for %3 s is flagged.")
                     .arg(e ? e->name.toHtmlEscaped() : leader)
                     .arg(n)
                     .arg(LoggerReading::StaleSeconds);
    if (m_title->text() != title)
        m_title->setText(title);
    m_tick->setText(n == 0 ? QString() : tr("Newest tick: %1").arg(m_model->leaderTick()));
    const qint64 now = m_watcher.now();
    for (const FollowersModel::Row &r : m_model->rows()) {
        // Listed followers are charted from their own polls, the others from the leader's.
        if ((r.listed && r.key != id) || (!r.listed && !ofLeader))
            continue;
        m_chart->setSeries(r.key, r.name);
        m_chart->append(r.key, {now, double(r.ticksBehind), r.secondsBehind});
    }
}

void LeaderView::loadHistory()
{
    if (!m_history)
        return;
    QStringList followers;
    for (const FollowersModel::Row &r : m_model->rows())
        if (r.listed)
            followers << r.key;
    if (followers.isEmpty())
        return;
    const qint64 to = m_watcher.now();
    const quint64 generation = m_generation;
    m_history->query(
        followers, to - m_chart->windowMs(), to, 1000, this,
        [this, generation](const QList<LagSample> &samples) {
            if (generation != m_generation)
                return;
            QHash<QString, QList<LagChart::Point>> by;
            for (const LagSample &s : samples)
                by[s.server].append({s.timeMs, double(s.ticksBehind), s.secondsBehind});
            for (auto it = by.cbegin(); it != by.cend(); ++it) {
                const ServerEntry *e = m_servers.entry(it.key());
                m_chart->setSeries(it.key(), e ? e->name : it.key());
                m_chart->setPoints(it.key(), it.value());
            }
        });
}

} // namespace repl::gui
