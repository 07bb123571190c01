// repldeskctl: the operations of the ReplDesk app on a terminal, for scripts and operators.
// Parses arguments, resolves the password (environment or stdin, never argv), runs one command.
#include "client/Endpoint.h"
#include "ctl/CtlOptions.h"
#include "ctl/CtlRunner.h"

#include <QCoreApplication>
#include <QSettings>
#include <QTextStream>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

namespace {

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
    if (!base.isValid() && !o.server.contains(QStringLiteral("://"))) {
        // The name of a server in the app's list: its endpoint, user and database.
        QSettings settings;
        const int n = settings.beginReadArray(QStringLiteral("servers"));
        for (int i = 0; i < n && !base.isValid(); ++i) {
            settings.setArrayIndex(i);
            if (settings.value(QStringLiteral("name")).toString() != o.server)
                continue;
            base = repl::client::normalizeEndpoint(
                settings.value(QStringLiteral("endpoint")).toString());
            if (!o.userGiven)
                user = settings.value(QStringLiteral("user"), user).toString();
            if (!o.databaseGiven)
                database = settings.value(QStringLiteral("database"), database).toString();
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

    repl::client::ClientSettings s;
    s.base = base;
    s.username = user;
    s.password = password;
    s.requestTimeoutMs = int(o.timeoutSeconds * 1000);
    repl::ctl::CtlOptions resolved = o;
    resolved.database = database;
    repl::ctl::CtlRunner runner(resolved, s, leaderPassword, out, err);
    QObject::connect(&runner, &repl::ctl::CtlRunner::finished, &app, &QCoreApplication::exit);
    runner.start();
    return app.exec();
}
