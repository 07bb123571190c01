#pragma once

#include "core/Tick.h"

#include <QJsonObject>
#include <QString>

namespace repl {

// What applier-state reports for one database: kept by the applier, read by any thread
// through ApplierManager (copied under its mutex).
struct ApplierStatus
{
    bool running = false;
    QString phase = QStringLiteral("inactive"); // inactive, running, syncing, stopped
    QString started;
    bool hasTicks = false; // false: ticks are null (no saved state)
    Tick lastAppliedContinuousTick = 0;
    Tick lastProcessedContinuousTick = 0;
    Tick lastAvailableContinuousTick = 0;
    Tick safeResumeTick = 0;
    QString progressTime;
    QString progressMessage;
    qint64 failedConnects = 0;
    qint64 totalRequests = 0;
    qint64 totalFailedConnects = 0;
    qint64 totalEvents = 0;
    qint64 totalDocuments = 0;
    qint64 totalRemovals = 0;
    qint64 totalResyncs = 0;
    qint64 totalOperationsExcluded = 0;
    int lastErrorNum = 0;
    QString lastErrorMessage;
    QString lastErrorTime;
    // While a sync runs: collections and documents done / expected.
    qint64 syncCollectionsDone = 0;
    qint64 syncCollectionsTotal = 0;
    qint64 syncDocuments = 0;
    qint64 syncDocumentsTotal = 0;
    QString endpoint;
    QString database;
    // When (ms since the epoch, Clock) the applied tick last reached the leader's tick known
    // to the applier; ApplierManager::updateStatus keeps it. 0: not since this process began.
    qint64 inSyncSinceMs = 0;

    // The leader's last tick known to the applier minus the last applied one (0 when ahead).
    Tick ticksBehind() const
    {
        return lastAvailableContinuousTick > lastAppliedContinuousTick
                   ? lastAvailableContinuousTick - lastAppliedContinuousTick
                   : 0;
    }
    // 0 when caught up, else the seconds since it last was (the GUI's LagMonitor measures lag
    // in seconds the same way).
    double lagSeconds(qint64 nowMs) const
    {
        if (ticksBehind() == 0 || inSyncSinceMs <= 0)
            return 0;
        return double(qMax<qint64>(0, nowMs - inSyncSinceMs)) / 1000.0;
    }

    void progress(const QString &message);
    void error(int errorNum, const QString &message);
    // Not running any more, with why (1412: the operator stopped it).
    void markStopped(int errorNum, const QString &message);
    // applier-state's body: state{…}, server{version, serverId}, endpoint, database.
    QJsonObject toJson(const QString &serverId) const;
};

} // namespace repl
