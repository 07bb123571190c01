#include "client/ReplicationClient.h"

#include "client/Endpoint.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QNetworkProxy>
#include <QNetworkRequest>
#include <QRandomGenerator>

Q_LOGGING_CATEGORY(lcClientHttp, "repldesk.client.http", QtInfoMsg)

namespace repl::client {

ClientSettings ClientSettings::forEndpoint(const QString &endpoint, const QString &database,
                                           const QString &fallbackDatabase, const QString &username,
                                           const QString &password, double timeoutSeconds)
{
    ClientSettings s;
    s.base = normalizeEndpoint(endpoint);
    s.database = database.isEmpty() ? fallbackDatabase : database;
    s.username = username;
    s.password = password;
    s.requestTimeoutMs = int(timeoutSeconds * 1000);
    return s;
}

ReplicationClient::ReplicationClient(ClientSettings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_nam(new QNetworkAccessManager(this))
{
    m_nam->setAutoDeleteReplies(false);
    if (!m_settings.proxy.isEmpty()) {
        const QUrl p(m_settings.proxy);
        const QNetworkProxy::ProxyType type =
            p.scheme() == u"socks5" ? QNetworkProxy::Socks5Proxy : QNetworkProxy::HttpProxy;
        m_nam->setProxy(QNetworkProxy(
            type, p.host(), quint16(p.port(type == QNetworkProxy::Socks5Proxy ? 1080 : 3128)),
            p.userName(QUrl::FullyDecoded), p.password(QUrl::FullyDecoded)));
    }
}

ReplicationClient::~ReplicationClient()
{
    abortAll();
}

QString ReplicationClient::describe() const
{
    const QString db =
        m_settings.database.isEmpty() ? QStringLiteral("_system") : m_settings.database;
    return QStringLiteral("%1 (database %2)")
        .arg(m_settings.base.toString(QUrl::RemoveUserInfo), db);
}

void ReplicationClient::request(const QByteArray &method, const QString &path,
                                const QUrlQuery &query, const QByteArray &body, QObject *context,
                                Callback callback, int timeoutMs)
{
    QUrl url = m_settings.base;
    QString prefix;
    if (!m_settings.database.isEmpty() && m_settings.database != u"_system")
        prefix = QStringLiteral("/_db/") +
                 percentEncoded(m_settings.database);
    // Callers percent-encode names in `path` (a database "a/b", a document "_design/x"):
    // tolerant mode keeps their escapes and encodes whatever else needs it.
    const QString base = url.path(QUrl::FullyEncoded);
    url.setPath(base.chopped(base.endsWith(u'/') ? 1 : 0) + prefix + path, QUrl::TolerantMode);
    url.setQuery(query);
    QNetworkRequest req(url);
    const QByteArray requestId = QByteArray::number(QRandomGenerator::global()->generate64(), 36) +
                                 '-' + QByteArray::number(++m_counter);
    req.setRawHeader("X-Request-ID", requestId);
    if (!m_settings.username.isEmpty() || !m_settings.password.isEmpty())
        req.setRawHeader("Authorization",
                         basicAuthorization(m_settings.username, m_settings.password));
    req.setRawHeader("Accept", "application/json");
    for (const auto &h : m_settings.headers)
        req.setRawHeader(h.first, h.second);
    if (!body.isEmpty())
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    req.setTransferTimeout(timeoutMs >= 0 ? timeoutMs : m_settings.requestTimeoutMs);
    QNetworkReply *reply = m_nam->sendCustomRequest(req, method, body);
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    QPointer<QObject> guard(context);
    connect(reply, &QNetworkReply::finished, this,
            [reply, guard, callback = std::move(callback), requestId, method, url, timer] {
                HttpResult r;
                r.requestId = requestId;
                r.elapsedMs = timer->elapsed();
                r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                if (reply->isOpen())
                    r.body = reply->readAll();
                for (const auto &h : reply->rawHeaderPairs())
                    r.headers.insert(h.first.toLower(), h.second);
                r.networkError = reply->error();
                if (r.networkError != QNetworkReply::NoError && r.status == 0)
                    r.errorString = reply->errorString();
                else if (!r.ok())
                    r.errorString = r.serverMessage();
                qCDebug(lcClientHttp).noquote()
                    << requestId << method << url.toString(QUrl::RemoveUserInfo) << "->" << r.status
                    << r.elapsedMs << "ms" << r.errorString;
                reply->deleteLater();
                if (guard)
                    callback(r);
            });
}

void ReplicationClient::abortAll()
{
    for (QNetworkReply *reply : m_nam->findChildren<QNetworkReply *>())
        if (!reply->isFinished())
            reply->abort();
}

} // namespace repl::client
