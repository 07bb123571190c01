#pragma once

#include "core/Tick.h"
#include "engine/ApplierManager.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>

#include <exception>
#include <functional>
#include <memory>

namespace repl {

namespace client {
class ReplicationClient;
struct HttpResult;
} // namespace client

template<class T> class BlockingQueue;

// A full copy from a leader (PUT /_api/replication/sync): inventory, then every collection's
// dump streamed into ONE write job that drops and recreates the synced collections. If any
// call fails the job rolls back and the local database is exactly as it was.
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
    void fetchInventory();
    void beginCopy();
    void dumpNext();
    void dumpChunk(Tick from);
    void fail(int errorNum, const QString &message);
    void failHttp(const client::HttpResult &r, const QString &what);
    void finish();

    ApplierManager &m_manager;
    Engine &m_engine;
    qint64 m_db;
    QString m_dbName;
    SyncRequest m_request;
    client::ReplicationClient *m_client;
    Done m_done;
    Outcome m_outcome;
    std::shared_ptr<BlockingQueue<Item>> m_queue;
    bool m_jobRunning = false;
    bool m_failed = false;
    int m_collectionIndex = -1;
    qint64 m_documents = 0;
};

} // namespace repl
