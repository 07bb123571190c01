// Back up database… and Restore database… end to end: the real dialog on real repldesk-servers
// (a backup in arangodump's layout, a restore into a fresh server guarded by a preview and the
// database's name), Cancel leaving no folder behind. Screenshots with REPLDESK_SCREENSHOTS=DIR.
#include "gui/BackupDialog.h"
#include "support/HttpClient.h"
#include "support/ServerProcess.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace repl;
using namespace repl::test;

namespace {

client::ClientSettings settingsFor(const ServerProcess &p)
{
    client::ClientSettings s;
    s.base = p.baseUrl();
    s.username = QStringLiteral("root");
    s.password = ServerProcess::password();
    s.requestTimeoutMs = 30000;
    return s;
}

void fill(HttpClient &h, const QString &collection, int n)
{
    QCOMPARE(h.post(QStringLiteral("/_db/shop/_api/collection"), QJsonObject{{"name", collection}})
                 .status,
             200);
    QJsonArray docs;
    for (int i = 0; i < n; ++i)
        docs.append(QJsonObject{{"_key", QStringLiteral("k%1").arg(i)}, {"n", i}});
    QVERIFY(h.request("POST", QStringLiteral("/_db/shop/_api/document/") + collection,
                      QJsonDocument(docs).toJson(QJsonDocument::Compact))
                .status < 300);
}

int count(HttpClient &h, const QString &collection)
{
    return h.get(QStringLiteral("/_db/shop/_api/collection/%1/count").arg(collection))
        .json()
        .value(QStringLiteral("count"))
        .toInt(-1);
}

QPushButton *button(QWidget *w, const char *name)
{
    return w->findChild<QPushButton *>(QLatin1String(name));
}

void screenshot(QWidget *w, const char *name)
{
    if (const QString dir = qEnvironmentVariable("REPLDESK_SCREENSHOTS"); !dir.isEmpty())
        w->grab().save(dir + u'/' + QLatin1String(name));
}

} // namespace

class TestBackupDialog : public QObject
{
    Q_OBJECT

    ServerProcess m_source;
    std::unique_ptr<HttpClient> m_src;
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_source.start(), qPrintable(m_source.errorString()));
        m_src = std::make_unique<HttpClient>(m_source.baseUrl());
        QCOMPARE(
            m_src->post(QStringLiteral("/_api/database"), QJsonObject{{"name", "shop"}}).status,
            201);
        fill(*m_src, QStringLiteral("orders"), 300);
        fill(*m_src, QStringLiteral("customers"), 40);
    }

    void backupThenRestoreIntoAFreshServer()
    {
        const QString folder = m_dir.filePath(QStringLiteral("shop-backup"));
        gui::BackupDialog backup(gui::BackupDialog::Mode::Backup, settingsFor(m_source),
                                 QStringLiteral("Source"), QStringLiteral("shop"));
        backup.show();
        backup.folderEdit()->setText(folder);
        QSignalSpy finished(&backup, &gui::BackupDialog::finished);
        button(&backup, "startButton")->click();
        QVERIFY(!button(&backup, "startButton")->isEnabled()); // busy: one transfer at a time
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().at(0).toString(), QString());
        QVERIFY(QFile::exists(folder + QStringLiteral("/dump.json")));
        auto *status = backup.findChild<QLabel *>(QStringLiteral("transferStatus"));
        QVERIFY2(status->text().contains(QStringLiteral("340")), qPrintable(status->text()));
        screenshot(&backup, "backup-dialog.png");

        ServerProcess fresh;
        QVERIFY2(fresh.start(), qPrintable(fresh.errorString()));
        HttpClient target(fresh.baseUrl());
        gui::BackupDialog restore(gui::BackupDialog::Mode::Restore, settingsFor(fresh),
                                  QStringLiteral("Fresh"), QString());
        restore.show();
        restore.folderEdit()->setText(folder);
        QVERIFY(!button(&restore, "startButton")->isEnabled()); // no preview yet
        button(&restore, "previewButton")->click();
        auto *plan = restore.findChild<QTableWidget *>(QStringLiteral("restorePlan"));
        QTRY_COMPARE_WITH_TIMEOUT(plan->rowCount(), 2, 20000);
        QCOMPARE(restore.databaseEdit()->text(), QStringLiteral("shop"));
        QCOMPARE(target.get(QStringLiteral("/_db/shop/_api/collection")).status, 404); // unchanged
        restore.confirmEdit()->setText(QStringLiteral("Shop"));
        QVERIFY(!button(&restore, "startButton")->isEnabled()); // not the exact name
        restore.confirmEdit()->setText(QStringLiteral("shop"));
        QVERIFY(button(&restore, "startButton")->isEnabled());
        screenshot(&restore, "restore-dialog.png");
        QSignalSpy restored(&restore, &gui::BackupDialog::finished);
        button(&restore, "startButton")->click();
        QVERIFY(restored.wait(30000));
        QCOMPARE(restored.first().at(0).toString(), QString());
        QCOMPARE(count(target, QStringLiteral("orders")), 300);
        QCOMPARE(count(target, QStringLiteral("customers")), 40);
        QCOMPARE(target.get(QStringLiteral("/_db/shop/_api/document/orders/k7"))
                     .json()
                     .value(QStringLiteral("n")),
                 QJsonValue(7));
    }

    void cancelLeavesNoFolder()
    {
        const QString folder = m_dir.filePath(QStringLiteral("cancelled"));
        gui::BackupDialog backup(gui::BackupDialog::Mode::Backup, settingsFor(m_source),
                                 QStringLiteral("Source"), QStringLiteral("shop"));
        backup.show();
        backup.folderEdit()->setText(folder);
        QSignalSpy finished(&backup, &gui::BackupDialog::finished);
        button(&backup, "startButton")->click();
        button(&backup, "cancelTransferButton")->click(); // queued right behind the start
        QVERIFY(finished.wait(30000));
        QVERIFY2(!finished.first().at(0).toString().isEmpty(), "a cancel is reported");
        QVERIFY(!QFileInfo::exists(folder));
        const QStringList leftovers =
            QDir(m_dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
        for (const QString &name : leftovers)
            QVERIFY2(!name.contains(QStringLiteral("partial")), qPrintable(name));
    }
};

QTEST_MAIN(TestBackupDialog)
#include "tst_backupdialog.moc"
