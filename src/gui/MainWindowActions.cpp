// MainWindow's actions on servers: dialogs (sync, applier configuration, add/edit server,
// backups, restore points), the audit trail and the Replications tab. Split from
// MainWindow.cpp, which builds the window and shows what the sessions report.
#include "client/Endpoint.h"

#include "client/ReplicationClient.h"
#include "client/ServerProbe.h"
#include "credentials/CredentialStore.h"
#include "gui/ApplierConfigDialog.h"
#include "gui/AuditLog.h"
#include "gui/BackupDialog.h"
#include "gui/DocumentBrowser.h"
#include "gui/InventoryModel.h"
#include "gui/MainWindow.h"
#include "gui/MetricsPanel.h"
#include "gui/PasswordCache.h"
#include "gui/ReplicateDialog.h"
#include "gui/ReplicationsPanel.h"
#include "gui/RestorePointsDialog.h"
#include "gui/ServerDialog.h"
#include "gui/ServerSession.h"
#include "gui/SyncDialog.h"
#include "ui_MainWindow.h"
#include "ui_ReplicateDialog.h"

#include <QApplication>
#include <QInputDialog>
#include <QJsonDocument>
#include <QMenu>
#include <QMessageBox>
#include <QStatusBar>
#include <QSystemTrayIcon>

namespace repl::gui {

QList<ServerEntry> MainWindow::otherServers() const
{
    QList<ServerEntry> out;
    for (const ServerEntry &e : m_servers.entries())
        if (!m_session || e.id != m_session->entry().id)
            out.append(e);
    return out;
}

void MainWindow::audit(const QString &action, const QString &detail)
{
    m_audit->record(m_session ? m_session->entry().name + QStringLiteral(" (") +
                                    m_session->entry().endpoint + u')'
                              : QString(),
                    action, detail);
}

// The Server menu: the list (add, edit, remove) and what to do with the selected server.
void MainWindow::setupServerMenu()
{
    auto *add = m_ui->menuServer->addAction(tr("&Add server…"));
    add->setObjectName(QStringLiteral("actionAddServer"));
    add->setShortcut(QKeySequence::New);
    connect(add, &QAction::triggered, this, [this] { editServer({}); });
    auto *edit = m_ui->menuServer->addAction(tr("&Edit server…"));
    edit->setObjectName(QStringLiteral("actionEditServer"));
    edit->setShortcut(QKeySequence(QStringLiteral("F2")));
    connect(edit, &QAction::triggered, this, [this] {
        if (m_session && !m_session->entry().embedded)
            editServer(m_session->entry());
    });
    auto *remove = m_ui->menuServer->addAction(tr("&Remove server"));
    remove->setObjectName(QStringLiteral("actionRemoveServer"));
    remove->setShortcut(QKeySequence::Delete);
    connect(remove, &QAction::triggered, this, [this] {
        if (!m_session || m_session->entry().embedded)
            return;
        const ServerEntry e = m_session->entry();
        if (QMessageBox::question(
                this, tr("Remove server"),
                tr("Remove %1 from the list? Its password is removed from the keychain.")
                    .arg(e.name)) != QMessageBox::Yes)
            return;
        m_credentials.remove(CredentialStore::keyFor(e.endpoint, e.user, e.database), this,
                             [](const CredentialStore::Result &) {});
        m_metrics->setServer(nullptr);
        m_session->deleteLater();
        m_session = nullptr;
        m_servers.remove(e.id);
        selectServer(QStringLiteral("embedded"));
    });
    m_ui->menuServer->addSeparator();
    auto *configure = m_ui->menuServer->addAction(tr("&Configure applier…"));
    configure->setObjectName(QStringLiteral("actionConfigureApplier"));
    configure->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+A")));
    connect(configure, &QAction::triggered, this, &MainWindow::openApplierConfig);
    auto *configureButton = new QPushButton(tr("Configure…"), this);
    configureButton->setObjectName(QStringLiteral("configureApplierButton"));
    m_ui->applierButtons->insertWidget(m_ui->applierButtons->count() - 1, configureButton);
    connect(configureButton, &QPushButton::clicked, configure, &QAction::trigger);
    auto *sync = m_ui->menuServer->addAction(tr("&Sync from leader…"));
    sync->setObjectName(QStringLiteral("actionSync"));
    sync->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+S")));
    connect(sync, &QAction::triggered, this, &MainWindow::openSyncDialog);
    m_ui->menuServer->addSeparator();
    auto *backup = m_ui->menuServer->addAction(tr("&Back up database…"));
    backup->setObjectName(QStringLiteral("actionBackup"));
    connect(backup, &QAction::triggered, this, [this] { openBackupDialog(false); });
    auto *restore = m_ui->menuServer->addAction(tr("R&estore database…"));
    restore->setObjectName(QStringLiteral("actionRestore"));
    connect(restore, &QAction::triggered, this, [this] { openBackupDialog(true); });
    auto *points = m_ui->menuServer->addAction(tr("Restore &points…"));
    points->setObjectName(QStringLiteral("actionRestorePoints"));
    connect(points, &QAction::triggered, this, &MainWindow::openRestorePoints);
    m_ui->menuServer->addSeparator();
    auto *demo = m_ui->menuServer->addAction(tr("Start &demo"));
    demo->setObjectName(QStringLiteral("actionStartDemo"));
    demo->setShortcut(QKeySequence(QStringLiteral("Ctrl+D")));
    connect(demo, &QAction::triggered, this, &MainWindow::demoRequested);
}

void MainWindow::openBackupDialog(bool restore)
{
    if (!m_session)
        return;
    // On CouchDB-kind servers the database is the one chosen in the Inventory.
    QString database = m_session->database();
    if (m_session->dialect().isCouchApi())
        database = m_browser->database();
    client::ClientSettings settings = m_session->client().settings();
    settings.database.clear();
    auto *dialog = new BackupDialog(
        restore ? BackupDialog::Mode::Restore : BackupDialog::Mode::Backup, settings,
        m_session->entry().name,
        database.isEmpty() && !m_session->dialect().isCouchApi() ? QStringLiteral("_system")
                                                                 : database,
        this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QString server = m_session->entry().name;
    connect(dialog, &BackupDialog::finished, this, [this, restore, server](const QString &e) {
        m_audit->record(server, restore ? tr("restore") : tr("backup"),
                        e.isEmpty() ? tr("done") : e);
    });
    dialog->show();
}

void MainWindow::openRestorePoints()
{
    if (!m_session)
        return;
    auto *dialog = new RestorePointsDialog(*m_session, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QString server = m_session->entry().name;
    connect(dialog, &RestorePointsDialog::audited, this,
            [this, server](const QString &action, const QString &detail) {
                m_audit->record(server, action, detail);
            });
    dialog->show();
}

void MainWindow::openSyncDialog()
{
    if (!m_session)
        return;
    auto *dialog = new SyncDialog(*m_session, otherServers(), m_passwords->lookup(), this);
    dialog->setObjectName(QStringLiteral("syncDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SyncDialog::audited, this, &MainWindow::audit);
    dialog->open();
}

void MainWindow::editServer(const ServerEntry &existing)
{
    auto *dialog = new ServerDialog(m_credentials, existing, this);
    dialog->setObjectName(QStringLiteral("serverDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ServerDialog::passwordForSession, this,
            [this](const QString &id, const QString &pw) {
                m_passwords->remember(id, pw);
                statusBar()->showMessage(
                    tr("No system keychain: the password is kept for this session only."), 10000);
            });
    connect(dialog, &QDialog::accepted, this, [this, dialog, existing] {
        const ServerEntry e = dialog->entry();
        if (!dialog->password().isEmpty())
            m_passwords->remember(e.id, dialog->password());
        if (existing.id.isEmpty())
            m_servers.add(e);
        else
            m_servers.update(e);
        if (m_session && m_session->entry().id == e.id) {
            m_session->deleteLater();
            m_session = nullptr;
        }
        selectServer(e.id);
    });
    dialog->open();
}

void MainWindow::openApplierConfig()
{
    if (!m_session)
        return;
    auto *dialog = new ApplierConfigDialog(*m_session, otherServers(), m_passwords->lookup(), this);
    dialog->setObjectName(QStringLiteral("applierConfigDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ApplierConfigDialog::saved, this, [this] {
        audit(tr("applier configured"), QString());
        if (m_session)
            m_session->refreshNow();
    });
    dialog->open();
}

// The Replications tab: its panel, audit entries for what it starts and cancels, and the
// Inventory's "Replicate …" on a collection of _system (which is also a CouchDB database).
void MainWindow::setupReplications()
{
    m_replications = new ReplicationsPanel(this);
    m_ui->tabs->addTab(m_replications, tr("Replications"));
    connect(m_ui->tabs, &QTabWidget::currentChanged, this, [this](int) {
        m_replications->setActive(m_ui->tabs->currentWidget() == m_replications && isVisible());
    });
    connect(m_replications, &ReplicationsPanel::answered, this,
            [this](int status, const QJsonObject &answer, const QJsonObject &request) {
                if (status < 200 || status >= 300)
                    return;
                const auto describe = [](const QJsonValue &v) {
                    return v.isObject() ? QUrl(v.toObject().value(QStringLiteral("url")).toString())
                                              .toString(QUrl::RemoveUserInfo)
                                        : QUrl(v.toString()).toString(QUrl::RemoveUserInfo);
                };
                if (request.value(QStringLiteral("cancel")).toBool())
                    audit(tr("replication cancelled"),
                          answer.value(QStringLiteral("_local_id")).toString());
                else
                    audit(tr("replication started"),
                          tr("%1 → %2%3")
                              .arg(describe(request.value(QStringLiteral("source"))),
                                   describe(request.value(QStringLiteral("target"))),
                                   request.value(QStringLiteral("continuous")).toBool()
                                       ? tr(" (continuous)")
                                       : QString()));
            });
    // A collection of _system is also a CouchDB database: replicate it from here.
    m_ui->inventoryView->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(
        m_ui->inventoryView, &QWidget::customContextMenuRequested, this, [this](const QPoint &at) {
            const QModelIndex index =
                m_ui->inventoryView->indexAt(at).siblingAtColumn(InventoryModel::Name);
            const bool couch = m_session && m_session->flavor() == client::ServerFlavor::CouchDb;
            const QString kind = index.data(InventoryModel::KindRole).toString();
            const bool replicable =
                couch ? kind == u"database" && !index.parent().isValid()
                      : kind == u"collection" &&
                            index.data(InventoryModel::DatabaseRole).toString() == u"_system" &&
                            m_session && m_session->dialect().has(ops::Feature::CouchReplicate);
            if (!index.isValid() || !m_session || !replicable)
                return;
            const QString name = index.data().toString();
            // On a CouchDB server the job runs there too, and CouchDB 3 wants URLs.
            QString source = name;
            if (couch) { // never the endpoint's user info in a field or a job
                QUrl url = m_session->client().settings().base.adjusted(QUrl::RemoveUserInfo |
                                                                        QUrl::StripTrailingSlash);
                url.setPath(url.path(QUrl::FullyEncoded) + u'/' + client::percentEncoded(name),
                            QUrl::TolerantMode);
                source = url.toString(QUrl::FullyEncoded);
            }
            QMenu menu(this);
            QAction *replicate = menu.addAction(tr("Replicate “%1”…").arg(name));
            replicate->setEnabled(!name.startsWith(u'_'));
            if (menu.exec(m_ui->inventoryView->viewport()->mapToGlobal(at)) != replicate)
                return;
            m_ui->tabs->setCurrentWidget(m_replications);
            ReplicateDialog *dialog = m_replications->openDialog();
            dialog->ui()->sourceCombo->setEditText(source);
            dialog->ui()->targetCombo->setFocus();
        });
}

} // namespace repl::gui
