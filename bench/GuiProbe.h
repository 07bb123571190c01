#pragma once

#include "BenchSupport.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QString>
#include <QThread>
#include <QTimer>

#include <time.h>

#include <algorithm>
#include <functional>
#include <map>
#include <vector>

// The GUI thread's stalls, as an operator would feel them: a 1 ms precise timer on the GUI
// thread. Each gap between two of its ticks is how long the thread was away from its event
// loop (about 1 ms when idle); the longest gap is the longest stall. The thread's own CPU time
// in each gap tells work on the GUI thread from time it waited for a core (2 cores shared with
// the servers and their load). Use it on the GUI thread.
class GuiProbe
{
public:
    struct Stall
    {
        double ms = 0;
        double cpuMs = 0;     // of it, the GUI thread on a CPU
        double atSeconds = 0; // since start()
        QString where;
        QString detail; // what ran in it, where known (TimedApplication)
    };

    GuiProbe()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(1);
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] { tick(); });
    }

    // `where` names what is on screen; the longest stall is kept per name. `detail`, when set,
    // says what ran since the last tick (and forgets it); it is kept with the longest stalls.
    void start(std::function<QString()> where = {}, std::function<QString()> detail = {})
    {
        m_where = std::move(where);
        m_detail = std::move(detail);
        m_gaps.clear();
        m_longestBy.clear();
        m_top.clear();
        m_longestCpu = 0;
        m_clock.start();
        m_last = 0;
        m_cpuLast = threadCpuNs();
        m_timer.start();
    }
    void stop() { m_timer.stop(); }

    qsizetype ticks() const { return qsizetype(m_gaps.size()); }
    double longestMs() const { return m_top.empty() ? 0 : m_top.front().ms; }
    // The most CPU time the GUI thread spent in one gap: its longest stretch of work.
    double longestCpuMs() const { return m_longestCpu; }
    double percentileMs(double p) const { return bench::percentile(m_gaps, p); }
    qsizetype over(double ms) const
    {
        return std::count_if(m_gaps.begin(), m_gaps.end(), [ms](double g) { return g > ms; });
    }
    const std::map<QString, double> &longestBy() const { return m_longestBy; }
    // The longest stalls, longest first, with when and where they happened.
    const std::vector<Stall> &top() const { return m_top; }
    // "Overview 12.3 ms, Followers 9.8 ms"
    QString longestByText() const
    {
        QStringList parts;
        for (const auto &[where, ms] : m_longestBy)
            parts << QStringLiteral("%1 %2 ms").arg(where).arg(ms, 0, 'f', 1);
        return parts.join(QStringLiteral(", "));
    }

    static qint64 threadCpuNs()
    {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
    }

private:
    static constexpr size_t TopCount = 8;

    void tick()
    {
        const qint64 now = m_clock.nsecsElapsed();
        const qint64 cpu = threadCpuNs();
        const double gap = double(now - m_last) / 1e6;
        const double cpuGap = double(cpu - m_cpuLast) / 1e6;
        m_last = now;
        m_cpuLast = cpu;
        m_longestCpu = std::max(m_longestCpu, cpuGap);
        m_gaps.push_back(gap);
        const QString where = m_where ? m_where() : QString();
        const QString detail = m_detail ? m_detail() : QString();
        double &byWhere = m_longestBy[where];
        byWhere = std::max(byWhere, gap);
        if (m_top.size() < TopCount || gap > m_top.back().ms) {
            m_top.push_back({gap, cpuGap, double(now) / 1e9, where, detail});
            std::sort(m_top.begin(), m_top.end(),
                      [](const Stall &a, const Stall &b) { return a.ms > b.ms; });
            if (m_top.size() > TopCount)
                m_top.pop_back();
        }
    }

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_cpuLast = 0;
    double m_longestCpu = 0;
    std::vector<double> m_gaps;
    std::function<QString()> m_where;
    std::function<QString()> m_detail;
    std::map<QString, double> m_longestBy;
    std::vector<Stall> m_top;
};

// The GUI thread's longest single event deliveries (what a stall was made of), for --verbose:
// an application whose notify() times every top-level delivery on the GUI thread.
class TimedApplication final : public QApplication
{
public:
    using QApplication::QApplication;

    struct Slow
    {
        double cpuMs = 0; // the GUI thread's CPU time in it (the wall time less waiting for a core)
        double ms = 0;
        QString what; // receiver class (parent class) "objectName": event type
    };
    void setTiming(bool on)
    {
        m_timing = on;
        m_slow.clear();
    }
    const std::vector<Slow> &slowest() const { return m_slow; }
    // The deliveries of over 0.5 ms CPU since the last call, longest first (GuiProbe's detail).
    QString takeGap()
    {
        std::sort(m_gap.begin(), m_gap.end(),
                  [](const Slow &a, const Slow &b) { return a.cpuMs > b.cpuMs; });
        QStringList parts;
        for (const Slow &s : m_gap)
            parts << QStringLiteral("%1 ms %2").arg(s.cpuMs, 0, 'f', 1).arg(s.what);
        m_gap.clear();
        return parts.join(QStringLiteral(", "));
    }

    bool notify(QObject *receiver, QEvent *event) override
    {
        if (!m_timing || m_depth > 0 || QThread::currentThread() != thread())
            return QApplication::notify(receiver, event);
        // Described before delivery: a receiver may be gone after it (deleteLater).
        const char *cls = receiver->metaObject()->className();
        const char *parentCls =
            receiver->parent() ? receiver->parent()->metaObject()->className() : "";
        const QString name = receiver->objectName();
        const int type = int(event->type());
        ++m_depth;
        QElapsedTimer t;
        t.start();
        const qint64 cpu = GuiProbe::threadCpuNs();
        const bool result = QApplication::notify(receiver, event);
        const double cpuMs = double(GuiProbe::threadCpuNs() - cpu) / 1e6;
        const double ms = double(t.nsecsElapsed()) / 1e6;
        --m_depth;
        if (cpuMs > 0.5 && m_gap.size() < 64)
            m_gap.push_back({cpuMs, ms,
                             QStringLiteral("%1 (%2) %3")
                                 .arg(QLatin1String(cls), QLatin1String(parentCls))
                                 .arg(type)});
        if (cpuMs > 2 && (m_slow.size() < TopCount || cpuMs > m_slow.back().cpuMs)) {
            m_slow.push_back({cpuMs, ms,
                              QStringLiteral("%1 (%2) \"%3\": event %4")
                                  .arg(QLatin1String(cls), QLatin1String(parentCls), name)
                                  .arg(type)});
            std::sort(m_slow.begin(), m_slow.end(),
                      [](const Slow &a, const Slow &b) { return a.cpuMs > b.cpuMs; });
            if (m_slow.size() > TopCount)
                m_slow.pop_back();
        }
        return result;
    }

private:
    static constexpr size_t TopCount = 12;
    bool m_timing = false;
    int m_depth = 0;
    std::vector<Slow> m_slow;
    std::vector<Slow> m_gap;
};
