#pragma once

#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

struct sqlite3;
struct sqlite3_stmt;

namespace repl::storage {

enum class SyncMode
{
    Normal, // WAL + synchronous=NORMAL: a commit survives a process crash (kill -9)
    Full,   // synchronous=FULL: a commit also survives power loss
};

// One SQLite connection (Qt SQL) with a cache of prepared statements. A connection belongs
// to the thread that opened it and must only be used and destroyed there.
class Connection final
{
public:
    Connection(QString path, SyncMode mode, bool readOnly);
    ~Connection();
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    // Opens the file and applies the pragmas; throws repl::Error on failure.
    void open();
    const QString &path() const { return m_path; }

    // A prepared statement, cached by the address of its SQL text (use string literals).
    QSqlQuery &prepared(const char *sql);
    void exec(const QString &sql);

    // Hot read paths (follow) step SQLite directly on this connection's handle, skipping the
    // QVariant per column. Cached like prepared(); the caller must sqlite3_reset() it.
    sqlite3_stmt *rawStatement(const char *sql);

    // Gives back the page cache's unused pages (sqlite3_db_release_memory): a writer's 64 MiB
    // would otherwise stay for the life of the process after one big load.
    void releaseMemory();
    // True inside a transaction (BEGIN … COMMIT), false in autocommit.
    bool inTransaction();
    void begin(bool immediate);
    void commit();
    void rollback();
    void savepoint();
    void releaseSavepoint();
    void rollbackToSavepoint();

private:
    sqlite3 *handle();

    QString m_path;
    QString m_name;
    SyncMode m_mode;
    bool m_readOnly;
    QSqlDatabase m_db;
    QHash<const char *, QSqlQuery *> m_statements;
    QHash<const char *, sqlite3_stmt *> m_rawStatements;
};

// Several reads of one request as one read transaction: they see one snapshot of the
// database, and SQLite takes and drops its locks once instead of at every statement (a
// _revs_diff of 2000 ids ran 2000 implicit transactions). Inside an open transaction it does
// nothing. Keep it short: a reader's snapshot holds back the WAL checkpoint.
class ReadSnapshot final
{
public:
    explicit ReadSnapshot(Connection &connection);
    ~ReadSnapshot();
    ReadSnapshot(const ReadSnapshot &) = delete;
    ReadSnapshot &operator=(const ReadSnapshot &) = delete;

private:
    Connection *m_connection = nullptr; // null: nested in another transaction
};

// Executes a prepared query, throwing repl::Error (500) with SQLite's text on failure.
void execOrThrow(QSqlQuery &query);

} // namespace repl::storage
