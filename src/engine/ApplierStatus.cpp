#include "engine/ApplierStatus.h"

#include "core/Clock.h"
#include "core/Error.h"

namespace repl {

void ApplierStatus::progress(const QString &message)
{
    progressMessage = message;
    progressTime = isoNow();
}

void ApplierStatus::error(int errorNum, const QString &message)
{
    lastErrorNum = errorNum;
    lastErrorMessage = message;
    lastErrorTime = isoNow();
}

void ApplierStatus::markStopped(int errorNum, const QString &message)
{
    running = false;
    phase = QStringLiteral("stopped");
    error(errorNum, message);
    progress(errorNum == ErrorNum::ReplicationApplierStopped
                 ? QStringLiteral("applier stopped")
                 : QStringLiteral("applier stopped: %1").arg(message));
}

QJsonObject ApplierStatus::toJson(const QString &serverId) const
{
    auto tick = [this](Tick t) {
        return hasTicks ? QJsonValue(tickString(t)) : QJsonValue(QJsonValue::Null);
    };
    QJsonObject progressObj;
    if (!progressMessage.isEmpty())
        progressObj = {{QStringLiteral("time"), progressTime},
                       {QStringLiteral("message"), progressMessage},
                       {QStringLiteral("failedConnects"), double(failedConnects)}};
    if (syncCollectionsTotal > 0 || syncDocuments > 0) {
        progressObj.insert(QStringLiteral("collectionsDone"), double(syncCollectionsDone));
        progressObj.insert(QStringLiteral("collectionsTotal"), double(syncCollectionsTotal));
        progressObj.insert(QStringLiteral("documentsDone"), double(syncDocuments));
        progressObj.insert(QStringLiteral("documentsTotal"), double(syncDocumentsTotal));
    }
    QJsonObject lastError{{QStringLiteral("errorNum"), lastErrorNum}};
    if (lastErrorNum != 0) {
        lastError.insert(QStringLiteral("time"), lastErrorTime);
        lastError.insert(QStringLiteral("errorMessage"), lastErrorMessage);
    }
    QJsonObject state{
        {QStringLiteral("started"), started},
        {QStringLiteral("running"), running},
        {QStringLiteral("phase"), phase},
        {QStringLiteral("lastAppliedContinuousTick"), tick(lastAppliedContinuousTick)},
        {QStringLiteral("lastProcessedContinuousTick"), tick(lastProcessedContinuousTick)},
        {QStringLiteral("lastAvailableContinuousTick"), tick(lastAvailableContinuousTick)},
        {QStringLiteral("safeResumeTick"), tick(safeResumeTick)},
        {QStringLiteral("progress"), progressObj},
        {QStringLiteral("totalRequests"), double(totalRequests)},
        {QStringLiteral("totalFailedConnects"), double(totalFailedConnects)},
        {QStringLiteral("totalEvents"), double(totalEvents)},
        {QStringLiteral("totalDocuments"), double(totalDocuments)},
        {QStringLiteral("totalRemovals"), double(totalRemovals)},
        {QStringLiteral("totalResyncs"), double(totalResyncs)},
        {QStringLiteral("totalOperationsExcluded"), double(totalOperationsExcluded)},
        {QStringLiteral("lastError"), lastError},
        {QStringLiteral("time"), isoNow()}};
    if (running)
        state.insert(QStringLiteral("ticksBehind"), double(ticksBehind()));
    return {{QStringLiteral("state"), state},
            {QStringLiteral("server"),
             QJsonObject{{QStringLiteral("version"), QStringLiteral(REPLDESK_VERSION)},
                         {QStringLiteral("serverId"), serverId}}},
            {QStringLiteral("endpoint"), endpoint},
            {QStringLiteral("database"), database}};
}

} // namespace repl
