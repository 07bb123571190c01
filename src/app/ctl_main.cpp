// repldeskctl: the operations of the ReplDesk app on a terminal, for scripts and operators.
// Parses arguments, resolves the password (environment, stdin or, for a server of the app's
// list, the system keychain; never argv), runs one command.
#include "client/Endpoint.h"
#include "client/Tls.h"
#include "credentials/CredentialStore.h"
#include "ctl/CtlOptions.h"
#include "ctl/CtlRunner.h"

#include <QCoreApplication>
#include <QSettings>
#include <QSocketNotifier>
#include <QTextStream>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

namespace {

int g_signalFd[2] = {-1, -1};

void onInterrupt(int)
{
    const char c = 1;
    [[maybe_unused]] const auto n = ::write(g_signalFd[0], &c, 1);
}

// The password from $VAR (an unset variable is an error: a typo must not mean "no password").
bool passwordFromEnv(const QString &var, QString &password, QString &error)
{
    const QByteArray name = var.toLocal8Bit();
    if (!qEnvironmentVariableIsSet(name.constData())) {
        error = QStringLiteral("environment variable %1 is not set").arg(var);
        return false;
    }
    password = qEnvironmentVariable(name.constData());
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("repldesk"));
    QCoreApplication::setOrganizationName(QStringLiteral("ReplDesk"));
    QCoreApplication::setApplicationVersion(QStringLiteral(REPLDESK_VERSION));
    QTextStream out(stdout);
    QTextStream err(stderr);

    QStringList args = QCoreApplication::arguments().mid(1);
    if (args.contains(QStringLiteral("--version"))) {
        out << "repldeskctl " << REPLDESK_VERSION << "\n";
        return 0;
    }
    const repl::ctl::ParseResult parsed = repl::ctl::parseCtlArguments(args);
    if (!parsed.helpText.isEmpty()) {
        out << parsed.helpText;
        return 0;
    }
    if (!parsed.error.isEmpty()) {
        err << "repldeskctl: " << parsed.error
            << "\nRun 'repldeskctl --help' for the commands and "
               "options.\n";
        return 2;
    }
    const repl::ctl::CtlOptions &o = parsed.options;

    QUrl base = repl::client::normalizeEndpoint(o.server);
    QString user = o.user;
    QString database = o.database;
    QString keychainKey; // set when --server named a server of the app's list
    QString pin = o.pinnedSha256;
    if (!base.isValid() && !o.server.contains(QStringLiteral("://"))) {
        // The name of a server in the app's list: its endpoint, user and database.
        QSettings settings;
        const int n = settings.beginReadArray(QStringLiteral("servers"));
        for (int i = 0; i < n && !base.isValid(); ++i) {
            settings.setArrayIndex(i);
            if (settings.value(QStringLiteral("name")).toString() != o.server)
                continue;
            const QString endpoint = settings.value(QStringLiteral("endpoint")).toString();
            const QString entryUser = settings.value(QStringLiteral("user"), user).toString();
            const QString entryDatabase = settings.value(QStringLiteral("database")).toString();
            base = repl::client::normalizeEndpoint(endpoint);
            // The certificate the app was told to trust for this server (see ServerList).
            if (!o.pinGiven)
                pin = settings.value(QStringLiteral("tlsPin")).toString();
            if (!o.userGiven)
                user = entryUser;
            if (!o.databaseGiven && !entryDatabase.isEmpty())
                database = entryDatabase;
            // The app keeps the entry's password under this key (see ServerDialog).
            keychainKey = repl::CredentialStore::keyFor(endpoint, user, entryDatabase);
        }
        settings.endArray();
    }
    if (!base.isValid()) {
        err << "repldeskctl: --server '" << o.server
            << "' is neither an endpoint (http://, https://, tcp://, ssl://host:port) nor the "
               "name of a server in the ReplDesk app's list\n";
        return 2;
    }
    QString password;
    QString leaderPassword;
    QString problem;
    if (!o.passwordEnv.isEmpty() && !passwordFromEnv(o.passwordEnv, password, problem)) {
        err << "repldeskctl: " << problem << " (--password-env)\n";
        return 2;
    }
    if (o.passwordStdin) {
        std::string line;
        std::getline(std::cin, line);
        password = QString::fromStdString(line);
    }
    if (!o.leaderPasswordEnv.isEmpty() &&
        !passwordFromEnv(o.leaderPasswordEnv, leaderPassword, problem)) {
        err << "repldeskctl: " << problem << " (--leader-password-env)\n";
        return 2;
    }

    if (!o.caFile.isEmpty()) {
        QString problem;
        if (!repl::client::setTrustedCaFile(o.caFile, problem)) {
            err << "repldeskctl: --ca-file: " << problem << "\n";
            return 2;
        }
    }
    repl::client::ClientSettings s;
    s.base = base;
    s.tls.pinnedSha256 = pin;
    s.username = user;
    s.password = password;
    s.requestTimeoutMs = int(o.timeoutSeconds * 1000);
    repl::ctl::CtlOptions resolved = o;
    resolved.database = database;
    std::unique_ptr<repl::ctl::CtlRunner> runner;
    auto launch = [&] {
        runner = std::make_unique<repl::ctl::CtlRunner>(resolved, s, leaderPassword, out, err);
        QObject::connect(runner.get(), &repl::ctl::CtlRunner::finished, &app,
                         &QCoreApplication::exit);
        // Ctrl-C reaches the runner through the event loop (a self-pipe), so a backup in
        // progress can remove its partial folder before the tool ends.
        if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFd) == 0) {
            auto *notifier = new QSocketNotifier(g_signalFd[1], QSocketNotifier::Read, &app);
            QObject::connect(notifier, &QSocketNotifier::activated, runner.get(),
                             [notifier, r = runner.get()] {
                                 char c = 0;
                                 [[maybe_unused]] const auto n = ::read(g_signalFd[1], &c, 1);
                                 r->interrupt();
                             });
            std::signal(SIGINT, onInterrupt);
            std::signal(SIGTERM, onInterrupt);
        }
        runner->start();
    };
    repl::CredentialStore keychain;
    if (!keychainKey.isEmpty() && o.passwordEnv.isEmpty() && !o.passwordStdin) {
        // A server of the app's list: its password from the system keychain, as the app
        // stored it. Without one we go on without a password and say why.
        keychain.read(keychainKey, &app, [&](const repl::CredentialStore::Result &r) {
            if (r.ok) {
                s.password = r.secret;
            } else if (r.notFound) {
                err << "repldeskctl: note: the keychain holds no password for '" << o.server
                    << "' (user " << user << "); trying without one\n";
            } else {
                err << "repldeskctl: note: cannot read the password of '" << o.server
                    << "' from the system keychain ("
                    << (r.noBackend ? QStringLiteral("no keychain service is running") : r.error)
                    << "); give it with --password-env VAR or --password-stdin\n";
            }
            err.flush();
            launch();
        });
    } else {
        launch();
    }
    return app.exec();
}
