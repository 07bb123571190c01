// MainWindow and TLS: the app's extra CA file (one setting for the whole app, the embedded
// engine's outgoing calls included) and the trust flow of a refused server certificate.
#include "client/ReplicationClient.h"
#include "client/Tls.h"
#include "gui/AuditLog.h"
#include "gui/MainWindow.h"
#include "gui/ServerSession.h"
#include "gui/TlsTrustDialog.h"
#include "ui_MainWindow.h"

#include <QFileDialog>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

namespace repl::gui {

namespace {
const QString CaFileKey = QStringLiteral("tls/caFile");
} // namespace

void MainWindow::setupTls()
{
    m_ui->menuServer->addSeparator();
    auto *ca = m_ui->menuServer->addAction(tr("Trusted &CA certificates…"));
    ca->setObjectName(QStringLiteral("actionCaFile"));
    connect(ca, &QAction::triggered, this, &MainWindow::chooseCaFile);
    // Before the embedded engine starts, so its appliers trust the same CAs as the app.
    const QString file = QSettings().value(CaFileKey).toString();
    QString error;
    if (!file.isEmpty() && !client::setTrustedCaFile(file, error))
        showError(tr("The CA file set for TLS is not used: %1").arg(error));
}

void MainWindow::chooseCaFile()
{
    QSettings settings;
    const QString current = settings.value(CaFileKey).toString();
    auto *dialog =
        new QFileDialog(this, tr("CA certificates (PEM) trusted beyond the system's"), current);
    dialog->setObjectName(QStringLiteral("caFileDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setNameFilters({tr("PEM certificates (*.pem *.crt *.cer)"), tr("All files (*)")});
    if (!current.isEmpty())
        dialog->selectFile(current);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &file) {
        QString error;
        if (!client::setTrustedCaFile(file, error))
            return showError(tr("Not used: %1").arg(error));
        QSettings().setValue(CaFileKey, file);
        statusBar()->showMessage(
            tr("Certificates in %1 are trusted from now on, also by the engine on this computer.")
                .arg(file),
            10000);
        audit(tr("CA file set"), file);
        if (m_session)
            m_session->refreshNow();
    });
    dialog->open();
}

void MainWindow::askToTrust(const client::TlsFailure &failure)
{
    if (!m_session || m_trustDialog)
        return;
    const ServerEntry entry = m_session->entry();
    // Each certificate is shown once a session; declined, the status line keeps saying why.
    const QString key = entry.id + u'|' + failure.fingerprint;
    if (m_certificatesAsked.contains(key))
        return;
    m_certificatesAsked.insert(key);
    auto *dialog = new TlsTrustDialog(entry.name, entry.endpoint, failure, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_trustDialog = dialog;
    connect(dialog, &QDialog::accepted, this, [this, dialog, id = entry.id] {
        const ServerEntry *e = m_servers.entry(id);
        if (!e)
            return;
        ServerEntry pinned = *e;
        pinned.tlsPin = dialog->failure().fingerprint;
        m_servers.update(pinned); // saved with the server list
        audit(tr("certificate trusted"),
              tr("%1: SHA-256 %2 (%3)").arg(pinned.name, pinned.tlsPin, dialog->failure().subject));
        // (The fleet watcher makes its client of this server again, with the pin.)
        if (m_session && m_session->entry().id == id) {
            m_session->deleteLater();
            m_session = nullptr;
        }
        selectServer(id);
    });
    dialog->open();
}

} // namespace repl::gui
