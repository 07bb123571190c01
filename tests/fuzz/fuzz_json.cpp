// JSON request bodies as the server reads them (server/Http: Request::jsonValue for any value,
// Request::jsonObject for objects, both refusing raw control characters inside strings, which
// QJsonDocument lets through). Checked: what jsonObject accepts, jsonValue accepts as the same
// object; an accepted body holds no raw control character in a string; an accepted value
// written out (compactly, as every answer does) holds none either and reads back equal; a body
// refused only for a raw control character has one, inside a string, where the error says (or
// a raw U+FEFF starting a string, which QJsonDocument drops, or an escaped surrogate without
// its pair, which QJsonObject sorts inconsistently: both found by this target; or invalid UTF-8,
// which QJsonDocument reads as U+FFFD; or an escape JSON does not have, which QJsonDocument
// takes, also before a byte of invalid UTF-8: found by this target). An accepted body is valid
// UTF-8.
#include "FuzzSupport.h"

#include "core/DocumentJson.h"
#include "core/Error.h"
#include "server/Http.h"

#include <QJsonDocument>

using namespace repl;
using namespace repl::fuzz;
using namespace repl::server;

namespace {

std::optional<QJsonValue> jsonValue(const Request &r)
{
    try {
        return r.jsonValue();
    } catch (const Error &e) {
        FUZZ_CHECK(e.httpStatus() == 400 && !e.message().isEmpty());
        return std::nullopt;
    }
}

std::optional<QJsonObject> jsonObject(const Request &r)
{
    try {
        return r.jsonObject();
    } catch (const Error &e) {
        FUZZ_CHECK(e.httpStatus() == 400 && !e.message().isEmpty());
        return std::nullopt;
    }
}

// Where a raw control character sits inside a string of `text`, found the slow way: every
// position holding one, checked to lie between a string's quotes by counting the quotes before
// it that are not escaped.
bool insideString(QByteArrayView text, qsizetype at)
{
    bool inString = false;
    for (qsizetype i = 0; i < at; ++i) {
        if (inString && text[i] == '\\') {
            ++i;
            continue;
        }
        if (text[i] == '"')
            inString = !inString;
    }
    return inString;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Request r;
    r.body = QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
    const std::optional<QJsonValue> value = jsonValue(r);
    const std::optional<QJsonObject> object = jsonObject(r);
    const QByteArray what = shown(r.body);
    // (QJsonDocument skips a leading UTF-8 byte order mark, which RFC 8259 allows; jsonValue
    // wraps the text first, so there it is an error, as in CouchDB and ArangoDB.)
    if (object && !r.body.startsWith("\xef\xbb\xbf")) {
        FUZZ_CHECK(value && value->isObject() && value->toObject() == *object, what);
    }
    const qsizetype control = jsonTextProblemAt(r.body);
    if (value) {
        FUZZ_CHECK(control < 0 && QByteArrayView(r.body).isValidUtf8(), what);
        const QByteArray text = jsonText(*value).toUtf8();
        // QJsonDocument writes U+FEFF raw, also where it starts a string (from "\ufeff"), and
        // drops it there when it reads: such a value does not survive Qt's text. A known
        // limit (tests/fuzz/README.md); everything else must.
        if (!text.contains("\"\xef\xbb\xbf")) {
            FUZZ_CHECK(jsonTextProblemAt(text) < 0, shown(text));
            const std::optional<QJsonValue> back = parseJsonValue(text);
            FUZZ_CHECK(back && *back == *value, shown(text));
        }
    }
    // Qt's parse alone: what the server refuses beyond it is a raw control inside a string.
    const std::optional<QJsonValue> qt =
        r.body.trimmed().isEmpty() ? std::nullopt : parseJsonValue(r.body);
    if (qt && !value) {
        FUZZ_CHECK(control >= 0, what);
    }
    if (qt && control >= 0) {
        const bool byteOrderMark =
            control > 0 && r.body[control - 1] == '"' && r.body.mid(control, 3) == "\xef\xbb\xbf";
        const bool surrogate = r.body.mid(control, 2) == "\\u";
        // An escape JSON does not have (Qt's parser takes any byte after a backslash).
        const bool badEscape = r.body[control] == '\\' && control + 1 < r.body.size() &&
                               !QByteArrayView("\"\\/bfnrtu").contains(r.body[control + 1]);
        // Invalid UTF-8 (Qt reads each bad byte as U+FFFD): the first bad sequence.
        const bool badUtf8 = static_cast<unsigned char>(r.body[control]) >= 0x80 &&
                             !byteOrderMark &&
                             QByteArrayView(r.body).first(control).isValidUtf8() &&
                             !QByteArrayView(r.body).sliced(control).isValidUtf8();
        FUZZ_CHECK(static_cast<unsigned char>(r.body[control]) < 0x20 || byteOrderMark ||
                       surrogate || badUtf8 || badEscape,
                   what);
        FUZZ_CHECK(insideString(r.body, control), what);
        FUZZ_CHECK(!jsonTextProblemMessage(r.body, control).isEmpty());
    }
    return 0;
}
