#include "core/RevTree.h"

#include <QSet>
#include <QTest>
#include <QVarLengthArray>

using repl::RevisionId;
using repl::RevTree;

namespace {

// One leaf in a winner test: "generation-hash" plus whether it is a deletion.
struct LeafSpec
{
    QByteArray rev;
    bool deleted = false;
};

RevisionId rid(const QByteArray &text)
{
    const qsizetype dash = text.indexOf('-');
    return {text.left(dash).toInt(), text.mid(dash + 1)};
}

// A 32-hex-digit hash made of one repeated character, for readable fixtures.
QByteArray h(char c)
{
    return QByteArray(32, c);
}

// 1-a -> 2-b -> 3-c, plus 1-a -> 2-x: two leaves (3-c and 2-x).
RevTree branchedTree()
{
    RevTree t;
    const int a = t.addChild(-1, {1, "a"}, false);
    const int b = t.addChild(a, {2, "b"}, false);
    t.addChild(b, {3, "c"}, false);
    t.addChild(a, {2, "x"}, false);
    return t;
}

QList<RevisionId> revisionsOf(const RevTree &t, const QList<int> &indexes)
{
    QList<RevisionId> out;
    for (int i : indexes)
        out.append(t.revision(i));
    return out;
}

QSet<QByteArray> revSet(const RevTree &t, const QList<int> &indexes)
{
    QSet<QByteArray> out;
    for (int i : indexes)
        out.insert(t.revision(i).toBytes());
    return out;
}

// Every parent index points inside the tree, at a node exactly one generation older.
void checkParentLinks(const RevTree &t)
{
    const auto &nodes = t.nodes();
    for (int i = 0; i < nodes.size(); ++i) {
        const int p = nodes[i].parent;
        QVERIFY2(p >= -1 && p < nodes.size(),
                 qPrintable(QStringLiteral("node %1 parent %2").arg(i).arg(p)));
        QVERIFY2(p != i, "a node is its own parent");
        if (p >= 0)
            QCOMPARE(nodes[p].generation, nodes[i].generation - 1);
    }
}

} // namespace

Q_DECLARE_METATYPE(LeafSpec)

namespace repl {
// Readable QCOMPARE failures (found through ADL).
char *toString(const RevisionId &r)
{
    return qstrdup(r.toBytes().constData());
}
} // namespace repl

class TestRevTree : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyTree();
    void winner_data();
    void winner();
    void winnerIsALeaf();
    void leaves();
    void ancestryNewestFirst();
    void bytesRoundTrip_data();
    void bytesRoundTrip();
    void mergePathGraftsOntoKnownAncestor();
    void mergePathKnownLeafAddsNothing_data();
    void mergePathKnownLeafAddsNothing();
    void mergePathUnrelatedBecomesNewRoot();
    void mergePathDeletedLeaf();
    void stemLinearChain_data();
    void stemLinearChain();
    void stemBranches_data();
    void stemBranches();
    void appendSingleMatchesABuiltTree_data();
    void appendSingleMatchesABuiltTree();
    void damagedBytesGiveAForest_data();
    void damagedBytesGiveAForest();
};

void TestRevTree::emptyTree()
{
    RevTree t;
    QVERIFY(t.isEmpty());
    QVERIFY(t.leaves().isEmpty());
    QCOMPARE(t.winner(), -1);
    QVERIFY(t.toBytes().isEmpty());
    QVERIFY(RevTree::fromBytes(QByteArrayView()).isEmpty());
    QCOMPARE(t.find({1, "a"}), -1);
}

void TestRevTree::winner_data()
{
    QTest::addColumn<QList<LeafSpec>>("leaves");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("single leaf") << QList<LeafSpec>{{"1-" + h('a'), false}} << "1-" + h('a');
    QTest::newRow("live beats deleted of higher generation")
        << QList<LeafSpec>{{"5-" + h('f'), true}, {"1-" + h('0'), false}} << "1-" + h('0');
    QTest::newRow("live beats deleted of same generation and greater hash")
        << QList<LeafSpec>{{"2-" + h('f'), true}, {"2-" + h('1'), false}} << "2-" + h('1');
    QTest::newRow("higher generation wins")
        << QList<LeafSpec>{{"3-" + h('0'), false}, {"2-" + h('f'), false}} << "3-" + h('0');
    QTest::newRow("generation compared numerically, not as text")
        << QList<LeafSpec>{{"9-" + h('f'), false}, {"10-" + h('0'), false}} << "10-" + h('0');
    QTest::newRow("tie: greater hash by bytes (letters above digits)")
        << QList<LeafSpec>{{"2-55bbccddeeff00112233445566778899", false}, {"2-aaaa", false}}
        << QByteArray("2-aaaa");
    QTest::newRow("tie: byte comparison, not numeric (9 > 10)")
        << QList<LeafSpec>{{"2-10" + QByteArray(30, '0'), false}, {"2-9", false}}
        << QByteArray("2-9");
    QTest::newRow("tie: longer hash with equal prefix wins")
        << QList<LeafSpec>{{"4-abc", false}, {"4-abcd", false}} << QByteArray("4-abcd");
    QTest::newRow("all deleted: highest generation")
        << QList<LeafSpec>{{"2-" + h('f'), true}, {"3-" + h('0'), true}} << "3-" + h('0');
    QTest::newRow("all deleted: tie on generation, greater hash")
        << QList<LeafSpec>{{"3-" + h('1'), true}, {"3-" + h('e'), true}} << "3-" + h('e');
    QTest::newRow("three leaves: live middle generation wins over deleted top")
        << QList<LeafSpec>{{"7-" + h('9'), true}, {"4-" + h('2'), false}, {"3-" + h('f'), false}}
        << "4-" + h('2');
}

void TestRevTree::winner()
{
    QFETCH(QList<LeafSpec>, leaves);
    QFETCH(QByteArray, expected);

    // Every leaf as its own root, inserted in both orders: the winner must not depend on it.
    for (bool reversed : {false, true}) {
        RevTree t;
        QList<LeafSpec> order = leaves;
        if (reversed)
            std::reverse(order.begin(), order.end());
        for (const LeafSpec &l : order)
            t.addChild(-1, rid(l.rev), l.deleted);
        const int w = t.winner();
        QVERIFY(w >= 0);
        QCOMPARE(t.revision(w).toBytes(), expected);
    }
}

void TestRevTree::winnerIsALeaf()
{
    // The inner node 5-ffff… has the highest hash and generation of its branch but is no leaf.
    RevTree t;
    const int root = t.addChild(-1, {4, h('f')}, false);
    t.addChild(root, {5, h('1')}, false);
    t.addChild(-1, {5, h('0')}, false);
    const int w = t.winner();
    QCOMPARE(t.revision(w), (RevisionId{5, h('1')}));
    QVERIFY(t.leaves().contains(w));
}

void TestRevTree::leaves()
{
    RevTree t = branchedTree();
    QCOMPARE(t.nodes().size(), 4);
    const QList<int> l = t.leaves();
    QCOMPARE(l.size(), 2);
    QCOMPARE(revSet(t, l), (QSet<QByteArray>{"3-c", "2-x"}));

    // A single root is its own leaf; a new child replaces it as the leaf.
    RevTree single;
    const int r = single.addChild(-1, {1, "r"}, false);
    QCOMPARE(single.leaves(), QList<int>{r});
    const int c = single.addChild(r, {2, "c"}, true);
    QCOMPARE(single.leaves(), QList<int>{c});
}

void TestRevTree::ancestryNewestFirst()
{
    RevTree t = branchedTree();
    const int c = t.find({3, "c"});
    const int x = t.find({2, "x"});
    QVERIFY(c >= 0);
    QVERIFY(x >= 0);
    QCOMPARE(t.ancestry(c), (QList<QByteArray>{"c", "b", "a"}));
    QCOMPARE(t.ancestry(x), (QList<QByteArray>{"x", "a"}));
    QCOMPARE(t.ancestry(t.find({1, "a"})), QList<QByteArray>{"a"});
}

void TestRevTree::bytesRoundTrip_data()
{
    QTest::addColumn<int>("shape");
    QTest::newRow("single root") << 0;
    QTest::newRow("branched") << 1;
    QTest::newRow("forest with deletions and real hashes") << 2;
}

void TestRevTree::bytesRoundTrip()
{
    QFETCH(int, shape);
    RevTree t;
    switch (shape) {
    case 0:
        t.addChild(-1, {1, h('a')}, false);
        break;
    case 1:
        t = branchedTree();
        break;
    default: {
        const int r1 = t.addChild(-1, {1, "0123456789abcdef0123456789abcdef"}, false);
        t.addChild(r1, {2, "fedcba9876543210fedcba9876543210"}, true);
        const int r2 = t.addChild(-1, {12, h('c')}, false);
        t.addChild(r2, {13, h('d')}, true);
        t.addChild(r1, {2, h('e')}, false);
    }
    }

    const QByteArray bytes = t.toBytes();
    QVERIFY(!bytes.isEmpty());
    const RevTree back = RevTree::fromBytes(bytes);
    QCOMPARE(back.nodes().size(), t.nodes().size());
    for (int i = 0; i < t.nodes().size(); ++i) {
        const RevTree::Node &a = t.nodes()[i];
        const RevTree::Node &b = back.nodes()[i];
        QCOMPARE(b.generation, a.generation);
        QCOMPARE(b.hash, a.hash);
        QCOMPARE(b.parent, a.parent);
        QCOMPARE(b.deleted, a.deleted);
    }
    QCOMPARE(back.toBytes(), bytes);
    QCOMPARE(back.winner(), t.winner());
    QCOMPARE(back.leaves(), t.leaves());
}

void TestRevTree::mergePathGraftsOntoKnownAncestor()
{
    // Local: 1-a -> 2-b. A peer sends 4-d with history [d, c, b, a].
    RevTree t;
    const int a = t.addChild(-1, {1, "a"}, false);
    const int b = t.addChild(a, {2, "b"}, false);

    bool added = false;
    const int leaf = t.mergePath(4, {"d", "c", "b", "a"}, false, &added);
    QVERIFY(added);
    QCOMPARE(t.nodes().size(), 4);
    QVERIFY(leaf >= 0);
    QCOMPARE(t.revision(leaf), (RevisionId{4, "d"}));
    QCOMPARE(t.ancestry(leaf), (QList<QByteArray>{"d", "c", "b", "a"}));
    const int c = t.find({3, "c"});
    QVERIFY(c >= 0);
    QCOMPARE(t.nodes()[c].parent, b);
    QCOMPARE(t.nodes()[leaf].parent, c);
    QVERIFY(!t.nodes()[c].deleted);
    QVERIFY(!t.nodes()[leaf].deleted);
    QCOMPARE(t.leaves(), QList<int>{leaf});
    QCOMPARE(t.winner(), leaf);
    checkParentLinks(t);
    if (QTest::currentTestFailed())
        return;
}

void TestRevTree::mergePathKnownLeafAddsNothing_data()
{
    QTest::addColumn<int>("start");
    QTest::addColumn<QList<QByteArray>>("ids");
    QTest::addColumn<QByteArray>("expectedRev");

    QTest::newRow("leaf with full history")
        << 3 << QList<QByteArray>{"c", "b", "a"} << QByteArray("3-c");
    QTest::newRow("leaf alone (stemmed history)")
        << 3 << QList<QByteArray>{"c"} << QByteArray("3-c");
    QTest::newRow("other branch's leaf") << 2 << QList<QByteArray>{"x", "a"} << QByteArray("2-x");
    QTest::newRow("known inner node") << 2 << QList<QByteArray>{"b", "a"} << QByteArray("2-b");
}

void TestRevTree::mergePathKnownLeafAddsNothing()
{
    QFETCH(int, start);
    QFETCH(QList<QByteArray>, ids);
    QFETCH(QByteArray, expectedRev);

    RevTree t = branchedTree();
    const QByteArray before = t.toBytes();
    bool added = true;
    const int idx = t.mergePath(start, ids, false, &added);
    QVERIFY(!added);
    QCOMPARE(t.toBytes(), before);
    QVERIFY(idx >= 0);
    QCOMPARE(t.revision(idx).toBytes(), expectedRev);

    // A second merge of a path that was just grafted is a no-op too.
    bool addedFirst = false;
    t.mergePath(5, {"e", "d", "c", "b", "a"}, false, &addedFirst);
    QVERIFY(addedFirst);
    const QByteArray afterGraft = t.toBytes();
    bool addedAgain = true;
    const int again = t.mergePath(5, {"e", "d", "c", "b", "a"}, false, &addedAgain);
    QVERIFY(!addedAgain);
    QCOMPARE(t.toBytes(), afterGraft);
    QCOMPARE(t.revision(again), (RevisionId{5, "e"}));
}

void TestRevTree::mergePathUnrelatedBecomesNewRoot()
{
    RevTree t = branchedTree();
    const int oldCount = int(t.nodes().size());

    bool added = false;
    const int leaf = t.mergePath(3, {"z", "y", "w"}, false, &added);
    QVERIFY(added);
    QCOMPARE(t.nodes().size(), oldCount + 3);
    QCOMPARE(t.ancestry(leaf), (QList<QByteArray>{"z", "y", "w"}));
    const int root = t.find({1, "w"});
    QVERIFY(root >= 0);
    QCOMPARE(t.nodes()[root].parent, -1);
    QCOMPARE(t.leaves().size(), 3);
    QCOMPARE(revSet(t, t.leaves()), (QSet<QByteArray>{"3-c", "2-x", "3-z"}));
    checkParentLinks(t);
    if (QTest::currentTestFailed())
        return;

    // A stemmed unrelated path (no generation 1) becomes a root at its oldest generation.
    bool added2 = false;
    const int leaf2 = t.mergePath(9, {"q", "p"}, false, &added2);
    QVERIFY(added2);
    const int root2 = t.find({8, "p"});
    QVERIFY(root2 >= 0);
    QCOMPARE(t.nodes()[root2].parent, -1);
    QCOMPARE(t.nodes()[leaf2].parent, root2);
    QCOMPARE(t.winner(), leaf2);
}

void TestRevTree::mergePathDeletedLeaf()
{
    // 1-a -> 2-b -> 3-c and 1-a -> 2-x; a peer deletes on top of 3-c: 4-del.
    RevTree t = branchedTree();
    bool added = false;
    const int del = t.mergePath(4, {"del", "c", "b", "a"}, true, &added);
    QVERIFY(added);
    QCOMPARE(t.nodes().size(), 5);
    QVERIFY(t.nodes()[del].deleted);
    QCOMPARE(t.nodes()[del].parent, t.find({3, "c"}));
    // Only the leaf is deleted.
    for (int i = 0; i < t.nodes().size(); ++i)
        if (i != del)
            QVERIFY(!t.nodes()[i].deleted);
    // The live 2-x beats the deleted 4-del despite its lower generation.
    QCOMPARE(t.revision(t.winner()), (RevisionId{2, "x"}));

    // A deleted path with an intermediate new revision: only the new leaf carries the flag.
    bool added2 = false;
    const int del2 = t.mergePath(4, {"gone", "y", "x"}, true, &added2);
    QVERIFY(added2);
    QVERIFY(t.nodes()[del2].deleted);
    QVERIFY(!t.nodes()[t.find({3, "y"})].deleted);
    // Now every leaf is deleted: the highest generation, then the greater hash wins.
    QCOMPARE(t.revision(t.winner()), (RevisionId{4, "gone"}));
    checkParentLinks(t);
    if (QTest::currentTestFailed())
        return;
}

void TestRevTree::stemLinearChain_data()
{
    QTest::addColumn<int>("length");
    QTest::addColumn<int>("limit");
    QTest::addColumn<int>("expectedNodes");

    QTest::newRow("5 nodes, limit 3") << 5 << 3 << 3;
    QTest::newRow("5 nodes, limit 1") << 5 << 1 << 1;
    QTest::newRow("5 nodes, limit 5") << 5 << 5 << 5;
    QTest::newRow("5 nodes, limit 10") << 5 << 10 << 5;
    QTest::newRow("1000 nodes, limit 10") << 1000 << 10 << 10;
}

void TestRevTree::stemLinearChain()
{
    QFETCH(int, length);
    QFETCH(int, limit);
    QFETCH(int, expectedNodes);

    RevTree t;
    int parent = -1;
    for (int g = 1; g <= length; ++g)
        parent = t.addChild(parent, {g, QByteArray::number(g)}, false);
    t.stem(limit);

    QCOMPARE(t.nodes().size(), expectedNodes);
    checkParentLinks(t);
    if (QTest::currentTestFailed())
        return;
    const QList<int> leaves = t.leaves();
    QCOMPARE(leaves.size(), 1);
    QCOMPARE(t.revision(leaves[0]), (RevisionId{length, QByteArray::number(length)}));
    const QList<QByteArray> anc = t.ancestry(leaves[0]);
    QCOMPARE(anc.size(), expectedNodes);
    for (int i = 0; i < anc.size(); ++i)
        QCOMPARE(anc[i], QByteArray::number(length - i));
    // The oldest kept revision is now a root.
    const int oldest = t.find({length - expectedNodes + 1, anc.last()});
    QVERIFY(oldest >= 0);
    QCOMPARE(t.nodes()[oldest].parent, -1);
}

void TestRevTree::stemBranches_data()
{
    QTest::addColumn<int>("shape");
    QTest::addColumn<int>("limit");

    // shape 0: 1-r -> 2-a -> 3-b -> 4-c -> 5-d, and 2-a -> 3-e (branch near the root).
    // shape 1: 1-r -> … -> 6-f, with 5-e -> 6-g (branch near the leaves).
    // shape 2: two independent roots of different depths.
    for (int shape = 0; shape < 3; ++shape)
        for (int limit : {1, 2, 3, 4})
            QTest::addRow("shape %d, limit %d", shape, limit) << shape << limit;
}

void TestRevTree::stemBranches()
{
    QFETCH(int, shape);
    QFETCH(int, limit);

    RevTree t;
    auto chain = [&t](int parent, int fromGen, const QByteArray &names) {
        for (int i = 0; i < names.size(); ++i)
            parent = t.addChild(parent, {fromGen + i, names.mid(i, 1)}, false);
        return parent;
    };
    if (shape == 0) {
        chain(-1, 1, "rabcd");
        chain(t.find({2, "a"}), 3, "e");
    } else if (shape == 1) {
        chain(-1, 1, "rabcef");
        chain(t.find({5, "e"}), 6, "g");
    } else {
        chain(-1, 1, "rabcd");
        chain(-1, 1, "st");
    }

    // Each leaf's newest `limit` revisions, before stemming.
    QList<QList<QByteArray>> expectedTails;
    for (int leaf : t.leaves())
        expectedTails.append(t.ancestry(leaf).mid(0, limit));
    const QList<RevisionId> leavesBefore = revisionsOf(t, t.leaves());
    const RevisionId winnerBefore = t.revision(t.winner());

    t.stem(limit);

    checkParentLinks(t);
    if (QTest::currentTestFailed())
        return;
    const QList<int> leaves = t.leaves();
    QCOMPARE(revisionsOf(t, leaves), leavesBefore);
    QCOMPARE(t.revision(t.winner()), winnerBefore);
    for (int i = 0; i < leaves.size(); ++i) {
        const QList<QByteArray> anc = t.ancestry(leaves[i]);
        // The newest revisions of every leaf survive, in order…
        QCOMPARE(anc.mid(0, limit), expectedTails[i]);
    }
    // …and, as CouchDB stems, every revision kept is among the newest `limit` of some leaf
    // (a path shared with a shorter branch may therefore stay longer than `limit`).
    for (int n = 0; n < t.nodes().size(); ++n) {
        bool near = false;
        for (int leaf : leaves) {
            int depth = 0;
            for (int i = leaf; i >= 0 && depth < limit; i = t.nodes()[i].parent, ++depth)
                near = near || i == n;
        }
        QVERIFY2(near, qPrintable(QStringLiteral("%1 is farther than %2 from every leaf")
                                      .arg(QString::fromLatin1(t.revision(n).toBytes()))
                                      .arg(limit)));
    }
}

void TestRevTree::appendSingleMatchesABuiltTree_data()
{
    QTest::addColumn<int>("generation");
    QTest::addColumn<QByteArray>("hash");
    QTest::addColumn<bool>("deleted");
    QTest::newRow("first version") << 1 << QByteArray("0123456789abcdef0123456789abcdef") << false;
    QTest::newRow("tombstone, deep") << 1234567 << QByteArray("ff") << true;
    QTest::newRow("opaque 3.x revision") << 1 << QByteArray("_hVb3q--_") << false;
}

void TestRevTree::appendSingleMatchesABuiltTree()
{
    QFETCH(int, generation);
    QFETCH(QByteArray, hash);
    QFETCH(bool, deleted);
    RevTree built;
    built.addChild(-1, {generation, hash}, deleted);
    QByteArray direct;
    RevTree::appendSingle(direct, generation, hash, deleted);
    QCOMPARE(direct, built.toBytes());
    QVarLengthArray<char, 16> small; // grows past its stack part
    RevTree::appendSingle(small, generation, hash, deleted);
    QCOMPARE(QByteArray(small.data(), small.size()), built.toBytes());
    const RevTree back = RevTree::fromBytes(direct);
    QCOMPARE(back.nodes().size(), 1);
    QCOMPARE(back.nodes().first().generation, generation);
    QCOMPARE(back.nodes().first().deleted, deleted);
}

// Found by fuzz_revtree: stored bytes naming a parent that is the node itself, a later node or
// one past the tree made ancestry() loop until memory ran out and leaves() write out of bounds.
// Such a node is read as a root, so every method can walk what fromBytes gives.
void TestRevTree::damagedBytesGiveAForest_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("nodes");
    QTest::newRow("fields empty (its own parent)") << QByteArray(":::") << 1;
    QTest::newRow("its own parent") << QByteArray("-1:1:a:0;1:2:b:0") << 2;
    QTest::newRow("a cycle") << QByteArray("1:1:a:0;0:2:b:0") << 2;
    QTest::newRow("past the tree") << QByteArray("-1:1:a:0;7:2:b:0") << 2;
    QTest::newRow("below -1") << QByteArray("-5:1:a:0") << 1;
    QTest::newRow("not a number") << QByteArray("x:1:a:0;y:2:b:1") << 2;
}

void TestRevTree::damagedBytesGiveAForest()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, nodes);
    const RevTree t = RevTree::fromBytes(bytes);
    QCOMPARE(t.nodes().size(), nodes);
    for (int i = 0; i < t.nodes().size(); ++i) {
        QVERIFY(t.nodes()[i].parent >= -1 && t.nodes()[i].parent < i);
        QVERIFY(t.ancestry(i).size() <= t.nodes().size());
    }
    QVERIFY(!t.leaves().isEmpty());
    QVERIFY(t.leaves().contains(t.winner()));
    QCOMPARE(RevTree::fromBytes(t.toBytes()).toBytes(), t.toBytes());
}

QTEST_GUILESS_MAIN(TestRevTree)
#include "tst_revtree.moc"
