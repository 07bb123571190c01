#include "engine/couch/CouchService.h"

#include "engine/couch/CouchDocuments.h"

#include "core/DocumentJson.h"
#include "core/Names.h"
#include "core/RevTree.h"
#include "core/Revision.h"
#include "storage/CatalogTable.h"
#include "storage/Connection.h"
#include "storage/CouchTable.h"
#include "storage/DocumentTable.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>
#include <limits>

namespace repl {

CouchError::CouchError(int status, QString error, QString reason)
    : Error(status, status == 404 ? ErrorNum::HttpNotFound : ErrorNum::BadParameter, reason)
    , m_error(std::move(error))
{}

namespace CouchService {

using namespace detail;

namespace {

// {"_id":…,"_rev":…[,"_deleted":true]<extra>[,members of body]}
// Attachments as CouchDB shows them without attachments=true: stubs with content_type,
// digest, length and revpos instead of the data.
QByteArray withAttachmentStubs(QByteArrayView body)
{
    if (!body.contains("\"_attachments\""))
        return body.toByteArray();
    QJsonObject doc = QJsonDocument::fromJson(body.toByteArray()).object();
    QJsonObject atts = doc.value(QStringLiteral("_attachments")).toObject();
    for (auto it = atts.begin(); it != atts.end(); ++it) {
        const QJsonObject a = it.value().toObject();
        if (!a.contains(QStringLiteral("data")))
            continue;
        const QByteArray data =
            QByteArray::fromBase64(a.value(QStringLiteral("data")).toString().toLatin1());
        QJsonObject stub{{QStringLiteral("content_type"), a.value(QStringLiteral("content_type"))},
                         {QStringLiteral("length"), qint64(data.size())},
                         {QStringLiteral("revpos"), a.value(QStringLiteral("revpos")).toInt(1)},
                         {QStringLiteral("stub"), true}};
        stub.insert(
            QStringLiteral("digest"),
            a.contains(QStringLiteral("digest"))
                ? a.value(QStringLiteral("digest"))
                : QJsonValue(
                      QStringLiteral("md5-") +
                      QString::fromLatin1(
                          QCryptographicHash::hash(data, QCryptographicHash::Md5).toBase64())));
        it.value() = stub;
    }
    doc.insert(QStringLiteral("_attachments"), atts);
    return QJsonDocument(doc).toJson(QJsonDocument::Compact);
}

// Attachments with their data (attachments=true) as CouchDB shows them: content_type, revpos,
// digest and data. Bodies stored before digests and revpos were kept get them here.
QByteArray withAttachmentData(QByteArrayView body)
{
    if (!body.contains("\"_attachments\""))
        return body.toByteArray();
    QJsonObject doc = QJsonDocument::fromJson(body.toByteArray()).object();
    QJsonObject atts = doc.value(QStringLiteral("_attachments")).toObject();
    bool changed = false;
    for (auto it = atts.begin(); it != atts.end(); ++it) {
        QJsonObject a = it.value().toObject();
        if (!a.contains(QStringLiteral("data")) ||
            (a.contains(QStringLiteral("digest")) && a.contains(QStringLiteral("revpos"))))
            continue;
        if (!a.contains(QStringLiteral("digest"))) {
            const QByteArray data =
                QByteArray::fromBase64(a.value(QStringLiteral("data")).toString().toLatin1());
            a.insert(QStringLiteral("digest"),
                     QStringLiteral("md5-") +
                         QString::fromLatin1(
                             QCryptographicHash::hash(data, QCryptographicHash::Md5).toBase64()));
        }
        if (!a.contains(QStringLiteral("revpos")))
            a.insert(QStringLiteral("revpos"), 1);
        it.value() = a;
        changed = true;
    }
    if (!changed)
        return body.toByteArray();
    doc.insert(QStringLiteral("_attachments"), atts);
    return QJsonDocument(doc).toJson(QJsonDocument::Compact);
}

QByteArray composeDoc(QByteArrayView id, QByteArrayView rev, bool deleted, QByteArrayView stored,
                      QByteArrayView extra = {}, bool attachmentData = true)
{
    const QByteArray stubbed =
        attachmentData ? withAttachmentData(stored) : withAttachmentStubs(stored);
    const QByteArrayView body(stubbed);
    const QByteArrayView members = objectMembers(body);
    QByteArray out;
    out.reserve(id.size() + rev.size() + body.size() + extra.size() + 40);
    out += "{\"_id\":";
    appendJsonString(out, id);
    out += ",\"_rev\":";
    appendJsonString(out, rev);
    if (deleted)
        out += ",\"_deleted\":true";
    out += extra;
    if (!members.isEmpty()) {
        out += ',';
        out += members;
    }
    out += '}';
    return out;
}

QByteArray revisionsMember(const RevTree &tree, int index)
{
    QByteArray out = ",\"_revisions\":{\"start\":";
    out += QByteArray::number(tree.nodes()[index].generation);
    out += ",\"ids\":";
    out += jsonStringArray(tree.ancestry(index));
    out += '}';
    return out;
}

bool isAncestor(const RevTree &tree, int ancestor, int node)
{
    for (int i = node; i >= 0; i = tree.nodes()[i].parent)
        if (i == ancestor)
            return true;
    return false;
}

QByteArray leafJson(const LoadedDoc &d, const Leaf &l, const QString &id, bool revs,
                    QByteArrayView extra = {}, bool attachments = true)
{
    QByteArray more = extra.toByteArray();
    if (revs)
        more += revisionsMember(d.tree, l.node);
    return composeDoc(id.toUtf8(), l.rev, l.deleted, l.body, more, attachments);
}

// open_revs / _bulk_get: the requested revisions (all leaves when none), following a rev
// that is no longer a leaf to its leaves with `latest`.
QList<QByteArray> openRevEntries(const LoadedDoc &d, const QString &id,
                                 const std::optional<QList<QByteArray>> &revs, bool revsFlag,
                                 bool attachments, bool latest, bool bulkGetShape)
{
    // CouchDB (fabric_doc_open_revs) answers each revision once: the ones it found first,
    // then the missing ones, each group sorted by generation, then hash.
    using Entry = std::pair<RevisionId, QByteArray>;
    QList<Entry> found;
    QList<Entry> missing;
    QSet<int> sent;
    QSet<QByteArray> missed;
    auto ok = [&](const Leaf &l) {
        if (sent.contains(l.node))
            return;
        sent.insert(l.node);
        found.append({d.tree.revision(l.node),
                      "{\"ok\":" + leafJson(d, l, id, revsFlag, {}, attachments) + '}'});
    };
    auto miss = [&](const QByteArray &rev) {
        if (missed.contains(rev))
            return;
        missed.insert(rev);
        QByteArray e;
        if (bulkGetShape) {
            e = "{\"error\":{\"id\":" + jsonString(id) +
                ",\"rev\":" + jsonString(QByteArrayView(rev)) +
                ",\"error\":\"not_found\",\"reason\":\"missing\"}}";
        } else {
            e = "{\"missing\":" + jsonString(QByteArrayView(rev)) + '}';
        }
        const qsizetype dash = rev.indexOf('-');
        missing.append({RevisionId{rev.left(dash).toInt(), rev.mid(dash + 1)}, e});
    };
    auto answer = [&] {
        const auto byRev = [](const Entry &a, const Entry &b) {
            return a.first.generation != b.first.generation
                       ? a.first.generation < b.first.generation
                       : a.first.hash < b.first.hash;
        };
        std::sort(found.begin(), found.end(), byRev);
        std::sort(missing.begin(), missing.end(), byRev);
        QList<QByteArray> out;
        for (const Entry &e : found + missing)
            out.append(e.second);
        return out;
    };
    if (!revs) {
        for (const Leaf &l : d.leaves)
            ok(l);
        return answer();
    }
    for (const QByteArray &rev : *revs) {
        const int node = d.tree.find(parseRevision(rev));
        if (node < 0) {
            miss(rev);
            continue;
        }
        if (const Leaf *l = leafAt(d, node)) {
            ok(*l);
            continue;
        }
        bool any = false;
        if (latest) {
            for (const Leaf &l : d.leaves) {
                if (isAncestor(d.tree, node, l.node)) {
                    ok(l);
                    any = true;
                }
            }
        }
        if (!any)
            miss(rev);
    }
    return answer();
}

QByteArray localJson(const QString &id, qint64 rev, const QByteArray &body)
{
    return composeDoc(id.toUtf8(), "0-" + QByteArray::number(rev), false, body);
}

} // namespace

void checkDatabaseName(const QString &name)
{
    if (name == u"_replicator")
        return; // CouchDB's system database of persistent replications, made at start
    static const QRegularExpression couch(QStringLiteral("^[a-z][a-z0-9_$()+/-]*$"));
    if (!couch.match(name).hasMatch() || name.size() > 238)
        throw CouchError(400, QStringLiteral("illegal_database_name"),
                         QStringLiteral("Name: '%1'. Only lowercase characters (a-z), digits "
                                        "(0-9), and any of the characters _, $, (, ), +, -, and / "
                                        "are allowed. Must begin with a letter.")
                             .arg(name));
    if (!isValidCollectionName(name))
        throw CouchError(400, QStringLiteral("illegal_database_name"),
                         QStringLiteral("Name: '%1'. ReplDesk keeps each CouchDB database as a "
                                        "collection, so only a-z, 0-9, _ and - are supported "
                                        "here; $, (, ), + and / are not.")
                             .arg(name));
}

const CollectionInfo &requireDatabase(const Catalog &catalog, const QString &name)
{
    const DatabaseInfo *sys = catalog.database(QStringLiteral("_system"));
    const CollectionInfo *c = sys ? catalog.collection(sys->id, name) : nullptr;
    if (!c)
        throw CouchError::notFound(QStringLiteral("Database does not exist."));
    return *c;
}

QJsonObject databaseInfo(storage::Connection &reader, const CollectionInfo &c)
{
    storage::CouchTable t(reader);
    const qint64 live = storage::CatalogTable(reader).count(c.cid);
    return {{QStringLiteral("db_name"), c.name},
            {QStringLiteral("update_seq"), qint64(t.lastTick(c.cid))},
            {QStringLiteral("purge_seq"), 0},
            {QStringLiteral("doc_count"), live},
            {QStringLiteral("doc_del_count"), t.deletedCount(c.cid)},
            {QStringLiteral("instance_start_time"), QStringLiteral("0")},
            {QStringLiteral("compact_running"), false},
            {QStringLiteral("disk_format_version"), 8},
            {QStringLiteral("props"), QJsonObject()},
            {QStringLiteral("sizes"), QJsonObject{{QStringLiteral("active"), 0},
                                                  {QStringLiteral("external"), 0},
                                                  {QStringLiteral("file"), 0}}}};
}

QByteArray getDocument(storage::Connection &reader, const CollectionInfo &c, const QString &id,
                       const DocQuery &q)
{
    const std::optional<LoadedDoc> d = loadDoc(reader, c, id);
    if (q.openRevs || q.openRevsAll) {
        if (!d)
            throw CouchError::notFound();
        return jsonArray(openRevEntries(*d, id, q.openRevsAll ? std::nullopt : q.openRevs, q.revs,
                                        q.attachments, q.latest, false));
    }
    if (!d)
        throw CouchError::notFound();
    const Leaf *leaf = &d->leaves.first();
    if (q.rev) {
        const RevisionId asked = parseRevision(*q.rev);
        if (!asked.isValid())
            throw CouchError::badRequest(QStringLiteral("Invalid rev format"));
        // We keep the bodies of leaves only: an older revision answers as CouchDB answers
        // one whose body compaction removed (404 missing).
        const int node = d->tree.find(asked);
        leaf = node >= 0 ? leafAt(*d, node) : nullptr;
        if (!leaf && node >= 0 && q.latest) {
            // latest: the leaf that descends from the asked revision (the winner first).
            for (const Leaf &l : d->leaves) {
                if (isAncestor(d->tree, node, l.node)) {
                    leaf = &l;
                    break;
                }
            }
        }
        if (!leaf)
            throw CouchError::notFound();
    } else if (d->row.deleted) {
        throw CouchError::notFound(QStringLiteral("deleted"));
    }
    QByteArray extra;
    if (q.revsInfo && !q.rev) { // CouchDB shows _revs_info only without ?rev=
        QList<QByteArray> infos;
        for (int i = leaf->node; i >= 0; i = d->tree.nodes()[i].parent) {
            const Leaf *l = leafAt(*d, i);
            const char *status = !l ? "missing" : (l->deleted ? "deleted" : "available");
            infos.append("{\"rev\":" + jsonString(QByteArrayView(d->tree.revision(i).toBytes())) +
                         ",\"status\":\"" + status + "\"}");
        }
        extra += ",\"_revs_info\":" + jsonArray(infos);
    }
    if (leaf->node == d->winner && (q.conflicts || q.deletedConflicts)) {
        // CouchDB's order (couch_doc:to_doc_info_path): highest generation first, then the
        // greater hash, the order in which the winner is picked.
        // (Pointers into d->leaves itself: sliced() would be a copy gone after the loop.)
        QList<const Leaf *> others;
        for (qsizetype i = 1; i < d->leaves.size(); ++i)
            others.append(&d->leaves.at(i));
        std::sort(others.begin(), others.end(), [&](const Leaf *a, const Leaf *b) {
            const RevTree::Node &na = d->tree.nodes()[a->node];
            const RevTree::Node &nb = d->tree.nodes()[b->node];
            return na.generation != nb.generation ? na.generation > nb.generation
                                                  : na.hash > nb.hash;
        });
        QList<QByteArray> live, dead;
        for (const Leaf *l : others)
            (l->deleted ? dead : live).append(l->rev);
        if (q.conflicts && !live.isEmpty())
            extra += ",\"_conflicts\":" + jsonStringArray(live);
        if (q.deletedConflicts && !dead.isEmpty())
            extra += ",\"_deleted_conflicts\":" + jsonStringArray(dead);
    }
    return leafJson(*d, *leaf, id, q.revs, extra, q.attachments);
}

QByteArray bulkGet(storage::Connection &reader, const CollectionInfo &c, const QJsonArray &docs,
                   bool revs, bool latest, bool attachments)
{
    QByteArray out = "{\"results\":[";
    bool first = true;
    const storage::ReadSnapshot snapshot(reader);
    for (const QJsonValue &v : docs) {
        const QJsonObject req = v.toObject();
        const QString id = req.value(QStringLiteral("id")).toString();
        if (id.isEmpty())
            throw CouchError::badRequest(QStringLiteral("each entry of docs needs an id"));
        std::optional<QList<QByteArray>> wanted;
        if (req.value(QStringLiteral("rev")).isString())
            wanted = QList<QByteArray>{req.value(QStringLiteral("rev")).toString().toUtf8()};
        const std::optional<LoadedDoc> d = loadDoc(reader, c, id);
        QList<QByteArray> entries;
        if (d) {
            entries = openRevEntries(*d, id, wanted, revs, attachments, latest, true);
        } else {
            const QByteArray rev = wanted ? wanted->first() : QByteArray("undefined");
            entries.append("{\"error\":{\"id\":" + jsonString(id) +
                           ",\"rev\":" + jsonString(QByteArrayView(rev)) +
                           ",\"error\":\"not_found\",\"reason\":\"missing\"}}");
        }
        if (!first)
            out += ',';
        first = false;
        out += "{\"id\":" + jsonString(id) + ",\"docs\":" + jsonArray(entries) + '}';
    }
    out += "]}";
    return out;
}

QByteArray allDocs(storage::Connection &reader, const CollectionInfo &c, const AllDocsQuery &q)
{
    const storage::ReadSnapshot snapshot(reader); // the scan, each document and the count
    storage::CouchTable table(reader);
    QList<QByteArray> rows;
    qint64 skipped = 0;
    auto rowJson = [&](const QString &id, QByteArrayView rev, bool deleted,
                       QByteArrayView doc) -> QByteArray {
        QByteArray r = "{\"id\":" + jsonString(id) + ",\"key\":" + jsonString(id) +
                       ",\"value\":{\"rev\":" + jsonString(QByteArrayView(rev));
        if (deleted)
            r += ",\"deleted\":true";
        r += '}';
        if (q.includeDocs) {
            r += ",\"doc\":";
            r += deleted ? QByteArray("null") : doc.toByteArray();
        }
        r += '}';
        return r;
    };
    auto docJson = [&](const QString &id) -> QByteArray {
        DocQuery dq;
        dq.conflicts = q.conflicts;
        dq.attachments = q.attachments;
        return getDocument(reader, c, id, dq);
    };
    if (q.keys) {
        // keys: one row per key in the given order (reversed when descending), then skip and
        // limit over those rows; offset and update_seq are null, as CouchDB answers.
        storage::DocumentTable docs(reader);
        QStringList keys = *q.keys;
        if (q.descending)
            std::reverse(keys.begin(), keys.end());
        for (qsizetype i = q.skip; i < keys.size(); ++i) {
            if (q.limit >= 0 && rows.size() >= q.limit)
                break;
            const QString &key = keys[i];
            const auto row = docs.get(c.cid, key);
            if (!row) {
                rows.append("{\"key\":" + jsonString(key) + ",\"error\":\"not_found\"}");
                continue;
            }
            rows.append(rowJson(key, row->rev, row->deleted,
                                q.includeDocs && !row->deleted ? docJson(key) : QByteArray()));
        }
    } else {
        const QByteArray endKey = q.endKey ? q.endKey->toUtf8() : QByteArray();
        table.scanKeys(c.cid, q.startKey, q.endKey, q.descending, [&](const storage::CouchRow &r) {
            if (!q.inclusiveEnd && q.endKey && r.key == QByteArrayView(endKey))
                return false; // the end key itself is the last one in either direction
            if (skipped < q.skip) {
                ++skipped;
                return true;
            }
            if (q.limit >= 0 && rows.size() >= q.limit)
                return false;
            const QString id = QString::fromUtf8(r.key);
            QByteArray doc;
            if (q.includeDocs)
                doc = q.conflicts ? docJson(id)
                                  : composeDoc(r.key, r.rev, false, r.body, {}, q.attachments);
            rows.append(rowJson(id, r.rev, false, doc));
            return true;
        });
    }
    QByteArray out =
        "{\"total_rows\":" + QByteArray::number(storage::CatalogTable(reader).count(c.cid)) +
        ",\"offset\":" + (q.keys ? QByteArray("null") : QByteArray::number(q.skip));
    if (q.updateSeq)
        out += ",\"update_seq\":" +
               (q.keys ? QByteArray("null") : QByteArray::number(table.lastTick(c.cid)));
    out += ",\"rows\":[";
    for (qsizetype i = 0; i < rows.size(); ++i) {
        if (i)
            out += ",\n";
        out += rows[i];
    }
    out += "]}";
    return out;
}

namespace {

// One change as the feed shows it: views into the scanned row, or into a batch's copy of it.
struct ChangeRow
{
    Tick tick = 0;
    QByteArrayView key;
    QByteArrayView rev;
    bool deleted = false;
    QByteArrayView body;
    QByteArrayView revtree;
};

QByteArray changeJson(storage::Connection &reader, const CollectionInfo &c, const ChangesQuery &q,
                      const ChangeRow &r)
{
    QByteArray row = "{\"seq\":" + QByteArray::number(r.tick) + ",\"id\":";
    appendJsonString(row, r.key);
    row += ",\"changes\":[{\"rev\":";
    appendJsonString(row, r.rev);
    row += '}';
    if (q.allLeaves && r.revtree.contains(';')) {
        const RevTree tree = RevTree::fromBytes(r.revtree);
        for (int leaf : tree.leaves()) {
            const QByteArray rev = tree.revision(leaf).toBytes();
            if (rev == r.rev)
                continue;
            row += ",{\"rev\":";
            appendJsonString(row, rev);
            row += '}';
        }
    }
    row += ']';
    if (r.deleted)
        row += ",\"deleted\":true";
    if (q.includeDocs) {
        row += ",\"doc\":";
        if (q.conflicts) {
            DocQuery dq;
            dq.conflicts = true;
            dq.rev = r.rev.toByteArray();
            dq.attachments = q.attachments;
            row += getDocument(reader, c, QString::fromUtf8(r.key), dq);
        } else {
            row += composeDoc(r.key, r.rev, r.deleted, r.body, {}, q.attachments);
        }
    }
    row += '}';
    return row;
}

// A scanned row kept for a JavaScript batch (the scan's views die with its step).
struct KeptRow
{
    Tick tick;
    QByteArray key, rev, body, revtree;
    bool deleted;
    ChangeRow view() const { return {tick, key, rev, deleted, body, revtree}; }
};

// Documents per exchange with a JavaScript filter's process, and bytes at most (about).
constexpr qsizetype JsBatchDocs = 256;
constexpr qsizetype JsBatchBytes = qsizetype(1) << 20;

} // namespace

ChangesResult changes(storage::Connection &reader, const CollectionInfo &c, const ChangesQuery &q,
                      ChangesFilter &filter)
{
    ChangesResult res;
    res.lastSeq = q.since;
    bool limited = false;
    // One snapshot for the newest tick, the scan, the documents and `pending`.
    const storage::ReadSnapshot snapshot(reader);
    qint64 passed = 0; // rows up to lastSeq (sent or filtered out)
    storage::CouchTable table(reader);
    const Tick head = q.limit >= 0 ? table.lastTick(c.cid) : 0;
    // JavaScript filters see the rows in batches: one exchange with the sandbox per batch.
    std::vector<KeptRow> batch;
    QList<QByteArray> batchDocs;
    qsizetype batchBytes = 0;
    const auto flush = [&] { // false once the limit is reached
        const QList<bool> pass = filter.acceptsAll(batchDocs);
        bool more = true;
        for (size_t i = 0; i < batch.size(); ++i) {
            if (q.limit >= 0 && res.rows.size() >= q.limit) {
                limited = true;
                more = false;
                break;
            }
            res.lastSeq = batch[i].tick;
            ++passed;
            if (pass.value(qsizetype(i)))
                res.rows.append(changeJson(reader, c, q, batch[i].view()));
        }
        batch.clear();
        batchDocs.clear();
        batchBytes = 0;
        return more;
    };
    table.scanChanges(c.cid, q.since, [&](const storage::CouchRow &r) {
        if (q.limit >= 0 && res.rows.size() >= q.limit) {
            limited = true;
            return false;
        }
        if (filter.runsJavaScript()) {
            batch.push_back({r.tick, r.key.toByteArray(), r.rev.toByteArray(), r.body.toByteArray(),
                             r.revtree.toByteArray(), r.deleted});
            // As CouchDB passes it: attachments as stubs.
            batchDocs.append(composeDoc(r.key, r.rev, r.deleted, r.body, {}, false));
            batchBytes += batchDocs.last().size();
            const qsizetype room = q.limit >= 0 ? q.limit - res.rows.size() : JsBatchDocs;
            if (qsizetype(batch.size()) >= qBound(qsizetype(1), room, JsBatchDocs) ||
                batchBytes >= JsBatchBytes)
                return flush();
            return true;
        }
        res.lastSeq = r.tick;
        ++passed;
        const QString id = QString::fromUtf8(r.key);
        if (filter.kind() == ChangesFilter::Kind::DocIds && !filter.ids().contains(id))
            return true;
        if (filter.kind() != ChangesFilter::Kind::None &&
            filter.kind() != ChangesFilter::Kind::DocIds) {
            QJsonObject doc = filter.needsBody()
                                  ? QJsonDocument::fromJson(r.body.toByteArray()).object()
                                  : QJsonObject();
            doc.insert(QStringLiteral("_id"), id);
            doc.insert(QStringLiteral("_rev"), QString::fromUtf8(r.rev));
            if (r.deleted)
                doc.insert(QStringLiteral("_deleted"), true);
            if (!filter.accepts(id, doc))
                return true;
        }
        res.rows.append(
            changeJson(reader, c, q, {r.tick, r.key, r.rev, r.deleted, r.body, r.revtree}));
        return true;
    });
    if (!limited && !batch.empty())
        flush();
    if (limited)
        res.pending = table.pendingAfter(c.cid, q.since, res.lastSeq, passed, head);
    else if (res.lastSeq == q.since) // nothing after `since`: report where the database is
        res.lastSeq = qMin(q.since, table.lastTick(c.cid));
    return res;
}

QByteArray changesBody(const ChangesResult &r)
{
    QByteArray out = "{\"results\":[\n";
    for (qsizetype i = 0; i < r.rows.size(); ++i) {
        if (i)
            out += ",\n";
        out += r.rows[i];
    }
    out += "\n],\n\"last_seq\":" + QByteArray::number(r.lastSeq) +
           ",\"pending\":" + QByteArray::number(r.pending) + "}\n";
    return out;
}

QByteArray localDocs(storage::Connection &reader, const CollectionInfo &c, const AllDocsQuery &q)
{
    QList<storage::CouchTable::LocalListing> all = storage::CouchTable(reader).locals(c.cid);
    if (q.descending)
        std::reverse(all.begin(), all.end());
    QByteArray out = "{\"total_rows\":null,\"offset\":null,\"rows\":[";
    qint64 skipped = 0, sent = 0;
    bool first = true;
    for (const auto &l : std::as_const(all)) {
        if (q.keys && !q.keys->contains(l.id))
            continue;
        if (skipped++ < q.skip)
            continue;
        if (q.limit >= 0 && sent >= q.limit)
            break;
        ++sent;
        const QByteArray id = QJsonDocument(QJsonArray{l.id}).toJson(QJsonDocument::Compact);
        const QByteArray idJson = id.mid(1, id.size() - 2); // the quoted string
        out += first ? "\n" : ",\n";
        first = false;
        out += "{\"id\":" + idJson + ",\"key\":" + idJson + ",\"value\":{\"rev\":\"0-" +
               QByteArray::number(l.rev) + "\"}";
        if (q.includeDocs)
            out += ",\"doc\":" + localJson(l.id, l.rev, l.body);
        out += "}";
    }
    out += "\n]}";
    return out;
}

QByteArray getLocal(storage::Connection &reader, const CollectionInfo &c, const QString &id)
{
    const auto row = storage::CouchTable(reader).local(c.cid, id);
    if (!row)
        throw CouchError::notFound();
    return localJson(id, row->rev, row->body);
}

Tick parseSeq(storage::Connection &reader, const CollectionInfo &c, const QJsonValue &v)
{
    if (v.isUndefined() || v.isNull())
        return 0;
    const auto malformed = [](const QString &why) {
        return CouchError::badRequest(
            QStringLiteral("Malformed sequence supplied in 'since' parameter%1.").arg(why));
    };
    // Sequences are ticks, at most 2^63 - 1 (SQLite's integers): beyond is an error, never 0
    // (which would send the whole feed again).
    const QString outOfRange = QStringLiteral(": out of range (at most 9223372036854775807)");
    if (v.isDouble()) {
        const double d = v.toDouble();
        if (d >= 9223372036854775808.0)
            throw malformed(outOfRange);
        if (d < 0 || d != double(qint64(d)))
            throw malformed(QString());
        return Tick(qint64(d));
    }
    const QString s = v.toString();
    if (s == u"now")
        return storage::CouchTable(reader).lastTick(c.cid);
    // Plain numbers, and CouchDB 2+ style "N-opaque" strings by their number.
    static const QRegularExpression number(QStringLiteral("^([0-9]+)(-.*)?$"));
    const auto m = number.match(s);
    if (!m.hasMatch())
        throw malformed(QString());
    bool ok = false;
    const Tick t = m.captured(1).toULongLong(&ok);
    if (!ok || t > Tick(std::numeric_limits<qint64>::max()))
        throw malformed(outOfRange);
    return t;
}

} // namespace CouchService
} // namespace repl
