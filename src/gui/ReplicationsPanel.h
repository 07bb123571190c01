#pragma once

#include "client/ReplicationClient.h"
#include "gui/ServerList.h"

#include <QJsonObject>
#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <functional>

class QLabel;
class QPushButton;
class QTableView;

namespace repl::gui {

class ReplicationJobModel;
class ReplicateDialog;

// The Replications tab: the selected server's /_replicate jobs (running and finished, with
// progress, counters and errors with remedies), "New replication…" and Cancel. Polls while
// shown; every call is asynchronous.
class ReplicationsPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReplicationsPanel)

public:
    using PasswordLookup =
        std::function<void(const QString &serverId, std::function<void(const QString &)>)>;

    explicit ReplicationsPanel(QWidget *parent = nullptr);
    ~ReplicationsPanel() override;

    // The server whose jobs are shown (CouchDB routes live at its root, whatever database the
    // entry names) and the listed servers a job may point at.
    using ServerListFn = std::function<QList<ServerEntry>()>;
    void setServer(client::ClientSettings settings, ServerListFn servers, PasswordLookup passwords);
    void setActive(bool active);
    void refresh();

    ReplicationJobModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    // Opens the dialog (non-modal); it posts when accepted.
    ReplicateDialog *openDialog();
    // Posts a /_replicate body as is (after filling in credentials of listed servers).
    void start(const QJsonObject &body);
    void cancelSelected();

Q_SIGNALS:
    // The answer to a POST /_replicate (HTTP status 0: no answer).
    void answered(int status, const QJsonObject &body, const QJsonObject &request);

private:
    void showSelected();
    void post(const QJsonObject &body);

    client::ReplicationClient *m_client = nullptr;
    ServerListFn m_servers; // read when a dialog opens: the list may change
    PasswordLookup m_passwords;
    ReplicationJobModel *m_model;
    QTableView *m_view;
    QPushButton *m_newButton;
    QPushButton *m_cancelButton;
    QLabel *m_summary;
    QLabel *m_details;
    QTimer m_timer;
    bool m_inFlight = false;
    bool m_schedulerMissing = false; // CouchDB-likes without /_scheduler/jobs
    QString m_lastMessage;
};

} // namespace repl::gui
