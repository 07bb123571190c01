#pragma once

#include "client/ReplicationClient.h"
#include "ops/Backup.h"

#include <QDialog>
#include <QThread>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace repl::gui {

class TransferWorker;

// Back up one database of the selected server to a folder, or restore a backup folder into
// it, with progress and Cancel. The transfer runs on a worker thread of its own (its own
// HTTP client and the file writes), so the window never waits. A restore is guarded like a
// sync: a preview of what is replaced, then the target database's exact name typed in.
class BackupDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BackupDialog)

public:
    enum class Mode
    {
        Backup,
        Restore
    };
    BackupDialog(Mode mode, client::ClientSettings server, const QString &serverName,
                 const QString &database, QWidget *parent = nullptr);
    ~BackupDialog() override;

    // For tests and scripted use: the folder field, and the buttons by object name
    // ("chooseFolderButton", "previewButton", "startButton", "cancelTransferButton").
    QLineEdit *folderEdit() const { return m_folder; }
    QLineEdit *databaseEdit() const { return m_database; }
    QLineEdit *confirmEdit() const { return m_confirm; }

Q_SIGNALS:
    // Once per finished transfer (error empty: it worked).
    void finished(const QString &error);

private:
    void chooseFolder();
    void preview();
    void start();
    void showProgress(const ops::TransferProgress &p);
    void showPlan(const ops::RestorePlan &plan, const QString &error);
    void done(const QString &summary, const QString &error);
    void setBusy(bool busy);
    void updateButtons();

    Mode m_mode;
    QThread m_thread;
    TransferWorker *m_worker; // lives on m_thread
    QLineEdit *m_folder;
    QLineEdit *m_database;
    QTableWidget *m_plan = nullptr;
    QLabel *m_confirmLabel = nullptr;
    QLineEdit *m_confirm = nullptr;
    QProgressBar *m_progress;
    QLabel *m_status;
    QPushButton *m_preview = nullptr;
    QPushButton *m_start;
    QPushButton *m_cancel;
    QPushButton *m_close;
    bool m_busy = false;
    bool m_planned = false;
    QString m_plannedTarget;
};

} // namespace repl::gui
