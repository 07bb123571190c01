#include "engine/RevisionStore.h"

#include "core/Revision.h"
#include "engine/DocumentService.h"
#include "engine/WriteTxn.h"

namespace repl::RevisionStore {

std::optional<LoadedDoc> loadDoc(storage::Connection &conn, const CollectionInfo &c,
                                 const QString &id)
{
    auto row = storage::DocumentTable(conn).get(c.cid, id);
    if (!row)
        return std::nullopt;
    LoadedDoc d;
    d.tree = RevTree::fromBytes(row->revtree);
    const RevisionId winnerRev = parseRevision(row->rev);
    d.winner = d.tree.find(winnerRev);
    if (d.winner < 0) { // a foreign opaque revision: a one-node tree
        d.tree = RevTree();
        d.winner = d.tree.addChild(-1, winnerRev.isValid() ? winnerRev : RevisionId{1, row->rev},
                                   row->deleted);
    }
    d.leaves.append({d.winner, row->rev, row->deleted, row->body});
    if (d.tree.leaves().size() > 1) {
        for (storage::LeafRow &l : storage::CouchTable(conn).leaves(c.cid, id)) {
            const int node = d.tree.find(parseRevision(l.rev));
            if (node >= 0)
                d.leaves.append({node, std::move(l.rev), l.deleted, std::move(l.body)});
        }
    }
    d.row = std::move(*row);
    return d;
}

const Leaf *leafAt(const LoadedDoc &d, int node)
{
    for (const Leaf &l : d.leaves)
        if (l.node == node)
            return &l;
    return nullptr;
}

void commitTree(WriteTxn &txn, const CollectionInfo &c, const QString &id,
                const std::optional<LoadedDoc> &old, RevTree tree,
                const QHash<QByteArray, storage::LeafRow> &bodies, Tick tid)
{
    tree.stem(RevTree::RevsLimit);
    const int winner = tree.winner();
    const QList<int> leaves = tree.leaves();
    storage::DocumentRow row;
    row.key = id;
    row.rev = tree.revision(winner).toBytes();
    row.deleted = tree.nodes()[winner].deleted;
    row.body = bodies.value(row.rev).body;
    if (row.body.isEmpty())
        row.body = "{}";
    row.revtree = tree.toBytes();
    const bool hadOthers = old && old->leaves.size() > 1;
    if (hadOthers || leaves.size() > 1) {
        QList<storage::LeafRow> others;
        for (int n : leaves) {
            if (n == winner)
                continue;
            const QByteArray rev = tree.revision(n).toBytes();
            storage::LeafRow l = bodies.value(rev);
            l.rev = rev;
            l.deleted = tree.nodes()[n].deleted;
            if (l.body.isEmpty())
                l.body = "{}";
            others.append(std::move(l));
        }
        storage::CouchTable(txn.connection()).setLeaves(c.cid, id, others);
    }
    std::optional<storage::DocumentRow> existing;
    if (old)
        existing = old->row;
    DocumentService::storeWinner(txn, c, existing, std::move(row), tid);
}

QHash<QByteArray, storage::LeafRow> knownBodies(const std::optional<LoadedDoc> &d)
{
    QHash<QByteArray, storage::LeafRow> out;
    if (d)
        for (const Leaf &l : d->leaves)
            out.insert(l.rev, {l.rev, l.deleted, l.body});
    return out;
}

void commitEdit(WriteTxn &txn, const CollectionInfo &c, const storage::DocumentRow &existing,
                RevTree tree, const QByteArray &newRev, bool deleted, QByteArray body, Tick tid)
{
    std::optional<LoadedDoc> old = loadDoc(txn.connection(), c, existing.key);
    QHash<QByteArray, storage::LeafRow> bodies = knownBodies(old);
    bodies.insert(newRev, {newRev, deleted, std::move(body)});
    commitTree(txn, c, existing.key, old, std::move(tree), bodies, tid);
}

} // namespace repl::RevisionStore
