#pragma once

#include "core/Revision.h"

#include <QByteArray>
#include <QList>

#include <charconv>

namespace repl {

// A document's revision tree (CouchDB model): a forest of (generation, hash) nodes. Leaves
// are the current versions; the winner is chosen the CouchDB way, identically on every peer.
// Bodies are not kept here: the store keeps the winner's body and the other leaves' bodies.
class RevTree
{
public:
    // Ancestors kept per branch (CouchDB's revs_limit default).
    static constexpr int RevsLimit = 1000;

    struct Node
    {
        int generation = 0;
        QByteArray hash;
        int parent = -1;
        bool deleted = false;
    };

    static RevTree fromBytes(QByteArrayView bytes);
    QByteArray toBytes() const;
    // Appends what toBytes() gives for a tree of one revision (a first version, or a
    // leader's version of a key never seen) without building the tree, to any byte buffer
    // with append(const char *, qsizetype): a QByteArray, or a QVarLengthArray on the stack.
    template<class Bytes>
    static void appendSingle(Bytes &out, int generation, QByteArrayView hash, bool deleted)
    {
        char digits[16];
        const char *end = std::to_chars(digits, digits + sizeof digits, generation).ptr;
        out.append("-1:", 3);
        out.append(digits, end - digits);
        out.append(":", 1);
        out.append(hash.data(), hash.size());
        out.append(deleted ? ":1" : ":0", 2);
    }

    bool isEmpty() const { return m_nodes.isEmpty(); }
    const QList<Node> &nodes() const { return m_nodes; }
    RevisionId revision(int index) const;

    int find(const RevisionId &rev) const;
    // Adds a child of `parent` (-1: a new root); returns its index.
    int addChild(int parent, const RevisionId &rev, bool deleted);
    QList<int> leaves() const;
    // CouchDB's winner: non-deleted before deleted, then highest generation, then greater hash.
    int winner() const;
    // Hashes from `index` back to its root, newest first (the `_revisions.ids` list).
    QList<QByteArray> ancestry(int index) const;

    // Merges a replicated path (newest first, `start` = generation of ids[0]) without
    // inventing revisions. Returns the index of the path's leaf; `added` tells if it was new.
    int mergePath(int start, const QList<QByteArray> &ids, bool leafDeleted, bool *added);

    // Drops revisions farther than `limit` from every leaf (CouchDB's revs_limit stemming).
    // A path that shares ancestors with a shorter branch may keep more than `limit`.
    void stem(int limit);

private:
    QList<Node> m_nodes;
};

} // namespace repl
