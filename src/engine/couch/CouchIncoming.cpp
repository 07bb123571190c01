// The CouchDB face reading what clients and replicators send: documents as JSON objects, and
// replicators' _bulk_docs new_edits=false read from their bytes (bodies spliced, not parsed and
// written again). See CouchIncoming.h and CouchService.h.
#include "engine/couch/CouchIncoming.h"

#include "core/DocumentJson.h"
#include "core/JsonScan.h"
#include "engine/couch/CouchService.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QUuid>

#include <algorithm>
#include <charconv>
#include <limits>

namespace repl::CouchService {

namespace detail {

namespace {

QByteArrayView checkedHash(QByteArrayView hash)
{
    if (!isPlainHash(hash))
        throw CouchError::badRequest(QStringLiteral("Invalid rev format"));
    return hash;
}

CouchError illegalDocId(const QString &reason)
{
    return {400, QStringLiteral("illegal_docid"), reason};
}

// Special members CouchDB keeps in the body of any document (couch_doc's transfer_fields):
// the replicator's state on _replicator documents, and _access.
bool isKeptSpecialMember(const QString &key)
{
    static const QSet<QString> kept{QStringLiteral("_attachments"),
                                    QStringLiteral("_access"),
                                    QStringLiteral("_replication_id"),
                                    QStringLiteral("_replication_state"),
                                    QStringLiteral("_replication_state_time"),
                                    QStringLiteral("_replication_state_reason"),
                                    QStringLiteral("_replication_stats")};
    return kept.contains(key);
}

// The body CouchDB keeps: every member but the special ones (attachments stay inline).
const QStringList &strippedMembers()
{
    static const QStringList stripped{
        QStringLiteral("_id"),        QStringLiteral("_rev"),
        QStringLiteral("_revisions"), QStringLiteral("_deleted"),
        QStringLiteral("_conflicts"), QStringLiteral("_deleted_conflicts"),
        QStringLiteral("_revs_info"), QStringLiteral("_local_seq")};
    return stripped;
}

QByteArray storedBody(QJsonObject doc)
{
    for (const QString &k : strippedMembers())
        doc.remove(k);
    for (auto it = doc.begin(); it != doc.end(); ++it)
        if (it.key().startsWith(u'_') && !isKeptSpecialMember(it.key()))
            throw badSpecialMember(it.key());
    return QJsonDocument(doc).toJson(QJsonDocument::Compact);
}

// `_revisions` as CouchDB reads it (couch_doc's transfer_fields), plus what our tree encoding
// needs: plain hashes, a start >= 1 and no more ids than generations.
void parseRevisions(const QJsonValue &revs, Incoming &in)
{
    if (!revs.isObject())
        throw badSpecialMember(QStringLiteral("_revisions"));
    const QJsonObject r = revs.toObject();
    const QJsonValue start = r.value(QStringLiteral("start"));
    const QJsonValue ids = r.value(QStringLiteral("ids"));
    if (!start.isDouble() || start.toDouble() != double(start.toInteger()))
        throw CouchError(400, QStringLiteral("doc_validation"),
                         QStringLiteral("_revisions.start isn't an integer."));
    if (!ids.isArray())
        throw CouchError(400, QStringLiteral("doc_validation"),
                         QStringLiteral("_revisions.ids isn't a array."));
    // Generations are ints and the newest needs a successor: beyond is refused, never cut
    // down to an int (4294967297 read as 1).
    const qint64 first = start.toInteger();
    in.start = first >= 1 && first < std::numeric_limits<int>::max() ? int(first) : 0;
    in.ids.clear();
    for (const QJsonValue &h : ids.toArray()) {
        if (!h.isString())
            throw CouchError(400, QStringLiteral("doc_validation"),
                             QStringLiteral("RevId isn't a string"));
        const QByteArray hash = h.toString().toUtf8();
        checkedHash(hash); // a plain loop: up to 1000 ids per document
        in.ids.append(hash);
    }
    if (in.start < 1 || in.ids.isEmpty() || in.ids.size() > in.start)
        throw CouchError::badRequest(
            QStringLiteral("_revisions must have a start from 1 to 2147483646 and 1 to start "
                           "ids (start %1, %2 ids)")
                .arg(first)
                .arg(in.ids.size()));
    in.rev = RevisionId{in.start, in.ids.first()};
}

// `_revisions` read from its bytes when it is as replicators send it ({"start":N,"ids":[plain
// hashes]}, N a plain integer); false for anything else, which parseRevisions then reads (and
// refuses with its messages).
bool plainRevisions(QByteArrayView value, Incoming &in)
{
    qint64 start = -1;
    bool idsSeen = false;
    const bool scanned = jsonscan::wholeObject(value, [&](const jsonscan::Member &m) {
        if (m.escaped)
            return false;
        if (m.name == "start") {
            const auto [end, error] =
                std::from_chars(m.value.data(), m.value.data() + m.value.size(), start);
            return error == std::errc() && end == m.value.data() + m.value.size() && start >= 1 &&
                   start < std::numeric_limits<int>::max();
        }
        if (m.name != "ids")
            return true; // CouchDB reads nothing else of it
        idsSeen = true;
        in.ids.clear();
        qsizetype at = 0;
        return jsonscan::elements(m.value, at, [&](QByteArrayView element) {
            QByteArrayView hash;
            if (!jsonscan::plainStringValue(element, hash) || !isPlainHash(hash))
                return false;
            in.ids.append(hash.toByteArray());
            return true;
        });
    });
    if (!scanned || !idsSeen || start < 1 || in.ids.isEmpty() || in.ids.size() > start)
        return false;
    in.start = int(start);
    in.rev = RevisionId{in.start, in.ids.first()};
    return true;
}

// A new_edits=false document read from its bytes, as replicators send them: compact JSON, a
// plain `_id` (not _local/), `_rev` and/or `_revisions`, maybe `_deleted`, and otherwise only
// members the body keeps. The body is the kept members' bytes spliced together (in their
// order, numbers as written), never parsed and written again. Anything else (white space,
// escaped names, other special members, values of the wrong type) gives nothing, and
// parseIncoming reads the document instead, with its errors.
std::optional<Incoming> parseReplicated(QByteArrayView doc)
{
    Incoming in;
    QByteArrayView revText, revisions;
    bool idSeen = false, deletedSeen = false;
    QByteArray body;
    body.reserve(doc.size());
    body.append('{');
    bool spaced = false;
    const bool scanned = jsonscan::wholeObject(
        doc,
        [&](const jsonscan::Member &m) {
            if (m.escaped)
                return false;
            if (m.name.startsWith('_')) {
                const auto once = [](bool &seen) { return !std::exchange(seen, true); };
                if (m.name == "_id") {
                    QByteArrayView id;
                    if (!once(idSeen) || !jsonscan::plainStringValue(m.value, id))
                        return false;
                    in.id = QString::fromUtf8(id);
                    return true;
                }
                if (m.name == "_rev")
                    return revText.isNull() && jsonscan::plainStringValue(m.value, revText) &&
                           !revText.isNull();
                if (m.name == "_revisions") {
                    if (!revisions.isNull())
                        return false;
                    revisions = m.value;
                    return true;
                }
                if (m.name == "_deleted") {
                    in.deleted = m.value == "true";
                    return once(deletedSeen) && (in.deleted || m.value == "false");
                }
                const QString name = QString::fromUtf8(m.name);
                if (strippedMembers().contains(name))
                    return true;
                if (!isKeptSpecialMember(name))
                    return false;
            }
            if (body.size() > 1)
                body.append(',');
            body.append(
                doc.sliced(m.begin, m.value.data() + m.value.size() - doc.data() - m.begin));
            return true;
        },
        &spaced);
    if (!scanned || spaced || !idSeen || in.id.startsWith(LocalPrefix))
        return std::nullopt;
    if (!revisions.isNull()) {
        if (!plainRevisions(revisions, in)) // _revisions wins over _rev, as in CouchDB
            return std::nullopt;
    } else if (!revText.isEmpty()) {
        const RevisionId r = parseRevision(revText);
        if (!r.isValid() || !isPlainHash(r.hash))
            return std::nullopt;
        in.rev = r;
        in.start = r.generation;
        in.ids = {r.hash};
    } else {
        return std::nullopt;
    }
    checkDocId(in.id);
    body.append('}');
    in.body = std::move(body);
    return in;
}

} // namespace

// Rev hashes go into the stored tree encoding, so only plain characters are taken.
bool isPlainHash(QByteArrayView hash)
{
    return !hash.isEmpty() && std::all_of(hash.begin(), hash.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '_';
    });
}

RevisionId checkedRevision(QByteArrayView text)
{
    const RevisionId r = parseRevision(text);
    if (!r.isValid())
        throw CouchError::badRequest(QStringLiteral("Invalid rev format"));
    checkedHash(r.hash);
    return r;
}

void checkDocId(const QString &id)
{
    if (id.isEmpty())
        throw illegalDocId(QStringLiteral("Document id must not be empty"));
    if (id == DesignPrefix || id == LocalPrefix)
        throw illegalDocId(QStringLiteral("Illegal document id `%1`").arg(id));
    if (id.startsWith(u'_') && !id.startsWith(DesignPrefix) && !id.startsWith(LocalPrefix))
        throw illegalDocId(QStringLiteral("Only reserved document ids may start with underscore."));
    if (id.toUtf8().size() > 4096)
        throw illegalDocId(QStringLiteral("Document id is longer than 4096 bytes"));
}

CouchError badSpecialMember(const QString &key)
{
    return {400, QStringLiteral("doc_validation"),
            QStringLiteral("Bad special document member: %1").arg(key)};
}

// With new_edits=false a document needs a rev.
void requireRev(const Incoming &in, bool newEdits)
{
    if (!newEdits && !in.rev)
        throw CouchError::badRequest(
            QStringLiteral("When `new_edits: false`, the document needs `_rev` or `_revisions` "
                           "specified"));
}

// Reads a document as CouchDB's couch_doc:from_json_obj does; every problem is a CouchError
// that fails the whole request (400), before anything is written.
Incoming parseIncoming(const QJsonObject &doc, bool newEdits)
{
    Incoming in;
    const QJsonValue idv = doc.value(QStringLiteral("_id"));
    if (!idv.isUndefined() && !idv.isString())
        throw illegalDocId(QStringLiteral("Document id must be a string"));
    in.id = idv.toString();
    const QJsonValue deleted = doc.value(QStringLiteral("_deleted"));
    if (!deleted.isUndefined() && !deleted.isBool())
        throw badSpecialMember(QStringLiteral("_deleted"));
    in.deleted = deleted.toBool();
    const QJsonValue revs = doc.value(QStringLiteral("_revisions"));
    if (!revs.isUndefined()) {
        parseRevisions(revs, in); // _revisions wins over _rev, as in CouchDB
    } else {
        const QJsonValue revv = doc.value(QStringLiteral("_rev"));
        if (revv.isString() && !revv.toString().isEmpty())
            in.rev = checkedRevision(revv.toString().toUtf8());
        else if (!revv.isUndefined() && !revv.isNull() && !revv.isString())
            throw CouchError::badRequest(QStringLiteral("Invalid rev format"));
        if (in.rev) {
            in.start = in.rev->generation;
            in.ids = {in.rev->hash};
        }
    }
    if (idv.isUndefined() && newEdits)
        in.id = QUuid::createUuid().toString(QUuid::Id128);
    checkDocId(in.id);
    if (!in.id.startsWith(LocalPrefix))
        in.body = storedBody(doc);
    return in;
}

// A _local document's body: what CouchDB keeps of it (no revision history of any kind).
QByteArray localBody(QJsonObject doc)
{
    if (doc.contains(QStringLiteral("_revisions")))
        throw CouchError::badRequest(
            QStringLiteral("Invalid rev format: _revisions is not allowed on a _local document "
                           "(its revs are 0-N)"));
    const QJsonValue deleted = doc.value(QStringLiteral("_deleted"));
    if (!deleted.isUndefined() && !deleted.isBool())
        throw badSpecialMember(QStringLiteral("_deleted"));
    for (const char *k : {"_id", "_rev", "_deleted", "_conflicts", "_deleted_conflicts",
                          "_revs_info", "_local_seq"})
        doc.remove(QLatin1StringView(k));
    for (auto it = doc.begin(); it != doc.end(); ++it)
        if (it.key().startsWith(u'_') && !isKeptSpecialMember(it.key()))
            throw badSpecialMember(it.key());
    return QJsonDocument(doc).toJson(QJsonDocument::Compact);
}

} // namespace detail

using namespace detail;

namespace {

// One document of a _bulk_docs as QJsonDocument read it.
void appendParsed(BulkDocsInput &input, const QJsonValue &v)
{
    if (!v.isObject())
        throw CouchError::badRequest(QStringLiteral("Document must be a JSON object"));
    const QJsonObject doc = v.toObject();
    const QJsonValue idv = doc.value(QStringLiteral("_id"));
    if (idv.isString() && idv.toString().startsWith(LocalPrefix)) {
        checkDocId(idv.toString());
        localBody(doc);
        input.parsed.append(Incoming{idv.toString(), {}, false, std::nullopt, 0, {}, doc});
    } else {
        input.parsed.append(parseIncoming(doc, input.newEdits));
        requireRev(input.parsed.last(), input.newEdits);
    }
}

} // namespace

std::shared_ptr<const BulkDocsInput> readBulkDocs(const QJsonArray &docs, bool newEdits)
{
    auto input = std::make_shared<BulkDocsInput>();
    input->newEdits = newEdits;
    input->parsed.reserve(docs.size());
    for (const QJsonValue &v : docs)
        appendParsed(*input, v);
    return input;
}

std::shared_ptr<const BulkDocsInput> readReplicatedBulkDocs(QByteArrayView body)
{
    QByteArrayView docs, newEdits;
    const bool scanned = jsonscan::wholeObject(body, [&](const jsonscan::Member &m) {
        if (m.escaped)
            return false;
        QByteArrayView *slot = m.name == "docs"        ? &docs
                               : m.name == "new_edits" ? &newEdits
                                                       : nullptr;
        if (!slot)
            return true;
        if (!slot->isNull())
            return false; // twice: QJsonDocument's reading decides which counts
        *slot = m.value;
        return true;
    });
    if (!scanned || newEdits != "false" || !docs.startsWith('['))
        return nullptr;
    auto input = std::make_shared<BulkDocsInput>();
    input->newEdits = false;
    qsizetype at = 0;
    jsonscan::elements(docs, at, [&](QByteArrayView doc) {
        if (std::optional<Incoming> in = parseReplicated(doc))
            input->parsed.append(std::move(*in));
        else
            appendParsed(*input, parseJsonValue(doc).value_or(QJsonValue()));
        return true;
    });
    return input;
}

QJsonArray describeBulkDocsInput(const BulkDocsInput &input)
{
    QJsonArray out;
    for (const Incoming &in : input.parsed) {
        QJsonArray ids;
        for (const QByteArray &h : in.ids)
            ids.append(QString::fromLatin1(h));
        out.append(QJsonObject{
            {QStringLiteral("id"), in.id},
            {QStringLiteral("rev"), in.rev ? QString::fromLatin1(in.rev->toBytes()) : QString()},
            {QStringLiteral("start"), in.start},
            {QStringLiteral("ids"), ids},
            {QStringLiteral("deleted"), in.deleted},
            {QStringLiteral("body"), in.id.startsWith(LocalPrefix)
                                         ? QJsonValue(in.local)
                                         : QJsonValue(QJsonDocument::fromJson(in.body).object())},
            {QStringLiteral("bodyBytes"), QString::fromUtf8(in.body)}});
    }
    return out;
}

} // namespace repl::CouchService
