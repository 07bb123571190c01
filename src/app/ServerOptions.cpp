#include "app/ServerOptions.h"

#include <QCommandLineParser>
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
    QCommandLineOption password(QStringLiteral("root-password"),
                                QStringLiteral("Set the password of user root (stored hashed). "
                                               "Also read from REPLDESK_ROOT_PASSWORD."),
                                QStringLiteral("PW"));
    QCommandLineOption sync(QStringLiteral("sync"),
                            QStringLiteral("Durability: 'normal' survives a process crash, 'full' "
                                           "also power loss (default normal)."),
                            QStringLiteral("MODE"), QStringLiteral("normal"));
    QCommandLineOption workers(QStringLiteral("workers"),
                               QStringLiteral("Request worker threads (default 8)."),
                               QStringLiteral("N"), QStringLiteral("8"));
    p.addOptions({listen, dataDir, password, sync, workers});

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
    if (p.isSet(password))
        o.rootPassword = p.value(password);
    else if (qEnvironmentVariableIsSet("REPLDESK_ROOT_PASSWORD"))
        o.rootPassword = qEnvironmentVariable("REPLDESK_ROOT_PASSWORD");
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
    return o;
}

} // namespace repl
