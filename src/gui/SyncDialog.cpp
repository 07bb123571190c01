#include "gui/SyncDialog.h"

#include "gui/ServerSession.h"
#include "ui_SyncDialog.h"

#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>

namespace repl::gui {

namespace {
QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}
} // namespace

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
    m_ui->targetValue->setText(tr("%1 — %2, database %3").arg(t.name, t.endpoint, t.database));
    for (const ServerEntry &l : m_leaders)
        m_ui->leaderCombo->addItem(tr("%1 (%2)").arg(l.name, l.endpoint), l.id);
    m_ui->restrictTypeCombo->addItem(tr("all"), QString());
    m_ui->restrictTypeCombo->addItem(tr("only these"), QStringLiteral("include"));
    m_ui->restrictTypeCombo->addItem(tr("all except these"), QStringLiteral("exclude"));
    m_ui->confirmLabel->setText(tr("Type the database name <b>%1</b> to confirm:").arg(t.database));
    m_ui->planTable->setColumnCount(4);
    m_ui->planTable->setHorizontalHeaderLabels({tr("Collection"), tr("What happens"),
                                                tr("Local documents purged"),
                                                tr("Leader documents copied")});
    m_ui->planTable->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_ui->planTable->verticalHeader()->hide();
    m_ui->syncProgress->setVisible(false);
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
        const QString leaderId = m_ui->leaderCombo->currentData().toString();
        QJsonObject cfg = requestBody(m_leaderPassword);
        m_target.client().request(
            "PUT", QStringLiteral("/_api/replication/applier-config"), {}, json(cfg), this,
            [this](const client::HttpResult &r) {
                if (!r.ok())
                    return setError(r.serverMessage());
                m_target.setApplierRunning(true, m_lastTick, [this](const QString &e) {
                    if (!e.isEmpty())
                        return setError(e);
                    Q_EMIT audited(tr("applier started"), tr("from tick %1").arg(m_lastTick));
                    accept();
                });
            });
        Q_UNUSED(leaderId);
    });
    m_progressTimer.setInterval(300);
    connect(&m_progressTimer, &QTimer::timeout, this, &SyncDialog::pollProgress);

    // Is the applier running? The sync must not start while it does.
    m_target.client().get(QStringLiteral("/_api/replication/applier-state"), {}, this,
                          [this](const client::HttpResult &r) {
                              m_applierRunning = QJsonDocument::fromJson(r.body)
                                                     .object()
                                                     .value(QStringLiteral("state"))
                                                     .toObject()
                                                     .value(QStringLiteral("running"))
                                                     .toBool();
                              m_ui->applierWarning->setVisible(m_applierRunning);
                              m_ui->stopApplierButton->setVisible(m_applierRunning);
                              updateButtons();
                          });
    updateButtons();
}

SyncDialog::~SyncDialog() = default;

QJsonObject SyncDialog::requestBody(const QString &password) const
{
    const QString leaderId = m_ui->leaderCombo->currentData().toString();
    ServerEntry leader;
    for (const ServerEntry &l : m_leaders)
        if (l.id == leaderId)
            leader = l;
    QJsonObject body{{QStringLiteral("endpoint"), leader.endpoint},
                     {QStringLiteral("database"), leader.database},
                     {QStringLiteral("username"), leader.user},
                     {QStringLiteral("password"), password},
                     {QStringLiteral("includeSystem"), m_ui->includeSystemCheck->isChecked()}};
    const QString type = m_ui->restrictTypeCombo->currentData().toString();
    if (!type.isEmpty()) {
        QJsonArray names;
        for (const QString &n :
             m_ui->restrictCollectionsEdit->text().split(u',', Qt::SkipEmptyParts))
            names.append(n.trimmed());
        body.insert(QStringLiteral("restrictType"), type);
        body.insert(QStringLiteral("restrictCollections"), names);
    }
    return body;
}

void SyncDialog::setError(const QString &message)
{
    m_ui->errorLabel->setText(message);
}

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
    m_ui->planSummary->setText(tr("Asking the server what a sync would do…"));
    m_passwords(leaderId, [this](const QString &password) {
        m_leaderPassword = password;
        QJsonObject body = requestBody(password);
        body.insert(QStringLiteral("dryRun"), true);
        m_target.client().request(
            "PUT", QStringLiteral("/_api/replication/sync"), {}, json(body), this,
            [this](const client::HttpResult &r) {
                m_ui->previewButton->setEnabled(true);
                if (!r.ok()) {
                    m_ui->planSummary->setText(tr("The preview failed."));
                    return setError(r.serverMessage());
                }
                const QJsonObject plan = QJsonDocument::fromJson(r.body).object();
                const QJsonArray cols = plan.value(QStringLiteral("collections")).toArray();
                m_ui->planTable->setRowCount(int(cols.size()));
                qint64 copied = 0;
                for (int i = 0; i < cols.size(); ++i) {
                    const QJsonObject c = cols[i].toObject();
                    const QString action = c.value(QStringLiteral("action")).toString();
                    const QString what = action == u"drop-and-recreate" ? tr("dropped and copied")
                                         : action == u"create"          ? tr("copied (new here)")
                                                                        : tr("kept as it is");
                    const qint64 local =
                        qint64(c.value(QStringLiteral("localDocuments")).toDouble());
                    const qint64 leader =
                        qint64(c.value(QStringLiteral("leaderDocuments")).toDouble());
                    if (action != u"keep")
                        copied += leader;
                    m_ui->planTable->setItem(
                        i, 0, new QTableWidgetItem(c.value(QStringLiteral("name")).toString()));
                    m_ui->planTable->setItem(i, 1, new QTableWidgetItem(what));
                    auto *purged =
                        new QTableWidgetItem(action == u"drop-and-recreate" ? QString::number(local)
                                                                            : QStringLiteral("—"));
                    if (action == u"drop-and-recreate" && local > 0)
                        purged->setForeground(QColor(0xc6, 0x28, 0x28));
                    m_ui->planTable->setItem(i, 2, purged);
                    m_ui->planTable->setItem(i, 3,
                                             new QTableWidgetItem(action == u"keep"
                                                                      ? QStringLiteral("—")
                                                                      : QString::number(leader)));
                }
                const qint64 purged =
                    qint64(plan.value(QStringLiteral("documentsPurged")).toDouble());
                m_ui->planSummary->setText(
                    tr("%1 local documents will be purged and %2 documents copied from the leader "
                       "(its log is at tick %3).")
                        .arg(purged)
                        .arg(copied)
                        .arg(plan.value(QStringLiteral("lastLogTick")).toString()));
                m_previewed = true;
                updateButtons();
            });
    });
}

void SyncDialog::updateButtons()
{
    const bool confirmed = m_ui->confirmEdit->text() == m_target.entry().database;
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
    m_ui->phaseLabel->setText(tr("Starting the sync…"));
    m_progressTimer.start();
    m_target.client().request(
        "PUT", QStringLiteral("/_api/replication/sync"), {}, json(requestBody(m_leaderPassword)),
        this, [this](const client::HttpResult &r) {
            m_progressTimer.stop();
            m_running = false;
            if (!r.ok()) {
                m_ui->syncProgress->setVisible(false);
                m_ui->phaseLabel->setText(tr("The sync failed; the database is as it was."));
                setError(r.serverMessage());
                Q_EMIT audited(tr("sync failed"), r.serverMessage());
                updateButtons();
                return;
            }
            const QJsonObject o = QJsonDocument::fromJson(r.body).object();
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
