#pragma once

#include "ctl/CtlOptions.h"
#include "ops/Backup.h"
#include "ops/ServerOps.h"

#include <QElapsedTimer>

#include <QObject>
#include <QPointer>
#include <QTextStream>

namespace repl::ctl {

// Runs one repldeskctl command through the operations library and reports its exit code by
// finished(): 0 done, 1 the operation failed (cause and remedy on stderr). Nothing blocks:
// the event loop turns while requests are out.
class CtlRunner final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CtlRunner)

public:
    CtlRunner(CtlOptions options, client::ClientSettings server, QString leaderPassword,
              QTextStream &out, QTextStream &err, QObject *parent = nullptr);
    void start();
    // Ctrl-C: a backup or restore in progress is cancelled (a backup leaves no folder) and the
    // tool ends with 130; anything else ends at once with 130.
    void interrupt();

Q_SIGNALS:
    void finished(int exitCode);

private:
    void run();
    void fail(const QString &message);
    void done();
    void printTable(const QStringList &headers, const QList<QStringList> &rows);
    void printJson(const QJsonValue &v);

    void probe();
    void databases();
    void inventory();
    void logger();
    void applier();
    void sync();
    void follow(quint64 from);
    void lag();
    void metrics();
    void backup();
    void restorePoints();
    void restorePointRetention();
    void printRetention(const ops::RestorePointRetention &r);
    void restore();
    void printPlan(const ops::RestorePlan &plan);
    void reportProgress(const QString &verb, const ops::TransferProgress &p, bool force = false);

    CtlOptions m_o;
    ops::ServerOps *m_ops;
    QString m_leaderPassword;
    QTextStream &m_out;
    QTextStream &m_err;
    qint64 m_printed = 0;
    bool m_finished = false;
    QElapsedTimer m_progressClock;
    QString m_progressCollection;
    QPointer<QObject> m_job; // the backup or restore in progress
    bool m_interrupted = false;
};

} // namespace repl::ctl
