#pragma once

#include "ops/Types.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>

// Pure functions that read servers' answers into ops types: no I/O, safe on any thread.
namespace repl::ops {

// The x-arango-replication-* headers of a logger-follow or wal/tail answer (lower-case names).
LogChunk readLogHeaders(const QHash<QByteArray, QByteArray> &headers);

// One JSON object per line (logger-follow: tick, type, cname, key, data; wal/tail: tick,
// type, db, cuid, tid, data). Lines that are not objects are skipped.
QList<LogEvent> parseLogLines(const QByteArray &body, const QString &database);

// A dump chunk's documents: envelope lines ({"type":2300,"data":{…}}) or plain documents
// (ArangoDB's dump without envelope). Removals (2302) are counted, not returned.
QList<QJsonObject> parseDumpDocuments(const QByteArray &body, int *removals);

// One CouchDB database as an inventory "collection" entry (parameters.couchdb = true), from
// its info (GET /{db}) and Mango indexes (GET /{db}/_index).
QJsonObject couchDatabaseEntry(const QString &name, const QJsonObject &info,
                               const QJsonObject &indexes);

} // namespace repl::ops
