#pragma once

#include "server/Http.h"

#include <QByteArrayView>

#include <array>
#include <atomic>
#include <chrono>

namespace repl::server {

class PrometheusText;

// HTTP requests answered, by method and status class, and how long they took (a histogram),
// for /_admin/metrics/v2. record() is lock-free (relaxed atomics) and may be called from any
// thread; write() reads without stopping anyone, so a scrape may see a request in the
// counters a moment before its duration is in the sum.
//
// A request counts once, when its status line goes out: answers of the routes, and the
// connection guard's early ones (400, 401, 408, 413, 429, …). Its duration runs from the
// request being read whole (for an early answer: from its head's first byte) to then (for a
// streamed answer, to its first part; a long-poll includes its wait).
class HttpMetrics final
{
public:
    void record(Method method, int status, std::chrono::steady_clock::duration took) noexcept;
    static Method methodOf(QByteArrayView name) noexcept;

    // repldesk_http_requests_total and repldesk_http_request_duration_seconds.
    void write(PrometheusText &out) const;

private:
    static constexpr int Methods = 8; // Method's flags, in their order
    static constexpr int Classes = 5; // 1xx … 5xx
    // Upper bounds of the duration buckets in microseconds (+Inf after the last).
    static constexpr std::array<qint64, 15> BoundsMicros{
        500,    1000,   2500,    5000,    10000,   25000,    50000,   100000,
        250000, 500000, 1000000, 2500000, 5000000, 10000000, 30000000};

    std::array<std::atomic<quint64>, Methods * Classes> m_requests{};
    std::array<std::atomic<quint64>, BoundsMicros.size() + 1> m_buckets{}; // not cumulative
    std::atomic<quint64> m_sumMicros{0};
};

} // namespace repl::server
