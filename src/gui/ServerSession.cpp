#include "gui/ServerSession.h"

#include "client/Endpoint.h"

#include <QJsonDocument>

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
    m_client->get(QStringLiteral("/_api/version"), {}, this, [this](const client::HttpResult &v) {
        if (!v.ok()) {
            m_inFlight = false;
            return report(v);
        }
        const QJsonObject version = QJsonDocument::fromJson(v.body).object();
        m_client->get(QStringLiteral("/_api/replication/server-id"), {}, this,
                      [this, version](const client::HttpResult &s) {
                          const QString id = QJsonDocument::fromJson(s.body)
                                                 .object()
                                                 .value(QStringLiteral("serverId"))
                                                 .toString();
                          Q_EMIT statusChanged(
                              ServerEntry::State::Reachable,
                              tr("connected: %1 %2")
                                  .arg(version.value(QStringLiteral("server")).toString(),
                                       version.value(QStringLiteral("version")).toString()),
                              version.value(QStringLiteral("version")).toString(), id);
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
    });
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

} // namespace repl::gui
