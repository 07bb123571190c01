#include "core/Error.h"
#include "core/LogEventType.h"
#include "core/RevTree.h"
#include "engine/Auth.h"
#include "engine/DocumentService.h"
#include "engine/Engine.h"
#include "engine/LoggerService.h"
#include "engine/ReadService.h"
#include "engine/SchemaService.h"
#include "engine/WriteTxn.h"
#include "storage/CatalogTable.h"
#include "storage/Connection.h"
#include "storage/DocumentTable.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace repl;
using namespace Qt::StringLiterals;

namespace {

const QString RootPassword = u"Plain-Pa55word-xyz"_s;

// Runs `fn` and returns the errorNum of the repl::Error it throws; 0 when it does not throw,
// -1 for any other exception.
template<class F> int errorNumOf(F &&fn)
{
    try {
        fn();
    } catch (const Error &e) {
        return e.errorNum();
    } catch (...) {
        return -1;
    }
    return 0;
}

QJsonObject json(const QByteArray &text)
{
    return QJsonDocument::fromJson(text).object();
}

// The parsed lines of a logger-follow body.
QList<QJsonObject> parseLines(const QByteArray &body)
{
    QList<QJsonObject> out;
    for (const QByteArray &line : body.split('\n')) {
        if (line.isEmpty())
            continue;
        out.append(json(line));
    }
    return out;
}

// Runs one test body; an exception escaping it fails that test instead of aborting the run.
template<class F> void runGuarded(F &&body)
{
    try {
        body();
    } catch (const Error &e) {
        QFAIL(qPrintable(QStringLiteral("unexpected repl::Error %1/%2: %3")
                             .arg(e.httpStatus())
                             .arg(e.errorNum())
                             .arg(e.message())));
    } catch (const std::exception &e) {
        QFAIL(qPrintable(
            QStringLiteral("unexpected exception: %1").arg(QString::fromUtf8(e.what()))));
    }
}

} // namespace

class TestEngine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void createCollectionAndInsert();
    void failingJobRollsBack();
    void failingJobRollsBack_data();
    void concurrentJobsCommitBesideFailures();
    void ticksIncreaseAcrossReopen();
    void serverIdStableAcrossReopen();
    void loggerStartStopEvents();
    void stoppedLoggerLogsNothing();
    void uniqueIndexRejectsDuplicates();
    void passwordHashing_data();
    void passwordHashing();
    void rootPasswordIsNotStoredInPlain();

private:
    void createCollectionAndInsertBody();
    void failingJobRollsBackBody();
    void concurrentJobsCommitBesideFailuresBody();
    void ticksIncreaseAcrossReopenBody();
    void serverIdStableAcrossReopenBody();
    void loggerStartStopEventsBody();
    void stoppedLoggerLogsNothingBody();
    void uniqueIndexRejectsDuplicatesBody();
    void passwordHashingBody();
    void rootPasswordIsNotStoredInPlainBody();

    void openEngine();
    void reopenEngine();
    std::unique_ptr<storage::Connection> openReader();
    CollectionInfo createCollection(const QString &name);
    std::optional<CollectionInfo> collection(const QString &name) const;
    DocumentService::Result insert(const QString &collectionName, const QJsonObject &doc);
    std::optional<storage::DocumentRow> readDocument(const QString &collectionName,
                                                     const QString &key);
    qint64 countOf(const QString &collectionName);
    LoggerService::FollowResult follow(Tick from = 0);
    void waitForCommits();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Engine> m_engine;
    qint64 m_sys = 0;
};

// Each test slot runs its body (nameBody) guarded.
#define GUARDED_TEST(name)                                                                         \
    void TestEngine::name()                                                                        \
    {                                                                                              \
        runGuarded([this] { name##Body(); });                                                      \
    }
GUARDED_TEST(createCollectionAndInsert)
GUARDED_TEST(failingJobRollsBack)
GUARDED_TEST(concurrentJobsCommitBesideFailures)
GUARDED_TEST(ticksIncreaseAcrossReopen)
GUARDED_TEST(serverIdStableAcrossReopen)
GUARDED_TEST(loggerStartStopEvents)
GUARDED_TEST(stoppedLoggerLogsNothing)
GUARDED_TEST(uniqueIndexRejectsDuplicates)
GUARDED_TEST(passwordHashing)
GUARDED_TEST(rootPasswordIsNotStoredInPlain)

void TestEngine::openEngine()
{
    m_engine =
        std::make_unique<Engine>(Engine::Options{m_dir->path(), storage::SyncMode::Normal, 2});
    m_engine->open();
    QVERIFY(m_engine->isOpen());
    const DatabaseInfo *sys = m_engine->catalog()->database(u"_system"_s);
    QVERIFY(sys);
    m_sys = sys->id;
}

void TestEngine::reopenEngine()
{
    m_engine->close();
    QVERIFY(!m_engine->isOpen());
    m_engine.reset();
    openEngine();
}

void TestEngine::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    openEngine();
    m_engine->setRootPassword(RootPassword);
    QVERIFY(m_engine->hasRootPassword());
}

void TestEngine::cleanup()
{
    m_engine.reset();
    m_dir.reset();
}

std::unique_ptr<storage::Connection> TestEngine::openReader()
{
    auto reader = std::make_unique<storage::Connection>(m_engine->databasePath(),
                                                        storage::SyncMode::Normal, true);
    reader->open();
    return reader;
}

CollectionInfo TestEngine::createCollection(const QString &name)
{
    return m_engine->write(
        [&](WriteTxn &t) { return SchemaService::createCollection(t, m_sys, name, 2, false); });
}

std::optional<CollectionInfo> TestEngine::collection(const QString &name) const
{
    const std::shared_ptr<const Catalog> cat = m_engine->catalog();
    const CollectionInfo *c = cat->collection(m_sys, name);
    return c ? std::optional<CollectionInfo>(*c) : std::nullopt;
}

DocumentService::Result TestEngine::insert(const QString &collectionName, const QJsonObject &doc)
{
    return m_engine->write([&](WriteTxn &t) {
        const CollectionInfo *c = t.catalog().collection(m_sys, collectionName);
        if (!c)
            throw Error(404, ErrorNum::CollectionNotFound);
        return DocumentService::insert(t, *c, doc, {});
    });
}

std::optional<storage::DocumentRow> TestEngine::readDocument(const QString &collectionName,
                                                             const QString &key)
{
    const std::optional<CollectionInfo> c = collection(collectionName);
    if (!c)
        return std::nullopt;
    auto reader = openReader();
    return ReadService::document(*reader, *c, key);
}

qint64 TestEngine::countOf(const QString &collectionName)
{
    const std::optional<CollectionInfo> c = collection(collectionName);
    if (!c)
        return -1;
    auto reader = openReader();
    return ReadService::count(*reader, c->cid);
}

LoggerService::FollowResult TestEngine::follow(Tick from)
{
    const std::shared_ptr<const Catalog> cat = m_engine->catalog();
    auto reader = openReader();
    LoggerService::FollowRequest req;
    req.from = from;
    return LoggerService::follow(*m_engine, *reader, *cat->database(m_sys), req);
}

// A failed job's caller is woken as soon as its job is rolled back, before the batch it was
// in commits; an empty job afterwards returns only once that batch is on disk.
void TestEngine::waitForCommits()
{
    m_engine->write([](WriteTxn &) {});
}

void TestEngine::createCollectionAndInsertBody()
{
    const CollectionInfo c = createCollection(u"users"_s);
    QVERIFY(c.cid > 0);
    QCOMPARE(c.name, u"users"_s);
    const std::optional<CollectionInfo> published = collection(u"users"_s);
    QVERIFY(published);
    QCOMPARE(published->cid, c.cid);
    QCOMPARE(published->type, 2);
    QCOMPARE(published->db, m_sys);

    const auto alice = insert(u"users"_s, json(R"({"_key":"alice","age":30,"tags":["a"]})"));
    QCOMPARE(alice.key, u"alice"_s);
    QCOMPARE(parseRevision(alice.rev).generation, 1);
    QVERIFY(!alice.replacedExisting);
    const auto bob = insert(u"users"_s, json(R"({"_key":"bob","_id":"ignored/x","_rev":"9-z"})"));
    const auto generated = insert(u"users"_s, json(R"({"name":"no key given"})"));
    QVERIFY(!generated.key.isEmpty());
    bool numeric = false;
    generated.key.toULongLong(&numeric);
    QVERIFY2(numeric, qPrintable(generated.key));

    const auto row = readDocument(u"users"_s, u"alice"_s);
    QVERIFY(row);
    QVERIFY(!row->deleted);
    QCOMPARE(row->rev, alice.rev);
    QCOMPARE(json(row->body), json(R"({"age":30,"tags":["a"]})"));
    QVERIFY(row->tick > 0);
    QVERIFY(row->tick <= m_engine->lastTick());
    const RevTree tree = RevTree::fromBytes(row->revtree);
    QCOMPARE(tree.nodes().size(), 1);
    QCOMPARE(tree.revision(tree.winner()).toBytes(), alice.rev);

    const auto bobRow = readDocument(u"users"_s, u"bob"_s);
    QVERIFY(bobRow);
    QCOMPARE(bobRow->body, QByteArray("{}")); // system attributes are not stored in the body
    QCOMPARE(bobRow->rev, bob.rev);
    QVERIFY(bobRow->rev != "9-z");
    QVERIFY(readDocument(u"users"_s, generated.key));
    QVERIFY(!readDocument(u"users"_s, u"nobody"_s));
    QCOMPARE(countOf(u"users"_s), 3);

    // The same key again is a primary-key violation and changes nothing.
    QCOMPARE(errorNumOf([&] { insert(u"users"_s, json(R"({"_key":"alice","age":31})")); }),
             ErrorNum::UniqueConstraintViolated);
    QCOMPARE(readDocument(u"users"_s, u"alice"_s)->rev, alice.rev);
    QCOMPARE(countOf(u"users"_s), 3);

    // A duplicate collection name is refused.
    QCOMPARE(errorNumOf([&] { createCollection(u"users"_s); }), ErrorNum::DuplicateName);
}

void TestEngine::failingJobRollsBack_data()
{
    QTest::addColumn<bool>("throwReplError");
    QTest::newRow("repl::Error") << true;
    QTest::newRow("std::runtime_error") << false;
}

void TestEngine::failingJobRollsBackBody()
{
    QFETCH(bool, throwReplError);
    createCollection(u"keep"_s);
    insert(u"keep"_s, json(R"({"_key":"before"})"));
    const qsizetype collectionsBefore = m_engine->catalog()->collections(m_sys).size();

    bool caught = false;
    try {
        m_engine->write([&](WriteTxn &t) {
            const CollectionInfo doomed =
                SchemaService::createCollection(t, m_sys, u"doomed"_s, 2, false);
            DocumentService::insert(t, doomed, json(R"({"_key":"x"})"), {});
            const CollectionInfo *keep = t.catalog().collection(m_sys, u"keep"_s);
            DocumentService::insert(t, *keep, json(R"({"_key":"bad1","v":1})"), {});
            DocumentService::remove(t, *keep, u"before"_s, {});
            if (throwReplError)
                throw Error(418, ErrorNum::BadParameter, u"planned failure"_s);
            throw std::runtime_error("planned failure");
        });
    } catch (const Error &e) {
        caught = true;
        QVERIFY(throwReplError);
        QCOMPARE(e.httpStatus(), 418);
        QCOMPARE(e.errorNum(), ErrorNum::BadParameter);
        QCOMPARE(e.message(), u"planned failure"_s);
    } catch (const std::runtime_error &e) {
        caught = true;
        QVERIFY(!throwReplError);
        QCOMPARE(QByteArray(e.what()), QByteArray("planned failure"));
    }
    QVERIFY(caught);
    waitForCommits();

    // Neither the catalog change nor the document writes survived.
    QVERIFY(!collection(u"doomed"_s));
    QCOMPARE(m_engine->catalog()->collections(m_sys).size(), collectionsBefore);
    QVERIFY(!readDocument(u"keep"_s, u"bad1"_s));
    const auto before = readDocument(u"keep"_s, u"before"_s);
    QVERIFY(before);
    QVERIFY(!before->deleted);
    QCOMPARE(countOf(u"keep"_s), 1);

    // The name is free again, in SQL as well (its UNIQUE(db, name) would refuse a leftover row).
    const CollectionInfo again = createCollection(u"doomed"_s);
    QVERIFY(collection(u"doomed"_s));
    QVERIFY(!readDocument(u"doomed"_s, u"x"_s));
    QCOMPARE(countOf(u"doomed"_s), 0);

    // After a restart the state is the same: the failed job left nothing on disk.
    reopenEngine();
    QCOMPARE(collection(u"doomed"_s)->cid, again.cid);
    QVERIFY(!readDocument(u"keep"_s, u"bad1"_s));
    QCOMPARE(countOf(u"keep"_s), 1);
}

void TestEngine::concurrentJobsCommitBesideFailuresBody()
{
    createCollection(u"shared"_s);

    constexpr int Threads = 8;
    constexpr int JobsPerThread = 6;
    enum Kind
    {
        GoodDoc,
        Bad,
        GoodCollection
    };
    auto kindOf = [](int t, int j) { return Kind((t + j) % 3); };

    // A gate job holds the writer until every thread has submitted its first job, so that
    // first batch certainly mixes failing and succeeding jobs.
    std::atomic<int> submitted{0};
    std::atomic<bool> gateRunning{false};
    std::atomic<int> gateResult{-2};
    std::thread gate([&] {
        gateResult = errorNumOf([&] {
            m_engine->write([&](WriteTxn &) {
                gateRunning = true;
                const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
                while (submitted.load() < Threads && std::chrono::steady_clock::now() < deadline)
                    std::this_thread::sleep_for(std::chrono::milliseconds(5));
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            });
        });
        gateRunning = true; // also when the write failed before running
    });
    while (!gateRunning.load())
        std::this_thread::sleep_for(std::chrono::milliseconds(1));

    std::vector<std::vector<int>> outcome(Threads, std::vector<int>(JobsPerThread, -2));
    std::vector<std::vector<Tick>> ticksSeen(Threads);
    std::vector<std::thread> workers;
    for (int t = 0; t < Threads; ++t) {
        workers.emplace_back([&, t] {
            for (int j = 0; j < JobsPerThread; ++j) {
                const QString suffix = QStringLiteral("%1_%2").arg(t).arg(j);
                const Kind kind = kindOf(t, j);
                ++submitted;
                outcome[t][j] = errorNumOf([&] {
                    m_engine->write([&](WriteTxn &txn) {
                        if (kind != GoodDoc)
                            SchemaService::createCollection(
                                txn, m_sys, (kind == Bad ? u"bad_"_s : u"good_"_s) + suffix, 2,
                                false);
                        const CollectionInfo *shared = txn.catalog().collection(m_sys, u"shared"_s);
                        DocumentService::insert(
                            txn, *shared,
                            QJsonObject{{u"_key"_s, (kind == Bad ? u"b_"_s : u"g_"_s) + suffix},
                                        {u"thread"_s, t}},
                            {});
                        if (kind == Bad)
                            throw Error(409, ErrorNum::Conflict, u"planned"_s);
                    });
                });
                if (outcome[t][j] == 0)
                    ticksSeen[t].push_back(m_engine->lastTick());
            }
        });
    }
    for (std::thread &w : workers)
        w.join();
    gate.join();
    QCOMPARE(gateResult.load(), 0);
    waitForCommits();

    int good = 0;
    for (int t = 0; t < Threads; ++t) {
        for (int j = 0; j < JobsPerThread; ++j) {
            const QString suffix = QStringLiteral("%1_%2").arg(t).arg(j);
            const Kind kind = kindOf(t, j);
            if (kind == Bad) {
                QCOMPARE(outcome[t][j], ErrorNum::Conflict);
                QVERIFY2(!collection(u"bad_"_s + suffix), qPrintable(suffix));
                QVERIFY2(!readDocument(u"shared"_s, u"b_"_s + suffix), qPrintable(suffix));
            } else {
                ++good;
                QCOMPARE(outcome[t][j], 0);
                QVERIFY2(readDocument(u"shared"_s, u"g_"_s + suffix), qPrintable(suffix));
                if (kind == GoodCollection)
                    QVERIFY2(collection(u"good_"_s + suffix), qPrintable(suffix));
            }
        }
        // Each thread's writes commit in order: the ticks it sees strictly increase.
        for (size_t i = 1; i < ticksSeen[t].size(); ++i)
            QVERIFY(ticksSeen[t][i] > ticksSeen[t][i - 1]);
    }
    QCOMPARE(countOf(u"shared"_s), qint64(good));
    // Only "shared" and the good collections exist.
    int goodCollections = 0;
    for (int t = 0; t < Threads; ++t)
        for (int j = 0; j < JobsPerThread; ++j)
            goodCollections += kindOf(t, j) == GoodCollection;
    QCOMPARE(m_engine->catalog()->collections(m_sys).size(), qsizetype(1 + goodCollections));

    // The same holds for what is on disk.
    reopenEngine();
    QCOMPARE(countOf(u"shared"_s), qint64(good));
    QCOMPARE(m_engine->catalog()->collections(m_sys).size(), qsizetype(1 + goodCollections));
}

void TestEngine::ticksIncreaseAcrossReopenBody()
{
    Tick maxSeen = m_engine->lastTick();
    QVERIFY(maxSeen > 0);
    Tick previous = maxSeen;
    auto note = [&](Tick t) { maxSeen = qMax(maxSeen, t); };

    const CollectionInfo c = createCollection(u"t"_s);
    QVERIFY(Tick(c.cid) > previous);
    QVERIFY(m_engine->lastTick() > previous);
    note(Tick(c.cid));
    previous = m_engine->lastTick();
    note(previous);

    for (int i = 0; i < 5; ++i) {
        const auto r = insert(u"t"_s, QJsonObject{{u"_key"_s, QStringLiteral("k%1").arg(i)}});
        const Tick now = m_engine->lastTick();
        QVERIFY2(now > previous, qPrintable(QStringLiteral("%1 <= %2").arg(now).arg(previous)));
        const auto row = readDocument(u"t"_s, r.key);
        QVERIFY(row);
        QVERIFY(row->tick > previous);
        QVERIFY(row->tick <= now);
        note(row->tick);
        note(now);
        previous = now;
    }

    // A failed job in the last batch before closing consumed ticks too.
    QCOMPARE(errorNumOf([&] {
                 m_engine->write([&](WriteTxn &t) {
                     const CollectionInfo *coll = t.catalog().collection(m_sys, u"t"_s);
                     DocumentService::insert(t, *coll, QJsonObject{{u"v"_s, 1}}, {});
                     SchemaService::createCollection(t, m_sys, u"never"_s, 2, false);
                     throw Error(400, ErrorNum::BadParameter);
                 });
             }),
             ErrorNum::BadParameter);
    QVERIFY(m_engine->lastTick() >= previous);
    note(m_engine->lastTick());

    for (int round = 0; round < 2; ++round) {
        reopenEngine();
        QVERIFY2(
            m_engine->lastTick() >= maxSeen,
            qPrintable(
                QStringLiteral("after reopen %1 < %2").arg(m_engine->lastTick()).arg(maxSeen)));
        const auto r = insert(u"t"_s, QJsonObject{{u"round"_s, round}});
        const auto row = readDocument(u"t"_s, r.key);
        QVERIFY(row);
        QVERIFY2(row->tick > maxSeen,
                 qPrintable(QStringLiteral("tick %1 not above %2").arg(row->tick).arg(maxSeen)));
        QVERIFY(m_engine->lastTick() > maxSeen);
        const CollectionInfo c2 = createCollection(QStringLiteral("after%1").arg(round));
        QVERIFY(Tick(c2.cid) > row->tick);
        note(Tick(c2.cid));
        note(m_engine->lastTick());
    }
}

void TestEngine::serverIdStableAcrossReopenBody()
{
    const QString id = m_engine->serverId();
    QVERIFY(!id.isEmpty());
    bool ok = false;
    const quint64 value = id.toULongLong(&ok);
    QVERIFY2(ok, qPrintable(id));
    QVERIFY(value > 0);
    QVERIFY(value < (quint64(1) << 53));

    reopenEngine();
    QCOMPARE(m_engine->serverId(), id);
    reopenEngine();
    QCOMPARE(m_engine->serverId(), id);

    // Another data directory is another server.
    QTemporaryDir other;
    QVERIFY(other.isValid());
    Engine second(Engine::Options{other.path(), storage::SyncMode::Normal, 1});
    second.open();
    QVERIFY(!second.serverId().isEmpty());
    QVERIFY(second.serverId() != id);
    second.close();
}

void TestEngine::loggerStartStopEventsBody()
{
    createCollection(u"c"_s);
    {
        const auto r = follow();
        QVERIFY(!r.active);
        QVERIFY(r.body.isEmpty());
    }

    const bool running =
        m_engine->write([&](WriteTxn &t) { return LoggerService::start(t, m_sys); });
    QVERIFY(running);
    QVERIFY(m_engine->catalog()->database(m_sys)->loggerRunning);
    const Tick startTick = m_engine->lastTick();

    auto r = follow();
    QVERIFY(r.active);
    QList<QJsonObject> events = parseLines(r.body);
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].value(u"type").toInt(), int(LogEventType::LoggerStarted));
    QCOMPARE(events[0].value(u"tick").toString(), tickString(startTick));
    QCOMPARE(events[0].value(u"database").toString(), QString::number(m_sys));
    QCOMPARE(r.lastIncluded, startTick);

    // Starting a running logger changes nothing.
    QVERIFY(m_engine->write([&](WriteTxn &t) { return LoggerService::start(t, m_sys); }));
    QCOMPARE(parseLines(follow().body).size(), 1);

    const auto doc = insert(u"c"_s, json(R"({"_key":"logged","v":1})"));
    events = parseLines(follow().body);
    QCOMPARE(events.size(), 2);
    QCOMPARE(events[1].value(u"type").toInt(), int(LogEventType::DocumentUpsert));
    QCOMPARE(events[1].value(u"key").toString(), u"logged"_s);
    QCOMPARE(events[1].value(u"cname").toString(), u"c"_s);
    QCOMPARE(events[1].value(u"rev").toString(), QString::fromUtf8(doc.rev));
    QCOMPARE(events[1].value(u"data").toObject().value(u"v").toInt(), 1);

    const bool stillRunning =
        m_engine->write([&](WriteTxn &t) { return LoggerService::stop(t, m_sys); });
    QVERIFY(!stillRunning);
    QVERIFY(!m_engine->catalog()->database(m_sys)->loggerRunning);
    const Tick stopTick = m_engine->lastTick();
    r = follow();
    QVERIFY(!r.active);
    events = parseLines(r.body);
    QCOMPARE(events.size(), 3);
    QCOMPARE(events[2].value(u"type").toInt(), int(LogEventType::LoggerStopped));
    QCOMPARE(events[2].value(u"tick").toString(), tickString(stopTick));
    QCOMPARE(r.lastIncluded, stopTick);
    QCOMPARE(m_engine->loggerState().state(m_sys).lastLogTick, stopTick);

    // Ticks in the log strictly increase.
    for (int i = 1; i < events.size(); ++i)
        QVERIFY(events[i].value(u"tick").toString().toULongLong() >
                events[i - 1].value(u"tick").toString().toULongLong());

    // Stopping a stopped logger logs nothing.
    QVERIFY(!m_engine->write([&](WriteTxn &t) { return LoggerService::stop(t, m_sys); }));
    QCOMPARE(parseLines(follow().body).size(), 3);
    // Following from the last tick gives nothing more.
    QVERIFY(follow(stopTick).body.isEmpty());
}

void TestEngine::stoppedLoggerLogsNothingBody()
{
    createCollection(u"c"_s);
    insert(u"c"_s, json(R"({"_key":"quiet1"})"));
    QVERIFY(follow().body.isEmpty());
    QCOMPARE(m_engine->loggerState().state(m_sys).stats.count, 0);

    m_engine->write([&](WriteTxn &t) { LoggerService::start(t, m_sys); });
    insert(u"c"_s, json(R"({"_key":"loud"})"));
    m_engine->write([&](WriteTxn &t) { LoggerService::stop(t, m_sys); });
    const auto before = follow();
    const QList<QJsonObject> events = parseLines(before.body);
    QCOMPARE(events.size(), 3); // started, loud, stopped

    // Writes while stopped: a document insert, update and removal, and a new collection.
    const auto quiet = insert(u"c"_s, json(R"({"_key":"quiet2"})"));
    m_engine->write([&](WriteTxn &t) {
        const CollectionInfo *c = t.catalog().collection(m_sys, u"c"_s);
        DocumentService::update(t, *c, u"quiet2"_s, json(R"({"x":2})"), {});
        DocumentService::remove(t, *c, u"quiet1"_s, {});
        SchemaService::createCollection(t, m_sys, u"quietcoll"_s, 2, false);
    });
    QVERIFY(m_engine->lastTick() > before.lastIncluded);
    const auto after = follow();
    QCOMPARE(after.body, before.body);
    QCOMPARE(after.lastIncluded, before.lastIncluded);
    QVERIFY(follow(before.lastIncluded).body.isEmpty());
    QCOMPARE(m_engine->loggerState().state(m_sys).lastLogTick, before.lastIncluded);

    // The writes themselves happened.
    const auto row = readDocument(u"c"_s, u"quiet2"_s);
    QVERIFY(row);
    QCOMPARE(json(row->body).value(u"x").toInt(), 2);
    QVERIFY(row->rev != quiet.rev);
    QVERIFY(readDocument(u"c"_s, u"quiet1"_s)->deleted);
}

void TestEngine::uniqueIndexRejectsDuplicatesBody()
{
    const CollectionInfo c = createCollection(u"people"_s);
    const auto idx = m_engine->write([&](WriteTxn &t) {
        return SchemaService::createIndex(
            t, c.cid, json(R"({"type":"hash","fields":["email"],"unique":true})"));
    });
    QVERIFY(idx.created);
    QVERIFY(idx.index.unique);
    QVERIFY(collection(u"people"_s)->hasUniqueIndex());
    m_engine->write([&](WriteTxn &t) { LoggerService::start(t, m_sys); });

    insert(u"people"_s, json(R"({"_key":"a","email":"x@example.com"})"));
    const auto logBefore = follow();
    const Tick lastLogged = logBefore.lastIncluded;

    int status = 0;
    const int num = errorNumOf([&] {
        try {
            insert(u"people"_s, json(R"({"_key":"b","email":"x@example.com"})"));
        } catch (const Error &e) {
            status = e.httpStatus();
            throw;
        }
    });
    QCOMPARE(num, ErrorNum::UniqueConstraintViolated);
    QCOMPARE(num, 1210);
    QCOMPARE(status, 409);
    waitForCommits();
    QVERIFY(!readDocument(u"people"_s, u"b"_s));
    QCOMPARE(countOf(u"people"_s), 1);
    QVERIFY(follow(lastLogged).body.isEmpty());
    QCOMPARE(m_engine->loggerState().state(m_sys).lastLogTick, lastLogged);

    // The refused value did not take the slot: another value works for the same key.
    insert(u"people"_s, json(R"({"_key":"b","email":"y@example.com"})"));
    QCOMPARE(countOf(u"people"_s), 2);
    QCOMPARE(parseLines(follow(lastLogged).body).size(), 1);

    // Replacing a's value frees x@… and takes z@….
    m_engine->write([&](WriteTxn &t) {
        const CollectionInfo *coll = t.catalog().collection(m_sys, u"people"_s);
        DocumentService::replace(t, *coll, u"a"_s, json(R"({"email":"z@example.com"})"), {});
    });
    insert(u"people"_s, json(R"({"_key":"c","email":"x@example.com"})"));
    QCOMPARE(
        errorNumOf([&] { insert(u"people"_s, json(R"({"_key":"d","email":"z@example.com"})")); }),
        ErrorNum::UniqueConstraintViolated);
    QVERIFY(!readDocument(u"people"_s, u"d"_s));

    // A non-sparse unique index indexes a missing attribute as null: only one may lack it.
    insert(u"people"_s, json(R"({"_key":"e"})"));
    QCOMPARE(errorNumOf([&] { insert(u"people"_s, json(R"({"_key":"f"})")); }),
             ErrorNum::UniqueConstraintViolated);
    QVERIFY(!readDocument(u"people"_s, u"f"_s));
    QCOMPARE(countOf(u"people"_s), 4); // a, b, c, e

    // Removing a document frees its value.
    m_engine->write([&](WriteTxn &t) {
        const CollectionInfo *coll = t.catalog().collection(m_sys, u"people"_s);
        DocumentService::remove(t, *coll, u"c"_s, {});
    });
    insert(u"people"_s, json(R"({"_key":"g","email":"x@example.com"})"));
    QCOMPARE(countOf(u"people"_s), 4);

    // A unique index over existing duplicates is refused and not created.
    insert(u"people"_s, json(R"({"_key":"h","email":"h@example.com","city":"Oslo"})"));
    insert(u"people"_s, json(R"({"_key":"i","email":"i@example.com","city":"Oslo"})"));
    QCOMPARE(errorNumOf([&] {
                 m_engine->write([&](WriteTxn &t) {
                     return SchemaService::createIndex(
                         t, c.cid, json(R"({"type":"hash","fields":["city"],"unique":true})"));
                 });
             }),
             ErrorNum::UniqueConstraintViolated);
    QCOMPARE(collection(u"people"_s)->indexes.size(), 1);
}

void TestEngine::passwordHashing_data()
{
    QTest::addColumn<QString>("password");
    QTest::newRow("simple") << u"secret"_s;
    QTest::newRow("empty") << QString();
    QTest::newRow("unicode") << u"p\u00e4ssw\u00f6rd \u20ac \U0001F511"_s;
    QTest::newRow("with separators") << u"a$b:c$d"_s;
    QTest::newRow("long") << QString(300, u'q');
}

void TestEngine::passwordHashingBody()
{
    QFETCH(QString, password);

    const QByteArray record = Auth::hashPassword(password);
    const QList<QByteArray> parts = record.split('$');
    QCOMPARE(parts.size(), 4);
    QCOMPARE(parts[0], QByteArray("pbkdf2-sha256"));
    QCOMPARE(parts[1], QByteArray::number(Auth::Iterations));
    QCOMPARE(parts[2].size(), 32); // 16 bytes of salt
    QCOMPARE(parts[3].size(), 64); // 32 bytes of key
    QCOMPARE(QByteArray::fromHex(parts[3]).toHex(), parts[3]);
    if (!password.isEmpty()) {
        QVERIFY(!record.contains(password.toUtf8()));
        QVERIFY(!record.contains(password.toUtf8().toHex()));
        QVERIFY(!record.contains(password.toUtf8().toBase64()));
    }

    QVERIFY(Auth::verifyPassword(password, record));
    QVERIFY(!Auth::verifyPassword(password + u'x', record));
    QVERIFY(!Auth::verifyPassword(u"wrong"_s, record));
    if (!password.isEmpty()) {
        QVERIFY(!Auth::verifyPassword(QString(), record));
        QVERIFY(!Auth::verifyPassword(password.chopped(1), record));
    }

    // A fresh salt every time, and both records accept the password.
    const QByteArray second = Auth::hashPassword(password);
    QVERIFY(second != record);
    QVERIFY(Auth::verifyPassword(password, second));

    // Damaged or foreign records accept nothing.
    QByteArray tampered = record;
    tampered[tampered.size() - 1] = tampered.endsWith('0') ? '1' : '0';
    QVERIFY(!Auth::verifyPassword(password, tampered));
    QVERIFY(!Auth::verifyPassword(password, QByteArray()));
    QVERIFY(!Auth::verifyPassword(password, "plain:" + password.toUtf8()));
    QByteArray otherScheme = record;
    otherScheme.replace("pbkdf2-sha256", "pbkdf2-sha1");
    QVERIFY(!Auth::verifyPassword(password, otherScheme));
    QByteArray zeroIterations = record;
    zeroIterations.replace("$20000$", "$0$");
    QVERIFY(!Auth::verifyPassword(password, zeroIterations));
}

void TestEngine::rootPasswordIsNotStoredInPlainBody()
{
    auto header = [](const QByteArray &userPass) { return "Basic " + userPass.toBase64(); };
    const QByteArray plain = RootPassword.toUtf8();
    QVERIFY(m_engine->auth().check(header("root:" + plain)));
    QVERIFY(!m_engine->auth().check(header("root:" + plain + "!")));
    QVERIFY(!m_engine->auth().check(header("root:")));
    QVERIFY(!m_engine->auth().check(header("admin:" + plain)));
    QVERIFY(!m_engine->auth().check("Bearer " + plain));

    {
        auto reader = openReader();
        const std::optional<QByteArray> stored =
            storage::CatalogTable(*reader).meta(u"rootPassword"_s);
        QVERIFY(stored);
        QVERIFY(stored->startsWith("pbkdf2-sha256$"));
        QVERIFY(!stored->contains(plain));
        QVERIFY(Auth::verifyPassword(RootPassword, *stored));
    }

    // Nothing on disk holds the plain text.
    for (const QString &suffix : {QString(), u"-wal"_s}) {
        QFile f(m_engine->databasePath() + suffix);
        if (!f.exists())
            continue;
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QVERIFY(!bytes.isEmpty());
        QVERIFY2(!bytes.contains(plain), qPrintable(f.fileName()));
    }

    // The stored record is used after a restart.
    reopenEngine();
    QVERIFY(m_engine->hasRootPassword());
    QVERIFY(m_engine->auth().check(header("root:" + plain)));
    QVERIFY(!m_engine->auth().check(header("root:wrong")));
}

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
