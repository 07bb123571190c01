// The window watches every server opened this session: when a follower's applier that was
// running stops with an error, the operator hears of it (status bar, audit log, last-error
// indicator) while another server and another tab are shown. Two real repldesk-servers.
#include "credentials/CredentialStore.h"
#include "gui/AuditLog.h"
#include "gui/MainWindow.h"
#include "gui/ServerList.h"
#include "support/HttpClient.h"
#include "support/ServerProcess.h"

#include <QFile>
#include <QJsonObject>
#include <QLabel>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using namespace repl;

class TestWatch : public QObject
{
    Q_OBJECT

private:
    test::ServerProcess m_leader, m_follower;
    std::unique_ptr<gui::ServerListModel> m_servers;
    std::unique_ptr<CredentialStore> m_credentials;
    std::unique_ptr<gui::MainWindow> m_window;

    // The Overview topology's State column for `server`.
    QString topologyState(const QString &server)
    {
        QAbstractItemModel *m =
            m_window->findChild<QTableView *>(QStringLiteral("topologyView"))->model();
        for (int r = 0; r < m->rowCount(); ++r)
            if (m->index(r, 0).data().toString() == server)
                return m->index(r, m->columnCount() - 1).data().toString();
        return {};
    }
    // This run's audit rows (the log file outlives runs) whose action is `action`, as
    // "server | detail".
    QStringList auditRows(const QString &action)
    {
        QAbstractItemModel *m =
            m_window->findChild<QTableView *>(QStringLiteral("auditView"))->model();
        QStringList rows;
        for (int r = 0; r < m->rowCount(); ++r)
            if (m->index(r, gui::AuditLog::Action).data().toString() == action &&
                m->index(r, gui::AuditLog::Server)
                    .data()
                    .toString()
                    .contains(m_follower.baseUrl().toString()))
                rows << m->index(r, gui::AuditLog::Server).data().toString() +
                            QStringLiteral(" | ") +
                            m->index(r, gui::AuditLog::Detail).data().toString();
        return rows;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_leader.start(), qPrintable(m_leader.errorString()));
        QVERIFY2(m_follower.start(), qPrintable(m_follower.errorString()));
        test::HttpClient l(m_leader.baseUrl()), f(m_follower.baseUrl());
        QCOMPARE(l.put(QStringLiteral("/_api/replication/logger-start")).status, 200);
        QCOMPARE(l.post(QStringLiteral("/_api/collection"), QJsonObject{{"name", "c"}}).status,
                 200);
        const QJsonObject leader{{"endpoint", m_leader.baseUrl().toString()},
                                 {"username", "root"},
                                 {"password", test::ServerProcess::password()}};
        QCOMPARE(f.put(QStringLiteral("/_api/replication/sync"), leader).status, 200);
        QJsonObject config = leader;
        config.insert(QStringLiteral("maxConnectRetries"), 2);
        config.insert(QStringLiteral("connectionRetryWaitTime"), 0.2);
        config.insert(QStringLiteral("idleMinWaitTime"), 0.05);
        config.insert(QStringLiteral("idleMaxWaitTime"), 0.2);
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-config"), config).status, 200);
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-start")).status, 200);

        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("ReplDeskTest"));
        // The audit log is a file that outlives runs: start this one without it.
        QFile::remove(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                      QStringLiteral("/audit.jsonl"));
        m_servers = std::make_unique<gui::ServerListModel>();
        m_credentials = std::make_unique<CredentialStore>(QStringLiteral("ReplDeskTest"));
        m_window = std::make_unique<gui::MainWindow>(*m_servers, *m_credentials);
        m_window->resize(1200, 760);
        m_window->show();
        m_window->addRuntimeServer(QStringLiteral("leader"), QStringLiteral("Leader"),
                                   m_leader.baseUrl(), m_leader.serverIdFromBanner(),
                                   test::ServerProcess::password());
        m_window->addRuntimeServer(QStringLiteral("follower"), QStringLiteral("Follower"),
                                   m_follower.baseUrl(), m_follower.serverIdFromBanner(),
                                   test::ServerProcess::password());
        m_window->selectServer(QStringLiteral("leader"));
        auto *tabs = m_window->findChild<QTabWidget *>(QStringLiteral("tabs"));
        tabs->setCurrentWidget(m_window->findChild<QWidget *>(QStringLiteral("inventoryTab")));
    }

    void anApplierThatStopsWithAnErrorIsReported()
    {
        // Watched in the background: the Overview is not shown.
        QTRY_COMPARE_WITH_TIMEOUT(topologyState(QStringLiteral("Follower")),
                                  QStringLiteral("applying"), 20000);
        QVERIFY(auditRows(QStringLiteral("applier stopped by an error")).isEmpty());
        // The sidebar's dot of a server that is not selected follows the background poll.
        const QModelIndex followerRow =
            m_servers->index(m_servers->rowOf(QStringLiteral("follower")));
        QTRY_COMPARE_WITH_TIMEOUT(followerRow.data(gui::ServerListModel::StateRole).toInt(),
                                  int(gui::ServerEntry::State::Reachable), 10000);
        QCOMPARE(m_leader.stop(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            !auditRows(QStringLiteral("applier stopped by an error")).isEmpty(), 60000);
        const QStringList rows = auditRows(QStringLiteral("applier stopped by an error"));
        QCOMPARE(rows.size(), 1);
        QVERIFY2(rows.first().startsWith(u"Follower (") && rows.first().contains(u"error 1400"),
                 qPrintable(rows.first()));
        QVERIFY2(m_window->statusBar()->currentMessage().contains(
                     u"The applier on Follower stopped: error 1400"),
                 qPrintable(m_window->statusBar()->currentMessage()));
        auto *indicator = m_window->findChild<QLabel *>(QStringLiteral("lastErrorIndicator"));
        QVERIFY(indicator);
        QVERIFY2(indicator->text().contains(u"Follower"), qPrintable(indicator->text()));
    }

    // A stop on request is not an alarm.
    void aStopOnRequestIsNot()
    {
        QVERIFY2(m_leader.start(), qPrintable(m_leader.errorString()));
        test::HttpClient f(m_follower.baseUrl());
        QJsonObject config{{"endpoint", m_leader.baseUrl().toString()},
                           {"username", "root"},
                           {"password", test::ServerProcess::password()}};
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-config"), config).status, 200);
        QCOMPARE(f.request("DELETE", QStringLiteral("/_api/replication/applier-state")).status,
                 200);
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-start?from=0")).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(topologyState(QStringLiteral("Follower")),
                                  QStringLiteral("applying"), 20000);
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-stop")).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(topologyState(QStringLiteral("Follower")),
                                  QStringLiteral("applier stopped"), 20000);
        QCOMPARE(auditRows(QStringLiteral("applier stopped by an error")).size(), 1); // still
    }

    void cleanupTestCase() { m_window.reset(); }
};

QTEST_MAIN(TestWatch)
#include "tst_watch.moc"
