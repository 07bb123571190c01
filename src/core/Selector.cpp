#include "core/Selector.h"

#include "core/Error.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QRegularExpression>

namespace repl {

namespace {

// The $regex patterns of one selector, compiled once, and the regex work spent so far.
struct RegexState
{
    QHash<QString, QRegularExpression> compiled;
    qint64 spentNs = 0;
    QString docId; // of the document being matched, for errors

    static QRegularExpression compile(const QString &pattern)
    {
        // A start-of-pattern item only PCRE2 reads: the match limit for this pattern.
        QRegularExpression re(
            QStringLiteral("(*LIMIT_MATCH=%1)").arg(SelectorMatcher::RegexMatchSteps) + pattern);
        re.optimize();
        return re;
    }

    bool matches(const QString &pattern, const QString &value)
    {
        auto it = compiled.constFind(pattern);
        if (it == compiled.constEnd())
            it = compiled.insert(pattern, compile(pattern));
        QElapsedTimer clock;
        clock.start();
        const QRegularExpressionMatch m = it->match(value);
        spentNs += clock.nsecsElapsed();
        // An invalid match of a valid pattern is PCRE2 giving up (match limit, JIT stack):
        // Qt reports no error code, only this.
        if (!m.isValid())
            throw Error::badParameter(
                QStringLiteral("$regex \"%1\" gave up on document \"%2\": it needs more than %3 "
                               "match steps (catastrophic backtracking); simplify the pattern")
                    .arg(pattern, docId)
                    .arg(SelectorMatcher::RegexMatchSteps));
        if (spentNs > SelectorMatcher::RegexBudgetMs * 1000000)
            throw Error::badParameter(
                QStringLiteral("$regex \"%1\": matching took more than %2 ms in this request "
                               "(at document \"%3\"); narrow the selector or ask for fewer "
                               "documents")
                    .arg(pattern)
                    .arg(SelectorMatcher::RegexBudgetMs)
                    .arg(docId));
        return m.hasMatch();
    }
};

// Every $regex pattern inside `v`.
void collectRegexes(const QJsonValue &v, RegexState &rx)
{
    if (v.isArray()) {
        for (const QJsonValue &x : v.toArray())
            collectRegexes(x, rx);
        return;
    }
    if (!v.isObject())
        return;
    const QJsonObject o = v.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (it.key() == u"$regex" && it.value().isString() &&
            !rx.compiled.contains(it.value().toString()))
            rx.compiled.insert(it.value().toString(), RegexState::compile(it.value().toString()));
        collectRegexes(it.value(), rx);
    }
}

// CouchDB's collation order of JSON types: null < false < true < numbers < strings < arrays
// < objects.
int typeRank(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return 0;
    case QJsonValue::Bool:
        return v.toBool() ? 2 : 1;
    case QJsonValue::Double:
        return 3;
    case QJsonValue::String:
        return 4;
    case QJsonValue::Array:
        return 5;
    case QJsonValue::Object:
        return 6;
    default:
        return -1;
    }
}

int compareValues(const QJsonValue &a, const QJsonValue &b)
{
    const int ra = typeRank(a), rb = typeRank(b);
    if (ra != rb)
        return ra < rb ? -1 : 1;
    if (a.isDouble())
        return a.toDouble() < b.toDouble() ? -1 : (a.toDouble() > b.toDouble() ? 1 : 0);
    if (a.isString())
        return QString::compare(a.toString(), b.toString());
    if (a.isArray()) {
        const QJsonArray x = a.toArray(), y = b.toArray();
        for (qsizetype i = 0; i < qMin(x.size(), y.size()); ++i)
            if (const int c = compareValues(x[i], y[i]))
                return c;
        return x.size() < y.size() ? -1 : (x.size() > y.size() ? 1 : 0);
    }
    return a == b ? 0 : 1;
}

QJsonValue fieldValue(const QJsonObject &doc, const QString &path)
{
    QJsonValue v = doc;
    for (const QString &part : path.split(u'.')) {
        if (!v.isObject())
            return QJsonValue(QJsonValue::Undefined);
        v = v.toObject().value(part);
    }
    return v;
}

QString typeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("boolean");
    case QJsonValue::Double:
        return QStringLiteral("number");
    case QJsonValue::String:
        return QStringLiteral("string");
    case QJsonValue::Array:
        return QStringLiteral("array");
    case QJsonValue::Object:
        return QStringLiteral("object");
    default:
        return {};
    }
}

bool matchDoc(const QJsonObject &selector, const QJsonObject &doc, RegexState &rx);

// `cond` applied to a field's value: an operator object, or a plain value meaning $eq.
bool matchCondition(const QJsonValue &value, const QJsonValue &cond, RegexState &rx)
{
    if (!cond.isObject() || cond.toObject().isEmpty() ||
        !cond.toObject().begin().key().startsWith(u'$')) {
        return !value.isUndefined() && compareValues(value, cond) == 0;
    }
    const QJsonObject ops = cond.toObject();
    for (auto it = ops.begin(); it != ops.end(); ++it) {
        const QString &op = it.key();
        const QJsonValue arg = it.value();
        bool ok = false;
        if (op == u"$exists")
            ok = arg.toBool() != value.isUndefined();
        else if (value.isUndefined())
            ok = op == u"$ne" || op == u"$nin" || op == u"$not";
        else if (op == u"$eq")
            ok = compareValues(value, arg) == 0;
        else if (op == u"$ne")
            ok = compareValues(value, arg) != 0;
        else if (op == u"$gt")
            ok = typeRank(value) == typeRank(arg) && compareValues(value, arg) > 0;
        else if (op == u"$gte")
            ok = typeRank(value) == typeRank(arg) && compareValues(value, arg) >= 0;
        else if (op == u"$lt")
            ok = typeRank(value) == typeRank(arg) && compareValues(value, arg) < 0;
        else if (op == u"$lte")
            ok = typeRank(value) == typeRank(arg) && compareValues(value, arg) <= 0;
        else if (op == u"$in" || op == u"$nin") {
            bool found = false;
            for (const QJsonValue &x : arg.toArray())
                found = found || compareValues(value, x) == 0 ||
                        (value.isArray() && value.toArray().contains(x));
            ok = (op == u"$in") == found;
        } else if (op == u"$type")
            ok = typeName(value) == arg.toString();
        else if (op == u"$size")
            ok = value.isArray() && value.toArray().size() == arg.toInteger();
        else if (op == u"$mod") {
            const QJsonArray a = arg.toArray();
            const qint64 divisor = a.size() == 2 ? a[0].toInteger() : 0;
            // x % -1 is 0, but computing it for -2^63 overflows (SIGFPE).
            ok = value.isDouble() && divisor != 0 &&
                 (divisor == -1 ? 0 : value.toInteger() % divisor) == a[1].toInteger();
        } else if (op == u"$regex")
            ok = value.isString() && rx.matches(arg.toString(), value.toString());
        else if (op == u"$all") {
            ok = value.isArray();
            for (const QJsonValue &x : arg.toArray())
                ok = ok && value.toArray().contains(x);
        } else if (op == u"$elemMatch" || op == u"$allMatch") {
            const bool all = op == u"$allMatch";
            ok = value.isArray() && (all ? true : false);
            if (value.isArray()) {
                for (const QJsonValue &x : value.toArray()) {
                    const bool m = arg.isObject() && !arg.toObject().isEmpty() &&
                                           arg.toObject().begin().key().startsWith(u'$')
                                       ? matchCondition(x, arg, rx)
                                       : x.isObject() && matchDoc(arg.toObject(), x.toObject(), rx);
                    if (all && !m) {
                        ok = false;
                        break;
                    }
                    if (!all && m) {
                        ok = true;
                        break;
                    }
                }
            }
        } else if (op == u"$not")
            ok = !matchCondition(value, arg, rx);
        if (!ok)
            return false;
    }
    return true;
}

bool matchDoc(const QJsonObject &selector, const QJsonObject &doc, RegexState &rx)
{
    for (auto it = selector.begin(); it != selector.end(); ++it) {
        const QString &key = it.key();
        bool ok;
        if (key == u"$and") {
            ok = true;
            for (const QJsonValue &s : it.value().toArray())
                ok = ok && matchDoc(s.toObject(), doc, rx);
        } else if (key == u"$or") {
            ok = false;
            for (const QJsonValue &s : it.value().toArray())
                ok = ok || matchDoc(s.toObject(), doc, rx);
        } else if (key == u"$nor") {
            ok = true;
            for (const QJsonValue &s : it.value().toArray())
                ok = ok && !matchDoc(s.toObject(), doc, rx);
        } else if (key == u"$not") {
            ok = !matchDoc(it.value().toObject(), doc, rx);
        } else if (it.value().isObject() && !it.value().toObject().isEmpty() &&
                   !it.value().toObject().begin().key().startsWith(u'$')) {
            // {"a": {"b": 1}} is the dotted field a.b
            QJsonObject nested;
            const QJsonObject sub = it.value().toObject();
            for (auto s = sub.begin(); s != sub.end(); ++s)
                nested.insert(key + u'.' + s.key(), s.value());
            ok = matchDoc(nested, doc, rx);
        } else {
            ok = matchCondition(fieldValue(doc, key), it.value(), rx);
        }
        if (!ok)
            return false;
    }
    return true;
}

const QStringList &knownOperators()
{
    static const QStringList ops{
        QStringLiteral("$and"),       QStringLiteral("$or"),      QStringLiteral("$nor"),
        QStringLiteral("$not"),       QStringLiteral("$eq"),      QStringLiteral("$ne"),
        QStringLiteral("$gt"),        QStringLiteral("$gte"),     QStringLiteral("$lt"),
        QStringLiteral("$lte"),       QStringLiteral("$in"),      QStringLiteral("$nin"),
        QStringLiteral("$exists"),    QStringLiteral("$type"),    QStringLiteral("$size"),
        QStringLiteral("$mod"),       QStringLiteral("$regex"),   QStringLiteral("$all"),
        QStringLiteral("$elemMatch"), QStringLiteral("$allMatch")};
    return ops;
}

QString validateValue(const QJsonValue &v)
{
    if (v.isArray()) {
        for (const QJsonValue &x : v.toArray())
            if (QString e = validateValue(x); !e.isEmpty())
                return e;
    } else if (v.isObject()) {
        return validateSelector(v.toObject());
    }
    return {};
}

} // namespace

QString validateSelector(const QJsonObject &selector)
{
    for (auto it = selector.begin(); it != selector.end(); ++it) {
        if (it.key().startsWith(u'$') && !knownOperators().contains(it.key()))
            return QStringLiteral("unknown selector operator %1").arg(it.key());
        if ((it.key() == u"$and" || it.key() == u"$or" || it.key() == u"$nor" ||
             it.key() == u"$in" || it.key() == u"$nin" || it.key() == u"$all") &&
            !it.value().isArray())
            return QStringLiteral("selector operator %1 needs an array").arg(it.key());
        if (it.key() == u"$regex" &&
            (!it.value().isString() || !QRegularExpression(it.value().toString()).isValid()))
            return QStringLiteral("selector operator $regex needs a valid regular expression");
        if (QString e = validateValue(it.value()); !e.isEmpty())
            return e;
    }
    return {};
}

bool matchesSelector(const QJsonObject &selector, const QJsonObject &doc)
{
    return SelectorMatcher(selector).matches(doc);
}

struct SelectorMatcher::Regexes : RegexState
{
};

SelectorMatcher::SelectorMatcher(QJsonObject selector)
    : m_selector(std::move(selector))
    , m_regexes(std::make_unique<Regexes>())
{
    collectRegexes(m_selector, *m_regexes);
}

SelectorMatcher::~SelectorMatcher() = default;
SelectorMatcher::SelectorMatcher(SelectorMatcher &&) noexcept = default;
SelectorMatcher &SelectorMatcher::operator=(SelectorMatcher &&) noexcept = default;

bool SelectorMatcher::matches(const QJsonObject &doc)
{
    m_regexes->docId = doc.value(QStringLiteral("_id")).toString();
    return matchDoc(m_selector, doc, *m_regexes);
}

} // namespace repl
