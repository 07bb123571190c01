#include "ops/ServerOps.h"

#include "client/Endpoint.h"
#include "client/ServerProbe.h"
#include "ops/Parse.h"
#include "ops/SyncPlanner.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QThreadPool>

#include <memory>
#include <vector>

namespace repl::ops {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("repl::ops::ServerOps", text);
}

QJsonObject objectOf(const QByteArray &body)
{
    return QJsonDocument::fromJson(body).object();
}

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

constexpr int SyncTimeoutMs = 24 * 3600 * 1000; // a sync of a large database takes long
} // namespace

QString describeFailure(const client::HttpResult &r)
{
    if (!r.answered())
        return r.errorString.isEmpty() ? tr("no answer") : r.errorString;
    if (r.status == 401 || r.status == 403)
        return tr("authentication failed (HTTP %1): check user and password").arg(r.status);
    const QString m = r.serverMessage();
    return m.isEmpty() ? tr("HTTP %1").arg(r.status) : tr("HTTP %1: %2").arg(r.status).arg(m);
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
    client::probeServer(*m_client, context, [self, done](const client::ServerProbe &p) {
        if (!self)
            return;
        const Dialect d = Dialect::fromProbe(p);
        if (d.isKnown())
            self->m_dialect = d;
        done(d, p.failure);
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
    if (needsProbe(
            context, [=, this] { loggerState(database, context, done); },
            [done](const QString &e) { done({}, e); }))
        return;
    if (refuse(Feature::LoggerState, [done](const QString &e) { done({}, e); }))
        return;
    m_client->get(dbPath(database, QStringLiteral("/_api/replication/logger-state")), {}, context,
                  [done](const client::HttpResult &r) {
                      r.ok() ? done(objectOf(r.body), {}) : done({}, describeFailure(r));
                  });
}

void ServerOps::setLoggerRunning(const QString &database, bool run, QObject *context, DoneVoid done)
{
    if (needsProbe(
            context, [=, this] { setLoggerRunning(database, run, context, done); }, done))
        return;
    if (refuse(Feature::LoggerControl, done))
        return;
    m_client->request("PUT",
                      dbPath(database, run ? QStringLiteral("/_api/replication/logger-start")
                                           : QStringLiteral("/_api/replication/logger-stop")),
                      {}, {}, context, [done](const client::HttpResult &r) {
                          done(r.ok() ? QString() : describeFailure(r));
                      });
}

namespace {
QUrlQuery globalQuery(bool global)
{
    QUrlQuery q;
    if (global)
        q.addQueryItem(QStringLiteral("global"), QStringLiteral("true"));
    return q;
}
} // namespace

void ServerOps::applierState(const QString &database, bool global, QObject *context,
                             Done<QJsonObject> done)
{
    if (needsProbe(
            context, [=, this] { applierState(database, global, context, done); },
            [done](const QString &e) { done({}, e); }))
        return;
    if (refuse(Feature::Applier, [done](const QString &e) { done({}, e); }))
        return;
    m_client->get(
        dbPath(global ? QString() : database, QStringLiteral("/_api/replication/applier-state")),
        globalQuery(global), context, [done](const client::HttpResult &r) {
            r.ok() ? done(objectOf(r.body), {}) : done({}, describeFailure(r));
        });
}

void ServerOps::setApplierRunning(const QString &database, bool global, bool run,
                                  const QString &fromTick, QObject *context, DoneVoid done)
{
    if (needsProbe(
            context,
            [=, this] { setApplierRunning(database, global, run, fromTick, context, done); }, done))
        return;
    if (refuse(Feature::Applier, done))
        return;
    QUrlQuery q = globalQuery(global);
    if (run && !fromTick.isEmpty())
        q.addQueryItem(QStringLiteral("from"), fromTick);
    m_client->request("PUT",
                      dbPath(global ? QString() : database,
                             run ? QStringLiteral("/_api/replication/applier-start")
                                 : QStringLiteral("/_api/replication/applier-stop")),
                      q, {}, context, [done](const client::HttpResult &r) {
                          done(r.ok() ? QString() : describeFailure(r));
                      });
}

void ServerOps::applierConfig(const QString &database, bool global, QObject *context,
                              Done<QJsonObject> done)
{
    if (needsProbe(
            context, [=, this] { applierConfig(database, global, context, done); },
            [done](const QString &e) { done({}, e); }))
        return;
    if (refuse(Feature::Applier, [done](const QString &e) { done({}, e); }))
        return;
    m_client->get(
        dbPath(global ? QString() : database, QStringLiteral("/_api/replication/applier-config")),
        globalQuery(global), context, [done](const client::HttpResult &r) {
            r.ok() ? done(objectOf(r.body), {}) : done({}, describeFailure(r));
        });
}

void ServerOps::setApplierConfig(const QString &database, bool global, const QJsonObject &config,
                                 QObject *context, Done<QJsonObject> done)
{
    if (needsProbe(
            context, [=, this] { setApplierConfig(database, global, config, context, done); },
            [done](const QString &e) { done({}, e); }))
        return;
    if (refuse(Feature::Applier, [done](const QString &e) { done({}, e); }))
        return;
    m_client->request(
        "PUT",
        dbPath(global ? QString() : database, QStringLiteral("/_api/replication/applier-config")),
        globalQuery(global), compact(config), context, [done](const client::HttpResult &r) {
            r.ok() ? done(objectOf(r.body), {}) : done({}, describeFailure(r));
        });
}

QString ServerOps::syncFailureNote() const
{
    if (m_dialect.kind() == ServerKind::ReplDesk)
        return tr("The sync failed; the database is as it was.");
    return tr("The sync failed. %1 purges each collection before copying it, so some "
              "collections may now be empty or partly copied: check the Inventory and run the "
              "sync again.")
        .arg(m_dialect.describe());
}

void ServerOps::previewSync(const QString &database, const SyncOptions &options, QObject *context,
                            Done<SyncPlan> done)
{
    if (needsProbe(
            context, [=, this] { previewSync(database, options, context, done); },
            [done](const QString &e) { done({}, e); }))
        return;
    if (refuse(Feature::Sync, [done](const QString &e) { done({}, e); }))
        return;
    // The leader is another server: its own operations object, probed first, so its batches
    // and routes are right too. Owned by this object for the preview's length.
    client::ClientSettings ls = client::ClientSettings::forEndpoint(
        options.leaderEndpoint, {}, {}, options.leaderUser, options.leaderPassword,
        m_client->settings().requestTimeoutMs / 1000.0);
    if (!ls.base.isValid())
        return done({}, tr("The leader endpoint '%1' is not a valid endpoint (tcp://, ssl://, "
                           "http:// or https://host:port).")
                            .arg(options.leaderEndpoint));
    auto *leader = new ServerOps(ls, this);
    const QString leaderDb = options.leaderDatabase.isEmpty() ? database : options.leaderDatabase;
    auto planner = std::make_shared<SyncPlanner>(options);
    QPointer<ServerOps> self(this);
    auto finish = [leader, planner, done](const QString &error) {
        leader->deleteLater();
        if (!error.isEmpty())
            return done({}, error);
        done(planner->plan(), {});
    };
    auto step = std::make_shared<std::function<void()>>();
    // 1. both inventories, 2. both sides' counts of the collections that matter.
    leader->probe(context, [=](const Dialect &ld, const client::HttpResult &failure) {
        if (!ld.isKnown())
            return finish(tr("cannot reach the leader: %1").arg(describeFailure(failure)));
        if (!ld.isArangoApi())
            return finish(tr("The leader, %1, has no ArangoDB replication API to sync from; use "
                             "Replications instead.")
                              .arg(ld.describe()));
        leader->inventory(leaderDb, context, [=](const QJsonObject &li, const QString &e) {
            if (!e.isEmpty())
                return finish(tr("cannot read the leader's inventory: %1").arg(e));
            planner->setLeaderInventory(li);
            if (!self)
                return;
            self->inventory(database, context, [=](const QJsonObject &ti, const QString &e2) {
                if (!e2.isEmpty())
                    return finish(tr("cannot read this server's inventory: %1").arg(e2));
                planner->setLocalInventory(ti);
                leader->counts(leaderDb, planner->leaderCollectionsToCount(), context,
                               [=](const QHash<QString, qint64> &lc, const QString &e3) {
                                   if (!e3.isEmpty())
                                       return finish(e3);
                                   planner->setLeaderCounts(lc);
                                   if (!self)
                                       return;
                                   self->counts(
                                       database, planner->localCollectionsToCount(), context,
                                       [=](const QHash<QString, qint64> &tc, const QString &e4) {
                                           if (!e4.isEmpty())
                                               return finish(e4);
                                           planner->setLocalCounts(tc);
                                           finish({});
                                       });
                               });
            });
        });
    });
}

void ServerOps::sync(const QString &database, const SyncOptions &options,
                     const QString &confirmDatabase, QObject *context, Done<QJsonObject> done)
{
    if (needsProbe(
            context, [=, this] { sync(database, options, confirmDatabase, context, done); },
            [done](const QString &e) { done({}, e); }))
        return;
    if (refuse(Feature::Sync, [done](const QString &e) { done({}, e); }))
        return;
    const QString name = database.isEmpty() ? QStringLiteral("_system") : database;
    if (confirmDatabase != name)
        return done({}, tr("Not confirmed: a sync purges database '%1'; confirm with its exact "
                           "name (got '%2').")
                            .arg(name, confirmDatabase));
    m_client->request(
        "PUT", dbPath(database, QStringLiteral("/_api/replication/sync")), {},
        compact(options.syncBody(name)), context,
        [done](const client::HttpResult &r) {
            r.ok() ? done(objectOf(r.body), {}) : done({}, describeFailure(r));
        },
        SyncTimeoutMs);
}

void ServerOps::lastTick(const QString &database, QObject *context, Done<quint64> done)
{
    if (needsProbe(
            context, [=, this] { lastTick(database, context, done); },
            [done](const QString &e) { done(0, e); }))
        return;
    if (m_dialect.tailsWal()) {
        m_client->get(
            dbPath(database, QStringLiteral("/_api/wal/lastTick")), {}, context,
            [done](const client::HttpResult &r) {
                if (!r.ok())
                    return done(0, describeFailure(r));
                done(objectOf(r.body).value(QStringLiteral("tick")).toString().toULongLong(), {});
            });
        return;
    }
    loggerState(database, context, [done](const QJsonObject &s, const QString &e) {
        done(s[QStringLiteral("state")][QStringLiteral("lastLogTick")].toString().toULongLong(), e);
    });
}

void ServerOps::tail(const QString &database, quint64 from, qint64 chunkSize, int waitMs,
                     QObject *context, Done<LogChunk> done)
{
    if (needsProbe(
            context, [=, this] { tail(database, from, chunkSize, waitMs, context, done); },
            [done](const QString &e) { done({}, e); }))
        return;
    if (refuse(Feature::LoggerFollow, [done](const QString &e) { done({}, e); }))
        return;
    const bool wal = m_dialect.tailsWal();
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("from"), QString::number(from));
    q.addQueryItem(QStringLiteral("chunkSize"), QString::number(chunkSize));
    if (!wal && waitMs > 0)
        q.addQueryItem(QStringLiteral("waitMs"), QString::number(waitMs));
    const QString path =
        wal ? QStringLiteral("/_api/wal/tail") : QStringLiteral("/_api/replication/logger-follow");
    QPointer<ServerOps> self(this);
    QPointer<QObject> guard(context);
    m_client->get(dbPath(database, path), q, context,
                  [self, guard, database, wal, done](client::HttpResult &r) {
                      if (r.status != 200 && r.status != 204)
                          return done({}, describeFailure(r));
                      LogChunk head = readLogHeaders(r.headers);
                      QByteArray body = std::move(r.body);
                      // Parse off the caller's thread (a GUI must stay smooth at 20k events/s).
                      QThreadPool::globalInstance()->start(
                          [self, guard, database, wal, done, head, body = std::move(body)] {
                              LogChunk chunk = head;
                              chunk.events = parseLogLines(body, database);
                              QMetaObject::invokeMethod(
                                  self.data(), [self, guard, database, wal, done, chunk] {
                                      if (!self || !guard)
                                          return;
                                      if (wal)
                                          self->resolveCollections(database, chunk, guard, done);
                                      else
                                          done(chunk, {});
                                  });
                          });
                  });
}

// wal/tail lines name the collection by its globallyUniqueId: look the names up in the
// inventory (read again, once, when a cuid is new).
void ServerOps::resolveCollections(const QString &database, LogChunk chunk, QObject *context,
                                   Done<LogChunk> done)
{
    auto apply = [this, database](LogChunk &c) {
        const QHash<QString, QString> &names = m_cuidNames[database];
        bool unknown = false;
        for (LogEvent &e : c.events) {
            if (e.collection.isEmpty() && !e.cuid.isEmpty()) {
                e.collection = names.value(e.cuid);
                unknown |= e.collection.isEmpty();
            }
        }
        return unknown;
    };
    for (const LogEvent &e : chunk.events) // a creation names its collection in the line
        if (!e.cuid.isEmpty() && !e.collection.isEmpty())
            m_cuidNames[database].insert(e.cuid, e.collection);
    if (!apply(chunk))
        return done(chunk, {});
    QPointer<ServerOps> self(this);
    inventory(database, context, [self, chunk, apply, done](const QJsonObject &, const QString &) {
        LogChunk c = chunk;
        if (self)
            apply(c); // still unknown: a dropped collection; shown by its cuid
        for (LogEvent &e : c.events)
            if (e.collection.isEmpty() && !e.cuid.isEmpty())
                e.collection = e.cuid;
        done(c, {});
    });
}

void ServerOps::documents(const QString &database, const QString &collection, const QString &cursor,
                          QObject *context, Done<Page> done)
{
    if (needsProbe(
            context, [=, this] { documents(database, collection, cursor, context, done); },
            [done](const QString &e) { done({}, e); }))
        return;
    // Cursors: "tick:N" (ReplDesk: dump from a tick) or "batch:ID" (ArangoDB 3.x: the batch
    // remembers where the last chunk ended).
    const auto fetch = [this, database, collection, context, done](const QString &batchId,
                                                                   quint64 from) {
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("collection"), collection);
        q.addQueryItem(QStringLiteral("chunkSize"), QStringLiteral("16384")); // a screenful or two
        if (batchId.isEmpty())
            q.addQueryItem(QStringLiteral("from"), QString::number(from));
        else
            q.addQueryItem(QStringLiteral("batchId"), batchId);
        QPointer<ServerOps> self(this);
        m_client->get(dbPath(database, QStringLiteral("/_api/replication/dump")), q, context,
                      [self, database, batchId, done](const client::HttpResult &r) {
                          if (r.status != 200 && r.status != 204) {
                              if (self && !batchId.isEmpty())
                                  self->releaseCursor(database, QStringLiteral("batch:") + batchId);
                              return done({}, describeFailure(r));
                          }
                          Page page;
                          page.documents = parseDumpDocuments(r.body, &page.removals);
                          const bool more = r.header("x-arango-replication-checkmore") == "true";
                          if (more)
                              page.next = batchId.isEmpty()
                                              ? QStringLiteral("tick:") +
                                                    QString::fromLatin1(r.header(
                                                        "x-arango-replication-lastincluded"))
                                              : QStringLiteral("batch:") + batchId;
                          else if (self && !batchId.isEmpty())
                              self->releaseCursor(database, QStringLiteral("batch:") + batchId);
                          done(page, {});
                      });
    };
    if (cursor.startsWith(u"batch:"))
        return fetch(cursor.mid(6), 0);
    if (cursor.startsWith(u"tick:"))
        return fetch({}, cursor.mid(5).toULongLong());
    if (!m_dialect.needsBatch())
        return fetch({}, 0);
    // A browse keeps its batch until the last page or releaseCursor (TTL 10 min).
    withBatch(
        database, 600, context,
        [fetch](const QString &batchId, std::function<void()>) { fetch(batchId, 0); },
        [done](const QString &e) { done({}, e); });
}

void ServerOps::releaseCursor(const QString &database, const QString &cursor)
{
    if (!cursor.startsWith(u"batch:"))
        return;
    m_client->request("DELETE",
                      dbPath(database, QStringLiteral("/_api/replication/batch/") + cursor.mid(6)),
                      {}, {}, this, [](const client::HttpResult &) {});
}

// CouchDB: _all_dbs, then each database's info and Mango indexes, shaped like an ArangoDB
// inventory (one "collection" per database) so views show both kinds alike.
void ServerOps::couchInventory(QObject *context, Done<QJsonObject> done)
{
    QPointer<ServerOps> self(this);
    m_client->get(
        QStringLiteral("/_all_dbs"), {}, context,
        [self, context, done](const client::HttpResult &all) {
            if (!self)
                return;
            if (!all.ok())
                return done({}, tr("cannot list its databases (%1)").arg(describeFailure(all)));
            const QJsonArray names = QJsonDocument::fromJson(all.body).array();
            constexpr qsizetype MaxDatabases = 500; // a screenful many times over
            struct Pending
            {
                std::vector<QJsonObject> infos, indexes;
                int open = 0;
            };
            auto pending = std::make_shared<Pending>();
            const qsizetype n = qMin(names.size(), MaxDatabases);
            if (n == 0)
                return done(QJsonObject{{QStringLiteral("collections"), QJsonArray()}}, {});
            pending->infos.resize(size_t(n));
            pending->indexes.resize(size_t(n));
            pending->open = int(2 * n);
            const auto finished = [pending, names, n, done] {
                if (--pending->open > 0)
                    return;
                QJsonArray collections;
                for (qsizetype i = 0; i < n; ++i)
                    collections.append(couchDatabaseEntry(names.at(i).toString(),
                                                          pending->infos[size_t(i)],
                                                          pending->indexes[size_t(i)]));
                done(QJsonObject{{QStringLiteral("collections"), collections}}, {});
            };
            for (qsizetype i = 0; i < n; ++i) {
                const QString path = u'/' + client::percentEncoded(names.at(i).toString());
                self->m_client->get(
                    path, {}, context, [pending, i, finished](const client::HttpResult &r) {
                        pending->infos[size_t(i)] =
                            r.ok() ? objectOf(r.body)
                                   : QJsonObject{{QStringLiteral("problem"),
                                                  tr("unavailable (HTTP %1)").arg(r.status)}};
                        finished();
                    });
                self->m_client->get(path + QStringLiteral("/_index"), {}, context,
                                    [pending, i, finished](const client::HttpResult &r) {
                                        if (r.ok())
                                            pending->indexes[size_t(i)] = objectOf(r.body);
                                        finished();
                                    });
            }
        });
}

} // namespace repl::ops
