#pragma once

#include <QAbstractListModel>
#include <QList>
#include <QString>

namespace repl::gui {

// One server the operator manages. Passwords are not here: they live in the keychain.
struct ServerEntry
{
    QString id; // stable, generated
    QString name;
    QString endpoint; // http(s)://host:port (tcp://, ssl:// accepted)
    QString database = QStringLiteral("_system");
    QString user = QStringLiteral("root");
    bool embedded = false; // "This computer": the engine inside the app
    // https: the SHA-256 fingerprint of the certificate the operator trusted for this server
    // ("AB:CD:…"); only that certificate is accepted from it. Cleared when the endpoint changes.
    QString tlsPin;

    enum class State
    {
        Unknown,
        Connecting,
        Reachable,
        AuthError,
        Unreachable
    };
    State state = State::Unknown;
    QString version;
    QString serverId;
    QString stateText;
};

// The server list (QSettings "servers"), as a model for the sidebar. The embedded entry is
// added at runtime and never saved.
class ServerListModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerListModel)

public:
    enum Role
    {
        IdRole = Qt::UserRole + 1,
        EndpointRole,
        StateRole
    };

    explicit ServerListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;

    void load();
    void save() const;
    const QList<ServerEntry> &entries() const { return m_entries; }
    const ServerEntry *entry(const QString &id) const;
    int rowOf(const QString &id) const;
    QString add(ServerEntry e);        // returns the id
    void update(const ServerEntry &e); // by id
    void remove(const QString &id);
    void setState(const QString &id, ServerEntry::State state, const QString &text,
                  const QString &version = {}, const QString &serverId = {});

private:
    QList<ServerEntry> m_entries;
};

} // namespace repl::gui
