#pragma once

#include "core/Tick.h"
#include "engine/ApplierManager.h"
#include "engine/ApplyService.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>

#include <deque>
#include <exception>
#include <functional>
#include <memory>

namespace repl {

class WriteTxn;

namespace client {
class ReplicationClient;
struct HttpResult;
} // namespace client

// A full copy from a leader (PUT /_api/replication/sync), staged: the inventory, then every
// collection's dump copied into hidden staging collections (SyncStaging) in short write jobs,
// one queued at a time, so other writers interleave and readers keep the old data.
// One short job then swaps the copies in and keeps the replaced collections as a restore
// point. A sync that fails or is cancelled drops its staging and leaves the database as it
// was; one killed with the server is cleaned at the next start.
// Lives on the applier thread; event-driven.
class Syncer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Syncer)

public:
    struct Outcome
    {
        std::exception_ptr error;
        QJsonArray leaderCollections; // inventory entries that pass the restrictions
        Tick leaderTick = 0;          // leader's lastLogTick before the dump: the applier's from
        QString leaderServerId;
        QJsonArray synced; // [{id, name}] of the local collections written
    };
    using Done = std::function<void(const Outcome &)>;

    Syncer(ApplierManager &manager, qint64 db, QString databaseName, SyncRequest request,
           QObject *parent);
    ~Syncer() override;

    void start(Done done);

    struct Item; // a collection to recreate or a batch of documents (see .cpp)

private:
    struct Batch;     // a slice of one dump chunk's documents
    struct Feeder;    // parsed batches shared with the copy jobs
    struct JobReport; // what one copy job stored
    void fetchInventory();
    void beginCopy();
    void dumpNext();
    void dumpChunk(Tick from);
    // The documents of one dump response; nullptr when a line is not JSON. `last` rises to
    // the highest tick seen.
    static std::shared_ptr<Item> parseChunk(const QString &name, QByteArray body, Tick &last);
    void parsed(std::shared_ptr<const Item> item, std::function<void()> next);
    void queueCopyJob();
    void copySome(WriteTxn &t, Feeder &feeder, JobReport &report, qint64 db, qint64 id);
    void copied(const JobReport &report, std::exception_ptr error);
    bool copyIdle();
    void swapInWhenCopied();
    void swapIn();
    void fail(int errorNum, const QString &message);
    void failHttp(const client::HttpResult &r, const QString &what);
    void cleanUpWhenIdle();
    void cleanUp(); // after a failure: drop the staging, then finish
    void finish();

    ApplierManager &m_manager;
    Engine &m_engine;
    qint64 m_db;
    QString m_dbName;
    SyncRequest m_request;
    client::ReplicationClient *m_client;
    Done m_done;
    Outcome m_outcome;
    qint64 m_stagingId = 0; // set once the staging collections exist
    ApplyService::Mapping m_mapping;
    std::shared_ptr<Feeder> m_feeder;
    qint64 m_jobsDone = 0;         // copy jobs whose completion arrived here
    std::function<void()> m_fetch; // the next dump request, held while enough is queued
    qint64 m_queuedBytes = 0;      // dump bytes parsed and not yet written
    bool m_dumped = false;         // every collection's dump has arrived
    bool m_preparing = false;      // the staging collections are being created
    bool m_swapping = false;
    bool m_cleaning = false;
    bool m_failed = false;
    int m_collectionIndex = -1;
    qint64 m_stored = 0;
};

} // namespace repl
