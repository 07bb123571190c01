// Revision trees and revision ids. Two modes, by the first byte:
// - stored bytes (the revtree column, written by any version, or damaged): RevTree::fromBytes
//   on anything gives a forest every method can walk, and toBytes/fromBytes is stable;
// - a replication history: the rest of the input is a program of mergePath, local edits and
//   stem calls on one tree, as peers' _revisions would drive them: a merge answers the path's
//   leaf and merging it again adds nothing, stemming keeps every leaf and the winner, and at
//   the end the tree is a forest of distinct revisions whose children are one generation below
//   their parent that survives toBytes/fromBytes exactly.
#include "FuzzSupport.h"

#include "core/RevTree.h"
#include "core/Revision.h"

#include <QSet>

using namespace repl;
using namespace repl::fuzz;

namespace {

// Walks every method over `t`, checking what holds for any forest.
void checkForest(const RevTree &t)
{
    const qsizetype n = t.nodes().size();
    for (qsizetype i = 0; i < n; ++i) {
        // Parents before children: no cycles, nothing past the tree.
        const int parent = t.nodes()[i].parent;
        FUZZ_CHECK(parent >= -1 && parent < i, "node " + QByteArray::number(i));
    }
    const QList<int> leaves = t.leaves();
    for (qsizetype i = 0; i < leaves.size() && i < 16; ++i)
        FUZZ_CHECK(t.ancestry(leaves[i]).size() <= n);
    FUZZ_CHECK(leaves.isEmpty() == t.isEmpty());
    const int winner = t.winner();
    FUZZ_CHECK((winner < 0) == t.isEmpty());
    if (winner >= 0) {
        FUZZ_CHECK(leaves.contains(winner));
        const RevTree::Node &w = t.nodes()[winner];
        for (int l : leaves) { // CouchDB's order: live first, then generation, then hash
            const RevTree::Node &o = t.nodes()[l];
            if (o.deleted == w.deleted)
                FUZZ_CHECK(o.generation < w.generation ||
                           (o.generation == w.generation && o.hash <= w.hash));
            else
                FUZZ_CHECK(!w.deleted);
        }
    }
}

// The tree's revisions, by id, with their deleted flags: what two equal trees share.
QSet<QByteArray> leafIds(const RevTree &t)
{
    QSet<QByteArray> out;
    for (int l : t.leaves())
        out.insert(t.revision(l).toBytes() + (t.nodes()[l].deleted ? " deleted" : ""));
    return out;
}

void checkRoundTrip(const RevTree &t)
{
    const QByteArray bytes = t.toBytes();
    const RevTree back = RevTree::fromBytes(bytes);
    FUZZ_CHECK(back.toBytes() == bytes, shown(bytes));
}

void storedBytes(QByteArrayView bytes)
{
    RevTree t = RevTree::fromBytes(bytes);
    checkForest(t);
    // Whatever it read is written back in a form read the same way.
    const QByteArray once = t.toBytes();
    const RevTree again = RevTree::fromBytes(once);
    checkForest(again);
    FUZZ_CHECK(again.toBytes() == once, shown(once));
    for (int i = 0; i < t.nodes().size(); ++i)
        (void)t.find(t.revision(i));
    const int winner = t.winner();
    const RevisionId winnerRev = winner >= 0 ? t.revision(winner) : RevisionId{};
    const QSet<QByteArray> leaves = leafIds(t);
    t.stem(1 + int(bytes.size() % 4));
    checkForest(t);
    FUZZ_CHECK(leafIds(t) == leaves);
    if (winner >= 0)
        FUZZ_CHECK(t.revision(t.winner()) == winnerRev);
}

// Hashes from a small alphabet, so paths of different peers meet.
QByteArray hashOf(quint8 b)
{
    return QByteArray(1 + (b >> 6), char('a' + (b & 7)));
}

void checkHistory(const RevTree &t)
{
    checkForest(t);
    QSet<QByteArray> seen;
    for (int i = 0; i < t.nodes().size(); ++i) {
        const RevTree::Node &n = t.nodes()[i];
        FUZZ_CHECK(n.generation > 0);
        const QByteArray id = t.revision(i).toBytes();
        FUZZ_CHECK(!seen.contains(id), "revision " + id + " twice");
        seen.insert(id);
        if (n.parent >= 0)
            FUZZ_CHECK(t.nodes()[n.parent].generation == n.generation - 1, "below " + id);
    }
    const RevTree back = RevTree::fromBytes(t.toBytes());
    FUZZ_CHECK(back.nodes().size() == t.nodes().size());
    for (int i = 0; i < t.nodes().size(); ++i) {
        const RevTree::Node &a = t.nodes()[i], &b = back.nodes()[i];
        FUZZ_CHECK(a.generation == b.generation && a.hash == b.hash && a.parent == b.parent &&
                   a.deleted == b.deleted);
    }
}

void history(Input &in)
{
    RevTree t;
    int steps = 0;
    while (!in.atEnd() && ++steps < 32) {
        const quint8 op = in.byte();
        switch (op % 3) {
        case 0: { // a replicated path, newest first
            const int start = 1 + in.byte() % 12;
            const int length = 1 + in.byte() % qMin(start, 6);
            QList<QByteArray> ids;
            for (int i = 0; i < length; ++i)
                ids.append(hashOf(in.byte()));
            const bool deleted = op & 0x80;
            const qsizetype before = t.nodes().size();
            if (t.isEmpty() && length == 1) { // the one-revision shortcut writes the same bytes
                QByteArray single;
                RevTree::appendSingle(single, start, ids[0], deleted);
                RevTree one;
                one.mergePath(start, ids, deleted, nullptr);
                FUZZ_CHECK(single == one.toBytes(), shown(single));
            }
            bool added = false;
            const int leaf = t.mergePath(start, ids, deleted, &added);
            FUZZ_CHECK(leaf >= 0 && leaf < t.nodes().size());
            FUZZ_CHECK(t.revision(leaf) == (RevisionId{start, ids[0]}));
            FUZZ_CHECK(t.find(t.revision(leaf)) == leaf);
            FUZZ_CHECK(added == (t.nodes().size() > before));
            // Merging the same path again changes nothing.
            bool again = true;
            FUZZ_CHECK(t.mergePath(start, ids, deleted, &again) == leaf && !again);
            if (added) { // the new part hangs below the path's newest known revision
                const QList<QByteArray> up = t.ancestry(leaf);
                const qsizetype grafted = t.nodes().size() - before;
                FUZZ_CHECK(up.size() >= grafted);
                for (qsizetype i = 0; i <= grafted && i < up.size() && i < ids.size(); ++i)
                    FUZZ_CHECK(up[i] == ids[i], "ancestry differs at " + QByteArray::number(i));
            }
            break;
        }
        case 1: { // a local edit of the winner (or a first version)
            const int parent = t.winner();
            const RevisionId parentRev = parent >= 0 ? t.revision(parent) : RevisionId{};
            const RevisionId rev = makeRevision(parentRev, op & 0x80, in.bytes(in.byte() % 8));
            FUZZ_CHECK(rev.generation == parentRev.generation + 1 && rev.hash.size() == 32);
            FUZZ_CHECK(parseRevision(rev.toBytes()) == rev);
            if (t.find(rev) < 0) {
                const int child = t.addChild(parent, rev, op & 0x80);
                FUZZ_CHECK(t.leaves().contains(child));
            }
            break;
        }
        case 2: { // revs_limit stemming keeps the leaves and the winner
            const int winner = t.winner();
            const RevisionId winnerRev = winner >= 0 ? t.revision(winner) : RevisionId{};
            const QSet<QByteArray> leaves = leafIds(t);
            const qsizetype before = t.nodes().size();
            t.stem(1 + in.byte() % 4);
            FUZZ_CHECK(t.nodes().size() <= before);
            FUZZ_CHECK(leafIds(t) == leaves);
            if (winner >= 0)
                FUZZ_CHECK(t.revision(t.winner()) == winnerRev);
            break;
        }
        }
    }
    checkHistory(t);
    checkRoundTrip(t);
}

// "N-hash" on any text: accepted ids print back to text that parses to the same id.
void revisionText(QByteArrayView text)
{
    const RevisionView v = splitRevision(text);
    const RevisionId r = parseRevision(text);
    FUZZ_CHECK(r.generation == v.generation && r.hash == v.hash);
    if (r.generation == 0) {
        FUZZ_CHECK(!r.isValid());
        return;
    }
    FUZZ_CHECK(r.isValid() && text.endsWith(r.hash), shown(text));
    FUZZ_CHECK(parseRevision(r.toBytes()) == r, shown(text));
    // A client's revision can be edited: its successor is one generation on and parses back.
    const RevisionId next = makeRevision(r, false, text);
    FUZZ_CHECK(next.generation == r.generation + 1, shown(text));
    FUZZ_CHECK(parseRevision(next.toBytes()) == next, shown(text));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Input in(data, size);
    const quint8 mode = in.byte();
    if (mode % 2 == 0) {
        const QByteArrayView rest = in.rest();
        storedBytes(rest);
        revisionText(rest);
        for (const QByteArray &part : rest.toByteArray().split(':'))
            revisionText(part);
    } else {
        history(in);
    }
    return 0;
}
