// Mango selectors as clients send them (_find, _changes?filter=_selector, replication
// selectors). The input is a selector, optionally followed by a line break and a document.
// Checked: validateSelector takes any object; a valid selector matches the input's document
// and a few fixed ones the same way every time, through SelectorMatcher and matchesSelector,
// and the combinators agree with it ({"$and":[s]} and {"$or":[s]} as s, {"$nor":[s]} and
// {"$not":s} as its negation). A $regex over its limits is an Error, never a crash.
#include "FuzzSupport.h"

#include "core/Error.h"
#include "core/Selector.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace repl;
using namespace repl::fuzz;

namespace {

const QList<QJsonObject> &fixedDocuments()
{
    static const QList<QJsonObject> docs = [] {
        QList<QJsonObject> out;
        for (const char *json :
             {R"({"_id":"a","_rev":"1-a","type":"order","n":3,"total":12.5,"tags":["x","y"],)"
              R"("customer":{"name":"Ann","city":"Berlin"},"items":[{"sku":"p1","qty":2}]})",
              R"({"_id":"b","n":-9223372036854775808,"s":"","empty":{},"list":[],"flag":true,)"
              R"("nothing":null,"deep":{"a":{"b":{"c":[1,[2,[3]]]}}}})",
              R"({"_id":"c","n":1e300,"m":-0.0,"tags":[1,"1",true,null,{"k":1}],"s":"ÄÖÜ🙂"})",
              R"({})"})
            out.append(QJsonDocument::fromJson(json).object());
        return out;
    }();
    return docs;
}

// The selector's answer for `doc`, or nullopt when a $regex gave up (an Error 400).
std::optional<bool> match(const QJsonObject &selector, const QJsonObject &doc)
{
    try {
        return SelectorMatcher(selector).matches(doc);
    } catch (const Error &e) {
        FUZZ_CHECK(e.httpStatus() == 400 && e.message().contains(u"$regex"), shown(e.message()));
        return std::nullopt;
    }
}

void checkSelector(const QJsonObject &selector, const QJsonObject &doc)
{
    const QByteArray what = QJsonDocument(selector).toJson(QJsonDocument::Compact) + " on " +
                            QJsonDocument(doc).toJson(QJsonDocument::Compact);
    SelectorMatcher matcher(selector);
    std::optional<bool> first;
    try {
        first = matcher.matches(doc);
        FUZZ_CHECK(matcher.matches(doc) == *first, what);
    } catch (const Error &e) {
        FUZZ_CHECK(e.httpStatus() == 400, shown(e.message()));
        return;
    }
    const auto same = [&](const QJsonObject &s, bool expected, const char *how) {
        FUZZ_CHECK(validateSelector(s).isEmpty(), QByteArray(how) + ": " + what);
        const std::optional<bool> m = match(s, doc);
        FUZZ_CHECK(!m || *m == expected, QByteArray(how) + ": " + what);
    };
    same(QJsonObject{{QStringLiteral("$and"), QJsonArray{selector}}}, *first, "$and");
    same(QJsonObject{{QStringLiteral("$or"), QJsonArray{selector}}}, *first, "$or");
    same(QJsonObject{{QStringLiteral("$nor"), QJsonArray{selector}}}, !*first, "$nor");
    same(QJsonObject{{QStringLiteral("$not"), selector}}, !*first, "$not");
    try {
        FUZZ_CHECK(matchesSelector(selector, doc) == *first, what);
    } catch (const Error &) {
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype newline = input.indexOf('\n');
    const QJsonDocument s = QJsonDocument::fromJson(newline < 0 ? input : input.left(newline));
    if (!s.isObject())
        return 0;
    const QJsonObject selector = s.object();
    if (!validateSelector(selector).isEmpty())
        return 0;
    QList<QJsonObject> docs = fixedDocuments();
    if (newline >= 0) {
        const QJsonDocument d = QJsonDocument::fromJson(input.mid(newline + 1));
        if (d.isObject())
            docs.prepend(d.object());
    }
    for (const QJsonObject &doc : std::as_const(docs))
        checkSelector(selector, doc);
    // Everything matches the empty selector.
    FUZZ_CHECK(match({}, docs.first()).value_or(true));
    return 0;
}
