#pragma once

#include "storage/Connection.h"

#include <QHostAddress>
#include <QString>
#include <QStringList>

#include <optional>

namespace repl {

struct ServerOptions
{
    QHostAddress host = QHostAddress::LocalHost;
    quint16 port = 8529;
    QString dataDir;
    std::optional<QString> rootPassword;
    storage::SyncMode sync = storage::SyncMode::Normal;
    int workers = 8;
};

// Parses repldesk-server's command line (and REPLDESK_ROOT_PASSWORD). On --help/--version
// or an error it prints and returns nullopt with `exitCode` set.
std::optional<ServerOptions> parseServerOptions(const QStringList &arguments, int &exitCode);

// "HOST:PORT" with IPv6 in brackets; false when it is not one.
bool parseListen(const QString &text, QHostAddress &host, quint16 &port);

QString defaultServerDataDir();

} // namespace repl
