#pragma once

#include <QObject>
#include <QString>

#include <condition_variable>
#include <functional>
#include <mutex>

namespace repl {

// Blocking calls from request workers into a manager's thread (the applier's, the
// replicator's), safe against shutdown: once close() has begun no call enters (it throws what
// `closed` makes), and close() returns only when the calls already inside have returned, so
// the manager can then delete the objects on its thread without a worker still reaching them.
class ThreadGate final
{
public:
    using ClosedError = std::function<void()>; // throws

    // Lets calls in, to run on `context`'s thread.
    void open(QObject *context);
    // Runs `fn` on the context's thread (directly when already there) and waits for it; calls
    // `closed` (which throws) when the gate is not open.
    void run(const std::function<void()> &fn, const ClosedError &closed);
    // No new calls; waits for the ones inside; returns the context it had (to delete on its
    // thread). Idempotent.
    QObject *close();

private:
    std::mutex m_mutex;
    std::condition_variable m_idle;
    QObject *m_context = nullptr;
    int m_inside = 0;
};

// Requests that hold a worker for long (a sync, a one-shot replication) may take at most
// `capacity` of the workers at once, so the others keep answering; over it, the request gets
// 503 with a reason rather than a wait nobody can see.
class LongCallSlots final
{
public:
    explicit LongCallSlots(int capacity)
        : m_capacity(capacity)
    {}
    // Holds one slot while it lives; throws Error 503 naming `what` when every slot is taken.
    class Slot
    {
    public:
        Slot(LongCallSlots &owner, const QString &what);
        ~Slot();
        Slot(const Slot &) = delete;
        Slot &operator=(const Slot &) = delete;

    private:
        LongCallSlots &m_owner;
    };
    int capacity() const { return m_capacity; }

private:
    friend class Slot;
    std::mutex m_mutex;
    int m_capacity;
    int m_used = 0;
};

} // namespace repl
