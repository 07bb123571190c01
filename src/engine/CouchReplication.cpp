#include "engine/CouchReplication.h"

#include "core/Selector.h"
#include "engine/CouchService.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QLocale>
#include <QLoggingCategory>
#include <QPointer>
#include <QUuid>

Q_LOGGING_CATEGORY(lcCouchRepl, "repldesk.couch.replicate", QtInfoMsg)

namespace repl {

namespace {

constexpr int HistoryLimit = 50; // checkpoint history entries kept (CouchDB's)

QString seqText(const QJsonValue &seq)
{
    if (seq.isDouble())
        return QString::number(seq.toInteger());
    if (seq.isString())
        return seq.toString();
    return QString::fromUtf8(QJsonDocument(QJsonArray{seq}).toJson(QJsonDocument::Compact))
        .mid(1)
        .chopped(1);
}

QString rfc1123(const QDateTime &t)
{
    return QLocale::c().toString(t.toUTC(), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"));
}

QJsonObject parseObject(const QByteArray &body)
{
    return QJsonDocument::fromJson(body).object();
}

bool transientStatus(int status)
{
    return status == 0 || status == 408 || status == 429 || status >= 500;
}

// Attachments the changes feed only described (stubs): their data comes with _bulk_get.
bool hasAttachmentStubs(const QJsonObject &doc)
{
    const QJsonObject atts = doc.value(QStringLiteral("_attachments")).toObject();
    for (auto it = atts.begin(); it != atts.end(); ++it)
        if (it.value().toObject().value(QStringLiteral("stub")).toBool())
            return true;
    return false;
}

QString describeFailure(const client::HttpResult &r)
{
    if (!r.answered())
        return r.errorString.isEmpty() ? QStringLiteral("no answer") : r.errorString;
    const QJsonObject o = parseObject(r.body);
    QString text = QStringLiteral("HTTP %1").arg(r.status);
    if (o.contains(QStringLiteral("error")))
        text += QStringLiteral(" %1: %2").arg(o.value(QStringLiteral("error")).toString(),
                                              o.value(QStringLiteral("reason")).toString());
    return text;
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
        if (m_stopped || m_processing || m_checkpointing)
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
    m_fetching = m_processing = m_checkpointing = m_feedDone = m_caughtUp = false;
    m_status.state = QStringLiteral("initializing");
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
                            const QUrlQuery &query, const QByteArray &body, Next next, int attempt,
                            int timeoutMs)
{
    if (m_stopped)
        return;
    QPointer<CouchPeer> target(&peer);
    // Answers to a run that was abandoned (restart after a failure, cancel) are dropped: a
    // late batch must never be written or checkpointed by the next run.
    const quint64 generation = m_generation;
    peer.request(
        method, path, query, body, this,
        [this, target, method, path, query, body, next = std::move(next), attempt, timeoutMs,
         generation](const client::HttpResult &r) {
            if (m_stopped || !target || generation != m_generation)
                return;
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
            next(r);
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
    if (m_spec.continuous && m_verified) {
        // Like CouchDB's scheduler: a continuous job that crashes is retried with backoff.
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
    if (!m_spec.continuous || !m_verified) {
        fail(QStringLiteral("worker_died"), reason, 500);
        return;
    }
    ++m_generation; // whatever is still in flight belongs to the abandoned run
    m_source->abortAll();
    m_target->abortAll();
    m_idleTimer.stop();
    m_checkpointTimer.stop();
    m_checkpointing = false;
    m_processing = false;
    m_fetching = false;
    m_status.state = QStringLiteral("crashing");
    if (m_status.error.isEmpty() || !m_status.error.endsWith(reason))
        m_status.error = reason;
    const int delay = qMin(5000 << qMin(m_crashes, 6), 300000);
    ++m_crashes;
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
    call(*m_source, "GET",
         QStringLiteral("/_design/") + QString::fromUtf8(QUrl::toPercentEncoding(parts[0])), {}, {},
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

void CouchReplication::fetchChanges()
{
    if (m_stopped || m_fetching || m_feedDone || m_batches.size() >= 2)
        return;
    if (m_caughtUp && m_source->isLocal())
        return; // waits for sourceChanged() or the idle timer
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("style"), m_spec.winningRevsOnly ? QStringLiteral("main_only")
                                                                   : QStringLiteral("all_docs"));
    q.addQueryItem(QStringLiteral("since"), seqText(m_fetchSeq));
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
                           it.value().isString() ? it.value().toString() : seqText(it.value()));
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
            QJsonParseError err{};
            const QJsonObject o = QJsonDocument::fromJson(r.body, &err).object();
            if (err.error != QJsonParseError::NoError ||
                !o.value(QStringLiteral("results")).isArray()) {
                transientFailure(QStringLiteral("_changes of %1 answered no results list")
                                     .arg(m_spec.source.describe()));
                return;
            }
            Batch b;
            b.rows = o.value(QStringLiteral("results")).toArray();
            b.lastSeq = o.value(QStringLiteral("last_seq"));
            if (b.lastSeq.isUndefined() || b.lastSeq.isNull())
                b.lastSeq = b.rows.isEmpty()
                                ? m_fetchSeq
                                : b.rows.last().toObject().value(QStringLiteral("seq"));
            if (o.contains(QStringLiteral("pending")))
                m_status.changesPending = o.value(QStringLiteral("pending")).toInteger();
            m_fetchSeq = b.lastSeq;
            m_rowsSeen += b.rows.size();
            const bool end = b.rows.size() < m_spec.batchSize;
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
    if (m_stopped || m_processing || m_checkpointing)
        return;
    if (m_batches.isEmpty()) {
        if (m_feedDone && !m_fetching)
            finishOneShot();
        return;
    }
    m_processing = true;
    Batch batch = m_batches.dequeue();
    fetchChanges(); // room in the queue again
    QJsonObject revs;
    qint64 asked = 0;
    for (const QJsonValue &row : batch.rows) {
        const QJsonObject r = row.toObject();
        QJsonArray list;
        for (const QJsonValue &c : r.value(QStringLiteral("changes")).toArray())
            list.append(c.toObject().value(QStringLiteral("rev")));
        asked += list.size();
        const QString id = r.value(QStringLiteral("id")).toString();
        if (!id.isEmpty() && !list.isEmpty())
            revs.insert(id, list);
    }
    m_status.missingChecked += asked;
    if (revs.isEmpty()) {
        completeBatch(batch);
        return;
    }
    call(*m_target, "POST", QStringLiteral("/_revs_diff"), {},
         QJsonDocument(revs).toJson(QJsonDocument::Compact),
         [this, batch](const client::HttpResult &r) {
             if (!r.ok()) {
                 transientFailure(QStringLiteral("_revs_diff on %1 failed: %2")
                                      .arg(m_spec.target.describe(), describeFailure(r)));
                 return;
             }
             const QJsonObject missing = parseObject(r.body);
             if (missing.isEmpty()) {
                 if (batch.rows.size() >= 50)
                     m_includeDocs = false; // the target has these: bodies were wasted
                 completeBatch(batch);
                 return;
             }
             fetchMissing(batch, missing);
         });
}

void CouchReplication::fetchMissing(Batch batch, const QJsonObject &missing)
{
    // Generation-1 revisions that are a document's only missing one come cheapest from
    // _all_docs (their _revisions is just their own hash); the rest from _bulk_get.
    QStringList firstGen;
    QList<QPair<QString, QStringList>> rest;
    for (auto it = missing.begin(); it != missing.end(); ++it) {
        QStringList revs;
        for (const QJsonValue &v : it.value().toObject().value(QStringLiteral("missing")).toArray())
            revs.append(v.toString());
        m_status.missingFound += revs.size();
        if (revs.size() == 1 && revs.first().startsWith(QStringLiteral("1-")))
            firstGen.append(it.key());
        else
            rest.append({it.key(), revs});
    }
    auto docs = std::make_shared<QJsonArray>();
    auto wanted = std::make_shared<QHash<QString, QString>>();
    for (const QString &id : firstGen)
        wanted->insert(id, missing.value(id)
                               .toObject()
                               .value(QStringLiteral("missing"))
                               .toArray()
                               .first()
                               .toString());
    // The changes feed already carried the bodies (include_docs): a generation-1 winner that
    // is the missing revision needs no further request.
    if (m_includeDocs) {
        qint64 used = 0;
        for (const QJsonValue &row : batch.rows) {
            QJsonObject doc = row.toObject().value(QStringLiteral("doc")).toObject();
            const QString id = doc.value(QStringLiteral("_id")).toString();
            const QString rev = doc.value(QStringLiteral("_rev")).toString();
            if (doc.isEmpty() || doc.value(QStringLiteral("_deleted")).toBool() ||
                hasAttachmentStubs(doc) || !wanted->contains(id) || wanted->value(id) != rev)
                continue;
            doc.insert(QStringLiteral("_revisions"),
                       QJsonObject{{QStringLiteral("start"), 1},
                                   {QStringLiteral("ids"), QJsonArray{rev.mid(2)}}});
            docs->append(doc);
            wanted->remove(id);
            ++used;
        }
        // Mostly bodies the target already had or could not use: stop asking for them.
        if (batch.rows.size() >= 50 && used * 4 < batch.rows.size())
            m_includeDocs = false;
        firstGen = wanted->keys();
    }

    auto viaBulkGet = [this, docs, batch](QList<QPair<QString, QStringList>> list) {
        auto write = [this, docs, batch] {
            m_status.docsRead += docs->size();
            writeDocs(*docs, [this, batch] { completeBatch(batch); });
        };
        if (list.isEmpty()) {
            write();
            return;
        }
        if (!m_spec.useBulkGet || m_bulkGetBroken) {
            fetchOpenRevs(list, 0, docs, write);
            return;
        }
        QJsonArray req;
        for (const auto &[id, revs] : list)
            for (const QString &rev : revs)
                req.append(QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("rev"), rev}});
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("revs"), QStringLiteral("true"));
        q.addQueryItem(QStringLiteral("latest"), QStringLiteral("true"));
        q.addQueryItem(QStringLiteral("attachments"), QStringLiteral("true"));
        m_bulkGetAttempts += req.size();
        call(*m_source, "POST", QStringLiteral("/_bulk_get"), q,
             QJsonDocument(QJsonObject{{QStringLiteral("docs"), req}})
                 .toJson(QJsonDocument::Compact),
             [this, list, docs, write](const client::HttpResult &r) {
                 if (r.status == 400 || r.status == 404 || r.status == 405 || r.status == 501) {
                     m_bulkGetBroken = true; // an older server: per-document open_revs
                     fetchOpenRevs(list, 0, docs, write);
                     return;
                 }
                 if (!r.ok()) {
                     transientFailure(QStringLiteral("_bulk_get on %1 failed: %2")
                                          .arg(m_spec.source.describe(), describeFailure(r)));
                     return;
                 }
                 // What _bulk_get could not give is asked again one by one (open_revs);
                 // what is still missing then counts as a failure, never as written.
                 QList<QPair<QString, QStringList>> retry;
                 QSet<QString> answered;
                 for (const QJsonValue &res :
                      parseObject(r.body).value(QStringLiteral("results")).toArray()) {
                     const QString id = res.toObject().value(QStringLiteral("id")).toString();
                     bool gotAll = true;
                     for (const QJsonValue &d :
                          res.toObject().value(QStringLiteral("docs")).toArray()) {
                         const QJsonObject ok = d.toObject().value(QStringLiteral("ok")).toObject();
                         if (!ok.isEmpty()) {
                             docs->append(ok);
                             ++m_bulkGetDocs;
                         } else {
                             gotAll = false;
                         }
                     }
                     if (gotAll)
                         answered.insert(id);
                 }
                 for (const auto &entry : list)
                     if (!answered.contains(entry.first))
                         retry.append(entry);
                 if (retry.isEmpty())
                     write();
                 else
                     fetchOpenRevs(retry, 0, docs, write);
             });
    };
    if (firstGen.isEmpty()) {
        viaBulkGet(rest);
        return;
    }
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("include_docs"), QStringLiteral("true"));
    q.addQueryItem(QStringLiteral("conflicts"), QStringLiteral("true"));
    q.addQueryItem(QStringLiteral("attachments"), QStringLiteral("true"));
    call(*m_source, "POST", QStringLiteral("/_all_docs"), q,
         QJsonDocument(QJsonObject{{QStringLiteral("keys"), QJsonArray::fromStringList(firstGen)}})
             .toJson(QJsonDocument::Compact),
         [this, rest, docs, wanted, viaBulkGet](const client::HttpResult &r) mutable {
             if (!r.ok()) { // fall back to _bulk_get for all of them
                 for (auto it = wanted->begin(); it != wanted->end(); ++it)
                     rest.append({it.key(), {it.value()}});
                 viaBulkGet(rest);
                 return;
             }
             QSet<QString> got;
             for (const QJsonValue &row :
                  parseObject(r.body).value(QStringLiteral("rows")).toArray()) {
                 QJsonObject doc = row.toObject().value(QStringLiteral("doc")).toObject();
                 const QString id = doc.value(QStringLiteral("_id")).toString();
                 const QString rev = doc.value(QStringLiteral("_rev")).toString();
                 if (doc.isEmpty() || wanted->value(id) != rev || hasAttachmentStubs(doc))
                     continue;
                 doc.remove(QStringLiteral("_conflicts"));
                 doc.insert(QStringLiteral("_revisions"),
                            QJsonObject{{QStringLiteral("start"), 1},
                                        {QStringLiteral("ids"), QJsonArray{rev.mid(2)}}});
                 docs->append(doc);
                 got.insert(id);
             }
             for (auto it = wanted->begin(); it != wanted->end(); ++it)
                 if (!got.contains(it.key()))
                     rest.append({it.key(), {it.value()}});
             viaBulkGet(rest);
         });
}

void CouchReplication::fetchOpenRevs(const QList<QPair<QString, QStringList>> &wanted, int index,
                                     std::shared_ptr<QJsonArray> docs, std::function<void()> done)
{
    if (index >= wanted.size()) {
        done();
        return;
    }
    const auto &[id, revs] = wanted[index];
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("revs"), QStringLiteral("true"));
    q.addQueryItem(QStringLiteral("latest"), QStringLiteral("true"));
    q.addQueryItem(QStringLiteral("attachments"), QStringLiteral("true"));
    q.addQueryItem(
        QStringLiteral("open_revs"),
        QString::fromUtf8(QUrl::toPercentEncoding(QString::fromUtf8(
            QJsonDocument(QJsonArray::fromStringList(revs)).toJson(QJsonDocument::Compact)))));
    call(*m_source, "GET", u'/' + QString::fromUtf8(QUrl::toPercentEncoding(id)), q, {},
         [this, wanted, index, docs, done](const client::HttpResult &r) {
             if (!r.ok() && r.status != 404) {
                 transientFailure(QStringLiteral("open_revs on %1 failed: %2")
                                      .arg(m_spec.source.describe(), describeFailure(r)));
                 return;
             }
             const QJsonArray entries = QJsonDocument::fromJson(r.body).array();
             qint64 got = 0;
             for (const QJsonValue &e : entries) {
                 const QJsonObject ok = e.toObject().value(QStringLiteral("ok")).toObject();
                 if (!ok.isEmpty()) {
                     docs->append(ok);
                     ++got;
                 }
             }
             // A revision the source no longer has (compacted, purged) is a failure, counted.
             m_status.docWriteFailures += qMax<qint64>(0, wanted[index].second.size() - got);
             fetchOpenRevs(wanted, index + 1, docs, done);
         });
}

void CouchReplication::writeDocs(const QJsonArray &docs, std::function<void()> done)
{
    if (docs.isEmpty()) {
        done();
        return;
    }
    const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("docs"), docs},
                                                      {QStringLiteral("new_edits"), false}})
                                .toJson(QJsonDocument::Compact);
    const qint64 count = docs.size();
    call(*m_target, "POST", QStringLiteral("/_bulk_docs"), {}, body,
         [this, count, done](const client::HttpResult &r) {
             if (r.status == 401 || r.status == 403) {
                 fail(r.status == 401 ? QStringLiteral("unauthorized")
                                      : QStringLiteral("forbidden"),
                      QStringLiteral("_bulk_docs on %1 refused: %2")
                          .arg(m_spec.target.describe(), describeFailure(r)),
                      r.status);
                 return;
             }
             if (!r.ok() && r.status != 417) {
                 transientFailure(QStringLiteral("_bulk_docs on %1 failed: %2")
                                      .arg(m_spec.target.describe(), describeFailure(r)));
                 return;
             }
             qint64 failures = 0;
             for (const QJsonValue &e : QJsonDocument::fromJson(r.body).array())
                 if (e.toObject().contains(QStringLiteral("error")))
                     ++failures;
             m_status.docWriteFailures += failures;
             m_status.docsWritten += count - failures;
             done();
         });
}

void CouchReplication::completeBatch(const Batch &batch)
{
    m_processing = false;
    m_status.throughSeq = batch.lastSeq;
    if (m_status.sourceSeq.isDouble() && batch.lastSeq.isDouble())
        m_status.changesPending =
            qMax<qint64>(0, m_status.sourceSeq.toInteger() - batch.lastSeq.toInteger());
    if (batch.lastSeq.isDouble() && m_status.sourceSeq.isDouble() &&
        batch.lastSeq.toInteger() > m_status.sourceSeq.toInteger())
        m_status.sourceSeq = batch.lastSeq;
    if (m_batches.isEmpty() && m_caughtUp)
        m_status.changesPending = 0;
    touch();
    const bool due =
        m_lastCheckpointAt.msecsTo(QDateTime::currentDateTimeUtc()) >= m_spec.checkpointIntervalMs;
    if (due) {
        checkpoint([this] {
            processNext();
            fetchChanges();
        });
        return;
    }
    if (m_spec.continuous && m_batches.isEmpty())
        m_checkpointTimer.start(
            int(qMax<qint64>(0, m_spec.checkpointIntervalMs -
                                    m_lastCheckpointAt.msecsTo(QDateTime::currentDateTimeUtc()))));
    processNext();
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
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QJsonObject entry{{QStringLiteral("session_id"), m_sessionId},
                      {QStringLiteral("start_time"), rfc1123(m_sessionStart)},
                      {QStringLiteral("end_time"), rfc1123(now)},
                      {QStringLiteral("start_last_seq"), m_startSeq},
                      {QStringLiteral("end_last_seq"), m_status.throughSeq},
                      {QStringLiteral("recorded_seq"), m_status.throughSeq},
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
                    {QStringLiteral("source_last_seq"), m_status.throughSeq},
                    {QStringLiteral("replication_id_version"), 4},
                    {QStringLiteral("history"), history}};
    if (!m_spec.docIds.isEmpty()) {
        for (const char *k :
             {"start_time", "end_time", "docs_read", "docs_written", "doc_write_failures"})
            log.insert(QLatin1String(k), entry.value(QLatin1String(k)));
    }
    ensureFullCommit(false, [this, log, then] {
        ensureFullCommit(true, [this, log, then] {
            writeCheckpoint(false, log, [this, log, then] {
                writeCheckpoint(true, log, [this, log, then] {
                    m_sourceLog = log;
                    m_targetLog = log;
                    m_lastCheckpointed = m_status.throughSeq;
                    m_lastCheckpointAt = QDateTime::currentDateTimeUtc();
                    m_status.checkpointedSourceSeq = m_status.throughSeq;
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
    if (m_stopped || m_spec.continuous)
        return;
    m_feedDone = false; // finish once
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
