#pragma once

#include <QDateTime>
#include <QString>

namespace repl {

// The one place that reads wall-clock time, so tests can pin it.
class Clock
{
public:
    static QDateTime now();
    static void setFixed(const QDateTime &fixed); // an invalid QDateTime clears it
};

// "YYYY-MM-DDTHH:MM:SSZ" (UTC, second precision) as ArangoDB writes times.
QString isoTime(const QDateTime &t);
inline QString isoNow()
{
    return isoTime(Clock::now());
}

} // namespace repl
