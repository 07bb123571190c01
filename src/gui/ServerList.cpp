#include "gui/ServerList.h"

#include <QColor>
#include <QPainter>
#include <QPixmap>
#include <QSettings>
#include <QUuid>

namespace repl::gui {

namespace {
// A small filled circle in the state's colour (green reachable, amber auth, red down).
QPixmap stateDot(ServerEntry::State state)
{
    QColor c(0x9e, 0x9e, 0x9e);
    if (state == ServerEntry::State::Reachable)
        c = QColor(0x2e, 0x9e, 0x4f);
    else if (state == ServerEntry::State::AuthError)
        c = QColor(0xd9, 0x8c, 0x1f);
    else if (state == ServerEntry::State::Unreachable)
        c = QColor(0xc6, 0x28, 0x28);
    QPixmap p(14, 14);
    p.fill(Qt::transparent);
    QPainter painter(&p);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(c);
    painter.drawEllipse(QRectF(2, 2, 10, 10));
    return p;
}
} // namespace

ServerListModel::ServerListModel(QObject *parent)
    : QAbstractListModel(parent)
{}

int ServerListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant ServerListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_entries.size())
        return {};
    const ServerEntry &e = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return e.name;
    case Qt::ToolTipRole:
        return tr("%1\n%2 (database %3, user %4)\n%5")
            .arg(e.name, e.endpoint, e.database, e.user, e.stateText);
    case Qt::DecorationRole:
        return stateDot(e.state);
    case IdRole:
        return e.id;
    case EndpointRole:
        return e.endpoint;
    case StateRole:
        return int(e.state);
    default:
        return {};
    }
}

void ServerListModel::load()
{
    QSettings s;
    const int n = s.beginReadArray(QStringLiteral("servers"));
    QList<ServerEntry> loaded;
    for (int i = 0; i < n; ++i) {
        s.setArrayIndex(i);
        ServerEntry e;
        e.id = s.value(QStringLiteral("id")).toString();
        e.name = s.value(QStringLiteral("name")).toString();
        e.endpoint = s.value(QStringLiteral("endpoint")).toString();
        e.database = s.value(QStringLiteral("database"), QStringLiteral("_system")).toString();
        e.user = s.value(QStringLiteral("user"), QStringLiteral("root")).toString();
        e.tlsPin = s.value(QStringLiteral("tlsPin")).toString();
        if (!e.id.isEmpty() && !e.endpoint.isEmpty())
            loaded.append(e);
    }
    s.endArray();
    beginResetModel();
    // Keep the embedded entry (runtime only) at the top.
    QList<ServerEntry> kept;
    for (const ServerEntry &e : std::as_const(m_entries))
        if (e.embedded)
            kept.append(e);
    m_entries = kept + loaded;
    endResetModel();
}

void ServerListModel::save() const
{
    QSettings s;
    s.beginWriteArray(QStringLiteral("servers"));
    int i = 0;
    for (const ServerEntry &e : m_entries) {
        if (e.embedded)
            continue;
        s.setArrayIndex(i++);
        s.setValue(QStringLiteral("id"), e.id);
        s.setValue(QStringLiteral("name"), e.name);
        s.setValue(QStringLiteral("endpoint"), e.endpoint);
        s.setValue(QStringLiteral("database"), e.database);
        s.setValue(QStringLiteral("user"), e.user);
        // Read by repldeskctl --server NAME too.
        if (e.tlsPin.isEmpty())
            s.remove(QStringLiteral("tlsPin"));
        else
            s.setValue(QStringLiteral("tlsPin"), e.tlsPin);
    }
    s.endArray();
}

const ServerEntry *ServerListModel::entry(const QString &id) const
{
    const int row = rowOf(id);
    return row < 0 ? nullptr : &m_entries.at(row);
}

int ServerListModel::rowOf(const QString &id) const
{
    for (int i = 0; i < m_entries.size(); ++i)
        if (m_entries[i].id == id)
            return i;
    return -1;
}

QString ServerListModel::add(ServerEntry e)
{
    if (e.id.isEmpty())
        e.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    int row = int(m_entries.size());
    if (e.embedded) { // runtime entries stay together at the top, in the order they came
        row = 0;
        while (row < m_entries.size() && m_entries[row].embedded)
            ++row;
    }
    beginInsertRows({}, row, row);
    m_entries.insert(row, e);
    endInsertRows();
    if (!e.embedded)
        save();
    return e.id;
}

void ServerListModel::update(const ServerEntry &e)
{
    const int row = rowOf(e.id);
    if (row < 0)
        return;
    m_entries[row] = e;
    Q_EMIT dataChanged(index(row), index(row));
    save();
}

void ServerListModel::remove(const QString &id)
{
    const int row = rowOf(id);
    if (row < 0 || m_entries[row].embedded)
        return;
    beginRemoveRows({}, row, row);
    m_entries.removeAt(row);
    endRemoveRows();
    save();
}

void ServerListModel::setState(const QString &id, ServerEntry::State state, const QString &text,
                               const QString &version, const QString &serverId)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    ServerEntry &e = m_entries[row];
    // The fleet's background polls say the same thing every second for every server: only a
    // change is news to the views (each one relays out and repaints the whole list).
    if (e.state == state && e.stateText == text && (version.isEmpty() || e.version == version) &&
        (serverId.isEmpty() || e.serverId == serverId))
        return;
    e.state = state;
    e.stateText = text;
    if (!version.isEmpty())
        e.version = version;
    if (!serverId.isEmpty())
        e.serverId = serverId;
    Q_EMIT dataChanged(index(row), index(row), {Qt::DecorationRole, Qt::ToolTipRole, StateRole});
}

} // namespace repl::gui
