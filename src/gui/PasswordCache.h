#pragma once

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>

class QWidget;

namespace repl {
class CredentialStore;
}

namespace repl::gui {

class ServerListModel;

// The passwords of this session, by server id: the embedded engine's and the demo's (known
// when they start), those read from the keychain, and those an operator typed where there is
// no keychain. Kept in memory only; nothing here writes them anywhere.
class PasswordCache final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PasswordCache)

public:
    using Done = std::function<void(const QString &password)>;
    using Lookup = std::function<void(const QString &serverId, Done done)>;

    // Dialogs asking for a password open over `dialogParent`.
    PasswordCache(ServerListModel &servers, CredentialStore &credentials, QWidget *dialogParent);

    void remember(const QString &serverId, const QString &password);
    void forget(const QString &serverId);
    bool has(const QString &serverId) const { return m_passwords.contains(serverId); }
    QString cached(const QString &serverId) const { return m_passwords.value(serverId); }

    // A listed server's password: from this session, else the keychain, else asked. `done`
    // is not called when the operator cancels the question.
    void get(const QString &serverId, Done done);
    // Without asking anyone: from this session or the keychain (watchers of the whole list).
    void peek(const QString &serverId, std::function<void(bool found, const QString &)> done);
    // get() as a function, for panels and dialogs that look up other servers' passwords.
    Lookup lookup();

private:
    ServerListModel &m_servers;
    CredentialStore &m_credentials;
    QPointer<QWidget> m_dialogParent;
    QHash<QString, QString> m_passwords;
};

} // namespace repl::gui
