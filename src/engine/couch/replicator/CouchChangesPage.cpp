// A _changes answer as the replicator reads it: its end before the whole answer is parsed
// (the next page is asked for at once), then the page itself without building JSON objects,
// and the documents it carries. See CouchReplicationSupport.h.
#include "engine/couch/replicator/CouchReplicationSupport.h"

#include "core/DocumentJson.h"
#include "core/JsonScan.h"

#include <QHash>

#include <algorithm>
#include <charconv>

namespace repl::couchrepl {

std::optional<ChangesTail> trailingLastSeq(const QByteArray &body)
{
    static constexpr char Key[] = "\"last_seq\"";
    const qsizetype key = body.lastIndexOf(Key);
    if (key < 0)
        return std::nullopt;
    const char *p = body.constData() + key + qsizetype(sizeof(Key) - 1);
    const char *const end = body.constData() + body.size();
    auto skipSpace = [&] {
        while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
            ++p;
    };
    // The key follows the results array: `],` or `,` before it (another top-level member).
    const char *before = body.constData() + key;
    while (before > body.constData() &&
           (before[-1] == ' ' || before[-1] == '\n' || before[-1] == '\r' || before[-1] == '\t'))
        --before;
    if (before == body.constData() || before[-1] != ',')
        return std::nullopt;
    skipSpace();
    if (p == end || *p++ != ':')
        return std::nullopt;
    skipSpace();
    QJsonValue seq;
    if (p < end && *p == '"') {
        const char *start = ++p;
        while (p < end && *p != '"' && *p != '\\')
            ++p;
        if (p == end || *p != '"')
            return std::nullopt; // escapes: left to the parser
        seq = QString::fromUtf8(start, p - start);
        ++p;
    } else {
        const char *start = p;
        while (p < end && *p >= '0' && *p <= '9')
            ++p;
        if (p == start || p - start > 15)
            return std::nullopt; // not a plain integer a double holds exactly
        seq = QByteArray(start, p - start).toLongLong();
    }
    skipSpace();
    qint64 pending = -1;
    if (p < end && *p == ',') {
        ++p;
        skipSpace();
        static constexpr char Pending[] = "\"pending\"";
        const qsizetype n = qsizetype(sizeof(Pending) - 1);
        if (end - p < n || !std::equal(p, p + n, Pending))
            return std::nullopt;
        p += n;
        skipSpace();
        if (p == end || *p++ != ':')
            return std::nullopt;
        skipSpace();
        const char *digits = p;
        while (p < end && *p >= '0' && *p <= '9')
            ++p;
        if (p == digits || p - digits > 15)
            return std::nullopt;
        pending = QByteArray(digits, p - digits).toLongLong();
        skipSpace();
    }
    if (p == end || *p++ != '}')
        return std::nullopt;
    skipSpace();
    if (p != end)
        return std::nullopt;
    return ChangesTail{seq, pending};
}

// ---- the page itself

namespace {

// A string member's text, into `out`; false for a value of another kind.
bool stringOf(QByteArrayView value, QString &out)
{
    std::optional<QString> text = jsonStringValue(value);
    if (text)
        out = std::move(*text);
    return text.has_value();
}

bool isString(QByteArrayView value)
{
    return value.startsWith('"');
}

bool readRow(QByteArrayView row, ChangeRow &out)
{
    return jsonscan::wholeObject(row, [&](const jsonscan::Member &m) {
        if (m.escaped)
            return true; // nothing we read has escapes in its name
        if (m.name == "id") {
            out.id = m.value;
            return isString(m.value);
        }
        if (m.name == "seq") {
            out.seq = m.value;
        } else if (m.name == "doc") {
            out.doc = m.value.startsWith('{') ? m.value : QByteArrayView();
        } else if (m.name == "changes") {
            out.revs.clear(); // named twice: the last counts, as in a JSON object
            qsizetype at = 0;
            return jsonscan::elements(m.value, at, [&](QByteArrayView change) {
                QByteArrayView rev; // named twice: the last counts
                const bool read = jsonscan::wholeObject(change, [&](const jsonscan::Member &c) {
                    if (c.escaped || c.name != "rev")
                        return true;
                    rev = c.value;
                    return isString(c.value);
                });
                if (read && !rev.isNull())
                    out.revs.append(rev);
                return read;
            });
        }
        return true;
    });
}

} // namespace

QJsonValue jsonValueOf(QByteArrayView text)
{
    QByteArrayView plain;
    if (jsonscan::plainStringValue(text, plain))
        return QString::fromUtf8(plain);
    qint64 n = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (error == std::errc() && end == text.data() + text.size() && text.size() <= 15 &&
        !text.startsWith('-'))
        return n;
    return parseJsonValue(text).value_or(QJsonValue(QJsonValue::Undefined));
}

std::optional<ChangesPage> parseChangesPage(QByteArray bytes)
{
    ChangesPage page;
    page.bytes = std::move(bytes);
    const QByteArrayView text(page.bytes);
    bool results = false;
    const bool scanned = jsonscan::wholeObject(text, [&](const jsonscan::Member &m) {
        if (m.escaped)
            return true;
        if (m.name == "results") {
            results = true;
            page.rows.clear(); // named twice: the last counts, as in a JSON object
            qsizetype at = 0;
            return jsonscan::elements(m.value, at, [&](QByteArrayView row) {
                ChangeRow r;
                if (!readRow(row, r))
                    return false;
                page.rows.append(std::move(r));
                return true;
            });
        }
        if (m.name == "last_seq")
            page.lastSeq = jsonValueOf(m.value);
        else if (m.name == "pending")
            page.pending = jsonValueOf(m.value);
        return true;
    });
    if (!scanned || !results)
        return std::nullopt;
    return page;
}

std::optional<DocHead> docHead(QByteArrayView doc)
{
    DocHead head;
    const bool scanned = jsonscan::wholeObject(doc, [&](const jsonscan::Member &m) {
        if (m.escaped)
            return false; // "\u005fid" is _id: the caller takes the slow way
        if (m.name == "_id")
            return stringOf(m.value, head.id);
        if (m.name == "_rev") {
            head.rev = {};
            jsonscan::plainStringValue(m.value, head.rev);
        } else if (m.name == "_deleted")
            head.deleted = m.value == "true";
        else if (m.name == "_attachments")
            head.attachments = m.value;
        return true;
    });
    if (!scanned)
        return std::nullopt;
    return head;
}

std::optional<QList<MissingRevs>> parseRevsDiffAnswer(QByteArrayView answer)
{
    QList<MissingRevs> out;
    QHash<QString, qsizetype> index; // an id named twice: the last counts
    const bool scanned = jsonscan::wholeObject(answer, [&](const jsonscan::Member &m) {
        MissingRevs entry;
        if (!stringOf(answer.sliced(m.begin, m.name.size() + 2), entry.id))
            return false;
        bool listed = false;
        const bool ok = jsonscan::wholeObject(m.value, [&](const jsonscan::Member &f) {
            if (f.escaped || f.name != "missing")
                return true; // possible_ancestors: not used
            listed = true;
            entry.revs.clear();
            qsizetype at = 0;
            return jsonscan::elements(f.value, at, [&](QByteArrayView rev) {
                QString text;
                if (!stringOf(rev, text))
                    return false;
                entry.revs.append(text);
                return true;
            });
        });
        if (!ok || !listed)
            return false;
        if (const auto it = index.constFind(entry.id); it != index.constEnd()) {
            out[it.value()] = std::move(entry);
        } else {
            index.insert(entry.id, out.size());
            out.append(std::move(entry));
        }
        return true;
    });
    if (!scanned)
        return std::nullopt;
    return out;
}

QByteArray revsDiffRequest(const QList<ChangeRow> &rows)
{
    QByteArray out;
    out.reserve(rows.size() * 64 + 2);
    out.append('{');
    for (const ChangeRow &row : rows) {
        if (row.id.size() <= 2 || row.revs.isEmpty())
            continue; // no id (""), or nothing to ask
        if (out.size() > 1)
            out.append(',');
        out.append(row.id);
        out.append(":[");
        for (qsizetype i = 0; i < row.revs.size(); ++i) {
            if (i > 0)
                out.append(',');
            out.append(row.revs[i]);
        }
        out.append(']');
    }
    out.append('}');
    return out;
}

QByteArray withFirstRevision(QByteArrayView doc, QByteArrayView hash)
{
    QByteArray out;
    out.reserve(doc.size() + hash.size() + 40);
    out.append("{\"_revisions\":{\"start\":1,\"ids\":[");
    appendJsonString(out, hash);
    out.append("]}");
    const QByteArrayView rest = doc.sliced(1).trimmed();
    if (rest != "}")
        out.append(',');
    out.append(rest);
    return out;
}

} // namespace repl::couchrepl
