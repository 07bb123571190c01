// The end of a _changes answer read before the whole answer is parsed (the replicator asks
// for the next page at once). See CouchReplicationSupport.h.
#include "engine/couch/replicator/CouchReplicationSupport.h"

#include <algorithm>

namespace repl {

namespace couchrepl {

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

} // namespace couchrepl

} // namespace repl
