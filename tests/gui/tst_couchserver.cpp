// A CouchDB-protocol server in the server list: a real pouchdb-server is recognised, its
// databases (counts, deletions, Mango indexes) fill the Inventory, documents page through
// _all_docs, the tabs that need an ArangoDB replication log are off, and the Server dialog's
// "Test connection" names it.
#include "credentials/CredentialStore.h"
#include "gui/EmbeddedServer.h"
#include "gui/InventoryModel.h"
#include "gui/LiveLog.h"
#include "gui/LogEventModel.h"
#include "gui/MainWindow.h"
#include "gui/ServerDialog.h"
#include "gui/ServerList.h"
#include "support/HttpClient.h"
#include "support/PouchServer.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace repl;

class TestCouchServer : public QObject
{
    Q_OBJECT

private:
    test::PouchServer m_pouch;
    QTemporaryDir m_embeddedDir;
    gui::EmbeddedServer m_embedded;
    std::unique_ptr<gui::ServerListModel> m_servers;
    std::unique_ptr<CredentialStore> m_credentials;
    std::unique_ptr<gui::MainWindow> m_window;

    QTabWidget *tabs() { return m_window->findChild<QTabWidget *>(QStringLiteral("tabs")); }
    QTreeView *inventoryView()
    {
        return m_window->findChild<QTreeView *>(QStringLiteral("inventoryView"));
    }
    QString label(const char *name)
    {
        return m_window->findChild<QLabel *>(QLatin1String(name))->text();
    }
    // The inventory row of `name` (top level), or an invalid index.
    QModelIndex rowOf(const QString &name)
    {
        QAbstractItemModel *m = inventoryView()->model();
        for (int r = 0; r < m->rowCount(); ++r)
            if (m->index(r, gui::InventoryModel::Name).data().toString() == name)
                return m->index(r, gui::InventoryModel::Name);
        return {};
    }
    bool tabEnabled(const char *objectName)
    {
        QWidget *w = m_window->findChild<QWidget *>(QLatin1String(objectName));
        return w && tabs()->isTabEnabled(tabs()->indexOf(w));
    }

    // A PUT to pouchdb-server with the path sent exactly as given (already percent-encoded).
    int encodedPut(const QByteArray &path, const QByteArray &body)
    {
        QNetworkAccessManager nam;
        QNetworkRequest req(QUrl::fromEncoded(m_pouch.baseUrl().toEncoded() + path));
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        QNetworkReply *reply = nam.put(req, body);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            finished.wait(10000);
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        delete reply;
        return status;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_pouch.start(), qPrintable(m_pouch.errorString()));
        test::HttpClient pouch(m_pouch.baseUrl());
        pouch.clearCredentials();
        QCOMPARE(pouch.put(QStringLiteral("/orders")).status, 201);
        QCOMPARE(pouch.put(QStringLiteral("/many")).status, 201);
        QCOMPARE(encodedPut("/odd%24name%281%29%2Bx", {}), 201);
        QCOMPARE(encodedPut("/odd%24name%281%29%2Bx/a%20b%26c%2541", "{\"v\":1}"), 201);
        QJsonArray orders;
        for (const char *city : {"Berlin", "Lisbon", "Oslo", "Rome"})
            orders.append(QJsonObject{{QStringLiteral("_id"), QStringLiteral("o-%1").arg(city)},
                                      {QStringLiteral("city"), QLatin1String(city)}});
        QCOMPARE(pouch
                     .post(QStringLiteral("/orders/_bulk_docs"),
                           QJsonObject{{QStringLiteral("docs"), orders}})
                     .status,
                 201);
        const QJsonObject rome = pouch.get(QStringLiteral("/orders/o-Rome")).json();
        QCOMPARE(pouch
                     .request("DELETE", QStringLiteral("/orders/o-Rome?rev=") +
                                            rome.value(QStringLiteral("_rev")).toString())
                     .status,
                 200);
        QCOMPARE(pouch
                     .post(QStringLiteral("/orders/_index"),
                           QJsonObject{{QStringLiteral("index"),
                                        QJsonObject{{QStringLiteral("fields"),
                                                     QJsonArray{QStringLiteral("city")}}}},
                                       {QStringLiteral("name"), QStringLiteral("by-city")},
                                       {QStringLiteral("ddoc"), QStringLiteral("idx")}})
                     .status,
                 200);
        QJsonArray many;
        for (int i = 0; i < 60; ++i)
            many.append(QJsonObject{
                {QStringLiteral("_id"), QStringLiteral("m%1").arg(i, 3, 10, QLatin1Char('0'))}});
        QCOMPARE(pouch
                     .post(QStringLiteral("/many/_bulk_docs"),
                           QJsonObject{{QStringLiteral("docs"), many}})
                     .status,
                 201);

        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("ReplDeskTest"));
        QSignalSpy ready(&m_embedded, &gui::EmbeddedServer::ready);
        m_embedded.open({m_embeddedDir.path(), QHostAddress::LocalHost, 0, QStringLiteral("pw")});
        QVERIFY(ready.wait(20000));
        m_servers = std::make_unique<gui::ServerListModel>();
        m_credentials = std::make_unique<CredentialStore>(QStringLiteral("ReplDeskTest"));
        m_window = std::make_unique<gui::MainWindow>(*m_servers, *m_credentials);
        m_window->resize(1200, 760);
        m_window->show();
        m_window->addEmbeddedServer(m_embedded.url(), m_embedded.serverId(), QStringLiteral("pw"));
        m_window->addRuntimeServer(QStringLiteral("pouch"), QStringLiteral("Pouch"),
                                   m_pouch.baseUrl(), QString(), QString(), QString());
    }

    void recognisedAndInventoried()
    {
        m_window->selectServer(QStringLiteral("pouch"));
        QTRY_VERIFY_WITH_TIMEOUT(label("connectionValue").contains(u"PouchDB Server 4.2.0"), 15000);
        QVERIFY2(label("connectionValue").contains(u"CouchDB replication protocol"),
                 qPrintable(label("connectionValue")));
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(QStringLiteral("orders")).isValid(), 15000);
        const QModelIndex orders = rowOf(QStringLiteral("orders"));
        // Three orders and the index's design document, as CouchDB counts.
        QCOMPARE(orders.siblingAtColumn(gui::InventoryModel::Documents).data().toLongLong(), 4);
        QCOMPARE(orders.siblingAtColumn(gui::InventoryModel::Type).data().toString(),
                 QStringLiteral("database"));
        // pouchdb-server reports no doc_del_count, so no deletion count is made up.
        QCOMPARE(orders.siblingAtColumn(gui::InventoryModel::Details).data().toString(),
                 QStringLiteral("update seq 6"));
        // The Mango index, without the _all_docs one every database has.
        QAbstractItemModel *m = inventoryView()->model();
        QCOMPARE(m->rowCount(orders), 1);
        QCOMPARE(m->index(0, gui::InventoryModel::Name, orders).data().toString(),
                 QStringLiteral("_design/idx/by-city"));
        QCOMPARE(m->index(0, gui::InventoryModel::Details, orders).data().toString(),
                 QStringLiteral("city"));
        QCOMPARE(rowOf(QStringLiteral("many"))
                     .siblingAtColumn(gui::InventoryModel::Documents)
                     .data()
                     .toLongLong(),
                 60);
    }

    // The view sorts by name (pouchdb-server lists databases in creation order), and a
    // refresh that only moves counts puts each count on its own row.
    void sortedAndCountsFollowTheirRows()
    {
        QVERIFY(rowOf(QStringLiteral("many")).row() < rowOf(QStringLiteral("orders")).row());
        test::HttpClient pouch(m_pouch.baseUrl());
        pouch.clearCredentials();
        const auto detailsOfMany = [this] {
            return rowOf(QStringLiteral("many"))
                .siblingAtColumn(gui::InventoryModel::Details)
                .data()
                .toString();
        };
        QCOMPARE(detailsOfMany(), QStringLiteral("update seq 60"));
        QCOMPARE(pouch.put(QStringLiteral("/many/one-more"), QJsonObject{}).status, 201);
        QTRY_COMPARE_WITH_TIMEOUT(rowOf(QStringLiteral("many"))
                                      .siblingAtColumn(gui::InventoryModel::Documents)
                                      .data()
                                      .toLongLong(),
                                  61, 15000);
        QCOMPARE(rowOf(QStringLiteral("orders"))
                     .siblingAtColumn(gui::InventoryModel::Documents)
                     .data()
                     .toLongLong(),
                 4);
        QCOMPARE(detailsOfMany(), QStringLiteral("update seq 61")); // details move too
    }

    // CouchDB allows $ ( ) + - / in database names (pouchdb-server drops a /): every request
    // must encode them, and document ids, exactly once.
    void namesThatNeedEncoding()
    {
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(QStringLiteral("odd$name(1)+x")).isValid(), 15000);
        const QModelIndex odd = rowOf(QStringLiteral("odd$name(1)+x"));
        QCOMPARE(odd.siblingAtColumn(gui::InventoryModel::Documents).data().toLongLong(), 1);
        QCOMPARE(odd.siblingAtColumn(gui::InventoryModel::Details).data().toString(),
                 QStringLiteral("update seq 1"));
        tabs()->setCurrentWidget(m_window->findChild<QWidget *>(QStringLiteral("inventoryTab")));
        inventoryView()->setCurrentIndex(odd);
        QTRY_VERIFY_WITH_TIMEOUT(label("browsePageLabel").contains(u"(documents shown: 1)"), 10000);
        QVERIFY(m_window->findChild<QPlainTextEdit *>(QStringLiteral("inventoryDetails"))
                    ->toPlainText()
                    .contains(u"a b&c%41"));
    }

    void arangoOnlyTabsAreOff()
    {
        for (const char *tab : {"loggerTab", "applierTab", "lagMonitor"}) {
            QVERIFY2(!tabEnabled(tab), tab);
            QVERIFY(tabs()
                        ->tabToolTip(
                            tabs()->indexOf(m_window->findChild<QWidget *>(QLatin1String(tab))))
                        .contains(u"CouchDB"));
        }
        QVERIFY(tabEnabled("inventoryTab"));
        QVERIFY(tabEnabled("liveLog")); // a database's changes feed
        QVERIFY(!m_window->findChild<QAction *>(QStringLiteral("actionSync"))->isEnabled());
    }

    // The Live log follows the chosen database's _changes from now on.
    void liveLogFollowsADatabase()
    {
        auto *live = m_window->findChild<QWidget *>(QStringLiteral("liveLog"));
        tabs()->setCurrentWidget(live);
        auto *combo = live->findChild<QComboBox *>(QStringLiteral("databaseCombo"));
        QVERIFY(combo->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(combo->findText(QStringLiteral("many")) >= 0, 15000);
        QVERIFY2(!combo->currentText().startsWith(u'_'), qPrintable(combo->currentText()));
        combo->setCurrentText(QStringLiteral("many"));
        auto *status = live->findChild<QLabel *>(QStringLiteral("followStatus"));
        // Following starts at the database's update_seq: a write right after is never missed.
        QTRY_VERIFY_WITH_TIMEOUT(
            status->text().startsWith(u"Following the changes of many from now (seq 61)"), 5000);
        test::HttpClient pouch(m_pouch.baseUrl());
        pouch.clearCredentials();
        QCOMPARE(pouch.put(QStringLiteral("/many/live1"), QJsonObject{{"v", 1}}).status, 201);
        QAbstractItemModel *m = m_window->liveLog()->model();
        const auto rowsFor = [m](const QString &key) {
            QStringList found;
            for (int r = 0; r < m->rowCount(); ++r)
                if (m->index(r, 3).data().toString() == key)
                    found << m->index(r, 2).data().toString() + u' ' +
                                 m->index(r, 1).data(Qt::UserRole + 1).toString();
            return found;
        };
        QTRY_COMPARE_WITH_TIMEOUT(rowsFor(QStringLiteral("live1")),
                                  QStringList{QStringLiteral("many 2300")}, 10000);
        const QString rev = pouch.get(QStringLiteral("/many/live1"))
                                .json()
                                .value(QStringLiteral("_rev"))
                                .toString();
        QCOMPARE(pouch.del(QStringLiteral("/many/live1?rev=") + rev).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(
            rowsFor(QStringLiteral("live1")),
            (QStringList{QStringLiteral("many 2300"), QStringLiteral("many 2302")}), 10000);
        // Documents written before following began are not replayed.
        QVERIFY(rowsFor(QStringLiteral("m000")).isEmpty());
    }

    // The Overview's topology lists it for what it is.
    void topologyNamesIt()
    {
        tabs()->setCurrentWidget(m_window->findChild<QWidget *>(QStringLiteral("overviewTab")));
        auto *view = m_window->findChild<QTableView *>(QStringLiteral("topologyView"));
        QAbstractItemModel *m = view->model();
        const auto roleOf = [m](const QString &server) {
            for (int r = 0; r < m->rowCount(); ++r)
                if (m->index(r, 0).data().toString() == server)
                    return m->index(r, 1).data().toString();
            return QString();
        };
        QTRY_COMPARE_WITH_TIMEOUT(roleOf(QStringLiteral("Pouch")),
                                  QStringLiteral("CouchDB protocol"), 10000);
        QCOMPARE(roleOf(QStringLiteral("This computer")), QStringLiteral("standalone"));
    }

    void documentsPageThroughAllDocs()
    {
        tabs()->setCurrentWidget(m_window->findChild<QWidget *>(QStringLiteral("inventoryTab")));
        inventoryView()->setCurrentIndex(rowOf(QStringLiteral("orders")));
        auto *details = m_window->findChild<QPlainTextEdit *>(QStringLiteral("inventoryDetails"));
        QTRY_VERIFY_WITH_TIMEOUT(label("browsePageLabel").contains(u"(documents shown: 4)"), 10000);
        QVERIFY(details->toPlainText().contains(u"o-Lisbon"));
        QVERIFY(details->toPlainText().contains(u"_design/idx"));
        QVERIFY(!details->toPlainText().contains(u"o-Rome")); // deleted

        inventoryView()->setCurrentIndex(rowOf(QStringLiteral("many")));
        QTRY_VERIFY_WITH_TIMEOUT(label("browsePageLabel").contains(u"(documents shown: 50)"),
                                 10000);
        QVERIFY(details->toPlainText().contains(u"m049"));
        QVERIFY(!details->toPlainText().contains(u"m050"));
        auto *next = m_window->findChild<QPushButton *>(QStringLiteral("browseNextButton"));
        QVERIFY(next->isEnabled());
        next->click();
        QTRY_VERIFY_WITH_TIMEOUT(label("browsePageLabel").contains(u"(documents shown: 11)"),
                                 10000);
        QVERIFY2(label("browsePageLabel").contains(u"from “m050”"),
                 qPrintable(label("browsePageLabel")));
        QVERIFY(details->toPlainText().contains(u"m050"));
        QVERIFY(details->toPlainText().contains(u"m059"));
        QVERIFY(details->toPlainText().contains(u"one-more")); // added by the test before
        QVERIFY(!details->toPlainText().contains(u"m049"));
        QVERIFY(!next->isEnabled());
    }

    void anArangoServerTurnsTheTabsBackOn()
    {
        m_window->selectServer(QStringLiteral("embedded"));
        QTRY_VERIFY_WITH_TIMEOUT(label("connectionValue").contains(u"ReplDesk"), 15000);
        for (const char *tab : {"loggerTab", "applierTab", "liveLog", "lagMonitor"})
            QVERIFY2(tabEnabled(tab), tab);
        QVERIFY(m_window->findChild<QAction *>(QStringLiteral("actionSync"))->isEnabled());
    }

    void serverDialogNamesIt()
    {
        gui::ServerDialog dialog(*m_credentials);
        dialog.findChild<QLineEdit *>(QStringLiteral("nameEdit"))->setText(QStringLiteral("P"));
        dialog.findChild<QLineEdit *>(QStringLiteral("endpointEdit"))
            ->setText(m_pouch.baseUrl().toString());
        dialog.findChild<QLineEdit *>(QStringLiteral("userEdit"))->clear();
        auto *test = dialog.findChild<QPushButton *>(QStringLiteral("testButton"));
        QVERIFY(test->isEnabled()); // no user is allowed: a server without authentication
        test->click();
        auto *message = dialog.findChild<QLabel *>(QStringLiteral("messageLabel"));
        QTRY_VERIFY_WITH_TIMEOUT(message->text().startsWith(u"Connected"), 10000);
        QVERIFY2(message->text().contains(u"PouchDB Server"), qPrintable(message->text()));

        // A repldesk server asked for a database it does not have answers CouchDB's welcome
        // at its root too; it is still not a CouchDB server.
        dialog.findChild<QLineEdit *>(QStringLiteral("endpointEdit"))
            ->setText(m_embedded.url().toString());
        dialog.findChild<QLineEdit *>(QStringLiteral("databaseEdit"))
            ->setText(QStringLiteral("nosuch"));
        dialog.findChild<QLineEdit *>(QStringLiteral("userEdit"))->setText(QStringLiteral("root"));
        dialog.findChild<QLineEdit *>(QStringLiteral("passwordEdit"))
            ->setText(QStringLiteral("pw"));
        test->click();
        QTRY_VERIFY_WITH_TIMEOUT(message->text().contains(u"404"), 10000);
        QVERIFY2(!message->text().contains(u"CouchDB"), qPrintable(message->text()));
        dialog.findChild<QLineEdit *>(QStringLiteral("endpointEdit"))
            ->setText(m_pouch.baseUrl().toString());
        dialog.findChild<QLineEdit *>(QStringLiteral("databaseEdit"))
            ->setText(QStringLiteral("_system"));

        // With credentials pouchdb-server does not know, it says so instead.
        dialog.findChild<QLineEdit *>(QStringLiteral("userEdit"))->setText(QStringLiteral("x"));
        dialog.findChild<QLineEdit *>(QStringLiteral("passwordEdit"))->setText(QStringLiteral("y"));
        test->click();
        QTRY_VERIFY_WITH_TIMEOUT(message->text().contains(u"401"), 10000);
    }

    void cleanupTestCase() { m_window.reset(); }
};

QTEST_MAIN(TestCouchServer)
#include "tst_couchserver.moc"
