#pragma once

#include "storage/Connection.h"

#include <QString>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace repl {

// Copies the WAL into the database file on its own thread and connection (SQLite's PASSIVE
// checkpoint), so the writer never stalls for it: a 1M-document sync used to wait ~1.5 s in
// its COMMIT for the automatic checkpoint. Runs a little after commits (nudge), never blocks
// readers or the writer. The last one, at shutdown, also truncates the WAL.
class Checkpointer final
{
public:
    Checkpointer(QString path, storage::SyncMode mode);
    ~Checkpointer();
    Checkpointer(const Checkpointer &) = delete;
    Checkpointer &operator=(const Checkpointer &) = delete;

    void nudge(); // something was committed
    // Much memory was just freed (a large answer built, the writer's page cache released):
    // it is handed back to the system soon, as after writes (at most every 2 s).
    void memoryFreed();

private:
    void run();
    void releaseFreedMemory();

    QString m_path;
    storage::SyncMode m_mode;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_pending = false;
    bool m_freed = false;
    bool m_stopping = false;
    std::chrono::steady_clock::time_point m_lastTrim{}; // these two on m_thread only
    bool m_trimDue = false;
    std::thread m_thread;
};

} // namespace repl
