// The CouchDB face's writes: _bulk_docs and PUT (new_edits true and false) merge into the
// revision tree and store the CouchDB winner; _local documents.
#include "engine/couch/CouchService.h"

#include "core/Revision.h"
#include "engine/DocumentService.h"
#include "engine/WriteTxn.h"
#include "engine/couch/CouchDocuments.h"
#include "storage/CouchTable.h"

#include <QHash>
#include <QJsonDocument>
#include <QUuid>

#include <algorithm>

namespace repl::CouchService {

using namespace detail;

namespace {

const QString LocalPrefix = QStringLiteral("_local/");

// Rev hashes go into the stored tree encoding, so only plain characters are taken.
QByteArrayView checkedHash(QByteArrayView hash)
{
    const bool plain = !hash.isEmpty() && std::all_of(hash.begin(), hash.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '_';
    });
    if (!plain)
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

void checkDocId(const QString &id)
{
    if (id.isEmpty())
        throw CouchError::badRequest(QStringLiteral("Document id must not be empty"));
    if (id.startsWith(u'_') && !id.startsWith(DesignPrefix) && !id.startsWith(LocalPrefix))
        throw CouchError::badRequest(
            QStringLiteral("Only reserved document ids may start with underscore."));
    if (id.toUtf8().size() > 4096)
        throw CouchError::badRequest(QStringLiteral("Document id is longer than 4096 bytes"));
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
QByteArray storedBody(QJsonObject doc)
{
    static const QStringList stripped{
        QStringLiteral("_id"),        QStringLiteral("_rev"),
        QStringLiteral("_revisions"), QStringLiteral("_deleted"),
        QStringLiteral("_conflicts"), QStringLiteral("_deleted_conflicts"),
        QStringLiteral("_revs_info"), QStringLiteral("_local_seq")};
    for (const QString &k : stripped)
        doc.remove(k);
    for (auto it = doc.begin(); it != doc.end(); ++it)
        if (it.key().startsWith(u'_') && !isKeptSpecialMember(it.key()))
            throw CouchError(400, QStringLiteral("doc_validation"),
                             QStringLiteral("Bad special document member: %1").arg(it.key()));
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
};

Incoming parseIncoming(const QJsonObject &doc, bool newEdits)
{
    Incoming in;
    const QJsonValue idv = doc.value(QStringLiteral("_id"));
    if (!idv.isUndefined() && !idv.isString())
        throw CouchError::badRequest(QStringLiteral("Document id must be a string"));
    in.id = idv.toString();
    in.deleted = doc.value(QStringLiteral("_deleted")).toBool();
    const QJsonValue revv = doc.value(QStringLiteral("_rev"));
    if (revv.isString() && !revv.toString().isEmpty())
        in.rev = checkedRevision(revv.toString().toUtf8());
    else if (!revv.isUndefined() && !revv.isNull() && !revv.isString())
        throw CouchError::badRequest(QStringLiteral("Invalid rev format"));
    const QJsonValue revs = doc.value(QStringLiteral("_revisions"));
    if (!newEdits) {
        if (revs.isObject()) {
            const QJsonObject r = revs.toObject();
            in.start = r.value(QStringLiteral("start")).toInt();
            for (const QJsonValue &h : r.value(QStringLiteral("ids")).toArray()) {
                const QByteArray hash = h.toString().toUtf8();
                checkedHash(hash); // a plain loop: up to 1000 ids per document
                in.ids.append(hash);
            }
            if (in.start < 1 || in.ids.isEmpty() || in.ids.size() > in.start)
                throw CouchError::badRequest(
                    QStringLiteral("_revisions must have a start >= 1 and 1 to "
                                   "start ids"));
            const RevisionId head{in.start, in.ids.first()};
            if (in.rev && !(*in.rev == head))
                throw CouchError::badRequest(QStringLiteral("_rev does not match _revisions"));
            in.rev = head;
        } else if (in.rev) {
            in.start = in.rev->generation;
            in.ids = {in.rev->hash};
        } else {
            throw CouchError::badRequest(
                QStringLiteral("When `new_edits: false`, the document needs `_rev` "
                               "or `_revisions` specified"));
        }
    }
    if (in.id.isEmpty() && newEdits)
        in.id = QUuid::createUuid().toString(QUuid::Id128);
    checkDocId(in.id);
    if (!in.id.startsWith(LocalPrefix))
        in.body = storedBody(doc);
    return in;
}

QJsonObject okResult(const QString &id, const QByteArray &rev)
{
    return {{QStringLiteral("ok"), true},
            {QStringLiteral("id"), id},
            {QStringLiteral("rev"), QString::fromUtf8(rev)}};
}

// Attachment stubs ({"stub":true}) refer to data an earlier revision holds: take it from
// the stored leaves, so a document never ends up with a stub and no data.
QByteArray resolveStubs(const QByteArray &body, const std::optional<LoadedDoc> &old)
{
    if (!old || !body.contains("\"stub\""))
        return body;
    QJsonObject doc = QJsonDocument::fromJson(body).object();
    QJsonObject atts = doc.value(QStringLiteral("_attachments")).toObject();
    bool changed = false;
    for (auto it = atts.begin(); it != atts.end(); ++it) {
        const QJsonObject stub = it.value().toObject();
        if (!stub.value(QStringLiteral("stub")).toBool())
            continue;
        for (const Leaf &l : old->leaves) {
            const QJsonObject known = QJsonDocument::fromJson(l.body)
                                          .object()
                                          .value(QStringLiteral("_attachments"))
                                          .toObject()
                                          .value(it.key())
                                          .toObject();
            const QJsonValue digest = stub.value(QStringLiteral("digest"));
            if (known.contains(QStringLiteral("data")) &&
                (digest.isUndefined() || known.value(QStringLiteral("digest")) == digest)) {
                it.value() = known;
                changed = true;
                break;
            }
        }
    }
    if (!changed)
        return body;
    doc.insert(QStringLiteral("_attachments"), atts);
    return QJsonDocument(doc).toJson(QJsonDocument::Compact);
}

// One document of a _bulk_docs / PUT: returns its new rev (new_edits) or nothing. A multi-
// document write logs as one transaction, whose start marker is only written when a
// document really changes (a replayed batch logs nothing).
QByteArray writeOne(WriteTxn &txn, const CollectionInfo &c, const Incoming &given, bool newEdits,
                    DocumentService::LoggedTransaction *logged)
{
    std::optional<LoadedDoc> old = loadDoc(txn.connection(), c, given.id);
    Incoming in = given;
    in.body = resolveStubs(given.body, old);
    RevTree tree = old ? old->tree : RevTree();
    QHash<QByteArray, storage::LeafRow> bodies = knownBodies(old);
    if (!newEdits) {
        bool added = false;
        tree.mergePath(in.start, in.ids, in.deleted, &added);
        if (!added)
            return {}; // known already: a replay is a no-op
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
        if (!old->row.deleted)
            throw CouchError::conflict();
        parent = old->winner; // recreating a deleted document extends its branch
        parentRev = tree.revision(parent);
    }
    if (in.deleted && parent < 0)
        throw CouchError::notFound(); // deleting what is not there
    const RevisionId rev = makeRevision(parentRev, in.deleted, in.body);
    if (tree.find(rev) >= 0)
        return rev.toBytes(); // the same edit again: already stored
    tree.addChild(parent, rev, in.deleted);
    const QByteArray revBytes = rev.toBytes();
    bodies.insert(revBytes, {revBytes, in.deleted, in.body});
    commitTree(txn, c, in.id, old, std::move(tree), bodies, logged ? logged->tid() : 0);
    return revBytes;
}

QJsonObject errorEntry(const QString &id, const QByteArray &rev, const Error &e)
{
    const auto *ce = dynamic_cast<const CouchError *>(&e);
    QJsonObject o{
        {QStringLiteral("id"), id},
        {QStringLiteral("error"),
         ce ? ce->error() : QString::fromLatin1(e.httpStatus() == 409 ? "conflict" : "forbidden")},
        {QStringLiteral("reason"), e.message()}};
    if (!rev.isEmpty())
        o.insert(QStringLiteral("rev"), QString::fromUtf8(rev));
    return o;
}

} // namespace

QJsonArray bulkDocs(WriteTxn &txn, const CollectionInfo &c, const QJsonArray &docs, bool newEdits)
{
    QJsonArray out;
    DocumentService::LoggedTransaction logged(txn, c.db);
    for (const QJsonValue &v : docs) {
        if (!v.isObject())
            throw CouchError::badRequest(
                QStringLiteral("each entry of docs must be a JSON object"));
        const QJsonObject doc = v.toObject();
        QString id = doc.value(QStringLiteral("_id")).toString();
        QByteArray rev = doc.value(QStringLiteral("_rev")).toString().toUtf8();
        try {
            const Incoming in = parseIncoming(doc, newEdits);
            id = in.id;
            if (in.id.startsWith(LocalPrefix)) {
                const QJsonObject r = putLocal(txn, c, in.id, doc);
                if (newEdits)
                    out.append(r);
                continue;
            }
            const QByteArray newRev =
                writeOne(txn, c, in, newEdits, docs.size() > 1 ? &logged : nullptr);
            if (newEdits)
                out.append(okResult(in.id, newRev));
        } catch (const Error &e) {
            out.append(errorEntry(id, rev, e));
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
    const QByteArray rev = writeOne(txn, c, in, newEdits, nullptr);
    return okResult(id, rev.isEmpty() ? in.rev->toBytes() : rev);
}

QJsonObject putLocal(WriteTxn &txn, const CollectionInfo &c, const QString &id,
                     const QJsonObject &doc)
{
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
    QJsonObject body = doc;
    body.remove(QStringLiteral("_id"));
    body.remove(QStringLiteral("_rev"));
    const qint64 rev = old ? old->rev + 1 : 1;
    table.putLocal(c.cid, id, {rev, QJsonDocument(body).toJson(QJsonDocument::Compact)});
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

} // namespace repl::CouchService
