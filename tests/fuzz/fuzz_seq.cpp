// CouchDB update sequences: `since` of _changes as the server reads it (CouchService::parseSeq,
// fed the way the _changes route feeds it: digits as text, anything else as JSON when it is
// JSON), and a peer's seq values as the replicator passes them on (couchSeqText). Checked: an
// accepted since is at most 2^63 - 1 and is the number the text starts with; a refusal is a
// 400 with a reason; a seq value a peer sends, turned into text and sent back as since, reads
// as the same number; nothing is silently 0 unless it says 0.
#include "FuzzSupport.h"

#include "core/DocumentJson.h"
#include "engine/couch/CouchService.h"
#include "storage/Connection.h"

#include <limits>

using namespace repl;
using namespace repl::fuzz;

namespace {

constexpr Tick MaxSeq = Tick(std::numeric_limits<qint64>::max());

// The _changes route's reading of ?since= (CouchRoutes.cpp).
QJsonValue sinceValue(const QString &s)
{
    const bool digits = !s.isEmpty() && std::all_of(s.begin(), s.end(), [](QChar ch) {
        return ch >= u'0' && ch <= u'9';
    });
    return s == u"now" || digits ? QJsonValue(s)
                                 : parseJsonValue(s.toUtf8()).value_or(QJsonValue(s));
}

std::optional<Tick> parse(const QJsonValue &v)
{
    if (v.toString() == u"now")
        return std::nullopt; // the collection's last tick: needs a database
    static storage::Connection unopened(QStringLiteral(":memory:"), storage::SyncMode::Normal,
                                        true);
    static const CollectionInfo collection;
    try {
        const Tick t = CouchService::parseSeq(unopened, collection, v);
        FUZZ_CHECK(t <= MaxSeq, QByteArray::number(t));
        return t;
    } catch (const CouchError &e) {
        FUZZ_CHECK(e.httpStatus() == 400 && e.error() == u"bad_request" &&
                       e.message().startsWith(u"Malformed sequence"),
                   shown(e.message()));
        return std::nullopt;
    }
}

// The decimal number `s` starts with, if it starts with one and fits a seq.
std::optional<Tick> leadingNumber(const QString &s)
{
    qsizetype n = 0;
    while (n < s.size() && s[n] >= u'0' && s[n] <= u'9')
        ++n;
    bool ok = false;
    const Tick t = s.first(n).toULongLong(&ok);
    if (n == 0 || !ok || t > MaxSeq)
        return std::nullopt;
    return t;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString s = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const QByteArray what = shown(s);
    const QJsonValue v = sinceValue(s);
    const std::optional<Tick> since = parse(v);
    if (since && v.isString()) {
        // "N" and "N-opaque" (CouchDB 2+) are their number; nothing else is accepted as text.
        FUZZ_CHECK(leadingNumber(v.toString()) == since, what);
    }
    if (since && *since == 0)
        FUZZ_CHECK(v.isNull() || v.toDouble() == 0 || v.toString().startsWith(u'0'), what);
    if (v.isString()) {
        // Digits, or digits, '-' and an opaque rest on one line: accepted as long as the number
        // fits, refused beyond (never read as 0).
        const QString text = v.toString();
        const qsizetype dash = text.indexOf(u'-');
        const QString digits = dash < 0 ? text : text.first(dash);
        const bool numeric =
            !digits.isEmpty() && std::all_of(digits.begin(), digits.end(),
                                             [](QChar c) { return c >= u'0' && c <= u'9'; });
        if (numeric && (dash < 0 || !text.contains(u'\n')))
            FUZZ_CHECK(since == leadingNumber(text), what);
    }
    // As the last-event-id header: the text itself.
    (void)parse(QJsonValue(s));

    // A peer's seq value (from JSON), as the replicator sends it back as since.
    if (const std::optional<QJsonValue> peer = parseJsonValue(s.toUtf8())) {
        const QString text = couchSeqText(*peer);
        (void)couchSeqShort(text);
        const std::optional<Tick> direct = parse(*peer);
        if (direct && *direct <= (Tick(1) << 53)) // exact as a JSON number
            FUZZ_CHECK(parse(sinceValue(text)) == direct, what + " as " + shown(text));
        if (peer->isString())
            FUZZ_CHECK(text == peer->toString(), what);
    }
    return 0;
}
