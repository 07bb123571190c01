#pragma once

#include "client/ReplicationClient.h"
#include "ops/Backup.h"

#include <QCoreApplication>
#include <QObject>
#include <QPointer>

#include <functional>

namespace repl::gui {

// Backups and restores off the GUI thread: lives on a thread of its own with an operations
// object of its own (the HTTP calls and the file writes happen there), one job at a time.
// Each call takes the object the results are for (`ui`); results go back to its thread as
// queued calls and are dropped when it is gone. Call its methods on its own thread
// (QMetaObject::invokeMethod).
class TransferWorker final : public QObject
{
    Q_DECLARE_TR_FUNCTIONS(repl::gui::TransferWorker)

public:
    explicit TransferWorker(client::ClientSettings settings)
        : m_settings(std::move(settings))
    {}

    void backup(const QString &database, const QString &folder, QPointer<QObject> ui,
                std::function<void(const ops::TransferProgress &)> progress,
                std::function<void(const QString &, const QString &)> done)
    {
        auto *job = new ops::BackupJob(ops(), database, folder, this);
        m_job = job;
        job->start(
            this,
            [ui, progress](const ops::TransferProgress &p) { post(ui, [=] { progress(p); }); },
            [this, job, ui, done](const ops::BackupSummary &s, const QString &error) {
                const QString summary =
                    error.isEmpty() ? TransferWorker::tr("Backed up %1: %n document(s) in %2 (%3).",
                                                         nullptr, int(s.documents))
                                          .arg(s.database, s.folder, ops::formatName(s.format))
                                    : QString();
                post(ui, [=] { done(summary, error); });
                finishJob(job);
            });
    }

    void preview(const QString &folder, const QString &target, QPointer<QObject> ui,
                 std::function<void(const ops::RestorePlan &, const QString &)> done)
    {
        auto *job = new ops::RestoreJob(ops(), folder, target, this);
        m_job = job;
        job->preview(this,
                     [this, job, ui, done](const ops::RestorePlan &plan, const QString &error) {
                         post(ui, [=] { done(plan, error); });
                         finishJob(job);
                     });
    }

    void restore(const QString &folder, const QString &target, const QString &confirm,
                 QPointer<QObject> ui, std::function<void(const ops::TransferProgress &)> progress,
                 std::function<void(const QString &, const QString &)> done)
    {
        auto *job = new ops::RestoreJob(ops(), folder, target, this);
        m_job = job;
        job->start(
            confirm, this,
            [ui, progress](const ops::TransferProgress &p) { post(ui, [=] { progress(p); }); },
            [this, job, ui, done](const ops::RestorePlan &plan, const QString &error) {
                const QString summary =
                    error.isEmpty()
                        ? TransferWorker::tr("Restored %1: %n document(s); %2 replaced.", nullptr,
                                             int(plan.restored))
                              .arg(plan.targetDatabase)
                              .arg(plan.dropped)
                        : QString();
                post(ui, [=] { done(summary, error); });
                finishJob(job);
            });
    }

    void cancel()
    {
        if (auto *b = qobject_cast<ops::BackupJob *>(m_job.data()))
            b->cancel();
        else if (auto *r = qobject_cast<ops::RestoreJob *>(m_job.data()))
            r->cancel();
    }

private:
    template<class F> static void post(const QPointer<QObject> &ui, F fn)
    {
        QMetaObject::invokeMethod(
            ui.data(),
            [ui, fn] {
                if (ui)
                    fn();
            },
            Qt::QueuedConnection);
    }
    ops::ServerOps &ops()
    {
        if (!m_ops)
            m_ops = new ops::ServerOps(m_settings, this); // probes on first use
        return *m_ops;
    }
    void finishJob(QObject *job)
    {
        if (m_job == job)
            m_job = nullptr;
        job->deleteLater();
    }

    client::ClientSettings m_settings;
    ops::ServerOps *m_ops = nullptr;
    QPointer<QObject> m_job;
};

} // namespace repl::gui
