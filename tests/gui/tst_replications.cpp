// The Replications tab end to end: two real embedded engines, the real dialog and panel,
// /_replicate jobs posted by the GUI and watched until they finish.
#include "credentials/CredentialStore.h"
#include "gui/EmbeddedServer.h"
#include "gui/MainWindow.h"
#include "gui/ReplicateDialog.h"
#include "gui/ReplicationJobModel.h"
#include "gui/ReplicationsPanel.h"
#include "gui/ServerList.h"
#include "support/HttpClient.h"
#include "ui_ReplicateDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace repl;

class TestReplications : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_mainDir, m_otherDir;
    gui::EmbeddedServer m_main, m_other;
    std::unique_ptr<gui::ServerListModel> m_servers;
    std::unique_ptr<CredentialStore> m_credentials;
    std::unique_ptr<gui::MainWindow> m_window;
    std::unique_ptr<test::HttpClient> m_mh, m_oh;

    gui::ReplicationsPanel *panel() { return m_window->replications(); }
    QLabel *details() { return panel()->findChild<QLabel *>(QStringLiteral("replicationDetails")); }

    // Fills the dialog and presses Start; returns the dialog (gone when accepted).
    QPointer<gui::ReplicateDialog> submit(const QString &source, const QString &target,
                                          bool createTarget, bool continuous,
                                          bool persistent = false, const QString &docId = {})
    {
        QPointer<gui::ReplicateDialog> d = panel()->openDialog();
        d->ui()->persistentCheck->setChecked(persistent);
        d->ui()->docIdEdit->setText(docId);
        d->ui()->sourceCombo->setEditText(source);
        d->ui()->targetCombo->setEditText(target);
        d->ui()->createTargetCheck->setChecked(createTarget);
        d->ui()->continuousCheck->setChecked(continuous);
        d->ui()->buttonBox->button(QDialogButtonBox::Ok)->click();
        return d;
    }

    int docCount(test::HttpClient &h, const QString &db)
    {
        return h.get(u'/' + db).json().value(QStringLiteral("doc_count")).toInt();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("ReplDeskTest"));
        QSignalSpy mr(&m_main, &gui::EmbeddedServer::ready),
            orr(&m_other, &gui::EmbeddedServer::ready);
        m_main.open({m_mainDir.path(), QHostAddress::LocalHost, 0, QStringLiteral("main-pw")});
        m_other.open({m_otherDir.path(), QHostAddress::LocalHost, 0, QStringLiteral("other-pw")});
        QVERIFY(mr.wait(20000));
        QVERIFY(orr.count() == 1 || orr.wait(20000));
        m_mh = std::make_unique<test::HttpClient>(m_main.url(), QStringLiteral("root"),
                                                  QStringLiteral("main-pw"));
        m_oh = std::make_unique<test::HttpClient>(m_other.url(), QStringLiteral("root"),
                                                  QStringLiteral("other-pw"));
        QCOMPARE(m_oh->put(QStringLiteral("/inbox")).status, 201);
        QJsonArray docs;
        for (int i = 0; i < 120; ++i)
            docs.append(QJsonObject{{QStringLiteral("_id"), QStringLiteral("m%1").arg(i)},
                                    {QStringLiteral("n"), i}});
        QCOMPARE(m_oh->post(QStringLiteral("/inbox/_bulk_docs"),
                            QJsonObject{{QStringLiteral("docs"), docs}})
                     .status,
                 201);

        m_servers = std::make_unique<gui::ServerListModel>();
        m_credentials = std::make_unique<CredentialStore>(QStringLiteral("ReplDeskTest"));
        m_window = std::make_unique<gui::MainWindow>(*m_servers, *m_credentials);
        m_window->resize(1200, 760);
        m_window->show();
        m_window->addEmbeddedServer(m_main.url(), m_main.serverId(), QStringLiteral("main-pw"));
        m_window->addRuntimeServer(QStringLiteral("other"), QStringLiteral("Other"), m_other.url(),
                                   m_other.serverId(), QStringLiteral("other-pw"));
        m_window->selectServer(QStringLiteral("embedded"));
        auto *tabs = m_window->findChild<QTabWidget *>(QStringLiteral("tabs"));
        QVERIFY(tabs);
        tabs->setCurrentWidget(panel());
    }

    void dialogSaysWhatToFix()
    {
        QPointer<gui::ReplicateDialog> d = submit(QString(), QStringLiteral("copy"), false, false);
        QVERIFY2(d && d->isVisible(), "an empty source keeps the dialog open");
        QVERIFY2(d->ui()->messageLabel->text().contains(QStringLiteral("source")),
                 qPrintable(d->ui()->messageLabel->text() + QStringLiteral("|") +
                            d->ui()->sourceCombo->currentText()));
        d->ui()->sourceCombo->setEditText(QStringLiteral("ftp://somewhere/db"));
        d->ui()->buttonBox->button(QDialogButtonBox::Ok)->click();
        QVERIFY(d->isVisible());
        QVERIFY(d->ui()->messageLabel->text().contains(QStringLiteral("http://")));
        d->ui()->sourceCombo->setEditText(QStringLiteral("inbox"));
        d->ui()->selectionCombo->setCurrentIndex(3); // selector
        d->ui()->selectorEdit->setPlainText(QStringLiteral("{not json"));
        d->ui()->buttonBox->button(QDialogButtonBox::Ok)->click();
        QVERIFY(d->isVisible());
        QVERIFY(d->ui()->messageLabel->text().contains(QStringLiteral("selector")));
        if (const QString dir = qEnvironmentVariable("REPLDESK_SCREENSHOTS"); !dir.isEmpty())
            d->grab().save(dir + QStringLiteral("/replicate-dialog.png"));
        d->ui()->selectorEdit->setPlainText(QStringLiteral("{\"n\": {\"$lt\": 10}}"));
        QString problem;
        const QJsonObject body = d->request(&problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(body.value(QStringLiteral("selector")).toObject().value(QStringLiteral("n")),
                 QJsonValue(QJsonObject{{QStringLiteral("$lt"), 10}}));
        d->reject();
    }

    void pullFromAListedServerUsesItsCredentials()
    {
        QSignalSpy answered(panel(), &gui::ReplicationsPanel::answered);
        // The other server's URL without credentials: the GUI adds them from the session.
        const QString source = m_other.url().toString() + QStringLiteral("/inbox");
        QPointer<gui::ReplicateDialog> d = submit(source, QStringLiteral("copy"), true, false);
        QTRY_VERIFY(!d);
        QVERIFY(answered.wait(30000));
        QCOMPARE(answered.first().at(0).toInt(), 200);
        QCOMPARE(docCount(*m_mh, QStringLiteral("copy")), 120);
        // The finished one-shot stays listed (the scheduler lists only what runs).
        QJsonObject job;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (int r = 0; r < panel()->model()->rowCount(); ++r)
                    if (panel()->model()->job(r).value(QStringLiteral("state")) ==
                        QJsonValue(QStringLiteral("completed")))
                        job = panel()->model()->job(r);
                return !job.isEmpty();
            }(),
            10000);
        QCOMPARE(job.value(QStringLiteral("state")).toString(), QStringLiteral("completed"));
        QCOMPARE(job.value(QStringLiteral("docs_written")).toInt(), 120);
        QVERIFY2(
            !job.value(QStringLiteral("source")).toString().contains(QStringLiteral("other-pw")),
            "no password in what the server lists");
        QCOMPARE(gui::ReplicationJobModel::progressOf(job), 100);
        QVERIFY(details()->text().contains(QStringLiteral("120 written")));
    }

    void errorsShowTheirRemedy()
    {
        QSignalSpy answered(panel(), &gui::ReplicationsPanel::answered);
        submit(QStringLiteral("no_such_db"), QStringLiteral("copy2"), true, false);
        QVERIFY(answered.wait(30000));
        QCOMPARE(answered.first().at(0).toInt(), 404);
        QVERIFY(details()->text().contains(QStringLiteral("db_not_found")));
        QVERIFY(details()->text().contains(QStringLiteral("does not exist")));
    }

    void continuousJobCanBeCancelled()
    {
        QSignalSpy answered(panel(), &gui::ReplicationsPanel::answered);
        const QString source = m_other.url().toString() + QStringLiteral("/inbox");
        submit(source, QStringLiteral("live"), true, true);
        QVERIFY(answered.wait(30000));
        QCOMPARE(answered.first().at(0).toInt(), 202);
        QTRY_COMPARE_WITH_TIMEOUT(docCount(*m_mh, QStringLiteral("live")), 120, 15000);
        QCOMPARE(
            m_oh->put(QStringLiteral("/inbox/fresh"), QJsonObject{{QStringLiteral("x"), 1}}).status,
            201);
        QTRY_COMPARE_WITH_TIMEOUT(m_mh->get(QStringLiteral("/live/fresh")).status, 200, 15000);
        // Select the running job and press Cancel.
        int row = -1;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                panel()->refresh();
                for (int r = 0; r < panel()->model()->rowCount(); ++r)
                    if (panel()->model()->job(r).value(QStringLiteral("continuous")).toBool() &&
                        panel()->model()->job(r).value(QStringLiteral("state")).toString() ==
                            u"running")
                        row = r;
                return row >= 0;
            }(),
            10000);
        panel()->view()->selectRow(row);
        auto *cancel = panel()->findChild<QPushButton *>(QStringLiteral("cancelReplicationButton"));
        QVERIFY(cancel->isEnabled());
        answered.clear();
        cancel->click();
        QVERIFY(answered.wait(15000));
        QCOMPARE(answered.first().at(0).toInt(), 200);
        QCOMPARE(
            m_oh->put(QStringLiteral("/inbox/late"), QJsonObject{{QStringLiteral("x"), 2}}).status,
            201);
        QTest::qWait(1500);
        QCOMPARE(m_mh->get(QStringLiteral("/live/late")).status, 404);
    }

    // The default on a server with _replicator: a document, shown with its state; Edit
    // changes it (its job restarts), Delete document cancels it.
    void persistentReplicationIsADocument()
    {
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                QPointer<gui::ReplicateDialog> d = panel()->openDialog();
                const bool on =
                    d->ui()->persistentCheck->isEnabled() && d->ui()->persistentCheck->isChecked();
                d->reject();
                return on;
            }(),
            10000);
        QSignalSpy answered(panel(), &gui::ReplicationsPanel::answered);
        const QString source = m_other.url().toString() + QStringLiteral("/inbox");
        submit(source, QStringLiteral("kept"), true, true, true, QStringLiteral("keep-inbox"));
        QVERIFY(answered.wait(15000));
        QCOMPARE(answered.first().at(0).toInt(), 201);
        // The document holds URLs (bare names are this server's) and credentials as headers.
        const QJsonObject doc = m_mh->get(QStringLiteral("/_replicator/keep-inbox")).json();
        QVERIFY(doc.value(QStringLiteral("target"))[QStringLiteral("url")].toString().endsWith(
            QStringLiteral("/kept")));
        QVERIFY(doc.value(QStringLiteral("continuous")).toBool());
        const int inbox = docCount(*m_oh, QStringLiteral("inbox"));
        QTRY_COMPARE_WITH_TIMEOUT(docCount(*m_mh, QStringLiteral("kept")), inbox, 15000);
        int row = -1;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                panel()->refresh();
                for (int r = 0; r < panel()->model()->rowCount(); ++r)
                    if (panel()->model()->job(r).value(QStringLiteral("doc_id")) ==
                            QJsonValue(QStringLiteral("keep-inbox")) &&
                        panel()->model()->job(r).value(QStringLiteral("state")) ==
                            QJsonValue(QStringLiteral("running")))
                        row = r;
                return row >= 0;
            }(),
            10000);
        panel()->view()->selectRow(row);
        auto *edit = panel()->findChild<QPushButton *>(QStringLiteral("editReplicationButton"));
        auto *cancel = panel()->findChild<QPushButton *>(QStringLiteral("cancelReplicationButton"));
        QVERIFY(edit->isEnabled());
        QCOMPARE(cancel->text(), QStringLiteral("&Delete document"));
        if (const QString dir = qEnvironmentVariable("REPLDESK_SCREENSHOTS"); !dir.isEmpty())
            m_window->grab().save(dir + QStringLiteral("/replications-replicator-doc.png"));

        // Edit: a new target; the document keeps the source's credentials.
        edit->click();
        QPointer<gui::ReplicateDialog> dialog;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = panel()->findChild<gui::ReplicateDialog *>(
                                      QStringLiteral("editReplicationDialog"))) != nullptr,
                                 10000);
        QCOMPARE(dialog->ui()->docIdEdit->text(), QStringLiteral("keep-inbox"));
        QVERIFY(!dialog->ui()->sourceCombo->currentText().contains(QStringLiteral("other-pw")));
        dialog->ui()->targetCombo->setEditText(QStringLiteral("kept2"));
        answered.clear();
        dialog->ui()->buttonBox->button(QDialogButtonBox::Ok)->click();
        QVERIFY(answered.wait(15000));
        QCOMPARE(answered.first().at(0).toInt(), 201);
        QTRY_COMPARE_WITH_TIMEOUT(docCount(*m_mh, QStringLiteral("kept2")), inbox, 15000);

        // Delete document: the job ends.
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                panel()->refresh();
                for (int r = 0; r < panel()->model()->rowCount(); ++r)
                    if (panel()->model()->job(r).value(QStringLiteral("doc_id")) ==
                        QJsonValue(QStringLiteral("keep-inbox"))) {
                        panel()->view()->selectRow(r);
                        return true;
                    }
                return false;
            }(),
            10000);
        answered.clear();
        cancel->click();
        QVERIFY(answered.wait(15000));
        QCOMPARE(answered.first().at(0).toInt(), 200);
        QCOMPARE(m_mh->get(QStringLiteral("/_replicator/keep-inbox")).status, 404);
        // The scheduler lets go of it (asynchronously, as CouchDB's does).
        QTRY_COMPARE_WITH_TIMEOUT(
            m_mh->get(QStringLiteral("/_scheduler/docs/_replicator/keep-inbox")).status, 404,
            10000);
        QCOMPARE(
            m_oh->put(QStringLiteral("/inbox/after-delete"), QJsonObject{{QStringLiteral("x"), 3}})
                .status,
            201);
        QTest::qWait(1500);
        QCOMPARE(m_mh->get(QStringLiteral("/kept2/after-delete")).status, 404);
    }

    void cleanupTestCase() { m_window.reset(); }
};

QTEST_MAIN(TestReplications)
#include "tst_replications.moc"
