#include "gui/ServerDialog.h"

#include "client/Endpoint.h"
#include "client/ReplicationClient.h"
#include "client/ServerProbe.h"
#include "credentials/CredentialStore.h"
#include "gui/TlsTrustDialog.h"
#include "ui_ServerDialog.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QUuid>

namespace repl::gui {

ServerDialog::ServerDialog(CredentialStore &credentials, const ServerEntry &entry, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::ServerDialog>())
    , m_credentials(credentials)
    , m_entry(entry)
    , m_editing(!entry.id.isEmpty())
{
    m_ui->setupUi(this);
    setWindowTitle(entry.id.isEmpty() ? tr("Add a server") : tr("Edit %1").arg(entry.name));
    if (!entry.id.isEmpty()) {
        m_ui->nameEdit->setText(entry.name);
        m_ui->endpointEdit->setText(entry.endpoint);
        m_ui->databaseEdit->setText(entry.database);
        m_ui->userEdit->setText(entry.user);
        m_ui->passwordEdit->setPlaceholderText(tr("unchanged (kept in the system keychain)"));
    }
    if (!entry.tlsPin.isEmpty()) {
        // The certificate trusted for this server: shown, and forgotten on request (or when
        // the endpoint changes: a pin belongs to one server).
        auto *pin = new QLabel(
            tr("only SHA-256 %1").arg(TlsTrustDialog::twoLineFingerprint(entry.tlsPin)), this);
        pin->setObjectName(QStringLiteral("pinValue"));
        pin->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        pin->setTextInteractionFlags(Qt::TextSelectableByMouse);
        auto *forget = new QPushButton(tr("&Forget"), this);
        forget->setObjectName(QStringLiteral("forgetPinButton"));
        forget->setToolTip(tr("Trust this server's certificate again only if a certificate "
                              "authority vouches for it, or after you confirm it anew."));
        auto *row = new QHBoxLayout;
        row->addWidget(pin, 1);
        row->addWidget(forget, 0, Qt::AlignTop);
        m_ui->serverForm->addRow(tr("Certificate:"), row);
        connect(forget, &QPushButton::clicked, this, [this, pin, forget] {
            m_entry.tlsPin.clear();
            pin->setText(tr("forgotten (saved with the server)"));
            pin->setFont(font());
            forget->setEnabled(false);
        });
    }
    for (QLineEdit *e : {m_ui->nameEdit, m_ui->endpointEdit, m_ui->databaseEdit, m_ui->userEdit})
        connect(e, &QLineEdit::textChanged, this, &ServerDialog::validate);
    connect(m_ui->testButton, &QPushButton::clicked, this, &ServerDialog::testConnection);
    connect(m_ui->saveButton, &QPushButton::clicked, this, &ServerDialog::save);
    connect(m_ui->cancelButton, &QPushButton::clicked, this, &QDialog::reject);
    validate();
}

ServerDialog::~ServerDialog() = default;

ServerEntry ServerDialog::entry() const
{
    ServerEntry e = m_entry;
    if (e.id.isEmpty())
        e.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    e.name = m_ui->nameEdit->text().trimmed();
    e.endpoint = m_ui->endpointEdit->text().trimmed();
    e.database = m_ui->databaseEdit->text().trimmed();
    e.user = m_ui->userEdit->text().trimmed();
    if (e.endpoint != m_entry.endpoint)
        e.tlsPin.clear();
    return e;
}

QString ServerDialog::password() const
{
    return m_ui->passwordEdit->text();
}

QString ServerDialog::validationError() const
{
    if (m_ui->nameEdit->text().trimmed().isEmpty())
        return tr("Give the server a name.");
    const QString endpoint = m_ui->endpointEdit->text().trimmed();
    if (endpoint.isEmpty())
        return tr("Enter the endpoint, e.g. http://db1.example.org:8529.");
    if (!client::normalizeEndpoint(endpoint).isValid())
        return tr("The endpoint must look like http://host:port, https://host:port, "
                  "tcp://host:port or ssl://host:port.");
    if (m_ui->databaseEdit->text().trimmed().isEmpty())
        return tr("Enter a database name (_system is the default).");
    return {}; // no user: a server without authentication (CouchDB in admin party)
}

void ServerDialog::validate()
{
    const QString error = validationError();
    m_ui->messageLabel->setStyleSheet(error.isEmpty() ? QString()
                                                      : QStringLiteral("color: #b26a00;"));
    m_ui->messageLabel->setText(error);
    m_ui->saveButton->setEnabled(error.isEmpty());
    m_ui->testButton->setEnabled(error.isEmpty());
}

void ServerDialog::testConnection()
{
    const ServerEntry e = entry();
    client::ClientSettings s{
        client::normalizeEndpoint(e.endpoint), e.database, e.user, password(), 10000, {}, {}, {}};
    s.tls.pinnedSha256 = e.tlsPin;
    delete m_client;
    m_client = new client::ReplicationClient(s, this);
    m_ui->messageLabel->setStyleSheet(QString());
    m_ui->messageLabel->setText(tr("Connecting…"));
    client::probeServer(*m_client, this, [this](const client::ServerProbe &p) {
        if (p.flavor != client::ServerFlavor::Unknown) {
            m_ui->messageLabel->setStyleSheet(QStringLiteral("color: #2e7d32;"));
            m_ui->messageLabel->setText(
                p.flavor == client::ServerFlavor::CouchDb
                    ? tr("Connected: %1 (CouchDB replication protocol).").arg(p.describe())
                    : tr("Connected: %1.").arg(p.describe()));
            return;
        }
        const client::HttpResult &r = p.failure;
        m_ui->messageLabel->setStyleSheet(QStringLiteral("color: #c62828;"));
        if (r.tls.kind == client::TlsFailure::Kind::CertificateChanged)
            m_ui->messageLabel->setText(
                tr("Refused: the server's TLS certificate changed (SHA-256 %1, trusted was %2).")
                    .arg(r.tls.fingerprint, r.tls.pinned));
        else if (r.tls.isSet())
            m_ui->messageLabel->setText(
                tr("The server's TLS certificate is not trusted (%1; SHA-256 %2). Save the "
                   "server to review the certificate and trust it.")
                    .arg(r.tls.errors.join(QStringLiteral("; ")), r.tls.fingerprint));
        else if (r.status == 401)
            m_ui->messageLabel->setText(tr("The server refused the user or password (HTTP 401)."));
        else if (!r.answered())
            m_ui->messageLabel->setText(tr("No answer: %1").arg(r.errorString));
        else
            m_ui->messageLabel->setText(tr("HTTP %1: %2").arg(r.status).arg(r.serverMessage()));
    });
}

void ServerDialog::save()
{
    if (!validationError().isEmpty())
        return;
    const ServerEntry e = entry();
    m_entry = e;
    if (password().isEmpty() && m_editing)
        return accept(); // edited without a new password: the keychain keeps the old one
    if (e.user.isEmpty())
        return accept(); // no authentication: nothing for the keychain
    m_ui->saveButton->setEnabled(false);
    m_credentials.write(CredentialStore::keyFor(e.endpoint, e.user, e.database), password(), this,
                        [this, e](const CredentialStore::Result &r) {
                            if (!r.ok) {
                                // No keychain: keep it for this session only and say so.
                                Q_EMIT passwordForSession(e.id, password());
                            }
                            accept();
                        });
}

} // namespace repl::gui
