#pragma once

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>

namespace repl::gui {

// The replications of one server, one row each: _replicator documents (GET /_scheduler/docs,
// with their job's history from /_scheduler/jobs), transient /_replicate jobs
// (/_scheduler/jobs, or /_active_tasks where there is no scheduler) and the one-shot jobs
// this app ran and saw finish. States are CouchDB 3's: initializing, running, pending,
// crashing, error, failed, completed (and stopped, cancelled). Rows keep their identity
// across refreshes, so selection survives polling.
class ReplicationJobModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        State,
        Document,
        Source,
        Target,
        Kind,
        Progress,
        Written,
        Read,
        Failures,
        Pending,
        Checkpointed,
        Updated,
        ColumnCount
    };
    enum Role
    {
        IdRole = Qt::UserRole + 1,
        DocIdRole,    // the _replicator document's id, "" for a transient job
        ProgressRole, // 0…100, or -1 when the total is unknown (busy)
        ErrorRole,
        ErrorNameRole,
        JobRole, // the whole JSON object
    };

    using QAbstractTableModel::QAbstractTableModel;

    void setJobs(const QJsonArray &jobs);
    QJsonObject job(int row) const { return m_jobs.value(row); }
    // Running, starting, waiting or retrying: a job Cancel applies to (CouchDB's states).
    static bool isActive(const QJsonObject &job);
    // A _replicator document (Cancel deletes it, Edit changes it).
    static bool isDocument(const QJsonObject &job);
    int activeCount() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

    // One row's fields (state, replication_id, continuous, counters, last_error, error_name,
    // started_on, updated_on) from a CouchDB 3 scheduler job (counters under "info", the
    // state from its newest history event, the reason from the newest crash), a scheduler
    // doc (its state, `info.error`) or an _active_tasks entry.
    static QJsonObject normalized(QJsonObject job);
    // 0…100 from written and pending, -1 when unknown; 100 for a completed job.
    static int progressOf(const QJsonObject &job);

private:
    QList<QJsonObject> m_jobs;
};

// What an operator can do about a /_replicate error (CouchDB error names).
QString replicationRemedy(const QString &errorName);

} // namespace repl::gui
