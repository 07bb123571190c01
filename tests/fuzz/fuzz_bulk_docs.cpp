// _bulk_docs new_edits=false bodies as replicators send them, read from their bytes
// (CouchService::readReplicatedBulkDocs, the fast path) and as QJsonDocument reads them
// (readBulkDocs, the slow path the route takes otherwise). Input: one byte, then the text.
// The byte's low bit set: the text is one document, put in {"new_edits":false,"docs":[…]};
// clear: the text is the whole body. Checked on any text that passes jsonTextProblemAt (the
// route's check before either reader): when the fast path takes the body, QJsonDocument reads
// it too, and both readers give the same documents (id, revision, history, deletion, body as
// an object) or refuse it with the same error; every body the fast path makes is a compact
// JSON object.
#include "FuzzSupport.h"

#include "core/JsonScan.h"
#include "engine/couch/CouchService.h"
#include "server/Http.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace repl;
using namespace repl::fuzz;

namespace {

struct Outcome
{
    QJsonArray docs;
    QString error; // "status error: reason"
};

QString describe(const CouchError &e)
{
    return QStringLiteral("%1 %2: %3").arg(e.httpStatus()).arg(e.error(), e.message());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Input in(data, size);
    const bool oneDocument = in.byte() & 1;
    QByteArray body = in.rest().toByteArray();
    if (oneDocument)
        body = "{\"new_edits\":false,\"docs\":[" + body + "]}";
    if (server::jsonTextProblemAt(body) >= 0)
        return 0;

    Outcome fast;
    try {
        const auto input = CouchService::readReplicatedBulkDocs(body);
        if (!input)
            return 0; // declined: the route parses the body as before
        fast.docs = CouchService::describeBulkDocsInput(*input);
    } catch (const CouchError &e) {
        fast.error = describe(e);
    }

    QJsonParseError err{};
    const QJsonDocument d = QJsonDocument::fromJson(body, &err);
    FUZZ_CHECK(err.error == QJsonParseError::NoError && d.isObject(),
               "taken by the fast path, refused by QJsonDocument: " + shown(body));
    const QJsonObject o = d.object();
    FUZZ_CHECK(o.value(QStringLiteral("docs")).isArray() &&
                   o.value(QStringLiteral("new_edits")) == QJsonValue(false),
               shown(body));
    Outcome slow;
    try {
        const auto input =
            CouchService::readBulkDocs(o.value(QStringLiteral("docs")).toArray(), false);
        slow.docs = CouchService::describeBulkDocsInput(*input);
    } catch (const CouchError &e) {
        slow.error = describe(e);
    }
    FUZZ_CHECK(fast.error == slow.error,
               shown(body) + "\n  fast: " + shown(fast.error) + "\n  slow: " + shown(slow.error));
    FUZZ_CHECK(fast.docs.size() == slow.docs.size(), shown(body));
    for (qsizetype i = 0; i < fast.docs.size(); ++i) {
        QJsonObject f = fast.docs[i].toObject();
        QJsonObject s = slow.docs[i].toObject();
        const QByteArray bytes = f.take(QStringLiteral("bodyBytes")).toString().toUtf8();
        s.remove(QStringLiteral("bodyBytes"));
        if (!f.value(QStringLiteral("id")).toString().startsWith(u"_local/")) {
            const QJsonDocument stored = QJsonDocument::fromJson(bytes, &err);
            qsizetype end = 0;
            bool spaced = false;
            FUZZ_CHECK(err.error == QJsonParseError::NoError && stored.isObject() &&
                           jsonscan::value(bytes, end, &spaced) && end == bytes.size() && !spaced,
                       "not a compact object: " + shown(bytes));
        }
        FUZZ_CHECK(f == s, shown(body) +
                               "\n  fast: " + QJsonDocument(f).toJson(QJsonDocument::Compact) +
                               "\n  slow: " + QJsonDocument(s).toJson(QJsonDocument::Compact));
    }
    return 0;
}
