#pragma once

#include "core/Tick.h"
#include "engine/Auth.h"
#include "engine/Catalog.h"
#include "engine/LoggerState.h"
#include "engine/ThreadGate.h"
#include "engine/WorkerPool.h"
#include "storage/Connection.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <vector>

namespace repl {

class ApplierManager;
class Checkpointer;
class WriteTxn;

// The replication engine: one SQLite file, one writer thread that group-commits write jobs,
// and a pool of request workers with read-only connections.
//
// Threads: write() blocks its caller until the job is committed, so it must be called from
// a worker (never from the thread that accepts HTTP requests, never from the writer).
// catalog(), lastTick(), loggerState() and auth() may be used from any thread.
class Engine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Engine)

public:
    struct Options
    {
        QString dataDir;
        storage::SyncMode sync = storage::SyncMode::Normal;
        int workers = 8;
        // CouchDB replication jobs running at once (each holds connections and a thread);
        // more wait (resumed ones) or are refused with 503 (new /_replicate requests).
        int maxReplications = 200;
    };

    explicit Engine(Options options, QObject *parent = nullptr);
    ~Engine() override;

    // Opens (or creates) the data directory; throws repl::Error when it cannot.
    void open();
    void close();
    bool isOpen() const { return m_open; }

    const QString &serverId() const { return m_serverId; }
    const Options &options() const { return m_options; }
    QString databasePath() const;
    std::shared_ptr<const Catalog> catalog() const;
    Tick lastTick() const { return m_lastTick.load(std::memory_order_acquire); }
    LoggerState &loggerState() { return m_loggerState; }
    Auth &auth() { return m_auth; }
    // Requests that hold a worker for their whole run (sync, one-shot /_replicate) share these,
    // so two workers always stay free for everything else.
    LongCallSlots &longCalls() { return m_longCalls; }
    ApplierManager &appliers() { return *m_appliers; }
    // Parts built on the engine by a face (the CouchDB replicator): owned by the engine and
    // closed first, newest first, so nothing they run outlives the storage. Attach once,
    // after open(), before serving; service<T>() is then safe from any thread.
    class Service
    {
    public:
        virtual ~Service() = default;
        virtual void close() = 0;
    };
    void attach(std::unique_ptr<Service> service);
    template<class T> T *service() const
    {
        for (const auto &s : m_services)
            if (auto *t = dynamic_cast<T *>(s.get()))
                return t;
        return nullptr;
    }

    // Sets the root password (stored as a PBKDF2 hash). Call from a worker or before serving.
    void setRootPassword(const QString &password);
    bool hasRootPassword() const { return m_hasRootPassword; }

    // Runs `fn` on the writer thread inside the next group commit and returns its result
    // once it is durable; rethrows what `fn` threw (its changes are then rolled back).
    template<class F> auto write(F &&fn) -> std::invoke_result_t<F, WriteTxn &>
    {
        using R = std::invoke_result_t<F, WriteTxn &>;
        if constexpr (std::is_void_v<R>) {
            rethrowIf(writeAsync([&](WriteTxn &t) { fn(t); }).get());
        } else {
            std::optional<R> result;
            rethrowIf(writeAsync([&](WriteTxn &t) { result.emplace(fn(t)); }).get());
            return std::move(*result);
        }
    }

    // Queues `fn` for the writer and returns at once; the future completes when the job is
    // durable, with what `fn` threw (null: none; see rethrowIf). For work that feeds a running
    // job, e.g. a streamed import.
    //
    // The error travels as a value moved into the future, not through set_exception: that
    // copies it and the writer would let go of the exception object after the waiter might
    // have, so the object could be freed on the writer while the waiter still read it
    // without ThreadSanitizer seeing why that is safe (libstdc++ keeps the count).
    std::future<std::exception_ptr> writeAsync(std::function<void(WriteTxn &)> fn)
    {
        auto done = std::make_shared<std::promise<std::exception_ptr>>();
        auto future = done->get_future();
        enqueue(std::move(fn), [done](std::exception_ptr e) { done->set_value(std::move(e)); });
        return future;
    }
    // Rethrows a job's error from writeAsync's future, if it had one.
    static void rethrowIf(std::exception_ptr error)
    {
        if (error)
            std::rethrow_exception(std::move(error));
    }

    // Background jobs (a sync's copy) run alone in their group commit, taking turns with the
    // requests' jobs, so a request's write never waits behind more than one of them.
    enum class Priority
    {
        Normal,
        Background
    };
    // Queues `fn` for the writer; `done` runs later on `context`'s thread (queued) with the
    // job's error or nullptr once it is durable. For event-driven callers (the applier).
    void writeThen(std::function<void(WriteTxn &)> fn, QObject *context,
                   std::function<void(std::exception_ptr)> done,
                   Priority priority = Priority::Normal);

    // Runs `task` on a request worker with that worker's read-only connection.
    void submit(WorkerPool::Task task);
    // A worker built and freed much (a large answer): the memory goes back to the system soon
    // (glibc keeps what threads free in their arenas). From request workers and the writer,
    // while open.
    void memoryFreed();

Q_SIGNALS:
    // Emitted from the writer thread after a commit that appended to a database's log.
    void logAppended(qint64 database, repl::Tick lastLogTick);
    // Emitted from the writer thread after a commit that took ticks (any data or schema change),
    // with the collections whose documents it wrote.
    void committed(repl::Tick lastTick, const QList<qint64> &collections);

private:
    struct Job
    {
        std::function<void(WriteTxn &)> run;
        std::function<void(std::exception_ptr)> finish; // nullptr: committed
        // Finishes with `error` handed over as an object of its waiter's own (see Engine.cpp).
        void fail(const std::exception_ptr &error) const;
    };
    void enqueue(std::function<void(WriteTxn &)> run,
                 std::function<void(std::exception_ptr)> finish,
                 Priority priority = Priority::Normal);
    void writerMain(std::promise<void> &ready);
    void initialize(storage::Connection &conn);
    void runBatch(storage::Connection &conn, std::deque<Job> &batch, bool background);
    bool takeMoreBackground(std::deque<Job> &batch, const QElapsedTimer &clock);
    void reclaimStep(storage::Connection &conn);
    void pruneLogs(WriteTxn &txn, QHash<qint64, DatabaseLogState> &updated);
    void loadCatalog(storage::Connection &conn);
    void publishCatalog();

    Options m_options;
    bool m_open = false;
    QString m_serverId;
    std::atomic<bool> m_hasRootPassword{false};

    std::thread m_writer;
    std::mutex m_queueMutex;
    std::condition_variable m_queueCv;
    std::deque<Job> m_queue;
    std::deque<Job> m_background;
    bool m_stopping = false;

    // Writer-owned.
    Catalog m_working;
    Tick m_nextTick = 1;
    QHash<qint64, DatabaseLogState> m_logStates;
    bool m_reclaimPending = true; // rows of dropped collections may be left (ReclaimTable)

    mutable std::mutex m_catalogMutex;
    std::shared_ptr<const Catalog> m_published;
    std::atomic<Tick> m_lastTick{0};

    LoggerState m_loggerState;
    Auth m_auth;
    LongCallSlots m_longCalls;
    std::unique_ptr<WorkerPool> m_workers;
    std::unique_ptr<Checkpointer> m_checkpointer; // the WAL copied on its own thread
    std::unique_ptr<ApplierManager> m_appliers;
    std::vector<std::unique_ptr<Service>> m_services;
};

} // namespace repl
