#include "storage/LogTable.h"

#include "storage/Connection.h"

#include <QVariant>

namespace repl::storage {

namespace {
qint64 clampTick(Tick t) { return qint64(qMin<Tick>(t, Tick(std::numeric_limits<qint64>::max()))); }
} // namespace

void LogTable::append(Tick tick, qint64 db, bool system, const QByteArray &line)
{
    QSqlQuery &q = m_conn.prepared("INSERT INTO log(tick, db, sys, line) VALUES(?, ?, ?, ?)");
    q.bindValue(0, qint64(tick));
    q.bindValue(1, db);
    q.bindValue(2, system ? 1 : 0);
    q.bindValue(3, line);
    execOrThrow(q);
}

LogStats LogTable::stats(qint64 db)
{
    QSqlQuery &q = m_conn.prepared(
        "SELECT count(*), coalesce(sum(length(line)),0), coalesce(min(tick),0), "
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
    QSqlQuery &q = includeSystem
                       ? m_conn.prepared("SELECT tick, line FROM log WHERE db=? AND tick>? AND "
                                         "tick<=? ORDER BY tick")
                       : m_conn.prepared("SELECT tick, line FROM log WHERE db=? AND tick>? AND "
                                         "tick<=? AND sys=0 ORDER BY tick");
    q.bindValue(0, db);
    q.bindValue(1, clampTick(from));
    q.bindValue(2, clampTick(to));
    execOrThrow(q);
    while (q.next())
        if (!fn(Tick(q.value(0).toLongLong()), q.value(1).toByteArray()))
            break;
    q.finish();
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
