#pragma once

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>

namespace repl::gui {

// /_replicate jobs of one server, from GET /_scheduler/jobs (ReplDesk: running and finished)
// or GET /_active_tasks (CouchDB, PouchDB: running only). Rows keep their identity (the
// replication id) across refreshes, so selection survives polling.
class ReplicationJobModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        State,
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
        ProgressRole, // 0…100, or -1 when the total is unknown (busy)
        ErrorRole,
        ErrorNameRole,
        JobRole, // the whole JSON object
    };

    using QAbstractTableModel::QAbstractTableModel;

    void setJobs(const QJsonArray &jobs);
    QJsonObject job(int row) const { return m_jobs.value(row); }
    // Running, starting or retrying: a job Cancel applies to (CouchDB's states).
    static bool isActive(const QJsonObject &job);
    int activeCount() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

    // One job in ReplDesk's shape, whether it came from ReplDesk, CouchDB 3's scheduler
    // (counters under "info", state in "history") or an _active_tasks entry.
    static QJsonObject normalized(QJsonObject job);
    // 0…100 from written and pending, -1 when unknown; 100 for a completed job.
    static int progressOf(const QJsonObject &job);

private:
    QList<QJsonObject> m_jobs;
};

// What an operator can do about a /_replicate error (CouchDB error names).
QString replicationRemedy(const QString &errorName);

} // namespace repl::gui
