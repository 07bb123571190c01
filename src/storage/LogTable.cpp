#include "storage/LogTable.h"

#include "storage/Connection.h"
#include "storage/RawQuery.h"

#include "core/Error.h"

#include <sqlite3.h>

#include <QVariant>

namespace repl::storage {

namespace {
qint64 clampTick(Tick t)
{
    return qint64(qMin<Tick>(t, Tick(std::numeric_limits<qint64>::max())));
}
} // namespace

void LogTable::append(Tick tick, qint64 db, bool system, const QByteArray &line)
{
    RawQuery q(m_conn, "INSERT INTO log(tick, db, sys, line) VALUES(?1, ?2, ?3, ?4)");
    q.bind(1, qint64(tick));
    q.bind(2, db);
    q.bind(3, system ? 1 : 0);
    q.bind(4, line);
    q.exec();
}

LogStats LogTable::stats(qint64 db)
{
    QSqlQuery &q =
        m_conn.prepared("SELECT count(*), coalesce(sum(length(line)),0), coalesce(min(tick),0), "
                        "coalesce(max(tick),0) FROM log WHERE db=?");
    q.bindValue(0, db);
    execOrThrow(q);
    LogStats s;
    if (q.next())
        s = {q.value(0).toLongLong(), q.value(1).toLongLong(), Tick(q.value(2).toLongLong()),
             Tick(q.value(3).toLongLong())};
    q.finish();
    return s;
}

void LogTable::scan(qint64 db, Tick from, Tick to, bool includeSystem, const LineFn &fn)
{
    sqlite3_stmt *stmt = includeSystem
                             ? m_conn.rawStatement("SELECT tick, line FROM log WHERE db=?1 AND "
                                                   "tick>?2 AND tick<=?3 ORDER BY tick")
                             : m_conn.rawStatement("SELECT tick, line FROM log WHERE db=?1 AND "
                                                   "tick>?2 AND tick<=?3 AND sys=0 ORDER BY tick");
    // Reset on every exit, so the read snapshot is released at once (WAL checkpoints).
    struct Reset
    {
        sqlite3_stmt *s;
        ~Reset() { sqlite3_reset(s); }
    } reset{stmt};
    sqlite3_bind_int64(stmt, 1, db);
    sqlite3_bind_int64(stmt, 2, clampTick(from));
    sqlite3_bind_int64(stmt, 3, clampTick(to));
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        const auto *data = static_cast<const char *>(sqlite3_column_blob(stmt, 1));
        const int size = sqlite3_column_bytes(stmt, 1);
        if (!fn(Tick(sqlite3_column_int64(stmt, 0)), QByteArrayView(data, size)))
            return;
    }
    if (rc != SQLITE_DONE)
        throw Error::internal(QStringLiteral("storage error (log scan): %1")
                                  .arg(QString::fromUtf8(sqlite3_errstr(rc))));
}

Tick LogTable::prune(qint64 db, qint64 maxEvents, qint64 maxBytes, LogStats &stats)
{
    qint64 dropCount = 0;
    qint64 dropBytes = 0;
    Tick cut = 0;
    auto over = [&] {
        return (maxEvents > 0 && stats.count - dropCount > maxEvents) ||
               (maxBytes > 0 && stats.bytes - dropBytes > maxBytes);
    };
    if (!over())
        return 0;
    QSqlQuery &q = m_conn.prepared("SELECT tick, length(line) FROM log WHERE db=? ORDER BY tick");
    q.bindValue(0, db);
    execOrThrow(q);
    while (over() && q.next()) {
        cut = Tick(q.value(0).toLongLong());
        ++dropCount;
        dropBytes += q.value(1).toLongLong();
    }
    // Ticks are server-wide: the first one kept is the next row, not cut + 1.
    const Tick firstKept = q.next() ? Tick(q.value(0).toLongLong()) : 0;
    q.finish();
    if (cut == 0)
        return 0;
    QSqlQuery &d = m_conn.prepared("DELETE FROM log WHERE db=? AND tick<=?");
    d.bindValue(0, db);
    d.bindValue(1, qint64(cut));
    execOrThrow(d);
    stats.count -= dropCount;
    stats.bytes -= dropBytes;
    stats.first = firstKept;
    return cut;
}

} // namespace repl::storage
