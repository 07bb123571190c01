#include "core/DumpLine.h"

#include "core/JsonScan.h"

namespace repl {

using jsonscan::expect;

namespace {

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

// Whether `s` is what stands between the braces of a stored document as userBody writes it:
// JSON object members (RFC 8259, strictly, as jsonscan reads them), and at the top level none
// named _key, _id or _rev and no name with escapes. What the fast paths store unparsed is then
// what the JSON parse would have stored.
bool storedMembers(QByteArrayView s)
{
    qsizetype pos = 0;
    for (;;) {
        jsonscan::skipSpace(s, pos);
        const qsizetype nameStart = pos;
        bool escaped = false;
        if (pos >= s.size() || s[pos] != '"' || !jsonscan::string(s, pos, escaped))
            return false;
        const QByteArrayView name = s.sliced(nameStart + 1, pos - nameStart - 2);
        if (escaped || name == "_key" || name == "_id" || name == "_rev")
            return false;
        jsonscan::skipSpace(s, pos);
        if (pos >= s.size() || s[pos++] != ':' || !jsonscan::value(s, pos))
            return false;
        jsonscan::skipSpace(s, pos);
        if (pos == s.size())
            return true;
        if (s[pos++] != ',')
            return false;
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
