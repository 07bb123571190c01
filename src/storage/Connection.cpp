#include "storage/Connection.h"

#include "core/Error.h"

#include <QAtomicInteger>
#include <QLoggingCategory>
#include <QSqlError>

Q_LOGGING_CATEGORY(lcStorage, "repldesk.storage")

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
{
}

Connection::~Connection()
{
    qDeleteAll(m_statements);
    m_statements.clear();
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
    exec(QStringLiteral("PRAGMA cache_size=-65536"));
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

void Connection::exec(const QString &sql)
{
    QSqlQuery q(m_db);
    if (!q.exec(sql))
        throwSql(sql, q.lastError());
}

void Connection::begin(bool immediate)
{
    exec(immediate ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN"));
}

void Connection::commit() { exec(QStringLiteral("COMMIT")); }

void Connection::rollback()
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("ROLLBACK")))
        qCWarning(lcStorage) << "rollback failed on" << m_path << q.lastError().text();
}

void Connection::savepoint() { exec(QStringLiteral("SAVEPOINT job")); }
void Connection::releaseSavepoint() { exec(QStringLiteral("RELEASE SAVEPOINT job")); }
void Connection::rollbackToSavepoint()
{
    exec(QStringLiteral("ROLLBACK TO SAVEPOINT job"));
    exec(QStringLiteral("RELEASE SAVEPOINT job"));
}

void execOrThrow(QSqlQuery &query)
{
    if (!query.exec())
        throwSql(query.lastQuery(), query.lastError());
}

} // namespace repl::storage
