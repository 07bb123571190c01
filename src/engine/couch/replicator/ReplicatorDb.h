#pragma once

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace repl {

class CouchReplication;
class Engine;
class ReplicationManager;
struct ReplicationStatus;

// The _replicator database, as CouchDB 3 runs it: each document (source, target and every
// /_replicate field) is a replication job; editing the document restarts its job, deleting
// it cancels the job; jobs come back after a restart because the documents do. A one-shot
// job that completes writes `_replication_state: completed`, `_replication_state_time` and
// `_replication_stats` into its document (a bad document gets `failed` and
// `_replication_state_reason`); documents already completed or failed are not run again.
// Lives on the replication manager's thread; docs() may be called from any thread.
class ReplicatorDb final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReplicatorDb)

public:
    static inline const QString Name = QStringLiteral("_replicator");

    ReplicatorDb(ReplicationManager &manager, Engine &engine, QObject *parent);
    ~ReplicatorDb() override;

    // The database's validate_doc_update: a document must be a replication this server can
    // run (CouchDB 3 refuses bad ones with 403 forbidden, and local names as
    // "local_endpoints_not_supported").
    static void validate(const QJsonObject &body);

    // Creates the database when missing, then reads it and starts its jobs.
    void start();
    // Cancels every document's job (the documents stay).
    void stop();

    // /_scheduler/docs entries in CouchDB 3's shape, by document id (no credentials).
    QJsonArray docs() const;
    QJsonObject doc(const QString &docId, bool *found) const;

private:
    struct DocState
    {
        QJsonObject doc;     // as last read, with _id and _rev
        QByteArray userPart; // the document without the replicator's own members
        QString state;       // initializing, running, pending, crashing, error, failed, completed
        QJsonObject info;
        int errorCount = 0;
        QString jobId;
        QString source, target;
        QDateTime startTime, lastUpdated;
        QPointer<CouchReplication> job;
    };

    void scheduleScan();
    void scan();
    void apply(const QList<QJsonObject> &docs);
    void startJob(const QString &docId, DocState &d);
    void stopJob(DocState &d);
    void onStatus(const QString &docId, const ReplicationStatus &s);
    void onFinished(const QString &docId, bool ok, const QJsonObject &result);
    // Writes the replicator's members into the document (a new revision), unless the
    // document changed meanwhile.
    void writeState(const QString &docId, const QJsonObject &members);
    void publish(const QString &docId);

    ReplicationManager &m_manager;
    Engine &m_engine;
    bool m_running = false;
    bool m_scanning = false;
    bool m_rescan = false;
    qint64 m_cid = 0; // the _replicator collection, once it exists
    QTimer m_scanTimer;
    QHash<QString, DocState> m_docs; // thread only
    mutable QMutex m_mutex;
    QHash<QString, QJsonObject> m_published; // under m_mutex
};

} // namespace repl
