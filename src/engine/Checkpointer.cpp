#include "engine/Checkpointer.h"

#include <QLoggingCategory>

#include <chrono>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

Q_LOGGING_CATEGORY(lcCheckpoint, "repldesk.engine.checkpoint", QtInfoMsg)

namespace repl {

Checkpointer::Checkpointer(QString path, storage::SyncMode mode)
    : m_path(std::move(path))
    , m_mode(mode)
    , m_thread([this] { run(); })
{}

Checkpointer::~Checkpointer()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_cv.notify_all();
    m_thread.join();
}

void Checkpointer::nudge()
{
    {
        std::lock_guard lock(m_mutex);
        m_pending = true;
    }
    m_cv.notify_one();
}

void Checkpointer::memoryFreed()
{
    {
        std::lock_guard lock(m_mutex);
        m_freed = true;
    }
    m_cv.notify_one();
}

void Checkpointer::run()
{
    try {
        storage::Connection conn(m_path, m_mode, false);
        conn.open();
        for (;;) {
            {
                std::unique_lock lock(m_mutex);
                const auto woken = [this] { return m_pending || m_freed || m_stopping; };
                if (m_trimDue && !m_cv.wait_for(lock, std::chrono::seconds(2), woken)) {
                    lock.unlock();
                    releaseFreedMemory(); // the last writes' memory, once they are over
                    continue;
                }
                m_cv.wait(lock, woken);
                if (m_stopping)
                    break;
                if (!m_pending) { // memory freed, nothing to copy
                    m_freed = false;
                    lock.unlock();
                    releaseFreedMemory();
                    continue;
                }
                m_freed = false;
            }
            // Let a burst of commits pass, then copy what they wrote in one go.
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            {
                std::lock_guard lock(m_mutex);
                m_pending = false;
            }
            conn.exec(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)"));
            releaseFreedMemory();
        }
        conn.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
    } catch (const std::exception &e) {
        // The writer's own checkpoints at open/close keep the file consistent regardless.
        qCWarning(lcCheckpoint) << "checkpointer stopped:" << e.what();
    }
}

// glibc keeps what the request workers free in their arenas, and gives little of it back on
// its own: after a million documents loaded, 140 of a server's 313 MiB were freed memory
// (malloc_trim(0) from gdb). Handed back after the writes settle, at most every 2 s, and
// once more when they stop.
void Checkpointer::releaseFreedMemory()
{
#if defined(__GLIBC__)
    const auto now = std::chrono::steady_clock::now();
    m_trimDue = now - m_lastTrim < std::chrono::seconds(2);
    if (m_trimDue)
        return; // done when the writes pause (run)
    m_lastTrim = now;
    malloc_trim(0);
#endif
}

} // namespace repl
