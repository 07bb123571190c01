#pragma once

#include "core/Tick.h"

#include <QByteArray>

#include <functional>

namespace repl::storage {

class Connection;

struct LogStats
{
    qint64 count = 0;
    qint64 bytes = 0;
    Tick first = 0;
    Tick last = 0;
};

// The replication log: one ready-to-send line ('\n' included) per event and tick.
class LogTable final
{
public:
    explicit LogTable(Connection &conn)
        : m_conn(conn)
    {}

    void append(Tick tick, qint64 db, bool system, const QByteArray &line);
    LogStats stats(qint64 db);

    // Lines with from < tick <= to in tick order; the callback returns false to stop.
    using LineFn = std::function<bool(Tick tick, QByteArrayView line)>;
    void scan(qint64 db, Tick from, Tick to, bool includeSystem, const LineFn &fn);

    // Removes the oldest events until at most maxEvents / maxBytes remain (0 = no limit).
    // Returns the highest removed tick (0 when nothing was removed) and updates `stats`.
    Tick prune(qint64 db, qint64 maxEvents, qint64 maxBytes, LogStats &stats);

private:
    Connection &m_conn;
};

} // namespace repl::storage
