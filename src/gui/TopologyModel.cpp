#include "gui/TopologyModel.h"

#include "client/Endpoint.h"

#include <QColor>

namespace repl::gui {

namespace {
QString hostPort(const QString &endpoint)
{
    const QUrl u = client::normalizeEndpoint(endpoint);
    return u.isValid() ? QStringLiteral("%1:%2").arg(u.host()).arg(
                             u.port(u.scheme() == u"https" ? 443 : 80))
                       : QString();
}
} // namespace

TopologyModel::TopologyModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int TopologyModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}
int TopologyModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TopologyModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Server:
        return tr("Server");
    case Role:
        return tr("Role");
    case Follows:
        return tr("Follows");
    case Applied:
        return tr("Applied tick");
    case LeaderTick:
        return tr("Leader tick");
    case Lag:
        return tr("Lag (ticks)");
    case State:
        return tr("State");
    }
    return {};
}

QString TopologyModel::leaderNameFor(const QString &endpoint) const
{
    const QString wanted = hostPort(endpoint);
    for (const Row &r : m_rows)
        if (!wanted.isEmpty() && hostPort(r.endpoint) == wanted)
            return r.name;
    return endpoint;
}

QVariant TopologyModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &r = m_rows.at(index.row());
    const QJsonObject s = r.applier.value(QStringLiteral("state")).toObject();
    const QString leaderEndpoint = r.applier.value(QStringLiteral("endpoint")).toString();
    const bool running = s.value(QStringLiteral("running")).toBool();
    const bool follower = running || !leaderEndpoint.isEmpty();
    const quint64 applied =
        s.value(QStringLiteral("lastAppliedContinuousTick")).toString().toULongLong();
    const quint64 leader =
        s.value(QStringLiteral("lastAvailableContinuousTick")).toString().toULongLong();
    const int errorNum =
        s.value(QStringLiteral("lastError")).toObject().value(QStringLiteral("errorNum")).toInt();
    // Set by the poller: the server refused our credentials, or speaks only CouchDB's protocol.
    const int authFailed = r.applier.value(QStringLiteral("authFailed")).toInt();
    const bool couch = r.applier.value(QStringLiteral("couchdb")).toBool();
    if (role == Qt::ForegroundRole && index.column() == State) {
        if (!r.reachable || authFailed || (errorNum != 0 && errorNum != 1412))
            return QColor(0xc6, 0x28, 0x28);
        if (running)
            return QColor(0x2e, 0x7d, 0x32);
        return {};
    }
    if (role == Qt::TextAlignmentRole && index.column() >= Applied && index.column() <= Lag)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    bool isLeader = false;
    for (const Row &o : m_rows)
        if (&o != &r &&
            !hostPort(o.applier.value(QStringLiteral("endpoint")).toString()).isEmpty() &&
            hostPort(o.applier.value(QStringLiteral("endpoint")).toString()) ==
                hostPort(r.endpoint))
            isLeader = true;
    switch (index.column()) {
    case Server:
        return r.name;
    case Role:
        if (couch)
            return tr("CouchDB protocol");
        if (r.applier.contains(QStringLiteral("noFollower")))
            return isLeader ? tr("leader (cannot follow)") : tr("standalone (cannot follow)");
        return follower && isLeader ? tr("leader and follower")
               : follower           ? tr("follower")
               : isLeader           ? tr("leader")
                                    : tr("standalone");
    case Follows:
        return follower ? leaderNameFor(leaderEndpoint) : QString();
    case Applied:
        return follower ? QVariant(applied) : QVariant();
    case LeaderTick:
        return follower ? QVariant(leader) : QVariant();
    case Lag:
        return running ? QVariant(leader > applied ? leader - applied : 0) : QVariant();
    case State:
        if (!r.reachable)
            return tr("unreachable");
        if (authFailed)
            return tr("authentication failed (HTTP %1)").arg(authFailed);
        if (couch)
            return tr("ok (replications in its Replications tab)");
        if (errorNum != 0 && errorNum != 1412)
            return tr("stopped: error %1").arg(errorNum);
        return running ? tr("applying") : follower ? tr("applier stopped") : tr("ok");
    }
    return {};
}

void TopologyModel::update(const QString &id, const QString &name, const QString &endpoint,
                           const QJsonObject &applierState, bool reachable)
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].id != id)
            continue;
        m_rows[i] = {id, name, endpoint, applierState, reachable};
        // Roles depend on the other rows: refresh the whole table in one signal.
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
        return;
    }
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
    m_rows.append({id, name, endpoint, applierState, reachable});
    endInsertRows();
}

void TopologyModel::removeMissing(const QStringList &ids)
{
    for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
        if (ids.contains(m_rows[i].id))
            continue;
        beginRemoveRows({}, i, i);
        m_rows.removeAt(i);
        endRemoveRows();
    }
}

} // namespace repl::gui
