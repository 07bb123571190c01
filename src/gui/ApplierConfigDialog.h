#pragma once

#include "gui/ServerList.h"

#include <QDialog>
#include <QJsonObject>

#include <functional>
#include <memory>

namespace Ui {
class ApplierConfigDialog;
}

namespace repl::gui {

class ServerSession;

// Every applier-config field as a form, loaded from and saved to the server (PUT merges).
// Fields are checked inline; the server's own refusal (e.g. 1411 while running) is shown in
// the form. Picking a leader from the server list fills user and password from the keychain.
class ApplierConfigDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApplierConfigDialog)

public:
    using PasswordLookup =
        std::function<void(const QString &serverId, std::function<void(const QString &)>)>;

    ApplierConfigDialog(ServerSession &target, const QList<ServerEntry> &leaders,
                        PasswordLookup passwords, QWidget *parent = nullptr);
    ~ApplierConfigDialog() override;

    QJsonObject toJson() const; // what Save sends
    QString validationError() const;

Q_SIGNALS:
    void saved();

private:
    void load(const QJsonObject &config);
    void validate();
    void save();

    std::unique_ptr<Ui::ApplierConfigDialog> m_ui;
    ServerSession &m_target;
    QList<ServerEntry> m_leaders;
    PasswordLookup m_passwords;
    QString m_leaderPassword; // from the keychain when a listed leader was picked
};

} // namespace repl::gui
