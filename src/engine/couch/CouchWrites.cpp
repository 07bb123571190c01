// The CouchDB face's writes: _bulk_docs and PUT (new_edits true and false) merge into the
// revision tree and store the CouchDB winner; _local documents.
#include "engine/couch/CouchService.h"

#include "core/DocumentJson.h"
#include "core/Revision.h"
#include "engine/DocumentService.h"
#include "engine/WriteTxn.h"
#include "engine/couch/CouchDocuments.h"
#include "engine/couch/CouchIncoming.h"
#include "storage/CouchTable.h"
#include "storage/DocumentTable.h"

#include <QCryptographicHash>
#include <QHash>
#include <QJsonDocument>

#include <algorithm>
#include <mutex>

namespace repl::CouchService {

using namespace detail;

namespace {

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

} // namespace

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
