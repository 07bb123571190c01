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
    , m_database(entry.database)
{
    client::ClientSettings s;
    s.base = client::normalizeEndpoint(entry.endpoint);
    s.database = entry.database;
    s.username = entry.user;
    s.password = password;
    s.requestTimeoutMs = 15000;
    s.tls.pinnedSha256 = entry.tlsPin;
    m_client = new client::ReplicationClient(s, this);
    m_ops = new ops::ServerOps(s, this);
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

void ServerSession::setDatabase(const QString &name)
{
    if (name.isEmpty() || name == m_database)
        return;
    m_database = name;
    m_globalApplier = false;
    client::ClientSettings s = m_client->settings();
    s.database = name;
    m_client->setSettings(s);
    Q_EMIT databaseChanged(name);
    refreshNow();
}

void ServerSession::refreshNow()
{
    m_inFlight = false;
    poll();
}

void ServerSession::report(const client::HttpResult &r)
{
    using State = ServerEntry::State;
    if (r.tls.isSet()) {
        const QString text =
            r.tls.kind == client::TlsFailure::Kind::CertificateChanged
                ? tr("refused: the TLS certificate changed (pinned SHA-256 %1, now %2)")
                      .arg(r.tls.pinned, r.tls.fingerprint)
                : tr("TLS certificate not trusted (SHA-256 %1): %2")
                      .arg(r.tls.fingerprint, r.tls.errors.join(QStringLiteral("; ")));
        Q_EMIT statusChanged(State::Unreachable, text, {}, {});
        Q_EMIT certificateRefused(r.tls);
    } else if (!r.answered()) {
        const bool tls = r.networkError == QNetworkReply::SslHandshakeFailedError;
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
    // The probe is the heartbeat (a CouchDB server is asked its welcome by the same call).
    m_ops->probe(this, [this](const ops::Dialect &d, const client::HttpResult &failure) {
        if (!d.isKnown()) {
            m_inFlight = false;
            return report(failure);
        }
        const client::ServerFlavor flavor =
            d.isCouchApi() ? client::ServerFlavor::CouchDb : client::ServerFlavor::ArangoApi;
        if (d.kind() != m_kind) {
            m_kind = d.kind();
            if (flavor == client::ServerFlavor::CouchDb) {
                client::ClientSettings s = m_client->settings();
                s.database.clear(); // CouchDB paths start at its root
                m_client->setSettings(s);
            }
            m_flavor = flavor;
            Q_EMIT flavorChanged(m_flavor);
            Q_EMIT dialectChanged(d);
        }
        if (d.isCouchApi())
            pollCouch();
        else
            pollArango();
    });
}

// Only what the dialect has is asked: no logger-config probe, no applier on a server without
// one (ArangoDB 3.12.10+), the server id from logger-state.
void ServerSession::pollArango()
{
    const ops::Dialect &d = m_ops->dialect();
    const QString db = m_database;
    // Answers about a database the views have left are dropped.
    m_ops->loggerState(db, this, [this, db](const QJsonObject &l, const QString &error) {
        const ops::Dialect &dd = m_ops->dialect();
        if (!error.isEmpty() || db != m_database)
            return;
        Q_EMIT statusChanged(ServerEntry::State::Reachable, tr("connected: %1").arg(dd.describe()),
                             dd.version(),
                             l[QStringLiteral("server")][QStringLiteral("serverId")].toString());
        Q_EMIT loggerStateChanged(l, !dd.has(ops::Feature::LoggerControl));
    });
    if (d.has(ops::Feature::Applier)) {
        // ArangoDB's server-level applier is shown on _system when it is configured there.
        const bool askGlobal =
            d.has(ops::Feature::GlobalApplier) && (db.isEmpty() || db == u"_system");
        m_ops->applierState(
            db, false, this, [this, askGlobal, db](const QJsonObject &a, const QString &error) {
                if (!error.isEmpty() || db != m_database)
                    return;
                if (!askGlobal) {
                    m_globalApplier = false;
                    return Q_EMIT applierStateChanged(a);
                }
                m_ops->applierState(
                    db, true, this, [this, a, db](QJsonObject g, const QString &e2) {
                        if (db != m_database)
                            return;
                        const bool globalInUse =
                            e2.isEmpty() &&
                            (!g.value(QStringLiteral("endpoint")).toString().isEmpty() ||
                             g[QStringLiteral("state")][QStringLiteral("running")].toBool());
                        m_globalApplier = globalInUse; // Start/Stop act on the one shown
                        if (!globalInUse)
                            return Q_EMIT applierStateChanged(a);
                        g.insert(QStringLiteral("global"), true);
                        Q_EMIT applierStateChanged(g);
                    });
            });
    }
    // The inventory is heavier: every few polls.
    if (m_pollCount++ % 3 == 0)
        fetchArangoInventory(); // clears m_inFlight when complete
    else
        m_inFlight = false;
}

void ServerSession::pollCouch()
{
    QString text =
        tr("connected: %1 (CouchDB replication protocol)").arg(m_ops->dialect().describe());
    if (!m_couchProblem.isEmpty())
        text += tr(" — %1").arg(m_couchProblem);
    Q_EMIT statusChanged(ServerEntry::State::Reachable, text, m_ops->dialect().version(),
                         m_ops->dialect().serverId());
    if (m_pollCount++ % 3 == 0)
        fetchCouchInventory(); // clears m_inFlight when complete
    else
        m_inFlight = false;
}

void ServerSession::setLoggerRunning(bool run, Done done)
{
    m_ops->setLoggerRunning(m_database, run, this, [this, done](const QString &e) {
        done(e);
        refreshNow();
    });
}

void ServerSession::setApplierRunning(bool run, const QString &fromTick, Done done)
{
    m_ops->setApplierRunning(m_database, m_globalApplier, run, fromTick, this,
                             [this, done](const QString &e) {
                                 done(e);
                                 refreshNow();
                             });
}

void ServerSession::fetchCouchInventory()
{
    m_ops->inventory({}, this, [this](const QJsonObject &inv, const QString &error) {
        m_inFlight = false;
        m_couchProblem = error;
        // A passing failure keeps the last inventory on screen, with the reason in the status.
        if (error.isEmpty())
            Q_EMIT inventoryChanged(inv);
    });
}

// Every database the user may see (up to a screenful many times over), each database's
// inventory (inside a batch where the server needs one) and its collections' counts.
namespace {
constexpr int RecountEvery = 5; // inventory rounds (one every 3 polls) between recounts
QString countKey(const QString &database, const QString &collection)
{
    return database + u'/' + collection;
}
} // namespace

void ServerSession::fetchArangoInventory()
{
    ++m_inventoryRound;
    m_ops->databases(this, [this](QStringList names, const QString &error) {
        if (!error.isEmpty() || names.isEmpty())
            names = QStringList{m_entry.database.isEmpty() ? QStringLiteral("_system")
                                                           : m_entry.database};
        constexpr qsizetype MaxDatabases = 50;
        names = names.mid(0, MaxDatabases);
        struct Pending
        {
            std::vector<QJsonObject> databases;
            int open = 0;
        };
        auto pending = std::make_shared<Pending>();
        pending->databases.resize(size_t(names.size()));
        pending->open = int(names.size());
        auto finished = [this, pending] {
            if (--pending->open > 0)
                return;
            m_inFlight = false;
            QJsonArray dbs;
            for (const QJsonObject &o : pending->databases)
                dbs.append(o);
            Q_EMIT inventoryChanged(QJsonObject{{QStringLiteral("databases"), dbs}});
        };
        for (qsizetype i = 0; i < names.size(); ++i) {
            const QString name = names[i];
            m_ops->inventory(
                name, this,
                [this, pending, i, name, finished](const QJsonObject &inv, const QString &e) {
                    QJsonObject entry{{QStringLiteral("name"), name}};
                    if (!e.isEmpty()) {
                        entry.insert(QStringLiteral("problem"), e);
                        entry.insert(QStringLiteral("collections"), QJsonArray());
                        pending->databases[size_t(i)] = entry;
                        return finished();
                    }
                    // ArangoDB's inventory has no counts: one request per collection, so they
                    // are asked for new collections and every few rounds, not every poll.
                    const QJsonArray cols = inv.value(QStringLiteral("collections")).toArray();
                    const bool recount = m_inventoryRound % RecountEvery == 0;
                    QStringList ask;
                    for (const QJsonValue &c : cols) {
                        const QJsonObject p = c[QStringLiteral("parameters")].toObject();
                        const QString n = p.value(QStringLiteral("name")).toString();
                        if (!p.contains(QStringLiteral("count")) &&
                            (recount || !m_counts.contains(countKey(name, n))))
                            ask.append(n);
                    }
                    const auto withCounts = [this, name, cols,
                                             entry](const QHash<QString, qint64> &fresh) {
                        QJsonArray out;
                        for (const QJsonValue &c : cols) {
                            QJsonObject o = c.toObject();
                            QJsonObject p = o.value(QStringLiteral("parameters")).toObject();
                            const QString key =
                                countKey(name, p.value(QStringLiteral("name")).toString());
                            if (fresh.contains(key))
                                m_counts.insert(key, fresh.value(key));
                            if (!p.contains(QStringLiteral("count")) && m_counts.contains(key))
                                p.insert(QStringLiteral("count"), double(m_counts.value(key)));
                            o.insert(QStringLiteral("parameters"), p);
                            out.append(o);
                        }
                        QJsonObject counted = entry;
                        counted.insert(QStringLiteral("collections"), out);
                        return counted;
                    };
                    if (ask.isEmpty()) {
                        pending->databases[size_t(i)] = withCounts({});
                        return finished();
                    }
                    m_ops->counts(
                        name, ask, this,
                        [pending, i, name, withCounts,
                         finished](const QHash<QString, qint64> &counts, const QString &) mutable {
                            QHash<QString, qint64> fresh;
                            for (auto it = counts.begin(); it != counts.end(); ++it)
                                fresh.insert(countKey(name, it.key()), it.value());
                            pending->databases[size_t(i)] = withCounts(fresh);
                            finished();
                        });
                });
        }
    });
}

} // namespace repl::gui
