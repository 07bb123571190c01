#include "app/ServerOptions.h"

#include <QCommandLineParser>
#include <QFile>
#include <QStandardPaths>
#include <QTextStream>

namespace repl {

bool parseListen(const QString &text, QHostAddress &host, quint16 &port)
{
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon <= 0)
        return false;
    QString h = text.left(colon);
    if (h.startsWith(u'[') && h.endsWith(u']'))
        h = h.mid(1, h.size() - 2);
    bool ok = false;
    const uint p = text.mid(colon + 1).toUInt(&ok);
    if (!ok || p > 65535)
        return false;
    QHostAddress addr;
    if (h == u"localhost")
        addr = QHostAddress(QHostAddress::LocalHost);
    else if (!addr.setAddress(h))
        return false;
    host = addr;
    port = quint16(p);
    return true;
}

QString defaultServerDataDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/repldesk/server");
}

QString checkExposure(const ServerOptions &o, bool rootPasswordEmpty, QStringList &warnings)
{
    const bool loopback = o.host.isLoopback();
    const QString where = o.host.toString();
    if (rootPasswordEmpty) {
        if (!o.allowEmptyRootPassword)
            return QStringLiteral(
                "user root has no password: give one with --root-password-file FILE or "
                "REPLDESK_ROOT_PASSWORD (or, on loopback only, --allow-empty-root-password)");
        if (!loopback)
            return QStringLiteral("--allow-empty-root-password is for loopback only, but the "
                                  "server would listen on %1")
                .arg(where);
        warnings << QStringLiteral("user root has an empty password (--allow-empty-root-password)");
    }
    if (!loopback) {
        if (!o.allowPlainHttp)
            return QStringLiteral("plain HTTP on %1 sends passwords across the network in clear: "
                                  "listen on loopback, or give --allow-plain-http")
                .arg(where);
        warnings << QStringLiteral("serving plain HTTP on %1: passwords cross the network in "
                                   "clear (--allow-plain-http)")
                        .arg(where);
    }
    if (o.rootPasswordOnCommandLine)
        warnings << QStringLiteral("--root-password is visible to other users in the process "
                                   "list; prefer --root-password-file or REPLDESK_ROOT_PASSWORD");
    return {};
}

std::optional<ServerOptions> parseServerOptions(const QStringList &arguments, int &exitCode)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "ReplDesk's headless replication engine: ArangoDB's HTTP replication API on SQLite."));
    p.addHelpOption();
    p.addVersionOption();
    QCommandLineOption listen(QStringLiteral("listen"),
                              QStringLiteral("Address to listen on (default 127.0.0.1:8529; port 0 "
                                             "picks a free one)."),
                              QStringLiteral("HOST:PORT"), QStringLiteral("127.0.0.1:8529"));
    QCommandLineOption dataDir(
        QStringLiteral("data-dir"),
        QStringLiteral("Data directory (default %1).").arg(defaultServerDataDir()),
        QStringLiteral("DIR"));
    QCommandLineOption password(
        QStringLiteral("root-password"),
        QStringLiteral("Set the password of user root (stored hashed). Visible to other users "
                       "in the process list: prefer --root-password-file or the environment "
                       "variable REPLDESK_ROOT_PASSWORD."),
        QStringLiteral("PW"));
    QCommandLineOption passwordFile(
        QStringLiteral("root-password-file"),
        QStringLiteral("Read the password of user root from FILE (its first line)."),
        QStringLiteral("FILE"));
    QCommandLineOption allowEmpty(
        QStringLiteral("allow-empty-root-password"),
        QStringLiteral("Let user root have an empty password (refused unless the server listens "
                       "on loopback only)."));
    QCommandLineOption allowPlain(
        QStringLiteral("allow-plain-http"),
        QStringLiteral("Serve plain HTTP on a non-loopback address (passwords then cross the "
                       "network in clear)."));
    QCommandLineOption sync(QStringLiteral("sync"),
                            QStringLiteral("Durability: 'normal' survives a process crash, 'full' "
                                           "also power loss (default normal)."),
                            QStringLiteral("MODE"), QStringLiteral("normal"));
    QCommandLineOption workers(QStringLiteral("workers"),
                               QStringLiteral("Request worker threads (default 8)."),
                               QStringLiteral("N"), QStringLiteral("8"));
    QCommandLineOption maxReplications(
        QStringLiteral("max-replications"),
        QStringLiteral("CouchDB replication jobs running at once (default 200); resumed ones "
                       "beyond wait, new /_replicate requests get 503."),
        QStringLiteral("N"), QStringLiteral("200"));
    p.addOptions({listen, dataDir, password, passwordFile, allowEmpty, allowPlain, sync, workers,
                  maxReplications});

    QTextStream err(stderr);
    if (!p.parse(arguments)) {
        err << p.errorText() << "\n";
        exitCode = 2;
        return std::nullopt;
    }
    if (p.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << p.helpText();
        exitCode = 0;
        return std::nullopt;
    }
    if (p.isSet(QStringLiteral("version"))) {
        QTextStream(stdout) << "repldesk-server " << REPLDESK_VERSION << "\n";
        exitCode = 0;
        return std::nullopt;
    }
    ServerOptions o;
    if (!parseListen(p.value(listen), o.host, o.port)) {
        err << "--listen: expected HOST:PORT (e.g. 127.0.0.1:8529), got '" << p.value(listen)
            << "'\n";
        exitCode = 2;
        return std::nullopt;
    }
    o.dataDir = p.isSet(dataDir) ? p.value(dataDir) : defaultServerDataDir();
    if (int(p.isSet(password)) + int(p.isSet(passwordFile)) > 1) {
        err << "--root-password and --root-password-file: give one of them\n";
        exitCode = 2;
        return std::nullopt;
    }
    if (p.isSet(passwordFile)) {
        QFile f(p.value(passwordFile));
        if (!f.open(QIODevice::ReadOnly)) {
            err << "--root-password-file: cannot read " << f.fileName() << ": " << f.errorString()
                << "\n";
            exitCode = 2;
            return std::nullopt;
        }
        QByteArray line = f.readLine(64 * 1024);
        while (line.endsWith('\n') || line.endsWith('\r'))
            line.chop(1);
        o.rootPassword = QString::fromUtf8(line);
    } else if (p.isSet(password)) {
        o.rootPassword = p.value(password);
        o.rootPasswordOnCommandLine = true;
    } else if (qEnvironmentVariableIsSet("REPLDESK_ROOT_PASSWORD")) {
        o.rootPassword = qEnvironmentVariable("REPLDESK_ROOT_PASSWORD");
    }
    o.allowEmptyRootPassword = p.isSet(allowEmpty);
    o.allowPlainHttp = p.isSet(allowPlain);
    const QString s = p.value(sync);
    if (s == u"full") {
        o.sync = storage::SyncMode::Full;
    } else if (s != u"normal") {
        err << "--sync: expected 'normal' or 'full', got '" << s << "'\n";
        exitCode = 2;
        return std::nullopt;
    }
    bool ok = false;
    o.workers = p.value(workers).toInt(&ok);
    if (!ok || o.workers < 1 || o.workers > 256) {
        err << "--workers: expected a number from 1 to 256\n";
        exitCode = 2;
        return std::nullopt;
    }
    o.maxReplications = p.value(maxReplications).toInt(&ok);
    if (!ok || o.maxReplications < 1 || o.maxReplications > 100000) {
        err << "--max-replications: expected a number from 1 to 100000\n";
        exitCode = 2;
        return std::nullopt;
    }
    return o;
}

} // namespace repl
