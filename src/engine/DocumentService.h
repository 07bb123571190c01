#pragma once

#include "core/Tick.h"
#include "engine/Catalog.h"
#include "storage/DocumentTable.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace repl {

class WriteTxn;

// Document writes inside a write job: revision trees, unique indexes, counts and the
// replication log. Every change takes the next tick, which the document row and its log
// event share.
namespace DocumentService {

struct Options
{
    bool overwrite = false;   // insert replaces an existing document
    bool keepNull = true;     // update: null values are stored (false: they remove attributes)
    bool mergeObjects = true; // update: nested objects are merged, not replaced
    std::optional<QByteArray> expectedRev; // If-Match / _rev precondition (412 when different)
};

struct Result
{
    QString key;
    QByteArray rev;
    QByteArray oldRev;
    QByteArray newBody; // user attributes after the change
    QByteArray oldBody; // before (empty for an insert)
    bool replacedExisting = false;
};

// A multi-document write logged as one transaction (2200 … 2201 with one tid). The start
// marker is written lazily, so a batch whose documents all fail logs nothing.
class LoggedTransaction final
{
public:
    LoggedTransaction(WriteTxn &txn, qint64 db);
    Tick tid(); // 0 when the logger does not run
    // tid() would write the TransactionStart now: nothing of this transaction is logged yet.
    bool notStarted() const { return m_logging && !m_tid; }
    void commit();

private:
    WriteTxn &m_txn;
    qint64 m_db;
    bool m_logging;
    Tick m_tid = 0;
};

// A document checked and serialized outside the writer (request workers do this part).
struct Prepared
{
    QString key; // empty: the writer generates one
    QJsonObject object;
    QByteArray body; // stored form: attributes without _key/_id/_rev
    // The document's revision id and tree should it be a first version: computed where
    // prepare() runs (an import's parsing thread), so the writer only stores them.
    QByteArray firstRev;
    QByteArray firstTree;
};
// Validates key and edge attributes (400 naming what is wrong) and serializes.
Prepared prepare(const CollectionInfo &c, QJsonObject doc);
// Whether writing a prepared document into `c` reads its `object`: for unique indexes, and
// to update or replace a duplicate. Otherwise the stored bytes are all the writes use, and a
// caller may free the object early (an import frees it on its parsing thread).
inline bool needsObject(const CollectionInfo &c, bool updatesDuplicates)
{
    return updatesDuplicates || c.hasUniqueIndex();
}

Result insert(WriteTxn &txn, const CollectionInfo &c, const QJsonObject &doc, const Options &o,
              Tick tid = 0);
Result insert(WriteTxn &txn, const CollectionInfo &c, const Prepared &doc, const Options &o,
              Tick tid = 0);
Result replace(WriteTxn &txn, const CollectionInfo &c, const QString &key, const QJsonObject &doc,
               const Options &o, Tick tid = 0);
Result update(WriteTxn &txn, const CollectionInfo &c, const QString &key, const QJsonObject &patch,
              const Options &o, Tick tid = 0);
Result remove(WriteTxn &txn, const CollectionInfo &c, const QString &key, const Options &o,
              Tick tid = 0);

// A version as a leader sent it: stored verbatim, never given a new revision.
struct StoredVersion
{
    QString key;
    QByteArray rev;
    QByteArray parentRev; // the leader's previous revision when known (oldRev)
    QJsonObject object;   // attributes without _key/_id/_rev
    QByteArray body;      // the same, compact
    bool deleted = false;
};
void storeReplicated(WriteTxn &txn, const CollectionInfo &c,
                     const std::optional<storage::DocumentRow> &existing, const StoredVersion &v,
                     Tick tid = 0);

// Stores one version of a document as the leader has it (its _key and _rev, never a new
// revision). Idempotent: a revision the local tree already knows is not applied again, so
// replays never move a document backwards. A key never seen costs one INSERT and no lookup.
// Returns false when nothing changed. `key` is UTF-8; nothing is copied for a new key.
bool storeLeaderVersion(WriteTxn &txn, const CollectionInfo &c, QByteArrayView key,
                        QByteArrayView rev, QByteArrayView oldRev, QByteArrayView body,
                        bool deleted, Tick tid = 0);

// A key this collection never had, stored as one revision of `generation` (its tree that one
// node): one INSERT, no lookup, nothing copied. False, with nothing written, when the key is
// there already. Counts, unique entries and the log as for any write.
bool insertFresh(WriteTxn &txn, const CollectionInfo &c, QByteArrayView key, QByteArrayView rev,
                 int generation, QByteArrayView hash, QByteArrayView body, bool deleted,
                 Tick tid = 0);

// Stores a document's new winner as the CouchDB face computed it (its tree already merged):
// takes the next tick, keeps counts and unique entries in step (not enforced: conflicts are
// resolved by revision, not rejected) and logs the winner.
void storeWinner(WriteTxn &txn, const CollectionInfo &c,
                 const std::optional<storage::DocumentRow> &existing, storage::DocumentRow row,
                 Tick tid = 0);

// Values a unique index sees for a document (compact JSON array), nullopt when a sparse
// index skips it.
std::optional<QByteArray> indexValue(const IndexInfo &index, const QJsonObject &doc);

} // namespace DocumentService
} // namespace repl
