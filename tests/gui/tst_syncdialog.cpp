// The guarded sync from the GUI, end to end: two real embedded engines, the real dialog.
#include "credentials/CredentialStore.h"
#include "gui/EmbeddedServer.h"
#include "gui/LagMonitor.h"
#include "gui/MainWindow.h"
#include "gui/ServerList.h"
#include "support/HttpClient.h"

#include <QAction>
#include <QCheckBox>
#include <QDialog>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace repl;

class TestSyncDialog : public QObject
{
    Q_OBJECT

    QTemporaryDir m_backupDir;

private:
    QTemporaryDir m_leaderDir, m_followerDir;
    gui::EmbeddedServer m_leader, m_follower;
    std::unique_ptr<gui::ServerListModel> m_servers;
    std::unique_ptr<CredentialStore> m_credentials;
    std::unique_ptr<gui::MainWindow> m_window;
    std::unique_ptr<test::HttpClient> m_lh, m_fh;

    QDialog *dialog() { return m_window->findChild<QDialog *>(QStringLiteral("syncDialog")); }
    template<class T> T *inDialog(const char *name)
    {
        T *w = dialog() ? dialog()->findChild<T *>(QLatin1String(name)) : nullptr;
        if (!w)
            qFatal("no %s in the sync dialog", name);
        return w;
    }
    int count(test::HttpClient &h, const char *coll)
    {
        return h.get(QStringLiteral("/_api/collection/%1/count").arg(QLatin1String(coll)))
            .json()[QStringLiteral("count")]
            .toInt();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("ReplDeskTest"));
        QSignalSpy lr(&m_leader, &gui::EmbeddedServer::ready),
            fr(&m_follower, &gui::EmbeddedServer::ready);
        m_leader.open(
            {m_leaderDir.path(), QHostAddress::LocalHost, 0, QStringLiteral("leader-pw")});
        m_follower.open(
            {m_followerDir.path(), QHostAddress::LocalHost, 0, QStringLiteral("follower-pw")});
        QVERIFY(lr.wait(20000));
        QVERIFY(fr.count() == 1 || fr.wait(20000));
        m_lh = std::make_unique<test::HttpClient>(m_leader.url(), QStringLiteral("root"),
                                                  QStringLiteral("leader-pw"));
        m_fh = std::make_unique<test::HttpClient>(m_follower.url(), QStringLiteral("root"),
                                                  QStringLiteral("follower-pw"));
        // The leader has data; the follower has a collection the sync will purge.
        QCOMPARE(m_lh->put(QStringLiteral("/_api/replication/logger-start")).status, 200);
        QCOMPARE(
            m_lh->post(QStringLiteral("/_api/collection"), QJsonObject{{"name", "orders"}}).status,
            200);
        QByteArray lines;
        for (int i = 0; i < 250; ++i)
            lines += QStringLiteral("{\"_key\":\"o%1\",\"n\":%1}\n").arg(i).toUtf8();
        QCOMPARE(m_lh->post(QStringLiteral("/_api/import?collection=orders"), lines).status, 201);
        QCOMPARE(
            m_fh->post(QStringLiteral("/_api/collection"), QJsonObject{{"name", "orders"}}).status,
            200);
        QCOMPARE(m_fh->post(QStringLiteral("/_api/document/orders"),
                            QJsonObject{{"_key", "stale"},
                                        {"note", "written on the follower only: the sync purges "
                                                 "it, its restore point keeps it"}})
                     .status,
                 202);

        m_servers = std::make_unique<gui::ServerListModel>();
        m_credentials = std::make_unique<CredentialStore>(QStringLiteral("ReplDeskTest"));
        m_window = std::make_unique<gui::MainWindow>(*m_servers, *m_credentials);
        m_window->show();
        m_window->addEmbeddedServer(m_leader.url(), m_leader.serverId(),
                                    QStringLiteral("leader-pw"));
        m_window->addRuntimeServer(QStringLiteral("follower"), QStringLiteral("Follower"),
                                   m_follower.url(), m_follower.serverId(),
                                   QStringLiteral("follower-pw"));
        m_window->selectServer(QStringLiteral("follower"));
    }

    void syncButtonWaitsForPreviewAndTypedName()
    {
        auto *action = m_window->findChild<QAction *>(QStringLiteral("actionSync"));
        QVERIFY(action);
        action->trigger();
        QTRY_VERIFY(dialog() != nullptr);
        auto *sync = inDialog<QPushButton>("syncButton");
        auto *confirm = inDialog<QLineEdit>("confirmEdit");
        QVERIFY(!sync->isEnabled());
        confirm->setText(QStringLiteral("_system"));
        QVERIFY2(!sync->isEnabled(), "no sync without a preview");
        QTest::mouseClick(inDialog<QPushButton>("previewButton"), Qt::LeftButton);
        auto *plan = inDialog<QTableWidget>("planTable");
        QTRY_VERIFY_WITH_TIMEOUT(
            plan->rowCount() > 0 || !inDialog<QLabel>("errorLabel")->text().isEmpty(), 15000);
        QVERIFY2(inDialog<QLabel>("errorLabel")->text().isEmpty(),
                 qPrintable(inDialog<QLabel>("errorLabel")->text()));
        QCOMPARE(plan->rowCount(), 1);
        QCOMPARE(plan->item(0, 0)->text(), QStringLiteral("orders"));
        QCOMPARE(plan->item(0, 2)->text(), QStringLiteral("1"));   // the stale local document
        QCOMPARE(plan->item(0, 3)->text(), QStringLiteral("250")); // copied from the leader
        QVERIFY(inDialog<QLabel>("planSummary")
                    ->text()
                    .contains(QStringLiteral("1 local documents will be purged")));
        QTRY_VERIFY(sync->isEnabled());
        confirm->setText(QStringLiteral("_systen"));
        QVERIFY2(!sync->isEnabled(), "a mistyped name keeps the button disabled");
        // The dry run changed nothing.
        QCOMPARE(count(*m_fh, "orders"), 1);
        confirm->setText(QStringLiteral("_system"));
        QVERIFY(sync->isEnabled());
    }

    void syncRunsAndTheFollowerMatches()
    {
        // ReplDesk keeps a restore point, so the backup first is offered, not preset; taken
        // here as an operator may want both.
        QVERIFY(!inDialog<QCheckBox>("backupFirstCheck")->isChecked());
        QVERIFY(inDialog<QLabel>("introLabel")->text().contains(QStringLiteral("restore point")));
        inDialog<QCheckBox>("backupFirstCheck")->setChecked(true);
        const QString backup = m_backupDir.filePath(QStringLiteral("before-sync"));
        inDialog<QLineEdit>("backupFolderEdit")->setText(backup);
        if (const QString dir = qEnvironmentVariable("REPLDESK_SCREENSHOTS"); !dir.isEmpty())
            dialog()->grab().save(dir + QStringLiteral("/sync-dialog-backup-first.png"));
        QTest::mouseClick(inDialog<QPushButton>("syncButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(
            inDialog<QLabel>("phaseLabel")->text().startsWith(QStringLiteral("Done")), 30000);
        QCOMPARE(count(*m_fh, "orders"), 250);
        QCOMPARE(m_fh->get(QStringLiteral("/_api/document/orders/stale")).status, 404);
        QVERIFY(QFile::exists(backup + QStringLiteral("/dump.json")));
        bool staleKept = false;
        for (const QString &f : QDir(backup).entryList({QStringLiteral("orders_*.data.json")})) {
            QFile data(QDir(backup).filePath(f));
            QVERIFY(data.open(QIODevice::ReadOnly));
            staleKept |= data.readAll().contains("\"stale\"");
        }
        QVERIFY2(staleKept, "the purged document is in the backup taken before the sync");
        QCOMPARE(m_fh->get(QStringLiteral("/_api/document/orders/o7"))
                     .json()[QStringLiteral("n")]
                     .toInt(),
                 7);
        QCOMPARE(m_fh->get(QStringLiteral("/_api/document/orders/o7"))
                     .json()[QStringLiteral("_rev")]
                     .toString(),
                 m_lh->get(QStringLiteral("/_api/document/orders/o7"))
                     .json()[QStringLiteral("_rev")]
                     .toString());
        auto *audit = m_window->findChild<QAbstractItemView *>(QStringLiteral("auditView"));
        QVERIFY(audit && audit->model()->rowCount() >= 1);
        QCOMPARE(audit->model()->index(0, 3).data().toString(), QStringLiteral("sync"));
    }

    void applierStartsFromTheSyncTickAndTheLagChartMoves()
    {
        auto *start = inDialog<QPushButton>("startApplierButton");
        QVERIFY(start->isVisible());
        QTest::mouseClick(start, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(m_fh->get(QStringLiteral("/_api/replication/applier-state"))
                                     .json()[QStringLiteral("state")]
                                     .toObject()[QStringLiteral("running")]
                                     .toBool(),
                                 15000);
        QCOMPARE(
            m_lh->post(QStringLiteral("/_api/document/orders"), QJsonObject{{"_key", "after-sync"}})
                .status,
            202);
        QTRY_COMPARE_WITH_TIMEOUT(
            m_fh->get(QStringLiteral("/_api/document/orders/after-sync")).status, 200, 15000);
        gui::LagMonitor *lag = m_window->lagMonitor();
        QTRY_VERIFY_WITH_TIMEOUT(lag->samples().size() >= 2, 15000);
        QVERIFY(lag->samples().last().appliedTick > 0);
        QVERIFY(lag->csv().startsWith(
            QStringLiteral("time,leader_tick,applied_tick,lag_ticks,lag_seconds\n")));
        QCOMPARE(lag->csv().count(u'\n'), lag->samples().size() + 1);
    }

    QDialog *openRestorePoints()
    {
        if (dialog())
            dialog()->close();
        auto *action = m_window->findChild<QAction *>(QStringLiteral("actionRestorePoints"));
        if (!action || !action->isEnabled())
            return nullptr;
        action->trigger();
        QDialog *points = nullptr;
        const bool opened = QTest::qWaitFor([&] {
            return (points = m_window->findChild<QDialog *>(
                        QStringLiteral("restorePointsDialog"))) != nullptr;
        });
        return opened ? points : nullptr;
    }
    QJsonObject retention()
    {
        return m_fh->get(QStringLiteral("/_api/replication/restore-points/retention")).json();
    }

    // The retention row: loaded from the server when the dialog opens, Apply only for a valid
    // change, what a change would discard said before Apply, and Apply stores it (read back
    // over HTTP).
    void restorePointRetentionLoadsAndApplies()
    {
        QCOMPARE(m_fh->put(QStringLiteral("/_api/replication/restore-points/retention"),
                           QJsonObject{{"keep", 5}, {"maxBytes", 2 * 1024 * 1024}})
                     .status,
                 200);
        QDialog *points = openRestorePoints();
        QVERIFY(points);
        auto *keep = points->findChild<QSpinBox *>(QStringLiteral("keepSpin"));
        auto *maxBytes = points->findChild<QLineEdit *>(QStringLiteral("maxBytesEdit"));
        auto *apply = points->findChild<QPushButton *>(QStringLiteral("applyRetentionButton"));
        auto *hint = points->findChild<QLabel *>(QStringLiteral("retentionHint"));
        auto *summary = points->findChild<QLabel *>(QStringLiteral("restorePointsSummary"));
        auto *status = points->findChild<QLabel *>(QStringLiteral("restorePointsStatus"));
        auto *table = points->findChild<QTableWidget *>(QStringLiteral("restorePointsTable"));
        QVERIFY(keep && maxBytes && apply && hint && summary && status && table);
        QTRY_COMPARE_WITH_TIMEOUT(keep->value(), 5, 10000);
        QTRY_COMPARE(maxBytes->text(), QStringLiteral("2 MiB"));
        QTRY_COMPARE_WITH_TIMEOUT(table->rowCount(), 1, 10000);
        QTRY_VERIFY(summary->text().startsWith(QStringLiteral("Restore points: 1, oldest first;")));
        QVERIFY2(summary->text().contains(QStringLiteral("in all")), qPrintable(summary->text()));
        QVERIFY(keep->isEnabled());
        QVERIFY2(!apply->isEnabled(), "nothing changed yet");

        maxBytes->setText(QStringLiteral("12Q"));
        QVERIFY(!apply->isEnabled());
        QVERIFY(!hint->isHidden());
        QVERIFY2(hint->text().contains(QStringLiteral("is not a size")), qPrintable(hint->text()));
        maxBytes->setText(QStringLiteral("2M"));
        QVERIFY2(!apply->isEnabled(), "2M is what the server has");
        keep->setValue(0);
        QVERIFY(apply->isEnabled());
        QVERIFY2(hint->text().contains(QStringLiteral("Apply discards 1 of them")),
                 qPrintable(hint->text()));
        QCOMPARE(retention().value(QStringLiteral("keep")).toInt(), 5); // nothing sent yet

        keep->setValue(2);
        maxBytes->setText(QStringLiteral("1.5 GiB"));
        QVERIFY(apply->isEnabled());
        QVERIFY2(hint->text().contains(QLocale().toString(qint64(1610612736)) +
                                       QStringLiteral(" bytes")),
                 qPrintable(hint->text()));
        table->selectRow(0);
        if (const QString dir = qEnvironmentVariable("REPLDESK_SCREENSHOTS"); !dir.isEmpty())
            points->grab().save(dir + QStringLiteral("/restore-points.png"));
        QTest::mouseClick(apply, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QStringLiteral("Retention applied")),
                                 10000);
        QCOMPARE(retention(), (QJsonObject{{"keep", 2}, {"maxBytes", 1610612736.0}}));
        QCOMPARE(maxBytes->text(), QStringLiteral("1.5 GiB"));
        QVERIFY2(!apply->isEnabled(), "applied: nothing left to change");
        QVERIFY(hint->isHidden());
        QCOMPARE(table->rowCount(), 1); // nothing discarded
        auto *audit = m_window->findChild<QAbstractItemView *>(QStringLiteral("auditView"));
        QVERIFY(audit);
        QCOMPARE(audit->model()->index(0, 3).data().toString(),
                 QStringLiteral("restore point retention set"));

        // Opened again: the stored retention, not the default.
        points->close();
        QTRY_VERIFY(m_window->findChild<QDialog *>(QStringLiteral("restorePointsDialog")) ==
                    nullptr);
        points = openRestorePoints();
        QVERIFY(points);
        keep = points->findChild<QSpinBox *>(QStringLiteral("keepSpin"));
        QTRY_COMPARE_WITH_TIMEOUT(keep->value(), 2, 10000);
        QCOMPARE(points->findChild<QLineEdit *>(QStringLiteral("maxBytesEdit"))->text(),
                 QStringLiteral("1.5 GiB"));
        points->close();
        QTRY_VERIFY(m_window->findChild<QDialog *>(QStringLiteral("restorePointsDialog")) ==
                    nullptr);
    }

    // Server ▸ Restore points…: the sync kept what it purged; a restore is refused while the
    // applier runs, then wants the database's name and brings the purged document back.
    void restorePointBringsThePurgedDocumentBack()
    {
        QDialog *points = openRestorePoints();
        QVERIFY(points);
        auto *table = points->findChild<QTableWidget *>(QStringLiteral("restorePointsTable"));
        QTRY_COMPARE_WITH_TIMEOUT(table->rowCount(), 1, 10000);
        QCOMPARE(table->item(0, 3)->text(), QStringLiteral("orders (1)"));
        table->selectRow(0);
        // The preview says what the restore replaces, counted now, and what comes back.
        auto *preview = points->findChild<QLabel *>(QStringLiteral("restorePreview"));
        const QString now = QStringLiteral("documents now: %1").arg(count(*m_fh, "orders"));
        QTRY_VERIFY2_WITH_TIMEOUT(preview->text().contains(now), qPrintable(preview->text()),
                                  10000);
        QVERIFY2(preview->text().contains(QStringLiteral("<b>orders</b>")) &&
                     preview->text().contains(QStringLiteral("after the restore: 1, as on")),
                 qPrintable(preview->text()));
        QVERIFY(preview->isVisible());
        if (const QString dir = qEnvironmentVariable("REPLDESK_SCREENSHOTS"); !dir.isEmpty()) {
            QTest::qWait(50); // the layout makes room for the preview's lines
            points->grab().save(dir + QStringLiteral("/restore-point-preview.png"));
        }
        auto *restore = points->findChild<QPushButton *>(QStringLiteral("restorePointButton"));
        auto *confirm = points->findChild<QLineEdit *>(QStringLiteral("confirmEdit"));
        auto *status = points->findChild<QLabel *>(QStringLiteral("restorePointsStatus"));
        QVERIFY(!restore->isEnabled()); // not before the name is typed
        confirm->setText(QStringLiteral("_system"));
        QVERIFY(restore->isEnabled());
        restore->click(); // the applier still runs: the server refuses, nothing changes
        QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("stop it first")), 10000);
        QCOMPARE(m_fh->get(QStringLiteral("/_api/document/orders/stale")).status, 404);
        QCOMPARE(m_fh->put(QStringLiteral("/_api/replication/applier-stop")).status, 200);
        confirm->setText(QStringLiteral("_system"));
        QTRY_VERIFY(restore->isEnabled());
        restore->click();
        QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QStringLiteral("Restored")), 10000);
        QCOMPARE(m_fh->get(QStringLiteral("/_api/document/orders/stale")).status, 200);
        QCOMPARE(count(*m_fh, "orders"), 1);
        QTRY_COMPARE_WITH_TIMEOUT(table->rowCount(), 0, 10000); // restored: gone
        points->close();
    }

    void cleanupTestCase() { m_window.reset(); }
};

QTEST_MAIN(TestSyncDialog)
#include "tst_syncdialog.moc"
