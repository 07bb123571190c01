#pragma once

#include "client/ReplicationClient.h"
#include "ops/Dialect.h"
#include "ops/Metrics.h"
#include "ops/RestorePoints.h"
#include "ops/Types.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QStringList>

#include <functional>
#include <optional>

namespace repl::ops {

// Every operation ReplDesk performs on a server, for the GUI and for repldeskctl alike.
// It probes the server once and speaks its dialect from then on: batches where ArangoDB 3.x
// needs them, /_api/wal/tail where logger-follow is gone, CouchDB's routes for CouchDB.
// An operation the server cannot do fails with the dialect's sentence and sends nothing.
//
// Asynchronous only: every callback runs on the thread that owns this object, and is dropped
// when its `context` is gone. `error` is empty on success, else a sentence to show as it is.
class ServerOps final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerOps)

public:
    // `settings.database` is ignored: each operation names its database.
    explicit ServerOps(client::ClientSettings settings, QObject *parent = nullptr);

    client::ReplicationClient &client() { return *m_client; }
    const Dialect &dialect() const { return m_dialect; }
    // For tests and for callers that probed already.
    void setDialect(const Dialect &d) { m_dialect = d; }

    template<typename T> using Done = std::function<void(T, const QString &error)>;
    using DoneVoid = std::function<void(const QString &error)>;

    // Asks /_api/version (then CouchDB's welcome) and keeps the dialect. `failure` carries the
    // HTTP result when the server could not be identified (unreachable, 401).
    void probe(QObject *context,
               std::function<void(const Dialect &, const client::HttpResult &failure)> done);

    // Database names the user may see (/_api/database/user, CouchDB's _all_dbs).
    void databases(QObject *context, Done<QStringList> done);

    // The database's collections and indexes as ArangoDB's inventory object
    // ({collections:[{parameters, indexes}], state, tick}), read inside a batch where the
    // server needs one (released afterwards). For a CouchDB server, `database` is ignored and
    // its databases are the "collections" (parameters.couchdb = true).
    void inventory(const QString &database, QObject *context, Done<QJsonObject> done);
    // Document counts by collection (/_api/collection/{name}/count).
    void counts(const QString &database, const QStringList &collections, QObject *context,
                Done<QHash<QString, qint64>> done);

    // Logger
    void loggerState(const QString &database, QObject *context, Done<QJsonObject> done);
    void setLoggerRunning(const QString &database, bool run, QObject *context, DoneVoid done);

    // Applier (global: the server-level applier on _system, ?global=true)
    void applierState(const QString &database, bool global, QObject *context,
                      Done<QJsonObject> done);
    void setApplierRunning(const QString &database, bool global, bool run, const QString &fromTick,
                           QObject *context, DoneVoid done);
    void applierConfig(const QString &database, bool global, QObject *context,
                       Done<QJsonObject> done);
    void setApplierConfig(const QString &database, bool global, const QJsonObject &config,
                          QObject *context, Done<QJsonObject> done);

    // The sync preview: never sends anything that changes data, to either server. Reads both
    // inventories and counts and computes the plan here.
    void previewSync(const QString &database, const SyncOptions &options, QObject *context,
                     Done<SyncPlan> done);
    // The sync itself: refused unless `confirmDatabase` equals `database`.
    void sync(const QString &database, const SyncOptions &options, const QString &confirmDatabase,
              QObject *context, Done<QJsonObject> done);

    // One request of the log tail from `from` (exclusive); `waitMs` lets a ReplDesk server hold
    // an empty answer that long. Collection names are resolved on ArangoDB 3.x.
    void tail(const QString &database, quint64 from, qint64 chunkSize, int waitMs, QObject *context,
              Done<LogChunk> done);
    // The newest tick of the database's log (the starting point of a live tail).
    void lastTick(const QString &database, QObject *context, Done<quint64> done);

    // A page of documents: `cursor` is opaque (empty: the first page). Returns the documents,
    // the number of removals skipped, and the next cursor (empty: no more). `release` ends a
    // browse early (frees the batch).
    struct Page
    {
        QList<QJsonObject> documents;
        int removals = 0;
        QString next;
    };
    void documents(const QString &database, const QString &collection, const QString &cursor,
                   QObject *context, Done<Page> done);
    void releaseCursor(const QString &database, const QString &cursor);

    // Restore points of `database` (ReplDesk): {"restorePoints":[…]}; restore one (refused by
    // the server while the applier runs) or discard it.
    void restorePoints(const QString &database, QObject *context, Done<QJsonObject> done);
    void restoreRestorePoint(const QString &database, const QString &id, QObject *context,
                             Done<QJsonObject> done);
    void discardRestorePoint(const QString &database, const QString &id, QObject *context,
                             Done<QJsonObject> done);
    // How many restore points `database` keeps, and a change of it (`keep`, `maxBytes` or
    // both; the other stays). The server applies a change at once, dropping the oldest points
    // beyond it, and the answer is the retention now in force. Values out of range (keep
    // 0–1000, maxBytes 0 = no limit up to 9e15) fail here and send nothing.
    void restorePointRetention(const QString &database, QObject *context,
                               Done<RestorePointRetention> done);
    void setRestorePointRetention(const QString &database, std::optional<int> keep,
                                  std::optional<qint64> maxBytes, QObject *context,
                                  Done<RestorePointRetention> done);

    // The server's metrics (Dialect::metricsPath(): /_admin/metrics/v2 on ReplDesk and ArangoDB
    // 3.8+, /_node/_local/_prometheus on CouchDB 3.2+), parsed. Sends nothing where the server
    // has none (the dialect's sentence); says what 401, 403 and 404 mean there, and names the
    // line a text it cannot read fails at.
    void metrics(QObject *context, Done<Metrics> done);

    // Path of an /_api route in `database` ("/_db/{db}/_api/…", plain for _system).
    static QString dbPath(const QString &database, const QString &apiPath);

    // A batch (ArangoDB 3.x: POST …/batch; nothing elsewhere) around `work`, released when
    // `work` calls its `release` function. `batchId` is empty where no batch is needed.
    using WithBatch = std::function<void(const QString &batchId, std::function<void()> release)>;
    void withBatch(const QString &database, int ttlSeconds, QObject *context, WithBatch work,
                   DoneVoid failed);

private:
    bool refuse(Feature f, const DoneVoid &done) const;
    // One call answering a JSON object, in `feature`: probes first when nothing is known yet,
    // refuses (sending nothing) what the server lacks.
    void jsonCall(Feature feature, const QByteArray &method, const QString &path,
                  const QUrlQuery &query, const QByteArray &body, QObject *context,
                  Done<QJsonObject> done);
    // Before the first probe nothing is known: probes, then runs `again`. False when the
    // dialect is known already (the caller goes on).
    bool needsProbe(QObject *context, std::function<void()> again, const DoneVoid &failed);
    void couchInventory(QObject *context, Done<QJsonObject> done);
    // Why an answer of `path` other than 200 is not the metrics, in one sentence.
    static QString metricsFailure(const Dialect &d, const QString &path,
                                  const client::HttpResult &r);
    void resolveCollections(const QString &database, LogChunk chunk, QObject *context,
                            Done<LogChunk> done);

    client::ReplicationClient *m_client;
    Dialect m_dialect;
    // ArangoDB 3.x: collection globallyUniqueId → name, per database (wal/tail lines carry
    // the cuid only).
    QHash<QString, QHash<QString, QString>> m_cuidNames;
};

// The message of a failed call: the server's own words, or the transport's.
QString describeFailure(const client::HttpResult &r);

} // namespace repl::ops
