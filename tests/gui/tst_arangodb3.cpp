// The app against ArangoDB 3.x. No ArangoDB can run here, so these are FAKE servers
// (tests/support/FakeArango: answers as the recorded 3.11.14 / 3.12.10 exchanges and the 3.11
// docs say, and records every request). They prove: the Inventory shows databases →
// collections → indexes, read inside batches that are released; the Sync dialog's preview
// sends nothing that writes; the Live log tails /_api/wal/tail on 3.12.10 with collection
// names; 3.12.10's missing leader/follower replication is explained, not polled.
#include "credentials/CredentialStore.h"
#include "gui/InventoryModel.h"
#include "gui/LagMonitor.h"
#include "gui/LiveLog.h"
#include "gui/LogEventModel.h"
#include "gui/MainWindow.h"
#include "gui/ServerList.h"
#include "support/FakeArango.h"

#include <QComboBox>
#include <QDialog>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>
#include <QTreeView>

using namespace repl;
using namespace repl::test;

namespace {
const QString Password = QStringLiteral("fake-pw");

void fill(FakeArango &f, const QString &db, const QString &coll, int n, const QString &prefix)
{
    f.createCollection(db, coll);
    for (int i = 0; i < n; ++i)
        f.insert(db, coll,
                 QJsonObject{{QStringLiteral("_key"), prefix + QString::number(i)},
                             {QStringLiteral("n"), i}});
}

bool anyRequestTo(const FakeArango &f, const QString &part)
{
    for (const FakeArango::Recorded &r : f.requests())
        if (r.path.contains(part))
            return true;
    return false;
}

// Saves a picture of the window for the README when REPLDESK_SCREENSHOT_DIR is set.
void screenshot(QWidget &w, const char *name)
{
    const QString dir = qEnvironmentVariable("REPLDESK_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        w.grab().save(dir + u'/' + QLatin1String(name));
}
} // namespace

class TestArangoDb3 : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<gui::ServerListModel> m_servers;
    std::unique_ptr<CredentialStore> m_credentials;
    std::unique_ptr<gui::MainWindow> m_window;

    void openWindow()
    {
        m_window.reset();
        m_servers = std::make_unique<gui::ServerListModel>();
        m_credentials = std::make_unique<CredentialStore>(QStringLiteral("ReplDeskTest"));
        m_window = std::make_unique<gui::MainWindow>(*m_servers, *m_credentials);
        m_window->resize(1200, 760);
        m_window->show();
    }
    void addFake(const QString &id, const QString &name, const FakeArango &f)
    {
        m_window->addRuntimeServer(id, name, QUrl(f.url()), QString(), Password);
    }
    QModelIndex child(const QModelIndex &parent, const QString &name)
    {
        QAbstractItemModel *m =
            m_window->findChild<QTreeView *>(QStringLiteral("inventoryView"))->model();
        for (int r = 0; r < m->rowCount(parent); ++r)
            if (m->index(r, 0, parent).data().toString() == name)
                return m->index(r, 0, parent);
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("ReplDeskTest"));
    }

    void loggerPanelSaysTheServerManagesItsLog()
    {
        FakeArango fake(FakeArangoVersion::V3_11_14);
        QVERIFY(fake.listen());
        fake.setCredentials(QStringLiteral("root"), Password);
        openWindow();
        addFake(QStringLiteral("arango"), QStringLiteral("ArangoDB 3.11"), fake);
        m_window->selectServer(QStringLiteral("arango"));
        auto *note = m_window->findChild<QLabel *>(QStringLiteral("loggerManagedNote"));
        auto *start = m_window->findChild<QPushButton *>(QStringLiteral("startLoggerButton"));
        auto *stop = m_window->findChild<QPushButton *>(QStringLiteral("stopLoggerButton"));
        QVERIFY(note && start && stop);
        QTRY_VERIFY_WITH_TIMEOUT(!note->isHidden(), 10000);
        QVERIFY(!start->isEnabled());
        QVERIFY(!stop->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(
            m_window->findChild<QLabel *>(QStringLiteral("lastLogTickValue"))->text(),
            QString::number(fake.lastTick()), 10000);
        QVERIFY(m_window->findChild<QLabel *>(QStringLiteral("connectionValue"))
                    ->text()
                    .contains(QStringLiteral("ArangoDB 3.11.14")));
        // Nothing was tried that the server does not have.
        QVERIFY(!anyRequestTo(fake, QStringLiteral("logger-start")));
        QVERIFY(!anyRequestTo(fake, QStringLiteral("logger-config")));
    }

    // ArangoDB's server-level applier, when one is configured, is the one shown on _system.
    void globalApplierIsShownOnSystem()
    {
        FakeArango fake(FakeArangoVersion::V3_11_14);
        QVERIFY(fake.listen());
        fake.setCredentials(QStringLiteral("root"), Password);
        fake.setApplierConfig({}, QJsonObject{{QStringLiteral("endpoint"),
                                               QStringLiteral("tcp://leader.example:8529")}});
        fake.setApplierState({}, true, 100, 150);
        openWindow();
        addFake(QStringLiteral("arango"), QStringLiteral("ArangoDB 3.11"), fake);
        m_window->selectServer(QStringLiteral("arango"));
        auto *tabs = m_window->findChild<QTabWidget *>(QStringLiteral("tabs"));
        tabs->setCurrentWidget(m_window->findChild<QWidget *>(QStringLiteral("applierTab")));
        auto *leader = m_window->findChild<QLabel *>(QStringLiteral("applierLeaderValue"));
        QTRY_VERIFY_WITH_TIMEOUT(leader->text().contains(QStringLiteral("server-level")), 10000);
        QVERIFY(leader->text().contains(QStringLiteral("tcp://leader.example:8529")));
        QCOMPARE(m_window->findChild<QLabel *>(QStringLiteral("appliedTickValue"))->text(),
                 QStringLiteral("100 / 150"));
        // Stop acts on the applier shown: the global one.
        fake.clearRequests();
        auto *stop = m_window->findChild<QPushButton *>(QStringLiteral("stopApplierButton"));
        QTRY_VERIFY(stop->isEnabled());
        QTest::mouseClick(stop, Qt::LeftButton);
        bool globalStop = false;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const FakeArango::Recorded &r : fake.requests())
                    globalStop |= r.path == u"/_api/replication/applier-stop" &&
                                  r.query.contains(u"global=true");
                return globalStop;
            }(),
            10000);
    }

    void inventoryShowsDatabasesCollectionsAndIndexes()
    {
        FakeArango fake(FakeArangoVersion::V3_11_14);
        QVERIFY(fake.listen());
        fake.setCredentials(QStringLiteral("root"), Password);
        fake.createDatabase(QStringLiteral("shop"));
        fake.createDatabase(QStringLiteral("crm"));
        fill(fake, QStringLiteral("shop"), QStringLiteral("orders"), 120, QStringLiteral("o"));
        fake.addIndex(QStringLiteral("shop"), QStringLiteral("orders"),
                      QJsonObject{{QStringLiteral("type"), QStringLiteral("persistent")},
                                  {QStringLiteral("fields"), QJsonArray{QStringLiteral("n")}}});
        fill(fake, QStringLiteral("shop"), QStringLiteral("customers"), 7, QStringLiteral("c"));
        fill(fake, QStringLiteral("crm"), QStringLiteral("contacts"), 3, QStringLiteral("p"));
        openWindow();
        addFake(QStringLiteral("arango"), QStringLiteral("ArangoDB 3.11"), fake);
        m_window->selectServer(QStringLiteral("arango"));
        auto *tabs = m_window->findChild<QTabWidget *>(QStringLiteral("tabs"));
        tabs->setCurrentWidget(m_window->findChild<QWidget *>(QStringLiteral("inventoryTab")));

        QTRY_VERIFY_WITH_TIMEOUT(child({}, QStringLiteral("crm")).isValid(), 15000);
        const QModelIndex shop = child({}, QStringLiteral("shop"));
        QVERIFY(shop.isValid());
        QVERIFY(child({}, QStringLiteral("_system")).isValid());
        QCOMPARE(shop.siblingAtColumn(gui::InventoryModel::Type).data().toString(),
                 QStringLiteral("database"));
        QTRY_COMPARE_WITH_TIMEOUT(
            shop.siblingAtColumn(gui::InventoryModel::Documents).data().toLongLong(), 127, 15000);
        const QModelIndex orders = child(shop, QStringLiteral("orders"));
        QVERIFY(orders.isValid());
        QCOMPARE(orders.siblingAtColumn(gui::InventoryModel::Documents).data().toLongLong(), 120);
        QCOMPARE(orders.model()->rowCount(orders), 1); // its persistent index
        QVERIFY(orders.model()
                    ->index(0, gui::InventoryModel::Details, orders)
                    .data()
                    .toString()
                    .contains(u'n'));
        QCOMPARE(child(child({}, QStringLiteral("crm")), QStringLiteral("contacts"))
                     .siblingAtColumn(gui::InventoryModel::Documents)
                     .data()
                     .toLongLong(),
                 3);
        QTRY_COMPARE(fake.openBatches(), 0); // each inventory read in a released batch

        // Documents of shop/orders, page by page through a batch.
        auto *view = m_window->findChild<QTreeView *>(QStringLiteral("inventoryView"));
        view->expand(shop);
        view->setCurrentIndex(orders);
        auto *label = m_window->findChild<QLabel *>(QStringLiteral("browsePageLabel"));
        QTRY_VERIFY_WITH_TIMEOUT(label->text().contains(QStringLiteral("shop/orders")), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(fake.openBatches(), 0, 10000); // one page holds them all
        QCOMPARE(fake.writes().size(), 0);
        screenshot(*m_window, "arangodb-inventory.png");

        // The database chosen in the tree is the one the Logger and Applier tabs are about.
        const int applierTab =
            tabs->indexOf(m_window->findChild<QWidget *>(QStringLiteral("applierTab")));
        QCOMPARE(tabs->tabText(applierTab), QStringLiteral("Applier · shop"));
        fake.clearRequests();
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const FakeArango::Recorded &r : fake.requests())
                    if (r.path == u"/_db/shop/_api/replication/applier-state")
                        return true;
                return false;
            }(),
            10000);
        view->setCurrentIndex(child({}, QStringLiteral("crm")));
        QCOMPARE(tabs->tabText(applierTab), QStringLiteral("Applier · crm"));
    }

    void syncPreviewAgainstArango311WritesNothing()
    {
        FakeArango target(FakeArangoVersion::V3_11_14), leader(FakeArangoVersion::V3_11_14);
        for (FakeArango *f : {&target, &leader}) {
            QVERIFY(f->listen());
            f->setCredentials(QStringLiteral("root"), Password);
        }
        fill(leader, QStringLiteral("_system"), QStringLiteral("orders"), 9, QStringLiteral("L"));
        fill(target, QStringLiteral("_system"), QStringLiteral("orders"), 4, QStringLiteral("T"));
        openWindow();
        addFake(QStringLiteral("target"), QStringLiteral("Follower (3.11)"), target);
        addFake(QStringLiteral("leader"), QStringLiteral("Leader (3.11)"), leader);
        m_window->selectServer(QStringLiteral("target"));
        auto *sync = m_window->findChild<QAction *>(QStringLiteral("actionSync"));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->findChild<QLabel *>(QStringLiteral("connectionValue"))
                                     ->text()
                                     .contains(u"3.11.14"),
                                 10000);
        target.clearRequests();
        leader.clearRequests();
        sync->trigger();
        QDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = m_window->findChild<QDialog *>(QStringLiteral("syncDialog"))));
        auto *combo = dialog->findChild<QComboBox *>(QStringLiteral("leaderCombo"));
        combo->setCurrentIndex(combo->findData(QStringLiteral("leader")));
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("previewButton")),
                          Qt::LeftButton);
        auto *plan = dialog->findChild<QTableWidget *>(QStringLiteral("planTable"));
        QTRY_COMPARE_WITH_TIMEOUT(plan->rowCount(), 1, 15000);
        QCOMPARE(plan->item(0, 0)->text(), QStringLiteral("orders"));
        QCOMPARE(plan->item(0, 2)->text(), QStringLiteral("4"));
        QCOMPARE(plan->item(0, 3)->text(), QStringLiteral("9"));
        QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("planSummary"))
                    ->text()
                    .contains(QStringLiteral("Nothing has been changed yet")));
        // The preview read both sides and wrote nothing on either; batches released.
        QVERIFY(anyRequestTo(leader, QStringLiteral("/_api/replication/inventory")));
        QVERIFY(anyRequestTo(target, QStringLiteral("/_api/replication/inventory")));
        QCOMPARE(target.writes().size(), 0);
        QCOMPARE(leader.writes().size(), 0);
        QCOMPARE(target.syncCalls(), 0);
        QTRY_COMPARE(target.openBatches(), 0);
        QTRY_COMPARE(leader.openBatches(), 0);
        QCOMPARE(target.count(QStringLiteral("_system"), QStringLiteral("orders")), 4);
        auto *button = dialog->findChild<QPushButton *>(QStringLiteral("syncButton"));
        auto *confirm = dialog->findChild<QLineEdit *>(QStringLiteral("confirmEdit"));
        confirm->setText(QStringLiteral("_System"));
        QVERIFY(!button->isEnabled());
        confirm->setText(QStringLiteral("_system"));
        QTRY_VERIFY(button->isEnabled());
        dialog->reject();
    }

    void arango31210IsExplainedAndItsLogFollowed()
    {
        FakeArango fake(FakeArangoVersion::V3_12_10);
        QVERIFY(fake.listen());
        fake.setCredentials(QStringLiteral("root"), Password);
        fill(fake, QStringLiteral("_system"), QStringLiteral("orders"), 3, QStringLiteral("o"));
        fake.createDatabase(QStringLiteral("shop"));
        fill(fake, QStringLiteral("shop"), QStringLiteral("carts"), 2, QStringLiteral("c"));
        openWindow();
        addFake(QStringLiteral("modern"), QStringLiteral("ArangoDB 3.12.10"), fake);
        m_window->selectServer(QStringLiteral("modern"));
        auto *note = m_window->findChild<QLabel *>(QStringLiteral("dialectNote"));
        QTRY_VERIFY_WITH_TIMEOUT(note && note->isVisible(), 10000);
        QVERIFY(note->text().contains(
            QStringLiteral("ArangoDB 3.12.10 removed leader/follower replication")));
        auto *tabs = m_window->findChild<QTabWidget *>(QStringLiteral("tabs"));
        QVERIFY(!tabs->isTabEnabled(
            tabs->indexOf(m_window->findChild<QWidget *>(QStringLiteral("applierTab")))));
        QVERIFY(!tabs->isTabEnabled(tabs->indexOf(m_window->lagMonitor())));
        QVERIFY(!m_window->findChild<QAction *>(QStringLiteral("actionSync"))->isEnabled());
        QVERIFY(tabs->isTabEnabled(
            tabs->indexOf(m_window->findChild<QWidget *>(QStringLiteral("loggerTab")))));
        tabs->setCurrentWidget(m_window->findChild<QWidget *>(QStringLiteral("inventoryTab")));
        QTRY_VERIFY_WITH_TIMEOUT(child({}, QStringLiteral("shop")).isValid(), 15000);
        m_window->findChild<QTreeView *>(QStringLiteral("inventoryView"))->expandAll();
        QTest::qWait(200);
        screenshot(*m_window, "arangodb-3.12.10.png");

        // The live log tails /_api/wal/tail from now, with collection names.
        tabs->setCurrentWidget(m_window->liveLog());
        QTRY_VERIFY_WITH_TIMEOUT(anyRequestTo(fake, QStringLiteral("/_api/wal/tail")), 10000);
        fake.insert(QStringLiteral("_system"), QStringLiteral("orders"),
                    QJsonObject{{QStringLiteral("_key"), QStringLiteral("fresh")}});
        fake.remove(QStringLiteral("_system"), QStringLiteral("orders"), QStringLiteral("o1"));
        gui::LogEventModel *events = m_window->liveLog()->model();
        QTRY_COMPARE_WITH_TIMEOUT(events->rowCount(), 2, 10000);
        QCOMPARE(events->index(0, gui::LogEventModel::Collection).data().toString(),
                 QStringLiteral("orders"));
        QCOMPARE(events->index(0, gui::LogEventModel::Key).data().toString(),
                 QStringLiteral("fresh"));
        QCOMPARE(events->index(1, gui::LogEventModel::Key).data().toString(), QStringLiteral("o1"));
        screenshot(*m_window, "arangodb-3.12.10-live-log.png");
        // Explained, not polled: no removed route was ever asked.
        for (const char *removed : {"applier-", "logger-follow", "server-id", "/sync",
                                    "logger-config", "logger-first-tick"})
            QVERIFY2(!anyRequestTo(fake, QLatin1String(removed)), removed);
        QCOMPARE(fake.writes().size(), 0);
    }
};

QTEST_MAIN(TestArangoDb3)
#include "tst_arangodb3.moc"
