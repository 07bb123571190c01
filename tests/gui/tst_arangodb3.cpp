// Against an ArangoDB 3.x-style server, the logger panel says the server manages its log and
// disables Start/Stop instead of showing an error. No ArangoDB can run here, so this is a
// FAKE: a tiny HTTP server answering the 3.x shapes (logger-config → 400 "invalid command").
#include "gui/CredentialStore.h"
#include "gui/MainWindow.h"
#include "gui/ServerList.h"

#include <QAbstractHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QStandardPaths>
#include <QTest>

using namespace repl;

// FAKE ArangoDB 3.11 replication face: only what the app reads.
class FakeArango3 final : public QAbstractHttpServer
{
public:
    int loggerStartCalls = 0;

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        QHttpServerResponder r = makeResponder(request, socket);
        const QString path = request.url().path();
        auto json = [&](const QJsonObject &o, QHttpServerResponder::StatusCode code =
                                                  QHttpServerResponder::StatusCode::Ok) {
            r.write(QJsonDocument(o), code);
        };
        if (path == u"/_api/version")
            return json({{"server", "arango"}, {"version", "3.11.0"}, {"license", "community"}}),
                   true;
        if (path == u"/_api/replication/server-id")
            return json({{"serverId", "424242"}}), true;
        if (path == u"/_api/replication/logger-state")
            return json({{"state", QJsonObject{{"running", true},
                                               {"lastLogTick", "9876"},
                                               {"totalEvents", 5},
                                               {"time", "2026-11-22T00:00:00Z"}}},
                         {"server", QJsonObject{{"version", "3.11.0"},
                                                {"serverId", "424242"},
                                                {"engine", "rocksdb"}}},
                         {"clients", QJsonArray()}}),
                   true;
        if (path.startsWith(u"/_api/replication/logger-")) { // removed in 3.x
            if (path.endsWith(u"logger-start"))
                ++loggerStartCalls;
            const QString cmd = path.section(u'/', -1);
            return json({{"error", true},
                         {"code", 400},
                         {"errorNum", 400},
                         {"errorMessage", QStringLiteral("invalid command '%1'").arg(cmd)}},
                        QHttpServerResponder::StatusCode::BadRequest),
                   true;
        }
        if (path == u"/_api/replication/applier-state")
            return json({{"state", QJsonObject{{"running", false},
                                               {"phase", "inactive"},
                                               {"lastError", QJsonObject{{"errorNum", 0}}}}},
                         {"server", QJsonObject{{"version", "3.11.0"}, {"serverId", "424242"}}},
                         {"endpoint", ""},
                         {"database", "_system"}}),
                   true;
        if (path == u"/_api/replication/inventory")
            return json({{"collections", QJsonArray()},
                         {"views", QJsonArray()},
                         {"state", QJsonObject{{"running", true}}},
                         {"tick", "9876"}}),
                   true;
        json({{"error", true}, {"code", 404}, {"errorNum", 404}, {"errorMessage", "unknown path"}},
             QHttpServerResponder::StatusCode::NotFound);
        return true;
    }
    void missingHandler(const QHttpServerRequest &, QTcpSocket *) override {}
};

class TestArangoDb3 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void loggerPanelSaysTheServerManagesItsLog()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("ReplDeskTest"));
        FakeArango3 fake;
        const quint16 port = fake.listen(QHostAddress::LocalHost, 0);
        QVERIFY(port > 0);
        gui::ServerListModel servers;
        gui::CredentialStore credentials(QStringLiteral("ReplDeskTest"));
        gui::MainWindow window(servers, credentials);
        window.show();
        window.addRuntimeServer(QStringLiteral("arango"), QStringLiteral("ArangoDB 3.11"),
                                QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)), QString(),
                                QStringLiteral("x"));
        window.selectServer(QStringLiteral("arango"));
        auto *note = window.findChild<QLabel *>(QStringLiteral("loggerManagedNote"));
        auto *start = window.findChild<QPushButton *>(QStringLiteral("startLoggerButton"));
        auto *stop = window.findChild<QPushButton *>(QStringLiteral("stopLoggerButton"));
        QVERIFY(note && start && stop);
        QTRY_VERIFY_WITH_TIMEOUT(!note->isHidden(), 10000);
        QVERIFY(note->text().contains(QStringLiteral("manages its replication log")));
        QVERIFY(!start->isEnabled());
        QVERIFY(!stop->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(
            window.findChild<QLabel *>(QStringLiteral("lastLogTickValue"))->text(),
            QStringLiteral("9876"), 10000);
        QVERIFY(window.findChild<QLabel *>(QStringLiteral("connectionValue"))
                    ->text()
                    .contains(QStringLiteral("arango 3.11.0")));
        QCOMPARE(fake.loggerStartCalls, 0); // nothing was tried that the server does not have
    }
};

QTEST_MAIN(TestArangoDb3)
#include "tst_arangodb3.moc"
