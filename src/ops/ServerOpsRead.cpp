#include "ops/ServerOps.h"

#include "client/Endpoint.h"
#include "ops/OpsSupport.h"
#include "ops/Parse.h"

#include <QJsonArray>
#include <QPointer>
#include <QThreadPool>

#include <memory>
#include <vector>

// Reading: the log tail, documents page by page, and a CouchDB server's databases.
namespace repl::ops {

using detail::objectOf;
using detail::tr;

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
