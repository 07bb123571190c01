// The real main window, driven by objectName under QT_QPA_PLATFORM=offscreen, against the
// real embedded engine (HTTP over loopback).
#include "credentials/CredentialStore.h"
#include "gui/EmbeddedServer.h"
#include "gui/InventoryModel.h"
#include "gui/MainWindow.h"
#include "gui/ServerList.h"
#include "support/HttpClient.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace repl;

class TestMainWindow : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<gui::EmbeddedServer> m_engine;
    std::unique_ptr<gui::ServerListModel> m_servers;
    std::unique_ptr<CredentialStore> m_credentials;
    std::unique_ptr<gui::MainWindow> m_window;
    std::unique_ptr<test::HttpClient> m_http;

    template<class T> T *child(const char *name)
    {
        T *w = m_window->findChild<T *>(QLatin1String(name));
        if (!w)
            qFatal("no widget %s", name);
        return w;
    }
    QString text(const char *label) { return child<QLabel>(label)->text(); }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("ReplDeskTest"));
        m_engine = std::make_unique<gui::EmbeddedServer>();
        QSignalSpy ready(m_engine.get(), &gui::EmbeddedServer::ready);
        m_engine->open({m_dir.path(), QHostAddress::LocalHost, 0, QStringLiteral("gui-pw")});
        QVERIFY(ready.wait(20000));
        m_servers = std::make_unique<gui::ServerListModel>();
        m_credentials = std::make_unique<CredentialStore>(QStringLiteral("ReplDeskTest"));
        m_window = std::make_unique<gui::MainWindow>(*m_servers, *m_credentials);
        m_window->show();
        m_window->addEmbeddedServer(m_engine->url(), m_engine->serverId(),
                                    QStringLiteral("gui-pw"));
        m_http = std::make_unique<test::HttpClient>(m_engine->url(), QStringLiteral("root"),
                                                    QStringLiteral("gui-pw"));
    }

    void startsOnTheEmbeddedDefault()
    {
        QCOMPARE(m_servers->rowCount(), 1);
        QCOMPARE(m_servers->data(m_servers->index(0), Qt::DisplayRole).toString(),
                 QStringLiteral("This computer"));
        QTRY_VERIFY_WITH_TIMEOUT(text("connectionValue").startsWith(QStringLiteral("connected")),
                                 10000);
        QCOMPARE(text("serverIdValue"), m_engine->serverId());
        QCOMPARE(m_servers->data(m_servers->index(0), gui::ServerListModel::StateRole).toInt(),
                 int(gui::ServerEntry::State::Reachable));
    }

    void collectionCreatedThroughTheApiAppears()
    {
        QCOMPARE(
            m_http->post(QStringLiteral("/_api/collection"), QJsonObject{{"name", "gui_created"}})
                .status,
            200);
        QCOMPARE(m_http->post(QStringLiteral("/_api/document/gui_created"), QJsonObject{{"a", 1}})
                     .status,
                 202);
        auto *view = child<QTreeView>("inventoryView");
        QTRY_VERIFY_WITH_TIMEOUT(!view->model()
                                      ->match(view->model()->index(0, 0), Qt::DisplayRole,
                                              QStringLiteral("gui_created"), 1,
                                              Qt::MatchExactly | Qt::MatchRecursive)
                                      .isEmpty(),
                                 15000);
        const QModelIndex row =
            view->model()
                ->match(view->model()->index(0, 0), Qt::DisplayRole, QStringLiteral("gui_created"),
                        1, Qt::MatchExactly | Qt::MatchRecursive)
                .first();
        QTRY_COMPARE_WITH_TIMEOUT(
            row.siblingAtColumn(gui::InventoryModel::Documents).data().toInt(), 1, 15000);
    }

    void documentsArePagedThroughDump()
    {
        auto *view = child<QTreeView>("inventoryView");
        const QModelIndexList hits = view->model()->match(
            view->model()->index(0, 0), Qt::DisplayRole, QStringLiteral("gui_created"), 1,
            Qt::MatchExactly | Qt::MatchRecursive);
        QVERIFY(!hits.isEmpty());
        view->setCurrentIndex(hits.first());
        // Collections sit under their database now: _system/gui_created.
        QCOMPARE(hits.first().parent().data().toString(), QStringLiteral("_system"));
        QTRY_VERIFY_WITH_TIMEOUT(
            text("browsePageLabel").contains(QStringLiteral("(documents shown: 1)")), 10000);
        QVERIFY(text("browsePageLabel").contains(QStringLiteral("_system/gui_created")));
        auto *details = m_window->findChild<QPlainTextEdit *>(QStringLiteral("inventoryDetails"));
        QVERIFY(details->toPlainText().contains(QStringLiteral("\"a\": 1")));
        QVERIFY(details->toPlainText().contains(QStringLiteral("\"_key\"")));
        QVERIFY(!child<QPushButton>("browseNextButton")->isEnabled()); // one page only
    }

    void loggerButtonsChangeTheServer()
    {
        auto *start = child<QPushButton>("startLoggerButton");
        auto *stop = child<QPushButton>("stopLoggerButton");
        QTRY_VERIFY_WITH_TIMEOUT(start->isEnabled(), 10000);
        QVERIFY(!stop->isEnabled());
        QTest::mouseClick(start, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(text("loggerRunningValue"), QStringLiteral("yes"), 10000);
        QCOMPARE(m_http->get(QStringLiteral("/_api/replication/logger-state"))
                     .json()[QStringLiteral("state")]
                     .toObject()[QStringLiteral("running")]
                     .toBool(),
                 true);
        QTRY_VERIFY_WITH_TIMEOUT(stop->isEnabled(), 10000);
        QTest::mouseClick(stop, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(text("loggerRunningValue"), QStringLiteral("no"), 10000);
        QCOMPARE(m_http->get(QStringLiteral("/_api/replication/logger-state"))
                     .json()[QStringLiteral("state")]
                     .toObject()[QStringLiteral("running")]
                     .toBool(),
                 false);
    }

    void applierErrorShowsItsRemedy()
    {
        // A leader that is not there: nothing listens on port 1.
        QCOMPARE(m_http
                     ->put(QStringLiteral("/_api/replication/applier-config"),
                           QJsonObject{{"endpoint", "tcp://127.0.0.1:1"},
                                       {"maxConnectRetries", 1},
                                       {"connectionRetryWaitTime", 0.1}})
                     .status,
                 200);
        auto *start = child<QPushButton>("startApplierButton");
        QTRY_VERIFY_WITH_TIMEOUT(start->isEnabled(), 10000);
        QTest::mouseClick(start, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(text("lastErrorValue").startsWith(QStringLiteral("1400")), 15000);
        QVERIFY(text("lastErrorValue").contains(QStringLiteral("127.0.0.1:1")));
        QVERIFY(text("remedyValue").contains(QStringLiteral("did not answer")));
    }

    void cleanupTestCase()
    {
        m_window.reset();
        m_engine.reset();
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
