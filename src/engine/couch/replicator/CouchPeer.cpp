#include "engine/couch/replicator/CouchPeer.h"

#include "client/ReplicationClient.h"

#include <QJsonDocument>

namespace repl {

QString PeerSpec::describe() const
{
    return isLocal() ? localName : url.toString(QUrl::RemoveUserInfo);
}

QString PeerSpec::identity() const
{
    if (isLocal())
        return QStringLiteral("local:") + localName;
    QString id = url.toString(QUrl::RemoveUserInfo | QUrl::StripTrailingSlash) + u'/';
    if (!username.isEmpty())
        id = username + u'@' + id;
    for (const auto &h : headers)
        if (h.first.toLower() != "authorization")
            id += u'|' + QString::fromUtf8(h.first.toLower() + ':' + h.second);
    return id;
}

QByteArray PeerBody::bytes() const
{
    return m_isJson ? QJsonDocument(m_json).toJson(QJsonDocument::Compact) : m_bytes;
}

namespace {

class HttpPeer final : public CouchPeer
{
public:
    HttpPeer(const PeerSpec &spec, int timeoutMs)
    {
        client::ClientSettings s;
        s.base = spec.url;
        s.username = spec.username;
        s.password = spec.password;
        // Plain answers, as CouchDB's own replicator asks: a peer that compresses for clients
        // that accept it (pouchdb-server gzips) spends a third more CPU per document on it, and
        // we as much again to inflate. A `headers` entry of the job's own still wins.
        s.headers = {{QByteArrayLiteral("Accept-Encoding"), QByteArrayLiteral("identity")}};
        s.headers += spec.headers;
        s.proxy = spec.proxy;
        s.requestTimeoutMs = timeoutMs;
        m_client = new client::ReplicationClient(s, this);
    }

    void request(const QByteArray &method, const QString &path, const QUrlQuery &query,
                 const PeerBody &body, QObject *context, Callback callback, int timeoutMs) override
    {
        m_client->request(method, path, query, body.bytes(), context, std::move(callback),
                          timeoutMs);
    }
    void abortAll() override { m_client->abortAll(); }
    bool isLocal() const override { return false; }

private:
    client::ReplicationClient *m_client;
};

} // namespace

std::unique_ptr<CouchPeer> makeHttpPeer(const PeerSpec &spec, int timeoutMs)
{
    return std::make_unique<HttpPeer>(spec, timeoutMs);
}

} // namespace repl
