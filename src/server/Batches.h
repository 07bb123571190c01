#pragma once

#include "core/Tick.h"

#include <QHash>
#include <QMutex>
#include <QString>

#include <optional>

namespace repl::server {

// ArangoDB 3.x dump batches (POST/PUT/DELETE /_api/replication/batch): a client opens one with
// a TTL, reads inventory and dump inside it, extends and releases it. Ours hold no snapshot
// (dump reads by tick), but they remember where each collection's dump stopped, so a client
// that calls dump again with the same batchId and no `from` continues, as on ArangoDB.
// Shared by the request workers: every method locks.
class Batches final
{
public:
    struct Batch
    {
        qint64 database = 0;
        qint64 expiresMs = 0;
        Tick lastTick = 0;
        QHash<QString, Tick> dumped; // collection → last tick a dump of it included
    };

    // A new batch for `ttlSeconds`; returns its id.
    QString create(qint64 database, double ttlSeconds, Tick lastTick, qint64 nowMs);
    bool extend(const QString &id, qint64 database, double ttlSeconds, qint64 nowMs);
    bool remove(const QString &id, qint64 database);
    // The batch when it exists in `database` and has not expired.
    std::optional<Batch> find(const QString &id, qint64 database, qint64 nowMs);
    void setDumped(const QString &id, const QString &collection, Tick lastIncluded);
    int size() const;

private:
    void expire(qint64 nowMs); // with m_mutex held

    mutable QMutex m_mutex;
    QHash<QString, Batch> m_batches;
    quint64 m_next = 0;
};

} // namespace repl::server
