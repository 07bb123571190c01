#pragma once

#include "gui/ServerList.h"

#include <QDialog>

#include <memory>

namespace Ui {
class ServerDialog;
}

namespace repl::client {
class ReplicationClient;
}

namespace repl {
class CredentialStore;
}

namespace repl::gui {

// Add or edit a server. Checks fields inline (the Save button stays off with a message that
// says what to fix), tests the connection without blocking, and puts the password in the
// system keychain — never in the settings file.
class ServerDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerDialog)

public:
    ServerDialog(CredentialStore &credentials, const ServerEntry &entry = {},
                 QWidget *parent = nullptr);
    ~ServerDialog() override;

    ServerEntry entry() const;
    QString password() const;

Q_SIGNALS:
    // The password could not be kept in a keychain: the app keeps it for this session.
    void passwordForSession(const QString &serverId, const QString &password);

private:
    QString validationError() const;
    void validate();
    void testConnection();
    void save();

    std::unique_ptr<Ui::ServerDialog> m_ui;
    CredentialStore &m_credentials;
    ServerEntry m_entry;
    bool m_editing;
    client::ReplicationClient *m_client = nullptr;
};

} // namespace repl::gui
