#include "gui/ApplierConfigDialog.h"

#include "client/Endpoint.h"
#include "gui/ServerSession.h"
#include "ui_ApplierConfigDialog.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace repl::gui {

ApplierConfigDialog::ApplierConfigDialog(ServerSession &target, const QList<ServerEntry> &leaders,
                                         PasswordLookup passwords, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::ApplierConfigDialog>())
    , m_target(target)
    , m_leaders(leaders)
    , m_passwords(std::move(passwords))
{
    m_ui->setupUi(this);
    setWindowTitle(tr("Applier of %1").arg(target.entry().name));
    for (const ServerEntry &l : m_leaders)
        m_ui->endpointCombo->addItem(l.endpoint, l.id);
    m_ui->endpointCombo->setCurrentIndex(-1);
    m_ui->restrictTypeCombo->addItem(tr("all"), QString());
    m_ui->restrictTypeCombo->addItem(tr("only these"), QStringLiteral("include"));
    m_ui->restrictTypeCombo->addItem(tr("all except these"), QStringLiteral("exclude"));
    connect(m_ui->endpointCombo, &QComboBox::activated, this, [this](int index) {
        const QString id = m_ui->endpointCombo->itemData(index).toString();
        for (const ServerEntry &l : m_leaders) {
            if (l.id != id)
                continue;
            m_ui->usernameEdit->setText(l.user);
            m_ui->databaseEdit->setText(l.database);
            m_passwords(id, [this](const QString &pw) {
                m_leaderPassword = pw;
                m_ui->passwordEdit->setPlaceholderText(tr("from the keychain"));
            });
        }
    });
    connect(m_ui->endpointCombo, &QComboBox::currentTextChanged, this,
            &ApplierConfigDialog::validate);
    connect(m_ui->restrictTypeCombo, &QComboBox::currentIndexChanged, this,
            &ApplierConfigDialog::validate);
    connect(m_ui->restrictCollectionsEdit, &QLineEdit::textChanged, this,
            &ApplierConfigDialog::validate);
    connect(m_ui->idleMinWaitTimeSpin, &QDoubleSpinBox::valueChanged, this,
            &ApplierConfigDialog::validate);
    connect(m_ui->idleMaxWaitTimeSpin, &QDoubleSpinBox::valueChanged, this,
            &ApplierConfigDialog::validate);
    connect(m_ui->saveButton, &QPushButton::clicked, this, &ApplierConfigDialog::save);
    connect(m_ui->cancelButton, &QPushButton::clicked, this, &QDialog::reject);
    m_ui->saveButton->setEnabled(false);
    m_ui->messageLabel->setText(tr("Loading the configuration…"));
    m_target.client().get(
        QStringLiteral("/_api/replication/applier-config"), {}, this,
        [this](const client::HttpResult &r) {
            if (!r.ok()) {
                m_ui->messageLabel->setText(
                    tr("Cannot read the configuration: %1").arg(r.serverMessage()));
                return;
            }
            load(QJsonDocument::fromJson(r.body).object());
            validate();
        });
}

ApplierConfigDialog::~ApplierConfigDialog() = default;

void ApplierConfigDialog::load(const QJsonObject &c)
{
    m_ui->endpointCombo->setEditText(c.value(QStringLiteral("endpoint")).toString());
    m_ui->databaseEdit->setText(c.value(QStringLiteral("database")).toString());
    m_ui->usernameEdit->setText(c.value(QStringLiteral("username")).toString());
    auto num = [&](const char *k) { return c.value(QLatin1String(k)).toDouble(); };
    m_ui->requestTimeoutSpin->setValue(num("requestTimeout"));
    m_ui->connectTimeoutSpin->setValue(num("connectTimeout"));
    m_ui->maxConnectRetriesSpin->setValue(int(num("maxConnectRetries")));
    m_ui->connectionRetryWaitTimeSpin->setValue(num("connectionRetryWaitTime"));
    m_ui->idleMinWaitTimeSpin->setValue(num("idleMinWaitTime"));
    m_ui->idleMaxWaitTimeSpin->setValue(num("idleMaxWaitTime"));
    m_ui->chunkSizeSpin->setValue(int(qMin(num("chunkSize"), 2147483647.0)));
    m_ui->ignoreErrorsSpin->setValue(int(num("ignoreErrors")));
    m_ui->sslProtocolSpin->setValue(int(num("sslProtocol")));
    m_ui->autoResyncRetriesSpin->setValue(int(num("autoResyncRetries")));
    m_ui->initialSyncMaxWaitTimeSpin->setValue(num("initialSyncMaxWaitTime"));
    const int type =
        m_ui->restrictTypeCombo->findData(c.value(QStringLiteral("restrictType")).toString());
    m_ui->restrictTypeCombo->setCurrentIndex(qMax(0, type));
    QStringList names;
    for (const QJsonValue &v : c.value(QStringLiteral("restrictCollections")).toArray())
        names << v.toString();
    m_ui->restrictCollectionsEdit->setText(names.join(QStringLiteral(", ")));
    m_ui->autoStartCheck->setChecked(c.value(QStringLiteral("autoStart")).toBool());
    m_ui->adaptivePollingCheck->setChecked(c.value(QStringLiteral("adaptivePolling")).toBool(true));
    m_ui->autoResyncCheck->setChecked(c.value(QStringLiteral("autoResync")).toBool());
    m_ui->requireFromPresentCheck->setChecked(
        c.value(QStringLiteral("requireFromPresent")).toBool(true));
    m_ui->includeSystemCheck->setChecked(c.value(QStringLiteral("includeSystem")).toBool(true));
    m_ui->verboseCheck->setChecked(c.value(QStringLiteral("verbose")).toBool());
    m_ui->incrementalCheck->setChecked(c.value(QStringLiteral("incremental")).toBool());
}

QJsonObject ApplierConfigDialog::toJson() const
{
    QJsonArray names;
    for (const QString &n : m_ui->restrictCollectionsEdit->text().split(u',', Qt::SkipEmptyParts))
        names.append(n.trimmed());
    const QString type = m_ui->restrictTypeCombo->currentData().toString();
    QJsonObject o{
        {QStringLiteral("endpoint"), m_ui->endpointCombo->currentText().trimmed()},
        {QStringLiteral("database"), m_ui->databaseEdit->text().trimmed()},
        {QStringLiteral("username"), m_ui->usernameEdit->text().trimmed()},
        {QStringLiteral("requestTimeout"), m_ui->requestTimeoutSpin->value()},
        {QStringLiteral("connectTimeout"), m_ui->connectTimeoutSpin->value()},
        {QStringLiteral("maxConnectRetries"), m_ui->maxConnectRetriesSpin->value()},
        {QStringLiteral("connectionRetryWaitTime"), m_ui->connectionRetryWaitTimeSpin->value()},
        {QStringLiteral("idleMinWaitTime"), m_ui->idleMinWaitTimeSpin->value()},
        {QStringLiteral("idleMaxWaitTime"), m_ui->idleMaxWaitTimeSpin->value()},
        {QStringLiteral("chunkSize"), m_ui->chunkSizeSpin->value()},
        {QStringLiteral("ignoreErrors"), m_ui->ignoreErrorsSpin->value()},
        {QStringLiteral("sslProtocol"), m_ui->sslProtocolSpin->value()},
        {QStringLiteral("autoResyncRetries"), m_ui->autoResyncRetriesSpin->value()},
        {QStringLiteral("initialSyncMaxWaitTime"), m_ui->initialSyncMaxWaitTimeSpin->value()},
        {QStringLiteral("restrictType"), type},
        {QStringLiteral("restrictCollections"), type.isEmpty() ? QJsonArray() : names},
        {QStringLiteral("autoStart"), m_ui->autoStartCheck->isChecked()},
        {QStringLiteral("adaptivePolling"), m_ui->adaptivePollingCheck->isChecked()},
        {QStringLiteral("autoResync"), m_ui->autoResyncCheck->isChecked()},
        {QStringLiteral("requireFromPresent"), m_ui->requireFromPresentCheck->isChecked()},
        {QStringLiteral("includeSystem"), m_ui->includeSystemCheck->isChecked()},
        {QStringLiteral("verbose"), m_ui->verboseCheck->isChecked()},
        {QStringLiteral("incremental"), m_ui->incrementalCheck->isChecked()}};
    const QString password =
        !m_ui->passwordEdit->text().isEmpty() ? m_ui->passwordEdit->text() : m_leaderPassword;
    if (!password.isEmpty())
        o.insert(QStringLiteral("password"), password);
    return o;
}

QString ApplierConfigDialog::validationError() const
{
    const QString endpoint = m_ui->endpointCombo->currentText().trimmed();
    if (!endpoint.isEmpty() && !client::normalizeEndpoint(endpoint).isValid())
        return tr("The leader endpoint must look like http://host:port (tcp://, ssl://, https:// "
                  "also work).");
    if (m_ui->idleMaxWaitTimeSpin->value() < m_ui->idleMinWaitTimeSpin->value())
        return tr("The maximum idle wait must not be below the minimum.");
    if (m_ui->restrictTypeCombo->currentIndex() > 0 &&
        m_ui->restrictCollectionsEdit->text().trimmed().isEmpty())
        return tr("Name the collections, or choose \"all\".");
    return {};
}

void ApplierConfigDialog::validate()
{
    const QString error = validationError();
    m_ui->messageLabel->setStyleSheet(error.isEmpty() ? QString()
                                                      : QStringLiteral("color: #b26a00;"));
    m_ui->messageLabel->setText(error);
    m_ui->saveButton->setEnabled(error.isEmpty());
}

void ApplierConfigDialog::save()
{
    if (!validationError().isEmpty())
        return;
    m_ui->saveButton->setEnabled(false);
    m_target.client().request("PUT", QStringLiteral("/_api/replication/applier-config"), {},
                              QJsonDocument(toJson()).toJson(QJsonDocument::Compact), this,
                              [this](const client::HttpResult &r) {
                                  if (!r.ok()) {
                                      // The server's word, in the form: e.g. 1411 while running.
                                      m_ui->messageLabel->setStyleSheet(
                                          QStringLiteral("color: #c62828;"));
                                      m_ui->messageLabel->setText(r.serverMessage());
                                      m_ui->saveButton->setEnabled(true);
                                      return;
                                  }
                                  Q_EMIT saved();
                                  accept();
                              });
}

} // namespace repl::gui
