#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>

#include <memory>

namespace repl::test {

enum class FakeArangoVersion
{
    V3_11_14,
    V3_12_10
};

// A FAKE ArangoDB 3.x single server (RocksDB engine) on 127.0.0.1, for tests: no real ArangoDB
// can run on the test machines. It answers the replication HTTP API the way the recorded
// 3.11.14 / 3.12.10 exchanges in shared/spec/arangodb-recorded/ and the wire facts say: bare
// replication objects, ticks and ids as strings, compact JSON (one object per line for dump and
// tail bodies), the x-arango-replication-* headers, the documented error numbers and texts.
//
// What the FAKE serves (every route also under /_db/<db>/…; unknown db → 404/1228):
//   /_api/version, /_api/database[/user|/current], /_api/collection[/<name>[/count|/properties]],
//   /_api/index?collection=, /_api/wal/{tail,lastTick,range,open-transactions},
//   /_api/replication/{batch,inventory,dump,logger-state} on both versions, and on 3.11.14 also
//   logger-follow, logger-first-tick, logger-tick-ranges, server-id, applier-config/start/stop/
//   state/state-all and sync. 3.12.10 answers the routes it removed (and logger-start/-stop/
//   -config on both versions) with 400/400 "invalid command '<name>'".
//
// FAKE behaviour a test must know about:
//   - Data is only changed through the C++ API below (there is no document or collection HTTP
//     API: those paths answer 404 "unknown path"); every change appends a WAL marker with the
//     next tick. _system and each created database start with the usual system collections
//     (empty, _users included; no _statistics*), created by WAL markers as well.
//   - PUT sync (3.11) cannot reach a leader: it only PURGES the local collections that take part
//     (includeSystem, includeFoxxQueues, restrictType/restrictCollections honoured; one 2004
//     truncate marker each) and answers as the real server does. Like the real server it
//     ignores unknown body fields such as "dryRun". syncCalls() counts the sync requests it
//     handled (also the rejected ones), writes() records every one.
//   - The applier never runs: its state is whatever setApplierState()/applier-start/-stop set.
//   - Commands a real 3.x server has but the FAKE does not simulate (make-follower,
//     logger-last, keys, revisions, restore-*, clusterInventory, PUT server-id) answer
//     501/9 "not implemented".
//   - One user (setCredentials) with admin rights; no JWT; logger-state's clients is always [].
//
// Lives on the thread that creates it; the HTTP answers are produced on that thread's event
// loop, so a test must spin it (a blocking client with a local QEventLoop does).
class FakeArango final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FakeArango)

public:
    struct Recorded
    {
        QByteArray method;
        QString path; // as requested, with a /_db/<db> prefix if it had one
        QString query;
        QByteArray body;
    };

    explicit FakeArango(FakeArangoVersion v, QObject *parent = nullptr);
    ~FakeArango() override;

    // 127.0.0.1 on a random port; false if no port could be bound.
    bool listen();
    quint16 port() const;
    QString url() const; // "http://127.0.0.1:PORT"
    FakeArangoVersion version() const;
    QString versionString() const; // "3.11.14" / "3.12.10"
    QString serverId() const;

    // Basic auth for one (admin) user; an empty user turns authentication off (the default).
    // Wrong or missing credentials → 401 {"code":401,"error":true,"errorMessage":"not authorized
    // to execute this request","errorNum":401}.
    void setCredentials(const QString &user, const QString &password);

    // Data. Each call appends WAL markers (ticks increase by at least one per call).
    void createDatabase(const QString &name); // 1100 + 2000 for its system collections
    void createCollection(const QString &db, const QString &name, int type = 2); // 2000
    // An index definition as POST /_api/index takes it; id and name are assigned. 2100.
    void addIndex(const QString &db, const QString &coll, const QJsonObject &definition);
    // Sets _key (a numeric string when absent), _id and _rev; an existing _key is replaced, as an
    // overwrite would. 2300 with tid "0". Returns the stored document.
    QJsonObject insert(const QString &db, const QString &coll, QJsonObject doc);
    bool remove(const QString &db, const QString &coll, const QString &key); // 2302
    void dropCollection(const QString &db, const QString &name);             // 2001
    qint64 count(const QString &db, const QString &coll) const; // -1 if there is no such collection
    QList<QJsonObject> documents(const QString &db, const QString &coll) const;
    quint64 lastTick() const; // tick of the newest WAL marker
    // Forgets WAL markers up to and including this tick, as WAL retention would: tailing from
    // an older tick then answers x-arango-replication-frompresent: false.
    void pruneWal(quint64 upToTick);

    // Applier state the FAKE reports (3.11 only); db "" is the global applier.
    void setApplierState(const QString &db, bool running, quint64 lastApplied,
                         quint64 lastAvailable, int lastErrorNum = 0,
                         const QString &lastErrorMessage = {});
    // Merges into the applier configuration (the keys PUT applier-config takes), unchecked.
    void setApplierConfig(const QString &db, const QJsonObject &partial);

    // Every request received, authorized or not, in order.
    QList<Recorded> requests() const;
    void clearRequests();
    // The recorded requests that could change data: every PUT/POST/DELETE/PATCH except
    // POST/PUT/DELETE on /_api/replication/batch[/<id>] (with or without a /_db/<db> prefix).
    QList<Recorded> writes() const;
    int openBatches() const; // created and neither deleted nor expired
    int syncCalls() const;

private:
    struct Impl;
    class HttpFace;
    std::unique_ptr<Impl> m_impl;
    HttpFace *m_http = nullptr; // child QObject
};

} // namespace repl::test
