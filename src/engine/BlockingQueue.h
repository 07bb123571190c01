#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

namespace repl {

// A queue one thread fills and another drains: pop() blocks until an item arrives or the
// producer closes (or aborts) it. Used to stream a parsed request into a running write job.
template<class T> class BlockingQueue final
{
public:
    void push(T item)
    {
        {
            std::lock_guard lock(m_mutex);
            m_items.push_back(std::move(item));
        }
        m_cv.notify_one();
    }
    void close()
    {
        {
            std::lock_guard lock(m_mutex);
            m_closed = true;
        }
        m_cv.notify_all();
    }
    void abort()
    {
        {
            std::lock_guard lock(m_mutex);
            m_closed = m_aborted = true;
        }
        m_cv.notify_all();
    }
    // The next item; nullopt once the queue is closed and empty, or aborted.
    std::optional<T> pop()
    {
        std::unique_lock lock(m_mutex);
        m_cv.wait(lock, [this] { return m_closed || !m_items.empty(); });
        if (m_aborted || m_items.empty())
            return std::nullopt;
        T item = std::move(m_items.front());
        m_items.pop_front();
        return item;
    }
    bool aborted() const
    {
        std::lock_guard lock(m_mutex);
        return m_aborted;
    }

private:
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<T> m_items;
    bool m_closed = false;
    bool m_aborted = false;
};

} // namespace repl
