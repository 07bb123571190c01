#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>

class QThread;

namespace repl::gui {

// One lag reading of one follower's applier, as the history keeps it.
struct LagSample
{
    QString server;          // ServerEntry id of the follower (see src/gui/ServerList.h)
    QString database;        // its applier's database ("_system" where none is named)
    qint64 timeMs = 0;       // UTC, ms since the epoch
    quint64 leaderTick = 0;  // the leader's newest tick known to the follower
    quint64 appliedTick = 0; // what the follower has applied
    quint64 ticksBehind = 0;
    double secondsBehind = 0;
    bool running = false; // applier running
    int errorNum = 0;     // applier's last error, 0 none

    bool operator==(const LagSample &) const = default;
};

} // namespace repl::gui

// Relocatable (QString is): a growing append buffer is moved with realloc, not element by element.
Q_DECLARE_TYPEINFO(repl::gui::LagSample, Q_RELOCATABLE_TYPE);

namespace repl::gui {

namespace detail {
class LagHistoryReply;
class LagHistoryStore;
struct LagHistoryShared;
} // namespace detail

// Lag samples kept in a local SQLite file (WAL) for a retention the operator sets, so "what
// happened overnight" can be answered for the hours the app ran.
//
// Threads: every SQLite call happens on a thread owned by this object. Its methods may be called
// from any thread and never block on SQLite (the destructor excepted: it waits for the buffered
// samples to be committed). Answers run on `receiver`'s thread as queued calls and are dropped
// when the receiver is destroyed first; a null receiver means this object. Queries and exports
// still under way when this object is destroyed are dropped unanswered.
//
// One sample per server, database and millisecond: a later one with the same time replaces it.
//
// A file that cannot be opened or is not a history (corrupt, unwritable, written by a newer
// version) is logged, `lastError()` says why, and the object keeps working without history:
// appends are dropped, queries and spans answer empty, exports fail with that error.
class LagHistory final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LagHistory)

public:
    // Opens (creates) the SQLite file on a thread of its own; nothing here touches SQLite on
    // the caller's (GUI) thread. An empty path: the default under AppDataLocation
    // ("lag-history.sqlite").
    explicit LagHistory(const QString &path = QString(), QObject *parent = nullptr);
    ~LagHistory() override; // flushes what is buffered, then stops its thread

    // Cheap on the caller's thread: buffered, written at most every second in one transaction.
    // The buffer holds at most bufferLimit() samples; beyond, the oldest are dropped (counted in
    // droppedSamples(), logged by the store thread).
    void append(const LagSample &s);

    // 1..365 (clamped), default 7; kept in QSettings key "history/retentionDays". Older rows are
    // deleted in slices on the store thread now, at every open and hourly; when that leaves over
    // a quarter of the file free, the space goes back to the file system. Each pass ends with
    // purged().
    void setRetentionDays(int days);
    int retentionDays() const;

    // Samples with fromMs <= time <= toMs of `servers` (empty: all), ordered by server then
    // time (then database). At most about `maxPoints` per server and database (<= 0: no limit):
    // longer ranges are reduced to maxPoints / 2 time buckets, each keeping its sample with the
    // largest ticksBehind and its sample with the largest secondsBehind (one when they are the
    // same), so lag peaks never vanish from a chart.
    void query(const QStringList &servers, qint64 fromMs, qint64 toMs, int maxPoints,
               QObject *receiver, std::function<void(const QList<LagSample> &)> done);

    // Every sample of the range as CSV, ordered as query(), without reduction. Header line:
    // time,server,database,leaderTick,appliedTick,ticksBehind,secondsBehind,running,errorNum
    // (time as ISO 8601 UTC with ms; running as true/false). Written to a temporary file beside
    // `path` and renamed into place when complete; `error` is empty on success, `rows` the data
    // lines written. Long exports run in slices, so appends keep being stored meanwhile.
    void exportCsv(const QString &path, const QStringList &servers, qint64 fromMs, qint64 toMs,
                   QObject *receiver, std::function<void(const QString &error, qint64 rows)> done);

    // Everything appended so far is committed when `done` runs (tests, shutdown).
    void flush(QObject *receiver, std::function<void()> done);

    // The earliest and latest sample time stored (0,0 none), for a range picker.
    void span(QObject *receiver, std::function<void(qint64 firstMs, qint64 lastMs)> done);

    // The file's last failure (open, write, retention), empty when none. Thread-safe.
    QString lastError() const;
    // The file in use (the default resolved).
    QString path() const { return m_path; }

    // Buffer cap in samples (default 200,000: over half an hour of 100 servers at 1 s).
    void setBufferLimit(qsizetype samples);
    qsizetype bufferLimit() const;
    quint64 droppedSamples() const;

    // For tests: the thread SQLite last ran on, and the store's thread.
    Qt::HANDLE lastSqlThreadId() const;
    Qt::HANDLE storeThreadId() const;

    static constexpr int DefaultRetentionDays = 7;
    static constexpr qsizetype DefaultBufferLimit = 200000;

Q_SIGNALS:
    // A retention pass finished, having deleted `rows` samples.
    void purged(qint64 rows);

private:
    // A one-shot messenger: handed to the store thread, which emits it when the answer is
    // ready; `fn` then runs on `receiver`'s thread (or never, when the receiver is gone).
    detail::LagHistoryReply *makeReply(QObject *receiver, std::function<void()> fn);

    QString m_path;
    std::shared_ptr<detail::LagHistoryShared> m_shared;
    std::atomic<int> m_retentionDays{DefaultRetentionDays};
    std::unique_ptr<QThread> m_thread;
    detail::LagHistoryStore *m_store = nullptr; // lives on m_thread, deleted when it finishes
};

} // namespace repl::gui
