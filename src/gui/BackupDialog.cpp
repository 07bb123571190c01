#include "gui/BackupDialog.h"

#include "gui/TransferWorker.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardPaths>
#include <QTableWidget>
#include <QVBoxLayout>

namespace repl::gui {

BackupDialog::BackupDialog(Mode mode, client::ClientSettings server, const QString &serverName,
                           const QString &database, QWidget *parent)
    : QDialog(parent)
    , m_mode(mode)
    , m_worker(new TransferWorker(server))
    , m_folder(new QLineEdit(this))
    , m_database(new QLineEdit(database, this))
    , m_progress(new QProgressBar(this))
    , m_status(new QLabel(this))
    , m_start(new QPushButton(mode == Mode::Backup ? tr("&Back up") : tr("&Restore"), this))
    , m_cancel(new QPushButton(tr("Ca&ncel transfer"), this))
    , m_close(new QPushButton(tr("Close"), this))
{
    const bool backup = mode == Mode::Backup;
    setObjectName(backup ? QStringLiteral("backupDialog") : QStringLiteral("restoreDialog"));
    setWindowTitle(backup ? tr("Back up database") : tr("Restore database"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.setObjectName(QStringLiteral("repldesk-transfer"));
    m_thread.start();

    auto *intro = new QLabel(this);
    intro->setWordWrap(true);
    intro->setText(
        backup ? tr("Writes a database of <b>%1</b> to a new folder: in arangodump's layout on "
                    "ArangoDB-kind servers, as every leaf revision with its history and "
                    "attachments on CouchDB-kind ones. The folder appears only when the backup "
                    "is complete.")
                     .arg(serverName.toHtmlEscaped())
               : tr("Restores a backup folder into <b>%1</b>. Collections of the backup that "
                    "exist there (on CouchDB-kind servers: the database) are dropped and "
                    "written again; others are kept. Preview first, then confirm with the "
                    "database's name.")
                     .arg(serverName.toHtmlEscaped()));
    m_folder->setObjectName(QStringLiteral("folderEdit"));
    m_folder->setPlaceholderText(backup
                                     ? tr("a new or empty folder")
                                     : tr("a folder written by a ReplDesk backup or arangodump"));
    if (backup) {
        const QString base = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation) +
                             QStringLiteral("/ReplDesk backups/");
        m_folder->setText(QDir::toNativeSeparators(
            base + (database.isEmpty() ? QStringLiteral("backup") : database) + u'-' +
            QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
    }
    auto *choose = new QPushButton(tr("C&hoose…"), this);
    choose->setObjectName(QStringLiteral("chooseFolderButton"));
    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(choose);
    m_database->setObjectName(QStringLiteral("databaseEdit"));
    m_database->setPlaceholderText(backup ? tr("the database to back up")
                                          : tr("empty: the database the backup was taken of"));
    auto *form = new QFormLayout;
    auto *folderLabel = new QLabel(tr("&Folder:"), this);
    folderLabel->setBuddy(m_folder);
    form->addRow(folderLabel, folderRow);
    form->addRow(backup ? tr("&Database:") : tr("Into &database:"), m_database);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    if (!backup) {
        m_preview = new QPushButton(tr("&Preview"), this);
        m_preview->setObjectName(QStringLiteral("previewButton"));
        m_plan = new QTableWidget(0, 4, this);
        m_plan->setObjectName(QStringLiteral("restorePlan"));
        m_plan->setHorizontalHeaderLabels({tr("Collection"), tr("On the target"),
                                           tr("Documents replaced"), tr("Documents restored")});
        m_plan->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
        m_plan->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
        m_plan->verticalHeader()->hide();
        m_plan->setEditTriggers(QAbstractItemView::NoEditTriggers);
        m_confirmLabel = new QLabel(this);
        m_confirm = new QLineEdit(this);
        m_confirm->setObjectName(QStringLiteral("confirmEdit"));
        auto *previewRow = new QHBoxLayout;
        previewRow->addWidget(m_preview);
        previewRow->addStretch(1);
        layout->addLayout(previewRow);
        layout->addWidget(m_plan, 1);
        layout->addWidget(m_confirmLabel);
        layout->addWidget(m_confirm);
        connect(m_preview, &QPushButton::clicked, this, &BackupDialog::preview);
        connect(m_confirm, &QLineEdit::textChanged, this, &BackupDialog::updateButtons);
    }
    m_progress->setObjectName(QStringLiteral("transferProgress"));
    m_progress->setVisible(false);
    m_status->setObjectName(QStringLiteral("transferStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    m_start->setObjectName(QStringLiteral("startButton"));
    m_cancel->setObjectName(QStringLiteral("cancelTransferButton"));
    m_start->setDefault(true);
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_start, QDialogButtonBox::AcceptRole);
    buttons->addButton(m_cancel, QDialogButtonBox::ActionRole);
    buttons->addButton(m_close, QDialogButtonBox::RejectRole);
    layout->addWidget(buttons);
    resize(backup ? 620 : 720, backup ? 260 : 480);

    connect(choose, &QPushButton::clicked, this, &BackupDialog::chooseFolder);
    connect(m_start, &QPushButton::clicked, this, &BackupDialog::start);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->cancel(); });
        m_status->setText(tr("Cancelling…"));
    });
    connect(m_close, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_folder, &QLineEdit::textChanged, this, [this] {
        m_planned = false; // another folder: preview again
        updateButtons();
    });
    connect(m_database, &QLineEdit::textChanged, this, [this] {
        m_planned = false;
        updateButtons();
    });
    updateButtons();
}

BackupDialog::~BackupDialog()
{
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->cancel(); });
    m_thread.quit();
    m_thread.wait();
}

void BackupDialog::chooseFolder()
{
    if (m_mode == Mode::Backup) {
        // A parent folder; the backup gets a new folder of its own inside.
        const QString parent = QFileDialog::getExistingDirectory(
            this, tr("Where to put the backup"), QFileInfo(m_folder->text()).path());
        if (!parent.isEmpty())
            m_folder->setText(QDir(parent).filePath(QFileInfo(m_folder->text()).fileName()));
        return;
    }
    const QString folder =
        QFileDialog::getExistingDirectory(this, tr("Backup folder to restore"), m_folder->text());
    if (!folder.isEmpty())
        m_folder->setText(folder);
}

void BackupDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_progress->setVisible(busy || m_progress->value() > 0);
    updateButtons();
}

void BackupDialog::updateButtons()
{
    const bool folder = !m_folder->text().trimmed().isEmpty();
    m_cancel->setEnabled(m_busy);
    m_close->setEnabled(!m_busy);
    if (m_mode == Mode::Backup) {
        m_start->setEnabled(!m_busy && folder && !m_database->text().trimmed().isEmpty());
        return;
    }
    m_preview->setEnabled(!m_busy && folder);
    const bool confirmed = m_planned && m_confirm->text() == m_plannedTarget;
    m_start->setEnabled(!m_busy && confirmed);
    m_confirm->setEnabled(m_planned && !m_busy);
}

void BackupDialog::preview()
{
    setBusy(true);
    m_status->setText(tr("Reading the backup and the target…"));
    const QString folder = m_folder->text().trimmed();
    const QString target = m_database->text().trimmed();
    QPointer<BackupDialog> self(this);
    QMetaObject::invokeMethod(m_worker, [w = m_worker, folder, target, self] {
        w->preview(folder, target, self.data(),
                   [self](const ops::RestorePlan &plan, const QString &error) {
                       if (self)
                           self->showPlan(plan, error);
                   });
    });
}

void BackupDialog::showPlan(const ops::RestorePlan &plan, const QString &error)
{
    setBusy(false);
    m_plan->setRowCount(0);
    if (!error.isEmpty()) {
        m_planned = false;
        m_status->setText(
            QStringLiteral("<span style='color:#c62828'>%1</span>").arg(error.toHtmlEscaped()));
        return updateButtons();
    }
    for (const ops::RestorePlan::Entry &e : plan.collections) {
        const int row = m_plan->rowCount();
        m_plan->insertRow(row);
        m_plan->setItem(row, 0, new QTableWidgetItem(e.name));
        m_plan->setItem(
            row, 1,
            new QTableWidgetItem(e.exists ? tr("exists: dropped and written again") : tr("new")));
        auto number = [](qint64 n) {
            auto *item = new QTableWidgetItem(QString::number(n));
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            return item;
        };
        m_plan->setItem(row, 2, number(e.existing));
        m_plan->setItem(row, 3, number(e.restored));
        if (e.exists)
            m_plan->item(row, 1)->setForeground(QColor(0xc6, 0x28, 0x28));
    }
    m_planned = true;
    m_plannedTarget = plan.targetDatabase;
    if (m_database->text().trimmed().isEmpty()) {
        const QSignalBlocker block(m_database);
        m_database->setText(plan.targetDatabase);
    }
    QString text = tr("Backup of <b>%1</b> (%2) into <b>%3</b>%4: %n document(s) replaced, ",
                      nullptr, int(plan.dropped))
                       .arg(plan.backupDatabase.toHtmlEscaped(), ops::formatName(plan.format),
                            plan.targetDatabase.toHtmlEscaped(),
                            plan.databaseExists ? QString() : tr(" (will be created)")) +
                   tr("%n restored.", nullptr, int(plan.restored));
    if (!plan.kept.isEmpty())
        text +=
            QStringLiteral("<br>") +
            tr("Kept as they are: %1.").arg(plan.kept.join(QStringLiteral(", ")).toHtmlEscaped());
    text += QStringLiteral("<br>") + tr("Nothing has been changed yet.");
    m_status->setText(text);
    m_confirmLabel->setText(tr("Type the database name <b>%1</b> to confirm:")
                                .arg(plan.targetDatabase.toHtmlEscaped()));
    updateButtons();
}

void BackupDialog::start()
{
    const QString folder = m_folder->text().trimmed();
    const QString database = m_database->text().trimmed();
    if (m_mode == Mode::Backup) {
        // The parent folder may not exist yet (the default one): make it.
        QDir().mkpath(QFileInfo(folder).path());
    }
    m_progress->setRange(0, 0);
    m_progress->setValue(0);
    m_progress->setVisible(true);
    setBusy(true);
    m_status->setText(m_mode == Mode::Backup ? tr("Backing up…") : tr("Restoring…"));
    QPointer<BackupDialog> self(this);
    auto progress = [self](const ops::TransferProgress &p) {
        if (self)
            self->showProgress(p);
    };
    auto done = [self](const QString &summary, const QString &error) {
        if (self)
            self->done(summary, error);
    };
    if (m_mode == Mode::Backup) {
        QMetaObject::invokeMethod(m_worker, [w = m_worker, database, folder, self, progress, done] {
            w->backup(database, folder, self.data(), progress, done);
        });
        return;
    }
    const QString confirm = m_confirm->text();
    const QString target = m_plannedTarget;
    QMetaObject::invokeMethod(m_worker,
                              [w = m_worker, folder, target, confirm, self, progress, done] {
                                  w->restore(folder, target, confirm, self.data(), progress, done);
                              });
}

void BackupDialog::showProgress(const ops::TransferProgress &p)
{
    if (p.total > 0) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(1000.0 * qMin(p.done, p.total) / double(p.total)));
        m_progress->setFormat(QStringLiteral("%1 / %2").arg(p.done).arg(p.total));
    }
    m_status->setText(tr("%1: %n document(s) so far…", nullptr, int(p.done)).arg(p.collection));
}

void BackupDialog::done(const QString &summary, const QString &error)
{
    setBusy(false);
    m_planned = false; // a restore that ran needs a new preview before another one
    if (error.isEmpty()) {
        m_progress->setRange(0, 1);
        m_progress->setValue(1);
        m_progress->setFormat(tr("done"));
        m_status->setText(summary);
    } else {
        m_progress->setVisible(false);
        m_status->setText(
            QStringLiteral("<span style='color:#c62828'>%1</span>").arg(error.toHtmlEscaped()));
    }
    updateButtons();
    Q_EMIT finished(error);
}

} // namespace repl::gui
