#include "app/HttpLimitOptions.h"

#include "ops/ByteSize.h"

#include <QCommandLineParser>

#include <cmath>

namespace repl {

namespace {

const server::HttpLimits Defaults;

QString seconds(int ms)
{
    return QString::number(ms / 1000.0);
}

QCommandLineOption option(const char *name, const QString &help, const char *value,
                          const QString &defaultValue)
{
    return QCommandLineOption(QString::fromLatin1(name), help, QString::fromLatin1(value),
                              defaultValue);
}

bool readInt(const QCommandLineParser &p, const char *name, int min, int max, int &out,
             QString &error)
{
    bool ok = false;
    const QString text = p.value(QString::fromLatin1(name));
    const qlonglong v = text.trimmed().toLongLong(&ok);
    if (!ok || v < min || v > max) {
        error = QStringLiteral("--%1: expected a number from %2 to %3, got '%4'")
                    .arg(QLatin1String(name))
                    .arg(min)
                    .arg(max)
                    .arg(text);
        return false;
    }
    out = int(v);
    return true;
}

bool readSeconds(const QCommandLineParser &p, const char *name, double minSeconds, int &outMs,
                 QString &error)
{
    bool ok = false;
    const QString text = p.value(QString::fromLatin1(name));
    const double v = text.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(v) || v < minSeconds || v > 24 * 3600) {
        error = QStringLiteral("--%1: expected seconds from %2 to 86400, got '%3'")
                    .arg(QLatin1String(name))
                    .arg(minSeconds)
                    .arg(text);
        return false;
    }
    outMs = int(std::lround(v * 1000));
    return true;
}

bool readSize(const QCommandLineParser &p, const char *name, qint64 min, qint64 max, qint64 &out,
              QString &error)
{
    const QString text = p.value(QString::fromLatin1(name));
    const std::optional<qint64> v = ops::parseByteSize(text);
    if (!v || *v < min || *v > max) {
        error = QStringLiteral("--%1: expected a size from %2 to %3 (e.g. 64KiB, 512MiB), got '%4'")
                    .arg(QLatin1String(name), ops::byteSizeText(min), ops::byteSizeText(max), text);
        return false;
    }
    out = *v;
    return true;
}

} // namespace

QList<QCommandLineOption> httpLimitOptions()
{
    return {
        option("max-connections",
               QStringLiteral("Open connections in all (default %1; kept below the open-file "
                              "limit). At the cap the longest idle one is closed, else the new "
                              "one gets 503.")
                   .arg(Defaults.maxConnections),
               "N", QString::number(Defaults.maxConnections)),
        option("max-connections-per-address",
               QStringLiteral("Open connections from one client address, IPv6 by /64 (default "
                              "%1); more get 503.")
                   .arg(Defaults.maxConnectionsPerAddress),
               "N", QString::number(Defaults.maxConnectionsPerAddress)),
        option("header-timeout",
               QStringLiteral("Seconds a client has to send a request's head, from the "
                              "connection's start or the request's first byte (default %1).")
                   .arg(seconds(Defaults.headerTimeoutMs)),
               "SECONDS", seconds(Defaults.headerTimeoutMs)),
        option("idle-timeout",
               QStringLiteral("Seconds a kept-alive connection may wait for its next request, "
                              "and a body may stall (default %1). Long-polls are not idle.")
                   .arg(seconds(Defaults.idleTimeoutMs)),
               "SECONDS", seconds(Defaults.idleTimeoutMs)),
        option("max-body-size",
               QStringLiteral("Largest request body (default %1); larger ones get 413.")
                   .arg(ops::byteSizeText(Defaults.maxBodyBytes)),
               "SIZE", ops::byteSizeText(Defaults.maxBodyBytes).remove(u' ')),
        option("max-body-memory",
               QStringLiteral("Request bodies held at once over all connections (default %1); "
                              "a body that would go over gets 503 with Retry-After before it is "
                              "read.")
                   .arg(ops::byteSizeText(Defaults.maxBodyMemory)),
               "SIZE", ops::byteSizeText(Defaults.maxBodyMemory).remove(u' ')),
        option("max-header-size",
               QStringLiteral("Largest request head, request line and header fields (default "
                              "%1, at most 256 KiB); larger ones get 431.")
                   .arg(ops::byteSizeText(Defaults.maxHeaderBytes)),
               "SIZE", ops::byteSizeText(Defaults.maxHeaderBytes).remove(u' ')),
        option("max-header-fields",
               QStringLiteral("Most header fields in a request (default %1, at most 100); more "
                              "get 431.")
                   .arg(Defaults.maxHeaderCount),
               "N", QString::number(Defaults.maxHeaderCount)),
        option("login-attempts",
               QStringLiteral("Wrong passwords a client address may send before each further "
                              "one makes it wait (429 with Retry-After) 1 s, 2 s, 4 s, … "
                              "(default %1).")
                   .arg(Defaults.loginFreeFailures),
               "N", QString::number(Defaults.loginFreeFailures)),
        option("login-max-delay",
               QStringLiteral("Longest such wait in seconds (default %1; 0: no waiting).")
                   .arg(seconds(Defaults.loginMaxDelayMs)),
               "SECONDS", seconds(Defaults.loginMaxDelayMs)),
    };
}

bool readHttpLimitOptions(const QCommandLineParser &p, server::HttpLimits &l, QString &error)
{
    using server::HttpLimits;
    qint64 body = 0;
    qint64 bodyMemory = 0;
    qint64 head = 0;
    if (!readInt(p, "max-connections", 1, 1'000'000, l.maxConnections, error) ||
        !readInt(p, "max-connections-per-address", 1, 1'000'000, l.maxConnectionsPerAddress,
                 error) ||
        !readSeconds(p, "header-timeout", 0.1, l.headerTimeoutMs, error) ||
        !readSeconds(p, "idle-timeout", 0.1, l.idleTimeoutMs, error) ||
        !readSize(p, "max-body-size", 1, ops::MaxByteSize, body, error) ||
        !readSize(p, "max-body-memory", 1024, ops::MaxByteSize, bodyMemory, error) ||
        !readSize(p, "max-header-size", 1024, HttpLimits::QtMaxHeaderBytes, head, error) ||
        !readInt(p, "max-header-fields", 1, HttpLimits::QtMaxHeaderCount, l.maxHeaderCount,
                 error) ||
        !readInt(p, "login-attempts", 0, 1'000'000, l.loginFreeFailures, error) ||
        !readSeconds(p, "login-max-delay", 0, l.loginMaxDelayMs, error))
        return false;
    l.maxBodyBytes = body;
    l.maxBodyMemory = bodyMemory;
    l.maxHeaderBytes = int(head);
    return true;
}

} // namespace repl
