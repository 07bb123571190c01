#pragma once

#include "core/Tick.h"
#include "engine/Catalog.h"

#include <QByteArray>
#include <QJsonObject>

namespace repl {

class Engine;
class WriteTxn;
namespace storage {
class Connection;
}

// The per-database replication logger with ArangoDB 1.4 semantics: it really starts and
// stops (events 1001 / 1000 mark it), keeps ready-to-send lines and prunes by retention.
namespace LoggerService {

// At engine start: loggers configured with autoStart run again; others stay stopped.
void autoStart(Engine &engine);

// Both return whether the logger runs afterwards; no-ops when already in that state.
bool start(WriteTxn &txn, qint64 db);
bool stop(WriteTxn &txn, qint64 db);
LoggerConfig setConfig(WriteTxn &txn, qint64 db, const QJsonObject &patch);

// logger-state: state{running,lastLogTick,totalEvents,time}, server{version,serverId}, clients.
QJsonObject stateJson(Engine &engine, const DatabaseInfo &db);

struct FollowRequest
{
    Tick from = 0;
    Tick to = MaxTick;
    qint64 chunkSize = 128 * 1024;
    bool includeSystem = true;
    QString clientServerId;
};

struct FollowResult
{
    QByteArray body;
    Tick lastIncluded = 0;
    Tick lastScanned = 0;
    Tick lastTick = 0;
    Tick loggedBeforeScan = 0; // every event up to here was committed before the scan began
    bool checkMore = false;
    bool fromPresent = true;
    bool active = false;
};

// Reads stored lines (no re-encoding) on a worker's read connection.
FollowResult follow(Engine &engine, storage::Connection &reader, const DatabaseInfo &db,
                    const FollowRequest &request);

} // namespace LoggerService
} // namespace repl
