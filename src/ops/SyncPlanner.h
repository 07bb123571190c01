#pragma once

#include "ops/Types.h"

#include <QHash>
#include <QJsonObject>
#include <QStringList>

namespace repl::ops {

// Computes a sync's plan from the two inventories and counts, as a full sync acts: every leader
// collection that takes part is dropped here (when it exists) and copied; local collections the
// leader lacks, or that are excluded, are kept. Pure: fed step by step by ServerOps.
class SyncPlanner
{
public:
    explicit SyncPlanner(SyncOptions options)
        : m_options(std::move(options))
    {}

    void setLeaderInventory(const QJsonObject &inventory);
    void setLocalInventory(const QJsonObject &inventory);
    QStringList leaderCollectionsToCount() const { return m_leaderNames; }
    QStringList localCollectionsToCount() const; // those the sync drops
    void setLeaderCounts(const QHash<QString, qint64> &c) { m_leaderCounts = c; }
    void setLocalCounts(const QHash<QString, qint64> &c) { m_localCounts = c; }

    SyncPlan plan() const;

private:
    SyncOptions m_options;
    QStringList m_leaderNames; // taking part, in the leader's order
    QStringList m_localNames;
    QString m_leaderTick;
    QHash<QString, qint64> m_leaderCounts, m_localCounts;
};

} // namespace repl::ops
