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
    // Whether the server keeps _replicator documents (CouchDB, ReplDesk); else only
    // transient jobs can be started and the choice is off.
    void setPersistentAvailable(bool available);
    bool persistent() const;
    QString documentId() const;
    // Editing a _replicator document: its fields fill the form (endpoints as URLs; their
    // credentials stay as they are unless the URL changes), the id is fixed.
    void setRequest(const QString &docId, const QJsonObject &doc);

    // The request body, or an empty object with `problem` set (what to fix).
    QJsonObject request(QString *problem) const;
    // The listed server a URL points into ("" when none): its credentials are needed.
    QString serverFor(const QString &url) const;

    void accept() override;

private:
    void updateSelection();
    void updatePersistence();

    std::unique_ptr<Ui::ReplicateDialog> m_ui;
    QList<ServerEntry> m_servers;
    bool m_editing = false;
};

} // namespace repl::gui
