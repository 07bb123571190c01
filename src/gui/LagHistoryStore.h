#pragma once

#include "gui/LagHistory.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QLoggingCategory>
#include <QMap>
#include <QMutex>
#include <QObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QTimer>

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <utility>

class QSqlError;

// The store side of LagHistory: private to it (src/gui/LagHistory.cpp), not for other code.
namespace repl::gui::detail {

Q_DECLARE_LOGGING_CATEGORY(lcHistory)

inline constexpr int StepBudgetMs = 20; // a job step yields after about this long

// What the front (any thread) and the store thread share.
struct LagHistoryShared
{
    QMutex mutex;
    QList<LagSample> buffer; // appended, not yet taken by the store (mutex)
    qsizetype limit = LagHistory::DefaultBufferLimit; // (mutex)
    quint64 dropped = 0;               // oldest samples dropped at the limit, in all (mutex)
    bool wakePosted = false;           // the store was told that samples wait (mutex)
    QString lastError;                 // (mutex)
    std::atomic<bool> disabled{false}; // no usable file: appends are dropped at once
    std::atomic<Qt::HANDLE> sqlThread{nullptr};   // where SQLite last ran (tests)
    std::atomic<Qt::HANDLE> storeThread{nullptr}; // the store's thread, once it runs
};

// One answer's messenger (see LagHistory::makeReply): emitted, then deleted, on the store thread.
class LagHistoryReply final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LagHistoryReply)

public:
    LagHistoryReply() = default;

Q_SIGNALS:
    void ready();
};

struct LagExportResult
{
    QString error;
    qint64 rows = 0;
};

// Owns the SQLite connection; lives on LagHistory's thread and every method runs there.
// Long work (queries, exports, retention) runs as jobs in short steps taken in turn with the
// writes of appended samples, so none of them holds the others up for long.
class LagHistoryStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LagHistoryStore)

public:
    LagHistoryStore(QString path, std::shared_ptr<LagHistoryShared> shared, int retentionDays);
    ~LagHistoryStore() override;

    void open();
    void samplesPending(); // the buffer became non-empty: write within a second
    void flush(LagHistoryReply *reply);
    void setRetentionDays(int days);
    void query(const QStringList &servers, qint64 fromMs, qint64 toMs, int maxPoints,
               std::shared_ptr<QList<LagSample>> out, LagHistoryReply *reply);
    void exportCsv(const QString &path, const QStringList &servers, qint64 fromMs, qint64 toMs,
                   std::shared_ptr<LagExportResult> out, LagHistoryReply *reply);
    void span(std::shared_ptr<std::pair<qint64, qint64>> out, LagHistoryReply *reply);
    void shutdown(); // writes what is buffered, drops unfinished jobs, closes the file
    QString lastError() const;

    static constexpr int SchemaVersion = 1;

Q_SIGNALS:
    void purged(qint64 rows);

private:
    struct Series
    {
        qint64 id = 0;
        QString server;
        QString database;
    };
    struct Job
    {
        std::function<bool()> step; // true: finished (its answer is out)
        std::function<void()> drop; // shutdown before it finished
    };
    struct QueryState;
    struct ExportState;
    struct PurgeState;

    // Connection and schema
    bool openFile();
    bool createSchema();
    bool loadSeries();
    void close();
    void giveUp();
    void fail(const QString &what, const QSqlError &error, bool disable);
    void setError(const QString &message);
    bool prepare(std::optional<QSqlQuery> &q, const QString &sql);
    bool exec(QSqlQuery &q);
    bool exec(const QString &sql);

    // Writing
    void writeBuffer();
    qint64 seriesId(const QString &server, const QString &database);

    // Jobs
    void enqueue(Job job);
    void pump();
    void startPurge();
    bool purgeStep(PurgeState &p);
    bool endPurge(PurgeState &p);
    qint64 pragma(const char *name); // a PRAGMA's integer value, -1 on failure
    bool queryStep(QueryState &q);
    bool readSeries(const Series &s, QueryState &q, QList<LagSample> &into);
    bool exportStep(ExportState &e);
    void finishExport(ExportState &e, const QString &error);
    QList<QString> serversFor(const QStringList &wanted) const;
    static void answer(LagHistoryReply *reply);

    QString m_path;
    QString m_connectionName;
    std::shared_ptr<LagHistoryShared> m_shared;
    int m_retentionDays;
    QSqlDatabase m_db;
    bool m_open = false;
    bool m_closed = false;
    // Prepared once the file is open (a QSqlQuery made without a connection would look up the
    // default one, on whichever thread built this object).
    std::optional<QSqlQuery> m_insert;
    std::optional<QSqlQuery> m_insertSeries;
    std::optional<QSqlQuery> m_first;
    std::optional<QSqlQuery> m_last;

    QHash<std::pair<QString, QString>, qint64> m_seriesIds;
    QMap<QString, QList<Series>> m_seriesByServer; // by server, each list by database

    QTimer m_writeTimer;
    QTimer m_retentionTimer;
    QElapsedTimer m_sinceWrite;
    quint64 m_droppedReported = 0;
    QString m_lastWriteError;
    quint64 m_writeFailures = 0;

    std::deque<Job> m_jobs;
    bool m_pumpPosted = false;
    bool m_inStep = false;
    bool m_purging = false;
    bool m_purgeAgain = false;
};

} // namespace repl::gui::detail
