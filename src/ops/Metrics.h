#pragma once

#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringView>

#include <optional>

// A server's metrics in Prometheus' text exposition format (0.0.4), as repldesk-server and
// ArangoDB serve them at /_admin/metrics/v2 and CouchDB at /_node/_local/_prometheus, read
// into families of samples. Pure functions, any thread.
namespace repl::ops {

enum class MetricType
{
    Untyped, // no TYPE line (or "untyped", OpenMetrics' "unknown")
    Counter,
    Gauge,
    Histogram,
    Summary,
};

// In the order the server wrote them.
using MetricLabels = QList<QPair<QString, QString>>;

struct MetricSample
{
    QString name; // as written: a histogram's foo_bucket, foo_sum and foo_count
    MetricLabels labels;
    double value = 0;                  // +Inf, -Inf and NaN as such
    std::optional<qint64> timestampMs; // when the line gave one

    // The value of label `name`, empty when the sample has none.
    QString label(QStringView name) const;
    // `a="x", b="y"` (values as they are, unescaped), empty without labels.
    QString labelText() const;
};

struct MetricFamily
{
    QString name;
    MetricType type = MetricType::Untyped;
    QString help;
    QList<MetricSample> samples;

    // Samples whose value only grows (a counter; a histogram's or summary's buckets, _sum and
    // _count), so that a difference between two scrapes is a rate.
    bool isCumulative(const MetricSample &sample) const;
};

// Where and why a text is not Prometheus' format.
struct MetricsParseError
{
    int line = 0; // 1-based
    QString message;

    QString toString() const; // "line 12: …"
};

class Metrics final
{
public:
    // Reads a whole exposition. A line it cannot read fails the whole text, as Prometheus
    // fails a scrape: nullopt, and `error` (when given) names the line and what is wrong.
    //
    // Tolerated, because servers write it: `#` comments and blank lines anywhere; lines that
    // end with CRLF or a CR alone (CouchDB 3.4.3 ends its HELP lines so) and no final line
    // end; families without HELP or TYPE (untyped); a TYPE repeated with the same type;
    // samples with a timestamp; no blank between `}` and the value (ArangoDB 3.10.0 to
    // 3.10.5); a comma before `}`; blanks around labels; Inf and NaN in any case; and escapes
    // other than \\ \" \n kept as written. Refused: a bad metric or label name, a label
    // without `="…"` or with its value unterminated, a label given twice, a missing or
    // non-numeric value, a timestamp that is not whole milliseconds, anything after the
    // timestamp, an unknown type, and a second TYPE that contradicts the first or comes after
    // the family's samples.
    static std::optional<Metrics> parse(QByteArrayView text, MetricsParseError *error = nullptr);

    const QList<MetricFamily> &families() const { return m_families; }
    // The family called `name` (a histogram `foo`, not `foo_bucket`), or nullptr.
    const MetricFamily *family(QStringView name) const;
    // The value of the one sample called `sampleName` whose labels include all of `labels`;
    // nullopt when there is none or more than one.
    std::optional<double> value(QStringView sampleName, const MetricLabels &labels = {}) const;

    // "counter", "gauge", "histogram", "summary", "untyped".
    static QString typeName(MetricType type);

private:
    friend class MetricsReader;
    QList<MetricFamily> m_families;
};

} // namespace repl::ops
