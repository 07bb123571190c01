#pragma once

#include "core/Tick.h"
#include "engine/Catalog.h"
#include "storage/DocumentTable.h"

#include <QJsonObject>

#include <optional>

namespace repl {

class Engine;
namespace storage {
class Connection;
}

// Reads on a worker's read-only connection (snapshot per call; never blocks the writer).
namespace ReadService {

std::optional<storage::DocumentRow> document(storage::Connection &reader, const CollectionInfo &c,
                                             const QString &key);
qint64 count(storage::Connection &reader, qint64 cid);

// inventory: collections (parameters with count, indexes), logger state, tick.
QJsonObject inventory(Engine &engine, storage::Connection &reader, const DatabaseInfo &db,
                      bool includeSystem);

struct DumpRequest
{
    Tick from = 0;
    Tick to = MaxTick;
    qint64 chunkSize = 128 * 1024;
    bool ticks = true;
};
struct DumpResult
{
    QByteArray body;
    Tick lastIncluded = 0;
    bool checkMore = false;
};
// The latest marker per key in tick order, deletions included.
DumpResult dump(storage::Connection &reader, const CollectionInfo &c, const DumpRequest &request);

} // namespace ReadService
} // namespace repl
