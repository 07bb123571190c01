#pragma once

#include "storage/Connection.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <sqlite3.h>

namespace repl::storage {

// A cached statement used through SQLite's own API for the hot paths (document rows, log
// lines), where Qt SQL's per-value QVariant binding dominated the profile. Reset on
// destruction so no read snapshot or statement lock outlives its use.
class RawQuery final
{
public:
    RawQuery(Connection &conn, const char *sql)
        : m_stmt(conn.rawStatement(sql))
    {}
    ~RawQuery()
    {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
    RawQuery(const RawQuery &) = delete;
    RawQuery &operator=(const RawQuery &) = delete;

    void bind(int index, qint64 v) { check(sqlite3_bind_int64(m_stmt, index, v)); }
    void bind(int index, QByteArrayView v) { blob(index, v, SQLITE_TRANSIENT); }
    void bindText(int index, QByteArrayView utf8) { text(index, utf8, SQLITE_TRANSIENT); }
    // Without a copy: the bytes must stay valid until this RawQuery is destroyed.
    void bindView(int index, QByteArrayView v) { blob(index, v, SQLITE_STATIC); }
    void bindTextView(int index, QByteArrayView utf8) { text(index, utf8, SQLITE_STATIC); }
    void bindText(int index, const QString &v) { text(index, v.toUtf8(), SQLITE_TRANSIENT); }

    // true while there is a row; throws on errors.
    bool step()
    {
        const int rc = sqlite3_step(m_stmt);
        if (rc == SQLITE_ROW)
            return true;
        if (rc == SQLITE_DONE)
            return false;
        fail(rc);
    }
    void exec()
    {
        while (step()) {
        }
    }

    // Rows changed by the last INSERT/UPDATE/DELETE on this connection.
    qint64 changes() const { return sqlite3_changes64(sqlite3_db_handle(m_stmt)); }

    qint64 int64(int col) const { return sqlite3_column_int64(m_stmt, col); }
    QByteArrayView view(int col) const
    {
        const void *p = sqlite3_column_blob(m_stmt, col);
        return {static_cast<const char *>(p), sqlite3_column_bytes(m_stmt, col)};
    }
    QByteArray bytes(int col) const { return view(col).toByteArray(); }
    QString text(int col) const { return QString::fromUtf8(view(col)); }

private:
    void blob(int index, QByteArrayView v, sqlite3_destructor_type lifetime)
    {
        check(sqlite3_bind_blob64(m_stmt, index, v.data() ? v.data() : "", sqlite3_uint64(v.size()),
                                  lifetime));
    }
    void text(int index, QByteArrayView utf8, sqlite3_destructor_type lifetime)
    {
        check(sqlite3_bind_text64(m_stmt, index, utf8.data() ? utf8.data() : "",
                                  sqlite3_uint64(utf8.size()), lifetime, SQLITE_UTF8));
    }
    void check(int rc)
    {
        if (rc != SQLITE_OK)
            fail(rc);
    }
    [[noreturn]] void fail(int rc);

    sqlite3_stmt *m_stmt;
};

} // namespace repl::storage
