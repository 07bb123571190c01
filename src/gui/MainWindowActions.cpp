// MainWindow's actions on servers: dialogs (sync, applier configuration, add/edit server),
// passwords for this session, the audit trail and the topology poll. Split from
// MainWindow.cpp, which builds the window and shows what the sessions report.
#include "client/Endpoint.h"

#include "client/ReplicationClient.h"
#include "client/ServerProbe.h"
#include "credentials/CredentialStore.h"
#include "gui/ApplierConfigDialog.h"
#include "gui/AuditLog.h"
#include "gui/BackupDialog.h"
#include "gui/InventoryModel.h"
#include "gui/MainWindow.h"
#include "gui/ReplicateDialog.h"
#include "gui/ReplicationsPanel.h"
#include "gui/RestorePointsDialog.h"
#include "gui/ServerDialog.h"
#include "gui/ServerSession.h"
#include "gui/SyncDialog.h"
#include "gui/TopologyModel.h"
#include "ui_MainWindow.h"
#include "ui_ReplicateDialog.h"

#include <QApplication>
#include <QInputDialog>
#include <QJsonDocument>
#include <QMenu>
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

std::function<void(const QString &, std::function<void(const QString &)>)>
MainWindow::passwordLookup()
{
    return [this](const QString &id, std::function<void(const QString &)> done) {
        passwordFor(id, std::move(done));
    };
}

void MainWindow::audit(const QString &action, const QString &detail)
{
    m_audit->record(m_session ? m_session->entry().name + QStringLiteral(" (") +
                                    m_session->entry().endpoint + u')'
                              : QString(),
                    action, detail);
}

void MainWindow::passwordFor(const QString &serverId, std::function<void(const QString &)> done)
{
    if (m_sessionPasswords.contains(serverId))
        return done(m_sessionPasswords.value(serverId));
    const ServerEntry *e = m_servers.entry(serverId);
    if (!e)
        return done(QString());
    if (e->user.isEmpty()) { // a server without authentication
        m_sessionPasswords.insert(serverId, QString());
        return done(QString());
    }
    const ServerEntry entry = *e;
    m_credentials.read(
        CredentialStore::keyFor(entry.endpoint, entry.user, entry.database), this,
        [this, entry, done](const CredentialStore::Result &r) {
            QString password = r.secret;
            if (!r.ok) {
                const QString why =
                    r.noBackend ? tr("No system keychain is available, so ReplDesk cannot keep "
                                     "the password. It is asked once per session.")
                                : tr("No password is stored for %1.").arg(entry.name);
                bool ok = false;
                password = QInputDialog::getText(this, tr("Password for %1").arg(entry.name),
                                                 why + QStringLiteral("\n\n") +
                                                     tr("Password of %1:").arg(entry.user),
                                                 QLineEdit::Password, {}, &ok);
                if (!ok)
                    return;
            }
            m_sessionPasswords.insert(entry.id, password);
            done(password);
        });
}

void MainWindow::openBackupDialog(bool restore)
{
    if (!m_session)
        return;
    // On CouchDB-kind servers the database is the one chosen in the Inventory.
    QString database = m_session->database();
    if (m_session->dialect().isCouchApi())
        database = m_browseDatabase;
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
    auto *dialog = new SyncDialog(*m_session, otherServers(), passwordLookup(), this);
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
                m_sessionPasswords.insert(id, pw);
                statusBar()->showMessage(
                    tr("No system keychain: the password is kept for this session only."), 10000);
            });
    connect(dialog, &QDialog::accepted, this, [this, dialog, existing] {
        const ServerEntry e = dialog->entry();
        if (!dialog->password().isEmpty())
            m_sessionPasswords.insert(e.id, dialog->password());
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
    auto *dialog = new ApplierConfigDialog(*m_session, otherServers(), passwordLookup(), this);
    dialog->setObjectName(QStringLiteral("applierConfigDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ApplierConfigDialog::saved, this, [this] {
        audit(tr("applier configured"), QString());
        if (m_session)
            m_session->refreshNow();
    });
    dialog->open();
}

void MainWindow::pollTopology()
{
    // Every tick (2 s) while the Overview shows; otherwise every third, which still notices
    // an applier that stops with an error on any server opened this session.
    const bool overview = isVisible() && m_ui->tabs->currentWidget() == m_ui->overviewTab;
    if (!overview && m_topologyTicks++ % 3 != 0)
        return;
    QStringList ids;
    for (const ServerEntry &e : m_servers.entries()) {
        ids << e.id;
        if (!m_sessionPasswords.contains(e.id))
            continue; // not opened this session: no password to use yet
        client::ReplicationClient *&c = m_topologyClients[e.id];
        if (!c) {
            client::ClientSettings s = client::ClientSettings::forEndpoint(
                e.endpoint, e.database, QString(), e.user, m_sessionPasswords.value(e.id), 5);
            s.tls.pinnedSha256 = e.tlsPin;
            c = new client::ReplicationClient(s, this);
        }
        if (m_topologyInFlight.contains(e.id))
            continue; // one poll per server at a time: answers cannot arrive out of order
        m_topologyInFlight.insert(e.id);
        const ops::Dialect dialect = m_topologyDialects.value(e.id);
        if (!dialect.isKnown()) {
            // Once per server, the sessions' own probe decides what there is to poll.
            client::probeServer(*c, this, [this, e](const client::ServerProbe &p) {
                m_topologyInFlight.remove(e.id);
                const ops::Dialect d = ops::Dialect::fromProbe(p);
                if (d.isKnown())
                    m_topologyDialects.insert(e.id, d);
                client::HttpResult reached;
                reached.status = 200;
                showTopology(e, d.isKnown() ? reached : p.failure, topologyMarks(d));
            });
            continue;
        }
        // Only what the server has: its applier where there is one; else a route that
        // says it is there (CouchDB's welcome; ArangoDB 3.12.10+'s WAL position).
        const bool applier = dialect.has(ops::Feature::Applier);
        const QString path = applier ? QStringLiteral("/_api/replication/applier-state")
                             : dialect.isCouchApi() ? QStringLiteral("/")
                                                    : QStringLiteral("/_api/wal/lastTick");
        c->get(path, {}, this, [this, e, applier, dialect](const client::HttpResult &r) {
            m_topologyInFlight.remove(e.id);
            QJsonObject state = topologyMarks(dialect);
            if (applier && r.ok()) {
                state = QJsonDocument::fromJson(r.body).object();
                watchApplier(e, state);
            }
            showTopology(e, r, state);
        });
    }
    m_topology->removeMissing(ids);
}

// What the topology row of a server without an applier says instead of its state.
QJsonObject MainWindow::topologyMarks(const ops::Dialect &d)
{
    if (d.isCouchApi())
        return {{QStringLiteral("couchdb"), true}};
    if (d.isKnown() && !d.has(ops::Feature::Applier))
        return {{QStringLiteral("noFollower"), d.describe()}};
    return {};
}

// One server's poll answer: its topology row, and its sidebar dot unless it is the selected
// server (whose dot follows its session).
void MainWindow::showTopology(const ServerEntry &e, const client::HttpResult &r, QJsonObject state)
{
    if (r.status == 401 || r.status == 403)
        state.insert(QStringLiteral("authFailed"), r.status);
    m_topology->update(e.id, e.name, e.endpoint, state, r.answered());
    if (m_session && m_session->entry().id == e.id)
        return;
    using State = ServerEntry::State;
    const State dot = !r.answered()                        ? State::Unreachable
                      : r.status == 401 || r.status == 403 ? State::AuthError
                                                           : State::Reachable;
    m_servers.setState(e.id, dot,
                       dot == State::Reachable ? tr("reachable (checked in the background)")
                       : dot == State::AuthError
                           ? tr("authentication failed (HTTP %1)").arg(r.status)
                           : tr("unreachable: %1").arg(r.errorString),
                       {}, {});
}

// An applier seen running that is now stopped with an error (not 1412, a stop on request):
// the operator hears of it whichever server and tab are shown, also with the window in the
// background.
void MainWindow::watchApplier(const ServerEntry &e, const QJsonObject &applierState)
{
    const QJsonObject s = applierState.value(QStringLiteral("state")).toObject();
    const bool running = s.value(QStringLiteral("running")).toBool();
    const bool wasRunning = m_appliersRunning.value(e.id, false);
    m_appliersRunning.insert(e.id, running);
    const QJsonObject error = s.value(QStringLiteral("lastError")).toObject();
    const int num = error.value(QStringLiteral("errorNum")).toInt();
    if (!wasRunning || running || num == 0 || num == 1412)
        return;
    const QString message = error.value(QStringLiteral("errorMessage")).toString();
    const QString text =
        tr("The applier on %1 stopped: error %2 — %3").arg(e.name).arg(num).arg(message);
    statusBar()->showMessage(text, 120000);
    m_lastErrorIndicator->setText(tr("Last error: %1 on %2").arg(num).arg(e.name));
    m_audit->record(e.name + QStringLiteral(" (") + e.endpoint + u')',
                    tr("applier stopped by an error"),
                    tr("error %1: %2 — %3").arg(num).arg(message, remedyFor(num)));
    QApplication::alert(this);
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        if (!m_tray) {
            m_tray = new QSystemTrayIcon(windowIcon(), this);
            m_tray->setToolTip(QStringLiteral("ReplDesk"));
            connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
                showNormal();
                activateWindow();
            });
        }
        m_tray->show();
        m_tray->showMessage(tr("Applier stopped on %1").arg(e.name), text,
                            QSystemTrayIcon::Warning);
    }
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
