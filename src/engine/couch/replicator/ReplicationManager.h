#pragma once

#include "engine/Engine.h"
#include "engine/ThreadGate.h"
#include "engine/couch/replicator/CouchPeer.h"
#include "engine/couch/replicator/CouchReplication.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QMutex>
#include <QObject>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>

namespace repl {

class Engine;
class ReplicatorDb;
class WorkerPool;

// Runs the /_replicate jobs on one thread with an event loop (their HTTP clients live
// there). Continuous jobs are persisted and resumed after a restart; finished ones stay
// listed (with their error) until the process ends. The public methods are for request
// workers; replicate() blocks until a one-shot job ends or a continuous one is verified.
class ReplicationManager final : public QObject, public Engine::Service
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReplicationManager)

public:
    explicit ReplicationManager(Engine &engine);
    ~ReplicationManager() override;

    // The engine's replicator, made, opened and attached to it on first use (the HTTP server
    // asks once before serving); the engine closes it before its own storage.
    static ReplicationManager &of(Engine &engine);

    void open();
    void close() override; // stops every job (persisted ones resume at the next open)

    // Set by the HTTP layer once it can answer local requests; resumes persisted jobs.
    // nullptr stops every job (the HTTP layer is going away).
    void setLocalPeerFactory(LocalPeerFactory factory);

    // POST /_replicate: {HTTP status, body}; throws CouchError for bad requests.
    std::pair<int, QJsonObject> replicate(const QJsonObject &body);
    QJsonArray activeTasks() const;
    // /_scheduler/jobs: the jobs that run (or crash and retry), transient and of _replicator
    // documents, in CouchDB 3's shape; {} with *found false for an unknown id.
    QJsonArray schedulerJobs() const;
    QJsonObject schedulerJob(const QString &id, bool *found) const;
    // /_scheduler/docs: the _replicator documents' states (empty before the HTTP layer
    // serves local requests).
    QJsonArray schedulerDocs() const;
    QJsonObject schedulerDoc(const QString &docId, bool *found) const;

    // For ReplicatorDb (on the manager's thread): a job for one document, retried with
    // backoff when it fails; cancelling ends it.
    CouchReplication *startDocumentJob(const QString &docId, const ReplicationSpec &spec);
    void cancelDocumentJob(CouchReplication *job);
    // Runs `task` on the manager's own read-only workers.
    void submitRead(std::function<void(storage::Connection &)> task);

    // For /_admin/metrics/v2 (any thread): the jobs this process knows, by state (transient
    // ones and those of _replicator documents, ended ones included), and what every job read,
    // wrote and failed to write since the process started.
    struct Figures
    {
        QMap<QString, qint64> jobsByState;
        quint64 docsRead = 0;
        quint64 docsWritten = 0;
        quint64 docWriteFailures = 0;
    };
    Figures figures() const;
    // Every job's requests by kind: counts, waits and handling times (any thread).
    const CouchRequestCounters &requestCounters() const { return m_requestCounters; }

    // The server's CouchDB uuid (GET /), also the first part of every replication id.
    static QString serverUuid(const Engine &engine);

private:
    struct Entry
    {
        ReplicationStatus status;
        QString signature;
        bool persisted = false;
        bool running = false;
    };
    CouchReplication *createJob(const ReplicationSpec &spec); // on the thread
    bool atCapacity() const;                                  // on the thread
    // A persisted job: started, or kept waiting (state "pending") while at capacity.
    void startResumed(const QString &id, const ReplicationSpec &spec);
    void runOnThread(const std::function<void()> &fn);
    void stopAll();
    void cancelRunning(); // on the thread
    void markStopped();
    void resume();
    void forget(const QString &id);

    Engine &m_engine;
    QThread m_thread;
    QObject *m_context = nullptr;
    ThreadGate m_gate;                          // workers' calls into m_thread
    bool m_closing = false;                     // thread only: no job is created once close() began
    std::unique_ptr<WorkerPool> m_localWorkers; // local peers' reads and writes
    std::mutex m_startMutex;                    // one continuous start at a time (no twins)
    LocalPeerFactory m_localPeers;              // used on the thread
    QList<CouchReplication *> m_running;        // thread only
    QList<QPair<QString, ReplicationSpec>> m_waiting; // thread only: resumed, waiting for a slot
    ReplicatorDb *m_replicatorDb = nullptr;           // thread only; made once local peers run
    std::atomic<ReplicatorDb *> m_replicatorDbPublished{nullptr}; // for schedulerDocs()
    mutable QMutex m_mutex;
    QHash<QString, Entry> m_entries; // every job this process knows, by full id
    // Sums of the jobs' own counters (bumped on the thread as their statuses arrive).
    std::atomic<quint64> m_docsRead{0};
    std::atomic<quint64> m_docsWritten{0};
    std::atomic<quint64> m_docWriteFailures{0};
    CouchRequestCounters m_requestCounters;
};

} // namespace repl
