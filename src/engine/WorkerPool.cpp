#include "engine/WorkerPool.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcWorkers, "repldesk.engine.workers", QtInfoMsg)

namespace repl {

WorkerPool::WorkerPool(QString dbPath, storage::SyncMode mode, int threads)
    : m_path(std::move(dbPath))
    , m_mode(mode)
{
    for (int i = 0; i < threads; ++i)
        m_threads.emplace_back([this] { run(); });
}

WorkerPool::~WorkerPool()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_cv.notify_all();
    for (std::thread &t : m_threads)
        t.join();
}

void WorkerPool::submit(Task task)
{
    {
        std::lock_guard lock(m_mutex);
        m_tasks.push_back(std::move(task));
    }
    m_cv.notify_one();
}

void WorkerPool::run()
{
    std::unique_ptr<storage::Connection> reader;
    for (;;) {
        Task task;
        {
            std::unique_lock lock(m_mutex);
            m_cv.wait(lock, [this] { return m_stopping || !m_tasks.empty(); });
            if (m_tasks.empty())
                break;
            task = std::move(m_tasks.front());
            m_tasks.pop_front();
        }
        try {
            if (!reader) {
                auto conn = std::make_unique<storage::Connection>(m_path, m_mode, true);
                conn->open();
                reader = std::move(conn);
            }
            task(*reader);
        } catch (const std::exception &e) {
            // Tasks answer their own errors; reaching here means a bug or a broken connection.
            qCCritical(lcWorkers) << "worker task failed:" << e.what();
            reader.reset();
        }
    }
}

} // namespace repl
