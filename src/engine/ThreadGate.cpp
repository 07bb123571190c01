#include "engine/ThreadGate.h"

#include "core/Error.h"

#include <QThread>

#include <utility>

namespace repl {

void ThreadGate::open(QObject *context)
{
    std::lock_guard lock(m_mutex);
    m_context = context;
}

void ThreadGate::run(const std::function<void()> &fn, const ClosedError &closed)
{
    QObject *context = nullptr;
    {
        std::lock_guard lock(m_mutex);
        context = m_context;
        if (!context) {
            closed();
            return;
        }
        ++m_inside;
    }
    struct Leave
    {
        ThreadGate &gate;
        ~Leave()
        {
            std::lock_guard lock(gate.m_mutex);
            if (--gate.m_inside == 0)
                gate.m_idle.notify_all();
        }
    } leave{*this};
    if (QThread::currentThread() == context->thread())
        fn();
    else
        QMetaObject::invokeMethod(context, fn, Qt::BlockingQueuedConnection);
}

QObject *ThreadGate::close()
{
    std::unique_lock lock(m_mutex);
    QObject *context = std::exchange(m_context, nullptr);
    m_idle.wait(lock, [this] { return m_inside == 0; });
    return context;
}

LongCallSlots::Slot::Slot(LongCallSlots &owner, const QString &what)
    : m_owner(owner)
{
    std::lock_guard lock(owner.m_mutex);
    if (owner.m_used >= owner.m_capacity)
        throw Error(503, ErrorNum::Internal,
                    QStringLiteral("too many long requests at once (%1 of this server's request "
                                   "workers already run syncs or one-shot replications): try %2 "
                                   "again when one has finished")
                        .arg(owner.m_capacity)
                        .arg(what));
    ++owner.m_used;
}

LongCallSlots::Slot::~Slot()
{
    std::lock_guard lock(m_owner.m_mutex);
    --m_owner.m_used;
}

} // namespace repl
