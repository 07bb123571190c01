#include "server/HttpServer.h"

#include "engine/Engine.h"
#include "engine/couch/JsSandbox.h"
#include "engine/couch/replicator/CouchPeer.h"
#include "engine/couch/replicator/ReplicationManager.h"
#include "server/ConnectionGuard.h"
#include "server/HttpMetrics.h"
#include "server/Routes.h"
#include "server/couch/CouchRoutes.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QLoggingCategory>
#include <QPointer>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <memory>

Q_LOGGING_CATEGORY(lcHttp, "repldesk.server.http", QtInfoMsg)

namespace repl::server {

namespace {

// The CouchDB face's requests, over HTTP and from in-process peers alike: routed in _system,
// every failure answered in CouchDB's {error, reason} shape.
Response dispatchCouch(const Router &router, Engine &engine, storage::Connection &reader,
                       const Request &request)
{
    try {
        const auto catalog = engine.catalog();
        const DatabaseInfo *sys = catalog->database(QStringLiteral("_system"));
        if (!sys)
            throw Error::internal(QStringLiteral("no _system database"));
        return router.dispatch(request, engine, reader, *sys);
    } catch (const Error &e) {
        return couchErrorResponse(e);
    } catch (const std::exception &e) {
        qCWarning(lcHttp) << "request" << request.requestId << request.rawPath
                          << "failed:" << e.what();
        return Response::couchError(500, QStringLiteral("unknown_error"),
                                    QString::fromUtf8(e.what()));
    }
}

// Every plain connection goes through the connection guard before QtHttpServer sees it:
// caps, timeouts, framing, limits and credentials are checked on each request head there
// (which also answers "Expect: 100-continue", which QtHttpServer 6.4 never does). Its
// readyRead handler must be the socket's first.
#if QT_VERSION < QT_VERSION_CHECK(6, 5, 0)
class GuardedTcpServer final : public QTcpServer
{
public:
    GuardedTcpServer(ConnectionGuard *guard, QObject *parent)
        : QTcpServer(parent)
        , m_guard(guard)
    {}

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        if (m_guard->admit(socket))
            addPendingConnection(socket);
    }

private:
    ConnectionGuard *m_guard;
};
#endif

Method toMethod(QHttpServerRequest::Method m)
{
    switch (m) {
    case QHttpServerRequest::Method::Get:
        return Method::Get;
    case QHttpServerRequest::Method::Put:
        return Method::Put;
    case QHttpServerRequest::Method::Post:
        return Method::Post;
    case QHttpServerRequest::Method::Delete:
        return Method::Delete;
    case QHttpServerRequest::Method::Head:
        return Method::Head;
    case QHttpServerRequest::Method::Patch:
        return Method::Patch;
    case QHttpServerRequest::Method::Options:
        return Method::Options;
    default:
        return Method::Other;
    }
}

// Answers from this size on have their memory handed back soon after (Engine::memoryFreed).
constexpr qsizetype LargeAnswerBytes = qsizetype(8) << 20;

void send(QHttpServerResponder &responder, const Response &r, bool head)
{
    using Status = QHttpServerResponder::StatusCode;
    responder.writeStatusLine(static_cast<Status>(r.status));
    const bool noBody = r.status == 204 || r.status == 304;
    if (!noBody && !r.contentType.isEmpty())
        responder.writeHeader("Content-Type", r.contentType);
    for (const auto &h : r.headers)
        responder.writeHeader(h.first, h.second);
    if (noBody) {
        responder.writeBody(QByteArray());
        return;
    }
    responder.writeHeader("Content-Length", QByteArray::number(r.body.size()));
    responder.writeBody(head ? QByteArray() : r.body);
}

// A database of this server as a replication peer: CouchDB requests answered in-process on
// a request worker (no socket, no auth: the job was authorized when it was posted).
class LocalCouchPeer final : public CouchPeer
{
public:
    LocalCouchPeer(Engine &engine, std::shared_ptr<Router> router, QString database,
                   LocalPeerContext context)
        : m_engine(engine)
        , m_router(std::move(router))
        , m_database(std::move(database))
        , m_context(std::move(context))
    {}

    void request(const QByteArray &method, const QString &path, const QUrlQuery &query,
                 const PeerBody &body, QObject *context, Callback callback, int) override
    {
        auto req = std::make_shared<Request>();
        req->couch = true;
        req->method = method == "PUT"      ? Method::Put
                      : method == "POST"   ? Method::Post
                      : method == "DELETE" ? Method::Delete
                      : method == "HEAD"   ? Method::Head
                                           : Method::Get;
        req->path = QStringList{m_database};
        for (const QString &raw : path.split(u'/', Qt::SkipEmptyParts))
            req->path.append(QUrl::fromPercentEncoding(raw.toUtf8()));
        req->rawPath = u'/' + req->path.join(u'/');
        req->query = query;
        if (body.isJson())
            req->parsedBody = body.json();
        else
            req->body = body.bytes();
        req->headers.insert("content-type", "application/json");
        req->receivedMs = QDateTime::currentMSecsSinceEpoch();
        req->requestId = "local";
        QPointer<QObject> guard(context);
        Engine *engine = &m_engine;
        std::shared_ptr<Router> router = m_router;
        QObject *anchor = m_context.anchor;
        m_context.submit(
            [engine, router, req, guard, callback, anchor](storage::Connection &reader) {
                client::HttpResult result;
                // A local peer is never asked to long-poll (its jobs are woken by commits):
                // a parked answer would be a bug, so it fails loudly instead of saying
                // "nothing since 0".
                const Response r = dispatchCouch(*router, *engine, reader, *req);
                result.status = r.park ? 500 : r.status;
                result.body = r.park ? Response::couchError(500, QStringLiteral("unknown_error"),
                                                            QStringLiteral("a local peer parked"))
                                           .body
                                     : r.body;
                if (!result.ok())
                    result.errorString = result.serverMessage();
                // Checked on the replication thread, where jobs are deleted: no race.
                QMetaObject::invokeMethod(anchor, [guard, callback, result] {
                    if (guard)
                        callback(result);
                });
            });
    }
    bool isLocal() const override { return true; }

private:
    Engine &m_engine;
    std::shared_ptr<Router> m_router;
    QString m_database;
    LocalPeerContext m_context;
};

} // namespace

HttpServer::HttpServer(Engine &engine, const HttpLimits &limits, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_engine(engine)
    , m_guard(new ConnectionGuard(limits, engine.auth(), this))
    , m_metrics(std::make_shared<HttpMetrics>())
{
    m_guard->setMetrics(m_metrics);
    registerAdminRoutes(m_router);
    registerCollectionRoutes(m_router);
    registerDocumentRoutes(m_router);
    registerIndexRoutes(m_router);
    registerReplicationRoutes(m_router);
    registerMetricsRoutes(m_router, m_metrics);
    m_couchRouter = std::make_shared<Router>();
    registerCouchRoutes(*m_couchRouter);
    if (m_engine.isOpen()) {
        JsSandbox::of(m_engine); // attached before serving: design documents' JavaScript
        Engine *engine = &m_engine;
        std::shared_ptr<Router> router = m_couchRouter;
        ReplicationManager::of(m_engine).setLocalPeerFactory(
            [engine, router](const QString &db, const LocalPeerContext &context) {
                return std::unique_ptr<CouchPeer>(new LocalCouchPeer(*engine, router, db, context));
            });
    }
    connect(&m_engine, &Engine::logAppended, this, &HttpServer::onLogAppended,
            Qt::QueuedConnection);
    connect(&m_engine, &Engine::committed, this, &HttpServer::onCommitted, Qt::QueuedConnection);
}

HttpServer::~HttpServer()
{
    if (m_engine.isOpen())
        ReplicationManager::of(m_engine).setLocalPeerFactory(nullptr);
}

quint16 HttpServer::listenOn(const QHostAddress &address, quint16 port)
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    // Newer QtHttpServer reparents sockets and replays readyRead after a response, which the
    // peek above does not expect: check Expect handling there before enabling it.
    return listen(address, port);
#else
    auto *tcp = new GuardedTcpServer(m_guard, this);
    if (!tcp->listen(address, port)) {
        qCWarning(lcHttp).noquote()
            << "cannot listen on" << address.toString() << port << ":" << tcp->errorString();
        delete tcp;
        return 0;
    }
    bind(tcp);
    m_guard->watch(tcp);
    return tcp->serverPort();
#endif
}

quint16 HttpServer::listenTls(const QHostAddress &address, quint16 port,
                              const QSslConfiguration &configuration)
{
    // QSslServer hands a connection on once its handshake is done (or drops it after the
    // handshake timeout): QtHttpServer then reads decrypted requests as from any socket.
    auto *ssl = new QSslServer(this);
    ssl->setSslConfiguration(configuration);
#if QT_VERSION < QT_VERSION_CHECK(6, 5, 0)
    connect(ssl, &QSslServer::startedEncryptionHandshake, ssl,
            [this](QSslSocket *socket) { m_guard->admit(socket); });
#endif
    connect(
        ssl, &QSslServer::errorOccurred, ssl, [](QSslSocket *socket, QAbstractSocket::SocketError) {
            qCDebug(lcHttp).noquote() << "TLS connection from" << socket->peerAddress().toString()
                                      << "failed:" << socket->errorString();
        });
    if (!ssl->listen(address, port)) {
        qCWarning(lcHttp).noquote()
            << "cannot listen on" << address.toString() << port << ":" << ssl->errorString();
        delete ssl;
        return 0;
    }
    bind(ssl);
    m_guard->watch(ssl);
    return ssl->serverPort();
}

bool HttpServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    bool authenticated = false;
    quint64 guardId = 0;
    if (!m_guard->beginRequest(socket, request.body().size(), request.headers().size(),
                               authenticated, guardId))
        return true; // not the request the guard framed: the connection is closed
    auto req = std::make_shared<Request>();
    req->arrived = std::chrono::steady_clock::now();
    req->authenticated = authenticated;
    req->method = toMethod(request.method());
    const QUrl url = request.url();
    req->rawPath = url.path(QUrl::FullyEncoded);
    req->query = request.query();
    req->body = request.body();
    for (const auto &h : request.headers())
        req->headers.insert(h.first.toLower(), h.second);
    req->requestId = req->headers.value("x-request-id");
    if (req->requestId.isEmpty())
        req->requestId = QByteArray::number(++m_requestCounter);
    req->receivedMs = QDateTime::currentMSecsSinceEpoch();
    // Split before decoding, so an encoded slash (CouchDB ids such as _design%2Fx) stays
    // inside its segment.
    QStringList segments;
    for (const QString &raw : req->rawPath.split(u'/', Qt::SkipEmptyParts))
        segments.append(QUrl::fromPercentEncoding(raw.toUtf8()));
    if (segments.size() >= 2 && segments[0] == u"_db") {
        req->database = segments[1];
        segments = segments.mid(2);
    } else {
        // ArangoDB's routes all start with _api, _admin or _open; everything else is the
        // CouchDB face (/, /_replicate, /{db}/…).
        static const QStringList arango{QStringLiteral("_api"), QStringLiteral("_admin"),
                                        QStringLiteral("_open")};
        req->couch = segments.isEmpty() || !arango.contains(segments.first());
    }
    req->path = std::move(segments);

    // The answer is complete when its responder goes (any thread): the connection is idle again.
    std::shared_ptr<QHttpServerResponder> responder(
        new QHttpServerResponder(makeResponder(request, socket)),
        [guard = QPointer<ConnectionGuard>(m_guard), guardId](QHttpServerResponder *r) {
            delete r;
            if (guard)
                guard->endRequest(guardId);
        });
    dispatch(std::move(req), std::move(responder), QPointer<QTcpSocket>(socket));
    return true;
}

struct HttpServer::Parked
{
    std::shared_ptr<Request> request;
    std::shared_ptr<QHttpServerResponder> responder;
    QPointer<QTcpSocket> socket;
    qint64 db = 0;
    qint64 cid = 0; // db -1: the collection whose commits wake it
    Tick from = 0;
    QTimer timer;
    bool done = false;
    // A streamed answer (continuous changes): heartbeat and idle timers.
    bool streaming = false;
    Response::Stream stream;
    QString resumeParam; // set on re-runs to `from`
    QByteArray closing;  // a stream's last words after its idle timeout
    QTimer heartbeat;
    QTimer idle;
};

void HttpServer::dispatch(std::shared_ptr<Request> req,
                          std::shared_ptr<QHttpServerResponder> responder,
                          QPointer<QTcpSocket> alive)
{
    QPointer<HttpServer> self(this);
    m_engine.submit([this, self, req, responder, alive](storage::Connection &reader) {
        QElapsedTimer timer;
        timer.start();
        Response response = process(*req, reader);
        // A large answer's makings are freed by now (its body goes once it is written).
        if (response.body.size() >= LargeAnswerBytes)
            m_engine.memoryFreed();
        response.header("X-Request-ID", req->requestId);
        qCDebug(lcHttp).noquote() << req->requestId << int(req->method) << req->rawPath << "->"
                                  << response.status << timer.elapsed() << "ms";
        if (!self)
            return;
        const bool head = req->method == Method::Head;
        QMetaObject::invokeMethod(
            self.data(),
            [this, self, req, responder, alive, response = std::move(response), head] {
                if (!alive || alive->state() != QAbstractSocket::ConnectedState)
                    return;
                if (response.later) { // answered when it is fulfilled, on this thread
                    response.later->attach([self, req, responder, alive, head](Response done) {
                        done.header("X-Request-ID", req->requestId);
                        if (HttpServer *server = self.data())
                            QMetaObject::invokeMethod(
                                server,
                                [server, req, responder, alive, head, done = std::move(done)] {
                                    if (alive &&
                                        alive->state() == QAbstractSocket::ConnectedState) {
                                        server->answered(*req, done.status);
                                        send(*responder, done, head);
                                    }
                                },
                                Qt::QueuedConnection);
                    });
                    return;
                }
                if (response.stream || req->continuation) {
                    auto p = std::make_shared<Parked>();
                    p->request = req;
                    p->responder = responder;
                    p->socket = alive;
                    streamPart(std::move(p), response);
                    return;
                }
                if (response.park) {
                    auto p = std::make_shared<Parked>();
                    p->request = req;
                    p->responder = responder;
                    p->socket = alive;
                    p->db = response.park->db;
                    p->cid = response.park->cid;
                    p->resumeParam = response.park->resumeParam;
                    p->from = response.park->from;
                    p->timer.setSingleShot(true);
                    p->timer.setInterval(response.park->waitMs);
                    park(std::move(p));
                    return;
                }
                answered(*req, response.status);
                send(*responder, response, head);
            },
            Qt::QueuedConnection);
    });
}

void HttpServer::park(std::shared_ptr<Parked> p)
{
    // An event logged between the worker's read and now is seen here, so none is missed.
    // db -1: any commit (the CouchDB face's long-polls).
    const Tick last =
        p->db < 0 ? m_engine.lastTick() : m_engine.loggerState().state(p->db).lastLogTick;
    if (last > p->from) {
        wake(p);
        return;
    }
    std::weak_ptr<Parked> weak = p;
    connect(&p->timer, &QTimer::timeout, this, [this, weak] {
        if (auto parked = weak.lock())
            wake(parked);
    });
    p->timer.start();
    m_parked.append(std::move(p));
}

void HttpServer::wake(std::shared_ptr<Parked> p)
{
    if (p->done)
        return;
    p->done = true;
    p->timer.stop();
    m_parked.removeOne(p);
    // Run it again without waiting: it answers with what is there now (maybe still 204).
    p->request->query.removeAllQueryItems(QStringLiteral("waitMs"));
    if (p->streaming) {
        p->heartbeat.stop();
        p->idle.stop();
    }
    if (!p->resumeParam.isEmpty()) {
        p->request->query.removeAllQueryItems(p->resumeParam);
        p->request->query.addQueryItem(p->resumeParam, QString::number(p->from));
    }
    dispatch(p->request, p->responder, p->socket);
}

void HttpServer::onLogAppended(qint64 db, Tick lastLogTick)
{
    const auto parked = m_parked; // wake() edits the list
    for (const auto &p : parked)
        if (p->db == db && db >= 0 && lastLogTick > p->from)
            wake(p);
}

void HttpServer::onCommitted(Tick lastTick, const QList<qint64> &collections)
{
    // Only feeds of the collections written wake (all of them on a schema change); each keeps
    // its position, so commits elsewhere cost them nothing.
    const auto parked = m_parked;
    for (const auto &p : parked)
        if (p->db < 0 && lastTick > p->from &&
            (p->cid == 0 || collections.contains(p->cid) || collections.contains(0)))
            wake(p);
}

namespace {
void writeChunk(QHttpServerResponder &responder, const QByteArray &data)
{
    if (data.isEmpty())
        return;
    responder.writeBody(QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n");
}
} // namespace

void HttpServer::streamPart(std::shared_ptr<Parked> p, const Response &response)
{
    if (!p->request->continuation) {
        answered(*p->request, response.status);
        using Status = QHttpServerResponder::StatusCode;
        p->responder->writeStatusLine(static_cast<Status>(response.status));
        p->responder->writeHeader("Content-Type", response.contentType);
        for (const auto &h : response.headers)
            p->responder->writeHeader(h.first, h.second);
        if (!response.stream) { // an error before the stream began
            p->responder->writeHeader("Content-Length", QByteArray::number(response.body.size()));
            p->responder->writeBody(response.body);
            return;
        }
        p->responder->writeHeader("Transfer-Encoding", "chunked");
        p->request->continuation = true;
    }
    if (!response.stream) { // a later part failed: end what was sent
        writeChunk(*p->responder, response.body);
        p->responder->writeBody(QByteArray("0\r\n\r\n"));
        return;
    }
    writeChunk(*p->responder, response.body);
    if (response.stream->end) {
        p->responder->writeBody(QByteArray("0\r\n\r\n"));
        return;
    }
    const bool gotData = !response.body.isEmpty();
    p->request->streamRows += response.body.count('\n');
    p->stream = *response.stream;
    p->streaming = true;
    p->db = -1;
    p->cid = p->stream.cid;
    p->from = p->stream.from;
    p->resumeParam = p->stream.resumeParam;
    p->closing = p->stream.closing;
    std::weak_ptr<Parked> weak = p;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (gotData || p->request->streamWrittenMs == 0)
        p->request->streamWrittenMs = now;
    if (p->stream.heartbeatMs > 0) {
        // Due heartbeat-after-the-last-write, however often other commits wake the stream.
        const qint64 due = p->request->streamWrittenMs + p->stream.heartbeatMs - now;
        p->heartbeat.setInterval(int(qMax<qint64>(0, due)));
        const int every = p->stream.heartbeatMs;
        connect(&p->heartbeat, &QTimer::timeout, this, [weak, every] {
            if (auto parked = weak.lock(); parked && parked->socket) {
                writeChunk(*parked->responder, QByteArray("\n"));
                parked->request->streamWrittenMs = QDateTime::currentMSecsSinceEpoch();
                parked->heartbeat.setInterval(every);
            }
        });
        p->heartbeat.start();
    }
    if (p->stream.idleMs > 0) {
        // The idle clock restarts with every part that carried rows.
        const qint64 since = gotData ? QDateTime::currentMSecsSinceEpoch() : p->request->receivedMs;
        if (gotData)
            p->request->receivedMs = since;
        const qint64 left = since + p->stream.idleMs - QDateTime::currentMSecsSinceEpoch();
        p->idle.setSingleShot(true);
        p->idle.setInterval(int(qMax<qint64>(0, left)));
        connect(&p->idle, &QTimer::timeout, this, [this, weak] {
            if (auto parked = weak.lock())
                endStream(parked);
        });
        p->idle.start();
    }
    if (p->socket)
        connect(p->socket, &QAbstractSocket::disconnected, &p->heartbeat, [this, weak] {
            if (auto parked = weak.lock()) {
                parked->done = true;
                m_parked.removeOne(parked);
            }
        });
    if (m_engine.lastTick() > p->from) {
        wake(p);
        return;
    }
    m_parked.append(std::move(p));
}

void HttpServer::endStream(std::shared_ptr<Parked> p)
{
    if (p->done)
        return;
    p->done = true;
    m_parked.removeOne(p);
    if (!p->socket || p->socket->state() != QAbstractSocket::ConnectedState)
        return;
    writeChunk(*p->responder, p->closing);
    p->responder->writeBody(QByteArray("0\r\n\r\n"));
}

void HttpServer::answered(const Request &request, int status) const
{
    m_metrics->record(request.method, status, std::chrono::steady_clock::now() - request.arrived);
}

void HttpServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    QHttpServerResponder responder = makeResponder(request, socket);
    send(responder, Response::error(404, ErrorNum::HttpNotFound), false);
}

Response HttpServer::process(const Request &request, storage::Connection &reader)
{
    try {
        if (!request.authenticated && !m_engine.auth().check(request.header("authorization"))) {
            Response r = request.couch ? Response::couchError(401, QStringLiteral("unauthorized"),
                                                              QStringLiteral("Name or password is "
                                                                             "incorrect."))
                                       : Response::error(401, ErrorNum::Unauthorized);
            r.header("WWW-Authenticate", "Basic realm=\"repldesk\"");
            return r;
        }
        // Names, ids and parameters arrive percent-encoded: bytes that are not UTF-8 (or a NUL)
        // would otherwise become U+FFFD, and two ids one document.
        if (const QString problem = request.textProblem(); !problem.isEmpty())
            return request.couch ? Response::couchError(400, QStringLiteral("bad_request"), problem)
                                 : Response::error(400, ErrorNum::BadParameter, problem);
        if (request.couch)
            return dispatchCouch(*m_couchRouter, m_engine, reader, request);
        const auto catalog = m_engine.catalog();
        const DatabaseInfo *db = catalog->database(request.database);
        if (!db)
            return Response::error(
                404, ErrorNum::DatabaseNotFound,
                QStringLiteral("database not found: '%1'").arg(request.database));
        return m_router.dispatch(request, m_engine, reader, *db);
    } catch (const Error &e) {
        return Response::error(e);
    } catch (const std::exception &e) {
        qCWarning(lcHttp) << "request" << request.requestId << request.rawPath
                          << "failed:" << e.what();
        return Response::error(500, ErrorNum::Internal, QString::fromUtf8(e.what()));
    }
}

} // namespace repl::server
