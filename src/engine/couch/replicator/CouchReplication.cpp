#include "engine/couch/replicator/CouchReplication.h"

#include "client/Endpoint.h"
#include "core/DocumentJson.h"
#include "core/Selector.h"
#include "engine/couch/CouchService.h"
#include "engine/couch/replicator/CouchReplicationSupport.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QLocale>
#include <QLoggingCategory>
#include <QPointer>
#include <QUuid>

Q_LOGGING_CATEGORY(lcCouchRepl, "repldesk.couch.replicate", QtInfoMsg)

namespace repl {

using couchrepl::describeFailure;
using couchrepl::parseObject;

namespace {

bool transientStatus(int status)
{
    return status == 0 || status == 408 || status == 429 || status >= 500;
}

} // namespace

CouchReplication::CouchReplication(ReplicationSpec spec, std::unique_ptr<CouchPeer> source,
                                   std::unique_ptr<CouchPeer> target, QString serverUuid,
                                   QObject *parent)
    : QObject(parent)
    , m_spec(std::move(spec))
    , m_source(std::move(source))
    , m_target(std::move(target))
    , m_serverUuid(std::move(serverUuid))
{
    m_source->setParent(this);
    m_target->setParent(this);
    m_status.source = m_spec.source.describe();
    m_status.target = m_spec.target.describe();
    m_status.continuous = m_spec.continuous;
    m_status.checkpointIntervalMs = m_spec.checkpointIntervalMs;
    m_status.startedOn = QDateTime::currentDateTimeUtc();
    m_status.updatedOn = m_status.startedOn;
    m_idleTimer.setSingleShot(true);
    connect(&m_idleTimer, &QTimer::timeout, this, [this] {
        m_caughtUp = false;
        fetchChanges();
    });
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &CouchReplication::start);
    m_checkpointTimer.setSingleShot(true);
    connect(&m_checkpointTimer, &QTimer::timeout, this, [this] {
        if (m_stopped || !m_inFlight.isEmpty() || m_checkpointing)
            return; // the next completed batch checkpoints
        checkpoint([this] {
            processNext();
            fetchChanges();
        });
    });
}

CouchReplication::~CouchReplication()
{
    m_stopped = true;
    // The peers are children: abort their calls before they go, so no callback runs.
    if (m_source)
        m_source->abortAll();
    if (m_target)
        m_target->abortAll();
}

void CouchReplication::touch()
{
    m_status.updatedOn = QDateTime::currentDateTimeUtc();
    m_status.bulkGetDocs = m_bulkGetDocs;
    m_status.bulkGetAttempts = m_bulkGetAttempts;
    Q_EMIT statusChanged(m_status);
}

void CouchReplication::start()
{
    if (m_stopped)
        return;
    // A (re)start: verify, read the checkpoints and resume from them.
    ++m_generation;
    m_checkpointTimer.stop();
    m_idleTimer.stop();
    m_batches.clear();
    m_inFlight.clear();
    m_fetching = m_checkpointing = m_feedDone = m_caughtUp = m_finishing = false;
    m_status.state = QStringLiteral("initializing");
    if (m_status.history.isEmpty())
        m_status.addHistory(QStringLiteral("added"));
    m_status.addHistory(QStringLiteral("started"));
    touch();
    openPeer(false);
}

void CouchReplication::cancel()
{
    if (m_stopped)
        return;
    m_stopped = true;
    ++m_generation;
    m_idleTimer.stop();
    m_checkpointTimer.stop();
    m_retryTimer.stop();
    m_source->abortAll();
    m_target->abortAll();
    m_status.state = QStringLiteral("cancelled");
    m_status.addHistory(QStringLiteral("stopped"));
    touch();
    Q_EMIT finished(false,
                    {{QStringLiteral("error"), QStringLiteral("cancelled")},
                     {QStringLiteral("reason"), QStringLiteral("the replication was cancelled")}},
                    500);
}

void CouchReplication::sourceChanged()
{
    if (m_stopped || !m_caughtUp || !m_source->isLocal())
        return;
    if (m_fetching) {
        m_sourceDirty = true;
        return;
    }
    m_idleTimer.stop();
    m_caughtUp = false;
    fetchChanges();
}

void CouchReplication::call(CouchPeer &peer, const QByteArray &method, const QString &path,
                            const QUrlQuery &query, const PeerBody &body, Next next, int attempt,
                            int timeoutMs)
{
    if (m_stopped)
        return;
    QPointer<CouchPeer> target(&peer);
    // Answers to a run that was abandoned (restart after a failure, cancel) are dropped: a
    // late batch must never be written or checkpointed by the next run.
    const quint64 generation = m_generation;
    QElapsedTimer sent;
    sent.start();
    peer.request(
        method, path, query, body, this,
        [this, target, method, path, query, body, next = std::move(next), attempt, timeoutMs,
         generation, sent](const client::HttpResult &r) {
            if (m_stopped || !target || generation != m_generation)
                return;
            const qint64 waitNs = sent.nsecsElapsed();
            if (transientStatus(r.status) &&
                r.networkError != QNetworkReply::OperationCanceledError &&
                attempt < m_spec.retriesPerRequest) {
                const int delay = qMin(200 << attempt, 10000);
                qCDebug(lcCouchRepl) << m_status.id << method << path << "failed ("
                                     << describeFailure(r) << "), retry in" << delay << "ms";
                QTimer::singleShot(delay, this, [=, this] {
                    if (target && generation == m_generation)
                        call(*target, method, path, query, body, next, attempt + 1, timeoutMs);
                });
                return;
            }
            // Held apart from the job: `next` may finish it, and the manager may delete it.
            CouchRequestCounters *const counters = m_requestCounters;
            QElapsedTimer handling;
            handling.start();
            next(r);
            if (counters)
                counters->record(CouchRequestCounters::kindOf(method, path), waitNs / 1000,
                                 handling.nsecsElapsed() / 1000);
        },
        timeoutMs);
}

void CouchReplication::fail(const QString &error, const QString &reason, int httpStatus)
{
    if (m_stopped)
        return;
    qCWarning(lcCouchRepl).noquote() << "replication" << m_status.id << m_status.source << "->"
                                     << m_status.target << "failed:" << error << reason;
    m_status.errorName = error;
    m_status.error = QStringLiteral("%1: %2").arg(error, reason);
    if ((m_spec.continuous || m_persistent) && m_verified) {
        // Like CouchDB's scheduler: a continuous job (or any job of a _replicator document)
        // that crashes is retried with backoff.
        transientFailure(m_status.error);
        return;
    }
    m_stopped = true;
    m_idleTimer.stop();
    m_source->abortAll();
    m_target->abortAll();
    m_status.state = QStringLiteral("failed");
    touch();
    Q_EMIT finished(false, {{QStringLiteral("error"), error}, {QStringLiteral("reason"), reason}},
                    httpStatus);
}

void CouchReplication::transientFailure(const QString &reason)
{
    if (m_stopped)
        return;
    if ((!m_spec.continuous && !m_persistent) || !m_verified) {
        fail(QStringLiteral("worker_died"), reason, 500);
        return;
    }
    ++m_generation; // whatever is still in flight belongs to the abandoned run
    m_source->abortAll();
    m_target->abortAll();
    m_idleTimer.stop();
    m_checkpointTimer.stop();
    m_checkpointing = false;
    m_inFlight.clear();
    m_batches.clear();
    m_fetching = false;
    m_status.state = QStringLiteral("crashing");
    if (m_status.error.isEmpty() || !m_status.error.endsWith(reason))
        m_status.error = reason;
    const int delay = qMin(5000 << qMin(m_crashes, 6), 300000);
    ++m_crashes;
    ++m_status.errorCount;
    m_status.lastCrashedAt = QDateTime::currentDateTimeUtc();
    m_status.addHistory(QStringLiteral("crashed"), reason);
    touch();
    m_retryTimer.start(delay);
}

void CouchReplication::openPeer(bool isTarget)
{
    CouchPeer &peer = isTarget ? *m_target : *m_source;
    const PeerSpec &spec = isTarget ? m_spec.target : m_spec.source;
    auto check = [this, isTarget, &spec](const client::HttpResult &r) {
        const QJsonObject info = parseObject(r.body);
        if (r.status == 401 || r.status == 403) {
            fail(
                r.status == 401 ? QStringLiteral("unauthorized") : QStringLiteral("forbidden"),
                QStringLiteral("unauthorized to access or create database %1").arg(spec.describe()),
                r.status);
            return;
        }
        if (!r.ok() || !info.contains(QStringLiteral("update_seq")) ||
            !info.contains(QStringLiteral("instance_start_time"))) {
            QString reason = QStringLiteral("could not open %1").arg(spec.describe());
            if (!r.answered())
                reason += QStringLiteral(" (%1)").arg(describeFailure(r));
            fail(QStringLiteral("db_not_found"), reason, 404);
            return;
        }
        (isTarget ? m_targetStartTime : m_sourceStartTime) =
            info.value(QStringLiteral("instance_start_time")).toString();
        if (!isTarget) {
            m_status.sourceSeq = info.value(QStringLiteral("update_seq"));
            openPeer(true);
        } else {
            resolveFilter();
        }
    };
    if (isTarget && m_spec.createTarget) {
        call(peer, "PUT", QString(), {}, {},
             [this, &peer, &spec, check](const client::HttpResult &r) {
                 if (r.status == 401 || r.status == 403) {
                     fail(r.status == 401 ? QStringLiteral("unauthorized")
                                          : QStringLiteral("forbidden"),
                          QStringLiteral("unauthorized to access or create database %1")
                              .arg(spec.describe()),
                          r.status);
                     return;
                 }
                 call(peer, "GET", QString(), {}, {}, check);
             });
        return;
    }
    call(peer, "GET", QString(), {}, {}, check);
}

void CouchReplication::resolveFilter()
{
    if (m_spec.filter.isEmpty() || m_spec.filter.startsWith(u'_')) {
        computeId(QString());
        return;
    }
    const QStringList parts = m_spec.filter.split(u'/');
    call(*m_source, "GET", QStringLiteral("/_design/") + client::percentEncoded(parts[0]), {}, {},
         [this, parts](const client::HttpResult &r) {
             const QString code = parseObject(r.body)
                                      .value(QStringLiteral("filters"))
                                      .toObject()
                                      .value(parts[1])
                                      .toString();
             if (!r.ok() || code.isEmpty()) {
                 fail(QStringLiteral("not_found"),
                      QStringLiteral("could not find filter function `%1` in _design/%2 of %3")
                          .arg(parts[1], parts[0], m_spec.source.describe()),
                      404);
                 return;
             }
             computeId(code);
         });
}

void CouchReplication::computeId(const QString &filterCode)
{
    QJsonArray parts{m_serverUuid, m_spec.source.identity(), m_spec.target.identity()};
    if (!m_spec.docIds.isEmpty())
        parts.append(QJsonArray::fromStringList(m_spec.docIds));
    else if (!filterCode.isEmpty())
        parts.append(QJsonArray{filterCode, m_spec.queryParams});
    else if (!m_spec.filter.isEmpty())
        parts.append(QJsonArray{m_spec.filter, m_spec.queryParams});
    else if (m_spec.selector)
        parts.append(*m_spec.selector);
    if (m_spec.winningRevsOnly)
        parts.append(QStringLiteral("winning_revs_only"));
    m_status.baseId = QString::fromLatin1(
        QCryptographicHash::hash(QJsonDocument(parts).toJson(QJsonDocument::Compact),
                                 QCryptographicHash::Md5)
            .toHex());
    m_status.id = m_status.baseId +
                  (m_spec.continuous ? QStringLiteral("+continuous") : QString()) +
                  (m_spec.createTarget ? QStringLiteral("+create_target") : QString());
    if (!m_verified) {
        m_verified = true;
        Q_EMIT verified(m_status.id);
    }
    readLogs();
}

void CouchReplication::fetchChanges()
{
    if (m_stopped || m_fetching || m_feedDone ||
        m_batches.size() >= qMax(2, m_spec.workerProcesses))
        return;
    if (m_caughtUp && m_source->isLocal())
        return; // waits for sourceChanged() or the idle timer
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("style"), m_spec.winningRevsOnly ? QStringLiteral("main_only")
                                                                   : QStringLiteral("all_docs"));
    q.addQueryItem(QStringLiteral("since"), couchSeqText(m_fetchSeq));
    q.addQueryItem(QStringLiteral("limit"), QString::number(m_spec.batchSize));
    if (m_includeDocs)
        q.addQueryItem(QStringLiteral("include_docs"), QStringLiteral("true"));
    int timeoutMs = -1;
    const bool longpoll = m_caughtUp && m_spec.continuous;
    if (longpoll) {
        q.addQueryItem(QStringLiteral("feed"), QStringLiteral("longpoll"));
        q.addQueryItem(QStringLiteral("heartbeat"), QStringLiteral("10000"));
        q.addQueryItem(QStringLiteral("timeout"),
                       QString::number(qMax(1000, m_spec.connectionTimeoutMs / 3)));
        timeoutMs = m_spec.connectionTimeoutMs + 10000;
    }
    QByteArray method = "GET";
    QByteArray body;
    if (!m_spec.docIds.isEmpty()) {
        method = "POST";
        q.addQueryItem(QStringLiteral("filter"), QStringLiteral("_doc_ids"));
        body = QJsonDocument(QJsonObject{{QStringLiteral("doc_ids"),
                                          QJsonArray::fromStringList(m_spec.docIds)}})
                   .toJson(QJsonDocument::Compact);
    } else if (m_spec.selector) {
        method = "POST";
        q.addQueryItem(QStringLiteral("filter"), QStringLiteral("_selector"));
        body = QJsonDocument(QJsonObject{{QStringLiteral("selector"), *m_spec.selector}})
                   .toJson(QJsonDocument::Compact);
    } else if (!m_spec.filter.isEmpty()) {
        q.addQueryItem(QStringLiteral("filter"), m_spec.filter);
        for (auto it = m_spec.queryParams.begin(); it != m_spec.queryParams.end(); ++it)
            q.addQueryItem(it.key(),
                           it.value().isString() ? it.value().toString() : jsonText(it.value()));
    }
    m_fetching = true;
    m_sourceDirty = false;
    call(
        *m_source, method, QStringLiteral("/_changes"), q, body,
        [this, longpoll](const client::HttpResult &r) {
            m_fetching = false;
            if (!r.ok()) {
                if (longpoll && r.networkError == QNetworkReply::TimeoutError) {
                    fetchChanges(); // an idle long-poll that outlived its timeout: ask again
                    return;
                }
                const QString reason = QStringLiteral("_changes of %1 failed: %2")
                                           .arg(m_spec.source.describe(), describeFailure(r));
                if (r.status == 401 || r.status == 403 || r.status == 404 || r.status == 400)
                    fail(QStringLiteral("changes_reader_died"), reason,
                         r.status == 404 ? 404 : 500);
                else
                    transientFailure(reason);
                return;
            }
            // A remote source's next page is asked for before this one is parsed, so the
            // source serves it while this one is parsed and handled: its since is read from
            // the end of this answer. Not when `pending` says there is nothing more, nor for a
            // continuous job whose source does not say (an empty page each time it catches
            // up); without `pending`, a one-shot run asks for one empty page at its end.
            std::optional<QJsonValue> ahead;
            if (!longpoll && !m_source->isLocal()) {
                const auto tail = couchrepl::trailingLastSeq(r.body);
                if (tail && tail->pending != 0 && (tail->pending > 0 || !m_spec.continuous))
                    ahead = tail->lastSeq;
            }
            if (ahead) {
                m_fetchSeq = *ahead;
                fetchChanges();
            }
            std::optional<couchrepl::ChangesPage> page = couchrepl::parseChangesPage(r.body);
            if (!page) {
                transientFailure(QStringLiteral("_changes of %1 answered no results list")
                                     .arg(m_spec.source.describe()));
                return;
            }
            Batch b;
            b.page = std::move(page->bytes);
            b.rows = std::move(page->rows);
            b.lastSeq = page->lastSeq;
            if (b.lastSeq.isUndefined() || b.lastSeq.isNull())
                b.lastSeq =
                    b.rows.isEmpty() ? m_fetchSeq : couchrepl::jsonValueOf(b.rows.last().seq);
            if (ahead && !(*ahead == b.lastSeq)) {
                // Cannot happen with the shapes trailingLastSeq accepts; if it ever does, the
                // page asked for ahead had the wrong since: start again from the checkpoint.
                transientFailure(
                    QStringLiteral("_changes of %1: last_seq read ahead as %2, "
                                   "parsed as %3")
                        .arg(m_spec.source.describe(), jsonText(*ahead), jsonText(b.lastSeq)));
                return;
            }
            const QJsonValue pending = page->pending;
            if (pending.isDouble())
                m_status.changesPending = pending.toInteger();
            if (!ahead)
                m_fetchSeq = b.lastSeq;
            m_rowsSeen += b.rows.size();
            // A short page ends the feed, and so does `pending` 0 (no empty page to ask for).
            const bool end = b.rows.size() < m_spec.batchSize ||
                             (pending.isDouble() && pending.toInteger() == 0);
            if (!b.rows.isEmpty() || !(b.lastSeq == m_status.throughSeq))
                m_batches.enqueue(b);
            if (end) {
                if (!m_spec.continuous) {
                    m_feedDone = true;
                } else {
                    m_caughtUp = true;
                    if (m_source->isLocal()) {
                        if (m_sourceDirty) {
                            m_caughtUp = false;
                        } else {
                            m_idleTimer.start(5000);
                        }
                    }
                }
            } else {
                m_caughtUp = false;
            }
            processNext();
            fetchChanges();
        },
        0, timeoutMs);
}

void CouchReplication::processNext()
{
    if (m_stopped || m_checkpointing || m_inProcessNext)
        return;
    // Several batches at once, so one side's work overlaps the other's and the round trips
    // of one batch hide behind another's; a batch finishing synchronously (nothing to ask)
    // is counted by the loop, not by a nested call.
    m_inProcessNext = true;
    while (!m_stopped && m_inFlight.size() < m_spec.workerProcesses && !m_batches.isEmpty()) {
        Batch batch = m_batches.dequeue();
        batch.number = ++m_batchNumber;
        m_inFlight.append({batch.number, batch.lastSeq});
        startBatch(std::move(batch));
    }
    m_inProcessNext = false;
    if (m_stopped)
        return;
    fetchChanges(); // room in the queue again
    if (m_batches.isEmpty() && m_inFlight.isEmpty() && m_feedDone && !m_fetching)
        finishOneShot();
}

void CouchReplication::startBatch(Batch batch)
{
    qint64 asked = 0;
    for (const couchrepl::ChangeRow &row : batch.rows)
        asked += row.revs.size();
    m_status.missingChecked += asked;
    QByteArray revs = couchrepl::revsDiffRequest(batch.rows);
    if (revs.size() <= 2) {
        completeBatch(batch);
        return;
    }
    call(*m_target, "POST", QStringLiteral("/_revs_diff"), {}, std::move(revs),
         [this, batch](const client::HttpResult &r) {
             if (!r.ok()) {
                 transientFailure(QStringLiteral("_revs_diff on %1 failed: %2")
                                      .arg(m_spec.target.describe(), describeFailure(r)));
                 return;
             }
             std::optional<QList<couchrepl::MissingRevs>> missing =
                 couchrepl::parseRevsDiffAnswer(r.body);
             if (!missing) {
                 transientFailure(QStringLiteral("_revs_diff on %1 answered no object of "
                                                 "missing revisions")
                                      .arg(m_spec.target.describe()));
                 return;
             }
             if (missing->isEmpty()) {
                 if (batch.rows.size() >= 50)
                     m_includeDocs = false; // the target has these: bodies were wasted
                 completeBatch(batch);
                 return;
             }
             fetchMissing(batch, *missing);
         });
}

void CouchReplication::completeBatch(const Batch &batch)
{
    for (InFlight &f : m_inFlight)
        if (f.number == batch.number)
            f.done = true;
    // throughSeq moves over the batches done in feed order only: a checkpoint never claims a
    // batch before it that is still being written.
    bool advanced = false;
    while (!m_inFlight.isEmpty() && m_inFlight.first().done) {
        const QJsonValue seq = m_inFlight.takeFirst().lastSeq;
        advanced = true;
        m_status.throughSeq = seq;
        if (m_status.sourceSeq.isDouble() && seq.isDouble()) {
            m_status.changesPending =
                qMax<qint64>(0, m_status.sourceSeq.toInteger() - seq.toInteger());
            if (seq.toInteger() > m_status.sourceSeq.toInteger())
                m_status.sourceSeq = seq;
        }
    }
    if (m_batches.isEmpty() && m_inFlight.isEmpty() && m_caughtUp)
        m_status.changesPending = 0;
    touch();
    if (m_inProcessNext || m_checkpointing)
        return; // the loop starting batches, or the checkpoint's end, goes on from here
    const bool due =
        m_lastCheckpointAt.msecsTo(QDateTime::currentDateTimeUtc()) >= m_spec.checkpointIntervalMs;
    if (due && advanced) {
        checkpoint([this] { processNext(); });
        return;
    }
    if (m_spec.continuous && m_batches.isEmpty() && m_inFlight.isEmpty())
        m_checkpointTimer.start(
            int(qMax<qint64>(0, m_spec.checkpointIntervalMs -
                                    m_lastCheckpointAt.msecsTo(QDateTime::currentDateTimeUtc()))));
    processNext();
}

} // namespace repl
