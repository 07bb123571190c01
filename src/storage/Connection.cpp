#include "storage/Connection.h"
#include "storage/RawQuery.h"

#include "core/Error.h"

#include <QAtomicInteger>
#include <QLoggingCategory>
#include <QSqlDriver>
#include <QSqlError>

#include <sqlite3.h>

Q_LOGGING_CATEGORY(lcStorage, "repldesk.storage", QtInfoMsg)

namespace repl::storage {

namespace {
QAtomicInteger<quint64> g_connectionCounter;

[[noreturn]] void throwSql(const QString &what, const QSqlError &err)
{
    throw Error::internal(QStringLiteral("storage error (%1): %2").arg(what, err.text()));
}
} // namespace

Connection::Connection(QString path, SyncMode mode, bool readOnly)
    : m_path(std::move(path))
    , m_name(QStringLiteral("repldesk-%1").arg(g_connectionCounter.fetchAndAddRelaxed(1)))
    , m_mode(mode)
    , m_readOnly(readOnly)
{}

Connection::~Connection()
{
    qDeleteAll(m_statements);
    m_statements.clear();
    for (sqlite3_stmt *stmt : std::as_const(m_rawStatements))
        sqlite3_finalize(stmt);
    m_rawStatements.clear();
    if (m_db.isValid()) {
        m_db.close();
        m_db = QSqlDatabase();
    }
    QSqlDatabase::removeDatabase(m_name);
}

void Connection::open()
{
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
    m_db.setDatabaseName(m_path);
    // Busy timeout: a reader may meet a checkpoint; the writer is the only writer.
    m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    if (!m_db.open())
        throwSql(QStringLiteral("open %1").arg(m_path), m_db.lastError());
    exec(QStringLiteral("PRAGMA journal_mode=WAL"));
    exec(m_mode == SyncMode::Full ? QStringLiteral("PRAGMA synchronous=FULL")
                                  : QStringLiteral("PRAGMA synchronous=NORMAL"));
    exec(QStringLiteral("PRAGMA foreign_keys=OFF"));
    // Page caches: 64 MiB for the one writer, 4 MiB for each reader. A server has about a
    // dozen readers; at 64 MiB each a CouchDB replication of 200k documents peaked at 330-437
    // MiB in the source, and at 1M documents (with freed memory handed back) 8 MiB readers
    // peaked at 202-256 MiB, 4 MiB ones at 165-209. What readers read again is in the OS's page
    // cache anyway: bench_couch_replication and bench_replication's rates stayed within noise.
    exec(m_readOnly ? QStringLiteral("PRAGMA cache_size=-4096")
                    : QStringLiteral("PRAGMA cache_size=-65536"));
    exec(QStringLiteral("PRAGMA temp_store=MEMORY"));
    if (m_readOnly)
        exec(QStringLiteral("PRAGMA query_only=ON"));
    else
        exec(QStringLiteral("PRAGMA wal_autocheckpoint=4000"));
}

QSqlQuery &Connection::prepared(const char *sql)
{
    auto it = m_statements.constFind(sql);
    if (it != m_statements.constEnd())
        return **it;
    auto *q = new QSqlQuery(m_db);
    q->setForwardOnly(true);
    if (!q->prepare(QString::fromUtf8(sql))) {
        const QSqlError err = q->lastError();
        delete q;
        throwSql(QStringLiteral("prepare"), err);
    }
    m_statements.insert(sql, q);
    return *q;
}

sqlite3 *Connection::handle()
{
    const QVariant handle = m_db.driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        throw Error::internal(QStringLiteral("storage error: no native SQLite handle"));
    return *static_cast<sqlite3 *const *>(handle.constData());
}

void Connection::releaseMemory()
{
    sqlite3_db_release_memory(handle());
}

bool Connection::inTransaction()
{
    return sqlite3_get_autocommit(handle()) == 0;
}

sqlite3_stmt *Connection::rawStatement(const char *sql)
{
    if (sqlite3_stmt *cached = m_rawStatements.value(sql))
        return cached;
    sqlite3 *db = handle();
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK)
        throw Error::internal(QStringLiteral("storage error (prepare): %1")
                                  .arg(QString::fromUtf8(sqlite3_errmsg(db))));
    m_rawStatements.insert(sql, stmt);
    return stmt;
}

void Connection::exec(const QString &sql)
{
    QSqlQuery q(m_db);
    if (!q.exec(sql))
        throwSql(sql, q.lastError());
}

void Connection::begin(bool immediate)
{
    execOrThrow(immediate ? prepared("BEGIN IMMEDIATE") : prepared("BEGIN"));
}

void Connection::commit()
{
    execOrThrow(prepared("COMMIT"));
}

ReadSnapshot::ReadSnapshot(Connection &connection)
{
    if (connection.inTransaction())
        return;
    connection.begin(false);
    m_connection = &connection;
}

ReadSnapshot::~ReadSnapshot()
{
    if (!m_connection)
        return;
    // A read transaction has nothing to keep. Should COMMIT fail anyway, ROLLBACK ends it
    // (rollback() logs its own failure).
    try {
        m_connection->commit();
    } catch (const std::exception &) {
        m_connection->rollback();
    }
}

void Connection::rollback()
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("ROLLBACK")))
        qCWarning(lcStorage) << "rollback failed on" << m_path << q.lastError().text();
}

void Connection::savepoint()
{
    execOrThrow(prepared("SAVEPOINT job"));
}
void Connection::releaseSavepoint()
{
    execOrThrow(prepared("RELEASE SAVEPOINT job"));
}
void Connection::rollbackToSavepoint()
{
    execOrThrow(prepared("ROLLBACK TO SAVEPOINT job"));
    execOrThrow(prepared("RELEASE SAVEPOINT job"));
}

void execOrThrow(QSqlQuery &query)
{
    if (!query.exec())
        throwSql(query.lastQuery(), query.lastError());
}

void RawQuery::fail(int rc)
{
    const char *msg = sqlite3_errmsg(sqlite3_db_handle(m_stmt));
    throw Error::internal(QStringLiteral("storage error (%1): %2")
                              .arg(QString::fromUtf8(sqlite3_sql(m_stmt)),
                                   QString::fromUtf8(msg ? msg : sqlite3_errstr(rc))));
}

} // namespace repl::storage
