#pragma once

#include "engine/couch/replicator/CouchPeer.h"
#include "engine/couch/replicator/CouchReplicationSupport.h"
#include "engine/couch/replicator/CouchRequestCounters.h"
#include "engine/couch/replicator/ReplicationSpec.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QObject>
#include <QQueue>
#include <QStringList>
#include <QTimer>

#include <memory>
#include <optional>

namespace repl {

// One replication run (the algorithm of the spec's §10): verify both sides, find the
// checkpoint, then changes → _revs_diff → _bulk_get (or open_revs) → _bulk_docs new_edits=false
// in batches, checkpointing only what is written. Lives on the replication thread.
class CouchReplication final : public QObject
{
    Q_OBJECT

public:
    CouchReplication(ReplicationSpec spec, std::unique_ptr<CouchPeer> source,
                     std::unique_ptr<CouchPeer> target, QString serverUuid,
                     QObject *parent = nullptr);
    ~CouchReplication() override;

    const ReplicationSpec &spec() const { return m_spec; }
    const ReplicationStatus &status() const { return m_status; }

    void start();
    // A persisted continuous job resumed after a restart: failures retry with backoff from
    // the first step on (nobody waits for a 202).
    void markResumed() { m_verified = true; }
    // A job of a _replicator document: one-shot or continuous, a failure is retried with
    // backoff (state crashing) until the document changes or goes, as CouchDB's scheduler does.
    void setDocument(const QString &docId)
    {
        m_status.docId = docId;
        m_persistent = true;
        m_verified = true;
    }
    // Where every request's wait and handling time is added (the manager's, outliving the job).
    void setRequestCounters(CouchRequestCounters *counters) { m_requestCounters = counters; }
    // Stops at once (in-flight calls aborted); a continuous job writes no final checkpoint.
    void cancel();
    // A local source committed something: a caught-up continuous job looks again.
    void sourceChanged();

Q_SIGNALS:
    // Both sides checked and the id known (a continuous job's 202 can be sent).
    void verified(const QString &fullId);
    void statusChanged(const repl::ReplicationStatus &status);
    // One-shot finished (ok: the CouchDB-shaped answer) or any job failed for good.
    void finished(bool ok, const QJsonObject &result, int httpStatus);

private:
    struct Batch
    {
        QByteArray page; // the _changes answer the rows' views point into
        QList<couchrepl::ChangeRow> rows;
        QJsonValue lastSeq;
        quint64 number = 0; // in the order of the feed, from 1
    };
    // The documents of one _bulk_docs, as the JSON text of its `docs` array's elements: the
    // bytes the source sent, passed on without being parsed and written again.
    struct Docs
    {
        QByteArray json; // elements separated by commas, no brackets
        qint64 count = 0;
        void append(QByteArrayView doc);
        void append(const QJsonObject &doc);
    };
    // A batch started and not yet counted in throughSeq (they are counted in feed order).
    struct InFlight
    {
        quint64 number;
        QJsonValue lastSeq;
        bool done = false;
    };
    using Next = std::function<void(const client::HttpResult &)>;

    void call(CouchPeer &peer, const QByteArray &method, const QString &path,
              const QUrlQuery &query, const PeerBody &body, Next next, int attempt = 0,
              int timeoutMs = -1);
    void fail(const QString &error, const QString &reason, int httpStatus);
    void transientFailure(const QString &reason);
    void openPeer(bool target);
    void resolveFilter();
    void computeId(const QString &filterCode);
    void readLogs();
    void compareLogs();
    void fetchChanges();
    void scheduleIdleFetch();
    void processNext();
    void startBatch(Batch batch);
    void fetchMissing(Batch batch, const QList<couchrepl::MissingRevs> &missing);
    void fetchOpenRevs(const QList<QPair<QString, QStringList>> &wanted, int index,
                       std::shared_ptr<Docs> docs, std::function<void()> done);
    void writeDocs(const Docs &docs, std::function<void()> done);
    void completeBatch(const Batch &batch);
    void checkpoint(std::function<void()> then);
    void ensureFullCommit(bool target, std::function<void()> then);
    void writeCheckpoint(bool target, const QJsonObject &log, std::function<void()> then,
                         bool retried = false);
    void finishOneShot();
    void touch();

    ReplicationSpec m_spec;
    std::unique_ptr<CouchPeer> m_source;
    std::unique_ptr<CouchPeer> m_target;
    QString m_serverUuid;
    CouchRequestCounters *m_requestCounters = nullptr;
    ReplicationStatus m_status;
    bool m_stopped = false;
    quint64 m_generation = 0; // bumped by every (re)start, failure and cancel
    bool m_verified = false;
    bool m_persistent = false;

    QString m_sessionId;
    QDateTime m_sessionStart;
    QJsonValue m_startSeq = 0;
    QJsonObject m_sourceLog;
    QJsonObject m_targetLog;
    QString m_sourceLogRev;
    QString m_sourceStartTime; // instance_start_time when opened
    QString m_targetStartTime;
    QString m_targetLogRev;
    bool m_sourceCheckpointsOff = false;
    QJsonValue m_lastCheckpointed;
    QDateTime m_lastCheckpointAt;

    QJsonValue m_fetchSeq = 0; // since of the next changes request
    bool m_fetching = false;
    bool m_feedDone = false;
    bool m_finishing = false; // a one-shot run's final checkpoint and answer are under way
    bool m_caughtUp = false;
    QList<InFlight> m_inFlight;
    quint64 m_batchNumber = 0;
    bool m_inProcessNext = false;
    bool m_checkpointing = false;
    bool m_sourceDirty = false; // a local source changed while we waited
    QQueue<Batch> m_batches;
    QTimer m_idleTimer;
    QTimer m_retryTimer;
    QTimer m_checkpointTimer; // a caught-up continuous job still checkpoints what it wrote
    qint64 m_rowsSeen = 0;
    int m_crashes = 0;
    qint64 m_bulkGetAttempts = 0;
    qint64 m_bulkGetDocs = 0;
    bool m_bulkGetBroken = false;
    bool m_includeDocs = true; // bodies ride along with the changes while that pays off
};

} // namespace repl
