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

// The Replications tab, CouchDB 3's way: the selected server's _replicator documents
// (/_scheduler/docs) and transient jobs (/_scheduler/jobs, or /_active_tasks where there is
// no scheduler) in one list with CouchDB's states, progress, counters and the reason of the
// newest crash with a remedy. "New replication…" makes a _replicator document where the
// server has one (else POST /_replicate), Edit changes a document, Cancel deletes it or
// cancels the transient job. Toward servers other than ReplDesk both ends are URLs. Polls
// while shown; every call is asynchronous.
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
    // ReplDesk takes bare database names in /_replicate (its own databases, in-process);
    // toward any other server, names become URLs of the selected server.
    void setLocalNamesAllowed(bool allowed) { m_localNames = allowed; }
    void setActive(bool active);
    void refresh();

    ReplicationJobModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    // Opens the dialog (non-modal); it posts when accepted.
    ReplicateDialog *openDialog();
    // Posts a /_replicate body as is (after filling in credentials of listed servers).
    void start(const QJsonObject &body);
    // Creates a _replicator document (id "" → one the server makes up).
    void createDocument(const QJsonObject &body, const QString &docId);
    void cancelSelected();
    void editSelected();

Q_SIGNALS:
    // The answer to a POST /_replicate (HTTP status 0: no answer).
    void answered(int status, const QJsonObject &body, const QJsonObject &request);

private:
    void showSelected();
    void post(const QJsonObject &body);
    void showRows(const QJsonArray &jobs, const QJsonArray &docs);
    // Bare names → URLs of this server with its credentials (an Authorization header).
    QJsonObject withServerUrls(QJsonObject body) const;
    // Adds the keychain credentials of listed servers the endpoints point into, then `next`.
    void withListedCredentials(const QList<ServerEntry> &servers, const ReplicateDialog *dialog,
                               QJsonObject body, std::function<void(QJsonObject)> next);
    void rememberFinished(const QJsonObject &request, int status, const QJsonObject &answer);

    client::ReplicationClient *m_client = nullptr;
    ServerListFn m_servers; // read when a dialog opens: the list may change
    PasswordLookup m_passwords;
    ReplicationJobModel *m_model;
    QTableView *m_view;
    QPushButton *m_newButton;
    QPushButton *m_cancelButton;
    QPushButton *m_editButton;
    QLabel *m_summary;
    QLabel *m_details;
    QTimer m_timer;
    bool m_inFlight = false;
    bool m_schedulerMissing = false; // CouchDB-likes without /_scheduler/jobs
    bool m_docsKnown = false;        // /_scheduler/docs was asked and answered (either way)
    bool m_docsAvailable = false;    // /_scheduler/docs answered: a _replicator database
    bool m_localNames = true;
    quint64 m_generation = 0;      // answers about another server are dropped
    QList<QJsonObject> m_finished; // transient one-shots this app ran, newest first
    QString m_lastMessage;
};

} // namespace repl::gui
