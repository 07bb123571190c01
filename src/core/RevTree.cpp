#include "core/RevTree.h"

#include <QSet>

namespace repl {

// Encoding: nodes joined by ';', each "parent:generation:hash:deleted(0|1)".
RevTree RevTree::fromBytes(QByteArrayView bytes)
{
    RevTree tree;
    if (bytes.isEmpty())
        return tree;
    const QList<QByteArray> parts = bytes.toByteArray().split(';');
    tree.m_nodes.reserve(parts.size());
    for (const QByteArray &p : parts) {
        const QList<QByteArray> f = p.split(':');
        if (f.size() != 4)
            continue;
        // A parent comes before its children (addChild and stem keep that order). Damaged
        // bytes naming any other parent would make a cycle or point past the tree: a root.
        const int parent = f[0].toInt();
        const bool parentValid = parent >= -1 && parent < tree.m_nodes.size();
        tree.m_nodes.append(Node{f[1].toInt(), f[2], parentValid ? parent : -1, f[3] == "1"});
    }
    return tree;
}

QByteArray RevTree::toBytes() const
{
    QByteArray out;
    out.reserve(m_nodes.size() * 44);
    for (const Node &n : m_nodes) {
        if (!out.isEmpty())
            out += ';';
        out += QByteArray::number(n.parent) + ':' + QByteArray::number(n.generation) + ':' +
               n.hash + ':' + (n.deleted ? '1' : '0');
    }
    return out;
}

RevisionId RevTree::revision(int index) const
{
    const Node &n = m_nodes.at(index);
    return {n.generation, n.hash};
}

int RevTree::find(const RevisionId &rev) const
{
    for (int i = 0; i < m_nodes.size(); ++i)
        if (m_nodes[i].generation == rev.generation && m_nodes[i].hash == rev.hash)
            return i;
    return -1;
}

int RevTree::addChild(int parent, const RevisionId &rev, bool deleted)
{
    m_nodes.append(Node{rev.generation, rev.hash, parent, deleted});
    return int(m_nodes.size()) - 1;
}

QList<int> RevTree::leaves() const
{
    QList<bool> hasChild(m_nodes.size(), false);
    for (const Node &n : m_nodes)
        if (n.parent >= 0)
            hasChild[n.parent] = true;
    QList<int> out;
    for (int i = 0; i < m_nodes.size(); ++i)
        if (!hasChild[i])
            out.append(i);
    return out;
}

int RevTree::winner() const
{
    int best = -1;
    for (int i : leaves()) {
        if (best < 0) {
            best = i;
            continue;
        }
        const Node &a = m_nodes[i];
        const Node &b = m_nodes[best];
        if (a.deleted != b.deleted) {
            if (!a.deleted)
                best = i;
            continue;
        }
        if (a.generation != b.generation) {
            if (a.generation > b.generation)
                best = i;
            continue;
        }
        if (a.hash > b.hash)
            best = i;
    }
    return best;
}

QList<QByteArray> RevTree::ancestry(int index) const
{
    QList<QByteArray> out;
    for (int i = index; i >= 0; i = m_nodes[i].parent)
        out.append(m_nodes[i].hash);
    return out;
}

int RevTree::mergePath(int start, const QList<QByteArray> &ids, bool leafDeleted, bool *added)
{
    if (added)
        *added = false;
    // Deepest revision of the path the tree already knows: graft the newer part below it.
    int anchor = -1;
    int anchorPos = int(ids.size());
    for (int i = 0; i < ids.size(); ++i) {
        const int found = find({start - i, ids[i]});
        if (found >= 0) {
            anchor = found;
            anchorPos = i;
            break;
        }
    }
    if (anchorPos == 0)
        return anchor; // the leaf itself is known: nothing to do
    int parent = anchor;
    for (int i = anchorPos - 1; i >= 0; --i) {
        parent = addChild(parent, {start - i, ids[i]}, i == 0 && leafDeleted);
    }
    if (added)
        *added = true;
    return parent;
}

void RevTree::stem(int limit)
{
    if (limit <= 0 || m_nodes.size() <= limit)
        return;
    QSet<int> keep;
    for (int leaf : leaves()) {
        int depth = 0;
        for (int i = leaf; i >= 0 && depth < limit; i = m_nodes[i].parent, ++depth)
            keep.insert(i);
    }
    if (keep.size() == m_nodes.size())
        return;
    QList<int> remap(m_nodes.size(), -1);
    QList<Node> kept;
    for (int i = 0; i < m_nodes.size(); ++i) {
        if (keep.contains(i)) {
            remap[i] = int(kept.size());
            kept.append(m_nodes[i]);
        }
    }
    for (Node &n : kept)
        n.parent = n.parent >= 0 ? remap[n.parent] : -1;
    m_nodes = std::move(kept);
}

} // namespace repl
