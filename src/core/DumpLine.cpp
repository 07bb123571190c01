#include "core/DumpLine.h"

#include <QVarLengthArray>

#include <charconv>
#include <cmath>

namespace repl {

namespace {

// Consumes `literal` at `pos`; false when the text differs.
bool expect(QByteArrayView s, qsizetype &pos, QByteArrayView literal)
{
    if (s.size() - pos < literal.size() || s.sliced(pos, literal.size()) != literal)
        return false;
    pos += literal.size();
    return true;
}

// A JSON string body up to the next '"' with no escapes and no control characters in it
// (those would be escaped).
bool plainString(QByteArrayView s, qsizetype &pos, QByteArrayView &out)
{
    const qsizetype end = s.indexOf('"', pos);
    if (end < 0)
        return false;
    out = s.sliced(pos, end - pos);
    for (char c : out)
        if (c == '\\' || static_cast<unsigned char>(c) < 0x20)
            return false;
    pos = end + 1;
    return true;
}

void skipSpace(QByteArrayView s, qsizetype &pos)
{
    while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n' || s[pos] == '\r'))
        ++pos;
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isHexDigit(char c)
{
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// A JSON string from its opening quote at `pos`, strictly (RFC 8259 §7): no raw control
// characters, only JSON's escapes. `escaped` tells whether it holds any.
bool jsonString(QByteArrayView s, qsizetype &pos, bool &escaped)
{
    escaped = false;
    for (++pos; pos < s.size();) {
        const auto c = static_cast<unsigned char>(s[pos++]);
        if (c == '"')
            return true;
        if (c < 0x20)
            return false;
        if (c != '\\')
            continue;
        escaped = true;
        if (pos >= s.size())
            return false;
        switch (s[pos++]) {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
            break;
        case 'u':
            for (int i = 0; i < 4; ++i, ++pos)
                if (pos >= s.size() || !isHexDigit(s[pos]))
                    return false;
            break;
        default:
            return false;
        }
    }
    return false;
}

// true, false, null or a number (RFC 8259 §6) at `pos`.
bool jsonScalar(QByteArrayView s, qsizetype &pos)
{
    switch (pos < s.size() ? s[pos] : 0) {
    case 't':
        return expect(s, pos, "true");
    case 'f':
        return expect(s, pos, "false");
    case 'n':
        return expect(s, pos, "null");
    default:
        break;
    }
    const auto digits = [&] {
        const qsizetype from = pos;
        while (pos < s.size() && isDigit(s[pos]))
            ++pos;
        return pos > from;
    };
    const qsizetype start = pos;
    if (pos < s.size() && s[pos] == '-')
        ++pos;
    if (pos < s.size() && s[pos] == '0')
        ++pos;
    else if (!digits())
        return false;
    if (pos < s.size() && s[pos] == '.' && (++pos, !digits()))
        return false;
    bool exponent = false;
    if (pos < s.size() && (s[pos] == 'e' || s[pos] == 'E')) {
        exponent = true;
        ++pos;
        if (pos < s.size() && (s[pos] == '+' || s[pos] == '-'))
            ++pos;
        if (!digits())
            return false;
    }
    if (!exponent && pos - start <= 15)
        return true;
    // QJsonDocument refuses a number beyond a double's range, and one that rounds to zero.
    double value = 0;
    const char *end = s.data() + pos;
    const auto [parsed, error] = std::from_chars(s.data() + start, end, value);
    return error == std::errc() && parsed == end && std::isfinite(value);
}

// Whether `s` is what stands between the braces of a stored document as userBody writes it:
// JSON object members (RFC 8259, strictly), nested at most 256 deep (well inside what
// QJsonDocument reads), and at the top level none named _key, _id or _rev and no name with
// escapes. What the fast paths store unparsed is then what the JSON parse would have stored.
bool storedMembers(QByteArrayView s)
{
    constexpr qsizetype MaxDepth = 256;
    QVarLengthArray<char, 32> open; // containers below the top level: '{' or '['
    qsizetype pos = 0;
    bool inObject = true;
    for (;;) {
        // At an element of the innermost container: a member in an object, else a value.
        skipSpace(s, pos);
        if (inObject) {
            const qsizetype nameStart = pos;
            bool escaped = false;
            if (pos >= s.size() || s[pos] != '"' || !jsonString(s, pos, escaped))
                return false;
            if (open.isEmpty()) {
                const QByteArrayView name = s.sliced(nameStart + 1, pos - nameStart - 2);
                if (escaped || name == "_key" || name == "_id" || name == "_rev")
                    return false;
            }
            skipSpace(s, pos);
            if (pos >= s.size() || s[pos++] != ':')
                return false;
            skipSpace(s, pos);
        }
        if (pos >= s.size())
            return false;
        if (const char c = s[pos]; c == '{' || c == '[') {
            if (open.size() >= MaxDepth)
                return false;
            ++pos;
            skipSpace(s, pos);
            if (pos >= s.size())
                return false;
            if (s[pos] != (c == '{' ? '}' : ']')) {
                open.append(c);
                inObject = c == '{';
                continue;
            }
            ++pos; // empty
        } else if (c == '"') {
            bool escaped = false;
            if (!jsonString(s, pos, escaped))
                return false;
        } else if (!jsonScalar(s, pos)) {
            return false;
        }
        // After a value: a ',' goes on in its container, a closing bracket ends it.
        for (;;) {
            skipSpace(s, pos);
            if (open.isEmpty() && pos == s.size())
                return true;
            if (pos >= s.size())
                return false;
            if (s[pos] == ',') {
                ++pos;
                inObject = open.isEmpty() || open.last() == '{';
                break;
            }
            if (open.isEmpty() || s[pos] != (open.last() == '{' ? '}' : ']'))
                return false;
            ++pos;
            open.removeLast();
        }
    }
}

bool digits(QByteArrayView s, qsizetype &pos, QByteArrayView &out)
{
    const qsizetype start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9')
        ++pos;
    out = s.sliced(start, pos - start);
    return pos > start;
}

} // namespace

namespace {
// The document after "data": {"_key":K,"_id":…,"_rev":R[,members]} or {"_key":K,"_rev":R};
// `rest` runs to the end of the line (one more '}' closes the event).
bool documentBody(QByteArrayView rest, QByteArrayView key, QByteArrayView rev, bool removal,
                  QByteArray &body)
{
    qsizetype pos = 0;
    QByteArrayView dataKey, id, dataRev;
    if (!expect(rest, pos, "{\"_key\":\"") || !plainString(rest, pos, dataKey) || dataKey != key)
        return false;
    if (removal) {
        if (!expect(rest, pos, ",\"_rev\":\"") || !plainString(rest, pos, dataRev) ||
            dataRev != rev || rest.sliced(pos) != "}}")
            return false;
        body = QByteArrayLiteral("{}");
        return true;
    }
    if (!expect(rest, pos, ",\"_id\":\"") || !plainString(rest, pos, id) ||
        !expect(rest, pos, ",\"_rev\":\"") || !plainString(rest, pos, dataRev) || dataRev != rev)
        return false;
    const QByteArrayView tail = rest.sliced(pos);
    if (tail == "}}") {
        body = QByteArrayLiteral("{}");
        return true;
    }
    if (tail.size() < 4 || tail.front() != ',' || !tail.endsWith("}}") ||
        !storedMembers(tail.sliced(1, tail.size() - 3)))
        return false;
    body.reserve(tail.size());
    body.append('{');
    body.append(tail.data() + 1, tail.size() - 2);
    return true;
}
} // namespace

std::optional<LogDocumentRecord> parseOwnLogLine(QByteArrayView line)
{
    while (!line.isEmpty() && (line.back() == '\n' || line.back() == '\r'))
        line.chop(1);
    qsizetype pos = 0;
    QByteArrayView tick, type, database, cid, cname, tid, key, rev, oldRev;
    if (!expect(line, pos, "{\"tick\":\"") || !digits(line, pos, tick) ||
        !expect(line, pos, "\",\"type\":") || !digits(line, pos, type) ||
        (type != "2300" && type != "2302") || !expect(line, pos, ",\"database\":\"") ||
        !plainString(line, pos, database) || !expect(line, pos, ",\"cid\":\"") ||
        !plainString(line, pos, cid) || !expect(line, pos, ",\"cname\":\"") ||
        !plainString(line, pos, cname) || !expect(line, pos, ",\"tid\":\"") ||
        !digits(line, pos, tid) || !expect(line, pos, "\",\"key\":\"") ||
        !plainString(line, pos, key) || !expect(line, pos, ",\"rev\":\"") ||
        !plainString(line, pos, rev) || key.isEmpty() || rev.isEmpty() || !line.isValidUtf8())
        return std::nullopt;
    if (expect(line, pos, ",\"oldRev\":\"") && !plainString(line, pos, oldRev))
        return std::nullopt;
    if (!expect(line, pos, ",\"data\":"))
        return std::nullopt;
    LogDocumentRecord r;
    r.deleted = type == "2302";
    if (!documentBody(line.sliced(pos), key, rev, r.deleted, r.body))
        return std::nullopt;
    r.tick = tick.toULongLong();
    r.type = type.toInt();
    r.tid = tid.toULongLong();
    r.cid = cid.toByteArray();
    r.cname = cname.toByteArray();
    r.key = key.toByteArray();
    r.rev = rev.toByteArray();
    r.oldRev = oldRev.toByteArray();
    return r;
}

std::optional<DumpRecord> sliceOwnDumpLine(char *data, qsizetype size)
{
    QByteArrayView line(data, size);
    while (!line.isEmpty() && (line.back() == '\n' || line.back() == '\r'))
        line.chop(1);
    qsizetype pos = 0;
    QByteArrayView tick, type, key, rev, dataKey, id, dataRev;
    if (!expect(line, pos, "{\"tick\":\"") || !digits(line, pos, tick) ||
        !expect(line, pos, "\",\"type\":") || !digits(line, pos, type) ||
        !expect(line, pos, ",\"key\":\"") || !plainString(line, pos, key) ||
        !expect(line, pos, ",\"rev\":\"") || !plainString(line, pos, rev) ||
        !expect(line, pos, ",\"data\":{\"_key\":\"") || !plainString(line, pos, dataKey) ||
        dataKey != key || key.isEmpty() || rev.isEmpty() || !line.isValidUtf8())
        return std::nullopt;
    static constexpr QByteArrayView EmptyBody("{}");
    DumpRecord r;
    r.tick = tick.toULongLong();
    r.key = key;
    r.rev = rev;
    if (type == "2302") {
        if (!expect(line, pos, ",\"_rev\":\"") || !plainString(line, pos, dataRev) ||
            dataRev != rev || line.sliced(pos) != "}}")
            return std::nullopt;
        r.deleted = true;
        r.body = EmptyBody;
        return r;
    }
    if (type != "2300" || !expect(line, pos, ",\"_id\":\"") || !plainString(line, pos, id) ||
        !expect(line, pos, ",\"_rev\":\"") || !plainString(line, pos, dataRev) || dataRev != rev)
        return std::nullopt;
    // Rest: "}}" (no attributes) or ",<members>}}".
    const QByteArrayView rest = line.sliced(pos);
    if (rest == "}}") {
        r.body = EmptyBody;
        return r;
    }
    if (rest.size() < 4 || rest.front() != ',' || !rest.endsWith("}}") ||
        !storedMembers(rest.sliced(1, rest.size() - 3)))
        return std::nullopt;
    data[pos] = '{'; // ",<members>}" becomes the stored object "{<members>}"
    r.body = QByteArrayView(data + pos, rest.size() - 1);
    return r;
}

} // namespace repl
