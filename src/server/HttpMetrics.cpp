#include "server/HttpMetrics.h"

#include "server/PrometheusText.h"

#include <bit>

namespace repl::server {

namespace {

constexpr std::array<const char *, 8> MethodNames{"GET",  "PUT",   "POST",    "DELETE",
                                                  "HEAD", "PATCH", "OPTIONS", "OTHER"};

int methodIndex(Method m)
{
    const int i = std::countr_zero(unsigned(m));
    return i < int(MethodNames.size()) ? i : int(MethodNames.size()) - 1;
}

} // namespace

Method HttpMetrics::methodOf(QByteArrayView name) noexcept
{
    for (size_t i = 0; i + 1 < MethodNames.size(); ++i)
        if (name == MethodNames[i])
            return Method(1 << i);
    return Method::Other;
}

void HttpMetrics::record(Method method, int status,
                         std::chrono::steady_clock::duration took) noexcept
{
    const int statusClass = qBound(1, status / 100, Classes) - 1;
    m_requests[size_t(methodIndex(method) * Classes + statusClass)].fetch_add(
        1, std::memory_order_relaxed);
    const qint64 micros =
        qMax<qint64>(0, std::chrono::duration_cast<std::chrono::microseconds>(took).count());
    size_t bucket = 0;
    while (bucket < BoundsMicros.size() && micros > BoundsMicros[bucket])
        ++bucket;
    m_buckets[bucket].fetch_add(1, std::memory_order_relaxed);
    m_sumMicros.fetch_add(quint64(micros), std::memory_order_relaxed);
}

void HttpMetrics::write(PrometheusText &out) const
{
    out.family("repldesk_http_requests_total", "counter",
               QStringLiteral("HTTP requests answered, by method and status class (early "
                              "answers of the connection guard included)."));
    for (int m = 0; m < Methods; ++m)
        for (int c = 0; c < Classes; ++c) {
            const quint64 n = m_requests[size_t(m * Classes + c)].load(std::memory_order_relaxed);
            if (n == 0)
                continue;
            out.sample("repldesk_http_requests_total",
                       {{"method", QString::fromLatin1(MethodNames[size_t(m)])},
                        {"status_class", QStringLiteral("%1xx").arg(c + 1)}},
                       n);
        }

    // Cumulative buckets, with the count taken from the same reading so +Inf equals it.
    out.family("repldesk_http_request_duration_seconds", "histogram",
               QStringLiteral("Time from a request being read to its answer's status line (a "
                              "long-poll includes its wait)."));
    quint64 cumulative = 0;
    for (size_t b = 0; b < m_buckets.size(); ++b) {
        cumulative += m_buckets[b].load(std::memory_order_relaxed);
        const QString le = b < BoundsMicros.size()
                               ? QString::number(double(BoundsMicros[b]) / 1e6, 'g', 6)
                               : QStringLiteral("+Inf");
        out.sample("repldesk_http_request_duration_seconds_bucket", {{"le", le}}, cumulative);
    }
    out.sample("repldesk_http_request_duration_seconds_sum",
               double(m_sumMicros.load(std::memory_order_relaxed)) / 1e6);
    out.sample("repldesk_http_request_duration_seconds_count", cumulative);
}

} // namespace repl::server
