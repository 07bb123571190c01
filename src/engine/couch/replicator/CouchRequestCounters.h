#pragma once

#include <QByteArray>
#include <QString>

#include <array>
#include <atomic>

namespace repl {

// Where CouchDB replication jobs spend their time, by the kind of request they send: how many,
// how long each waited for its answer (sent → answered, retries counted apart), and how long
// the replication thread then spent on the answer (parsing, building the next request). Summed
// over every job of the process, for /_admin/metrics/v2 and the benchmarks' per-phase shares.
// Several batches are in flight at once, so waits overlap: shares of the summed waits say
// which request holds a run up, not how a run's wall time divides.
// Relaxed atomics: bumped on the replication thread, read by any thread.
class CouchRequestCounters
{
public:
    enum Kind
    {
        Changes,    // GET/POST _changes (a continuous job's long-poll waits count too)
        RevsDiff,   // POST _revs_diff
        BulkGet,    // POST _bulk_get
        AllDocs,    // POST _all_docs?include_docs (the fallback for first generations)
        OpenRevs,   // GET {docid}?open_revs (the fallback of the fallbacks)
        BulkDocs,   // POST _bulk_docs new_edits=false
        Checkpoint, // _local documents and _ensure_full_commit
        Other,      // the databases themselves, design documents
        KindCount
    };

    static Kind kindOf(const QByteArray &method, const QString &path)
    {
        if (path == u"/_changes")
            return Changes;
        if (path == u"/_revs_diff")
            return RevsDiff;
        if (path == u"/_bulk_get")
            return BulkGet;
        if (path == u"/_all_docs")
            return AllDocs;
        if (path == u"/_bulk_docs")
            return BulkDocs;
        if (path.startsWith(u"/_local/") || path == u"/_ensure_full_commit")
            return Checkpoint;
        if (method == "GET" && path.size() > 1 && !path.startsWith(u"/_"))
            return OpenRevs;
        return Other;
    }

    // The label written in the metrics: the request's own name.
    static const char *name(Kind k)
    {
        static constexpr const char *Names[KindCount] = {"_changes",   "_revs_diff", "_bulk_get",
                                                         "_all_docs",  "open_revs",  "_bulk_docs",
                                                         "checkpoint", "other"};
        return Names[k];
    }

    void record(Kind k, qint64 waitMicros, qint64 handleMicros)
    {
        PerKind &p = m_kinds[size_t(k)];
        p.requests.fetch_add(1, std::memory_order_relaxed);
        p.waitMicros.fetch_add(quint64(qMax<qint64>(0, waitMicros)), std::memory_order_relaxed);
        p.handleMicros.fetch_add(quint64(qMax<qint64>(0, handleMicros)), std::memory_order_relaxed);
    }

    struct Figures
    {
        quint64 requests = 0;
        quint64 waitMicros = 0;
        quint64 handleMicros = 0;
    };
    Figures figures(Kind k) const
    {
        const PerKind &p = m_kinds[size_t(k)];
        return {p.requests.load(std::memory_order_relaxed),
                p.waitMicros.load(std::memory_order_relaxed),
                p.handleMicros.load(std::memory_order_relaxed)};
    }

private:
    struct PerKind
    {
        std::atomic<quint64> requests{0};
        std::atomic<quint64> waitMicros{0};
        std::atomic<quint64> handleMicros{0};
    };
    std::array<PerKind, KindCount> m_kinds;
};

} // namespace repl
