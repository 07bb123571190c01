#include "engine/couch/replicator/ReplicatorDb.h"

#include "core/Clock.h"
#include "engine/Engine.h"
#include "engine/SchemaService.h"
#include "engine/WriteTxn.h"
#include "engine/couch/CouchService.h"
#include "engine/couch/replicator/CouchReplication.h"
#include "engine/couch/replicator/ReplicationManager.h"

#include <QJsonDocument>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcReplicatorDb, "repldesk.couch.replicator", QtInfoMsg)

namespace repl {

namespace {

// Members the replicator writes itself: a change to them alone is not an edit by the user.
bool isReplicatorMember(const QString &key)
{
    return key.startsWith(QStringLiteral("_replication_")) || key == u"_id" || key == u"_rev" ||
           key == u"owner";
}

QByteArray userPart(const QJsonObject &doc)
{
    QJsonObject user;
    for (auto it = doc.begin(); it != doc.end(); ++it)
        if (!isReplicatorMember(it.key()))
            user.insert(it.key(), it.value());
    return QJsonDocument(user).toJson(QJsonDocument::Compact); // keys come sorted
}

QJsonValue isoOrNull(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(isoTime(t)) : QJsonValue(QJsonValue::Null);
}

// What a scheduler answer shows of an endpoint field of the document (never credentials).
QString shownEndpoint(const QJsonValue &v)
{
    QUrl u(v.isObject() ? v[QStringLiteral("url")].toString() : v.toString());
    if (!u.isValid() || u.scheme().isEmpty())
        return v.isString() ? v.toString() : QString();
    u.setUserInfo(QString());
    return schedulerEndpoint(u.toString());
}

} // namespace

ReplicatorDb::ReplicatorDb(ReplicationManager &manager, Engine &engine, QObject *parent)
    : QObject(parent)
    , m_manager(manager)
    , m_engine(engine)
{
    m_scanTimer.setSingleShot(true);
    m_scanTimer.setInterval(20); // a burst of commits is read once
    connect(&m_scanTimer, &QTimer::timeout, this, &ReplicatorDb::scan);
    connect(&m_engine, &Engine::committed, this, [this](Tick, const QList<qint64> &collections) {
        if (m_running && (m_cid == 0 || collections.contains(m_cid) || collections.contains(0)))
            scheduleScan();
    });
}

ReplicatorDb::~ReplicatorDb() = default;

void ReplicatorDb::start()
{
    m_running = true;
    m_engine.writeThen(
        [](WriteTxn &t) {
            const DatabaseInfo *sys = t.catalog().database(QStringLiteral("_system"));
            if (sys && !t.catalog().collection(sys->id, Name))
                SchemaService::createCollection(t, sys->id, Name, 2, false);
        },
        this,
        [this](std::exception_ptr error) {
            if (error)
                qCWarning(lcReplicatorDb) << "cannot create the _replicator database";
            scheduleScan();
        });
}

void ReplicatorDb::stop()
{
    m_running = false;
    m_scanTimer.stop();
    for (DocState &d : m_docs)
        stopJob(d);
}

void ReplicatorDb::scheduleScan()
{
    if (!m_running)
        return;
    if (m_scanning) {
        m_rescan = true;
        return;
    }
    if (!m_scanTimer.isActive())
        m_scanTimer.start();
}

void ReplicatorDb::scan()
{
    if (!m_running)
        return;
    m_scanning = true;
    QPointer<ReplicatorDb> self(this);
    // Read on the manager's read-only workers (no SQLite on this thread), apply here.
    m_manager.submitRead([this, self](storage::Connection &reader) {
        QList<QJsonObject> docs;
        qint64 cid = 0;
        try {
            const auto catalog = m_engine.catalog();
            const CollectionInfo &c = CouchService::requireDatabase(*catalog, Name);
            cid = c.cid;
            CouchService::AllDocsQuery q;
            q.includeDocs = true;
            const QJsonArray rows = QJsonDocument::fromJson(CouchService::allDocs(reader, c, q))
                                        .object()
                                        .value(QStringLiteral("rows"))
                                        .toArray();
            for (const QJsonValue &row : rows)
                if (row[QStringLiteral("doc")].isObject())
                    docs.append(row[QStringLiteral("doc")].toObject());
        } catch (const std::exception &e) {
            qCDebug(lcReplicatorDb) << "cannot read _replicator:" << e.what();
        }
        QMetaObject::invokeMethod(self.data(), [self, docs, cid] {
            if (!self)
                return;
            self->m_cid = cid;
            self->m_scanning = false;
            if (self->m_running)
                self->apply(docs);
            if (self->m_rescan) {
                self->m_rescan = false;
                self->scheduleScan();
            }
        });
    });
}

void ReplicatorDb::apply(const QList<QJsonObject> &docs)
{
    QSet<QString> seen;
    for (const QJsonObject &doc : docs) {
        const QString id = doc.value(QStringLiteral("_id")).toString();
        if (id.isEmpty() || id.startsWith(CouchService::DesignPrefix))
            continue;
        seen.insert(id);
        const QByteArray user = userPart(doc);
        auto it = m_docs.find(id);
        if (it != m_docs.end() && it->userPart == user) {
            it->doc = doc; // our own state write, or nothing that matters
            continue;
        }
        if (it != m_docs.end())
            stopJob(*it); // edited: the old job goes, a new one starts
        DocState &d = m_docs[id];
        d = DocState{};
        d.doc = doc;
        d.userPart = user;
        d.source = shownEndpoint(doc.value(QStringLiteral("source")));
        d.target = shownEndpoint(doc.value(QStringLiteral("target")));
        const QString recorded = doc.value(QStringLiteral("_replication_state")).toString();
        if (recorded == u"completed" || recorded == u"failed") {
            // Done before (or before a restart): CouchDB does not run it again.
            d.state = recorded;
            d.info = recorded == u"failed"
                         ? QJsonObject{{QStringLiteral("error"),
                                        doc.value(QStringLiteral("_replication_state_reason"))}}
                         : doc.value(QStringLiteral("_replication_stats")).toObject();
            d.lastUpdated = QDateTime::fromString(
                doc.value(QStringLiteral("_replication_state_time")).toString(), Qt::ISODate);
            publish(id);
            continue;
        }
        startJob(id, d);
    }
    for (auto it = m_docs.begin(); it != m_docs.end();) {
        if (seen.contains(it.key())) {
            ++it;
            continue;
        }
        // Deleted: its job is cancelled.
        stopJob(*it);
        {
            QMutexLocker lock(&m_mutex);
            m_published.remove(it.key());
        }
        it = m_docs.erase(it);
    }
}

namespace {

// The replication a document asks for; CouchError 400 naming what is wrong.
ReplicationSpec specOf(QJsonObject body)
{
    for (const QString &k : body.keys())
        if (isReplicatorMember(k))
            body.remove(k);
    ReplicationSpec spec = ReplicationSpec::parse(body);
    if (spec.cancel)
        throw CouchError::badRequest(
            QStringLiteral("`cancel` has no meaning in a _replicator document: delete the "
                           "document to cancel its replication"));
    if (spec.source.isLocal() || spec.target.isLocal())
        throw CouchError::badRequest(QStringLiteral("local_endpoints_not_supported"));
    return spec;
}

} // namespace

void ReplicatorDb::validate(const QJsonObject &body)
{
    try {
        specOf(body);
    } catch (const Error &e) {
        throw CouchError(403, QStringLiteral("forbidden"), e.message());
    }
}

void ReplicatorDb::startJob(const QString &docId, DocState &d)
{
    d.startTime = d.lastUpdated = QDateTime::currentDateTimeUtc();
    try {
        const ReplicationSpec spec = specOf(d.doc);
        d.state = QStringLiteral("initializing");
        d.job = m_manager.startDocumentJob(docId, spec);
        const QString id = docId;
        connect(d.job, &CouchReplication::statusChanged, this,
                [this, id](const ReplicationStatus &s) { onStatus(id, s); });
        connect(d.job, &CouchReplication::finished, this,
                [this, id, job = d.job](bool ok, const QJsonObject &result, int) {
                    const auto it = m_docs.find(id);
                    if (it != m_docs.end() && it->job == job)
                        onFinished(id, ok, result);
                });
        d.job->start();
    } catch (const Error &e) {
        // A document that cannot run: failed, said in the document, not retried.
        d.state = QStringLiteral("failed");
        d.info = {{QStringLiteral("error"), e.message()}};
        writeState(docId, {{QStringLiteral("_replication_state"), QStringLiteral("failed")},
                           {QStringLiteral("_replication_state_time"), isoNow()},
                           {QStringLiteral("_replication_state_reason"), e.message()}});
    }
    publish(docId);
}

void ReplicatorDb::stopJob(DocState &d)
{
    if (CouchReplication *job = d.job.data()) {
        d.job = nullptr;
        m_manager.cancelDocumentJob(job);
    }
}

void ReplicatorDb::onStatus(const QString &docId, const ReplicationStatus &s)
{
    const auto it = m_docs.find(docId);
    if (it == m_docs.end() || it->job.data() != sender())
        return;
    DocState &d = *it;
    d.jobId = s.id;
    d.errorCount = s.errorCount;
    d.lastUpdated = QDateTime::currentDateTimeUtc();
    if (s.state == u"crashing") {
        d.state = QStringLiteral("crashing");
        d.info = {{QStringLiteral("error"), s.error}};
    } else if (s.state == u"running" || s.state == u"initializing" || s.state == u"pending") {
        d.state = s.state;
        d.info = s.stats();
    }
    if (!s.source.isEmpty())
        d.source = schedulerEndpoint(s.source);
    if (!s.target.isEmpty())
        d.target = schedulerEndpoint(s.target);
    publish(docId);
}

void ReplicatorDb::onFinished(const QString &docId, bool ok, const QJsonObject &result)
{
    DocState &d = m_docs[docId];
    const ReplicationStatus s = d.job ? d.job->status() : ReplicationStatus{};
    d.job = nullptr;
    d.lastUpdated = QDateTime::currentDateTimeUtc();
    if (ok) {
        d.state = QStringLiteral("completed");
        d.info = s.stats();
        d.info.remove(QStringLiteral("source_seq"));
        d.info.remove(QStringLiteral("through_seq"));
        writeState(docId, {{QStringLiteral("_replication_state"), QStringLiteral("completed")},
                           {QStringLiteral("_replication_state_time"), isoNow()},
                           {QStringLiteral("_replication_stats"), d.info}});
    } else {
        const QString reason = result.value(QStringLiteral("reason")).toString();
        d.state = QStringLiteral("failed");
        d.info = {{QStringLiteral("error"), reason}};
        writeState(docId, {{QStringLiteral("_replication_state"), QStringLiteral("failed")},
                           {QStringLiteral("_replication_state_time"), isoNow()},
                           {QStringLiteral("_replication_state_reason"), reason}});
    }
    publish(docId);
}

void ReplicatorDb::writeState(const QString &docId, const QJsonObject &members)
{
    QJsonObject doc = m_docs.value(docId).doc;
    for (auto it = members.begin(); it != members.end(); ++it)
        doc.insert(it.key(), it.value());
    m_engine.writeThen(
        [doc, docId](WriteTxn &t) {
            const CollectionInfo &c = CouchService::requireDatabase(t.catalog(), Name);
            CouchService::putDocument(t, c, docId, doc, true);
        },
        this,
        [docId](std::exception_ptr error) {
            if (!error)
                return;
            try {
                std::rethrow_exception(error);
            } catch (const std::exception &e) {
                // Most often a conflict: the document was edited meanwhile, and that edit
                // is read next.
                qCDebug(lcReplicatorDb) << "state of" << docId << "not written:" << e.what();
            }
        });
}

void ReplicatorDb::publish(const QString &docId)
{
    const DocState d = m_docs.value(docId);
    QJsonObject o{
        {QStringLiteral("database"), Name},
        {QStringLiteral("doc_id"), docId},
        {QStringLiteral("id"), d.jobId.isEmpty() || d.state == u"completed" || d.state == u"failed"
                                   ? QJsonValue(QJsonValue::Null)
                                   : QJsonValue(d.jobId)},
        {QStringLiteral("node"), schedulerNode()},
        {QStringLiteral("source"), d.source},
        {QStringLiteral("target"), d.target},
        {QStringLiteral("state"), d.state},
        {QStringLiteral("info"), d.info.isEmpty() && d.state == u"initializing"
                                     ? QJsonValue(QJsonValue::Null)
                                     : QJsonValue(d.info)},
        {QStringLiteral("error_count"), d.errorCount},
        {QStringLiteral("last_updated"), isoOrNull(d.lastUpdated)},
        {QStringLiteral("start_time"), isoOrNull(d.startTime)},
        {QStringLiteral("source_proxy"), QJsonValue(QJsonValue::Null)},
        {QStringLiteral("target_proxy"), QJsonValue(QJsonValue::Null)}};
    QMutexLocker lock(&m_mutex);
    m_published.insert(docId, o);
}

QJsonArray ReplicatorDb::docs() const
{
    QMutexLocker lock(&m_mutex);
    QStringList ids = m_published.keys();
    ids.sort();
    QJsonArray out;
    for (const QString &id : std::as_const(ids))
        out.append(m_published.value(id));
    return out;
}

QJsonObject ReplicatorDb::doc(const QString &docId, bool *found) const
{
    QMutexLocker lock(&m_mutex);
    *found = m_published.contains(docId);
    return m_published.value(docId);
}

} // namespace repl
