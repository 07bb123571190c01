#pragma once

#include "gui/ServerList.h"
#include "ops/Types.h"

#include <QDialog>
#include <QJsonObject>
#include <QThread>
#include <QTimer>

#include <functional>
#include <memory>

namespace Ui {
class SyncDialog;
}

namespace repl::gui {

class ServerSession;
class TransferWorker;

// The guarded sync: choose a leader and restrictions, see the preview (what is purged, what is
// copied; computed here from both inventories, never by a dry run that a real server ignores), type
// the database name, then watch the progress. A running applier must be stopped first. Ends with
// the leader's lastLogTick and "Start applier from this tick". A sync purges for good (on
// ArangoDB even a failed one may leave collections purged), so by default the database is
// backed up to a folder first (Server ▸ Restore database… brings it back).
class SyncDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SyncDialog)

public:
    // Resolves a server's password (session memory or keychain) asynchronously.
    using PasswordLookup =
        std::function<void(const QString &serverId, std::function<void(const QString &)>)>;

    SyncDialog(ServerSession &target, const QList<ServerEntry> &leaders, PasswordLookup passwords,
               QWidget *parent = nullptr);
    ~SyncDialog() override;

Q_SIGNALS:
    // For the audit log: a sync finished (tick) or the applier was started/stopped from here.
    void audited(const QString &action, const QString &detail);

private:
    QString targetDatabase() const;
    ops::SyncOptions syncOptions(const QString &password) const;
    void preview();
    void runSync();
    // The sync proper (after the backup, when one was asked for).
    void startSync();
    void applyRestorePoints();
    void pollProgress();
    void updateButtons();
    void setError(const QString &message);

    std::unique_ptr<Ui::SyncDialog> m_ui;
    ServerSession &m_target;
    QList<ServerEntry> m_leaders;
    PasswordLookup m_passwords;
    QString m_leaderPassword;
    bool m_applierRunning = false;
    bool m_previewed = false;
    bool m_running = false;
    QString m_lastTick;
    QThread m_backupThread; // the backup-first transfer, off the GUI thread
    TransferWorker *m_backupWorker = nullptr;
    bool m_backupChoiceMade = false;   // the operator set "back up first" themselves
    bool m_restorePointsShown = false; // the restore-point sentence is in the intro
    QTimer m_progressTimer;
};

} // namespace repl::gui
