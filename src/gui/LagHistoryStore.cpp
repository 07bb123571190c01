#include "gui/LagHistoryStore.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QMutexLocker>
#include <QSqlError>
#include <QThread>
#include <QVariant>

#include <algorithm>

namespace repl::gui::detail {

Q_LOGGING_CATEGORY(lcHistory, "repldesk.gui.history", QtInfoMsg)

namespace {
std::atomic<quint64> g_connections{0};

constexpr int WriteIntervalMs = 1000; // appended samples are written at most this often
constexpr int MinCoalesceMs = 100;    // …and a burst of appends is gathered for this long
constexpr int RetentionEveryMs = 3600 * 1000;

// SQLite primary result codes after which the file is given up (not a database, corrupt).
bool fatalCode(const QSqlError &e)
{
    bool ok = false;
    const int code = e.nativeErrorCode().toInt(&ok) & 0xff;
    return ok && (code == 11 /* SQLITE_CORRUPT */ || code == 26 /* SQLITE_NOTADB */);
}
} // namespace

LagHistoryStore::LagHistoryStore(QString path, std::shared_ptr<LagHistoryShared> shared,
                                 int retentionDays)
    : m_path(std::move(path))
    , m_connectionName(QStringLiteral("repldesk-laghistory-%1").arg(g_connections.fetch_add(1)))
    , m_shared(std::move(shared))
    , m_retentionDays(retentionDays)
    , m_writeTimer(this) // children: they move to the store thread with it
    , m_retentionTimer(this)
{
    m_writeTimer.setSingleShot(true);
    connect(&m_writeTimer, &QTimer::timeout, this, &LagHistoryStore::writeBuffer);
    m_retentionTimer.setInterval(RetentionEveryMs);
    connect(&m_retentionTimer, &QTimer::timeout, this, &LagHistoryStore::startPurge);
}

LagHistoryStore::~LagHistoryStore()
{
    close();
}

// ---- connection and schema ----------------------------------------------------------------

void LagHistoryStore::open()
{
    m_shared->storeThread = QThread::currentThreadId();
    if (!openFile()) {
        giveUp();
        return;
    }
    m_open = true;
    qCInfo(lcHistory) << "lag history in" << m_path << "series:" << m_seriesIds.size();
    m_retentionTimer.start();
    startPurge();
    samplesPending(); // anything appended while the file was being opened
}

bool LagHistoryStore::openFile()
{
    const QString dir = QFileInfo(m_path).absolutePath();
    if (!QDir().mkpath(dir)) {
        setError(QStringLiteral("cannot create the folder %1 for the lag history").arg(dir));
        return false;
    }
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    m_db.setDatabaseName(m_path);
    m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!m_db.open()) {
        fail(QStringLiteral("open"), m_db.lastError(), true);
        return false;
    }
    // The first statement also finds out whether the file is a database at all.
    QSqlQuery version(m_db);
    if (!version.exec(QStringLiteral("PRAGMA user_version")) || !version.next()) {
        fail(QStringLiteral("open"), version.lastError(), true);
        return false;
    }
    const int v = version.value(0).toInt();
    version.finish();
    if (v > SchemaVersion) {
        setError(QStringLiteral("the lag history %1 has schema %2, newer than this ReplDesk (%3)")
                     .arg(m_path)
                     .arg(v)
                     .arg(SchemaVersion));
        return false;
    }
    // Pages that retention frees can be given back to the file system. SQLite takes this only
    // before the first table and before the switch to WAL; on any other file it does nothing.
    if (v == 0 && !exec(QStringLiteral("PRAGMA auto_vacuum=INCREMENTAL")))
        return false;
    QSqlQuery mode(m_db); // answers with the mode in effect
    if (!mode.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !mode.next()) {
        fail(QStringLiteral("open"), mode.lastError(), true);
        return false;
    }
    if (mode.value(0).toString().compare(QStringLiteral("wal"), Qt::CaseInsensitive) != 0)
        qCWarning(lcHistory) << "lag history" << m_path << "is not in WAL mode but"
                             << mode.value(0).toString();
    mode.finish();
    if (!exec(QStringLiteral("PRAGMA synchronous=NORMAL")))
        return false;
    if (v == 0 && !createSchema())
        return false;
    return loadSeries() &&
           prepare(m_insert, QStringLiteral("INSERT OR REPLACE INTO samples(series, t, leader, "
                                            "applied, behind, secs, running, err) "
                                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) &&
           prepare(m_insertSeries,
                   QStringLiteral("INSERT INTO series(server, database) VALUES (?, ?)")) &&
           prepare(m_first, QStringLiteral("SELECT t FROM samples WHERE series = ? AND t >= ? "
                                           "ORDER BY t LIMIT 1")) &&
           prepare(m_last, QStringLiteral(
                               "SELECT t FROM samples WHERE series = ? ORDER BY t DESC LIMIT 1"));
}

// Schema 1. Server and database names are interned into `series` (a follower's id is a
// 36-character UUID: 38 bytes a sample in the file instead of 85, measured for 100 servers
// over an hour). The primary key (series, t) is the index of every range read, and rows of one
// series lie together in a WITHOUT ROWID table.
bool LagHistoryStore::createSchema()
{
    if (!exec(QStringLiteral("BEGIN IMMEDIATE")))
        return false;
    const bool ok =
        exec(QStringLiteral("CREATE TABLE IF NOT EXISTS series (id INTEGER PRIMARY KEY, "
                            "server TEXT NOT NULL, database TEXT NOT NULL, "
                            "UNIQUE (server, database))")) &&
        exec(QStringLiteral("CREATE TABLE IF NOT EXISTS samples (series INTEGER NOT NULL, "
                            "t INTEGER NOT NULL, leader INTEGER NOT NULL, "
                            "applied INTEGER NOT NULL, behind INTEGER NOT NULL, "
                            "secs REAL NOT NULL, running INTEGER NOT NULL, err INTEGER NOT NULL, "
                            "PRIMARY KEY (series, t)) WITHOUT ROWID")) &&
        exec(QStringLiteral("PRAGMA user_version=%1").arg(SchemaVersion)) &&
        exec(QStringLiteral("COMMIT"));
    if (!ok)
        exec(QStringLiteral("ROLLBACK"));
    return ok;
}

bool LagHistoryStore::loadSeries()
{
    m_seriesIds.clear();
    m_seriesByServer.clear();
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.prepare(QStringLiteral("SELECT id, server, database FROM series")) || !exec(q)) {
        fail(QStringLiteral("read series"), q.lastError(), true);
        return false;
    }
    while (q.next()) {
        Series s{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString()};
        m_seriesIds.insert({s.server, s.database}, s.id);
        m_seriesByServer[s.server].append(s);
    }
    for (QList<Series> &list : m_seriesByServer) // by database as QString orders (not SQLite)
        std::sort(list.begin(), list.end(),
                  [](const Series &a, const Series &b) { return a.database < b.database; });
    return true;
}

void LagHistoryStore::close()
{
    m_insert.reset();
    m_insertSeries.reset();
    m_first.reset();
    m_last.reset();
    m_open = false;
    if (m_db.isValid()) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

// From here on without history. The connection closes once no job holds a statement of it
// (jobs see m_open false and finish at their next step).
void LagHistoryStore::giveUp()
{
    m_open = false;
    m_shared->disabled = true;
    {
        QMutexLocker lock(&m_shared->mutex);
        m_shared->buffer.clear(); // nothing will store them
    }
    m_writeTimer.stop();
    m_retentionTimer.stop();
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (m_jobs.empty() && !m_inStep)
                close();
        },
        Qt::QueuedConnection);
}

void LagHistoryStore::setError(const QString &message)
{
    qCWarning(lcHistory).noquote() << message << "- running without lag history where needed";
    QMutexLocker lock(&m_shared->mutex);
    m_shared->lastError = message;
}

void LagHistoryStore::fail(const QString &what, const QSqlError &error, bool disable)
{
    const QString text =
        QStringLiteral("lag history %1 (%2): %3").arg(m_path, what, error.text().trimmed());
    if (disable || fatalCode(error)) {
        setError(text);
        giveUp();
        return;
    }
    // Perhaps passing (a full disk): logged when it changes and every 60th time.
    ++m_writeFailures;
    if (text != m_lastWriteError || m_writeFailures % 60 == 0)
        qCWarning(lcHistory).noquote() << text << "(failure" << m_writeFailures << ")";
    m_lastWriteError = text;
    QMutexLocker lock(&m_shared->mutex);
    m_shared->lastError = text;
}

bool LagHistoryStore::prepare(std::optional<QSqlQuery> &q, const QString &sql)
{
    q.emplace(m_db);
    q->setForwardOnly(true);
    if (q->prepare(sql))
        return true;
    fail(QStringLiteral("prepare"), q->lastError(), true);
    return false;
}

bool LagHistoryStore::exec(QSqlQuery &q)
{
    Q_ASSERT(QThread::currentThread() == thread()); // never SQLite on the caller's thread
    m_shared->sqlThread = QThread::currentThreadId();
    return q.exec();
}

bool LagHistoryStore::exec(const QString &sql)
{
    Q_ASSERT(QThread::currentThread() == thread());
    m_shared->sqlThread = QThread::currentThreadId();
    QSqlQuery q(m_db);
    if (q.exec(sql))
        return true;
    fail(sql.left(40), q.lastError(), !m_open);
    return false;
}

// ---- writing ----------------------------------------------------------------------------

void LagHistoryStore::samplesPending()
{
    if (m_writeTimer.isActive() || m_closed)
        return;
    const qint64 since = m_sinceWrite.isValid() ? m_sinceWrite.elapsed() : WriteIntervalMs;
    m_writeTimer.start(
        int(std::clamp<qint64>(WriteIntervalMs - since, MinCoalesceMs, WriteIntervalMs)));
}

void LagHistoryStore::writeBuffer()
{
    m_writeTimer.stop();
    QList<LagSample> batch;
    quint64 dropped = 0;
    {
        QMutexLocker lock(&m_shared->mutex);
        batch.swap(m_shared->buffer);
        m_shared->buffer.reserve(qMin<qsizetype>(batch.size(), 1024)); // not a burst's worth
        m_shared->wakePosted = false;
        dropped = m_shared->dropped;
    }
    if (dropped > m_droppedReported) {
        qCWarning(lcHistory).noquote()
            << QStringLiteral("%1 lag samples dropped: the history store fell behind (%2 in all)")
                   .arg(dropped - m_droppedReported)
                   .arg(dropped);
        m_droppedReported = dropped;
    }
    m_sinceWrite.start();
    if (batch.isEmpty() || !m_open)
        return;
    if (!exec(QStringLiteral("BEGIN IMMEDIATE")))
        return;
    bool ok = true;
    for (const LagSample &s : std::as_const(batch)) {
        const qint64 series =
            seriesId(s.server, s.database.isEmpty() ? QStringLiteral("_system") : s.database);
        if (series <= 0) {
            ok = false;
            break;
        }
        QSqlQuery &q = *m_insert;
        q.bindValue(0, series);
        q.bindValue(1, s.timeMs);
        q.bindValue(2, qint64(s.leaderTick)); // ticks stay below 2^63; the bits round-trip
        q.bindValue(3, qint64(s.appliedTick));
        q.bindValue(4, qint64(s.ticksBehind));
        q.bindValue(5, s.secondsBehind);
        q.bindValue(6, int(s.running));
        q.bindValue(7, s.errorNum);
        if (!exec(q)) {
            fail(QStringLiteral("write %1 samples").arg(batch.size()), q.lastError(), false);
            ok = false;
            break;
        }
    }
    if (!m_open)
        return; // given up: the connection is closing
    if (ok && exec(QStringLiteral("COMMIT")))
        return;
    // The batch is lost: keeping it for a retry would hold ever more in memory on a full disk.
    QSqlQuery(m_db).exec(QStringLiteral("ROLLBACK"));
    loadSeries(); // forget series ids the rollback took back
}

qint64 LagHistoryStore::seriesId(const QString &server, const QString &database)
{
    const auto key = std::make_pair(server, database);
    if (const auto it = m_seriesIds.constFind(key); it != m_seriesIds.constEnd())
        return *it;
    QSqlQuery &q = *m_insertSeries;
    q.bindValue(0, server);
    q.bindValue(1, database);
    if (!exec(q)) {
        fail(QStringLiteral("add series %1/%2").arg(server, database), q.lastError(), false);
        return -1;
    }
    const qint64 id = q.lastInsertId().toLongLong();
    m_seriesIds.insert(key, id);
    QList<Series> &list = m_seriesByServer[server];
    const auto at =
        std::lower_bound(list.begin(), list.end(), database,
                         [](const Series &s, const QString &d) { return s.database < d; });
    list.insert(at, Series{id, server, database});
    return id;
}

void LagHistoryStore::flush(LagHistoryReply *reply)
{
    writeBuffer();
    answer(reply);
}

void LagHistoryStore::span(std::shared_ptr<std::pair<qint64, qint64>> out, LagHistoryReply *reply)
{
    qint64 first = 0, last = 0;
    bool any = false;
    if (m_open) {
        for (auto it = m_seriesIds.constBegin(); it != m_seriesIds.constEnd(); ++it) {
            QSqlQuery &f = *m_first;
            f.bindValue(0, *it);
            f.bindValue(1, std::numeric_limits<qint64>::min());
            if (!exec(f)) {
                fail(QStringLiteral("span"), f.lastError(), false);
                break;
            }
            if (!f.next()) {
                f.finish();
                continue; // a series whose samples all went
            }
            const qint64 a = f.value(0).toLongLong();
            f.finish();
            QSqlQuery &l = *m_last;
            l.bindValue(0, *it);
            if (!exec(l) || !l.next()) {
                fail(QStringLiteral("span"), l.lastError(), false);
                break;
            }
            const qint64 b = l.value(0).toLongLong();
            l.finish();
            first = any ? qMin(first, a) : a;
            last = any ? qMax(last, b) : b;
            any = true;
        }
    }
    *out = {first, last};
    answer(reply);
}

void LagHistoryStore::answer(LagHistoryReply *reply)
{
    if (!reply)
        return;
    Q_EMIT reply->ready();
    delete reply;
}

void LagHistoryStore::shutdown()
{
    m_retentionTimer.stop();
    writeBuffer();
    m_closed = true;
    for (Job &j : m_jobs)
        j.drop();
    m_jobs.clear();
    close();
}

// ---- jobs ---------------------------------------------------------------------------------

void LagHistoryStore::enqueue(Job job)
{
    m_jobs.push_back(std::move(job));
    if (!m_pumpPosted) {
        m_pumpPosted = true;
        QMetaObject::invokeMethod(this, &LagHistoryStore::pump, Qt::QueuedConnection);
    }
}

// One step of the oldest job, which then goes to the back: jobs take turns, and the write
// timer and new requests get the thread between any two steps.
void LagHistoryStore::pump()
{
    m_pumpPosted = false;
    if (m_jobs.empty() || m_closed)
        return;
    {
        Job job = std::move(m_jobs.front());
        m_jobs.pop_front();
        m_inStep = true;
        const bool finished = job.step();
        m_inStep = false;
        if (!finished)
            m_jobs.push_back(std::move(job));
    } // a finished job's statements are gone here
    if (m_jobs.empty() && !m_open)
        close();
    if (!m_jobs.empty() && !m_pumpPosted) {
        m_pumpPosted = true;
        QMetaObject::invokeMethod(this, &LagHistoryStore::pump, Qt::QueuedConnection);
    }
}

} // namespace repl::gui::detail
