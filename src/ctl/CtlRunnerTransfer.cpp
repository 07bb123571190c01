// CtlRunner's transfers: backup, restore and restore points, with progress on stderr and
// Ctrl-C handling.
#include "ctl/CtlRunner.h"

#include "ops/Backup.h"
#include "ops/ByteSize.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace repl::ctl {

namespace {
// A size as --max-bytes takes it ("0 B" rather than the bare 0 that means "no limit").
QString bytesText(qint64 bytes)
{
    return bytes == 0 ? QStringLiteral("0 B") : ops::byteSizeText(bytes);
}
} // namespace

void CtlRunner::reportProgress(const QString &verb, const ops::TransferProgress &p, bool force)
{
    // A line per collection and at most one a second: stderr, so stdout stays the result.
    if (!force && p.collection == m_progressCollection && m_progressClock.isValid() &&
        m_progressClock.elapsed() < 1000)
        return;
    m_progressCollection = p.collection;
    m_progressClock.start();
    m_err << "repldeskctl: " << verb << " " << p.collection << ": " << p.done << "/" << p.total
          << " documents\n";
    m_err.flush();
}

void CtlRunner::interrupt()
{
    m_interrupted = true;
    if (auto *b = qobject_cast<ops::BackupJob *>(m_job.data())) {
        m_err << "repldeskctl: interrupted: cancelling the backup (no folder is left)\n";
        m_err.flush();
        return b->cancel(); // its done callback ends the tool
    }
    if (auto *r = qobject_cast<ops::RestoreJob *>(m_job.data())) {
        m_err << "repldeskctl: interrupted: the restore stops after the request in flight; "
                 "what was written stays (run it again)\n";
        m_err.flush();
        return r->cancel();
    }
    m_err << "repldeskctl: interrupted\n";
    m_err.flush();
    if (!m_finished) {
        m_finished = true;
        Q_EMIT finished(130);
    }
}

void CtlRunner::restorePoints()
{
    const QString sub = m_o.command.value(1);
    if (sub == u"retention")
        return restorePointRetention();
    if (sub == u"list")
        return m_ops->restorePoints(
            m_o.database, this, [this](const QJsonObject &o, const QString &e) {
                if (!e.isEmpty())
                    return fail(QStringLiteral("cannot list the restore points: %1").arg(e));
                if (m_o.json) {
                    printJson(o);
                    return done();
                }
                QList<QStringList> rows;
                for (const QJsonValue &p : o.value(QStringLiteral("restorePoints")).toArray()) {
                    QStringList collections;
                    for (const QJsonValue &c : p[QStringLiteral("collections")].toArray())
                        collections.append(QStringLiteral("%1 (%2)")
                                               .arg(c[QStringLiteral("name")].toString())
                                               .arg(c[QStringLiteral("count")].toInteger()));
                    rows.append({p[QStringLiteral("id")].toString(),
                                 p[QStringLiteral("time")].toString(),
                                 p[QStringLiteral("leader")].toString(),
                                 QString::number(p[QStringLiteral("bytes")].toInteger()),
                                 collections.join(QStringLiteral(", "))});
                }
                if (rows.isEmpty()) {
                    m_out << "no restore points in " << m_o.database << "\n";
                    return done();
                }
                printTable({QStringLiteral("ID"), QStringLiteral("TIME"), QStringLiteral("LEADER"),
                            QStringLiteral("BYTES"), QStringLiteral("COLLECTIONS (DOCUMENTS)")},
                           rows);
                done();
            });
    auto finished = [this, sub](const QJsonObject &o, const QString &e) {
        if (!e.isEmpty())
            return fail(QStringLiteral("cannot %1 restore point %2: %3").arg(sub, m_o.pointId, e));
        if (m_o.json) {
            printJson(o);
            return done();
        }
        m_out << (sub == u"restore" ? "restored " : "discarded ") << "restore point " << m_o.pointId
              << " of " << m_o.database << "\n";
        done();
    };
    if (sub == u"discard")
        return m_ops->discardRestorePoint(m_o.database, m_o.pointId, this, finished);
    // Guarded like a sync: the typed name must be the database's.
    if (m_o.confirm.value_or(QString()) != m_o.database)
        return fail(QStringLiteral("Not confirmed: a restore replaces collections of database "
                                   "'%1'; confirm with its exact name (got '%2').")
                        .arg(m_o.database, m_o.confirm.value_or(QString())));
    m_ops->restoreRestorePoint(m_o.database, m_o.pointId, this, finished);
}

void CtlRunner::printRetention(const ops::RestorePointRetention &r)
{
    m_out << "database   " << m_o.database << "\n"
          << "keep       " << r.keep << " (the newest restore points"
          << (r.keep == 0 ? "; none is kept" : "") << ")\n"
          << "max-bytes  "
          << (r.maxBytes == 0 ? QStringLiteral("0 (no size limit)")
                              : QStringLiteral("%1 (%2 bytes, all kept points together)")
                                    .arg(ops::byteSizeText(r.maxBytes))
                                    .arg(r.maxBytes))
          << "\n";
}

// Prints the retention, or sets what --keep / --max-bytes give and prints what the server
// kept after applying it.
void CtlRunner::restorePointRetention()
{
    if (!m_o.keep && !m_o.maxBytes)
        return m_ops->restorePointRetention(
            m_o.database, this, [this](const ops::RestorePointRetention &r, const QString &e) {
                if (!e.isEmpty())
                    return fail(QStringLiteral("cannot read the restore point retention of %1: %2")
                                    .arg(m_o.database, e));
                m_o.json ? printJson(r.toJson()) : printRetention(r);
                done();
            });
    m_ops->setRestorePointRetention(
        m_o.database, m_o.keep, m_o.maxBytes, this,
        [this](const ops::RestorePointRetention &r, const QString &e) {
            if (!e.isEmpty())
                return fail(QStringLiteral("cannot set the restore point retention of %1: %2")
                                .arg(m_o.database, e));
            if (m_o.json) {
                printJson(r.toJson());
                return done();
            }
            m_out << "retention set and applied\n";
            printRetention(r);
            // What is left after the server dropped the oldest beyond it.
            m_ops->restorePoints(
                m_o.database, this, [this](const QJsonObject &o, const QString &e2) {
                    if (!e2.isEmpty())
                        return fail(QStringLiteral("the retention is set, but the restore points "
                                                   "cannot be listed: %1")
                                        .arg(e2));
                    const QJsonArray points = o.value(QStringLiteral("restorePoints")).toArray();
                    m_out << "kept now   "
                          << (points.isEmpty() ? QStringLiteral("no restore points")
                                               : QStringLiteral("%1 restore point%2, %3 in all")
                                                     .arg(points.size())
                                                     .arg(points.size() == 1 ? "" : "s",
                                                          bytesText(ops::totalBytes(points))))
                          << "\n";
                    done();
                });
        });
}

void CtlRunner::backup()
{
    const ops::Dialect &d = m_ops->dialect();
    if (d.isCouchApi() && m_o.database == u"_system")
        return fail(QStringLiteral("%1 has no database _system: name the CouchDB database to back "
                                   "up with --database")
                        .arg(d.describe()));
    auto *job = new ops::BackupJob(*m_ops, m_o.database, m_o.folder, this);
    m_job = job;
    job->start(
        this,
        [this](const ops::TransferProgress &p) { reportProgress(QStringLiteral("backup"), p); },
        [this, job](const ops::BackupSummary &s, const QString &e) {
            job->deleteLater();
            if (!e.isEmpty())
                return fail(QStringLiteral("backup of %1 failed: %2").arg(m_o.database, e));
            if (m_o.json) {
                printJson(s.toJson());
                return done();
            }
            m_out << "backed up " << s.database << " (" << s.collections.size()
                  << (s.format == ops::BackupFormat::ArangoDump ? " collections, " : " database, ")
                  << s.documents
                  << (s.format == ops::BackupFormat::ArangoDump ? " documents" : " leaf revisions")
                  << ") into " << s.folder << " (" << ops::formatName(s.format) << ")\n";
            done();
        });
}

void CtlRunner::printPlan(const ops::RestorePlan &p)
{
    QList<QStringList> rows;
    for (const ops::RestorePlan::Entry &c : p.collections)
        rows.append({c.name,
                     c.exists ? QStringLiteral("drop-and-restore") : QStringLiteral("create"),
                     c.exists ? QString::number(c.existing) : QStringLiteral("-"),
                     QString::number(c.restored)});
    for (const QString &k : p.kept)
        rows.append({k, QStringLiteral("keep"), QStringLiteral("-"), QStringLiteral("-")});
    const bool couch = p.format == ops::BackupFormat::CouchJsonLines;
    printTable({couch ? QStringLiteral("DATABASE") : QStringLiteral("COLLECTION"),
                QStringLiteral("ACTION"), QStringLiteral("DROPPED"),
                couch ? QStringLiteral("REVISIONS") : QStringLiteral("RESTORED")},
               rows);
}

void CtlRunner::restore()
{
    const QString target = m_o.databaseGiven ? m_o.database : QString();
    auto *job = new ops::RestoreJob(*m_ops, m_o.folder, target, this);
    m_job = job;
    if (m_o.preview) {
        return job->preview(this, [this, job](const ops::RestorePlan &p, const QString &e) {
            job->deleteLater();
            if (!e.isEmpty())
                return fail(QStringLiteral("cannot preview the restore: %1").arg(e));
            if (m_o.json) {
                printJson(p.toJson());
                return done();
            }
            printPlan(p);
            m_out << "\n"
                  << (p.databaseExists ? "Database " : "Database (new) ") << p.targetDatabase
                  << ": " << p.dropped << " documents would be dropped and " << p.restored
                  << " restored from the backup of " << p.backupDatabase << ".\n"
                  << "Nothing was changed. Run again with --confirm " << p.targetDatabase
                  << " to restore.\n";
            done();
        });
    }
    job->start(
        *m_o.confirm, this,
        [this](const ops::TransferProgress &p) { reportProgress(QStringLiteral("restore"), p); },
        [this, job](const ops::RestorePlan &p, const QString &e) {
            job->deleteLater();
            if (!e.isEmpty())
                return fail(e.startsWith(u"Not confirmed")
                                ? e
                                : QStringLiteral("restore failed: %1\nWhat was written so far "
                                                 "stays; fix the cause and run the restore again.")
                                      .arg(e));
            if (m_o.json) {
                printJson(p.toJson());
                return done();
            }
            m_out << "restored " << p.restored << " documents into " << p.targetDatabase << " ("
                  << p.collections.size()
                  << (p.format == ops::BackupFormat::ArangoDump ? " collections" : " database")
                  << ", " << p.dropped << " documents dropped first)\n";
            done();
        });
}

} // namespace repl::ctl
