#include "server/PrometheusText.h"

#include <QLocale>

#include <cmath>

namespace repl::server {

namespace {

QByteArray escaped(const QString &text, bool quotes)
{
    QByteArray out;
    const QByteArray utf8 = text.toUtf8();
    out.reserve(utf8.size());
    for (const char c : utf8) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else if (c == '"' && quotes)
            out += "\\\"";
        else
            out += c;
    }
    return out;
}

} // namespace

void PrometheusText::family(const QByteArray &name, const QByteArray &type, const QString &help)
{
    m_out += "# HELP " + name + ' ' + escaped(help, false) + '\n';
    m_out += "# TYPE " + name + ' ' + type + '\n';
}

void PrometheusText::name(const QByteArray &name, const Labels &labels)
{
    m_out += name;
    if (labels.isEmpty())
        return;
    m_out += '{';
    for (qsizetype i = 0; i < labels.size(); ++i) {
        if (i > 0)
            m_out += ',';
        m_out += labels[i].first + "=\"" + escaped(labels[i].second, true) + '"';
    }
    m_out += '}';
}

void PrometheusText::sample(const QByteArray &name, const Labels &labels, double value)
{
    this->name(name, labels);
    m_out += ' ';
    if (std::isnan(value))
        m_out += "NaN";
    else if (std::isinf(value))
        m_out += value > 0 ? "+Inf" : "-Inf";
    else
        m_out += QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
    m_out += '\n';
}

void PrometheusText::sample(const QByteArray &name, const Labels &labels, quint64 value)
{
    this->name(name, labels);
    m_out += ' ' + QByteArray::number(value) + '\n';
}

void PrometheusText::single(const QByteArray &name, const QByteArray &type, const QString &help,
                            double value)
{
    family(name, type, help);
    sample(name, value);
}

} // namespace repl::server
