#pragma once

// The copy side of a staged sync, shared by Syncer.cpp (the protocol: server-id, inventory,
// dump requests, swap) and SyncerCopy.cpp (parsing dump chunks, the feeder, copy jobs).
#include "engine/Syncer.h"

#include "core/DumpLine.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

namespace repl {

struct Syncer::Item
{
    QString name;     // the collection these documents belong to
    QByteArray chunk; // the dump response the fast path's views point into
    struct Doc
    {
        bool sliced = false; // a repldesk leader's line: `fast` holds views into `chunk`
        DumpRecord fast;
        // Any other leader: the parsed line.
        QString key;
        QByteArray rev;
        QJsonObject data;
    };
    std::vector<Doc> docs;
};

struct Syncer::Batch
{
    std::shared_ptr<const Item> item;
    size_t begin = 0, end = 0;
    qint64 releasesBytes = 0; // the chunk's size, on its last batch
};

// Parsed documents waiting for the writer, shared by this thread (which adds) and the copy
// jobs (which take, and queue their successor while there is more).
struct Syncer::Feeder
{
    std::mutex mutex;
    std::deque<Batch> batches;
    bool running = false; // a copy job is queued or running
    bool stopped = false; // failed or destroyed: no job takes or queues anything more
    qint64 queued = 0;    // copy jobs queued so far
};

// What one copy job did, read by its completion on this thread.
struct Syncer::JobReport
{
    qint64 stored = 0;
    qint64 released = 0;                        // dump bytes whose documents are all stored
    std::chrono::steady_clock::duration took{}; // storing them (the dump apply time)
};

namespace syncer {
constexpr qint64 DumpChunk = 8 * 1024 * 1024;
// One copy job stores at most JobDocs documents and stops early once it has held the writer
// for JobBudget, so a write to another database waits that long at most, whatever the
// documents' size. Only one copy job is ever queued: each queues its successor from the
// writer thread before it ends, so the writer never waits for this thread between two jobs.
constexpr size_t JobDocs = 4000;
constexpr size_t BatchDocs = 1000; // the feeder's slices
constexpr auto JobBudget = std::chrono::milliseconds(8);
// Dump bytes parsed ahead of the writer before the next dump request waits.
constexpr qint64 ReadAhead = 2 * DumpChunk;

} // namespace syncer

} // namespace repl
