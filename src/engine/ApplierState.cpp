#include "engine/ApplierState.h"

namespace repl {

QJsonObject ApplierState::toJson() const
{
    if (!valid)
        return {};
    return {{QStringLiteral("lastAppliedContinuousTick"), tickString(lastApplied)},
            {QStringLiteral("lastProcessedContinuousTick"), tickString(lastProcessed)},
            {QStringLiteral("leaderServerId"), leaderServerId},
            {QStringLiteral("endpoint"), endpoint},
            {QStringLiteral("mapping"), mapping.toJson()}};
}

ApplierState ApplierState::fromJson(const QJsonObject &o)
{
    ApplierState s;
    if (o.isEmpty())
        return s;
    s.valid = true;
    s.lastApplied =
        parseTick(o.value(QStringLiteral("lastAppliedContinuousTick")).toString()).value_or(0);
    s.lastProcessed =
        parseTick(o.value(QStringLiteral("lastProcessedContinuousTick")).toString()).value_or(0);
    s.leaderServerId = o.value(QStringLiteral("leaderServerId")).toString();
    s.endpoint = o.value(QStringLiteral("endpoint")).toString();
    s.mapping = ApplyService::Mapping::fromJson(o.value(QStringLiteral("mapping")).toObject());
    return s;
}

} // namespace repl
