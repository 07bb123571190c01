// CouchReplication, part two: the replication logs (_local checkpoint documents) on both
// sides — reading and comparing them at the start, writing them only for what is written,
// and the one-shot answer built from them.
#include "engine/couch/replicator/CouchReplication.h"

#include "engine/couch/replicator/CouchReplicationSupport.h"

#include <QLocale>
#include <QSet>
#include <QUuid>

namespace repl {

using couchrepl::describeFailure;
using couchrepl::parseObject;

namespace {

constexpr int HistoryLimit = 50; // checkpoint history entries kept (CouchDB's)

QString rfc1123(const QDateTime &t)
{
    return QLocale::c().toString(t.toUTC(), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"));
}

} // namespace

void CouchReplication::readLogs()
{
    m_sessionId = QUuid::createUuid().toString(QUuid::Id128);
    m_sessionStart = QDateTime::currentDateTimeUtc();
    if (!m_spec.useCheckpoints) {
        m_sourceLog = m_targetLog = {};
        compareLogs();
        return;
    }
    const QString path = QStringLiteral("/_local/") + m_status.baseId;
    call(*m_source, "GET", path, {}, {}, [this, path](const client::HttpResult &r) {
        m_sourceLog = r.ok() ? parseObject(r.body) : QJsonObject();
        m_sourceLogRev = m_sourceLog.value(QStringLiteral("_rev")).toString();
        call(*m_target, "GET", path, {}, {}, [this](const client::HttpResult &t) {
            if (t.status == 401 || t.status == 403) {
                fail(QStringLiteral("unauthorized"),
                     QStringLiteral("cannot read checkpoints on %1").arg(m_spec.target.describe()),
                     t.status);
                return;
            }
            m_targetLog = t.ok() ? parseObject(t.body) : QJsonObject();
            m_targetLogRev = m_targetLog.value(QStringLiteral("_rev")).toString();
            compareLogs();
        });
    });
}

void CouchReplication::compareLogs()
{
    QJsonValue start = 0;
    const QString srcSession = m_sourceLog.value(QStringLiteral("session_id")).toString();
    if (!srcSession.isEmpty() &&
        srcSession == m_targetLog.value(QStringLiteral("session_id")).toString()) {
        start = m_sourceLog.value(QStringLiteral("source_last_seq"));
    } else {
        // Walk both histories for the newest session both sides recorded.
        const QJsonArray sh = m_sourceLog.value(QStringLiteral("history")).toArray();
        const QJsonArray th = m_targetLog.value(QStringLiteral("history")).toArray();
        auto sessions = [](const QJsonArray &h, qsizetype from) {
            QSet<QString> out;
            for (qsizetype i = from; i < h.size(); ++i)
                out.insert(h[i].toObject().value(QStringLiteral("session_id")).toString());
            return out;
        };
        for (qsizetype i = 0; i < qMin(sh.size(), th.size()); ++i) {
            const QJsonObject s = sh[i].toObject();
            const QJsonObject t = th[i].toObject();
            if (sessions(th, i).contains(s.value(QStringLiteral("session_id")).toString())) {
                start = s.value(QStringLiteral("recorded_seq"));
                break;
            }
            if (sessions(sh, i).contains(t.value(QStringLiteral("session_id")).toString())) {
                start = t.value(QStringLiteral("recorded_seq"));
                break;
            }
        }
    }
    if (start.isUndefined() || start.isNull())
        start = 0;
    if ((start == QJsonValue(0) || start == QJsonValue(QStringLiteral("0"))) &&
        !m_spec.sinceSeq.isNull())
        start = m_spec.sinceSeq;
    m_startSeq = start;
    m_fetchSeq = start;
    m_lastCheckpointed = start;
    m_lastCheckpointAt = QDateTime::currentDateTimeUtc();
    m_status.throughSeq = start;
    m_status.checkpointedSourceSeq = start;
    m_status.state = QStringLiteral("running");
    m_status.error.clear();
    touch();
    fetchChanges();
}

void CouchReplication::checkpoint(std::function<void()> then)
{
    if (!m_spec.useCheckpoints || m_status.throughSeq == m_lastCheckpointed) {
        m_lastCheckpointAt = QDateTime::currentDateTimeUtc();
        then();
        return;
    }
    m_checkpointing = true;
    // What this checkpoint records: batches still in flight may finish while it is written.
    const QJsonValue seq = m_status.throughSeq;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QJsonObject entry{{QStringLiteral("session_id"), m_sessionId},
                      {QStringLiteral("start_time"), rfc1123(m_sessionStart)},
                      {QStringLiteral("end_time"), rfc1123(now)},
                      {QStringLiteral("start_last_seq"), m_startSeq},
                      {QStringLiteral("end_last_seq"), seq},
                      {QStringLiteral("recorded_seq"), seq},
                      {QStringLiteral("missing_checked"), m_status.missingChecked},
                      {QStringLiteral("missing_found"), m_status.missingFound},
                      {QStringLiteral("docs_read"), m_status.docsRead},
                      {QStringLiteral("docs_written"), m_status.docsWritten},
                      {QStringLiteral("doc_write_failures"), m_status.docWriteFailures},
                      {QStringLiteral("bulk_get_attempts"), m_bulkGetAttempts},
                      {QStringLiteral("bulk_get_docs"), m_bulkGetDocs}};
    QJsonArray history{entry};
    for (const QJsonValue &h : m_sourceLog.value(QStringLiteral("history")).toArray()) {
        if (history.size() >= HistoryLimit)
            break;
        if (h.toObject().value(QStringLiteral("session_id")).toString() != m_sessionId)
            history.append(h);
    }
    QJsonObject log{{QStringLiteral("session_id"), m_sessionId},
                    {QStringLiteral("source_last_seq"), seq},
                    {QStringLiteral("replication_id_version"), 4},
                    {QStringLiteral("history"), history}};
    if (!m_spec.docIds.isEmpty()) {
        for (const char *k :
             {"start_time", "end_time", "docs_read", "docs_written", "doc_write_failures"})
            log.insert(QLatin1String(k), entry.value(QLatin1String(k)));
    }
    ensureFullCommit(false, [this, log, then, seq] {
        ensureFullCommit(true, [this, log, then, seq] {
            writeCheckpoint(false, log, [this, log, then, seq] {
                writeCheckpoint(true, log, [this, log, then, seq] {
                    m_sourceLog = log;
                    m_targetLog = log;
                    m_lastCheckpointed = seq;
                    m_lastCheckpointAt = QDateTime::currentDateTimeUtc();
                    m_status.checkpointedSourceSeq = seq;
                    m_checkpointing = false;
                    touch();
                    then();
                });
            });
        });
    });
}

void CouchReplication::ensureFullCommit(bool target, std::function<void()> then)
{
    // Both sides commit what they acknowledged, and a side that restarted since we opened it
    // (another instance_start_time; "0" means "never loses anything") voids the checkpoint.
    CouchPeer &peer = target ? *m_target : *m_source;
    call(peer, "POST", QStringLiteral("/_ensure_full_commit"), {}, {},
         [this, target, then](const client::HttpResult &r) {
             const QString now =
                 parseObject(r.body).value(QStringLiteral("instance_start_time")).toString();
             const QString &then0 = target ? m_targetStartTime : m_sourceStartTime;
             if (r.ok() && !now.isEmpty() && now != then0 && now != u"0" && then0 != u"0") {
                 m_checkpointing = false;
                 transientFailure(QStringLiteral("checkpoint_commit_failure: %1 restarted since "
                                                 "the replication began; starting again from "
                                                 "the last checkpoint")
                                      .arg((target ? m_spec.target : m_spec.source).describe()));
                 return;
             }
             then(); // answered or not (older servers lack it): go on
         });
}

void CouchReplication::writeCheckpoint(bool target, const QJsonObject &log,
                                       std::function<void()> then, bool retried)
{
    if (!target && m_sourceCheckpointsOff) {
        then();
        return;
    }
    CouchPeer &peer = target ? *m_target : *m_source;
    QString &rev = target ? m_targetLogRev : m_sourceLogRev;
    QJsonObject doc = log;
    if (!rev.isEmpty())
        doc.insert(QStringLiteral("_rev"), rev);
    const QString path = QStringLiteral("/_local/") + m_status.baseId;
    call(peer, "PUT", path, {}, QJsonDocument(doc).toJson(QJsonDocument::Compact),
         [this, target, log, then, retried, path, &peer, &rev](const client::HttpResult &r) {
             if (r.ok()) {
                 rev = parseObject(r.body).value(QStringLiteral("rev")).toString();
                 then();
                 return;
             }
             if (r.status == 409 && !retried) {
                 // Our rev is stale. If what is stored is what we meant to write (an earlier
                 // attempt got through), go on with its rev; otherwise the checkpoint fails
                 // and the run starts again from the logs (CouchDB's rule).
                 call(peer, "GET", path, {}, {},
                      [this, target, log, then, &rev](const client::HttpResult &g) {
                          QJsonObject stored = parseObject(g.body);
                          const QString storedRev = stored.value(QStringLiteral("_rev")).toString();
                          stored.remove(QStringLiteral("_rev"));
                          stored.remove(QStringLiteral("_id"));
                          if (g.ok() && stored == log) {
                              rev = storedRev;
                              then();
                              return;
                          }
                          m_checkpointing = false;
                          transientFailure(
                              QStringLiteral("checkpoint_commit_failure: the checkpoint on %1 was "
                                             "changed by someone else")
                                  .arg((target ? m_spec.target : m_spec.source).describe()));
                      });
                 return;
             }
             if (!target && r.answered() && r.status < 500) {
                 // A read-only source: go on without source checkpoints (as PouchDB does).
                 qCInfo(lcCouchRepl) << "source checkpoints disabled for" << m_status.id << ":"
                                     << describeFailure(r);
                 m_sourceCheckpointsOff = true;
                 then();
                 return;
             }
             m_checkpointing = false;
             transientFailure(
                 QStringLiteral("checkpoint_commit_failure: writing the checkpoint "
                                "on %1 failed: %2")
                     .arg((target ? m_spec.target : m_spec.source).describe(), describeFailure(r)));
         });
}

void CouchReplication::finishOneShot()
{
    if (m_stopped || m_spec.continuous || m_finishing)
        return;
    m_finishing = true; // finish once; the feed stays done (no _changes after its end)
    auto answer = [this] {
        if (m_stopped)
            return;
        m_stopped = true;
        m_status.state = QStringLiteral("completed");
        m_status.changesPending = 0;
        touch();
        QJsonObject result{{QStringLiteral("ok"), true}};
        const QJsonObject &log = m_sourceLog.isEmpty() ? m_targetLog : m_sourceLog;
        if (m_status.missingChecked == 0 && m_status.throughSeq == m_startSeq) {
            result.insert(QStringLiteral("no_changes"), true);
            for (const char *k :
                 {"session_id", "source_last_seq", "replication_id_version", "history"})
                if (log.contains(QLatin1String(k)))
                    result.insert(QLatin1String(k), log.value(QLatin1String(k)));
        } else {
            for (auto it = log.begin(); it != log.end(); ++it)
                if (it.key() != u"_rev" && it.key() != u"_id")
                    result.insert(it.key(), it.value());
            result.insert(QStringLiteral("session_id"), m_sessionId);
            result.insert(QStringLiteral("source_last_seq"), m_status.throughSeq);
            result.insert(QStringLiteral("replication_id_version"), 4);
            if (!m_spec.useCheckpoints) {
                result.insert(QStringLiteral("docs_read"), m_status.docsRead);
                result.insert(QStringLiteral("docs_written"), m_status.docsWritten);
                result.insert(QStringLiteral("doc_write_failures"), m_status.docWriteFailures);
            }
        }
        Q_EMIT finished(true, result, 200);
    };
    checkpoint(answer);
}

} // namespace repl
