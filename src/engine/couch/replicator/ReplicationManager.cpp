#include "engine/couch/replicator/ReplicationManager.h"

#include "engine/Engine.h"
#include "engine/WorkerPool.h"
#include "engine/WriteTxn.h"
#include "engine/couch/CouchService.h"
#include "engine/couch/replicator/ReplicatorDb.h"
#include "storage/CouchTable.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QLoggingCategory>

#include <future>
#include <optional>

Q_LOGGING_CATEGORY(lcReplManager, "repldesk.couch.jobs", QtInfoMsg)

namespace repl {

QString ReplicationManager::serverUuid(const Engine &engine)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(engine.serverId().toUtf8(), QCryptographicHash::Md5).toHex());
}

ReplicationManager &ReplicationManager::of(Engine &engine)
{
    static std::mutex attachMutex; // two servers on one engine attach it once
    std::lock_guard lock(attachMutex);
    if (auto *m = engine.service<ReplicationManager>())
        return *m;
    auto made = std::make_unique<ReplicationManager>(engine);
    made->open();
    CouchService::setDocumentValidator(ReplicatorDb::Name, &ReplicatorDb::validate);
    ReplicationManager &m = *made;
    engine.attach(std::move(made));
    return m;
}

ReplicationManager::ReplicationManager(Engine &engine)
    : m_engine(engine)
{
    qRegisterMetaType<repl::ReplicationStatus>();
}

ReplicationManager::~ReplicationManager()
{
    close();
}

void ReplicationManager::open()
{
    m_localWorkers =
        std::make_unique<WorkerPool>(m_engine.databasePath(), storage::SyncMode::Normal, 2);
    m_thread.setObjectName(QStringLiteral("couch-replicator"));
    m_thread.start();
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    m_gate.open(m_context);
    // A commit that wrote a local source (or changed the schema) wakes its caught-up
    // continuous jobs; commits elsewhere, such as a job's own writes to its target, do not.
    connect(&m_engine, &Engine::committed, m_context,
            [this](Tick, const QList<qint64> &collections) {
                const std::shared_ptr<const Catalog> catalog = m_engine.catalog();
                const DatabaseInfo *sys = catalog->database(QStringLiteral("_system"));
                for (CouchReplication *job : std::as_const(m_running)) {
                    const PeerSpec &source = job->spec().source;
                    if (!source.isLocal())
                        continue;
                    const CollectionInfo *c =
                        sys ? catalog->collection(sys->id, source.localName) : nullptr;
                    if (collections.contains(0) || !c || collections.contains(c->cid))
                        job->sourceChanged();
                }
            });
}

void ReplicationManager::close()
{
    if (!m_context)
        return;
    // First no worker reaches the thread any more (calls already inside finish); then the
    // jobs stop (a worker waiting for a one-shot job gets its end) and go.
    QObject *context = m_gate.close();
    QMetaObject::invokeMethod(
        context,
        [this] {
            m_closing = true;
            if (m_replicatorDb)
                m_replicatorDb->stop();
            cancelRunning();
        },
        Qt::BlockingQueuedConnection);
    markStopped();
    // Local peers' tasks still queued post to m_context: let them finish first.
    m_localWorkers.reset();
    QMetaObject::invokeMethod(
        context,
        [this, ctx = context] {
            const auto jobs = m_running; // started between stopAll() and now: end them too
            m_running.clear();
            for (CouchReplication *job : jobs)
                job->cancel();
            m_replicatorDbPublished.store(nullptr);
            m_replicatorDb = nullptr; // a child of ctx
            delete ctx;
        },
        Qt::BlockingQueuedConnection);
    m_context = nullptr;
    m_thread.quit();
    m_thread.wait();
}

void ReplicationManager::runOnThread(const std::function<void()> &fn)
{
    m_gate.run(fn, [] {
        throw CouchError(503, QStringLiteral("service_unavailable"),
                         QStringLiteral("the server is shutting down"));
    });
}

void ReplicationManager::cancelRunning()
{
    const auto jobs = m_running; // cancel() → finished → removeOne
    m_running.clear();
    for (CouchReplication *job : jobs)
        job->cancel();
}

void ReplicationManager::stopAll()
{
    runOnThread([this] { cancelRunning(); });
    markStopped();
}

void ReplicationManager::markStopped()
{
    QMutexLocker lock(&m_mutex);
    for (Entry &e : m_entries) {
        if (e.running) {
            e.running = false;
            e.status.state = QStringLiteral("stopped");
        }
    }
}

void ReplicationManager::setLocalPeerFactory(LocalPeerFactory factory)
{
    if (!factory) {
        runOnThread([this] {
            if (m_replicatorDb)
                m_replicatorDb->stop();
        });
        stopAll();
        runOnThread([this] { m_localPeers = nullptr; });
        return;
    }
    runOnThread([this, factory] {
        m_localPeers = factory;
        if (!m_replicatorDb) {
            m_replicatorDb = new ReplicatorDb(*this, m_engine, m_context);
            m_replicatorDbPublished.store(m_replicatorDb);
        }
        m_replicatorDb->start();
    });
    resume();
}

CouchReplication *ReplicationManager::startDocumentJob(const QString &docId,
                                                       const ReplicationSpec &spec)
{
    Q_ASSERT(QThread::currentThread() == &m_thread);
    CouchReplication *job = createJob(spec);
    job->setDocument(docId);
    const QString signature = spec.signature();
    // Listed by /_scheduler/jobs from the moment its id is known until it ends.
    connect(job, &CouchReplication::statusChanged, m_context,
            [this, signature](const ReplicationStatus &s) {
                if (s.id.isEmpty() || s.state == u"completed" || s.state == u"failed" ||
                    s.state == u"cancelled")
                    return;
                QMutexLocker lock(&m_mutex);
                Entry &e = m_entries[s.id];
                e.signature = signature;
                e.running = true;
                e.status = s;
            });
    return job;
}

void ReplicationManager::cancelDocumentJob(CouchReplication *job)
{
    Q_ASSERT(QThread::currentThread() == &m_thread);
    if (m_running.contains(job))
        job->cancel(); // finished → removed, deleted, its entry no longer running
}

void ReplicationManager::submitRead(std::function<void(storage::Connection &)> task)
{
    if (m_localWorkers)
        m_localWorkers->submit(std::move(task));
}

void ReplicationManager::resume()
{
    // Read the persisted jobs on a worker (no SQLite here), start them on the thread.
    m_engine.submit([this](storage::Connection &reader) {
        const auto rows = storage::CouchTable(reader).jobs();
        if (rows.isEmpty() || !m_context)
            return;
        QMetaObject::invokeMethod(m_context, [this, rows] {
            for (const auto &[id, request] : rows) {
                try {
                    startResumed(id,
                                 ReplicationSpec::parse(QJsonDocument::fromJson(request).object()));
                } catch (const std::exception &e) {
                    qCWarning(lcReplManager) << "cannot resume replication" << id << e.what();
                }
            }
        });
    });
}

bool ReplicationManager::atCapacity() const
{
    return m_running.size() >= m_engine.options().maxReplications;
}

void ReplicationManager::startResumed(const QString &id, const ReplicationSpec &spec)
{
    if (atCapacity()) { // waits for a running job to end
        m_waiting.append({id, spec});
        QMutexLocker lock(&m_mutex);
        Entry &e = m_entries[id];
        e.signature = spec.signature();
        e.persisted = true;
        e.status.id = id;
        e.status.state = QStringLiteral("pending");
        return;
    }
    CouchReplication *job = createJob(spec);
    job->markResumed();
    {
        QMutexLocker lock(&m_mutex);
        Entry &e = m_entries[id];
        e.signature = spec.signature();
        e.persisted = true;
        e.running = true;
        e.status = job->status();
        e.status.id = id;
    }
    qCInfo(lcReplManager).noquote() << "resuming continuous replication" << id
                                    << spec.source.describe() << "->" << spec.target.describe();
    job->start();
}

CouchReplication *ReplicationManager::createJob(const ReplicationSpec &spec)
{
    if (m_closing)
        throw CouchError(503, QStringLiteral("service_unavailable"),
                         QStringLiteral("the server is shutting down"));
    if (atCapacity())
        throw CouchError(503, QStringLiteral("service_unavailable"),
                         QStringLiteral("too many replications running (at most %1, see "
                                        "--max-replications): try again when one has ended")
                             .arg(m_engine.options().maxReplications));
    auto peer = [this, &spec](const PeerSpec &p) -> std::unique_ptr<CouchPeer> {
        if (!p.isLocal())
            return makeHttpPeer(p, spec.connectionTimeoutMs);
        if (!m_localPeers || !m_localWorkers)
            throw CouchError(503, QStringLiteral("service_unavailable"),
                             QStringLiteral("local databases are not served yet"));
        WorkerPool *pool = m_localWorkers.get();
        return m_localPeers(p.localName,
                            LocalPeerContext{[pool](std::function<void(storage::Connection &)> t) {
                                                 pool->submit(std::move(t));
                                             },
                                             m_context});
    };
    auto *job = new CouchReplication(spec, peer(spec.source), peer(spec.target),
                                     serverUuid(m_engine), m_context);
    job->setRequestCounters(&m_requestCounters);
    m_running.append(job);
    // A job's counters only grow while it lives: what grew since its last status is added to
    // the process-wide sums.
    struct Seen
    {
        qint64 read = 0, written = 0, failures = 0;
    };
    auto seen = std::make_shared<Seen>();
    connect(job, &CouchReplication::statusChanged, m_context,
            [this, seen](const ReplicationStatus &s) {
                auto grow = [](std::atomic<quint64> &sum, qint64 &last, qint64 now) {
                    if (now > last)
                        sum.fetch_add(quint64(now - last), std::memory_order_relaxed);
                    last = qMax(last, now);
                };
                grow(m_docsRead, seen->read, s.docsRead);
                grow(m_docsWritten, seen->written, s.docsWritten);
                grow(m_docWriteFailures, seen->failures, s.docWriteFailures);
            });
    connect(job, &CouchReplication::statusChanged, m_context, [this](const ReplicationStatus &s) {
        if (s.id.isEmpty())
            return;
        QMutexLocker lock(&m_mutex);
        Entry &e = m_entries[s.id];
        e.status = s;
    });
    connect(job, &CouchReplication::finished, m_context, [this, job] {
        m_running.removeOne(job);
        job->deleteLater();
        if (!m_waiting.isEmpty() && !m_closing && !atCapacity()) {
            QMetaObject::invokeMethod(
                m_context,
                [this, next = m_waiting.takeFirst()] {
                    try {
                        startResumed(next.first, next.second);
                    } catch (const std::exception &e) {
                        qCWarning(lcReplManager)
                            << "cannot resume replication" << next.first << e.what();
                    }
                },
                Qt::QueuedConnection);
        }
        QMutexLocker lock(&m_mutex);
        const QString id = job->status().id;
        if (m_entries.contains(id)) {
            m_entries[id].running = false;
            m_entries[id].status = job->status();
        }
    });
    return job;
}

std::pair<int, QJsonObject> ReplicationManager::replicate(const QJsonObject &body)
{
    const ReplicationSpec spec = ReplicationSpec::parse(body);
    if (spec.cancel) {
        QString id;
        {
            QMutexLocker lock(&m_mutex);
            for (auto it = m_entries.cbegin(); it != m_entries.cend() && id.isEmpty(); ++it) {
                if (!it->running)
                    continue;
                const bool match = spec.cancelId.isEmpty() ? it->signature == spec.signature()
                                                           : (it.key() == spec.cancelId ||
                                                              it->status.baseId == spec.cancelId);
                if (match)
                    id = it.key();
            }
        }
        if (id.isEmpty())
            throw CouchError::notFound(QStringLiteral("missing"));
        runOnThread([this, id] {
            const auto jobs = m_running;
            for (CouchReplication *job : jobs)
                if (job->status().id == id)
                    job->cancel(); // finished → removed and deleted
        });
        forget(id);
        return {200, QJsonObject{{QStringLiteral("ok"), true}, {QStringLiteral("_local_id"), id}}};
    }
    // Continuous starts go one at a time, so two identical requests cannot start twins.
    std::unique_lock<std::mutex> startLock(m_startMutex, std::defer_lock);
    if (spec.continuous) {
        startLock.lock();
        QMutexLocker lock(&m_mutex);
        for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it)
            if (it->running && it->signature == spec.signature())
                return {202, QJsonObject{{QStringLiteral("ok"), true},
                                         {QStringLiteral("_local_id"), it.key()}}};
    }
    // A one-shot answers when it is done and holds a request worker meanwhile: it takes one of
    // the engine's long-call slots (shared with syncs), so the other workers stay free.
    std::optional<LongCallSlots::Slot> slot;
    if (!spec.continuous) {
        try {
            slot.emplace(m_engine.longCalls(), QStringLiteral("the replication"));
        } catch (const Error &e) {
            throw CouchError(503, QStringLiteral("service_unavailable"), e.message());
        }
    }
    using Answer = std::pair<int, QJsonObject>;
    auto promise = std::make_shared<std::promise<Answer>>();
    auto answered = std::make_shared<std::atomic<bool>>(false);
    auto answer = [promise, answered](Answer a) {
        if (!answered->exchange(true))
            promise->set_value(std::move(a));
    };
    auto future = promise->get_future();
    const QString signature = spec.signature();
    std::exception_ptr createError;
    bool ran = false;
    runOnThread([&] {
        ran = true;
        CouchReplication *job = nullptr;
        try {
            job = createJob(spec);
        } catch (...) {
            createError = std::current_exception();
            return;
        }
        connect(job, &CouchReplication::verified, m_context,
                [this, job, answer, signature](const QString &id) {
                    {
                        QMutexLocker lock(&m_mutex);
                        Entry &e = m_entries[id];
                        e.signature = signature;
                        e.running = true;
                        e.status = job->status();
                    }
                    if (job->spec().continuous)
                        answer({202, QJsonObject{{QStringLiteral("ok"), true},
                                                 {QStringLiteral("_local_id"), id}}});
                });
        connect(job, &CouchReplication::finished, m_context,
                [answer](bool, const QJsonObject &result, int status) {
                    answer({status, result});
                });
        job->start();
    });
    if (createError)
        std::rethrow_exception(createError);
    if (!ran) // the thread went away before it took the job (shutdown)
        throw CouchError(503, QStringLiteral("service_unavailable"),
                         QStringLiteral("the server is shutting down"));
    Answer a = future.get();
    if (a.first == 202) {
        const QString id = a.second.value(QStringLiteral("_local_id")).toString();
        const QByteArray request = QJsonDocument(body).toJson(QJsonDocument::Compact);
        m_engine.write(
            [&](WriteTxn &t) { storage::CouchTable(t.connection()).putJob(id, request); });
        bool cancelledMeanwhile = false;
        {
            QMutexLocker lock(&m_mutex);
            Entry &e = m_entries[id];
            e.persisted = true;
            cancelledMeanwhile = !e.running;
        }
        if (cancelledMeanwhile) // a cancel between the 202 and the write: keep it cancelled
            forget(id);
    }
    return a;
}

void ReplicationManager::forget(const QString &id)
{
    bool persisted = false;
    {
        QMutexLocker lock(&m_mutex);
        Entry &e = m_entries[id];
        persisted = e.persisted;
        e.persisted = false;
        e.running = false;
        e.status.state = QStringLiteral("cancelled");
    }
    if (persisted)
        m_engine.write([&](WriteTxn &t) { storage::CouchTable(t.connection()).removeJob(id); });
}

ReplicationManager::Figures ReplicationManager::figures() const
{
    Figures f;
    {
        QMutexLocker lock(&m_mutex);
        for (const Entry &e : m_entries)
            ++f.jobsByState[e.status.state];
    }
    f.docsRead = m_docsRead.load(std::memory_order_relaxed);
    f.docsWritten = m_docsWritten.load(std::memory_order_relaxed);
    f.docWriteFailures = m_docWriteFailures.load(std::memory_order_relaxed);
    return f;
}

QJsonArray ReplicationManager::activeTasks() const
{
    QMutexLocker lock(&m_mutex);
    QJsonArray out;
    for (const Entry &e : m_entries)
        if (e.running)
            out.append(e.status.toActiveTask());
    return out;
}

QJsonArray ReplicationManager::schedulerJobs() const
{
    QMutexLocker lock(&m_mutex);
    QStringList ids;
    for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it)
        if (it->running)
            ids.append(it.key());
    ids.sort();
    QJsonArray out;
    for (const QString &id : std::as_const(ids))
        out.append(m_entries.value(id).status.toSchedulerJob());
    return out;
}

QJsonObject ReplicationManager::schedulerJob(const QString &id, bool *found) const
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_entries.constFind(id);
    *found = it != m_entries.cend() && it->running;
    return *found ? it->status.toSchedulerJob() : QJsonObject();
}

QJsonArray ReplicationManager::schedulerDocs() const
{
    const ReplicatorDb *db = m_replicatorDbPublished.load();
    return db ? db->docs() : QJsonArray();
}

QJsonObject ReplicationManager::schedulerDoc(const QString &docId, bool *found) const
{
    const ReplicatorDb *db = m_replicatorDbPublished.load();
    *found = false;
    return db ? db->doc(docId, found) : QJsonObject();
}

} // namespace repl
