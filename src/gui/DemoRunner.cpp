#include "gui/DemoRunner.h"

#include "client/Endpoint.h"

#include "client/ReplicationClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

namespace repl::gui {

namespace {
QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

const char *const Cities[] = {"Berlin", "Lisbon", "Oslo", "Porto",
                              "Turin",  "Ghent",  "Lyon", "Graz"};
} // namespace

DemoRunner::DemoRunner(const QUrl &leader, const QString &leaderPassword, const QUrl &follower,
                       const QString &followerPassword, QObject *parent)
    : QObject(parent)
    , m_leaderUrl(leader)
    , m_leaderPassword(leaderPassword)
{
    client::ClientSettings l;
    l.base = leader;
    l.username = QStringLiteral("root");
    l.password = leaderPassword;
    l.requestTimeoutMs = 30000;
    client::ClientSettings f = l;
    f.base = follower;
    f.password = followerPassword;
    f.requestTimeoutMs = 600000;
    m_leader = new client::ReplicationClient(l, this);
    m_follower = new client::ReplicationClient(f, this);
    m_load.setInterval(250);
    connect(&m_load, &QTimer::timeout, this, &DemoRunner::tick);
}

void DemoRunner::start()
{
    Q_EMIT progress(tr("Demo: preparing the leader…"));
    m_leader->request(
        "PUT", QStringLiteral("/_api/replication/logger-start"), {}, {}, this,
        [this](const client::HttpResult &r) {
            if (!r.ok())
                return Q_EMIT failed(
                    tr("Demo: cannot start the leader's logger: %1").arg(r.serverMessage()));
            seedLeader();
        });
}

void DemoRunner::stop()
{
    m_load.stop();
}

void DemoRunner::seedLeader()
{
    // One step after another: the import needs its collection, the index its collection too.
    m_leader->request(
        "POST", QStringLiteral("/_api/collection"), {},
        json({{QStringLiteral("name"), QStringLiteral("demo_customers")}}), this,
        [this](const client::HttpResult &) { // 409 when it exists: fine
            m_leader->request(
                "POST", QStringLiteral("/_api/collection"), {},
                json({{QStringLiteral("name"), QStringLiteral("demo_orders")}}), this,
                [this](const client::HttpResult &) {
                    QByteArray lines;
                    for (int i = 0; i < 300; ++i)
                        lines +=
                            json({{QStringLiteral("_key"), QStringLiteral("c%1").arg(i)},
                                  {QStringLiteral("name"), QStringLiteral("Customer %1").arg(i)},
                                  {QStringLiteral("city"), QLatin1String(Cities[i % 8])}}) +
                            '\n';
                    QUrlQuery q;
                    q.addQueryItem(QStringLiteral("collection"), QStringLiteral("demo_customers"));
                    q.addQueryItem(QStringLiteral("onDuplicate"), QStringLiteral("ignore"));
                    m_leader->request(
                        "POST", QStringLiteral("/_api/import"), q, lines, this,
                        [this](const client::HttpResult &r) {
                            if (!r.ok())
                                return Q_EMIT failed(
                                    tr("Demo: cannot load the sample customers: %1")
                                        .arg(r.serverMessage()));
                            QUrlQuery iq;
                            iq.addQueryItem(QStringLiteral("collection"),
                                            QStringLiteral("demo_orders"));
                            m_leader->request(
                                "POST", QStringLiteral("/_api/index"), iq,
                                json({{QStringLiteral("type"), QStringLiteral("persistent")},
                                      {QStringLiteral("fields"),
                                       QJsonArray{QStringLiteral("customer")}}}),
                                this, [this](const client::HttpResult &) { syncFollower(); });
                        });
                });
        });
}

void DemoRunner::syncFollower()
{
    Q_EMIT progress(tr("Demo: the follower copies the leader (sync)…"));
    const QJsonObject leader{{QStringLiteral("endpoint"), m_leaderUrl.toString()},
                             {QStringLiteral("username"), QStringLiteral("root")},
                             {QStringLiteral("password"), m_leaderPassword}};
    m_follower->request(
        "PUT", QStringLiteral("/_api/replication/applier-stop"), {}, {}, this,
        [this, leader](const client::HttpResult &) {
            m_follower->request(
                "PUT", QStringLiteral("/_api/replication/sync"), {}, json(leader), this,
                [this, leader](const client::HttpResult &r) {
                    if (!r.ok())
                        return Q_EMIT failed(tr("Demo: sync failed: %1").arg(r.serverMessage()));
                    QJsonObject cfg = leader;
                    cfg.insert(QStringLiteral("idleMinWaitTime"), 0.2);
                    cfg.insert(QStringLiteral("idleMaxWaitTime"), 1.0);
                    cfg.insert(QStringLiteral("connectionRetryWaitTime"), 1.0);
                    m_follower->request(
                        "PUT", QStringLiteral("/_api/replication/applier-config"), {}, json(cfg),
                        this, [this](const client::HttpResult &c) {
                            if (!c.ok())
                                return Q_EMIT failed(c.serverMessage());
                            m_follower->request(
                                "PUT", QStringLiteral("/_api/replication/applier-start"), {}, {},
                                this, [this](const client::HttpResult &s) {
                                    if (!s.ok())
                                        return Q_EMIT failed(s.serverMessage());
                                    Q_EMIT progress(tr(
                                        "Demo running: the follower applies the leader's writes."));
                                    Q_EMIT running();
                                    m_load.start();
                                    startBackup();
                                });
                        });
                });
        });
}

void DemoRunner::startBackup()
{
    // The CouchDB face at work on the same data, CouchDB 3's way: a _replicator document for
    // a continuous copy of the orders into a backup database (it survives restarts; writing it
    // again when it exists is a harmless 409).
    const client::ClientSettings &s = m_leader->settings();
    auto endpoint = [&s](const QString &db) {
        QUrl url = s.base;
        url.setPath(u'/' + db);
        return QJsonObject{
            {QStringLiteral("url"), url.toString()},
            {QStringLiteral("headers"), QJsonObject{{QStringLiteral("Authorization"),
                                                     QString::fromLatin1(client::basicAuthorization(
                                                         s.username, s.password))}}}};
    };
    m_leader->request(
        "PUT", QStringLiteral("/_replicator/demo-orders-backup"), {},
        json({{QStringLiteral("source"), endpoint(QStringLiteral("demo_orders"))},
              {QStringLiteral("target"), endpoint(QStringLiteral("demo_orders_backup"))},
              {QStringLiteral("create_target"), true},
              {QStringLiteral("continuous"), true},
              {QStringLiteral("checkpoint_interval"), 5000}}),
        this, [](const client::HttpResult &) {});
}

void DemoRunner::tick()
{
    // A few orders per tick, now and then an update and a cancellation.
    QJsonArray batch;
    const int n = 1 + QRandomGenerator::global()->bounded(4);
    for (int i = 0; i < n; ++i) {
        const int id = m_next++;
        batch.append(QJsonObject{
            {QStringLiteral("_key"), QStringLiteral("o%1").arg(id)},
            {QStringLiteral("customer"),
             QStringLiteral("c%1").arg(QRandomGenerator::global()->bounded(300))},
            {QStringLiteral("amount"), QRandomGenerator::global()->bounded(1000) / 10.0}});
    }
    m_leader->request("POST", QStringLiteral("/_api/document/demo_orders"), {},
                      QJsonDocument(batch).toJson(QJsonDocument::Compact), this,
                      [this, n](const client::HttpResult &r) {
                          if (r.ok())
                              m_writes += n;
                      });
    if (m_next > 10 && m_next % 7 == 0)
        m_leader->request("PATCH", QStringLiteral("/_api/document/demo_orders/o%1").arg(m_next - 5),
                          {}, json({{QStringLiteral("status"), QStringLiteral("shipped")}}), this,
                          [](const client::HttpResult &) {});
    if (m_next > 20 && m_next % 11 == 0)
        m_leader->request("DELETE",
                          QStringLiteral("/_api/document/demo_orders/o%1").arg(m_next - 15), {}, {},
                          this, [](const client::HttpResult &) {});
}

} // namespace repl::gui
