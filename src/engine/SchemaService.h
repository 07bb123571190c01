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
