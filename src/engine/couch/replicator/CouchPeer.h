#pragma once

#include "client/HttpCall.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPair>
#include <QString>
#include <QUrl>
#include <QUrlQuery>

#include <functional>
#include <memory>

namespace repl {

namespace storage {
class Connection;
}

// Where one side of a /_replicate job is: a database of this server (by name) or a CouchDB
// database URL with its credentials, headers and proxy. Credentials never appear in
// describe(), logs or task lists.
struct PeerSpec
{
    QString localName; // set: a database of this server
    QUrl url;          // else: http(s)://host:port/path/db (no user info)
    QString username;
    QString password;
    QList<QPair<QByteArray, QByteArray>> headers;
    QString proxy;

    bool isLocal() const { return !localName.isEmpty(); }
    // The URL (or name) without credentials, as shown to operators.
    QString describe() const;
    // What identifies the endpoint in a replication id: URL with user, headers minus
    // Authorization (passwords never enter the id).
    QString identity() const;
};

// A request body: bytes, or a JSON object the replicator made. A local peer takes the object
// as it is; an HTTP peer writes it out. (A batch's _bulk_docs written out and read back was
// ~4 us a document, a quarter of the target's time in a pull.)
class PeerBody
{
public:
    PeerBody() = default;
    PeerBody(QByteArray bytes)
        : m_bytes(std::move(bytes))
    {}
    PeerBody(QJsonObject json)
        : m_json(std::move(json))
        , m_isJson(true)
    {}
    bool isJson() const { return m_isJson; }
    const QJsonObject &json() const { return m_json; }
    QByteArray bytes() const; // the object as compact JSON, or the bytes

private:
    QByteArray m_bytes;
    QJsonObject m_json;
    bool m_isJson = false;
};

// One side of a replication, spoken to in CouchDB's HTTP terms whatever it is. `path` is
// relative to the database: "" is the database itself, "/_changes", "/_local/x", …
// Callbacks run on the thread of `context` and are dropped when it is gone.
class CouchPeer : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(const client::HttpResult &)>;
    using QObject::QObject;

    virtual void request(const QByteArray &method, const QString &path, const QUrlQuery &query,
                         const PeerBody &body, QObject *context, Callback callback,
                         int timeoutMs = -1) = 0;
    virtual void abortAll() {}
    virtual bool isLocal() const = 0;
};

// A peer over HTTP (any CouchDB-protocol server, including another repldesk-server).
std::unique_ptr<CouchPeer> makeHttpPeer(const PeerSpec &spec, int timeoutMs);

// What a local peer runs on: `submit` queues a task on the replication manager's own
// read-only workers (never the request workers a blocked POST /_replicate may hold), and
// answers are posted to `anchor`, which lives on the replication thread until every job is
// gone, so a callback never races a job's deletion.
struct LocalPeerContext
{
    std::function<void(std::function<void(storage::Connection &)>)> submit;
    QObject *anchor = nullptr;
};

// Makes peers for databases of this server; provided by the HTTP layer, which can answer
// CouchDB requests in-process without a socket.
using LocalPeerFactory = std::function<std::unique_ptr<CouchPeer>(const QString &database,
                                                                  const LocalPeerContext &context)>;

} // namespace repl
