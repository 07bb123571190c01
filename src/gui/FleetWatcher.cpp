#include "gui/FleetWatcher.h"

#include "client/Endpoint.h"
#include "client/ReplicationClient.h"
#include "client/ServerProbe.h"
#include "gui/PasswordCache.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QTimer>

namespace repl::gui {

namespace {

// host:port of an endpoint, to match an applier's leader against the list.
QString hostPort(const QString &endpoint)
{
    const QUrl u = client::normalizeEndpoint(endpoint);
    return u.isValid() && !u.host().isEmpty() ? QStringLiteral("%1:%2").arg(u.host()).arg(
                                                    u.port(u.scheme() == u"https" ? 443 : 80))
                                              : QString();
}

} // namespace

void LagTrail::add(qint64 timeMs, quint64 ticks, double seconds)
{
    timesMs.append(timeMs);
    ticksBehind.append(float(ticks));
    secondsBehind.append(float(seconds));
    qsizetype drop = 0;
    while (drop < timesMs.size() && timesMs.at(drop) < timeMs - SpanMs)
        ++drop;
    if (drop > 0) {
        timesMs.remove(0, drop);
        ticksBehind.remove(0, drop);
        secondsBehind.remove(0, drop);
    }
}

FleetWatcher::FleetWatcher(ServerListModel &servers, PasswordCache &passwords, QObject *parent)
    : QObject(parent)
    , m_servers(servers)
    , m_passwords(passwords)
    , m_nam(new QNetworkAccessManager(this))
    , m_timer(new QTimer(this))
    , m_sliceTimer(new QTimer(this))
{
    m_nam->setAutoDeleteReplies(false);
    m_timer->setInterval(1000);
    connect(m_timer, &QTimer::timeout, this, &FleetWatcher::pollNow);
    m_sliceTimer->setSingleShot(true);
    m_sliceTimer->setInterval(0); // after what the event loop has waiting (answers, paints)
    connect(m_sliceTimer, &QTimer::timeout, this, &FleetWatcher::pollSlice);
    connect(&m_servers, &QAbstractItemModel::rowsRemoved, this, &FleetWatcher::forgetMissing);
    connect(&m_servers, &QAbstractItemModel::rowsInserted, this, &FleetWatcher::forgetMissing);
    connect(&m_servers, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &, const QModelIndex &, const QList<int> &roles) {
                // A state dot (set after polls) moves no endpoint; an edited entry may.
                if (roles.isEmpty() || roles.contains(ServerListModel::EndpointRole))
                    matchLeaders();
            });
    connect(&m_servers, &QAbstractItemModel::modelReset, this, &FleetWatcher::forgetMissing);
}

FleetWatcher::~FleetWatcher()
{
    // The clients' replies go before the manager they run on.
    qDeleteAll(m_clients);
    m_clients.clear();
}

void FleetWatcher::setIntervalMs(int ms)
{
    m_timer->setInterval(qMax(200, ms));
}

int FleetWatcher::intervalMs() const
{
    return m_timer->interval();
}

void FleetWatcher::start()
{
    m_timer->start();
    pollNow();
}

void FleetWatcher::stop()
{
    m_timer->stop();
    m_sliceTimer->stop();
    m_queue.clear();
    m_queued.clear();
}

qint64 FleetWatcher::now() const
{
    return m_now ? m_now() : QDateTime::currentMSecsSinceEpoch();
}

const ServerStatus *FleetWatcher::status(const QString &id) const
{
    const auto it = m_status.constFind(id);
    return it == m_status.constEnd() ? nullptr : &*it;
}

QStringList FleetWatcher::ids() const
{
    QStringList out;
    for (const ServerEntry &e : m_servers.entries())
        out << e.id;
    return out;
}

QString FleetWatcher::leaderOf(const QString &followerId) const
{
    return m_leaderOf.value(followerId);
}

QStringList FleetWatcher::followersOf(const QString &leaderId) const
{
    QStringList out;
    for (const ServerEntry &e : m_servers.entries())
        if (m_leaderOf.value(e.id) == leaderId)
            out << e.id;
    return out;
}

// Who follows whom, from each follower's applier endpoint against the list's endpoints
// (host:port). Kept up to date here so that views ask in constant time.
void FleetWatcher::matchLeaders()
{
    QHash<QString, QString> byHostPort;
    for (const ServerEntry &e : m_servers.entries())
        if (const QString hp = hostPort(e.endpoint); !hp.isEmpty() && !byHostPort.contains(hp))
            byHostPort.insert(hp, e.id);
    m_leaderOf.clear();
    m_leaders.clear();
    for (auto it = m_status.cbegin(); it != m_status.cend(); ++it) {
        const QString leader = byHostPort.value(hostPort(it->reading.leaderEndpoint));
        if (!leader.isEmpty() && leader != it.key()) {
            m_leaderOf.insert(it.key(), leader);
            m_leaders.insert(leader);
        }
    }
}

QString FleetWatcher::idForServerId(const QString &serverId) const
{
    if (serverId.isEmpty())
        return {};
    for (const ServerEntry &e : m_servers.entries())
        if (e.serverId == serverId)
            return e.id;
    return {};
}

void FleetWatcher::forgetMissing()
{
    const QStringList listed = ids();
    for (const QString &id : m_status.keys()) {
        if (listed.contains(id))
            continue;
        m_status.remove(id);
        delete m_clients.take(id);
        m_clientEndpoints.remove(id);
        m_pollPasswords.remove(id);
        m_inFlight.remove(id);
        m_keychainAsked.remove(id);
        m_wasRunning.remove(id);
        m_clock.forget(id);
    }
    matchLeaders();
    Q_EMIT serversChanged();
}

void FleetWatcher::pollNow()
{
    for (const ServerEntry &e : m_servers.entries())
        if (!m_queued.contains(e.id)) {
            m_queue.append(e.id);
            m_queued.insert(e.id);
        }
    pollSlice();
}

void FleetWatcher::pollSlice()
{
    int started = 0;
    while (!m_queue.isEmpty() && started < SliceSize) {
        const QString id = m_queue.takeFirst();
        m_queued.remove(id);
        const ServerEntry *e = m_servers.entry(id);
        // One poll per server at a time: answers cannot arrive out of order.
        if (!e || m_inFlight.contains(id))
            continue;
        pollEntry(*e);
        started += m_inFlight.contains(id);
    }
    if (!m_queue.isEmpty())
        m_sliceTimer->start();
}

void FleetWatcher::pollEntry(const ServerEntry &e)
{
    if (m_passwords.has(e.id))
        return pollOne(e, m_passwords.cached(e.id));
    // Not opened this session: the keychain, once, without asking the operator.
    if (m_keychainAsked.contains(e.id))
        return;
    m_keychainAsked.insert(e.id);
    m_inFlight.insert(e.id);
    const QString id = e.id;
    m_passwords.peek(id, [this, id](bool found, const QString &password) {
        m_inFlight.remove(id);
        const ServerEntry *entry = m_servers.entry(id);
        if (!entry)
            return;
        ServerStatus &s = m_status[id];
        s.id = id;
        s.noPassword = !found;
        if (!found) {
            s.error = tr("no password stored: open it once to watch it");
            Q_EMIT polled(id);
            return;
        }
        pollOne(*entry, password);
    });
}

client::ReplicationClient *FleetWatcher::clientFor(const ServerEntry &e, const QString &password)
{
    const QString identity = e.endpoint + u'|' + e.user + u'|' + e.tlsPin + u'|' + password;
    client::ReplicationClient *&c = m_clients[e.id];
    if (c && m_clientEndpoints.value(e.id) == identity)
        return c;
    delete c; // the entry changed: its answers in flight are dropped with it
    client::ClientSettings s =
        client::ClientSettings::forEndpoint(e.endpoint, e.database, QString(), e.user, password, 5);
    s.tls.pinnedSha256 = e.tlsPin;
    c = new client::ReplicationClient(s, m_nam, this);
    m_clientEndpoints.insert(e.id, identity);
    m_status[e.id].dialect = {};
    return c;
}

void FleetWatcher::pollOne(const ServerEntry &e, const QString &password)
{
    client::ReplicationClient *c = clientFor(e, password);
    ServerStatus &status = m_status[e.id];
    status.id = e.id;
    status.noPassword = false;
    m_pollPasswords.insert(e.id, password);
    m_inFlight.insert(e.id);
    const QString id = e.id;
    if (!status.dialect.isKnown()) {
        // Once per server: what it is decides what there is to poll.
        client::probeServer(*c, c, [this, id](const client::ServerProbe &p) {
            probed(id, ops::Dialect::fromProbe(p), p.failure);
        });
        return;
    }
    const ops::Dialect d = status.dialect;
    // An applier where there is one, the logger where there is one (a leader's followers);
    // else a route that says the server is there (CouchDB's welcome; ArangoDB 3.12.10+'s WAL).
    const bool applier = d.has(ops::Feature::Applier);
    const bool logger = d.has(ops::Feature::LoggerState);
    auto pending = std::make_shared<int>(int(applier) + int(logger));
    const auto finish = [this, id, pending](const client::HttpResult &r) {
        answered(id, r);
        if (--*pending <= 0) {
            m_inFlight.remove(id);
            Q_EMIT polled(id);
        }
    };
    if (!applier && !logger) {
        *pending = 1;
        c->get(d.isCouchApi() ? QStringLiteral("/") : QStringLiteral("/_api/wal/lastTick"), {}, c,
               finish);
        return;
    }
    if (applier)
        c->get(QStringLiteral("/_api/replication/applier-state"), {}, c,
               [this, id, finish](client::HttpResult &r) {
                   if (r.ok())
                       if (const ServerEntry *entry = m_servers.entry(id))
                           applierAnswered(*entry, QJsonDocument::fromJson(r.body).object());
                   finish(r);
               });
    if (logger)
        c->get(QStringLiteral("/_api/replication/logger-state"), {}, c,
               [this, id, finish](client::HttpResult &r) {
                   if (r.ok()) {
                       ServerStatus &s = m_status[id];
                       s.logger = QJsonDocument::fromJson(r.body).object();
                       s.loggerReading = LoggerReading::fromState(s.logger);
                   }
                   finish(r);
               });
}

void FleetWatcher::probed(const QString &id, const ops::Dialect &d,
                          const client::HttpResult &failure)
{
    m_inFlight.remove(id);
    ServerStatus &s = m_status[id];
    if (!d.isKnown()) {
        answered(id, failure);
        Q_EMIT polled(id);
        return;
    }
    s.dialect = d;
    // Poll what it has right away rather than a whole interval later.
    if (const ServerEntry *e = m_servers.entry(id))
        pollOne(*e, m_pollPasswords.value(id));
}

void FleetWatcher::answered(const QString &id, const client::HttpResult &r)
{
    ServerStatus &s = m_status[id];
    s.polledAtMs = now();
    s.answered = r.answered();
    s.authFailed = r.status == 401 || r.status == 403 ? r.status : 0;
    s.error = r.ok() ? QString() : r.errorString;
}

void FleetWatcher::applierAnswered(const ServerEntry &e, const QJsonObject &state)
{
    ServerStatus &s = m_status[e.id];
    s.applier = state;
    const QString endpointBefore = s.reading.leaderEndpoint;
    s.reading = ApplierReading::fromState(state);
    if (s.reading.leaderEndpoint != endpointBefore)
        matchLeaders();
    if (const QString leader = m_leaderOf.value(e.id); !leader.isEmpty())
        if (const ServerEntry *l = m_servers.entry(leader); l && l->database == e.database)
            if (const auto it = m_status.constFind(leader); it != m_status.constEnd())
                s.reading.seeLeaderTick(it->loggerReading.lastTick);
    const qint64 t = now();
    if (s.reading.valid) {
        const quint64 ticks = s.reading.ticksBehind();
        s.secondsBehind = m_clock.secondsBehind(e.id, ticks, t);
        s.trail.add(t, ticks, s.secondsBehind);
        LagSample sample;
        sample.server = e.id;
        sample.database = e.database.isEmpty() ? QStringLiteral("_system") : e.database;
        sample.timeMs = t;
        sample.leaderTick = s.reading.leaderTick;
        sample.appliedTick = s.reading.appliedTick;
        sample.ticksBehind = ticks;
        sample.secondsBehind = s.secondsBehind;
        sample.running = s.reading.running;
        sample.errorNum = s.reading.errorNum;
        Q_EMIT lagSampled(sample);
    } else {
        s.secondsBehind = 0;
        m_clock.forget(e.id);
    }
    // A running applier that stopped with an error (not a stop on request): say so once.
    const bool wasRunning = m_wasRunning.value(e.id, false);
    m_wasRunning.insert(e.id, s.reading.running);
    if (wasRunning && s.reading.failed())
        Q_EMIT applierFailed(e.id, s.reading.errorNum, s.reading.errorMessage);
}

} // namespace repl::gui
