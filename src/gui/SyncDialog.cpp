#include "gui/SyncDialog.h"

#include "gui/TransferWorker.h"

#include "gui/ServerSession.h"
#include "ui_SyncDialog.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QStandardPaths>

namespace repl::gui {

SyncDialog::SyncDialog(ServerSession &target, const QList<ServerEntry> &leaders,
                       PasswordLookup passwords, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::SyncDialog>())
    , m_target(target)
    , m_leaders(leaders)
    , m_passwords(std::move(passwords))
{
    m_ui->setupUi(this);
    const ServerEntry &t = target.entry();
    m_ui->targetValue->setText(
        tr("%1 — %2, database %3").arg(t.name, t.endpoint, targetDatabase()));
    for (const ServerEntry &l : m_leaders)
        m_ui->leaderCombo->addItem(tr("%1 (%2)").arg(l.name, l.endpoint), l.id);
    m_ui->restrictTypeCombo->addItem(tr("all"), QString());
    m_ui->restrictTypeCombo->addItem(tr("only these"), QStringLiteral("include"));
    m_ui->restrictTypeCombo->addItem(tr("all except these"), QStringLiteral("exclude"));
    m_ui->confirmLabel->setText(
        tr("Type the database name <b>%1</b> to confirm:").arg(targetDatabase()));
    m_ui->planTable->setColumnCount(4);
    m_ui->planTable->setHorizontalHeaderLabels({tr("Collection"), tr("What happens"),
                                                tr("Local documents purged"),
                                                tr("Leader documents copied")});
    m_ui->planTable->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_ui->planTable->verticalHeader()->hide();
    m_ui->syncProgress->setVisible(false);
    m_ui->backupFolderEdit->setText(QDir::toNativeSeparators(
        QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation) +
        QStringLiteral("/ReplDesk backups/%1-before-sync-%2")
            .arg(targetDatabase(),
                 QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")))));
    connect(m_ui->backupFirstCheck, &QCheckBox::toggled, m_ui->backupFolderEdit,
            &QWidget::setEnabled);
    connect(m_ui->backupFirstCheck, &QCheckBox::clicked, this,
            [this] { m_backupChoiceMade = true; });
    applyRestorePoints();
    m_ui->startApplierButton->setVisible(false);
    m_ui->applierWarning->setVisible(false);
    m_ui->stopApplierButton->setVisible(false);

    auto invalidate = [this] {
        m_previewed = false;
        m_ui->planTable->setRowCount(0);
        m_ui->planSummary->setText(tr("Run the preview to see what will be purged and copied."));
        updateButtons();
    };
    connect(m_ui->leaderCombo, &QComboBox::currentIndexChanged, this, invalidate);
    connect(m_ui->restrictTypeCombo, &QComboBox::currentIndexChanged, this, invalidate);
    connect(m_ui->restrictCollectionsEdit, &QLineEdit::textChanged, this, invalidate);
    connect(m_ui->includeSystemCheck, &QCheckBox::toggled, this, invalidate);
    connect(m_ui->confirmEdit, &QLineEdit::textChanged, this, &SyncDialog::updateButtons);
    connect(m_ui->previewButton, &QPushButton::clicked, this, &SyncDialog::preview);
    connect(m_ui->syncButton, &QPushButton::clicked, this, &SyncDialog::runSync);
    connect(m_ui->closeButton, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_ui->stopApplierButton, &QPushButton::clicked, this, [this] {
        m_target.setApplierRunning(false, {}, [this](const QString &e) {
            if (!e.isEmpty())
                return setError(e);
            Q_EMIT audited(tr("applier stopped"), tr("before a sync"));
            m_applierRunning = false;
            m_ui->applierWarning->setVisible(false);
            m_ui->stopApplierButton->setVisible(false);
            updateButtons();
        });
    });
    connect(m_ui->startApplierButton, &QPushButton::clicked, this, [this] {
        // The applier follows the same leader with the same restrictions.
        QJsonObject cfg = syncOptions(m_leaderPassword).syncBody(targetDatabase());
        m_target.ops().setApplierConfig(
            targetDatabase(), false, cfg, this, [this](const QJsonObject &, const QString &e) {
                if (!e.isEmpty())
                    return setError(e);
                m_target.setApplierRunning(true, m_lastTick, [this](const QString &e) {
                    if (!e.isEmpty())
                        return setError(e);
                    Q_EMIT audited(tr("applier started"), tr("from tick %1").arg(m_lastTick));
                    accept();
                });
            });
    });
    m_progressTimer.setInterval(300);
    connect(&m_progressTimer, &QTimer::timeout, this, &SyncDialog::pollProgress);

    // Is the applier running? The sync must not start while it does.
    m_target.ops().applierState(targetDatabase(), false, this,
                                [this](const QJsonObject &a, const QString &) {
                                    m_applierRunning = a.value(QStringLiteral("state"))
                                                           .toObject()
                                                           .value(QStringLiteral("running"))
                                                           .toBool();
                                    m_ui->applierWarning->setVisible(m_applierRunning);
                                    m_ui->stopApplierButton->setVisible(m_applierRunning);
                                    updateButtons();
                                });
    updateButtons();
}

SyncDialog::~SyncDialog()
{
    if (m_backupWorker)
        QMetaObject::invokeMethod(m_backupWorker, [w = m_backupWorker] { w->cancel(); });
    m_backupThread.quit();
    m_backupThread.wait();
}

QString SyncDialog::targetDatabase() const
{
    const QString db = m_target.database();
    return db.isEmpty() ? QStringLiteral("_system") : db;
}

ops::SyncOptions SyncDialog::syncOptions(const QString &password) const
{
    const QString leaderId = m_ui->leaderCombo->currentData().toString();
    ops::SyncOptions o;
    for (const ServerEntry &l : m_leaders)
        if (l.id == leaderId) {
            o.leaderEndpoint = l.endpoint;
            // A database chosen in the Inventory syncs from the leader's database of the
            // same name (ArangoDB's default); else the leader entry's database.
            o.leaderDatabase =
                m_target.database() == m_target.entry().database ? l.database : targetDatabase();
            o.leaderUser = l.user;
            o.leaderPin = l.tlsPin;
        }
    o.leaderPassword = password;
    o.includeSystem = m_ui->includeSystemCheck->isChecked();
    o.restrictType = m_ui->restrictTypeCombo->currentData().toString();
    if (!o.restrictType.isEmpty())
        for (const QString &n :
             m_ui->restrictCollectionsEdit->text().split(u',', Qt::SkipEmptyParts))
            o.restrictCollections.append(n.trimmed());
    return o;
}

void SyncDialog::applyRestorePoints()
{
    // ReplDesk keeps what a sync purges: the backup stays offered, not preset (unless the
    // operator chose already). Known once the server has been probed.
    if (m_restorePointsShown || !m_target.dialect().has(ops::Feature::RestorePoints))
        return;
    m_restorePointsShown = true;
    if (!m_backupChoiceMade) {
        m_ui->backupFirstCheck->setChecked(false);
        m_ui->backupFolderEdit->setEnabled(false);
    }
    m_ui->introLabel->setText(m_ui->introLabel->text() + QStringLiteral(" ") +
                              tr("This server keeps what the sync purges as a restore point "
                                 "(Server ▸ Restore points…)."));
}

void SyncDialog::setError(const QString &message)
{
    m_ui->errorLabel->setText(message);
}

// The preview never writes, on any server: both inventories and counts are read here and the
// plan is computed by the operations library (ArangoDB has no dry run: a sync there purges).
void SyncDialog::preview()
{
    setError({});
    const QString leaderId = m_ui->leaderCombo->currentData().toString();
    if (leaderId.isEmpty())
        return setError(tr("Add the leader to the server list first."));
    if (m_ui->restrictTypeCombo->currentIndex() > 0 &&
        m_ui->restrictCollectionsEdit->text().trimmed().isEmpty())
        return setError(tr("Name the collections to restrict the sync to, or choose \"all\"."));
    m_ui->previewButton->setEnabled(false);
    m_ui->planSummary->setText(tr("Reading both inventories…"));
    m_passwords(leaderId, [this](const QString &password) {
        m_leaderPassword = password;
        m_target.ops().previewSync(
            targetDatabase(), syncOptions(password), this,
            [this](const ops::SyncPlan &plan, const QString &error) {
                m_ui->previewButton->setEnabled(true);
                if (!error.isEmpty()) {
                    m_ui->planSummary->setText(tr("The preview failed; nothing was changed."));
                    return setError(error);
                }
                using Action = ops::SyncPlan::Entry::Action;
                m_ui->planTable->setRowCount(int(plan.collections.size()));
                for (int i = 0; i < plan.collections.size(); ++i) {
                    const ops::SyncPlan::Entry &c = plan.collections[i];
                    const QString what = c.action == Action::DropAndCopy ? tr("dropped and copied")
                                         : c.action == Action::Create    ? tr("copied (new here)")
                                                                         : tr("kept as it is");
                    m_ui->planTable->setItem(i, 0, new QTableWidgetItem(c.name));
                    m_ui->planTable->setItem(i, 1, new QTableWidgetItem(what));
                    auto *purged = new QTableWidgetItem(c.action == Action::DropAndCopy
                                                            ? QString::number(c.purged)
                                                            : QStringLiteral("—"));
                    if (c.action == Action::DropAndCopy && c.purged > 0)
                        purged->setForeground(QColor(0xc6, 0x28, 0x28));
                    m_ui->planTable->setItem(i, 2, purged);
                    m_ui->planTable->setItem(i, 3,
                                             new QTableWidgetItem(c.action == Action::Keep
                                                                      ? QStringLiteral("—")
                                                                      : QString::number(c.copied)));
                }
                m_ui->planSummary->setText(
                    tr("%1 local documents will be purged and %2 documents copied from the leader "
                       "(its log is at tick %3). Nothing has been changed yet.")
                        .arg(plan.purged)
                        .arg(plan.copied)
                        .arg(plan.leaderTick));
                m_previewed = true;
                applyRestorePoints();
                updateButtons();
            });
    });
}

void SyncDialog::updateButtons()
{
    const bool confirmed = m_ui->confirmEdit->text() == targetDatabase();
    m_ui->syncButton->setEnabled(m_previewed && confirmed && !m_applierRunning && !m_running);
    m_ui->previewButton->setEnabled(!m_running);
    m_ui->syncButton->setToolTip(m_applierRunning ? tr("Stop the applier first.")
                                 : !m_previewed   ? tr("Run the preview first.")
                                 : !confirmed     ? tr("Type the database name to confirm.")
                                                  : QString());
}

void SyncDialog::runSync()
{
    setError({});
    m_running = true;
    updateButtons();
    m_ui->closeButton->setText(tr("Close"));
    m_ui->syncProgress->setVisible(true);
    m_ui->syncProgress->setRange(0, 0);
    if (!m_ui->backupFirstCheck->isChecked())
        return startSync();
    // First the backup, on a thread of its own; the sync starts only once it is complete.
    const QString folder = m_ui->backupFolderEdit->text().trimmed();
    QDir().mkpath(QFileInfo(folder).path());
    m_ui->phaseLabel->setText(tr("Backing up %1 before the sync…").arg(targetDatabase()));
    if (!m_backupWorker) {
        client::ClientSettings settings = m_target.client().settings();
        settings.database.clear();
        m_backupWorker = new TransferWorker(settings);
        m_backupWorker->moveToThread(&m_backupThread);
        connect(&m_backupThread, &QThread::finished, m_backupWorker, &QObject::deleteLater);
        m_backupThread.start();
    }
    QPointer<SyncDialog> self(this);
    const QString database = targetDatabase();
    QMetaObject::invokeMethod(m_backupWorker, [w = m_backupWorker, database, folder, self] {
        w->backup(
            database, folder, self.data(),
            [self](const ops::TransferProgress &p) {
                if (self && p.total > 0) {
                    self->m_ui->syncProgress->setRange(0, 1000);
                    self->m_ui->syncProgress->setValue(
                        int(1000.0 * qMin(p.done, p.total) / double(p.total)));
                }
            },
            [self, folder](const QString &summary, const QString &error) {
                if (!self)
                    return;
                if (!error.isEmpty()) {
                    self->m_running = false;
                    self->m_ui->syncProgress->setVisible(false);
                    self->m_ui->phaseLabel->setText(tr("Nothing was synced."));
                    self->setError(tr("The backup before the sync failed: %1").arg(error));
                    self->updateButtons();
                    return;
                }
                Q_EMIT self->audited(tr("backup before sync"), summary);
                self->m_ui->phaseLabel->setText(tr("Backed up into %1.").arg(folder));
                self->startSync();
            });
    });
}

void SyncDialog::startSync()
{
    m_ui->syncProgress->setRange(0, 0);
    m_ui->phaseLabel->setText(m_ui->backupFirstCheck->isChecked()
                                  ? tr("Backed up into %1. Starting the sync…")
                                        .arg(m_ui->backupFolderEdit->text().trimmed())
                                  : tr("Starting the sync…"));
    m_progressTimer.start();
    // The operations library refuses it unless the typed name is the database's.
    m_target.ops().sync(
        targetDatabase(), syncOptions(m_leaderPassword), m_ui->confirmEdit->text(), this,
        [this](const QJsonObject &o, const QString &error) {
            m_progressTimer.stop();
            m_running = false;
            if (!error.isEmpty()) {
                m_ui->syncProgress->setVisible(false);
                m_ui->phaseLabel->setText(m_target.dialect().syncFailureNote());
                setError(error);
                Q_EMIT audited(tr("sync failed"), error);
                updateButtons();
                return;
            }
            m_lastTick = o.value(QStringLiteral("lastLogTick")).toString();
            m_ui->syncProgress->setRange(0, 1);
            m_ui->syncProgress->setValue(1);
            m_ui->phaseLabel->setText(
                tr("Done: %1 collections copied. The leader's log was at tick %2; start the "
                   "applier from there so nothing is missed.")
                    .arg(o.value(QStringLiteral("collections")).toArray().size())
                    .arg(m_lastTick));
            m_ui->startApplierButton->setVisible(true);
            m_ui->syncButton->setVisible(false);
            Q_EMIT audited(
                tr("sync"),
                tr("from %1, lastLogTick %2").arg(m_ui->leaderCombo->currentText(), m_lastTick));
        });
}

void SyncDialog::pollProgress()
{
    m_target.client().get(
        QStringLiteral("/_api/replication/applier-state"), {}, this,
        [this](const client::HttpResult &r) {
            if (!m_running || !r.ok())
                return;
            const QJsonObject p = QJsonDocument::fromJson(r.body)
                                      .object()
                                      .value(QStringLiteral("state"))
                                      .toObject()
                                      .value(QStringLiteral("progress"))
                                      .toObject();
            const qint64 done = qint64(p.value(QStringLiteral("documentsDone")).toDouble());
            const qint64 total = qint64(p.value(QStringLiteral("documentsTotal")).toDouble());
            if (total > 0) {
                m_ui->syncProgress->setRange(0, 1000);
                m_ui->syncProgress->setValue(int(qMin<qint64>(1000, done * 1000 / total)));
            }
            const QString message = p.value(QStringLiteral("message")).toString();
            if (!message.isEmpty())
                m_ui->phaseLabel->setText(
                    tr("%1 — %2 of %3 documents").arg(message).arg(done).arg(total));
        });
}

} // namespace repl::gui
