#include "engine/Checkpointer.h"

#include <QLoggingCategory>

#include <chrono>

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

void Checkpointer::run()
{
    try {
        storage::Connection conn(m_path, m_mode, false);
        conn.open();
        for (;;) {
            {
                std::unique_lock lock(m_mutex);
                m_cv.wait(lock, [this] { return m_pending || m_stopping; });
                if (m_stopping)
                    break;
            }
            // Let a burst of commits pass, then copy what they wrote in one go.
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            {
                std::lock_guard lock(m_mutex);
                m_pending = false;
            }
            conn.exec(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)"));
        }
        conn.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
    } catch (const std::exception &e) {
        // The writer's own checkpoints at open/close keep the file consistent regardless.
        qCWarning(lcCheckpoint) << "checkpointer stopped:" << e.what();
    }
}

} // namespace repl
