#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace repl::server {

// Writes Prometheus' text exposition format, version 0.0.4: every family opens with its
// # HELP and # TYPE lines, then its samples follow. Label values and help texts are escaped
// as the format asks (backslash, double quote, line feed).
class PrometheusText final
{
public:
    using Labels = QList<QPair<QByteArray, QString>>;

    static constexpr const char *ContentType = "text/plain; version=0.0.4; charset=utf-8";

    // `type`: counter, gauge or histogram. A counter's name ends with _total.
    void family(const QByteArray &name, const QByteArray &type, const QString &help);
    void sample(const QByteArray &name, const Labels &labels, double value);
    void sample(const QByteArray &name, const Labels &labels, quint64 value);
    void sample(const QByteArray &name, double value) { sample(name, {}, value); }
    void sample(const QByteArray &name, quint64 value) { sample(name, {}, value); }
    // One family with one unlabelled sample.
    void single(const QByteArray &name, const QByteArray &type, const QString &help, double value);

    const QByteArray &text() const { return m_out; }

private:
    void name(const QByteArray &name, const Labels &labels);

    QByteArray m_out;
};

} // namespace repl::server
