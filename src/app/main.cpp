// repldesk: the desktop app. Parses arguments, starts the embedded engine, shows the window.
#include "app/ServerOptions.h"
#include "credentials/CredentialStore.h"
#include "gui/Demo.h"
#include "gui/EmbeddedServer.h"
#include "gui/MainWindow.h"
#include "gui/ServerList.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QCommandLineParser>
#include <QDialog>
#include <QIcon>
#include <QLibraryInfo>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTextStream>
#include <QTimer>
#include <QTranslator>

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
    Q_INIT_RESOURCE(repldesk); // icons live in the static GUI library
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("repldesk"));
    QApplication::setOrganizationName(QStringLiteral("ReplDesk"));
    QApplication::setApplicationDisplayName(QStringLiteral("ReplDesk"));
    QApplication::setApplicationVersion(QStringLiteral(REPLDESK_VERSION));
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.repldesk.ReplDesk"));
    QIcon icon(QStringLiteral(":/icons/repldesk.svg"));
    for (int size : {16, 32, 48, 64, 128, 256})
        icon.addFile(QStringLiteral(":/icons/repldesk-%1.png").arg(size), QSize(size, size));
    QApplication::setWindowIcon(icon);
    // German (or any shipped language) when the system asks for it; English otherwise.
    QTranslator qtTranslator, appTranslator;
    if (qtTranslator.load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                          QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);
    if (appTranslator.load(QLocale(), QStringLiteral("repldesk"), QStringLiteral("_"),
                           QStringLiteral(":/i18n")))
        QApplication::installTranslator(&appTranslator);

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
    QCommandLineOption demo(
        QStringLiteral("demo"),
        QApplication::translate("main", "Also start a demo follower with a gentle write load."));
    // For docs and checks: grab the window into a PNG after a delay, then quit.
    QCommandLineOption shot(
        QStringLiteral("screenshot"),
        QApplication::translate("main", "Save a screenshot of the window and quit."),
        QStringLiteral("FILE"));
    QCommandLineOption shotTab(QStringLiteral("screenshot-tab"),
                               QApplication::translate("main", "Tab to show in the screenshot."),
                               QStringLiteral("NAME"));
    QCommandLineOption shotDelay(
        QStringLiteral("screenshot-delay"),
        QApplication::translate("main", "Milliseconds before the screenshot."),
        QStringLiteral("MS"), QStringLiteral("6000"));
    QCommandLineOption shotServer(
        QStringLiteral("screenshot-server"),
        QApplication::translate("main",
                                "Server to select for the screenshot (embedded, demo-follower)."),
        QStringLiteral("ID"));
    p.addOptions({dataDir, listen, demo, shot, shotTab, shotDelay, shotServer});
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
    repl::CredentialStore credentials;
    repl::gui::MainWindow window(servers, credentials);
    repl::gui::EmbeddedServer engine;
    // The demo follower lives next to the embedded data. It runs with --demo and, once, on
    // the very first start, so a newcomer lands in a moving picture.
    repl::gui::Demo demoRun(window, embedded.dataDir + QStringLiteral("-demo-follower"));
    QSettings settings;
    const bool firstRun = !settings.value(QStringLiteral("demo/offered")).toBool();
    settings.setValue(QStringLiteral("demo/offered"), true);
    const bool startDemo = p.isSet(demo) || firstRun;
    QObject::connect(&window, &repl::gui::MainWindow::demoRequested, &demoRun,
                     &repl::gui::Demo::start);
    QObject::connect(
        &engine, &repl::gui::EmbeddedServer::failed, &window, [&window](const QString &message) {
            QMessageBox::critical(
                &window, QStringLiteral("ReplDesk"),
                QApplication::translate("main", "The engine on this computer could not start:\n%1")
                    .arg(message));
        });
    window.show();
    if (p.isSet(shot)) {
        const QString tab = p.value(shotTab);
        QTimer::singleShot(qMax(0, p.value(shotDelay).toInt() - 4000), &window,
                           [&window, server = p.value(shotServer)] {
                               if (!server.isEmpty())
                                   window.selectServer(server);
                           });
        QTimer::singleShot(qMax(0, p.value(shotDelay).toInt() - 1500), &window, [&window, tab] {
            if (tab == u"applier-config") {
                if (auto *a = window.findChild<QAction *>(QStringLiteral("actionConfigureApplier")))
                    a->trigger();
                return;
            }
            if (tab == u"sync") { // the guarded sync dialog, with its preview
                if (auto *a = window.findChild<QAction *>(QStringLiteral("actionSync")))
                    a->trigger();
                QTimer::singleShot(300, &window, [&window] {
                    if (auto *preview =
                            window.findChild<QPushButton *>(QStringLiteral("previewButton")))
                        preview->click();
                });
                return;
            }
            if (tab.compare(QStringLiteral("inventory"), Qt::CaseInsensitive) == 0)
                if (auto *view =
                        window.findChild<QAbstractItemView *>(QStringLiteral("inventoryView")))
                    view->setCurrentIndex(view->model()->index(0, 0));
            if (auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("tabs")))
                for (int i = 0; i < tabs->count(); ++i)
                    if (tabs->tabText(i)
                            .remove(u'&')
                            .section(QStringLiteral(" · "), 0, 0)
                            .compare(tab, Qt::CaseInsensitive) == 0)
                        tabs->setCurrentIndex(i);
        });
        QTimer::singleShot(p.value(shotDelay).toInt(), &window, [&window, file = p.value(shot)] {
            QWidget *target = &window;
            for (const char *name : {"syncDialog", "applierConfigDialog"})
                if (auto *dialog = window.findChild<QDialog *>(QLatin1String(name)))
                    target = dialog;
            target->grab().save(file);
            QApplication::quit();
        });
    }

    // The embedded engine's root password: kept in the keychain; without one, a new random
    // password each session (only this app talks to that engine).
    const QString key = QStringLiteral("embedded|") + embedded.dataDir;
    // Start once, with the first password we have. A keychain that waits for the user to
    // unlock it must not hold the engine back: after 3 s this session uses its own password.
    bool started = false;
    auto startEngine = [&](const QString &password, const QString &note) {
        if (started)
            return;
        started = true;
        embedded.rootPassword = password;
        QObject::connect(&engine, &repl::gui::EmbeddedServer::ready, &window,
                         [&window, &demoRun, startDemo, password, note](const QUrl &url,
                                                                        const QString &serverId) {
                             window.addEmbeddedServer(url, serverId, password);
                             // One line for scripts and the startup benchmark.
                             QTextStream(stdout)
                                 << "repldesk: engine ready on " << url.toString() << Qt::endl;
                             if (!note.isEmpty())
                                 window.statusBar()->showMessage(note, 10000);
                             demoRun.setLeader(url, password);
                             if (startDemo)
                                 demoRun.start();
                         });
        engine.open(embedded);
    };
    QTimer::singleShot(3000, &window, [&] {
        startEngine(randomPassword(),
                    QApplication::translate("main",
                                            "The system keychain did not answer: this session uses "
                                            "its own password for the engine on this computer."));
    });
    credentials.read(key, &window, [&](const repl::CredentialStore::Result &r) {
        if (r.ok && !r.secret.isEmpty())
            return startEngine(r.secret, {});
        const QString password = randomPassword();
        if (r.noBackend)
            return startEngine(
                password,
                QApplication::translate("main", "No system keychain: the engine on this computer "
                                                "uses a password for this session only."));
        credentials.write(key, password, &window,
                          [&startEngine, password](const repl::CredentialStore::Result &) {
                              startEngine(password, {});
                          });
    });
    return app.exec();
}
