#include "gui/MainWindow.h"

#include "client/Endpoint.h"
#include "client/ReplicationClient.h"
#include "credentials/CredentialStore.h"
#include "gui/ApplierConfigDialog.h"
#include "gui/AuditLog.h"
#include "gui/DocumentBrowser.h"
#include "gui/FleetModel.h"
#include "gui/FleetOverview.h"
#include "gui/FleetWatcher.h"
#include "gui/InventoryModel.h"
#include "gui/LagHistory.h"
#include "gui/LagMonitor.h"
#include "gui/LeaderView.h"
#include "gui/LiveLog.h"
#include "gui/LoggerPanel.h"
#include "gui/MetricsPanel.h"
#include "gui/PasswordCache.h"
#include "gui/ReplicationsPanel.h"
#include "gui/ServerDialog.h"
#include "gui/ServerSession.h"
#include "gui/SyncDialog.h"
#include "ui_MainWindow.h"

#include <QCloseEvent>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QMessageBox>
#include <QScreen>
#include <QSettings>
#include <QStandardPaths>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QUrlQuery>

namespace repl::gui {

QString remedyFor(int errorNum)
{
    switch (errorNum) {
    case 0:
        return MainWindow::tr("Nothing to do.");
    case 1400:
        return MainWindow::tr("The leader did not answer. Check that it runs and that this machine "
                              "can reach its endpoint, then start the applier again.");
    case 1401:
        return MainWindow::tr("The leader sent something that is not a replication log. Check that "
                              "the endpoint points at a replication server.");
    case 1402:
        return MainWindow::tr("The leader refused a request. Check the user and password in the "
                              "applier configuration (HTTP 401) and that the database exists.");
    case 1404:
        return MainWindow::tr("The leader is a different server than before. Run a sync from it, "
                              "or forget the applier state if this is intended.");
    case 1405:
        return MainWindow::tr(
            "The applier points at this server itself. Set the leader's endpoint instead.");
    case 1410:
        return MainWindow::tr("The applier has no valid endpoint. Set one in its configuration.");
    case 1411:
        return MainWindow::tr(
            "Stop the applier first, then change its configuration or run the sync.");
    case 1412:
        return MainWindow::tr(
            "The applier was stopped by an operator. Start it again to continue where it stopped.");
    case 1414:
        return MainWindow::tr("The leader's log no longer holds the tick this follower needs. Run "
                              "a sync, then start the applier from the sync's tick.");
    default:
        return MainWindow::tr("See the message above; the server's log has details.");
    }
}

MainWindow::MainWindow(ServerListModel &servers, CredentialStore &credentials, QWidget *parent)
    : QMainWindow(parent)
    , m_ui(std::make_unique<Ui::MainWindow>())
    , m_servers(servers)
    , m_credentials(credentials)
    , m_inventory(new InventoryModel(this))
    , m_lag(nullptr)
    , m_liveLog(nullptr)
    , m_audit(new AuditLog(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                               QStringLiteral("/audit.jsonl"),
                           this))
    , m_passwords(new PasswordCache(servers, credentials, this))
    , m_history(new LagHistory(QString(), this))
    , m_fleet(new FleetWatcher(servers, *m_passwords, this))
    , m_fleetModel(new FleetModel(servers, *m_fleet, this))
{
    m_ui->setupUi(this);
    m_liveLog = new LiveLog(this);
    m_liveLog->setObjectName(QStringLiteral("liveLog"));
    m_ui->tabs->addTab(m_liveLog, tr("Live log"));
    connect(m_ui->tabs, &QTabWidget::currentChanged, this, [this](int) {
        m_liveLog->setFollowing(m_ui->tabs->currentWidget() == m_liveLog && isVisible());
    });
    m_lag = new LagMonitor(this);
    m_lag->setObjectName(QStringLiteral("lagMonitor"));
    m_ui->tabs->addTab(m_lag, tr("Lag"));
    // One refresh for the selected server's views and for the whole fleet's poll (which
    // does not go below a second: it asks every listed server).
    connect(m_lag, &LagMonitor::refreshIntervalChanged, this, [this](int ms) {
        if (m_session)
            m_session->setInterval(ms);
        m_fleet->setIntervalMs(qMax(1000, ms));
    });
    setupFleet();
    // The selected server's counters from its metrics endpoint, read while the tab shows.
    m_metrics = new MetricsPanel(this);
    m_metrics->setObjectName(QStringLiteral("metricsPanel"));
    m_ui->tabs->insertTab(m_ui->tabs->indexOf(m_leaderView) + 1, m_metrics, tr("Metrics"));
    connect(m_ui->tabs, &QTabWidget::currentChanged, this, [this](int) {
        m_metrics->setActive(m_ui->tabs->currentWidget() == m_metrics && isVisible());
    });
    setupReplications();
    auto *auditView = new QTableView(this);
    auditView->setObjectName(QStringLiteral("auditView"));
    auditView->setModel(m_audit);
    auditView->horizontalHeader()->setStretchLastSection(true);
    auditView->verticalHeader()->hide();
    auditView->setAlternatingRowColors(true);
    m_ui->tabs->addTab(auditView, tr("Audit"));
    m_audit->load();
    setupServerMenu();
    m_ui->serverList->setModel(&m_servers);
    m_ui->inventoryView->setModel(m_inventory);
    m_ui->inventoryView->sortByColumn(InventoryModel::Name, Qt::AscendingOrder);
    m_ui->inventoryView->header()->resizeSection(InventoryModel::Name, 280);
    m_ui->inventoryView->header()->resizeSection(InventoryModel::Type, 140);
    m_ui->inventoryView->header()->resizeSection(InventoryModel::Documents, 110);
    m_ui->inventorySplitter->setSizes({420, 200});
    connect(m_inventory, &QAbstractItemModel::rowsInserted, m_ui->inventoryView,
            &QTreeView::expandAll);
    m_ui->mainSplitter->setStretchFactor(1, 1);
    for (QPushButton *b : {m_ui->startApplierButton, m_ui->stopApplierButton})
        b->setEnabled(false);
    m_ui->startApplierButton->setIcon(QIcon(QStringLiteral(":/icons/actions/start.svg")));
    m_ui->stopApplierButton->setIcon(QIcon(QStringLiteral(":/icons/actions/stop.svg")));
    m_ui->actionRefresh->setIcon(QIcon(QStringLiteral(":/icons/actions/refresh.svg")));
    m_ui->startApplierButton->setShortcut(QKeySequence(QStringLiteral("Ctrl+R")));

    connect(m_ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->actionRefresh, &QAction::triggered, this, [this] {
        if (m_session)
            m_session->refreshNow();
    });
    connect(m_ui->serverList->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    selectServer(current.data(ServerListModel::IdRole).toString());
            });
    // Documents of the selected collection, page by page, shown as JSON under its definition.
    auto *browseBar = new QHBoxLayout;
    auto *browseFirst = new QPushButton(tr("First page"), this);
    browseFirst->setObjectName(QStringLiteral("browseFirstButton"));
    auto *browseNext = new QPushButton(tr("Next page"), this);
    browseNext->setObjectName(QStringLiteral("browseNextButton"));
    auto *browseLabel = new QLabel(this);
    browseLabel->setObjectName(QStringLiteral("browsePageLabel"));
    browseBar->addWidget(browseFirst);
    browseBar->addWidget(browseNext);
    browseBar->addWidget(browseLabel, 1);
    m_ui->inventoryLayout->addLayout(browseBar);
    m_browser =
        new DocumentBrowser(browseFirst, browseNext, browseLabel, m_ui->inventoryDetails, this);
    connect(m_ui->inventoryView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) {
                const QModelIndex first = current.siblingAtColumn(InventoryModel::Name);
                const QString kind = first.data(InventoryModel::KindRole).toString();
                // A collection (ArangoDB kinds) or a top-level CouchDB database has documents.
                const bool browsable =
                    kind == u"collection" || (kind == u"database" && !first.parent().isValid() &&
                                              first.data(InventoryModel::ObjectRole).isValid());
                const QString database = first.data(InventoryModel::DatabaseRole).toString();
                // On a server of many databases the Logger, Applier, Sync and Live log
                // follow the database chosen here.
                if (m_session && m_session->dialect().isArangoApi())
                    m_session->setDatabase(database);
                m_ui->inventoryDetails->setPlainText(
                    first.data(InventoryModel::JsonRole).toString());
                m_browser->select(database, browsable ? first.data().toString() : QString());
            });
    m_logger = new LoggerPanel(*m_ui, this);
    connect(m_logger, &LoggerPanel::failed, this, &MainWindow::showError);
    connect(m_logger, &LoggerPanel::configured, this, [this](const QString &saved) {
        statusBar()->showMessage(tr("Logger configuration saved."), 5000);
        audit(tr("logger configured"), saved);
    });
    connect(m_ui->startApplierButton, &QPushButton::clicked, this, [this] {
        if (m_session)
            m_session->setApplierRunning(
                true, m_ui->fromTickEdit->text().trimmed(), [this](const QString &e) {
                    showError(e);
                    if (e.isEmpty())
                        audit(tr("applier started"),
                              m_ui->fromTickEdit->text().trimmed().isEmpty()
                                  ? tr("from its saved state")
                                  : tr("from tick %1").arg(m_ui->fromTickEdit->text().trimmed()));
                });
    });
    connect(m_ui->stopApplierButton, &QPushButton::clicked, this, [this] {
        if (m_session)
            m_session->setApplierRunning(false, {}, [this](const QString &e) {
                showError(e);
                if (e.isEmpty())
                    audit(tr("applier stopped"),
                          tr("at tick %1").arg(m_ui->appliedTickValue->text()));
            });
    });
    // Permanent: the selected server's connection and the last error seen this session.
    m_connectionIndicator = new QLabel(this);
    m_connectionIndicator->setObjectName(QStringLiteral("connectionIndicator"));
    m_lastErrorIndicator = new QLabel(this);
    m_lastErrorIndicator->setObjectName(QStringLiteral("lastErrorIndicator"));
    m_lastErrorIndicator->setStyleSheet(QStringLiteral("color: #c62828;"));
    statusBar()->addPermanentWidget(m_lastErrorIndicator);
    statusBar()->addPermanentWidget(m_connectionIndicator);
    statusBar()->showMessage(tr("Starting the engine on this computer…"));
    setupTls();
    setupToolBar();
    restoreLayout();
}

MainWindow::~MainWindow() = default;

ServerSession *MainWindow::currentSession() const
{
    return m_session.data();
}

void MainWindow::restoreLayout()
{
    QSettings s;
    // The first time: most of the screen, at least what the tabs need, centred.
    if (!restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray())) {
        const QRect screen = QGuiApplication::primaryScreen()
                                 ? QGuiApplication::primaryScreen()->availableGeometry()
                                 : QRect(0, 0, 1280, 800);
        const QSize size = QSize(1280, 820).boundedTo(screen.size() * 0.9);
        setGeometry(QStyle::alignedRect(Qt::LeftToRight, Qt::AlignCenter, size, screen));
    }
    restoreState(s.value(QStringLiteral("window/state")).toByteArray());
    m_ui->mainSplitter->restoreState(s.value(QStringLiteral("window/mainSplitter")).toByteArray());
    m_ui->inventorySplitter->restoreState(
        s.value(QStringLiteral("window/inventorySplitter")).toByteArray());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    s.setValue(QStringLiteral("window/mainSplitter"), m_ui->mainSplitter->saveState());
    s.setValue(QStringLiteral("window/inventorySplitter"), m_ui->inventorySplitter->saveState());
    QMainWindow::closeEvent(event);
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (m_session)
        m_session->setActive(true);
    m_replications->setActive(m_ui->tabs->currentWidget() == m_replications);
    m_metrics->setActive(m_ui->tabs->currentWidget() == m_metrics);
}

void MainWindow::hideEvent(QHideEvent *event)
{
    QMainWindow::hideEvent(event);
    if (m_session)
        m_session->setActive(false); // no polling while hidden
    m_replications->setActive(false);
    m_metrics->setActive(false);
}

void MainWindow::addRuntimeServer(const QString &id, const QString &name, const QUrl &url,
                                  const QString &serverId, const QString &password,
                                  const QString &user)
{
    ServerEntry e;
    e.id = id;
    e.name = name;
    e.user = user;
    e.endpoint = url.toString();
    e.embedded = true;
    e.serverId = serverId;
    m_passwords->remember(e.id, password);
    if (m_servers.rowOf(e.id) < 0)
        m_servers.add(e);
}

void MainWindow::addEmbeddedServer(const QUrl &url, const QString &serverId,
                                   const QString &password)
{
    ServerEntry e;
    e.id = QStringLiteral("embedded");
    e.name = tr("This computer");
    e.endpoint = url.toString();
    e.embedded = true;
    e.serverId = serverId;
    m_passwords->remember(e.id, password);
    if (m_servers.rowOf(e.id) < 0)
        m_servers.add(e);
    statusBar()->showMessage(tr("Engine on this computer listens on %1").arg(url.toString()), 5000);
    if (!m_session)
        selectServer(e.id);
}

void MainWindow::selectServer(const QString &id)
{
    const ServerEntry *e = m_servers.entry(id);
    if (!e)
        return;
    const int row = m_servers.rowOf(id);
    if (m_ui->serverList->currentIndex().row() != row)
        m_ui->serverList->setCurrentIndex(m_servers.index(row));
    if (m_session && m_session->entry().id == id)
        return;
    const ServerEntry entry = *e;
    m_passwords->get(id, [this, entry](const QString &password) { openSession(entry, password); });
}

void MainWindow::openSession(const ServerEntry &entry, const QString &password)
{
    if (m_session)
        m_session->deleteLater();
    m_inventory->apply({});
    m_ui->serverNameValue->setText(entry.name);
    m_ui->endpointValue->setText(entry.endpoint);
    m_ui->connectionValue->setText(tr("connecting…"));
    m_session = new ServerSession(entry, password, this);
    connect(m_session, &ServerSession::statusChanged, this, &MainWindow::showStatus);
    m_logger->setSession(m_session);
    connect(m_session, &ServerSession::loggerStateChanged, m_logger, &LoggerPanel::showState);
    connect(m_session, &ServerSession::applierStateChanged, this, &MainWindow::showApplier);
    connect(m_session, &ServerSession::dialectChanged, this, &MainWindow::applyDialect);
    connect(m_session, &ServerSession::databaseChanged, this, &MainWindow::showDatabase);
    connect(m_session, &ServerSession::certificateRefused, this, &MainWindow::askToTrust);
    applyDialect({});
    showDatabase(m_session->database());
    m_liveLog->setSession(m_session);
    m_browser->setSession(m_session);
    m_metrics->setServer(m_session);
    m_metrics->setActive(m_ui->tabs->currentWidget() == m_metrics && isVisible());
    m_liveLog->setFollowing(m_ui->tabs->currentWidget() == m_liveLog);
    m_lag->setServer(entry.id, entry.name, m_history);
    m_leaderView->setLeader(entry.id);
    connect(m_session, &ServerSession::applierStateChanged, m_lag,
            [this](const QJsonObject &s) { m_lag->addApplierState(s); });
    connect(m_session, &ServerSession::inventoryChanged, m_inventory, &InventoryModel::apply);
    m_session->setActive(isVisible());
    m_replications->setServer(
        m_session->client().settings(), [this] { return otherServers(); }, m_passwords->lookup());
    setWindowTitle(tr("%1 — ReplDesk").arg(entry.name));
}

void MainWindow::showDatabase(const QString &database)
{
    // The tabs name the database they are about; a lag history belongs to one database.
    const QString db = database.isEmpty() ? QStringLiteral("_system") : database;
    // CouchDB-protocol servers have neither, and no ArangoDB databases to name.
    const bool arango = !m_session || !m_session->dialect().isCouchApi();
    m_ui->tabs->setTabText(m_ui->tabs->indexOf(m_ui->loggerTab),
                           arango ? tr("Logger · %1").arg(db) : tr("Logger"));
    m_ui->tabs->setTabText(m_ui->tabs->indexOf(m_ui->applierTab),
                           arango ? tr("Applier · %1").arg(db) : tr("Applier"));
    // The lag of another database starts afresh; the history the app keeps is of the
    // server's own database (the one the fleet watches), shown again when it is back.
    if (m_session && sender() == m_session) {
        const ServerEntry &e = m_session->entry();
        const QString own = e.database.isEmpty() ? QStringLiteral("_system") : e.database;
        m_lag->setServer(e.id, e.name, db == own ? m_history : nullptr);
    }
}

void MainWindow::showStatus(ServerEntry::State state, const QString &text, const QString &version,
                            const QString &serverId)
{
    if (!m_session)
        return;
    m_servers.setState(m_session->entry().id, state, text, version, serverId);
    m_ui->connectionValue->setText(text);
    m_connectionIndicator->setText(tr("%1: %2").arg(m_session->entry().name, text));
    if (!serverId.isEmpty())
        m_ui->serverIdValue->setText(serverId);
    // A problem is announced when it starts or changes, not again on every poll: a repeat
    // would wipe a newer message (an applier alarm about another server) within a second.
    // The connection indicator keeps showing it meanwhile.
    const QString message = tr("%1: %2").arg(m_session->entry().name, text);
    if (state != ServerEntry::State::Reachable) {
        // An alarm about an applier (any server) stays up: the indicator says this meanwhile.
        const bool alarmShown =
            statusBar()->currentMessage() == m_alarmMessage && !m_alarmMessage.isEmpty();
        if (message != m_lastStatusMessage && !alarmShown)
            statusBar()->showMessage(message);
        m_lastStatusMessage = message;
        return;
    }
    m_lastStatusMessage.clear();
    if (statusBar()->currentMessage().startsWith(m_session->entry().name))
        statusBar()->clearMessage();
}

void MainWindow::showApplier(const QJsonObject &state)
{
    const QJsonObject s = state.value(QStringLiteral("state")).toObject();
    const bool running = s.value(QStringLiteral("running")).toBool();
    auto tick = [&](const char *name) {
        const QJsonValue v = s.value(QLatin1String(name));
        return v.isNull() ? tr("none") : v.toString();
    };
    m_ui->applierPhaseValue->setText(s.value(QStringLiteral("phase")).toString());
    const QString endpoint = state.value(QStringLiteral("endpoint")).toString();
    // ArangoDB's server-level applier, shown on _system when it is the one in use.
    const bool global = state.value(QStringLiteral("global")).toBool();
    m_ui->applierLeaderValue->setText(
        (endpoint.isEmpty() ? tr("not configured") : endpoint) +
        (global ? tr(" — the server-level (global) applier: it follows every database")
                : QString()));
    m_ui->appliedTickValue->setText(
        tr("%1 / %2").arg(tick("lastAppliedContinuousTick"), tick("lastAvailableContinuousTick")));
    m_ui->ticksBehindValue->setText(
        running ? QString::number(qint64(s.value(QStringLiteral("ticksBehind")).toDouble()))
                : tr("— (not running)"));
    m_ui->progressValue->setText(
        s.value(QStringLiteral("progress")).toObject().value(QStringLiteral("message")).toString());
    m_ui->totalsValue->setText(
        tr("%1 events, %2 documents, %3 removals, %4 requests, %5 failed connects")
            .arg(qint64(s.value(QStringLiteral("totalEvents")).toDouble()))
            .arg(qint64(s.value(QStringLiteral("totalDocuments")).toDouble()))
            .arg(qint64(s.value(QStringLiteral("totalRemovals")).toDouble()))
            .arg(qint64(s.value(QStringLiteral("totalRequests")).toDouble()))
            .arg(qint64(s.value(QStringLiteral("totalFailedConnects")).toDouble())));
    const QJsonObject err = s.value(QStringLiteral("lastError")).toObject();
    const int num = err.value(QStringLiteral("errorNum")).toInt();
    m_ui->lastErrorValue->setText(
        num == 0 ? tr("none")
                 : tr("%1 — %2 (at %3)")
                       .arg(num)
                       .arg(err.value(QStringLiteral("errorMessage")).toString(),
                            err.value(QStringLiteral("time")).toString()));
    m_ui->lastErrorValue->setStyleSheet(num != 0 && num != 1412 ? QStringLiteral("color: #c62828;")
                                                                : QString());
    m_ui->remedyValue->setText(remedyFor(num));
    // Error history for the session: each distinct error once, newest first, in the tooltip.
    if (num != 0) {
        const QString entry = tr("%1 · %2 · %3: %4")
                                  .arg(err.value(QStringLiteral("time")).toString(),
                                       m_session ? m_session->entry().name : QString())
                                  .arg(num)
                                  .arg(err.value(QStringLiteral("errorMessage")).toString());
        if (!m_errorHistory.contains(entry)) {
            m_errorHistory.prepend(entry);
            m_lastErrorIndicator->setText(tr("Last error: %1").arg(num));
            statusBar()->showMessage(tr("Applier error %1: %2")
                                         .arg(num)
                                         .arg(err.value(QStringLiteral("errorMessage")).toString()),
                                     15000);
        }
    }
    m_ui->lastErrorValue->setToolTip(
        m_errorHistory.isEmpty()
            ? QString()
            : tr("Errors this session:\n%1").arg(m_errorHistory.mid(0, 20).join(u'\n')));
    m_ui->startApplierButton->setEnabled(!running && !endpoint.isEmpty());
    m_ui->stopApplierButton->setEnabled(running);
    m_startApplierAction->setEnabled(m_ui->startApplierButton->isEnabled());
    m_stopApplierAction->setEnabled(running);
}

void MainWindow::showError(const QString &error)
{
    if (error.isEmpty())
        return;
    statusBar()->showMessage(error, 10000);
    m_lastErrorIndicator->setText(tr("Last error: %1").arg(error.left(80)));
    m_lastErrorIndicator->setToolTip(error);
}

} // namespace repl::gui
