#include "core/Clock.h"

#include <atomic>

namespace repl {

namespace {
std::atomic<qint64> g_fixedMs{0};
}

QDateTime Clock::now()
{
    const qint64 fixed = g_fixedMs.load(std::memory_order_relaxed);
    return fixed ? QDateTime::fromMSecsSinceEpoch(fixed, Qt::UTC) : QDateTime::currentDateTimeUtc();
}

void Clock::setFixed(const QDateTime &fixed)
{
    g_fixedMs.store(fixed.isValid() ? fixed.toMSecsSinceEpoch() : 0, std::memory_order_relaxed);
}

QString isoTime(const QDateTime &t)
{
    return t.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"));
}

} // namespace repl
