#include "engine/couch/replicator/ReplicationSpec.h"

#include "core/Clock.h"

#include "core/Selector.h"
#include "engine/couch/CouchService.h"

#include <QJsonDocument>

namespace repl {

namespace {

bool boolField(const QJsonObject &o, const char *name, bool defaultValue)
{
    const QJsonValue v = o.value(QLatin1String(name));
    if (v.isUndefined() || v.isNull())
        return defaultValue;
    if (!v.isBool())
        throw CouchError::badRequest(
            QStringLiteral("parameter `%1` must be a boolean").arg(QLatin1String(name)));
    return v.toBool();
}

int intField(const QJsonObject &o, const char *name, int defaultValue, int minimum)
{
    const QJsonValue v = o.value(QLatin1String(name));
    if (v.isUndefined() || v.isNull())
        return defaultValue;
    if (!v.isDouble() || v.toDouble() != double(v.toInteger()) || v.toInteger() < minimum ||
        v.toInteger() > std::numeric_limits<int>::max())
        throw CouchError::badRequest(
            QStringLiteral("parameter `%1` must be an integer of at least %2")
                .arg(QLatin1String(name))
                .arg(minimum));
    return int(v.toInteger());
}

QString proxyField(const QJsonObject &o, const char *name)
{
    const QJsonValue v = o.value(QLatin1String(name));
    if (v.isUndefined() || v.isNull() || v.toString().isEmpty())
        return {};
    const QUrl u(v.toString());
    if (!v.isString() || !u.isValid() || u.host().isEmpty() ||
        (u.scheme() != u"http" && u.scheme() != u"https" && u.scheme() != u"socks5"))
        throw CouchError::badRequest(
            QStringLiteral("parameter `%1` must be an http, https or socks5 URL")
                .arg(QLatin1String(name)));
    return v.toString();
}

PeerSpec parseEndpoint(const QJsonValue &v, const char *field)
{
    const QString name = QLatin1String(field);
    PeerSpec p;
    QString url;
    if (v.isString()) {
        url = v.toString();
    } else if (v.isObject()) {
        const QJsonObject o = v.toObject();
        if (!o.value(QStringLiteral("url")).isString())
            throw CouchError::badRequest(
                QStringLiteral("`%1` object needs a `url` string").arg(name));
        url = o.value(QStringLiteral("url")).toString();
        const QJsonValue headers = o.value(QStringLiteral("headers"));
        if (!headers.isUndefined() && !headers.isObject())
            throw CouchError::badRequest(
                QStringLiteral("`%1.headers` must be an object").arg(name));
        const QJsonObject h = headers.toObject();
        for (auto it = h.begin(); it != h.end(); ++it) {
            if (!it.value().isString())
                throw CouchError::badRequest(
                    QStringLiteral("`%1.headers.%2` must be a string").arg(name, it.key()));
            p.headers.append({it.key().toUtf8(), it.value().toString().toUtf8()});
        }
        const QJsonObject basic =
            o.value(QStringLiteral("auth")).toObject().value(QStringLiteral("basic")).toObject();
        if (!basic.isEmpty()) {
            p.username = basic.value(QStringLiteral("username")).toString();
            p.password = basic.value(QStringLiteral("password")).toString();
        }
    } else {
        throw CouchError::badRequest(
            QStringLiteral("`%1` must be a database name, a URL or an object with "
                           "`url`")
                .arg(name));
    }
    if (!url.contains(QStringLiteral("://"))) {
        CouchService::checkDatabaseName(url); // a database of this server
        p.localName = url;
        return p;
    }
    QUrl u(url);
    if (!u.isValid() || u.host().isEmpty() || (u.scheme() != u"http" && u.scheme() != u"https"))
        throw CouchError::badRequest(
            QStringLiteral("`%1` has an invalid url: only http:// and https:// "
                           "database URLs (or a local database name) are accepted")
                .arg(name));
    if (u.path().isEmpty() || u.path() == u"/")
        throw CouchError::badRequest(
            QStringLiteral("`%1` URL must name a database (http://host:port/db)").arg(name));
    // Credentials move out of the URL into the Authorization header (and out of every log).
    if (!u.userName().isEmpty()) {
        p.username = u.userName(QUrl::FullyDecoded);
        p.password = u.password(QUrl::FullyDecoded);
    }
    u.setUserInfo(QString());
    QString path = u.path(QUrl::FullyEncoded);
    while (path.endsWith(u'/'))
        path.chop(1);
    u.setPath(path, QUrl::TolerantMode);
    p.url = u;
    return p;
}

} // namespace

ReplicationSpec ReplicationSpec::parse(const QJsonObject &body)
{
    ReplicationSpec s;
    s.request = body;
    s.cancel = boolField(body, "cancel", false);
    for (const char *idField : {"replication_id", "_local_id", "id"}) {
        const QJsonValue v = body.value(QLatin1String(idField));
        if (v.isString() && s.cancelId.isEmpty())
            s.cancelId = v.toString().replace(u' ', u'+');
    }
    if (s.cancel && !s.cancelId.isEmpty())
        return s; // cancel by id needs nothing else
    if (!body.contains(QStringLiteral("source")))
        throw CouchError::badRequest(QStringLiteral("`source` is required"));
    if (!body.contains(QStringLiteral("target")))
        throw CouchError::badRequest(QStringLiteral("`target` is required"));
    s.source = parseEndpoint(body.value(QStringLiteral("source")), "source");
    s.target = parseEndpoint(body.value(QStringLiteral("target")), "target");
    s.createTarget = boolField(body, "create_target", false);
    s.continuous = boolField(body, "continuous", false);
    s.useCheckpoints = boolField(body, "use_checkpoints", true);
    s.winningRevsOnly = boolField(body, "winning_revs_only", false);
    s.useBulkGet = boolField(body, "use_bulk_get", true);
    s.checkpointIntervalMs = intField(body, "checkpoint_interval", 30000, 100);
    s.batchSize = intField(body, "worker_batch_size", 500, 1);
    s.connectionTimeoutMs = intField(body, "connection_timeout", 30000, 1000);
    s.retriesPerRequest = intField(body, "retries_per_request", 5, 0);
    s.workerProcesses = qMin(intField(body, "worker_processes", 4, 1), 16);
    intField(body, "http_connections", 20, 1);

    const QJsonValue docIds = body.value(QStringLiteral("doc_ids"));
    const QJsonValue filter = body.value(QStringLiteral("filter"));
    const QJsonValue selector = body.value(QStringLiteral("selector"));
    const int given = int(!docIds.isUndefined() && !docIds.isNull()) +
                      int(!filter.isUndefined() && !filter.isNull()) +
                      int(!selector.isUndefined() && !selector.isNull());
    if (given > 1)
        throw CouchError::badRequest(
            QStringLiteral("`doc_ids`, `filter` and `selector` are mutually "
                           "exclusive"));
    if (!docIds.isUndefined() && !docIds.isNull()) {
        if (!docIds.isArray())
            throw CouchError::badRequest(QStringLiteral("`doc_ids` must be an array of strings"));
        QStringList ids;
        for (const QJsonValue &v : docIds.toArray()) {
            if (!v.isString() || v.toString().isEmpty())
                throw CouchError::badRequest(
                    QStringLiteral("`doc_ids` must be an array of strings"));
            ids.append(QUrl::fromPercentEncoding(v.toString().toUtf8()));
        }
        ids.sort();
        ids.removeDuplicates();
        s.docIds = ids;
    }
    if (!filter.isUndefined() && !filter.isNull()) {
        if (!filter.isString() || filter.toString().isEmpty())
            throw CouchError::badRequest(QStringLiteral("`filter` must be a string"));
        s.filter = filter.toString();
        if (!s.filter.startsWith(u'_') && s.filter.split(u'/').size() != 2)
            throw CouchError::badRequest(
                QStringLiteral("`filter` must be `ddoc/name` or a built-in filter "
                               "(_doc_ids, _selector, _design, _view)"));
    }
    const QJsonValue qp = body.value(QStringLiteral("query_params"));
    if (!qp.isUndefined() && !qp.isNull() && !qp.isObject())
        throw CouchError::badRequest(QStringLiteral("`query_params` must be an object"));
    s.queryParams = qp.toObject();
    if (s.filter == u"_view" && !s.queryParams.value(QStringLiteral("view")).isString())
        throw CouchError::badRequest(QStringLiteral("the _view filter needs `query_params.view` = "
                                                    "\"ddoc/view\""));
    if (!selector.isUndefined() && !selector.isNull()) {
        if (!selector.isObject())
            throw CouchError::badRequest(QStringLiteral("`selector` must be an object"));
        const QString problem = validateSelector(selector.toObject());
        if (!problem.isEmpty())
            throw CouchError::badRequest(QStringLiteral("`selector` is invalid: %1").arg(problem));
        s.selector = selector.toObject();
    }
    s.sinceSeq = body.value(QStringLiteral("since_seq"));
    if (s.sinceSeq.isUndefined())
        s.sinceSeq = QJsonValue(QJsonValue::Null);
    const QString proxy = proxyField(body, "proxy");
    const QString sourceProxy = proxyField(body, "source_proxy");
    const QString targetProxy = proxyField(body, "target_proxy");
    if (!proxy.isEmpty() && (!sourceProxy.isEmpty() || !targetProxy.isEmpty()))
        throw CouchError::badRequest(
            QStringLiteral("`proxy` is mutually exclusive with `source_proxy` and "
                           "`target_proxy`"));
    s.source.proxy = proxy.isEmpty() ? sourceProxy : proxy;
    s.target.proxy = proxy.isEmpty() ? targetProxy : proxy;
    return s;
}

QString ReplicationSpec::signature() const
{
    QJsonArray parts{source.identity(),
                     target.identity(),
                     QJsonArray::fromStringList(docIds),
                     filter,
                     queryParams,
                     selector.value_or(QJsonObject()),
                     continuous,
                     createTarget,
                     winningRevsOnly};
    return QString::fromUtf8(QJsonDocument(parts).toJson(QJsonDocument::Compact));
}

QJsonObject ReplicationStatus::toActiveTask() const
{
    QJsonObject o{{QStringLiteral("type"), QStringLiteral("replication")},
                  {QStringLiteral("replication_id"), id},
                  {QStringLiteral("doc_id"),
                   docId.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(docId)},
                  {QStringLiteral("node"), schedulerNode()},
                  {QStringLiteral("pid"), QStringLiteral("<0.%1.0>").arg(qHash(id) % 100000)},
                  {QStringLiteral("source"), source},
                  {QStringLiteral("target"), target},
                  {QStringLiteral("continuous"), continuous},
                  {QStringLiteral("docs_read"), docsRead},
                  {QStringLiteral("docs_written"), docsWritten},
                  {QStringLiteral("doc_write_failures"), docWriteFailures},
                  {QStringLiteral("revisions_checked"), missingChecked},
                  {QStringLiteral("missing_revisions_found"), missingFound},
                  {QStringLiteral("checkpointed_source_seq"), checkpointedSourceSeq},
                  {QStringLiteral("source_seq"), sourceSeq},
                  {QStringLiteral("through_seq"), throughSeq},
                  {QStringLiteral("checkpoint_interval"), checkpointIntervalMs},
                  {QStringLiteral("started_on"), startedOn.toSecsSinceEpoch()},
                  {QStringLiteral("updated_on"), updatedOn.toSecsSinceEpoch()},
                  {QStringLiteral("state"), state}};
    o.insert(QStringLiteral("changes_pending"),
             changesPending >= 0 ? QJsonValue(changesPending) : QJsonValue(QJsonValue::Null));
    if (!error.isEmpty())
        o.insert(QStringLiteral("last_error"), error);
    return o;
}

void ReplicationStatus::addHistory(const QString &type, const QString &reason)
{
    QJsonObject event{{QStringLiteral("timestamp"), isoNow()}, {QStringLiteral("type"), type}};
    if (!reason.isEmpty())
        event.insert(QStringLiteral("reason"), reason);
    history.prepend(event);
    while (history.size() > 20)
        history.removeLast();
}

QJsonObject ReplicationStatus::stats() const
{
    return {{QStringLiteral("revisions_checked"), missingChecked},
            {QStringLiteral("missing_revisions_found"), missingFound},
            {QStringLiteral("docs_read"), docsRead},
            {QStringLiteral("docs_written"), docsWritten},
            {QStringLiteral("changes_pending"),
             changesPending >= 0 ? QJsonValue(changesPending) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("doc_write_failures"), docWriteFailures},
            {QStringLiteral("bulk_get_docs"), bulkGetDocs},
            {QStringLiteral("bulk_get_attempts"), bulkGetAttempts},
            {QStringLiteral("checkpointed_source_seq"), checkpointedSourceSeq},
            {QStringLiteral("source_seq"), sourceSeq},
            {QStringLiteral("through_seq"), throughSeq}};
}

QString schedulerEndpoint(const QString &described)
{
    if (!described.contains(QStringLiteral("://")) || described.endsWith(u'/'))
        return described;
    return described + u'/';
}

QString schedulerNode()
{
    return QStringLiteral("repldesk@localhost");
}

QJsonObject ReplicationStatus::toSchedulerJob() const
{
    const bool active = state != u"crashing" && state != u"failed" && state != u"cancelled";
    return {{QStringLiteral("database"),
             docId.isEmpty() ? QJsonValue(QJsonValue::Null) : QStringLiteral("_replicator")},
            {QStringLiteral("id"), id},
            {QStringLiteral("pid"),
             active ? QJsonValue(QStringLiteral("<0.%1.0>").arg(qHash(id) % 100000))
                    : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("source"), schedulerEndpoint(source)},
            {QStringLiteral("target"), schedulerEndpoint(target)},
            {QStringLiteral("user"), QJsonValue(QJsonValue::Null)},
            {QStringLiteral("doc_id"), docId.isEmpty() ? QJsonValue(QJsonValue::Null) : docId},
            {QStringLiteral("info"), active ? QJsonValue(stats()) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("history"), history},
            {QStringLiteral("node"), schedulerNode()},
            {QStringLiteral("start_time"), isoTime(startedOn)}};
}

} // namespace repl
