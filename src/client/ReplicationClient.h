#pragma once

#include "client/HttpCall.h"
#include "client/Tls.h"

#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QUrl>
#include <QUrlQuery>

#include <functional>
#include <memory>

namespace repl::client {

struct ClientSettings
{
    QUrl base;        // http(s)://host:port
    QString database; // "" or "_system" → plain paths
    QString username;
    QString password;
    // No data for this long aborts a call (QNetworkRequest's transfer timeout).
    int requestTimeoutMs = 600000;
    // Extra headers on every request (CouchDB endpoint objects); an Authorization header here
    // replaces the Basic one made from username/password.
    QList<QPair<QByteArray, QByteArray>> headers;
    // http://, https:// or socks5:// proxy URL; empty: the application's default.
    QString proxy;
    // https: the certificate pinned for this server and the protocol versions offered (the
    // CAs trusted are the process's: see setTrustedCaFile).
    TlsOptions tls;

    // From what an operator configures: an ArangoDB-style endpoint (tcp://, ssl://, http(s)://),
    // a database ("" = `fallbackDatabase`), credentials and a timeout in seconds.
    static ClientSettings forEndpoint(const QString &endpoint, const QString &database,
                                      const QString &fallbackDatabase, const QString &username,
                                      const QString &password, double timeoutSeconds);
};

// Asynchronous HTTP to a replication peer (repldesk-server, ArangoDB, CouchDB) over one
// QNetworkAccessManager. Lives on a thread with an event loop; callbacks run there and are
// dropped when their context object is gone. Every request carries an X-Request-ID and is
// logged with method, URL, status and time (category repldesk.client.http).
class ReplicationClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReplicationClient)

public:
    // The result is the callback's to keep: it may move the body out.
    using Callback = std::function<void(HttpResult &)>;

    explicit ReplicationClient(ClientSettings settings, QObject *parent = nullptr);
    // Over `shared` (not owned, must outlive this client) unless the settings name a proxy:
    // many clients of one watcher then share one HTTP thread and its connection pools.
    ReplicationClient(ClientSettings settings, QNetworkAccessManager *shared,
                      QObject *parent = nullptr);
    ~ReplicationClient() override;

    const ClientSettings &settings() const { return m_settings; }
    void setSettings(const ClientSettings &s) { m_settings = s; }

    // `path` starts at "/_api/…"; it is prefixed with /_db/{database} when one is set.
    void request(const QByteArray &method, const QString &path, const QUrlQuery &query,
                 const QByteArray &body, QObject *context, Callback callback, int timeoutMs = -1);
    void get(const QString &path, const QUrlQuery &query, QObject *context, Callback cb,
             int timeoutMs = -1)
    {
        request("GET", path, query, {}, context, std::move(cb), timeoutMs);
    }
    // Aborts every call in flight (their callbacks get status 0, OperationCanceledError).
    void abortAll();

    QString describe() const; // "http://host:port (database x)" for messages

private:
    // Checks the certificate `reply` is given against the pin, and describes a refusal in
    // `tls` for the reply's result.
    void watchCertificate(QNetworkReply *reply, const QUrl &url, std::shared_ptr<TlsFailure> tls);

    ClientSettings m_settings;
    QNetworkAccessManager *m_nam;
    quint64 m_counter = 0;
};

} // namespace repl::client
