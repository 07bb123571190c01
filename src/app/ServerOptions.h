#pragma once

#include "server/HttpLimits.h"
#include "storage/Connection.h"

#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace repl {

// One --listen: HOST:PORT or http://HOST:PORT (plain), ssl://HOST:PORT or https://HOST:PORT.
struct ListenAddress
{
    QHostAddress host = QHostAddress::LocalHost;
    quint16 port = 8529;
    bool tls = false;

    // "http://127.0.0.1:8529", "https://[::1]:8530" with `boundPort` (the port given may be 0).
    QString url(quint16 boundPort) const;
};

struct ServerOptions
{
    QList<ListenAddress> listen{ListenAddress{}}; // at least one
    QString tlsCertFile;                          // PEM: the certificate, then intermediates
    QString tlsKeyFile;                           // PEM private key ("": in tlsCertFile)
    QString tlsCaFile; // PEM CAs the engine's outgoing calls trust beyond the system's
    QString dataDir;
    std::optional<QString> rootPassword;
    bool rootPasswordOnCommandLine = false; // visible to other users in the process list
    bool allowEmptyRootPassword = false;    // only while listening on loopback
    bool allowPlainHttp = false;            // plain HTTP on a non-loopback address
    storage::SyncMode sync = storage::SyncMode::Normal;
    int workers = 8;
    int maxReplications = 200;
    server::HttpLimits http; // connections, timeouts, sizes, failed logins
};

// Parses repldesk-server's command line (and REPLDESK_ROOT_PASSWORD). On --help/--version
// or an error it prints and returns nullopt with `exitCode` set.
std::optional<ServerOptions> parseServerOptions(const QStringList &arguments, int &exitCode);

// "HOST:PORT" with IPv6 in brackets; false when it is not one.
bool parseListen(const QString &text, QHostAddress &host, quint16 &port);
// parseListen with an optional scheme: tcp:// or http:// (plain), ssl:// or https:// (TLS).
std::optional<ListenAddress> parseListenAddress(const QString &text);

QString defaultServerDataDir();

// Refuses what would expose the server: an empty root password (unless allowed, and then only
// on loopback) and plain HTTP beyond loopback (unless allowed). Returns the message to stop
// with, or an empty string; `warnings` gets what is allowed but worth saying.
QString checkExposure(const ServerOptions &o, bool rootPasswordEmpty, QStringList &warnings);

} // namespace repl
