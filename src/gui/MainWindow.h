#pragma once

#include "client/ServerProbe.h"
#include "gui/ServerList.h"
#include "ops/Dialect.h"

#include <QHash>
#include <QJsonObject>
#include <QMainWindow>
#include <QPointer>
#include <QSet>

#include <functional>
#include <memory>

namespace Ui {
class MainWindow;
}

namespace repl::client {
class ReplicationClient;
}

class QAction;
class QLabel;
class QSystemTrayIcon;
class QTimer;

namespace repl {
class CredentialStore;
}

namespace repl::gui {

class AuditLog;
class DocumentBrowser;
class FleetModel;
class FleetOverview;
class FleetWatcher;
class InventoryModel;
class LagHistory;
class LagMonitor;
class LeaderView;
class LiveLog;
class LoggerPanel;
class MetricsPanel;
class PasswordCache;
class ReplicationsPanel;
class ServerSession;

// The main window: servers on the left, the selected server's views on the right. Every
// view is fed by a ServerSession (asynchronous HTTP); nothing here blocks.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    MainWindow(ServerListModel &servers, CredentialStore &credentials, QWidget *parent = nullptr);
    ~MainWindow() override;

    // The engine inside the app, once it listens (its password is known, not in the keychain).
    void addEmbeddedServer(const QUrl &url, const QString &serverId, const QString &password);
    // A server that exists only while the app runs (the demo follower); an empty `user`
    // sends no credentials.
    void addRuntimeServer(const QString &id, const QString &name, const QUrl &url,
                          const QString &serverId, const QString &password,
                          const QString &user = QStringLiteral("root"));
    LagMonitor *lagMonitor() const { return m_lag; }
    LeaderView *leaderView() const { return m_leaderView; }
    MetricsPanel *metricsPanel() const { return m_metrics; }
    FleetOverview *fleetOverview() const { return m_overview; }
    FleetWatcher *fleetWatcher() const { return m_fleet; }
    LagHistory *lagHistory() const { return m_history; }
    LiveLog *liveLog() const { return m_liveLog; }
    ReplicationsPanel *replications() const { return m_replications; }

Q_SIGNALS:
    void demoRequested();

public:
    void selectServer(const QString &id);
    ServerSession *currentSession() const;

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void openSession(const ServerEntry &entry, const QString &password);
    void showDatabase(const QString &database);
    void openBackupDialog(bool restore);
    void openRestorePoints();
    void showStatus(ServerEntry::State state, const QString &text, const QString &version,
                    const QString &serverId);
    void showApplier(const QJsonObject &state);
    void showError(const QString &error);
    void restoreLayout();
    void openSyncDialog();
    void setupReplications();
    void openApplierConfig();
    void setupServerMenu();
    void setupFleet();
    void setupToolBar();
    void fleetPolled(const QString &id);                                         // a sidebar dot
    void applierFailed(const QString &id, int errorNum, const QString &message); // the alarm
    void applyDialect(const ops::Dialect &dialect); // tabs and actions that apply to it
    QList<ServerEntry> otherServers() const;        // every listed server but the current one
    void editServer(const ServerEntry &existing);
    void audit(const QString &action, const QString &detail);
    // TLS (MainWindowTls.cpp): the app's CA file setting, and a refused certificate shown
    // for the operator to trust (pinned in the server's entry) or not.
    void setupTls();
    void chooseCaFile();
    void askToTrust(const client::TlsFailure &failure);

    std::unique_ptr<Ui::MainWindow> m_ui;
    ServerListModel &m_servers;
    CredentialStore &m_credentials;
    InventoryModel *m_inventory;
    LagMonitor *m_lag;
    LiveLog *m_liveLog;
    ReplicationsPanel *m_replications = nullptr;
    AuditLog *m_audit;
    QPointer<ServerSession> m_session;
    PasswordCache *m_passwords; // this session only (embedded, keychain, asked ones)
    LagHistory *m_history;      // lag samples kept on disk (its own thread)
    FleetWatcher *m_fleet;      // polls every listed server, raises alarms
    FleetModel *m_fleetModel;   // … as rows for the Overview
    FleetOverview *m_overview = nullptr;
    LeaderView *m_leaderView = nullptr;
    QStringList m_errorHistory; // applier errors seen this session
    QLabel *m_connectionIndicator = nullptr;
    QLabel *m_lastErrorIndicator = nullptr;
    QString m_lastStatusMessage;             // the selected server's problem, as last announced
    QString m_alarmMessage;                  // the last applier alarm shown in the status bar
    DocumentBrowser *m_browser = nullptr;    // the Inventory's documents, page by page
    MetricsPanel *m_metrics = nullptr;       // the Metrics tab
    LoggerPanel *m_logger = nullptr;         // the Logger tab
    QAction *m_startApplierAction = nullptr; // the toolbar's, enabled as the Applier tab's buttons
    QAction *m_stopApplierAction = nullptr;
    QSystemTrayIcon *m_tray = nullptr; // made when there is first something to say
    QPointer<QDialog> m_trustDialog;   // the certificate shown, if one is
    QSet<QString> m_certificatesAsked; // "server id|fingerprint" shown this session
};

// A plain-language remedy for an applier error number, for people at 3 a.m.
QString remedyFor(int errorNum);

} // namespace repl::gui
