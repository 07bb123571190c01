// MainWindow's fleet: the watcher that polls every listed server (FleetWatcher) and what it
// feeds — the Overview's fleet table, the Followers tab (LeaderView), the lag history on
// disk, the sidebar's dots and the alarm when an applier stops with an error — and the
// toolbar with the main actions.
#include "gui/AuditLog.h"
#include "gui/FleetModel.h"
#include "gui/FleetOverview.h"
#include "gui/FleetWatcher.h"
#include "gui/LagHistory.h"
#include "gui/LagMonitor.h"
#include "gui/LeaderView.h"
#include "gui/MainWindow.h"
#include "gui/ServerSession.h"
#include "ui_MainWindow.h"

#include <QApplication>
#include <QLabel>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QToolBar>

namespace repl::gui {

void MainWindow::setupFleet()
{
    m_overview = new FleetOverview(*m_fleetModel, this);
    m_overview->setObjectName(QStringLiteral("fleetOverview"));
    m_ui->overviewLayout->addRow(m_overview);
    connect(m_overview, &FleetOverview::openServer, this, [this](const QString &id) {
        selectServer(id);
        m_ui->tabs->setCurrentWidget(m_leaderView && m_fleet->hasFollowers(id)
                                         ? static_cast<QWidget *>(m_leaderView)
                                         : static_cast<QWidget *>(m_lag));
    });
    m_leaderView = new LeaderView(m_servers, *m_fleet, m_history, this);
    m_leaderView->setObjectName(QStringLiteral("leaderView"));
    m_ui->tabs->insertTab(m_ui->tabs->indexOf(m_lag) + 1, m_leaderView, tr("Followers"));
    connect(m_lag, &LagMonitor::thresholdsChanged, this, [this](const LagThresholds &t) {
        m_fleetModel->setThresholds(t);
        m_leaderView->setThresholds(t);
    });
    connect(m_fleet, &FleetWatcher::lagSampled, m_history, &LagHistory::append);
    connect(m_fleet, &FleetWatcher::polled, this, &MainWindow::fleetPolled);
    connect(m_fleet, &FleetWatcher::applierFailed, this, &MainWindow::applierFailed);
    m_fleet->start();
}

void MainWindow::setupToolBar()
{
    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setIconSize(QSize(20, 20));
    const auto icon = [](const char *name) {
        return QIcon(QStringLiteral(":/icons/actions/%1.svg").arg(QLatin1String(name)));
    };
    const auto action = [this](const char *objectName) {
        return findChild<QAction *>(QLatin1String(objectName));
    };
    struct Item
    {
        const char *action;
        const char *icon;
    };
    for (const Item &i :
         {Item{"actionAddServer", "add"}, Item{"actionRefresh", "refresh"}, Item{nullptr, nullptr},
          Item{"actionSync", "sync"}, Item{"actionConfigureApplier", "server"},
          Item{"actionRestorePoints", "warning"}}) {
        if (!i.action) {
            bar->addSeparator();
            continue;
        }
        if (QAction *a = action(i.action)) {
            a->setIcon(icon(i.icon));
            bar->addAction(a);
        }
    }
    // Start and stop the applier of the selected server, as its tab's buttons do.
    m_startApplierAction = bar->addAction(icon("start"), tr("Start applier"));
    m_startApplierAction->setObjectName(QStringLiteral("actionStartApplier"));
    connect(m_startApplierAction, &QAction::triggered, m_ui->startApplierButton,
            &QPushButton::click);
    m_stopApplierAction = bar->addAction(icon("stop"), tr("Stop applier"));
    m_stopApplierAction->setObjectName(QStringLiteral("actionStopApplier"));
    connect(m_stopApplierAction, &QAction::triggered, m_ui->stopApplierButton, &QPushButton::click);
    m_startApplierAction->setEnabled(false);
    m_stopApplierAction->setEnabled(false);
}

// One server's poll answered: its sidebar dot, unless it is the selected server (whose dot
// follows its session).
void MainWindow::fleetPolled(const QString &id)
{
    // The selected follower's leader: its newest tick, for the Lag tab of a stopped applier.
    if (m_session && id == m_fleet->leaderOf(m_session->entry().id) &&
        m_session->database() == m_session->entry().database)
        if (const ServerStatus *leader = m_fleet->status(id))
            m_lag->setLeaderTick(leader->loggerReading.lastTick);
    if (m_session && m_session->entry().id == id)
        return;
    const ServerStatus *s = m_fleet->status(id);
    if (!s || s->noPassword)
        return;
    using State = ServerEntry::State;
    const State dot = !s->answered    ? State::Unreachable
                      : s->authFailed ? State::AuthError
                                      : State::Reachable;
    m_servers.setState(id, dot,
                       dot == State::Reachable ? tr("reachable (checked in the background)")
                       : dot == State::AuthError
                           ? tr("authentication failed (HTTP %1)").arg(s->authFailed)
                           : tr("unreachable: %1").arg(s->error),
                       {}, {});
}

// An applier seen running that is now stopped with an error (not 1412, a stop on request):
// the operator hears of it whichever server and tab are shown, also with the window in the
// background.
void MainWindow::applierFailed(const QString &id, int num, const QString &message)
{
    const ServerEntry *e = m_servers.entry(id);
    if (!e)
        return;
    const QString text =
        tr("The applier on %1 stopped: error %2 — %3").arg(e->name).arg(num).arg(message);
    m_alarmMessage = text;
    statusBar()->showMessage(text, 120000);
    m_lastErrorIndicator->setText(tr("Last error: %1 on %2").arg(num).arg(e->name));
    m_audit->record(e->name + QStringLiteral(" (") + e->endpoint + u')',
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
        m_tray->showMessage(tr("Applier stopped on %1").arg(e->name), text,
                            QSystemTrayIcon::Warning);
    }
}

} // namespace repl::gui
