#include "engine/DocumentService.h"

#include "core/DocumentJson.h"
#include "core/Error.h"
#include "core/LogEventType.h"
#include "core/LogLine.h"
#include "core/Names.h"
#include "core/RevTree.h"
#include "engine/RevisionStore.h"
#include "engine/WriteTxn.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QVarLengthArray>

namespace repl::DocumentService {

namespace {

QJsonObject parseBody(const QByteArray &body)
{
    return QJsonDocument::fromJson(body).object();
}

Error notFound(const CollectionInfo &c, const QString &key)
{
    Q_UNUSED(c);
    Q_UNUSED(key);
    return Error(404, ErrorNum::DocumentNotFound);
}

void checkEdge(const CollectionInfo &c, const QJsonObject &doc)
{
    if (c.type != 3)
        return;
    for (const char *attr : {"_from", "_to"}) {
        const QJsonValue v = doc.value(QLatin1String(attr));
        const QString s = v.toString();
        const qsizetype slash = s.indexOf(u'/');
        if (!v.isString() || slash <= 0 || slash + 1 >= s.size())
            throw Error(400, 1233,
                        QStringLiteral("edge attribute missing or invalid: <%1> must be a "
                                       "document handle \"collection/key\"")
                            .arg(QLatin1String(attr)));
    }
}

QByteArray checkedRev(const storage::DocumentRow &row, const Options &o, const CollectionInfo &c)
{
    if (o.expectedRev && !o.expectedRev->isEmpty() && *o.expectedRev != row.rev)
        throw Error(412, ErrorNum::Conflict,
                    QStringLiteral("conflict, _rev values do not match (document %1/%2 has %3)")
                        .arg(c.name, row.key, QString::fromUtf8(row.rev)));
    return row.rev;
}

// Appends the 2300/2302 event of a stored version (when this database logs).
void logVersion(WriteTxn &txn, const CollectionInfo &c, const storage::DocumentRow &row,
                const QByteArray &oldRev, Tick tid)
{
    if (!txn.isLogging(c.db))
        return;
    const QByteArray keyUtf8 = row.key.toUtf8();
    const QByteArray cname = c.name.toUtf8();
    const QByteArray data = row.deleted ? composeKeyRev(keyUtf8, row.rev)
                                        : composeDocument(cname, keyUtf8, row.rev, row.body);
    DocumentEvent e;
    e.tick = row.tick;
    e.type = int(row.deleted ? LogEventType::DocumentRemove : LogEventType::DocumentUpsert);
    e.databaseId = Tick(c.db);
    e.cid = Tick(c.cid);
    e.collection = cname;
    e.tid = tid;
    e.key = keyUtf8;
    e.rev = row.rev;
    e.oldRev = oldRev;
    e.data = data;
    if (!c.isServerLocal())
        txn.appendLog(c.db, c.isSystem(), row.tick, documentEventLine(e));
}

// 409/1210 when another key holds `value` in the unique index.
void requireUniqueOwner(WriteTxn &txn, const IndexInfo &idx, const QByteArray &value,
                        const QString &key)
{
    if (auto owner = txn.catalogTable().uniqueOwner(idx.id, value); owner && *owner != key)
        throw Error(409, ErrorNum::UniqueConstraintViolated,
                    QStringLiteral("unique constraint violated - in index %1 of type "
                                   "%2 over '%3'; conflicting key: %4")
                        .arg(QString::number(idx.id), idx.type, idx.fields.join(u", "), *owner));
}

// Keeps unique index entries in step with a document's new version. With `enforce`, a value
// owned by another key throws 409/1210 before anything is written; replicated writes do not
// enforce (the leader already did) and take the value over.
void updateUniqueEntries(WriteTxn &txn, const CollectionInfo &c, const QString &key,
                         const std::optional<storage::DocumentRow> &existing,
                         const QJsonObject &newDoc, bool deleted, bool enforce)
{
    if (!c.hasUniqueIndex())
        return;
    const bool wasLive = existing && !existing->deleted;
    struct Change
    {
        const IndexInfo *index;
        std::optional<QByteArray> oldValue, newValue;
    };
    QList<Change> changes;
    const QJsonObject oldDoc = wasLive ? parseBody(existing->body) : QJsonObject();
    for (const IndexInfo &idx : c.indexes) {
        if (!idx.unique)
            continue;
        Change ch{&idx, wasLive ? indexValue(idx, oldDoc) : std::nullopt,
                  deleted ? std::nullopt : indexValue(idx, newDoc)};
        if (enforce && ch.newValue && ch.newValue != ch.oldValue)
            requireUniqueOwner(txn, idx, *ch.newValue, key);
        if (ch.newValue != ch.oldValue)
            changes.append(ch);
    }
    for (const Change &ch : changes) {
        if (ch.oldValue)
            txn.catalogTable().removeUnique(ch.index->id, *ch.oldValue, key);
        if (ch.newValue)
            txn.catalogTable().insertUnique(ch.index->id, *ch.newValue, key);
    }
}

// Writes one new version of a document: the next revision on the winner's branch.
Result commitVersion(WriteTxn &txn, const CollectionInfo &c, const QString &key,
                     const std::optional<storage::DocumentRow> &existing, const QJsonObject &newDoc,
                     QByteArray newBody, bool deleted, Tick tid)
{
    const bool wasLive = existing && !existing->deleted;
    RevTree tree = existing ? RevTree::fromBytes(existing->revtree) : RevTree();
    RevisionId parentRev = existing ? parseRevision(existing->rev) : RevisionId();
    int parent = existing ? tree.find(parentRev) : -1;
    if (existing && parent < 0) // tree lost (should not happen): restart it at the winner
        parent = tree.addChild(-1, parentRev, existing->deleted);
    const RevisionId rev = makeRevision(parentRev, deleted, newBody);
    tree.addChild(parent, rev, deleted);
    if (existing && existing->revtree.contains(';') && tree.leaves().size() > 1) {
        // Unique indexes hold for this face's edits whatever branch wins.
        if (!deleted)
            for (const IndexInfo &idx : c.indexes)
                if (idx.unique)
                    if (const auto value = indexValue(idx, newDoc))
                        requireUniqueOwner(txn, idx, *value, key);
        // A document with conflicts (CouchDB face): the edit extends the winner's branch, and
        // CouchDB's rule picks which leaf the row shows (deleting the winner uncovers a
        // conflict instead of deleting the document).
        Result r;
        r.key = key;
        r.rev = rev.toBytes();
        r.oldRev = wasLive ? existing->rev : QByteArray();
        r.newBody = newBody;
        r.oldBody = wasLive ? existing->body : QByteArray();
        r.replacedExisting = wasLive;
        RevisionStore::commitEdit(txn, c, *existing, std::move(tree), r.rev, deleted,
                                  std::move(newBody), tid);
        return r;
    }
    updateUniqueEntries(txn, c, key, existing, newDoc, deleted, true);
    tree.stem(RevTree::RevsLimit);

    storage::DocumentRow row;
    row.cid = c.cid;
    row.key = key;
    row.rev = rev.toBytes();
    row.tick = txn.nextTick();
    row.deleted = deleted;
    row.body = std::move(newBody);
    row.revtree = tree.toBytes();
    txn.documents().put(row);
    txn.addCount(c.cid, (deleted ? 0 : 1) - (wasLive ? 1 : 0));

    logVersion(txn, c, row, wasLive ? existing->rev : QByteArray(), tid);
    Result r;
    r.key = key;
    r.rev = row.rev;
    r.oldRev = wasLive ? existing->rev : QByteArray();
    r.newBody = row.body;
    r.oldBody = wasLive ? existing->body : QByteArray();
    r.replacedExisting = wasLive;
    return r;
}

QString requireKey(const QString &key)
{
    if (!isValidDocumentKey(key))
        throw Error(400, ErrorNum::DocumentKeyBad,
                    QStringLiteral("illegal document key: '%1'").arg(key.left(300)));
    return key;
}

storage::DocumentRow requireLive(WriteTxn &txn, const CollectionInfo &c, const QString &key)
{
    auto row = txn.documents().get(c.cid, requireKey(key));
    if (!row || row->deleted)
        throw notFound(c, key);
    return *row;
}

void mergeInto(QJsonObject &target, const QJsonObject &patch, const Options &o)
{
    for (auto it = patch.begin(); it != patch.end(); ++it) {
        if (it.key() == u"_key" || it.key() == u"_id" || it.key() == u"_rev")
            continue;
        if (it.value().isNull() && !o.keepNull) {
            target.remove(it.key());
        } else if (o.mergeObjects && it.value().isObject() && target.value(it.key()).isObject()) {
            QJsonObject nested = target.value(it.key()).toObject();
            mergeInto(nested, it.value().toObject(), o);
            target.insert(it.key(), nested);
        } else if (it.value().isObject() && !o.keepNull) {
            QJsonObject cleaned;
            mergeInto(cleaned, it.value().toObject(), o);
            target.insert(it.key(), cleaned);
        } else {
            target.insert(it.key(), it.value());
        }
    }
}

} // namespace

void storeReplicated(WriteTxn &txn, const CollectionInfo &c,
                     const std::optional<storage::DocumentRow> &existing, const StoredVersion &v,
                     Tick tid)
{
    const bool wasLive = existing && !existing->deleted;
    updateUniqueEntries(txn, c, v.key, existing, v.object, v.deleted, false);
    // The leader's revision joins the local tree below its parent when we know it, else below
    // our winner when it is older; otherwise the leader's lineage replaces ours.
    RevTree tree = existing ? RevTree::fromBytes(existing->revtree) : RevTree();
    RevisionId given = parseRevision(v.rev);
    if (!given.isValid())
        given = {1, v.rev}; // an opaque foreign revision (ArangoDB 3.x style)
    int parent = -1;
    if (!v.parentRev.isEmpty())
        parent = tree.find(parseRevision(v.parentRev));
    if (parent < 0 && existing) {
        const int winner = tree.find(parseRevision(existing->rev));
        if (winner >= 0 && tree.nodes()[winner].generation < given.generation)
            parent = winner;
    }
    if (parent < 0 || tree.nodes()[parent].generation + 1 != given.generation)
        tree = RevTree();
    tree.addChild(tree.isEmpty() ? -1 : parent, given, v.deleted);
    tree.stem(RevTree::RevsLimit);

    storage::DocumentRow row;
    row.cid = c.cid;
    row.key = v.key;
    row.rev = v.rev;
    row.tick = txn.nextTick();
    row.deleted = v.deleted;
    row.body = v.body;
    row.revtree = tree.toBytes();
    txn.documents().put(row);
    txn.addCount(c.cid, (v.deleted ? 0 : 1) - (wasLive ? 1 : 0));
    logVersion(txn, c, row, wasLive ? existing->rev : QByteArray(), tid);
}

void storeWinner(WriteTxn &txn, const CollectionInfo &c,
                 const std::optional<storage::DocumentRow> &existing, storage::DocumentRow row,
                 Tick tid)
{
    const bool wasLive = existing && !existing->deleted;
    if (c.hasUniqueIndex())
        updateUniqueEntries(txn, c, row.key, existing, parseBody(row.body), row.deleted, false);
    row.cid = c.cid;
    row.tick = txn.nextTick();
    txn.documents().put(row);
    txn.addCount(c.cid, (row.deleted ? 0 : 1) - (wasLive ? 1 : 0));
    logVersion(txn, c, row, wasLive ? existing->rev : QByteArray(), tid);
}

bool insertFresh(WriteTxn &txn, const CollectionInfo &c, QByteArrayView key, QByteArrayView rev,
                 int generation, QByteArrayView hash, QByteArrayView body, bool deleted, Tick tid)
{
    // Its tree is the one revision (RevTree's encoding, written directly).
    QVarLengthArray<char, 160> tree;
    RevTree::appendSingle(tree, generation, hash, deleted);
    const storage::DocumentRowView fresh{
        c.cid, key, rev, txn.nextTick(), deleted, body, QByteArrayView(tree.data(), tree.size())};
    if (!txn.documents().insertIfAbsent(fresh))
        return false;
    if (c.hasUniqueIndex())
        updateUniqueEntries(txn, c, QString::fromUtf8(key), std::nullopt,
                            parseBody(body.toByteArray()), deleted, false);
    txn.addCount(c.cid, deleted ? 0 : 1); // also notes the collection as written
    if (txn.isLogging(c.db))
        logVersion(txn, c,
                   storage::DocumentRow{c.cid, QString::fromUtf8(key), rev.toByteArray(),
                                        fresh.tick, deleted, body.toByteArray(),
                                        fresh.revtree.toByteArray()},
                   {}, tid);
    return true;
}

bool storeLeaderVersion(WriteTxn &txn, const CollectionInfo &c, QByteArrayView key,
                        QByteArrayView rev, QByteArrayView oldRev, QByteArrayView body,
                        bool deleted, Tick tid)
{
    RevisionView given = splitRevision(rev);
    const bool opaque = given.generation == 0;
    if (opaque)
        given = {1, rev}; // a foreign revision (ArangoDB 3.x style)
    // A key this collection never had: one INSERT, no lookup, and no copy of the bytes.
    if (insertFresh(txn, c, key, rev, given.generation, given.hash, body, deleted, tid))
        return true;
    const QString keyText = QString::fromUtf8(key);
    const std::optional<storage::DocumentRow> existing = txn.documents().get(c.cid, keyText);
    const RevTree known = existing ? RevTree::fromBytes(existing->revtree) : RevTree();
    if (!opaque && known.find(RevisionId{given.generation, given.hash.toByteArray()}) >= 0)
        return false; // known: already applied, or older than what we have
    if (opaque && existing && existing->rev == rev && existing->deleted == deleted)
        return false;
    const QByteArray bodyBytes = body.toByteArray();
    const StoredVersion v{keyText,
                          rev.toByteArray(),
                          oldRev.toByteArray(),
                          c.hasUniqueIndex() && !deleted ? parseBody(bodyBytes) : QJsonObject(),
                          bodyBytes,
                          deleted};
    storeReplicated(txn, c, existing, v, tid);
    return true;
}

LoggedTransaction::LoggedTransaction(WriteTxn &txn, qint64 db)
    : m_txn(txn)
    , m_db(db)
    , m_logging(txn.isLogging(db))
{}

Tick LoggedTransaction::tid()
{
    if (!m_logging)
        return 0;
    if (!m_tid) {
        m_tid = m_txn.nextTick();
        m_txn.appendLog(m_db, false, m_tid,
                        JsonLineBuilder()
                            .tick("tick", m_tid)
                            .number("type", int(LogEventType::TransactionStart))
                            .tick("database", Tick(m_db))
                            .tick("tid", m_tid)
                            .finish(true));
    }
    return m_tid;
}

void LoggedTransaction::commit()
{
    if (!m_tid)
        return;
    const Tick tick = m_txn.nextTick();
    m_txn.appendLog(m_db, false, tick,
                    JsonLineBuilder()
                        .tick("tick", tick)
                        .number("type", int(LogEventType::TransactionCommit))
                        .tick("database", Tick(m_db))
                        .tick("tid", m_tid)
                        .finish(true));
    m_tid = 0;
}

std::optional<QByteArray> indexValue(const IndexInfo &index, const QJsonObject &doc)
{
    QJsonArray values;
    for (const QString &field : index.fields) {
        QJsonValue v = doc;
        for (const QString &part : field.split(u'.'))
            v = v.isObject() ? v.toObject().value(part) : QJsonValue(QJsonValue::Undefined);
        if (v.isUndefined())
            v = QJsonValue(QJsonValue::Null);
        if (index.sparse && v.isNull())
            return std::nullopt;
        values.append(v);
    }
    return QJsonDocument(values).toJson(QJsonDocument::Compact);
}

Prepared prepare(const CollectionInfo &c, QJsonObject doc)
{
    checkEdge(c, doc);
    Prepared p;
    const QJsonValue keyValue = doc.value(QStringLiteral("_key"));
    if (!keyValue.isUndefined() && !keyValue.isNull()) {
        if (!keyValue.isString())
            throw Error(400, ErrorNum::DocumentKeyBad,
                        QStringLiteral("illegal document key: _key must be a string"));
        p.key = requireKey(keyValue.toString());
    }
    doc.remove(QStringLiteral("_key"));
    doc.remove(QStringLiteral("_id"));
    doc.remove(QStringLiteral("_rev"));
    p.body = QJsonDocument(doc).toJson(QJsonDocument::Compact);
    p.object = std::move(doc);
    const RevisionId first = makeRevision({}, false, p.body);
    p.firstRev = first.toBytes();
    RevTree::appendSingle(p.firstTree, first.generation, first.hash, false);
    return p;
}

Result insert(WriteTxn &txn, const CollectionInfo &c, const QJsonObject &doc, const Options &o,
              Tick tid)
{
    return insert(txn, c, prepare(c, doc), o, tid);
}

Result insert(WriteTxn &txn, const CollectionInfo &c, const Prepared &p, const Options &o, Tick tid)
{
    const QString key = p.key.isEmpty() ? QString::number(txn.nextTick()) : p.key;
    if (!o.overwrite && !c.hasUniqueIndex()) {
        // Fast path for the common case, a key never seen: one INSERT, no lookup first.
        storage::DocumentRow row;
        row.cid = c.cid;
        row.key = key;
        row.rev = p.firstRev; // made by prepare(), off the writer thread
        row.revtree = p.firstTree;
        row.tick = txn.nextTick();
        row.body = p.body;
        if (txn.documents().insertIfAbsent(row)) {
            txn.addCount(c.cid, 1);
            logVersion(txn, c, row, {}, tid);
            Result r;
            r.key = key;
            r.rev = row.rev;
            r.newBody = row.body;
            return r;
        }
    }
    const std::optional<storage::DocumentRow> existing = txn.documents().get(c.cid, key);
    if (existing && !existing->deleted) {
        if (!o.overwrite)
            throw Error(409, ErrorNum::UniqueConstraintViolated,
                        QStringLiteral("unique constraint violated - in index primary of type "
                                       "primary over '_key'; conflicting key: %1")
                            .arg(key));
        checkedRev(*existing, o, c);
    }
    return commitVersion(txn, c, key, existing, p.object, p.body, false, tid);
}

Result replace(WriteTxn &txn, const CollectionInfo &c, const QString &key, const QJsonObject &doc,
               const Options &o, Tick tid)
{
    checkEdge(c, doc);
    const storage::DocumentRow row = requireLive(txn, c, key);
    checkedRev(row, o, c);
    return commitVersion(txn, c, key, row, doc, userBody(doc), false, tid);
}

Result update(WriteTxn &txn, const CollectionInfo &c, const QString &key, const QJsonObject &patch,
              const Options &o, Tick tid)
{
    const storage::DocumentRow row = requireLive(txn, c, key);
    checkedRev(row, o, c);
    QJsonObject merged = parseBody(row.body);
    mergeInto(merged, patch, o);
    checkEdge(c, merged);
    return commitVersion(txn, c, key, row, merged, userBody(merged), false, tid);
}

Result remove(WriteTxn &txn, const CollectionInfo &c, const QString &key, const Options &o,
              Tick tid)
{
    const storage::DocumentRow row = requireLive(txn, c, key);
    checkedRev(row, o, c);
    return commitVersion(txn, c, key, row, QJsonObject(), QByteArrayLiteral("{}"), true, tid);
}

} // namespace repl::DocumentService
