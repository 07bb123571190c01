#include "app/ServerOptions.h"

#include "app/HttpLimitOptions.h"

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

std::optional<ListenAddress> parseListenAddress(const QString &text)
{
    ListenAddress a;
    QString rest = text.trimmed();
    for (const char *scheme : {"ssl://", "https://", "tcp://", "http://"}) {
        const QLatin1String prefix(scheme);
        if (rest.startsWith(prefix, Qt::CaseInsensitive)) {
            a.tls = prefix == QLatin1String("ssl://") || prefix == QLatin1String("https://");
            rest = rest.mid(prefix.size());
            break;
        }
    }
    if (rest.endsWith(u'/'))
        rest.chop(1);
    if (!parseListen(rest, a.host, a.port))
        return std::nullopt;
    return a;
}

QString ListenAddress::url(quint16 boundPort) const
{
    const QString h = host.protocol() == QAbstractSocket::IPv6Protocol
                          ? u'[' + host.toString() + u']'
                          : host.toString();
    return QStringLiteral("%1://%2:%3")
        .arg(tls ? QStringLiteral("https") : QStringLiteral("http"), h)
        .arg(boundPort);
}

QString defaultServerDataDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/repldesk/server");
}

QString checkExposure(const ServerOptions &o, bool rootPasswordEmpty, QStringList &warnings)
{
    // Beyond loopback: any listener for the empty password, plain ones for clear text.
    bool loopback = true;
    QString where;
    QString plainWhere;
    for (const ListenAddress &a : o.listen) {
        if (a.host.isLoopback())
            continue;
        loopback = false;
        if (where.isEmpty())
            where = a.host.toString();
        if (!a.tls && plainWhere.isEmpty())
            plainWhere = a.host.toString();
    }
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
    if (!plainWhere.isEmpty()) {
        if (!o.allowPlainHttp)
            return QStringLiteral("plain HTTP on %1 sends passwords across the network in clear: "
                                  "listen with TLS (--listen ssl://HOST:PORT) or on loopback, or "
                                  "give --allow-plain-http")
                .arg(plainWhere);
        warnings << QStringLiteral("serving plain HTTP on %1: passwords cross the network in "
                                   "clear (--allow-plain-http)")
                        .arg(plainWhere);
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
    QCommandLineOption listen(
        QStringLiteral("listen"),
        QStringLiteral("Address to listen on (default 127.0.0.1:8529; port 0 picks a free one). "
                       "ssl://HOST:PORT or https://HOST:PORT serves HTTPS (needs --tls-cert). "
                       "Give it once per address: plain and TLS side by side."),
        QStringLiteral("[ssl://]HOST:PORT"), QStringLiteral("127.0.0.1:8529"));
    QCommandLineOption tlsCert(
        QStringLiteral("tls-cert"),
        QStringLiteral("PEM certificate of the ssl:// listeners: the server's own first, then "
                       "any intermediates."),
        QStringLiteral("FILE"));
    QCommandLineOption tlsKey(
        QStringLiteral("tls-key"),
        QStringLiteral("PEM private key of --tls-cert, unencrypted (default: read from the "
                       "--tls-cert file)."),
        QStringLiteral("FILE"));
    QCommandLineOption tlsCaFile(
        QStringLiteral("tls-ca-file"),
        QStringLiteral("PEM certificates of CAs (or of a leader's self-signed certificate) that "
                       "the appliers, syncs and CouchDB replications trust beyond the system's."),
        QStringLiteral("FILE"));
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
    p.addOptions({tlsCert, tlsKey, tlsCaFile});
    p.addOptions(httpLimitOptions());

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
    o.listen.clear();
    bool anyTls = false;
    for (const QString &value : p.values(listen)) {
        const auto a = parseListenAddress(value);
        if (!a) {
            err << "--listen: expected HOST:PORT or ssl://HOST:PORT (e.g. 127.0.0.1:8529), got '"
                << value << "'\n";
            exitCode = 2;
            return std::nullopt;
        }
        anyTls = anyTls || a->tls;
        o.listen.append(*a);
    }
    o.tlsCertFile = p.value(tlsCert);
    o.tlsKeyFile = p.value(tlsKey);
    o.tlsCaFile = p.value(tlsCaFile);
    if (anyTls && o.tlsCertFile.isEmpty()) {
        err << "--listen ssl://… needs --tls-cert FILE (and --tls-key FILE unless the key is in "
               "the same file)\n";
        exitCode = 2;
        return std::nullopt;
    }
    if (!anyTls && (p.isSet(tlsCert) || p.isSet(tlsKey))) {
        err << "--tls-cert/--tls-key: no --listen ssl://HOST:PORT to use them on\n";
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
    if (QString why; !readHttpLimitOptions(p, o.http, why)) {
        err << why << "\n";
        exitCode = 2;
        return std::nullopt;
    }
    return o;
}

} // namespace repl
