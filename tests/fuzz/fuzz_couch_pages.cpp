// What the CouchDB replicator and the _revs_diff route read from bytes without QJsonDocument:
// a _changes page (couchrepl::parseChangesPage, docHead), a _revs_diff answer
// (parseRevsDiffAnswer) and a _revs_diff request (CouchService::readRevsDiff). Input: one
// byte (its value mod 3 picks which), then the text. Checked on any text that passes
// jsonTextProblemAt: what the byte reader takes, QJsonDocument reads too, to the same values
// (ids, revisions, seqs, documents, missing revisions; a member named twice counts once, the
// last, as in a JSON object); a revs_diff request it refuses is refused by the parsed reading
// too, with the same error.
#include "FuzzSupport.h"

#include "engine/couch/CouchService.h"
#include "engine/couch/replicator/CouchReplicationSupport.h"
#include "server/Http.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace repl;
using namespace repl::fuzz;
using namespace repl::couchrepl;

namespace {

std::optional<QJsonObject> parsedObject(QByteArrayView text)
{
    QJsonParseError err{};
    const QJsonDocument d = QJsonDocument::fromJson(text.toByteArray(), &err);
    if (err.error != QJsonParseError::NoError || !d.isObject())
        return std::nullopt;
    return d.object();
}

void checkPage(const QByteArray &text)
{
    const std::optional<ChangesPage> page = parseChangesPage(text);
    if (!page)
        return;
    const std::optional<QJsonObject> o = parsedObject(text);
    FUZZ_CHECK(o, "page taken, refused by QJsonDocument: " + shown(text));
    FUZZ_CHECK(page->lastSeq == o->value(QStringLiteral("last_seq")), shown(text));
    FUZZ_CHECK(page->pending == o->value(QStringLiteral("pending")), shown(text));
    const QJsonArray rows = o->value(QStringLiteral("results")).toArray();
    FUZZ_CHECK(page->rows.size() == rows.size(), shown(text));
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const QJsonObject row = rows[i].toObject();
        const ChangeRow &r = page->rows[i];
        const QJsonValue id = row.value(QStringLiteral("id"));
        FUZZ_CHECK(r.id.isEmpty() ? id.isUndefined() : r.idText() == id.toString(),
                   shown(text) + " row " + QByteArray::number(i));
        FUZZ_CHECK(jsonValueOf(r.seq) == row.value(QStringLiteral("seq")), shown(text));
        QStringList revs;
        for (const QJsonValue &c : row.value(QStringLiteral("changes")).toArray()) {
            const QJsonValue rev = c.toObject().value(QStringLiteral("rev"));
            if (!rev.isUndefined())
                revs.append(rev.toString());
        }
        QStringList read;
        for (QByteArrayView rev : r.revs)
            read.append(jsonValueOf(rev).toString());
        FUZZ_CHECK(read == revs, shown(text) + " row " + QByteArray::number(i));
        const QJsonValue doc = row.value(QStringLiteral("doc"));
        FUZZ_CHECK(r.doc.isEmpty() == !doc.isObject(), shown(text));
        if (r.doc.isEmpty())
            continue;
        FUZZ_CHECK(parsedObject(r.doc) == doc.toObject(), shown(r.doc));
        const std::optional<DocHead> head = docHead(r.doc);
        if (!head)
            continue; // an escaped name: the replicator takes the slow way
        const QJsonObject d = doc.toObject();
        FUZZ_CHECK(head->id == d.value(QStringLiteral("_id")).toString(), shown(r.doc));
        const QJsonValue rev = d.value(QStringLiteral("_rev"));
        FUZZ_CHECK(head->rev.isEmpty() || QString::fromUtf8(head->rev) == rev.toString(),
                   shown(r.doc));
        FUZZ_CHECK(head->deleted == (d.value(QStringLiteral("_deleted")) == QJsonValue(true)),
                   shown(r.doc));
    }
}

void checkAnswer(const QByteArray &text)
{
    const std::optional<QList<MissingRevs>> missing = parseRevsDiffAnswer(text);
    if (!missing)
        return;
    const std::optional<QJsonObject> o = parsedObject(text);
    FUZZ_CHECK(o, "answer taken, refused by QJsonDocument: " + shown(text));
    FUZZ_CHECK(missing->size() == o->size(), shown(text));
    for (const MissingRevs &m : *missing) {
        QStringList revs;
        for (const QJsonValue &v :
             o->value(m.id).toObject().value(QStringLiteral("missing")).toArray())
            revs.append(v.toString());
        FUZZ_CHECK(o->contains(m.id) && revs == m.revs, shown(text) + " id " + shown(m.id));
    }
}

QString describe(const CouchError &e)
{
    return QStringLiteral("%1 %2").arg(e.httpStatus()).arg(e.message());
}

void checkRequest(const QByteArray &text)
{
    QString fastError, slowError;
    std::optional<QList<CouchService::RevsDiffEntry>> fast;
    try {
        fast = CouchService::readRevsDiff(QByteArrayView(text));
        if (!fast)
            return; // not an object: the route parses it for its error
    } catch (const CouchError &e) {
        fastError = describe(e);
    }
    const std::optional<QJsonObject> o = parsedObject(text);
    FUZZ_CHECK(o, "request taken, refused by QJsonDocument: " + shown(text));
    QList<CouchService::RevsDiffEntry> slow;
    try {
        slow = CouchService::readRevsDiff(*o);
    } catch (const CouchError &e) {
        slowError = describe(e);
    }
    // Both refuse, though maybe for different ids (a JSON object's members are sorted).
    FUZZ_CHECK(fastError.isEmpty() == slowError.isEmpty(),
               shown(text) + "\n  fast: " + shown(fastError) + "\n  slow: " + shown(slowError));
    if (!fastError.isEmpty())
        return;
    FUZZ_CHECK(fast->size() == slow.size(), shown(text));
    for (const CouchService::RevsDiffEntry &e : *fast) {
        const auto it =
            std::find_if(slow.begin(), slow.end(), [&](const auto &s) { return s.id == e.id; });
        FUZZ_CHECK(it != slow.end() && it->revs == e.revs, shown(text) + " id " + shown(e.id));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Input in(data, size);
    const int mode = in.byte() % 3;
    const QByteArray text = in.rest().toByteArray();
    if (server::jsonTextProblemAt(text) >= 0)
        return 0;
    if (mode == 0)
        checkPage(text);
    else if (mode == 1)
        checkAnswer(text);
    else
        checkRequest(text);
    return 0;
}
