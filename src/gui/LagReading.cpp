#include "gui/LagReading.h"

#include <QDateTime>
#include <QJsonArray>
#include <QSettings>

namespace repl::gui {

ApplierReading ApplierReading::fromState(const QJsonObject &applierState)
{
    const QJsonObject s = applierState.value(QStringLiteral("state")).toObject();
    ApplierReading r;
    r.running = s.value(QStringLiteral("running")).toBool();
    r.leaderEndpoint = applierState.value(QStringLiteral("endpoint")).toString();
    r.leaderTick = s.value(QStringLiteral("lastAvailableContinuousTick")).toString().toULongLong();
    r.appliedTick = s.value(QStringLiteral("lastAppliedContinuousTick")).toString().toULongLong();
    // A follower that applied past what it last heard of the leader is not ahead of it.
    r.leaderTick = qMax(r.leaderTick, r.appliedTick);
    const QJsonObject error = s.value(QStringLiteral("lastError")).toObject();
    r.errorNum = error.value(QStringLiteral("errorNum")).toInt();
    r.errorMessage = error.value(QStringLiteral("errorMessage")).toString();
    r.valid = r.running || !r.leaderEndpoint.isEmpty();
    return r;
}

LoggerReading LoggerReading::fromState(const QJsonObject &loggerState)
{
    LoggerReading r;
    const QJsonObject s = loggerState.value(QStringLiteral("state")).toObject();
    r.valid = !s.isEmpty();
    r.running = s.value(QStringLiteral("running")).toBool();
    r.lastTick = s.value(QStringLiteral("lastLogTick")).toString().toULongLong();
    const QDateTime now =
        QDateTime::fromString(s.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs);
    for (const QJsonValue &v : loggerState.value(QStringLiteral("clients")).toArray()) {
        const QJsonObject o = v.toObject();
        Client c;
        c.serverId = o.value(QStringLiteral("serverId")).toString();
        c.lastServedTick = o.value(QStringLiteral("lastServedTick")).toString().toULongLong();
        const QDateTime asked =
            QDateTime::fromString(o.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs);
        c.lastAskedMs = asked.isValid() ? asked.toMSecsSinceEpoch() : 0;
        c.silentSeconds =
            asked.isValid() && now.isValid() ? qMax<qint64>(0, asked.msecsTo(now)) / 1000.0 : 0;
        c.ticksBehind = r.lastTick > c.lastServedTick ? r.lastTick - c.lastServedTick : 0;
        r.clients.append(c);
    }
    return r;
}

double LagClock::secondsBehind(const QString &key, quint64 ticksBehind, qint64 nowMs)
{
    auto it = m_since.find(key);
    if (ticksBehind == 0 || it == m_since.end()) {
        m_since.insert(key, nowMs);
        return 0;
    }
    return qMax<qint64>(0, nowMs - *it) / 1000.0;
}

LagThresholds LagThresholds::load()
{
    QSettings s;
    LagThresholds t;
    t.warningSeconds = s.value(QStringLiteral("lag/warningSeconds"), t.warningSeconds).toDouble();
    t.criticalSeconds =
        s.value(QStringLiteral("lag/criticalSeconds"), t.criticalSeconds).toDouble();
    return t;
}

void LagThresholds::save() const
{
    QSettings s;
    s.setValue(QStringLiteral("lag/warningSeconds"), warningSeconds);
    s.setValue(QStringLiteral("lag/criticalSeconds"), criticalSeconds);
}

LagThresholds::Level LagThresholds::levelOf(double secondsBehind) const
{
    if (secondsBehind >= criticalSeconds)
        return Level::Critical;
    if (secondsBehind >= warningSeconds)
        return Level::Warning;
    return Level::Ok;
}

} // namespace repl::gui
