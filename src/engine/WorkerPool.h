#pragma once

#include "storage/Connection.h"

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace repl {

// Fixed threads that run request work. Each thread owns one read-only SQLite connection
// (WAL readers never block the writer) handed to every task it runs.
class WorkerPool final
{
public:
    using Task = std::function<void(storage::Connection &reader)>;

    WorkerPool(QString dbPath, storage::SyncMode mode, int threads);
    ~WorkerPool(); // finishes queued tasks, joins
    WorkerPool(const WorkerPool &) = delete;
    WorkerPool &operator=(const WorkerPool &) = delete;

    void submit(Task task);

private:
    void run();

    QString m_path;
    storage::SyncMode m_mode;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<Task> m_tasks;
    bool m_stopping = false;
    std::vector<std::thread> m_threads;
};

} // namespace repl
