// The copy side of a staged sync: dump chunks parsed into documents, a feeder shared with
// the writer, and copy jobs that drain it into the staging collections (see Syncer.h).
#include "engine/SyncerParts.h"

#include "core/Error.h"
#include "core/LogEventType.h"
#include "engine/ApplyService.h"
#include "engine/DocumentService.h"
#include "engine/Engine.h"
#include "engine/SyncStaging.h"
#include "engine/WriteTxn.h"

#include <QJsonDocument>

#include <optional>

namespace repl {

using namespace syncer;

std::shared_ptr<Syncer::Item> Syncer::parseChunk(const QString &name, QByteArray body, Tick &last)
{
    auto itemPtr = std::make_shared<Item>();
    Item &item = *itemPtr;
    item.name = name;
    item.chunk = std::move(body);          // taken over, not copied
    char *const chunk = item.chunk.data(); // the fast path rewrites bytes in place
    const qsizetype size = item.chunk.size();
    item.docs.reserve(size_t(item.chunk.count('\n')) + 1);
    qsizetype start = 0;
    while (start < size) {
        qsizetype end = item.chunk.indexOf('\n', start);
        if (end < 0)
            end = size;
        const qsizetype lineStart = start;
        start = end + 1;
        if (end == lineStart)
            continue;
        Item::Doc d;
        // repldesk leaders: slice the bytes; anything else: parse.
        if (std::optional<DumpRecord> fast = sliceOwnDumpLine(chunk + lineStart, end - lineStart)) {
            d.sliced = true;
            d.fast = *fast;
            last = qMax(last, fast->tick);
            item.docs.push_back(std::move(d));
            continue;
        }
        const QJsonObject e =
            QJsonDocument::fromJson(item.chunk.sliced(lineStart, end - lineStart)).object();
        if (e.isEmpty())
            return nullptr;
        d.data = e.value(QStringLiteral("data")).toObject();
        d.key = e.value(QStringLiteral("key")).toString();
        if (d.key.isEmpty())
            d.key = d.data.value(QStringLiteral("_key")).toString();
        d.rev = e.value(QStringLiteral("rev")).toString().toUtf8();
        if (d.rev.isEmpty())
            d.rev = d.data.value(QStringLiteral("_rev")).toString().toUtf8();
        d.fast.deleted =
            e.value(QStringLiteral("type")).toInt() == int(LogEventType::DocumentRemove);
        last = qMax(last, parseTick(e.value(QStringLiteral("tick")).toString()).value_or(0));
        item.docs.push_back(std::move(d));
    }
    return itemPtr;
}

void Syncer::parsed(std::shared_ptr<const Item> item, std::function<void()> next)
{
    const size_t n = item->docs.size();
    const qint64 bytes = item->chunk.size();
    if (n > 0)
        m_queuedBytes += bytes;
    bool start = false;
    {
        std::lock_guard lock(m_feeder->mutex);
        for (size_t begin = 0; begin < n; begin += BatchDocs) {
            const size_t end = qMin(n, begin + BatchDocs);
            m_feeder->batches.push_back({item, begin, end, end == n ? bytes : 0});
        }
        start = n > 0 && !m_feeder->running && !m_feeder->stopped;
        if (start) {
            m_feeder->running = true;
            ++m_feeder->queued;
        }
    }
    if (start)
        queueCopyJob();
    // Read ahead while the writer has little queued; otherwise the next request waits.
    if (m_queuedBytes < ReadAhead)
        next();
    else
        m_fetch = std::move(next);
}

void Syncer::queueCopyJob()
{
    auto feeder = m_feeder;
    auto report = std::make_shared<JobReport>();
    const qint64 db = m_db, id = m_stagingId;
    m_engine.writeThen(
        [this, feeder, report, db, id](WriteTxn &t) {
            try {
                copySome(t, *feeder, *report, db, id);
            } catch (...) {
                std::lock_guard lock(feeder->mutex);
                feeder->running = false;
                throw;
            }
            std::lock_guard lock(feeder->mutex);
            // `this` is alive here: its destructor sets `stopped` under this lock first.
            if (!feeder->stopped && !feeder->batches.empty()) {
                ++feeder->queued;
                queueCopyJob();
            } else {
                feeder->running = false;
            }
        },
        this, [this, report](std::exception_ptr error) { copied(*report, error); },
        Engine::Priority::Background);
}

void Syncer::copySome(WriteTxn &t, Feeder &feeder, JobReport &report, qint64 db, qint64 id)
{
    t.setRemote(true);
    const auto began = std::chrono::steady_clock::now();
    // Measured however the job ends (it returns from inside the loop).
    struct Took
    {
        JobReport &report;
        std::chrono::steady_clock::time_point began;
        ~Took() { report.took = std::chrono::steady_clock::now() - began; }
    } took{report, began};
    const auto deadline = began + JobBudget;
    QString name;
    std::optional<CollectionInfo> coll;
    size_t n = 0;
    while (n < JobDocs && std::chrono::steady_clock::now() < deadline) {
        Batch b;
        {
            std::lock_guard lock(feeder.mutex);
            if (feeder.stopped || feeder.batches.empty())
                return;
            b = std::move(feeder.batches.front());
            feeder.batches.pop_front();
        }
        if (!coll || b.item->name != name) {
            name = b.item->name;
            const QString staging = SyncStaging::stagingName(id, name);
            const CollectionInfo *c = t.catalog().collection(db, staging);
            if (!c)
                throw Error(500, ErrorNum::Internal,
                            QStringLiteral("sync lost its staging collection %1 (was the "
                                           "database dropped?)")
                                .arg(staging));
            coll = *c;
        }
        size_t i = b.begin;
        for (; i < b.end; ++i, ++n) {
            if ((n & 255) == 255 && std::chrono::steady_clock::now() > deadline)
                break; // the rest goes in the next job
            const Item::Doc &d = b.item->docs[i];
            if (d.sliced)
                DocumentService::storeLeaderVersion(t, *coll, d.fast.key, d.fast.rev, {},
                                                    d.fast.body, d.fast.deleted);
            else
                ApplyService::storeVersion(t, *coll, d.key, d.rev, {}, d.data, d.fast.deleted, 0);
        }
        report.stored += qint64(i - b.begin);
        if (i < b.end) {
            std::lock_guard lock(feeder.mutex);
            feeder.batches.push_front({b.item, i, b.end, b.releasesBytes});
            return;
        }
        report.released += b.releasesBytes;
    }
}

void Syncer::copied(const JobReport &report, std::exception_ptr error)
{
    ++m_jobsDone;
    m_queuedBytes -= report.released;
    if (error && !m_failed) {
        m_outcome.error = error;
        return fail(0, {});
    }
    if (m_failed)
        return cleanUpWhenIdle();
    m_stored += report.stored;
    ReplicationCounters::addElapsed(m_manager.counters().dumpApplyMicros, report.took);
    m_manager.updateStatus(m_db, [&](ApplierStatus &st) { st.syncDocuments = m_stored; });
    if (m_fetch && m_queuedBytes < ReadAhead)
        std::exchange(m_fetch, nullptr)();
    swapInWhenCopied();
}

bool Syncer::copyIdle()
{
    std::lock_guard lock(m_feeder->mutex);
    return !m_feeder->running && m_jobsDone == m_feeder->queued;
}

void Syncer::swapInWhenCopied()
{
    if (m_failed || !m_dumped || m_swapping || !copyIdle())
        return;
    {
        std::lock_guard lock(m_feeder->mutex);
        if (!m_feeder->batches.empty())
            return;
    }
    swapIn();
}

void Syncer::cleanUpWhenIdle()
{
    if (!m_swapping && !m_preparing && copyIdle())
        cleanUp();
    // else: this runs again when the last queued job is done
}

} // namespace repl
