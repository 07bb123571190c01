// repldeskctl metrics: the server's metrics, read and printed.
#include "ctl/CtlRunner.h"

#include <QJsonArray>
#include <QJsonObject>

#include <cmath>

namespace repl::ctl {

namespace {

// Whole numbers as such (counters up to 2^53 exactly), others as short as they stay exact;
// +Inf, -Inf and NaN as Prometheus writes them.
QString valueText(double v)
{
    if (std::isnan(v))
        return QStringLiteral("NaN");
    if (std::isinf(v))
        return v > 0 ? QStringLiteral("+Inf") : QStringLiteral("-Inf");
    if (v == std::floor(v) && std::fabs(v) < 1e15)
        return QString::number(qint64(v));
    return QString::number(v, 'g', QLocale::FloatingPointShortest);
}

QJsonValue valueJson(double v)
{
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue(valueText(v));
}

} // namespace

void CtlRunner::metrics()
{
    m_ops->metrics(this, [this](const ops::Metrics &m, const QString &e) {
        if (!e.isEmpty())
            return fail(e);
        if (m_o.json) {
            QJsonArray families;
            for (const ops::MetricFamily &f : m.families()) {
                QJsonArray samples;
                for (const ops::MetricSample &s : f.samples) {
                    QJsonObject labels;
                    for (const auto &l : s.labels)
                        labels.insert(l.first, l.second);
                    QJsonObject sample{{QStringLiteral("name"), s.name},
                                       {QStringLiteral("labels"), labels},
                                       {QStringLiteral("value"), valueJson(s.value)}};
                    if (s.timestampMs)
                        sample.insert(QStringLiteral("timestamp"), double(*s.timestampMs));
                    samples.append(sample);
                }
                families.append(
                    QJsonObject{{QStringLiteral("name"), f.name},
                                {QStringLiteral("type"), ops::Metrics::typeName(f.type)},
                                {QStringLiteral("help"), f.help},
                                {QStringLiteral("samples"), samples}});
            }
            printJson(QJsonObject{{QStringLiteral("server"),
                                   m_ops->client().settings().base.toString(QUrl::RemoveUserInfo)},
                                  {QStringLiteral("families"), families}});
            return done();
        }
        QList<QStringList> rows;
        for (const ops::MetricFamily &f : m.families())
            for (const ops::MetricSample &s : f.samples)
                rows.append({s.name, s.labelText(), valueText(s.value)});
        printTable({QStringLiteral("METRIC"), QStringLiteral("LABELS"), QStringLiteral("VALUE")},
                   rows);
        done();
    });
}

} // namespace repl::ctl
