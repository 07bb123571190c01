// The CouchDB face's writes: _bulk_docs and PUT (new_edits true and false) merge into the
// revision tree and store the CouchDB winner; _local documents.
#include "engine/couch/CouchService.h"

#include "core/DocumentJson.h"
#include "core/JsonScan.h"
#include "core/Revision.h"
#include "engine/DocumentService.h"
#include "engine/WriteTxn.h"
#include "engine/couch/CouchDocuments.h"
#include "storage/CouchTable.h"
#include "storage/DocumentTable.h"

#include <QCryptographicHash>
#include <QHash>
#include <QJsonDocument>
#include <QUuid>

#include <algorithm>
#include <charconv>
#include <limits>
#include <mutex>

namespace repl::CouchService {

using namespace detail;

namespace {

const QString LocalPrefix = QStringLiteral("_local/");

// Rev hashes go into the stored tree encoding, so only plain characters are taken.
bool isPlainHash(QByteArrayView hash)
{
    return !hash.isEmpty() && std::all_of(hash.begin(), hash.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '_';
    });
}

QByteArrayView checkedHash(QByteArrayView hash)
{
    if (!isPlainHash(hash))
        throw CouchError::badRequest(QStringLiteral("Invalid rev format"));
    return hash;
}

RevisionId checkedRevision(QByteArrayView text)
{
    const RevisionId r = parseRevision(text);
    if (!r.isValid())
        throw CouchError::badRequest(QStringLiteral("Invalid rev format"));
    checkedHash(r.hash);
    return r;
}

CouchError illegalDocId(const QString &reason)
{
    return {400, QStringLiteral("illegal_docid"), reason};
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

struct Incoming
{
    QString id;
    QByteArray body;
    bool deleted = false;
    std::optional<RevisionId> rev;
    int start = 0;
    QList<QByteArray> ids; // _revisions.ids
    QJsonObject local;     // a _local document of a _bulk_docs: as given
};

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

// `_revisions` read from its bytes when it is as replicators send it ({"start":N,"ids":[plain
// hashes]}, N a plain integer); false for anything else, which parseRevisions then reads (and
// refuses with its messages).
bool plainRevisions(QByteArrayView value, Incoming &in)
{
    qint64 start = -1;
    bool idsSeen = false;
    qsizetype pos = 0;
    const bool scanned = jsonscan::members(value, pos, [&](const jsonscan::Member &m) {
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
        return jsonscan::elements(m.value, at, [&](QByteArrayView element, qsizetype) {
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
    qsizetype pos = 0;
    const bool scanned = jsonscan::members(
        doc, pos,
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
    if (!scanned || spaced || pos != doc.size() || !idSeen || in.id.startsWith(LocalPrefix))
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

QJsonObject okResult(const QString &id, const QByteArray &rev)
{
    return {{QStringLiteral("ok"), true},
            {QStringLiteral("id"), id},
            {QStringLiteral("rev"), QString::fromUtf8(rev)}};
}

CouchError missingStub(const QString &id, const QString &name)
{
    return {412, QStringLiteral("missing_stub"),
            QStringLiteral("Invalid attachment stub in %1 for %2").arg(id, name)};
}

QString attachmentDigest(const QByteArray &data)
{
    return QStringLiteral("md5-") +
           QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Md5).toBase64());
}

// Attachments as CouchDB keeps them. Inline data gets its digest (md5 of the bytes, whatever
// the client said) and revpos: the new revision's generation for an edit (`newRevpos`), as
// given (else 0) for a replicated write (`newRevpos` < 0). A stub ({"stub":true}) stands for
// the attachment of that name in the revision the write follows (`disk`, the previous
// revision on disk) and must name its revpos when it gives one; else 412 missing_stub, as
// CouchDB's couch_att:merge_stubs answers (it does not look at the stub's digest).
QByteArray prepareAttachments(const QByteArray &body, const QString &id, const QByteArray *disk,
                              int newRevpos)
{
    if (!body.contains("\"_attachments\""))
        return body;
    QJsonObject doc = QJsonDocument::fromJson(body).object();
    const QJsonValue attsValue = doc.value(QStringLiteral("_attachments"));
    if (!attsValue.isObject())
        throw badSpecialMember(QStringLiteral("_attachments"));
    QJsonObject atts = attsValue.toObject();
    QJsonObject onDisk;
    if (disk && disk->contains("\"_attachments\""))
        onDisk = QJsonDocument::fromJson(*disk)
                     .object()
                     .value(QStringLiteral("_attachments"))
                     .toObject();
    for (auto it = atts.begin(); it != atts.end(); ++it) {
        const QJsonObject a = it.value().toObject();
        if (a.value(QStringLiteral("stub")).toBool()) {
            const QJsonObject known = onDisk.value(it.key()).toObject();
            const QJsonValue pos = a.value(QStringLiteral("revpos"));
            const QJsonValue knownPos = known.value(QStringLiteral("revpos"));
            if (known.isEmpty() || (!pos.isUndefined() && !knownPos.isUndefined() &&
                                    pos.toInteger() != knownPos.toInteger()))
                throw missingStub(id, it.key());
            it.value() = known;
            continue;
        }
        const QJsonValue dataValue = a.value(QStringLiteral("data"));
        if (dataValue.isUndefined())
            continue;
        const auto decoded = QByteArray::fromBase64Encoding(
            dataValue.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!dataValue.isString() || !decoded)
            throw CouchError::badRequest(
                QStringLiteral("Invalid attachment data for %1: data must be base64")
                    .arg(it.key()));
        const QJsonValue type = a.value(QStringLiteral("content_type"));
        it.value() = QJsonObject{
            {QStringLiteral("content_type"),
             type.isString() ? type : QJsonValue(QStringLiteral("application/octet-stream"))},
            {QStringLiteral("data"), dataValue},
            {QStringLiteral("digest"), attachmentDigest(*decoded)},
            {QStringLiteral("revpos"),
             newRevpos >= 0 ? qint64(newRevpos) : a.value(QStringLiteral("revpos")).toInteger(0)}};
    }
    doc.insert(QStringLiteral("_attachments"), atts);
    return QJsonDocument(doc).toJson(QJsonDocument::Compact);
}

// The body of the nearest ancestor of `node` (in `tree`) that the old document still holds.
const QByteArray *firstBodyOnDisk(const RevTree &tree, int node,
                                  const std::optional<LoadedDoc> &old)
{
    if (!old)
        return nullptr;
    for (int i = tree.nodes()[node].parent; i >= 0; i = tree.nodes()[i].parent) {
        const int oldNode = old->tree.find(tree.revision(i));
        if (const Leaf *l = oldNode >= 0 ? leafAt(*old, oldNode) : nullptr)
            return &l->body;
    }
    return nullptr;
}

// One document of a _bulk_docs / PUT: returns its new rev (new_edits) or nothing. A multi-
// document write logs as one transaction, whose start marker is only written when a
// document really changes (a replayed batch logs nothing).
QByteArray writeOne(WriteTxn &txn, const CollectionInfo &c, const Incoming &given, bool newEdits,
                    DocumentService::LoggedTransaction *logged)
{
    // A database with rules for its documents (_replicator): checked like CouchDB's
    // validate_doc_update, before anything is written.
    if (!given.deleted && !given.id.startsWith(DesignPrefix))
        if (const DocumentValidator validate = documentValidator(c.name))
            validate(QJsonDocument::fromJson(given.body).object());
    // A replicated revision without history (a first generation, or a stemmed one) of a
    // document this database never had: one INSERT, no lookup, no tree to merge. Not as the
    // first write of a logged batch: its TransactionStart must come before the document's
    // tick, and a batch that turns out to be a replay must log nothing.
    if (!newEdits && given.rev && given.ids.size() == 1 &&
        !given.body.contains("\"_attachments\"") && !(logged && logged->notStarted())) {
        const QByteArray rev = given.rev->toBytes();
        const QByteArray key = given.id.toUtf8();
        if (DocumentService::insertFresh(txn, c, key, rev, given.start, given.ids.first(),
                                         given.body.isEmpty() ? QByteArrayView("{}")
                                                              : QByteArrayView(given.body),
                                         given.deleted, logged ? logged->tid() : 0))
            return rev;
    }
    std::optional<LoadedDoc> old = loadDoc(txn.connection(), c, given.id);
    Incoming in = given;
    RevTree tree = old ? old->tree : RevTree();
    QHash<QByteArray, storage::LeafRow> bodies = knownBodies(old);
    if (!newEdits) {
        bool added = false;
        const int node = tree.mergePath(in.start, in.ids, in.deleted, &added);
        if (!added)
            return {}; // known already: a replay is a no-op
        in.body = prepareAttachments(in.body, in.id, firstBodyOnDisk(tree, node, old), -1);
        const QByteArray rev = in.rev->toBytes();
        bodies.insert(rev, {rev, in.deleted, in.body});
        commitTree(txn, c, in.id, old, std::move(tree), bodies, logged ? logged->tid() : 0);
        return rev;
    }
    int parent = -1;
    RevisionId parentRev;
    if (in.rev) {
        parent = old ? tree.find(*in.rev) : -1;
        if (parent < 0 || !leafAt(*old, parent))
            throw CouchError::conflict();
        parentRev = *in.rev;
    } else if (old) {
        // Recreating a deleted document extends its branch; deleting it again conflicts.
        if (!old->row.deleted || in.deleted)
            throw CouchError::conflict();
        parent = old->winner;
        parentRev = tree.revision(parent);
    }
    const Leaf *parentLeaf = parent >= 0 ? leafAt(*old, parent) : nullptr;
    in.body = prepareAttachments(in.body, in.id, parentLeaf ? &parentLeaf->body : nullptr,
                                 parentRev.generation + 1);
    const RevisionId rev = makeRevision(parentRev, in.deleted, in.body);
    if (tree.find(rev) >= 0)
        return rev.toBytes(); // the same edit again: already stored
    tree.addChild(parent, rev, in.deleted);
    const QByteArray revBytes = rev.toBytes();
    bodies.insert(revBytes, {revBytes, in.deleted, in.body});
    commitTree(txn, c, in.id, old, std::move(tree), bodies, logged ? logged->tid() : 0);
    return revBytes;
}

// A _bulk_docs row for a document that could not be written: id, error and reason (CouchDB
// names no rev there).
QJsonObject errorEntry(const QString &id, const Error &e)
{
    const auto *ce = dynamic_cast<const CouchError *>(&e);
    return {
        {QStringLiteral("id"), id},
        {QStringLiteral("error"),
         ce ? ce->error() : QString::fromLatin1(e.httpStatus() == 409 ? "conflict" : "forbidden")},
        {QStringLiteral("reason"), e.message()}};
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

} // namespace

struct BulkDocsInput
{
    QList<Incoming> parsed; // one per document, in order
    bool newEdits = true;
};

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
    qsizetype pos = 0;
    const bool scanned = jsonscan::members(body, pos, [&](const jsonscan::Member &m) {
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
    jsonscan::skipSpace(body, pos);
    if (!scanned || pos != body.size() || newEdits != "false" || !docs.startsWith('['))
        return nullptr;
    auto input = std::make_shared<BulkDocsInput>();
    input->newEdits = false;
    qsizetype at = 0;
    jsonscan::elements(docs, at, [&](QByteArrayView doc, qsizetype) {
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

QJsonArray bulkDocs(WriteTxn &txn, const CollectionInfo &c, const BulkDocsInput &input)
{
    const QList<Incoming> &parsed = input.parsed;
    const bool newEdits = input.newEdits;
    QJsonArray out;
    DocumentService::LoggedTransaction logged(txn, c.db);
    for (qsizetype i = 0; i < parsed.size(); ++i) {
        const Incoming &in = parsed[i];
        try {
            if (in.id.startsWith(LocalPrefix)) {
                const QJsonObject r = putLocal(txn, c, in.id, in.local);
                if (newEdits)
                    out.append(r);
                continue;
            }
            const QByteArray newRev =
                writeOne(txn, c, in, newEdits, parsed.size() > 1 ? &logged : nullptr);
            if (newEdits)
                out.append(okResult(in.id, newRev));
        } catch (const CouchError &e) {
            if (e.httpStatus() == 412) // missing_stub fails the request, as in CouchDB
                throw;
            out.append(errorEntry(in.id, e));
        } catch (const Error &e) {
            out.append(errorEntry(in.id, e));
        }
    }
    logged.commit();
    return out;
}

QJsonObject putDocument(WriteTxn &txn, const CollectionInfo &c, const QString &id, QJsonObject doc,
                        bool newEdits)
{
    doc.insert(QStringLiteral("_id"), id);
    if (id.startsWith(LocalPrefix))
        return putLocal(txn, c, id, doc);
    const Incoming in = parseIncoming(doc, newEdits);
    requireRev(in, newEdits);
    const QByteArray rev = writeOne(txn, c, in, newEdits, nullptr);
    return okResult(id, rev.isEmpty() ? in.rev->toBytes() : rev);
}

QJsonObject deleteDocument(WriteTxn &txn, const CollectionInfo &c, const QString &id,
                           const QByteArray &rev)
{
    const auto row = storage::DocumentTable(txn.connection()).get(c.cid, id);
    if (!row)
        throw CouchError::notFound();
    if (row->deleted)
        throw CouchError::notFound(QStringLiteral("deleted"));
    if (rev.isEmpty())
        throw CouchError::conflict();
    QJsonObject doc{{QStringLiteral("_rev"), QString::fromUtf8(rev)},
                    {QStringLiteral("_deleted"), true}};
    return putDocument(txn, c, id, doc, true);
}

QJsonObject updateAttachment(WriteTxn &txn, const CollectionInfo &c, const QString &id,
                             const QString &name, const QByteArray &rev,
                             const std::optional<AttachmentContent> &content)
{
    if (id.startsWith(LocalPrefix))
        throw CouchError::badRequest(QStringLiteral("_local documents have no attachments"));
    QJsonObject doc;
    if (!rev.isEmpty()) {
        const RevisionId r = checkedRevision(rev);
        const std::optional<LoadedDoc> old = loadDoc(txn.connection(), c, id);
        const int node = old ? old->tree.find(r) : -1;
        const Leaf *leaf = node >= 0 ? leafAt(*old, node) : nullptr;
        if (!leaf)
            throw CouchError::conflict();
        doc = QJsonDocument::fromJson(leaf->body).object();
        doc.insert(QStringLiteral("_rev"), QString::fromUtf8(rev));
    } else if (!content) {
        throw CouchError::conflict(); // CouchDB deletes an attachment only after a rev
    }
    // The other attachments stay as they are (their revpos too): stubs of the parent's.
    QJsonObject atts = doc.value(QStringLiteral("_attachments")).toObject();
    for (auto it = atts.begin(); it != atts.end(); ++it) {
        QJsonObject stub{{QStringLiteral("stub"), true}};
        const QJsonValue pos = it.value().toObject().value(QStringLiteral("revpos"));
        if (!pos.isUndefined())
            stub.insert(QStringLiteral("revpos"), pos);
        it.value() = stub;
    }
    if (content) {
        atts.insert(
            name,
            QJsonObject{{QStringLiteral("content_type"), QString::fromUtf8(content->contentType)},
                        {QStringLiteral("data"), QString::fromLatin1(content->data.toBase64())}});
    } else {
        if (!atts.contains(name))
            throw CouchError::notFound(QStringLiteral("Document is missing attachment"));
        atts.remove(name);
    }
    if (atts.isEmpty())
        doc.remove(QStringLiteral("_attachments"));
    else
        doc.insert(QStringLiteral("_attachments"), atts);
    return putDocument(txn, c, id, doc, true);
}

QJsonObject putLocal(WriteTxn &txn, const CollectionInfo &c, const QString &id,
                     const QJsonObject &doc)
{
    checkDocId(id);
    const QByteArray body = localBody(doc); // refuses what CouchDB refuses, revs aside
    storage::CouchTable table(txn.connection());
    const auto old = table.local(c.cid, id);
    const QString given = doc.value(QStringLiteral("_rev")).toString();
    // An existing _local doc is only replaced by whoever read its current rev.
    if (old && given != QStringLiteral("0-%1").arg(old->rev))
        throw CouchError::conflict();
    if (doc.value(QStringLiteral("_deleted")).toBool()) {
        if (!old)
            throw CouchError::notFound();
        table.removeLocal(c.cid, id);
        return okResult(id, "0-0");
    }
    const qint64 rev = old ? old->rev + 1 : 1;
    table.putLocal(c.cid, id, {rev, body});
    return okResult(id, "0-" + QByteArray::number(rev));
}

QJsonObject deleteLocal(WriteTxn &txn, const CollectionInfo &c, const QString &id,
                        const QByteArray &rev)
{
    storage::CouchTable table(txn.connection());
    const auto old = table.local(c.cid, id);
    if (!old)
        throw CouchError::notFound();
    if (!rev.isEmpty() && rev != "0-" + QByteArray::number(old->rev))
        throw CouchError::conflict();
    table.removeLocal(c.cid, id);
    return okResult(id, "0-0");
}

namespace {
std::mutex validatorsMutex;
QHash<QString, DocumentValidator> &validators()
{
    static QHash<QString, DocumentValidator> v;
    return v;
}
} // namespace

void setDocumentValidator(const QString &database, DocumentValidator validator)
{
    std::lock_guard lock(validatorsMutex);
    validators().insert(database, std::move(validator));
}

DocumentValidator documentValidator(const QString &database)
{
    std::lock_guard lock(validatorsMutex);
    return validators().value(database);
}

} // namespace repl::CouchService
