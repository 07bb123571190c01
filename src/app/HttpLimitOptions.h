#pragma once

#include "server/HttpLimits.h"

#include <QCommandLineOption>
#include <QList>
#include <QString>

class QCommandLineParser;

namespace repl {

// repldesk-server's flags for server::HttpLimits, each with its default in --help.
QList<QCommandLineOption> httpLimitOptions();

// Reads them from a parser that parsed httpLimitOptions(); false with `error` naming the flag.
bool readHttpLimitOptions(const QCommandLineParser &parser, server::HttpLimits &limits,
                          QString &error);

} // namespace repl
