#include "ops/Metrics.h"

#include <QCoreApplication>
#include <QHash>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <limits>

namespace repl::ops {

namespace {

bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}

bool isNameStart(char c, bool colon)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':');
}

bool isNameChar(char c, bool colon)
{
    return isNameStart(c, colon) || (c >= '0' && c <= '9');
}

// \\ and \n everywhere, \" in label values; any other backslash stays as written.
QString unescaped(QByteArrayView text, bool quotes)
{
    if (!text.contains('\\'))
        return QString::fromUtf8(text);
    QByteArray out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\\' && i + 1 < text.size()) {
            const char next = text[i + 1];
            if (next == '\\' || next == 'n' || (quotes && next == '"')) {
                out += next == 'n' ? '\n' : next;
                ++i;
                continue;
            }
        }
        out += c;
    }
    return QString::fromUtf8(out);
}

std::optional<MetricType> typeOf(QByteArrayView word)
{
    if (word == "counter")
        return MetricType::Counter;
    if (word == "gauge")
        return MetricType::Gauge;
    if (word == "histogram")
        return MetricType::Histogram;
    if (word == "summary")
        return MetricType::Summary;
    if (word == "untyped" || word == "unknown")
        return MetricType::Untyped;
    return std::nullopt;
}

// A sample value: a decimal or exponent number, or Inf/NaN in any case with an optional sign.
std::optional<double> numberOf(QByteArrayView token)
{
    QByteArrayView t = token;
    bool negative = false;
    if (!t.isEmpty() && (t[0] == '+' || t[0] == '-')) {
        negative = t[0] == '-';
        t = t.sliced(1);
    }
    const QByteArray lower = t.toByteArray().toLower();
    if (lower == "inf" || lower == "infinity")
        return negative ? -std::numeric_limits<double>::infinity()
                        : std::numeric_limits<double>::infinity();
    if (lower == "nan")
        return std::numeric_limits<double>::quiet_NaN();
    // Digits, a point and an exponent only (toDouble alone would take "0x1p3" or " 1").
    for (const char c : token)
        if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'))
            return std::nullopt;
    bool ok = false;
    const double v = token.toByteArray().toDouble(&ok);
    return ok ? std::optional<double>(v) : std::nullopt;
}

} // namespace

// The reader of one text (a class so that its sentences have a translation context).
class MetricsReader final
{
    Q_DECLARE_TR_FUNCTIONS(repl::ops::MetricsReader)

public:
    std::optional<Metrics> read(QByteArrayView text, MetricsParseError *error);

private:
    struct Cursor
    {
        QByteArrayView line;
        qsizetype pos = 0;

        bool atEnd() const { return pos >= line.size(); }
        char peek() const { return atEnd() ? '\0' : line[pos]; }
        void skipBlanks()
        {
            while (!atEnd() && isBlank(line[pos]))
                ++pos;
        }
        QByteArrayView word() // up to the next blank
        {
            const qsizetype start = pos;
            while (!atEnd() && !isBlank(line[pos]))
                ++pos;
            return line.sliced(start, pos - start);
        }
        QByteArrayView name(bool colon)
        {
            const qsizetype start = pos;
            if (!atEnd() && isNameStart(line[pos], colon))
                ++pos;
            while (pos > start && !atEnd() && isNameChar(line[pos], colon))
                ++pos;
            return line.sliced(start, pos - start);
        }
        QByteArrayView rest() const { return line.sliced(qMin(pos, line.size())); }
    };

    bool comment(Cursor c);
    bool help(QByteArrayView name, QByteArrayView text);
    bool type(QByteArrayView name, QByteArrayView word);
    bool sample(Cursor c);
    bool labels(Cursor &c, MetricSample &s);
    qsizetype familyFor(const QString &sampleName);
    qsizetype familyNamed(const QString &name);
    bool fail(const QString &message)
    {
        m_error = message;
        return false;
    }
    static bool belongs(const MetricFamily &f, QStringView sampleName);

    QList<MetricFamily> m_families;
    QHash<QString, qsizetype> m_index; // family name → position
    QList<bool> m_typed;               // per family: a TYPE line was read
    qsizetype m_current = -1;          // the family the last HELP or TYPE line named
    QString m_error;
};

bool MetricsReader::belongs(const MetricFamily &f, QStringView s)
{
    if (s == f.name)
        return true;
    if (!s.startsWith(f.name))
        return false;
    const QStringView suffix = s.sliced(f.name.size());
    switch (f.type) {
    case MetricType::Histogram:
        return suffix == u"_bucket" || suffix == u"_sum" || suffix == u"_count";
    case MetricType::Summary:
        return suffix == u"_sum" || suffix == u"_count";
    case MetricType::Counter: // OpenMetrics names the family without its _total
        return suffix == u"_total" || suffix == u"_created";
    case MetricType::Gauge:
    case MetricType::Untyped:
        return false;
    }
    return false;
}

qsizetype MetricsReader::familyNamed(const QString &name)
{
    const auto it = m_index.constFind(name);
    if (it != m_index.cend())
        return *it;
    MetricFamily f;
    f.name = name;
    m_families.append(f);
    m_typed.append(false);
    m_index.insert(name, m_families.size() - 1);
    return m_families.size() - 1;
}

qsizetype MetricsReader::familyFor(const QString &sampleName)
{
    if (m_current >= 0 && belongs(m_families[m_current], sampleName))
        return m_current;
    if (const auto it = m_index.constFind(sampleName); it != m_index.cend())
        return *it;
    for (const char *suffix : {"_bucket", "_sum", "_count", "_total", "_created"}) {
        const QLatin1String tail(suffix);
        if (!sampleName.endsWith(tail))
            continue;
        const auto it = m_index.constFind(sampleName.chopped(tail.size()));
        if (it != m_index.cend() && belongs(m_families[*it], sampleName))
            return *it;
    }
    return familyNamed(sampleName); // an untyped family of its own
}

bool MetricsReader::help(QByteArrayView name, QByteArrayView text)
{
    m_current = familyNamed(QString::fromLatin1(name));
    MetricFamily &f = m_families[m_current];
    if (f.help.isEmpty())
        f.help = unescaped(text, false);
    return true;
}

bool MetricsReader::type(QByteArrayView name, QByteArrayView word)
{
    const std::optional<MetricType> t = typeOf(word);
    if (!t)
        return fail(tr("unknown type '%1' of %2 (counter, gauge, histogram, summary or untyped)")
                        .arg(QString::fromUtf8(word), QString::fromLatin1(name)));
    const qsizetype i = familyNamed(QString::fromLatin1(name));
    MetricFamily &f = m_families[i];
    if (m_typed[i] && f.type != *t)
        return fail(tr("a second TYPE line for %1 says %2, the first said %3")
                        .arg(f.name, Metrics::typeName(*t), Metrics::typeName(f.type)));
    if (!m_typed[i] && !f.samples.isEmpty())
        return fail(tr("the TYPE line for %1 comes after its samples").arg(f.name));
    f.type = *t;
    m_typed[i] = true;
    m_current = i;
    return true;
}

bool MetricsReader::comment(Cursor c)
{
    ++c.pos; // '#'
    c.skipBlanks();
    const QByteArrayView keyword = c.word();
    if (keyword != "HELP" && keyword != "TYPE")
        return true; // a comment
    c.skipBlanks();
    const QByteArrayView name = c.name(true);
    if (name.isEmpty())
        return fail(tr("the %1 line names no metric").arg(QString::fromLatin1(keyword)));
    if (!c.atEnd() && !isBlank(c.peek()))
        return fail(tr("'%1' is not a metric name")
                        .arg(QString::fromUtf8(name.toByteArray() + c.word().toByteArray())));
    if (keyword == "HELP") {
        if (!c.atEnd())
            ++c.pos; // the one blank before the text; more are part of it
        return help(name, c.rest());
    }
    c.skipBlanks();
    const QByteArrayView word = c.word();
    c.skipBlanks();
    if (word.isEmpty())
        return fail(tr("the TYPE line of %1 gives no type").arg(QString::fromLatin1(name)));
    if (!c.atEnd())
        return fail(tr("unexpected '%1' after the TYPE line of %2")
                        .arg(QString::fromUtf8(c.rest()), QString::fromLatin1(name)));
    return type(name, word);
}

bool MetricsReader::labels(Cursor &c, MetricSample &s)
{
    ++c.pos; // '{'
    for (;;) {
        c.skipBlanks();
        if (c.peek() == '}') {
            ++c.pos;
            return true;
        }
        if (c.atEnd())
            return fail(tr("the labels of %1 are not closed with '}'").arg(s.name));
        const QByteArrayView name = c.name(false);
        if (name.isEmpty())
            return fail(tr("expected a label name in %1, found '%2'")
                            .arg(s.name, QString::fromUtf8(c.rest().first(1))));
        const QString label = QString::fromLatin1(name);
        c.skipBlanks();
        if (c.peek() != '=')
            return fail(tr("label %1 of %2 has no '='").arg(label, s.name));
        ++c.pos;
        c.skipBlanks();
        if (c.peek() != '"')
            return fail(
                tr("the value of label %1 of %2 is not in double quotes").arg(label, s.name));
        const qsizetype start = ++c.pos;
        while (!c.atEnd() && c.peek() != '"')
            c.pos += c.peek() == '\\' ? 2 : 1;
        if (c.atEnd())
            return fail(tr("the value of label %1 of %2 has no closing '\"'").arg(label, s.name));
        const QString value = unescaped(c.line.sliced(start, c.pos - start), true);
        ++c.pos; // '"'
        for (const auto &l : std::as_const(s.labels))
            if (l.first == label)
                return fail(tr("label %1 is given twice in %2").arg(label, s.name));
        s.labels.append({label, value});
        c.skipBlanks();
        if (c.peek() == ',')
            ++c.pos;
        else if (c.peek() != '}')
            return fail(tr("expected ',' or '}' after label %1 of %2").arg(label, s.name));
    }
}

bool MetricsReader::sample(Cursor c)
{
    MetricSample s;
    const QByteArrayView name = c.name(true);
    if (name.isEmpty())
        return fail(tr("expected a metric name, found '%1'").arg(QString::fromUtf8(c.rest())));
    s.name = QString::fromLatin1(name);
    if (!c.atEnd() && !isBlank(c.peek()) && c.peek() != '{')
        return fail(tr("'%1' is not a metric name")
                        .arg(QString::fromUtf8(name.toByteArray() + c.word().toByteArray())));
    c.skipBlanks();
    if (c.peek() == '{' && !labels(c, s))
        return false;
    c.skipBlanks(); // ArangoDB 3.10.0–3.10.5 wrote none after '}'
    const QByteArrayView valueText = c.word();
    if (valueText.isEmpty())
        return fail(tr("%1 has no value").arg(s.name));
    const std::optional<double> value = numberOf(valueText);
    if (!value)
        return fail(
            tr("'%1' is not a number (the value of %2)").arg(QString::fromUtf8(valueText), s.name));
    s.value = *value;
    c.skipBlanks();
    if (!c.atEnd()) {
        const QByteArrayView stamp = c.word();
        bool ok = false;
        const qint64 ms = stamp.toByteArray().toLongLong(&ok);
        if (!ok)
            return fail(tr("'%1' is not a timestamp in milliseconds (after the value of %2)")
                            .arg(QString::fromUtf8(stamp), s.name));
        s.timestampMs = ms;
        c.skipBlanks();
        if (!c.atEnd())
            return fail(tr("unexpected '%1' after the timestamp of %2")
                            .arg(QString::fromUtf8(c.rest()), s.name));
    }
    m_families[familyFor(s.name)].samples.append(std::move(s));
    return true;
}

std::optional<Metrics> MetricsReader::read(QByteArrayView text, MetricsParseError *error)
{
    int number = 0;
    qsizetype start = 0;
    while (start < text.size()) {
        // Lines end with LF, CRLF or a CR alone: CouchDB 3.4.3 ends each HELP line with a CR
        // and the TYPE line after it with a LF; read as one line, its families lose their type.
        qsizetype end = start;
        while (end < text.size() && text[end] != '\n' && text[end] != '\r')
            ++end;
        const QByteArrayView line = text.sliced(start, end - start);
        start = end + (text.sliced(end).startsWith("\r\n") ? 2 : 1);
        ++number;
        Cursor c{line};
        c.skipBlanks();
        if (c.atEnd())
            continue;
        const bool ok = c.peek() == '#' ? comment(c) : sample(c);
        if (!ok) {
            if (error)
                *error = MetricsParseError{number, m_error};
            return std::nullopt;
        }
    }
    Metrics m;
    m.m_families = std::move(m_families);
    return m;
}

QString MetricSample::label(QStringView name) const
{
    for (const auto &l : labels)
        if (l.first == name)
            return l.second;
    return {};
}

QString MetricSample::labelText() const
{
    QStringList parts;
    for (const auto &l : labels)
        parts.append(l.first + QStringLiteral("=\"") + l.second + u'"');
    return parts.join(QStringLiteral(", "));
}

bool MetricFamily::isCumulative(const MetricSample &sample) const
{
    switch (type) {
    case MetricType::Counter:
        return !sample.name.endsWith(u"_created");
    case MetricType::Histogram:
        return true;
    case MetricType::Summary:
        return sample.name != name; // _sum and _count; the quantiles come and go
    case MetricType::Gauge:
    case MetricType::Untyped:
        return false;
    }
    return false;
}

QString MetricsParseError::toString() const
{
    return QCoreApplication::translate("repl::ops::MetricsReader", "line %1: %2")
        .arg(line)
        .arg(message);
}

std::optional<Metrics> Metrics::parse(QByteArrayView text, MetricsParseError *error)
{
    return MetricsReader().read(text, error);
}

const MetricFamily *Metrics::family(QStringView name) const
{
    for (const MetricFamily &f : m_families)
        if (f.name == name)
            return &f;
    return nullptr;
}

std::optional<double> Metrics::value(QStringView sampleName, const MetricLabels &labels) const
{
    std::optional<double> found;
    int matches = 0;
    for (const MetricFamily &f : m_families)
        for (const MetricSample &s : f.samples) {
            if (s.name != sampleName)
                continue;
            const bool all = std::all_of(labels.begin(), labels.end(),
                                         [&](const auto &l) { return s.labels.contains(l); });
            if (all) {
                found = s.value;
                ++matches;
            }
        }
    return matches == 1 ? found : std::nullopt;
}

QString Metrics::typeName(MetricType type)
{
    switch (type) {
    case MetricType::Counter:
        return QStringLiteral("counter");
    case MetricType::Gauge:
        return QStringLiteral("gauge");
    case MetricType::Histogram:
        return QStringLiteral("histogram");
    case MetricType::Summary:
        return QStringLiteral("summary");
    case MetricType::Untyped:
        return QStringLiteral("untyped");
    }
    return {};
}

} // namespace repl::ops
