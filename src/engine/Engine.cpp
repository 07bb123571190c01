#include "engine/Engine.h"

#include "core/Error.h"
#include "engine/ApplierManager.h"
#include "engine/Checkpointer.h"
#include "engine/LoggerService.h"
#include "engine/SyncStaging.h"
#include "engine/WriteTxn.h"
#include "storage/CatalogTable.h"
#include "storage/Connection.h"
#include "storage/LogTable.h"
#include "storage/ReclaimTable.h"
#include "storage/Schema.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QPointer>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QVariant>

#include <chrono>

Q_LOGGING_CATEGORY(lcEngine, "repldesk.engine", QtInfoMsg)

namespace repl {

namespace {
constexpr int MaxJobsPerBatch = 512;

// The writer's error for the thread that waits on its job: an exception object of its own,
// which the writer no longer holds once it is handed over. Shared, the object would be freed
// by whichever thread let go of it last, with only libstdc++'s uninstrumented count between
// that and the other thread's reads (what ThreadSanitizer reported). Every finish takes its
// copy by value and moves it on. Other types (std::bad_alloc, a job's own exception) go as
// they are: write() rethrows what the job threw, and only an Error can be copied whole.
std::exception_ptr handOver(const std::exception_ptr &error)
{
    try {
        std::rethrow_exception(error);
    } catch (const Error &e) {
        return e.clone();
    } catch (...) {
        return error;
    }
}
} // namespace

void Engine::Job::fail(const std::exception_ptr &error) const
{
    finish(handOver(error));
}

Engine::Engine(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_longCalls(qMax(1, m_options.workers - 2))
{}

Engine::~Engine()
{
    close();
}

QString Engine::databasePath() const
{
    return QDir(m_options.dataDir).filePath(QStringLiteral("repldesk.sqlite"));
}

namespace {
// The database holds documents, the applier's password and continuous replications' request
// bodies (credentials included), as ArangoDB's and CouchDB's own data files do: only the
// server's user may read it. A directory we create is 0700; a directory the operator gave
// (it may be shared) keeps its mode. The files are 0600, also when an older version left
// them wider; SQLite gives the -wal and -shm files the database file's mode.
void restrictToOwner(const QString &dataDir, bool createdDir, const QString &databasePath)
{
    constexpr auto ownerRw = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
    if (createdDir)
        QFile::setPermissions(dataDir, ownerRw | QFileDevice::ExeOwner);
    QFile db(databasePath);
    if (!db.exists() && !db.open(QIODevice::WriteOnly | QIODevice::NewOnly, ownerRw))
        throw Error::internal(
            QStringLiteral("cannot create %1: %2").arg(databasePath, db.errorString()));
    db.close();
    for (const char *suffix : {"", "-wal", "-shm"}) {
        const QString path = databasePath + QLatin1String(suffix);
        if (QFile::exists(path) && !QFile::setPermissions(path, ownerRw))
            qCWarning(lcEngine) << "cannot restrict" << path << "to its owner";
    }
}
} // namespace

void Engine::open()
{
    if (m_open)
        return;
    const bool createdDir = !QFileInfo::exists(m_options.dataDir);
    if (!QDir().mkpath(m_options.dataDir))
        throw Error::internal(
            QStringLiteral("cannot create data directory %1").arg(m_options.dataDir));
    restrictToOwner(m_options.dataDir, createdDir, databasePath());
    m_stopping = false;
    std::promise<void> ready;
    auto readyFuture = ready.get_future();
    m_writer = std::thread([this, &ready] { writerMain(ready); });
    try {
        readyFuture.get();
    } catch (...) {
        m_writer.join();
        throw;
    }
    m_checkpointer = std::make_unique<Checkpointer>(databasePath(), m_options.sync);
    m_workers = std::make_unique<WorkerPool>(databasePath(), m_options.sync, m_options.workers);
    m_open = true;
    // A sync that was copying when the server stopped leaves its staging: the database still
    // holds what it held before that sync, and the staging goes.
    write([](WriteTxn &t) { SyncStaging::cleanAll(t); });
    LoggerService::autoStart(*this);
    m_appliers = std::make_unique<ApplierManager>(*this);
    m_appliers->open();
}

void Engine::attach(std::unique_ptr<Service> service)
{
    m_services.push_back(std::move(service));
}

void Engine::close()
{
    if (!m_open)
        return;
    // Stop the attached services, appliers and syncs (which unblocks workers waiting on them), then
    // drain the workers (they may still reach the manager), then let the manager and the writer go.
    for (auto it = m_services.rbegin(); it != m_services.rend(); ++it)
        (*it)->close();
    if (m_appliers)
        m_appliers->close();
    m_workers.reset();
    m_appliers.reset();
    m_services.clear();
    {
        std::lock_guard lock(m_queueMutex);
        m_stopping = true;
    }
    m_queueCv.notify_all();
    m_writer.join();
    m_checkpointer.reset(); // the last checkpoint, after the writer's last commit
    m_open = false;
}

void Engine::memoryFreed()
{
    if (m_checkpointer)
        m_checkpointer->memoryFreed();
}

std::shared_ptr<const Catalog> Engine::catalog() const
{
    std::lock_guard lock(m_catalogMutex);
    return m_published;
}

void Engine::setRootPassword(const QString &password)
{
    const QByteArray record = Auth::hashPassword(password);
    write([&](WriteTxn &t) { t.catalogTable().setMeta(QStringLiteral("rootPassword"), record); });
    m_auth.setRecord(record);
    m_hasRootPassword = true;
}

void Engine::writeThen(std::function<void(WriteTxn &)> fn, QObject *context,
                       std::function<void(std::exception_ptr)> done, Priority priority)
{
    QPointer<QObject> guard(context);
    enqueue(
        std::move(fn),
        [guard, done = std::move(done)](std::exception_ptr e) {
            if (!guard)
                return;
            QMetaObject::invokeMethod(
                guard.data(),
                [guard, done, e = std::move(e)] {
                    if (guard)
                        done(e);
                },
                Qt::QueuedConnection);
        },
        priority);
}

void Engine::submit(WorkerPool::Task task)
{
    m_workers->submit(std::move(task));
}

void Engine::enqueue(std::function<void(WriteTxn &)> run,
                     std::function<void(std::exception_ptr)> finish, Priority priority)
{
    {
        std::lock_guard lock(m_queueMutex);
        if (m_stopping) {
            finish(std::make_exception_ptr(
                Error(503, ErrorNum::Internal, QStringLiteral("server is shutting down"))));
            return;
        }
        (priority == Priority::Background ? m_background : m_queue)
            .push_back(Job{std::move(run), std::move(finish)});
    }
    m_queueCv.notify_one();
}

void Engine::writerMain(std::promise<void> &ready)
{
    std::unique_ptr<storage::Connection> conn;
    try {
        conn = std::make_unique<storage::Connection>(databasePath(), m_options.sync, false);
        conn->open();
        // The Checkpointer copies the WAL, so commits do not wait for it; only a WAL that
        // grew past 256 MiB anyway (it could not keep up) is checkpointed by the writer.
        conn->exec(QStringLiteral("PRAGMA wal_autocheckpoint=65536"));
        initialize(*conn);
    } catch (...) {
        conn.reset();
        ready.set_exception(std::current_exception());
        return;
    }
    ready.set_value();
    bool backgroundsTurn = false;
    // The page cache fills up to 64 MiB during a big load and would stay that size for the
    // life of the process: a second without writes gives it back (the next write reads its
    // pages from the OS's cache again).
    bool cacheHeld = false;
    for (;;) {
        std::deque<Job> batch;
        bool background = false;
        {
            std::unique_lock lock(m_queueMutex);
            const auto work = [this] {
                return m_stopping || !m_queue.empty() || !m_background.empty() || m_reclaimPending;
            };
            if (cacheHeld && !m_queueCv.wait_for(lock, std::chrono::seconds(1), work)) {
                lock.unlock();
                conn->releaseMemory();
                memoryFreed();
                cacheHeld = false;
                continue;
            }
            m_queueCv.wait(lock, work);
            if (m_queue.empty() && m_background.empty() && m_stopping)
                break; // what is left to reclaim waits for the next start
            // A background batch holds background jobs only, so a request's write never
            // commits behind one; when both wait they take turns, so neither starves.
            if (!m_background.empty() && (m_queue.empty() || backgroundsTurn)) {
                batch.push_back(std::move(m_background.front()));
                m_background.pop_front();
                backgroundsTurn = false;
                background = true;
            } else {
                while (!m_queue.empty() && batch.size() < MaxJobsPerBatch) {
                    batch.push_back(std::move(m_queue.front()));
                    m_queue.pop_front();
                }
                backgroundsTurn = !m_background.empty();
            }
        }
        if (batch.empty())
            reclaimStep(*conn); // nothing queued: delete a slice of dropped collections' rows
        else
            runBatch(*conn, batch, background);
        cacheHeld = true;
    }
}

void Engine::initialize(storage::Connection &conn)
{
    storage::ensureSchema(conn);
    storage::CatalogTable meta(conn);
    if (auto id = meta.meta(QStringLiteral("serverId")); id && !id->isEmpty()) {
        m_serverId = QString::fromUtf8(*id);
    } else {
        // Below 2^53 so JavaScript clients keep it exact.
        m_serverId = QString::number(
            QRandomGenerator::system()->bounded(quint64(1) << 40, (quint64(1) << 53) - 1));
        meta.setMeta(QStringLiteral("serverId"), m_serverId.toUtf8());
    }
    // The next tick: above everything ever persisted, so ticks never repeat after a crash.
    Tick high = meta.meta(QStringLiteral("tick")).value_or(QByteArray("0")).toULongLong();
    QSqlQuery &q = conn.prepared(
        "SELECT max(coalesce((SELECT max(tick) FROM log),0), coalesce((SELECT max(tick) FROM "
        "docs),0), coalesce((SELECT max(cid) FROM collections),0), coalesce((SELECT max(id) FROM "
        "indexes),0), coalesce((SELECT max(id) FROM databases),0))");
    storage::execOrThrow(q);
    if (q.next())
        high = qMax<Tick>(high, Tick(q.value(0).toLongLong()));
    q.finish();
    m_nextTick = high + 1;
    m_lastTick = high;

    if (auto rec = meta.meta(QStringLiteral("rootPassword")); rec && !rec->isEmpty()) {
        m_auth.setRecord(*rec);
        m_hasRootPassword = true;
    }

    loadCatalog(conn);
    if (!m_working.database(QStringLiteral("_system"))) {
        conn.begin(true);
        const Tick id = m_nextTick++;
        meta.insertDatabase({qint64(id), QStringLiteral("_system"),
                             QJsonDocument(LoggerConfig{}.toJson()).toJson(QJsonDocument::Compact),
                             false, 0});
        meta.setMeta(QStringLiteral("tick"), QByteArray::number(id));
        conn.commit();
        m_lastTick = id;
        loadCatalog(conn);
    }
    publishCatalog();
}

void Engine::loadCatalog(storage::Connection &conn)
{
    storage::CatalogTable table(conn);
    storage::LogTable log(conn);
    Catalog cat;
    m_logStates.clear();
    for (const storage::DatabaseRow &row : table.databases()) {
        DatabaseInfo db;
        db.id = row.id;
        db.name = row.name;
        db.logger = LoggerConfig::fromStored(row.loggerConfig);
        db.loggerRunning = row.loggerRunning;
        cat.addDatabase(db);
        DatabaseLogState s;
        s.stats = log.stats(row.id);
        s.lastLogTick = s.stats.last;
        s.prunedUpTo = Tick(row.prunedUpTo);
        m_logStates.insert(row.id, s);
        m_loggerState.publish(row.id, s);
    }
    for (const storage::CollectionRow &row : table.collections()) {
        CollectionInfo c;
        c.cid = row.cid;
        c.db = row.db;
        c.name = row.name;
        c.type = row.type;
        c.applyStoredProps(row.props);
        cat.addCollection(c);
    }
    for (const storage::IndexRow &row : table.indexes())
        if (CollectionInfo *c = cat.mutableCollection(row.cid))
            c->indexes.append(IndexInfo::fromStored(row.id, row.def));
    m_working = std::move(cat);
}

void Engine::publishCatalog()
{
    auto snapshot = std::make_shared<const Catalog>(m_working);
    std::lock_guard lock(m_catalogMutex);
    m_published = std::move(snapshot);
}

void Engine::reclaimStep(storage::Connection &conn)
{
    // A slice small enough that a job arriving meanwhile waits a few milliseconds at most.
    constexpr qint64 ReclaimSlice = 2000;
    try {
        conn.begin(true);
        m_reclaimPending = storage::ReclaimTable(conn).step(ReclaimSlice);
        conn.commit();
    } catch (const std::exception &e) {
        conn.rollback();
        m_reclaimPending = false; // tried again after the next schema change or start
        qCWarning(lcEngine) << "reclaiming dropped collections' rows failed:" << e.what();
    }
}

bool Engine::takeMoreBackground(std::deque<Job> &batch, const QElapsedTimer &clock)
{
    // While no request waits, the background jobs that follow share the transaction, up to a
    // time bound: fewer commits, and a request arriving meanwhile still waits for one job and
    // one commit at most.
    constexpr qint64 BackgroundBatchNs = 20'000'000;
    if (clock.nsecsElapsed() > BackgroundBatchNs || batch.size() >= MaxJobsPerBatch)
        return false;
    std::lock_guard lock(m_queueMutex);
    if (!m_queue.empty() || m_background.empty())
        return false;
    batch.push_back(std::move(m_background.front()));
    m_background.pop_front();
    return true;
}

void Engine::runBatch(storage::Connection &conn, std::deque<Job> &batch, bool background)
{
    QElapsedTimer clock;
    clock.start();
    WriteTxn txn(conn, m_working, m_nextTick, m_serverId);
    std::vector<Job *> succeeded;
    succeeded.reserve(batch.size());
    QHash<qint64, DatabaseLogState> updated;
    try {
        conn.begin(true);
    } catch (...) {
        for (Job &job : batch)
            job.fail(std::current_exception());
        return;
    }
    // A batch of one needs no savepoint: if its job fails, the whole transaction rolls back.
    // (A background batch may grow while it runs, so its jobs always get one.)
    const bool alone = batch.size() == 1 && !background;
    std::exception_ptr broken; // the savepoint machinery failed: the whole batch is void
    size_t brokenAt = 0;
    for (size_t index = 0; index < batch.size(); ++index) {
        Job &job = batch[index];
        txn.beginJob();
        bool finished = false;
        try {
            if (!alone)
                conn.savepoint();
            try {
                job.run(txn);
                txn.finishJob();
                if (!alone)
                    conn.releaseSavepoint();
                succeeded.push_back(&job);
            } catch (...) {
                txn.abortJob();
                job.fail(std::current_exception());
                finished = true;
                if (alone) {
                    conn.rollback();
                    return;
                }
                conn.rollbackToSavepoint();
            }
        } catch (...) {
            txn.abortJob();
            if (!finished)
                job.fail(std::current_exception());
            broken = std::current_exception();
            brokenAt = index;
            break;
        }
        if (background && index + 1 == batch.size())
            takeMoreBackground(batch, clock);
    }
    if (broken) {
        // Jobs already run cannot be trusted to be in a known state: roll everything back,
        // fail them all, and reload what the database really holds.
        conn.rollback();
        for (Job *job : succeeded)
            job->fail(broken);
        for (size_t i = brokenAt + 1; i < batch.size(); ++i) // never run
            batch[i].fail(broken);
        try {
            loadCatalog(conn);
        } catch (const std::exception &e) {
            qCCritical(lcEngine) << "reload failed:" << e.what();
        }
        publishCatalog();
        return;
    }
    try {
        pruneLogs(txn, updated);
        storage::CatalogTable(conn).setMeta(QStringLiteral("tick"),
                                            QByteArray::number(m_nextTick - 1));
        conn.commit();
    } catch (...) {
        const std::exception_ptr error = std::current_exception();
        conn.rollback();
        qCCritical(lcEngine) << "commit failed; reloading state from" << databasePath();
        try {
            loadCatalog(conn);
        } catch (const std::exception &e) {
            qCCritical(lcEngine) << "reload failed:" << e.what();
        }
        publishCatalog();
        for (Job *job : succeeded)
            job->fail(error);
        return;
    }
    const bool ticked = m_lastTick.load(std::memory_order_relaxed) != m_nextTick - 1;
    m_lastTick.store(m_nextTick - 1, std::memory_order_release);
    if (m_checkpointer)
        m_checkpointer->nudge();
    if (txn.catalogChanged()) {
        publishCatalog();
        m_reclaimPending = true; // a drop queues rows to delete; a step finds out
    }
    for (qint64 db : txn.droppedDatabases()) {
        m_logStates.remove(db);
        m_loggerState.forget(db);
        updated.remove(db);
    }
    for (auto it = updated.cbegin(); it != updated.cend(); ++it) {
        m_logStates.insert(it.key(), it.value());
        m_loggerState.publish(it.key(), it.value());
    }
    for (Job *job : succeeded)
        job->finish(nullptr);
    for (auto it = updated.cbegin(); it != updated.cend(); ++it)
        if (txn.batchLog().contains(it.key()))
            Q_EMIT logAppended(it.key(), it->lastLogTick);
    if (ticked) {
        QList<qint64> touched = txn.touchedCollections().values();
        if (txn.catalogChanged())
            touched.append(0); // a schema change: every feed looks again (it may be gone)
        Q_EMIT committed(m_nextTick - 1, touched);
    }
}

void Engine::pruneLogs(WriteTxn &txn, QHash<qint64, DatabaseLogState> &updated)
{
    const auto &deltas = txn.batchLog();
    for (auto it = deltas.cbegin(); it != deltas.cend(); ++it) {
        const DatabaseInfo *db = txn.catalog().database(it.key());
        if (!db)
            continue;
        DatabaseLogState s = m_logStates.value(it.key());
        s.stats.count += it->count;
        s.stats.bytes += it->bytes;
        if (!s.stats.first)
            s.stats.first = it->first;
        if (it->last) {
            s.stats.last = it->last;
            s.lastLogTick = it->last;
        }
        s.totalEvents += it->count;
        const Tick cut =
            txn.log().prune(it.key(), db->logger.maxEvents, db->logger.maxEventsSize, s.stats);
        if (cut) {
            s.prunedUpTo = cut;
            txn.catalogTable().setPrunedUpTo(it.key(), qint64(cut));
            if (s.stats.count == 0)
                s.stats.first = 0;
        }
        updated.insert(it.key(), s);
    }
}

} // namespace repl
