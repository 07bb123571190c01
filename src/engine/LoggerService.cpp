#include "engine/LoggerService.h"

#include "core/Clock.h"
#include "core/LogEventType.h"
#include "core/LogLine.h"
#include "engine/Engine.h"
#include "engine/WriteTxn.h"
#include "storage/LogTable.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace repl::LoggerService {

namespace {
QByteArray markerLine(Tick tick, LogEventType type, qint64 db, Tick lastTick)
{
    return JsonLineBuilder()
        .tick("tick", tick)
        .number("type", int(type))
        .tick("database", Tick(db))
        .tick("lastTick", lastTick)
        .finish(true);
}

void persist(WriteTxn &txn, const DatabaseInfo &db)
{
    txn.catalogTable().setLogger(
        db.id, QJsonDocument(db.logger.toJson()).toJson(QJsonDocument::Compact), db.loggerRunning);
}
} // namespace

void autoStart(Engine &engine)
{
    engine.write([](WriteTxn &txn) {
        const QStringList names = txn.catalog().databaseNames();
        for (const QString &name : names) {
            const DatabaseInfo *db = txn.catalog().database(name);
            if (db->logger.autoStart) {
                DatabaseInfo *m = txn.mutableCatalog().mutableDatabase(db->id);
                m->loggerRunning = false; // a restart always logs a fresh "started" marker
                start(txn, db->id);
            } else if (db->loggerRunning) {
                DatabaseInfo *m = txn.mutableCatalog().mutableDatabase(db->id);
                m->loggerRunning = false;
                persist(txn, *m);
            }
        }
    });
}

bool start(WriteTxn &txn, qint64 dbId)
{
    DatabaseInfo *db = txn.mutableCatalog().mutableDatabase(dbId);
    if (!db)
        return false;
    if (db->loggerRunning)
        return true;
    const Tick before = txn.peekTick() - 1;
    db->loggerRunning = true;
    persist(txn, *db);
    const Tick tick = txn.nextTick();
    txn.appendLog(dbId, false, tick, markerLine(tick, LogEventType::LoggerStarted, dbId, before));
    return true;
}

bool stop(WriteTxn &txn, qint64 dbId)
{
    DatabaseInfo *db = txn.mutableCatalog().mutableDatabase(dbId);
    if (!db)
        return false;
    if (!db->loggerRunning)
        return false;
    const Tick tick = txn.nextTick();
    txn.appendLog(dbId, false, tick, markerLine(tick, LogEventType::LoggerStopped, dbId, tick - 1));
    db->loggerRunning = false;
    persist(txn, *db);
    return false;
}

LoggerConfig setConfig(WriteTxn &txn, qint64 dbId, const QJsonObject &patch)
{
    const DatabaseInfo *current = txn.catalog().database(dbId);
    const LoggerConfig merged = LoggerConfig::merged(current->logger, patch); // may throw 1409
    DatabaseInfo *db = txn.mutableCatalog().mutableDatabase(dbId);
    db->logger = merged;
    persist(txn, *db);
    txn.markLogTouched(dbId); // a tighter retention applies at this commit
    return merged;
}

QJsonObject stateJson(Engine &engine, const DatabaseInfo &db)
{
    const DatabaseLogState s = engine.loggerState().state(db.id);
    QJsonArray clients;
    for (const LoggerClient &c : engine.loggerState().clients(db.id))
        clients.append(QJsonObject{{QStringLiteral("serverId"), c.serverId},
                                   {QStringLiteral("lastServedTick"), tickString(c.lastServedTick)},
                                   {QStringLiteral("time"), c.time}});
    return {{QStringLiteral("state"),
             QJsonObject{{QStringLiteral("running"), db.loggerRunning},
                         {QStringLiteral("lastLogTick"), tickString(s.lastLogTick)},
                         {QStringLiteral("totalEvents"), double(s.totalEvents)},
                         {QStringLiteral("time"), isoNow()}}},
            {QStringLiteral("server"),
             QJsonObject{{QStringLiteral("version"), QStringLiteral(REPLDESK_VERSION)},
                         {QStringLiteral("serverId"), engine.serverId()}}},
            {QStringLiteral("clients"), clients}};
}

FollowResult follow(Engine &engine, storage::Connection &reader, const DatabaseInfo &db,
                    const FollowRequest &request)
{
    FollowResult r;
    const DatabaseLogState before = engine.loggerState().state(db.id);
    r.active = db.loggerRunning;
    r.loggedBeforeScan = before.lastLogTick;
    // The requested position is present unless retention removed events after it.
    r.fromPresent = request.from >= before.prunedUpTo;
    const qint64 limit = qMax<qint64>(1, request.chunkSize);
    storage::LogTable log(reader);
    r.body.reserve(qMin<qint64>(limit + 64 * 1024, 32 * 1024 * 1024));
    log.scan(db.id, request.from, request.to, request.includeSystem,
             [&](Tick tick, QByteArrayView line) {
                 if (r.body.size() >= limit) {
                     r.checkMore = true; // one more event exists right now
                     return false;
                 }
                 r.body.append(line.data(), line.size());
                 r.lastIncluded = tick;
                 r.lastScanned = tick;
                 return true;
             });
    const DatabaseLogState after = engine.loggerState().state(db.id);
    r.lastTick = qMax(after.lastLogTick, r.lastIncluded);
    // A prune that committed while we scanned may have removed events after `from`.
    if (request.from < after.prunedUpTo)
        r.fromPresent = false;
    if (!request.clientServerId.isEmpty() && request.clientServerId != QLatin1String("0"))
        engine.loggerState().recordClient(db.id, request.clientServerId,
                                          r.lastIncluded ? r.lastIncluded : request.from);
    return r;
}

} // namespace repl::LoggerService
