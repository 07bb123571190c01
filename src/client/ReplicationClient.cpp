#include "client/ReplicationClient.h"

#include "client/Endpoint.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QNetworkProxy>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QSslConfiguration>

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
    : ReplicationClient(std::move(settings), nullptr, parent)
{}

ReplicationClient::ReplicationClient(ClientSettings settings, QNetworkAccessManager *shared,
                                     QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_nam(shared && m_settings.proxy.isEmpty() ? shared : new QNetworkAccessManager(this))
{
    if (m_nam->parent() != this)
        return;
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
    // No callback runs from here: its context may be an owner half torn down (a widget whose
    // children are gone already).
    for (QNetworkReply *reply : findChildren<QNetworkReply *>()) {
        reply->disconnect(this);
        if (!reply->isFinished())
            reply->abort();
    }
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
        prefix = QStringLiteral("/_db/") + percentEncoded(m_settings.database);
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
    const bool https = url.scheme() == u"https";
    if (https) {
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.setProtocol(m_settings.tls.protocol);
        req.setSslConfiguration(ssl);
    }
    QNetworkReply *reply = m_nam->sendCustomRequest(req, method, body);
    reply->setParent(this); // ours to abort, also on a shared manager
    auto tls = std::make_shared<TlsFailure>();
    if (https)
        watchCertificate(reply, url, tls);
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    QPointer<QObject> guard(context);
    connect(reply, &QNetworkReply::finished, this,
            [reply, guard, callback = std::move(callback), requestId, method, url, timer, tls] {
                HttpResult r;
                r.requestId = requestId;
                r.elapsedMs = timer->elapsed();
                r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                if (reply->isOpen())
                    r.body = reply->readAll();
                for (const auto &h : reply->rawHeaderPairs())
                    r.headers.insert(h.first.toLower(), h.second);
                r.networkError = reply->error();
                if (tls->isSet()) {
                    // Refused for its certificate: say which and why, not "handshake failed"
                    // or, for a pin that did not match, "operation canceled".
                    r.status = 0;
                    r.body.clear();
                    r.headers.clear();
                    r.networkError = QNetworkReply::SslHandshakeFailedError;
                    r.tls = *tls;
                    r.errorString = tls->message();
                } else if (r.networkError != QNetworkReply::NoError && r.status == 0)
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

void ReplicationClient::watchCertificate(QNetworkReply *reply, const QUrl &url,
                                         std::shared_ptr<TlsFailure> tls)
{
    const QString pin = normalizeFingerprint(m_settings.tls.pinnedSha256);
    const QString peer = QStringLiteral("%1:%2").arg(url.host()).arg(url.port(443));
    auto describe = [tls, peer, pin](TlsFailure::Kind kind, const QSslCertificate &cert) {
        tls->kind = kind;
        tls->peer = peer;
        tls->certificate = cert;
        tls->fingerprint = sha256Fingerprint(cert);
        tls->subject = subjectText(cert);
        tls->issuer = issuerText(cert);
        tls->pinned = pin;
    };
    // Verification failed: the pinned certificate is accepted all the same (the operator
    // trusted exactly this one); anything else is refused and described.
    connect(reply, &QNetworkReply::sslErrors, this,
            [reply, tls, pin, describe](const QList<QSslError> &errors) {
                QSslCertificate cert = reply->sslConfiguration().peerCertificate();
                for (const QSslError &e : errors)
                    if (cert.isNull() && !e.certificate().isNull())
                        cert = e.certificate();
                const QString fingerprint = sha256Fingerprint(cert);
                if (!pin.isEmpty() && fingerprint == pin) {
                    reply->ignoreSslErrors(errors);
                    return;
                }
                describe(pin.isEmpty() ? TlsFailure::Kind::Untrusted
                                       : TlsFailure::Kind::CertificateChanged,
                         cert);
                for (const QSslError &e : errors)
                    if (!tls->errors.contains(e.errorString()))
                        tls->errors << e.errorString();
                qCDebug(lcClientHttp).noquote() << tls->message();
            });
    if (pin.isEmpty())
        return;
    // Verified by a CA, but a pin is set: only the pinned certificate will do.
    connect(reply, &QNetworkReply::encrypted, this, [reply, pin, describe, tls] {
        const QSslCertificate cert = reply->sslConfiguration().peerCertificate();
        if (sha256Fingerprint(cert) == pin)
            return;
        describe(TlsFailure::Kind::CertificateChanged, cert);
        qCDebug(lcClientHttp).noquote() << tls->message();
        reply->abort();
    });
}

void ReplicationClient::abortAll()
{
    for (QNetworkReply *reply : findChildren<QNetworkReply *>())
        if (!reply->isFinished())
            reply->abort();
}

} // namespace repl::client
