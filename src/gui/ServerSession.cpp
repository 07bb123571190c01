#include "gui/ServerSession.h"

#include "client/Endpoint.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <memory>
#include <vector>

namespace repl::gui {

ServerSession::ServerSession(const ServerEntry &entry, const QString &password, QObject *parent)
    : QObject(parent)
    , m_entry(entry)
{
    client::ClientSettings s;
    s.base = client::normalizeEndpoint(entry.endpoint);
    s.database = entry.database;
    s.username = entry.user;
    s.password = password;
    s.requestTimeoutMs = 15000;
    m_client = new client::ReplicationClient(s, this);
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &ServerSession::poll);
}

void ServerSession::setActive(bool active)
{
    if (active) {
        if (!m_timer.isActive())
            m_timer.start();
        poll();
    } else {
        m_timer.stop();
    }
}

void ServerSession::setInterval(int ms)
{
    m_timer.setInterval(ms);
}

void ServerSession::refreshNow()
{
    m_inFlight = false;
    poll();
}

void ServerSession::report(const client::HttpResult &r)
{
    using State = ServerEntry::State;
    if (!r.answered()) {
        const bool tls = r.networkError == QNetworkReply::SslHandshakeFailedError; // never ignored
        Q_EMIT statusChanged(State::Unreachable,
                             tls ? tr("TLS problem: %1").arg(r.errorString)
                                 : tr("unreachable: %1").arg(r.errorString),
                             {}, {});
    } else if (r.status == 401 || r.status == 403) {
        Q_EMIT statusChanged(
            State::AuthError,
            tr("authentication failed (HTTP %1): check user and password").arg(r.status), {}, {});
    } else {
        Q_EMIT statusChanged(State::Unreachable,
                             tr("HTTP %1: %2").arg(r.status).arg(r.serverMessage()), {}, {});
    }
}

void ServerSession::poll()
{
    if (m_inFlight)
        return;
    m_inFlight = true;
    if (m_flavor == client::ServerFlavor::CouchDb) {
        // Known to be CouchDB: its welcome is the heartbeat (an ArangoDB probe would 404).
        m_client->get(QStringLiteral("/"), {}, this, [this](const client::HttpResult &w) {
            client::ServerProbe p;
            if (!w.ok() || !client::readCouchWelcome(QJsonDocument::fromJson(w.body).object(), p)) {
                m_inFlight = false;
                return report(w);
            }
            pollCouch(p);
        });
        return;
    }
    client::probeServer(*m_client, this, [this](const client::ServerProbe &p) {
        if (p.flavor == client::ServerFlavor::Unknown) {
            m_inFlight = false;
            return report(p.failure);
        }
        if (p.flavor != m_flavor) {
            m_flavor = p.flavor;
            if (m_flavor == client::ServerFlavor::CouchDb) {
                client::ClientSettings s = m_client->settings();
                s.database.clear(); // CouchDB paths start at its root
                m_client->setSettings(s);
            }
            Q_EMIT flavorChanged(m_flavor);
        }
        if (p.flavor == client::ServerFlavor::CouchDb)
            pollCouch(p);
        else
            pollArango(p);
    });
}

void ServerSession::pollArango(const client::ServerProbe &probe)
{
    m_client->get(QStringLiteral("/_api/replication/server-id"), {}, this,
                  [this, probe](const client::HttpResult &s) {
                      const QString id = QJsonDocument::fromJson(s.body)
                                             .object()
                                             .value(QStringLiteral("serverId"))
                                             .toString();
                      Q_EMIT statusChanged(ServerEntry::State::Reachable,
                                           tr("connected: %1").arg(probe.describe()), probe.version,
                                           id);
                  });
    m_client->get(QStringLiteral("/_api/replication/logger-state"), {}, this,
                  [this](const client::HttpResult &l) {
                      if (l.ok())
                          Q_EMIT loggerStateChanged(QJsonDocument::fromJson(l.body).object(),
                                                    false);
                      // The state exists on 3.x too; the control routes do not: probe
                      // logger-config.
                      m_client->get(QStringLiteral("/_api/replication/logger-config"), {}, this,
                                    [this, l](const client::HttpResult &c) {
                                        if (c.status == 400 && c.serverErrorNum() == 400)
                                            Q_EMIT loggerStateChanged(
                                                QJsonDocument::fromJson(l.body).object(), true);
                                    });
                  });
    m_client->get(QStringLiteral("/_api/replication/applier-state"), {}, this,
                  [this](const client::HttpResult &a) {
                      if (a.ok())
                          Q_EMIT applierStateChanged(QJsonDocument::fromJson(a.body).object());
                  });
    // The inventory is heavier: every few polls.
    if (m_pollCount++ % 3 == 0) {
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("includeSystem"), QStringLiteral("true"));
        m_client->get(QStringLiteral("/_api/replication/inventory"), q, this,
                      [this](const client::HttpResult &i) {
                          m_inFlight = false;
                          if (i.ok())
                              Q_EMIT inventoryChanged(QJsonDocument::fromJson(i.body).object());
                      });
    } else {
        m_inFlight = false;
    }
}

void ServerSession::pollCouch(const client::ServerProbe &probe)
{
    QString text = tr("connected: %1 (CouchDB replication protocol)").arg(probe.describe());
    if (!m_couchProblem.isEmpty())
        text += tr(" — %1").arg(m_couchProblem);
    Q_EMIT statusChanged(ServerEntry::State::Reachable, text, probe.version, probe.serverId);
    if (m_pollCount++ % 3 == 0)
        fetchCouchInventory(); // clears m_inFlight when complete
    else
        m_inFlight = false;
}

void ServerSession::setLoggerRunning(bool run, Done done)
{
    const QString path = run ? QStringLiteral("/_api/replication/logger-start")
                             : QStringLiteral("/_api/replication/logger-stop");
    m_client->request("PUT", path, {}, {}, this, [this, done](const client::HttpResult &r) {
        done(r.ok() ? QString() : r.serverMessage());
        refreshNow();
    });
}

void ServerSession::setApplierRunning(bool run, const QString &fromTick, Done done)
{
    QUrlQuery q;
    if (run && !fromTick.isEmpty())
        q.addQueryItem(QStringLiteral("from"), fromTick);
    const QString path = run ? QStringLiteral("/_api/replication/applier-start")
                             : QStringLiteral("/_api/replication/applier-stop");
    m_client->request("PUT", path, q, {}, this, [this, done](const client::HttpResult &r) {
        done(r.ok() ? QString() : r.serverMessage());
        refreshNow();
    });
}

// _all_dbs, then each database's info and Mango indexes, shaped like an ArangoDB inventory
// (one "collection" per database) so the Inventory tab shows both kinds alike.
void ServerSession::fetchCouchInventory()
{
    m_client->get(QStringLiteral("/_all_dbs"), {}, this, [this](const client::HttpResult &all) {
        const QJsonArray names = QJsonDocument::fromJson(all.body).array();
        // CouchDB 3 lists databases to admins only by default: say so instead of showing
        // an empty inventory without a reason.
        m_couchProblem = all.ok()
                             ? QString()
                             : tr("cannot list its databases (HTTP %1: %2)")
                                   .arg(all.status)
                                   .arg(all.answered() ? all.serverMessage() : all.errorString);
        if (!all.ok() || names.isEmpty()) {
            m_inFlight = false;
            // A refusal empties the inventory; a passing failure (a timeout, a 500) keeps
            // the last one on screen, with the reason in the status line.
            if (all.ok() || all.status == 401 || all.status == 403)
                Q_EMIT inventoryChanged(QJsonObject{{QStringLiteral("collections"), QJsonArray()}});
            return;
        }
        constexpr qsizetype MaxDatabases = 500; // a screenful many times over
        struct Pending
        {
            std::vector<QJsonObject> infos, indexes;
            int open = 0;
        };
        auto pending = std::make_shared<Pending>();
        const qsizetype n = qMin(names.size(), MaxDatabases);
        pending->infos.resize(size_t(n));
        pending->indexes.resize(size_t(n));
        pending->open = int(2 * n);
        const auto finished = [this, pending, names, n] {
            if (--pending->open > 0)
                return;
            m_inFlight = false;
            QJsonArray collections;
            for (qsizetype i = 0; i < n; ++i) {
                const QString name = names.at(i).toString();
                const QJsonObject info = pending->infos[size_t(i)];
                QJsonObject parameters{
                    {QStringLiteral("name"), name},
                    {QStringLiteral("type"), 2},
                    {QStringLiteral("couchdb"), true},
                    {QStringLiteral("isSystem"), name.startsWith(u'_')},
                    {QStringLiteral("count"), info.value(QStringLiteral("doc_count"))},
                    {QStringLiteral("deletedCount"), info.value(QStringLiteral("doc_del_count"))},
                    {QStringLiteral("updateSeq"), info.value(QStringLiteral("update_seq"))},
                    {QStringLiteral("problem"), info.value(QStringLiteral("problem"))}};
                QJsonArray indexes;
                for (const QJsonValue &idx :
                     pending->indexes[size_t(i)].value(QStringLiteral("indexes")).toArray()) {
                    const QJsonObject o = idx.toObject();
                    if (o.value(QStringLiteral("type")).toString() == u"special")
                        continue; // _all_docs: every database has it
                    QJsonArray fields;
                    for (const QJsonValue &f :
                         o[QStringLiteral("def")][QStringLiteral("fields")].toArray()) {
                        const QJsonObject field = f.toObject();
                        fields.append(field.isEmpty() ? f : QJsonValue(field.keys().value(0)));
                    }
                    const QString ddoc = o.value(QStringLiteral("ddoc")).toString();
                    indexes.append(QJsonObject{
                        {QStringLiteral("id"), (ddoc.isEmpty() ? QString() : ddoc + u'/') +
                                                   o.value(QStringLiteral("name")).toString()},
                        {QStringLiteral("type"), o.value(QStringLiteral("type"))},
                        {QStringLiteral("fields"), fields},
                        {QStringLiteral("definition"), o}});
                }
                collections.append(QJsonObject{{QStringLiteral("parameters"), parameters},
                                               {QStringLiteral("indexes"), indexes}});
            }
            Q_EMIT inventoryChanged(QJsonObject{{QStringLiteral("collections"), collections}});
        };
        for (qsizetype i = 0; i < n; ++i) {
            const QString path = u'/' + client::percentEncoded(names.at(i).toString());
            m_client->get(path, {}, this, [pending, i, finished](const client::HttpResult &r) {
                pending->infos[size_t(i)] =
                    r.ok() ? QJsonDocument::fromJson(r.body).object()
                           : QJsonObject{{QStringLiteral("problem"),
                                          tr("unavailable (HTTP %1)").arg(r.status)}};
                finished();
            });
            m_client->get(path + QStringLiteral("/_index"), {}, this,
                          [pending, i, finished](const client::HttpResult &r) {
                              if (r.ok())
                                  pending->indexes[size_t(i)] =
                                      QJsonDocument::fromJson(r.body).object();
                              finished();
                          });
        }
    });
}

} // namespace repl::gui
