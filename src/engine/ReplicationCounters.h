#pragma once

#include <QtGlobal>

#include <atomic>
#include <chrono>

namespace repl {

// Process-wide counters of the pullers (appliers tailing a leader's log, syncers dumping its
// collections), summed over every database, for /_admin/metrics/v2. They count what
// ArangoDB's arangodb_replication_* counters count, under the same meaning. Relaxed atomics:
// bumped on the applier thread without a lock, read by any thread; a reader may see one
// counter a step ahead of another.
struct ReplicationCounters
{
    using Counter = std::atomic<quint64>;

    // Syncer (dump requests of a sync or an automatic resync).
    Counter dumpRequests{0};
    Counter dumpBytesReceived{0};
    Counter dumpDocuments{0};
    Counter dumpRequestMicros{0}; // waiting for dump answers
    Counter dumpApplyMicros{0};   // storing dumped documents (copy jobs on the writer)

    // Applier (logger-follow requests and the write jobs applying what they brought).
    Counter tailingRequests{0};
    Counter tailingFollowTickFailures{0}; // the leader no longer had the tick asked for
    Counter tailingMarkers{0};            // log events received
    Counter tailingDocuments{0};          // inserts and replaces applied
    Counter tailingRemovals{0};
    Counter tailingBytesReceived{0};
    Counter tailingRequestMicros{0}; // includes a repldesk leader's long-poll wait
    Counter tailingApplyMicros{0};

    // Either: a leader that gave no HTTP answer (refused, timed out, TLS refused).
    Counter failedConnects{0};

    static void add(Counter &c, qint64 n)
    {
        if (n > 0)
            c.fetch_add(quint64(n), std::memory_order_relaxed);
    }
    static void addMs(Counter &c, qint64 ms) { add(c, ms * 1000); }
    static void addElapsed(Counter &c, std::chrono::steady_clock::duration d)
    {
        add(c, std::chrono::duration_cast<std::chrono::microseconds>(d).count());
    }
    static quint64 read(const Counter &c) { return c.load(std::memory_order_relaxed); }
};

} // namespace repl
