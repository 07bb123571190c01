#pragma once

#include "engine/couch/replicator/CouchPeer.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

#include <optional>

namespace repl {

// A POST /_replicate body, checked (400 bad_request naming the field) and normalized.
struct ReplicationSpec
{
    QJsonObject request; // as given (persisted for continuous jobs)
    PeerSpec source;
    PeerSpec target;
    bool createTarget = false;
    bool continuous = false;
    bool cancel = false;
    QString cancelId; // replication_id / _local_id / id of a cancel request
    QStringList docIds;
    QString filter;
    QJsonObject queryParams;
    std::optional<QJsonObject> selector;
    QJsonValue sinceSeq;
    bool useCheckpoints = true;
    int checkpointIntervalMs = 30000;
    bool winningRevsOnly = false;
    int batchSize = 500;
    // Batches in flight at once (each its _revs_diff, bodies and _bulk_docs), as CouchDB's
    // workers; the checkpoint covers only the batches done in order.
    int workerProcesses = 4;
    int connectionTimeoutMs = 30000;
    int retriesPerRequest = 5;
    bool useBulkGet = true;

    // Throws CouchError 400 for what CouchDB rejects (mutually exclusive fields, bad types,
    // bad URLs). `localExists` tells whether a bare name is a database here.
    static ReplicationSpec parse(const QJsonObject &body);
    // Identifies the job for cancel-by-body and duplicate detection (no secrets).
    QString signature() const;
};

// Counters and state of one job, as /_active_tasks and /_scheduler/jobs show them.
struct ReplicationStatus
{
    QString id;     // full id (base + "+continuous" / "+create_target")
    QString baseId; // the checkpoint document's id is _local/<baseId>
    QString source; // no credentials
    QString target;
    bool continuous = false;
    QString state = QStringLiteral("initializing"); // running, pending, crashing, completed, failed
    QString error;                                  // "" or {error}: {reason}
    QString errorName;
    qint64 docsRead = 0;
    qint64 docsWritten = 0;
    qint64 docWriteFailures = 0;
    qint64 missingChecked = 0;
    qint64 missingFound = 0;
    qint64 changesPending = -1; // -1: unknown
    QJsonValue checkpointedSourceSeq = 0;
    QJsonValue throughSeq = 0;
    QJsonValue sourceSeq = 0;
    QDateTime startedOn;
    QDateTime updatedOn;
    int checkpointIntervalMs = 30000;
    qint64 bulkGetDocs = 0;
    qint64 bulkGetAttempts = 0;
    // What happened to the job, newest first, as /_scheduler/jobs shows it: added, started,
    // crashed (with its reason), stopped. At most 20 events.
    QJsonArray history;
    int errorCount = 0; // crashes since the last successful start
    QString docId;      // the _replicator document that made it, "" for /_replicate
    QDateTime lastCrashedAt;

    void addHistory(const QString &type, const QString &reason = {});
    QJsonObject toActiveTask() const;
    // CouchDB 3's statistics object (`info` of /_scheduler/jobs and /_scheduler/docs,
    // `_replication_stats` of a completed document).
    QJsonObject stats() const;
    // One entry of /_scheduler/jobs in CouchDB 3's shape (no credentials).
    QJsonObject toSchedulerJob() const;
};

// "http://host:port/db/" as CouchDB's scheduler shows an endpoint (a local name as is).
QString schedulerEndpoint(const QString &described);
// The node name this server gives in scheduler answers.
QString schedulerNode();

} // namespace repl

Q_DECLARE_METATYPE(repl::ReplicationStatus)
