// repldesk: the desktop app. Parses arguments, starts the embedded engine, shows the window.
#include "app/ServerOptions.h"
#include "gui/CredentialStore.h"
#include "gui/EmbeddedServer.h"
#include "gui/MainWindow.h"
#include "gui/ServerList.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>
#include <QRandomGenerator>
#include <QStandardPaths>

namespace {

QString randomPassword()
{
    QByteArray bytes(24, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), 6);
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("repldesk"));
    QApplication::setOrganizationName(QStringLiteral("ReplDesk"));
    QApplication::setApplicationDisplayName(QStringLiteral("ReplDesk"));
    QApplication::setApplicationVersion(QStringLiteral(REPLDESK_VERSION));

    QCommandLineParser p;
    p.setApplicationDescription(
        QApplication::translate("main", "Manage replicated document databases."));
    p.addHelpOption();
    p.addVersionOption();
    QCommandLineOption dataDir(
        QStringLiteral("data-dir"),
        QApplication::translate("main", "Data directory of the embedded engine."),
        QStringLiteral("DIR"));
    QCommandLineOption listen(
        QStringLiteral("embedded-listen"),
        QApplication::translate("main",
                                "Loopback address of the embedded engine (default: a free port)."),
        QStringLiteral("HOST:PORT"));
    p.addOptions({dataDir, listen});
    p.process(app);

    repl::gui::EmbeddedServer::Options embedded;
    embedded.dataDir = p.isSet(dataDir)
                           ? p.value(dataDir)
                           : QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
                                 QStringLiteral("/repldesk/embedded");
    if (p.isSet(listen) && !repl::parseListen(p.value(listen), embedded.host, embedded.port)) {
        QMessageBox::critical(
            nullptr, QStringLiteral("ReplDesk"),
            QApplication::translate("main", "--embedded-listen expects HOST:PORT, got \"%1\".")
                .arg(p.value(listen)));
        return 2;
    }

    repl::gui::ServerListModel servers;
    servers.load();
    repl::gui::CredentialStore credentials;
    repl::gui::MainWindow window(servers, credentials);
    repl::gui::EmbeddedServer engine;
    QObject::connect(
        &engine, &repl::gui::EmbeddedServer::failed, &window, [&window](const QString &message) {
            QMessageBox::critical(
                &window, QStringLiteral("ReplDesk"),
                QApplication::translate("main", "The engine on this computer could not start:\n%1")
                    .arg(message));
        });
    window.show();

    // The embedded engine's root password: kept in the keychain; without one, a new random
    // password each session (only this app talks to that engine).
    const QString key = QStringLiteral("embedded|") + embedded.dataDir;
    credentials.read(key, &window, [&](const repl::gui::CredentialStore::Result &r) {
        auto startEngine = [&](const QString &password) {
            embedded.rootPassword = password;
            QObject::connect(&engine, &repl::gui::EmbeddedServer::ready, &window,
                             [&window, password](const QUrl &url, const QString &serverId) {
                                 window.addEmbeddedServer(url, serverId, password);
                             });
            engine.open(embedded);
        };
        if (r.ok && !r.secret.isEmpty()) {
            startEngine(r.secret);
            return;
        }
        const QString password = randomPassword();
        if (r.noBackend) {
            startEngine(password);
            return;
        }
        credentials.write(key, password, &window,
                          [startEngine, password](const repl::gui::CredentialStore::Result &) {
                              startEngine(password);
                          });
    });
    return app.exec();
}
