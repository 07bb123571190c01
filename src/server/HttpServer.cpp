#include "server/HttpServer.h"

#include "engine/Engine.h"
#include "server/Routes.h"

#include <QElapsedTimer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QLoggingCategory>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <memory>

Q_LOGGING_CATEGORY(lcHttp, "repldesk.server.http", QtInfoMsg)

namespace repl::server {

namespace {

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

} // namespace

HttpServer::HttpServer(Engine &engine, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_engine(engine)
{
    registerAdminRoutes(m_router);
    registerCollectionRoutes(m_router);
    registerDocumentRoutes(m_router);
    registerIndexRoutes(m_router);
    registerReplicationRoutes(m_router);
    connect(&m_engine, &Engine::logAppended, this, &HttpServer::onLogAppended,
            Qt::QueuedConnection);
}

HttpServer::~HttpServer() = default;

quint16 HttpServer::listenOn(const QHostAddress &address, quint16 port)
{
    return listen(address, port);
}

bool HttpServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    auto req = std::make_shared<Request>();
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
    QStringList segments = url.path(QUrl::FullyDecoded).split(u'/', Qt::SkipEmptyParts);
    if (segments.size() >= 2 && segments[0] == u"_db") {
        req->database = segments[1];
        segments = segments.mid(2);
    }
    req->path = std::move(segments);

    auto responder = std::make_shared<QHttpServerResponder>(makeResponder(request, socket));
    dispatch(std::move(req), std::move(responder), QPointer<QTcpSocket>(socket));
    return true;
}

struct HttpServer::Parked
{
    std::shared_ptr<Request> request;
    std::shared_ptr<QHttpServerResponder> responder;
    QPointer<QTcpSocket> socket;
    qint64 db = 0;
    Tick from = 0;
    QTimer timer;
    bool done = false;
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
        response.header("X-Request-ID", req->requestId);
        qCDebug(lcHttp).noquote() << req->requestId << int(req->method) << req->rawPath << "->"
                                  << response.status << timer.elapsed() << "ms";
        if (!self)
            return;
        const bool head = req->method == Method::Head;
        QMetaObject::invokeMethod(
            self.data(),
            [this, req, responder, alive, response = std::move(response), head] {
                if (!alive || alive->state() != QAbstractSocket::ConnectedState)
                    return;
                if (response.park) {
                    auto p = std::make_shared<Parked>();
                    p->request = req;
                    p->responder = responder;
                    p->socket = alive;
                    p->db = response.park->db;
                    p->from = response.park->from;
                    p->timer.setSingleShot(true);
                    p->timer.setInterval(response.park->waitMs);
                    park(std::move(p));
                    return;
                }
                send(*responder, response, head);
            },
            Qt::QueuedConnection);
    });
}

void HttpServer::park(std::shared_ptr<Parked> p)
{
    // An event logged between the worker's read and now is seen here, so none is missed.
    if (m_engine.loggerState().state(p->db).lastLogTick > p->from) {
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
    dispatch(p->request, p->responder, p->socket);
}

void HttpServer::onLogAppended(qint64 db, Tick lastLogTick)
{
    const auto parked = m_parked; // wake() edits the list
    for (const auto &p : parked)
        if (p->db == db && lastLogTick > p->from)
            wake(p);
}

void HttpServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    QHttpServerResponder responder = makeResponder(request, socket);
    send(responder, Response::error(404, ErrorNum::HttpNotFound), false);
}

Response HttpServer::process(const Request &request, storage::Connection &reader)
{
    try {
        if (!m_engine.auth().check(request.header("authorization"))) {
            Response r = Response::error(401, ErrorNum::Unauthorized);
            r.header("WWW-Authenticate", "Basic realm=\"repldesk\"");
            return r;
        }
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
