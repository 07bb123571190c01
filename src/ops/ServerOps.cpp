#include "ops/ServerOps.h"

#include "client/Endpoint.h"
#include "client/ServerProbe.h"
#include "ops/ByteSize.h"
#include "ops/OpsSupport.h"
#include "ops/Parse.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>

#include <memory>
#include <vector>

namespace repl::ops {

using detail::compact;
using detail::objectOf;
using detail::tr;

QString describeFailure(const client::HttpResult &r)
{
    // Spelled out so that lupdate files these under the context they are looked up in.
    if (!r.answered())
        return r.errorString.isEmpty()
                   ? QCoreApplication::translate("repl::ops::ServerOps", "no answer")
                   : r.errorString;
    if (r.status == 401 || r.status == 403)
        return QCoreApplication::translate(
                   "repl::ops::ServerOps",
                   "authentication failed (HTTP %1): check user and password")
            .arg(r.status);
    const QString m = r.serverMessage();
    return m.isEmpty()
               ? QCoreApplication::translate("repl::ops::ServerOps", "HTTP %1").arg(r.status)
               : QCoreApplication::translate("repl::ops::ServerOps", "HTTP %1: %2")
                     .arg(r.status)
                     .arg(m);
}

ServerOps::ServerOps(client::ClientSettings settings, QObject *parent)
    : QObject(parent)
{
    settings.database.clear(); // paths name their database (dbPath)
    m_client = new client::ReplicationClient(std::move(settings), this);
}

QString ServerOps::dbPath(const QString &database, const QString &apiPath)
{
    if (database.isEmpty() || database == u"_system")
        return apiPath;
    return QStringLiteral("/_db/") + client::percentEncoded(database) + apiPath;
}

bool ServerOps::needsProbe(QObject *context, std::function<void()> again, const DoneVoid &failed)
{
    if (m_dialect.isKnown())
        return false;
    probe(context, [again, failed](const Dialect &d, const client::HttpResult &failure) {
        if (!d.isKnown())
            return failed(tr("cannot identify the server: %1").arg(describeFailure(failure)));
        again();
    });
    return true;
}

void ServerOps::jsonCall(Feature feature, const QByteArray &method, const QString &path,
                         const QUrlQuery &query, const QByteArray &body, QObject *context,
                         Done<QJsonObject> done)
{
    const auto fail = [done](const QString &e) { done({}, e); };
    if (needsProbe(
            context, [=, this] { jsonCall(feature, method, path, query, body, context, done); },
            fail))
        return;
    if (refuse(feature, fail))
        return;
    m_client->request(method, path, query, body, context, [done](const client::HttpResult &r) {
        r.ok() ? done(objectOf(r.body), {}) : done({}, describeFailure(r));
    });
}

bool ServerOps::refuse(Feature f, const DoneVoid &done) const
{
    const QString why = m_dialect.missing(f);
    if (why.isEmpty())
        return false;
    done(why);
    return true;
}

void ServerOps::probe(QObject *context,
                      std::function<void(const Dialect &, const client::HttpResult &)> done)
{
    QPointer<ServerOps> self(this);
    const auto identified = [self, done](const client::ServerProbe &p) {
        if (!self)
            return;
        const Dialect d = Dialect::fromProbe(p);
        if (d.isKnown())
            self->m_dialect = d;
        done(d, p.failure);
    };
    if (!m_dialect.isCouchApi())
        return client::probeServer(*m_client, context, identified);
    // Known to be CouchDB: its welcome alone says it is (still) there, one request, not two.
    m_client->get(QStringLiteral("/"), {}, context, [identified](const client::HttpResult &w) {
        client::ServerProbe p;
        if (!w.ok() || !client::readCouchWelcome(objectOf(w.body), p))
            p.failure = w;
        identified(p);
    });
}

void ServerOps::databases(QObject *context, Done<QStringList> done)
{
    if (needsProbe(
            context, [=, this] { databases(context, done); },
            [done](const QString &e) { done({}, e); }))
        return;
    const bool couch = m_dialect.isCouchApi();
    m_client->get(couch ? QStringLiteral("/_all_dbs") : QStringLiteral("/_api/database/user"), {},
                  context, [couch, done](const client::HttpResult &r) {
                      if (!r.ok())
                          return done({}, describeFailure(r));
                      const QJsonDocument doc = QJsonDocument::fromJson(r.body);
                      const QJsonArray names =
                          couch ? doc.array()
                                : doc.object().value(QStringLiteral("result")).toArray();
                      QStringList out;
                      for (const QJsonValue &v : names)
                          out.append(v.toString());
                      out.sort();
                      done(out, {});
                  });
}

void ServerOps::withBatch(const QString &database, int ttlSeconds, QObject *context, WithBatch work,
                          DoneVoid failed)
{
    if (!m_dialect.needsBatch())
        return work({}, [] {});
    const QString base = dbPath(database, QStringLiteral("/_api/replication/batch"));
    QPointer<ServerOps> self(this);
    m_client->request(
        "POST", base, {}, compact({{QStringLiteral("ttl"), ttlSeconds}}), context,
        [self, base, work, failed](const client::HttpResult &r) {
            if (!self)
                return;
            const QString id = objectOf(r.body).value(QStringLiteral("id")).toVariant().toString();
            if (!r.ok() || id.isEmpty())
                return failed(tr("cannot open a replication batch: %1").arg(describeFailure(r)));
            auto released = std::make_shared<bool>(false);
            work(id, [self, base, id, released] {
                if (*released || !self)
                    return;
                *released = true;
                // Owned by the client, not the caller: the release goes out even when the
                // caller is gone by then.
                self->m_client->request("DELETE", base + u'/' + id, {}, {}, self,
                                        [](const client::HttpResult &) {});
            });
        });
}

void ServerOps::inventory(const QString &database, QObject *context, Done<QJsonObject> done)
{
    if (needsProbe(
            context, [=, this] { inventory(database, context, done); },
            [done](const QString &e) { done({}, e); }))
        return;
    if (m_dialect.isCouchApi())
        return couchInventory(context, std::move(done));
    QPointer<ServerOps> self(this);
    withBatch(
        database, 120, context,
        [self, database, context, done](const QString &batchId, std::function<void()> release) {
            if (!self)
                return;
            QUrlQuery q;
            q.addQueryItem(QStringLiteral("includeSystem"), QStringLiteral("true"));
            if (!batchId.isEmpty())
                q.addQueryItem(QStringLiteral("batchId"), batchId);
            self->m_client->get(
                dbPath(database, QStringLiteral("/_api/replication/inventory")), q, context,
                [self, database, done, release](const client::HttpResult &r) {
                    release();
                    if (!r.ok())
                        return done({}, describeFailure(r));
                    QJsonObject inv = objectOf(r.body);
                    if (self) { // remember cuid → name for the log tail
                        QHash<QString, QString> &names = self->m_cuidNames[database];
                        for (const QJsonValue &c :
                             inv.value(QStringLiteral("collections")).toArray()) {
                            const QJsonObject p = c[QStringLiteral("parameters")].toObject();
                            const QString cuid =
                                p.value(QStringLiteral("globallyUniqueId")).toString();
                            if (!cuid.isEmpty())
                                names.insert(cuid, p.value(QStringLiteral("name")).toString());
                        }
                    }
                    done(inv, {});
                });
        },
        [done](const QString &e) { done({}, e); });
}

void ServerOps::counts(const QString &database, const QStringList &collections, QObject *context,
                       Done<QHash<QString, qint64>> done)
{
    struct Pending
    {
        QHash<QString, qint64> counts;
        QString error;
        qsizetype open = 0;
    };
    if (collections.isEmpty())
        return done({}, {});
    auto pending = std::make_shared<Pending>();
    pending->open = collections.size();
    for (const QString &name : collections) {
        m_client->get(
            dbPath(database, QStringLiteral("/_api/collection/") + client::percentEncoded(name) +
                                 QStringLiteral("/count")),
            {}, context, [pending, name, done](const client::HttpResult &r) {
                if (r.ok())
                    pending->counts.insert(
                        name, qint64(objectOf(r.body).value(QStringLiteral("count")).toDouble()));
                else if (pending->error.isEmpty())
                    pending->error = tr("cannot count %1: %2").arg(name, describeFailure(r));
                if (--pending->open == 0)
                    done(pending->counts, pending->error);
            });
    }
}

void ServerOps::loggerState(const QString &database, QObject *context, Done<QJsonObject> done)
{
    jsonCall(Feature::LoggerState, "GET",
             dbPath(database, QStringLiteral("/_api/replication/logger-state")), {}, {}, context,
             std::move(done));
}

void ServerOps::setLoggerRunning(const QString &database, bool run, QObject *context, DoneVoid done)
{
    jsonCall(Feature::LoggerControl, "PUT",
             dbPath(database, run ? QStringLiteral("/_api/replication/logger-start")
                                  : QStringLiteral("/_api/replication/logger-stop")),
             {}, {}, context, [done](const QJsonObject &, const QString &e) { done(e); });
}

namespace {
// A database's applier route, or the server-level one (on _system, ?global=true).
QString applierPath(const QString &database, bool global, const QString &command)
{
    return ServerOps::dbPath(global ? QString() : database,
                             QStringLiteral("/_api/replication/") + command);
}

QUrlQuery globalQuery(bool global)
{
    QUrlQuery q;
    if (global)
        q.addQueryItem(QStringLiteral("global"), QStringLiteral("true"));
    return q;
}

Feature applierFeature(bool global)
{
    return global ? Feature::GlobalApplier : Feature::Applier;
}
} // namespace

void ServerOps::applierState(const QString &database, bool global, QObject *context,
                             Done<QJsonObject> done)
{
    jsonCall(applierFeature(global), "GET",
             applierPath(database, global, QStringLiteral("applier-state")), globalQuery(global),
             {}, context, std::move(done));
}

void ServerOps::setApplierRunning(const QString &database, bool global, bool run,
                                  const QString &fromTick, QObject *context, DoneVoid done)
{
    QUrlQuery q = globalQuery(global);
    if (run && !fromTick.isEmpty())
        q.addQueryItem(QStringLiteral("from"), fromTick);
    jsonCall(applierFeature(global), "PUT",
             applierPath(database, global,
                         run ? QStringLiteral("applier-start") : QStringLiteral("applier-stop")),
             q, {}, context, [done](const QJsonObject &, const QString &e) { done(e); });
}

void ServerOps::applierConfig(const QString &database, bool global, QObject *context,
                              Done<QJsonObject> done)
{
    jsonCall(applierFeature(global), "GET",
             applierPath(database, global, QStringLiteral("applier-config")), globalQuery(global),
             {}, context, std::move(done));
}

void ServerOps::setApplierConfig(const QString &database, bool global, const QJsonObject &config,
                                 QObject *context, Done<QJsonObject> done)
{
    jsonCall(applierFeature(global), "PUT",
             applierPath(database, global, QStringLiteral("applier-config")), globalQuery(global),
             compact(config), context, std::move(done));
}

void ServerOps::restorePoints(const QString &database, QObject *context, Done<QJsonObject> done)
{
    jsonCall(Feature::RestorePoints, "GET",
             dbPath(database, QStringLiteral("/_api/replication/restore-points")), {}, {}, context,
             std::move(done));
}

void ServerOps::restoreRestorePoint(const QString &database, const QString &id, QObject *context,
                                    Done<QJsonObject> done)
{
    jsonCall(Feature::RestorePoints, "PUT",
             dbPath(database, QStringLiteral("/_api/replication/restore-points/%1/restore")
                                  .arg(QString::fromLatin1(QUrl::toPercentEncoding(id)))),
             {}, {}, context, std::move(done));
}

void ServerOps::discardRestorePoint(const QString &database, const QString &id, QObject *context,
                                    Done<QJsonObject> done)
{
    jsonCall(Feature::RestorePoints, "DELETE",
             dbPath(database, QStringLiteral("/_api/replication/restore-points/%1")
                                  .arg(QString::fromLatin1(QUrl::toPercentEncoding(id)))),
             {}, {}, context, std::move(done));
}

namespace {
// The server's answer as a retention, or why it is not one. (Spelled out, as in
// describeFailure, so that lupdate files the sentence under ServerOps.)
void answerRetention(const QJsonObject &o, const QString &error,
                     const ServerOps::Done<RestorePointRetention> &done)
{
    if (!error.isEmpty())
        return done({}, error);
    const auto r = RestorePointRetention::fromJson(o);
    if (!r)
        return done({}, QCoreApplication::translate(
                            "repl::ops::ServerOps",
                            "the server's answer is not a retention (keep, maxBytes): %1")
                            .arg(QString::fromUtf8(compact(o))));
    done(*r, {});
}

QString retentionPath(const QString &database)
{
    return ServerOps::dbPath(database,
                             QStringLiteral("/_api/replication/restore-points/retention"));
}
} // namespace

void ServerOps::restorePointRetention(const QString &database, QObject *context,
                                      Done<RestorePointRetention> done)
{
    jsonCall(Feature::RestorePoints, "GET", retentionPath(database), {}, {}, context,
             [done](const QJsonObject &o, const QString &e) { answerRetention(o, e, done); });
}

void ServerOps::setRestorePointRetention(const QString &database, std::optional<int> keep,
                                         std::optional<qint64> maxBytes, QObject *context,
                                         Done<RestorePointRetention> done)
{
    if (!keep && !maxBytes)
        return done({}, tr("nothing to change: give the number of restore points to keep, the "
                           "size limit, or both"));
    if (keep && (*keep < 0 || *keep > RestorePointRetention::MaxKeep))
        return done({}, tr("the number of restore points to keep must be from 0 to %1, not %2")
                            .arg(RestorePointRetention::MaxKeep)
                            .arg(*keep));
    if (maxBytes && (*maxBytes < 0 || *maxBytes > MaxByteSize))
        return done({}, tr("the size limit of the restore points must be from 0 (no limit) to "
                           "%1 bytes, not %2")
                            .arg(MaxByteSize)
                            .arg(*maxBytes));
    QJsonObject body;
    if (keep)
        body.insert(QStringLiteral("keep"), *keep);
    if (maxBytes)
        body.insert(QStringLiteral("maxBytes"), double(*maxBytes));
    jsonCall(Feature::RestorePoints, "PUT", retentionPath(database), {}, compact(body), context,
             [done](const QJsonObject &o, const QString &e) { answerRetention(o, e, done); });
}

} // namespace repl::ops
