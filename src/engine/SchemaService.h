#pragma once

#include "engine/Catalog.h"

#include <QJsonObject>
#include <QString>

namespace repl {

class WriteTxn;

// Databases, collections and indexes: changes inside a write job, each logged as its event
// (2000 create, 2001 drop, 2002 rename, 2003 properties, 2004 truncate, 2100/2101 index).
namespace SchemaService {

qint64 createDatabase(WriteTxn &txn, const QString &name);
void dropDatabase(WriteTxn &txn, const QString &name);

CollectionInfo createCollection(WriteTxn &txn, qint64 db, const QString &name, int type,
                                bool waitForSync);
void dropCollection(WriteTxn &txn, qint64 cid);
CollectionInfo renameCollection(WriteTxn &txn, qint64 cid, const QString &newName);
CollectionInfo setProperties(WriteTxn &txn, qint64 cid, const QJsonObject &patch);
void truncateCollection(WriteTxn &txn, qint64 cid);
// Renames without a log entry or name rules: for collections that become or stop being
// server-local (a sync's staging, a restore point's copy); the caller logs what followers see.
CollectionInfo renameSilently(WriteTxn &txn, qint64 cid, const QString &newName);
// Logs the drop of `c` (2001) for a collection that goes aside instead of being dropped.
void logDrop(WriteTxn &txn, const CollectionInfo &c);
// Logs the create of `c` (2000) and of its indexes (2100) for a collection that arrives by a
// silent rename.
void logCreate(WriteTxn &txn, const CollectionInfo &c);

struct IndexResult
{
    IndexInfo index;
    bool created = false;
};
// definition: {type, fields, unique, sparse}; an identical existing index is returned as is.
IndexResult createIndex(WriteTxn &txn, qint64 cid, const QJsonObject &definition);
void dropIndex(WriteTxn &txn, qint64 cid, qint64 indexId);

// Parses and validates an index definition (400 naming the field when it is wrong).
IndexInfo parseIndexDefinition(const QJsonObject &definition);

} // namespace SchemaService
} // namespace repl
