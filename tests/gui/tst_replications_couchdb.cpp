// The Replications tab against the real Apache CouchDB 3.4.3 (../shared/peers/couchdb; the
// test skips with a message where it is absent): a new replication becomes a _replicator
// document holding URLs (CouchDB takes no bare names), the list shows it running with
// CouchDB's own states and counters, a broken one crashing with CouchDB's reason and a remedy,
// and Delete document cancels it. Screenshots with REPLDESK_SCREENSHOTS=DIR.
#include "credentials/CredentialStore.h"
#include "gui/MainWindow.h"
#include "gui/ReplicateDialog.h"
#include "gui/ReplicationJobModel.h"
#include "gui/ReplicationsPanel.h"
#include "gui/ServerList.h"
#include "support/HttpClient.h"
#include "support/RealCouchDb.h"
#include "ui_ReplicateDialog.h"

#include <QJsonArray>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using namespace repl;

class TestReplicationsCouchDb : public QObject
{
    Q_OBJECT

    test::RealCouchDb m_couch;
    std::unique_ptr<test::HttpClient> m_peer;
    std::unique_ptr<gui::ServerListModel> m_servers;
    std::unique_ptr<CredentialStore> m_credentials;
    std::unique_ptr<gui::MainWindow> m_window;

    gui::ReplicationsPanel *panel() { return m_window->replications(); }
    int docCount(const QString &db)
    {
        return m_peer->get(u'/' + db).json().value(QStringLiteral("doc_count")).toInt(-1);
    }
    // The row of a _replicator document once it shows `state` (after a refresh), else -1.
    int rowOf(const QString &docId, const QString &state)
    {
        panel()->refresh();
        for (int r = 0; r < panel()->model()->rowCount(); ++r) {
            const QJsonObject j = panel()->model()->job(r);
            if (j.value(QStringLiteral("doc_id")) == QJsonValue(docId) &&
                (state.isEmpty() || j.value(QStringLiteral("state")) == QJsonValue(state)))
                return r;
        }
        return -1;
    }
    void screenshot(const char *name)
    {
        if (const QString dir = qEnvironmentVariable("REPLDESK_SCREENSHOTS"); !dir.isEmpty())
            m_window->grab().save(dir + u'/' + QLatin1String(name));
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString why = test::RealCouchDb::unavailableReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        QVERIFY2(m_couch.start(), qPrintable(m_couch.errorString()));
        m_peer = std::make_unique<test::HttpClient>(m_couch.baseUrl(), QStringLiteral("admin"),
                                                    test::RealCouchDb::password());
        // CouchDB's scheduler looks at crashed jobs once a minute by default.
        QCOMPARE(m_peer
                     ->put(QStringLiteral("/_node/_local/_config/replicator/interval"),
                           QByteArray("\"1000\""))
                     .status,
                 200);
        QCOMPARE(m_peer->put(QStringLiteral("/orders")).status, 201);
        QJsonArray docs;
        for (int i = 0; i < 40; ++i)
            docs.append(QJsonObject{{QStringLiteral("_id"), QStringLiteral("o%1").arg(i)},
                                    {QStringLiteral("n"), i}});
        QCOMPARE(m_peer
                     ->post(QStringLiteral("/orders/_bulk_docs"),
                            QJsonObject{{QStringLiteral("docs"), docs}})
                     .status,
                 201);

        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("ReplDeskTest"));
        m_servers = std::make_unique<gui::ServerListModel>();
        m_credentials = std::make_unique<CredentialStore>(QStringLiteral("ReplDeskTest"));
        m_window = std::make_unique<gui::MainWindow>(*m_servers, *m_credentials);
        m_window->resize(1200, 760);
        m_window->show();
        m_window->addRuntimeServer(QStringLiteral("couch"), QStringLiteral("CouchDB 3.4.3"),
                                   m_couch.baseUrl(), QString(), test::RealCouchDb::password(),
                                   QStringLiteral("admin"));
        m_window->selectServer(QStringLiteral("couch"));
        auto *tabs = m_window->findChild<QTabWidget *>(QStringLiteral("tabs"));
        tabs->setCurrentWidget(panel());
    }

    void createWatchAndCancelOnCouchDb()
    {
        // The dialog offers a _replicator document once the scheduler answered.
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                QPointer<gui::ReplicateDialog> d = panel()->openDialog();
                const bool on =
                    d->ui()->persistentCheck->isEnabled() && d->ui()->persistentCheck->isChecked();
                d->reject();
                return on;
            }(),
            15000);
        QSignalSpy answered(panel(), &gui::ReplicationsPanel::answered);
        auto create = [&](const QString &source, const QString &target, const QString &id) {
            QPointer<gui::ReplicateDialog> d = panel()->openDialog();
            d->ui()->sourceCombo->setEditText(source);
            d->ui()->targetCombo->setEditText(target);
            d->ui()->createTargetCheck->setChecked(true);
            d->ui()->continuousCheck->setChecked(true);
            d->ui()->docIdEdit->setText(id);
            d->ui()->buttonBox->button(QDialogButtonBox::Ok)->click();
        };
        create(QStringLiteral("orders"), QStringLiteral("orders-copy"), QStringLiteral("live"));
        QVERIFY(answered.wait(15000));
        QCOMPARE(answered.first().at(0).toInt(), 201);
        // CouchDB has the document, with URLs (bare names are this server's) and the
        // credentials as a header, not in the URL.
        const QJsonObject doc = m_peer->get(QStringLiteral("/_replicator/live")).json();
        const QJsonObject source = doc.value(QStringLiteral("source")).toObject();
        QCOMPARE(source.value(QStringLiteral("url")).toString(),
                 m_couch.baseUrl().toString() + QStringLiteral("/orders"));
        QVERIFY(source[QStringLiteral("headers")][QStringLiteral("Authorization")]
                    .toString()
                    .startsWith(QStringLiteral("Basic ")));
        QTRY_COMPARE_WITH_TIMEOUT(docCount(QStringLiteral("orders-copy")), 40, 30000);
        int row = -1;
        QTRY_VERIFY_WITH_TIMEOUT(
            (row = rowOf(QStringLiteral("live"), QStringLiteral("running"))) >= 0, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(panel()
                                      ->model()
                                      ->job(rowOf(QStringLiteral("live"), {}))
                                      .value(QStringLiteral("docs_written"))
                                      .toInt(),
                                  40, 15000);
        QVERIFY(panel()
                    ->model()
                    ->job(rowOf(QStringLiteral("live"), {}))
                    .value(QStringLiteral("continuous"))
                    .toBool());

        // A broken one: CouchDB's reason, our remedy.
        answered.clear();
        create(QStringLiteral("no-such-db"), QStringLiteral("nowhere"), QStringLiteral("broken"));
        QVERIFY(answered.wait(15000));
        QTRY_VERIFY_WITH_TIMEOUT(
            (row = rowOf(QStringLiteral("broken"), QStringLiteral("crashing"))) >= 0, 30000);
        panel()->view()->selectRow(row);
        auto *details = panel()->findChild<QLabel *>(QStringLiteral("replicationDetails"));
        QTRY_VERIFY_WITH_TIMEOUT(details->text().contains(QStringLiteral("db_not_found")), 10000);
        QVERIFY(details->text().contains(QStringLiteral("does not exist")));
        screenshot("replications-couchdb-crashing.png");

        row = rowOf(QStringLiteral("live"), {});
        panel()->view()->selectRow(row);
        QTRY_VERIFY(details->text().contains(QStringLiteral("live")));
        screenshot("replications-couchdb.png");

        // Delete document: CouchDB cancels the job; later writes stay where they are.
        auto *cancel = panel()->findChild<QPushButton *>(QStringLiteral("cancelReplicationButton"));
        QVERIFY(cancel->isEnabled());
        answered.clear();
        cancel->click();
        QVERIFY(answered.wait(15000));
        QCOMPARE(answered.first().at(0).toInt(), 200);
        QCOMPARE(m_peer->get(QStringLiteral("/_replicator/live")).status, 404);
        QTRY_COMPARE_WITH_TIMEOUT(rowOf(QStringLiteral("live"), {}), -1, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(
            !m_peer->get(QStringLiteral("/_scheduler/jobs")).body.contains("\"doc_id\":\"live\""),
            15000);
        QCOMPARE(m_peer->put(QStringLiteral("/orders/late"), QJsonObject{{"x", 1}}).status, 201);
        QTest::qWait(2000);
        QCOMPARE(m_peer->get(QStringLiteral("/orders-copy/late")).status, 404);
    }

    void cleanupTestCase() { m_window.reset(); }
};

QTEST_MAIN(TestReplicationsCouchDb)
#include "tst_replications_couchdb.moc"
