#pragma once

#include "gui/ServerList.h"

#include <QDialog>
#include <QJsonObject>

#include <memory>

namespace Ui {
class ReplicateDialog;
}

namespace repl::gui {

// Asks for a POST /_replicate body with every field CouchDB documents. Source and target
// are a database of the selected server (by name), a listed server's database (its
// credentials come from the keychain when the job is posted) or any typed URL. Says what
// to fix, next to the field, instead of posting a request the server would refuse.
class ReplicateDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReplicateDialog)

public:
    ReplicateDialog(const QList<ServerEntry> &servers, QWidget *parent = nullptr);
    ~ReplicateDialog() override;

    Ui::ReplicateDialog *ui() const { return m_ui.get(); }
    void setLocalDatabases(const QStringList &names);

    // The request body, or an empty object with `problem` set (what to fix).
    QJsonObject request(QString *problem) const;
    // The listed server a URL points into ("" when none): its credentials are needed.
    QString serverFor(const QString &url) const;

    void accept() override;

private:
    void updateSelection();

    std::unique_ptr<Ui::ReplicateDialog> m_ui;
    QList<ServerEntry> m_servers;
};

} // namespace repl::gui
