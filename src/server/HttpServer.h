#pragma once

#include "server/HttpLimits.h"
#include "server/Router.h"

#include <QAbstractHttpServer>
#include <QHostAddress>
#include <QPointer>
#include <QSslConfiguration>
#include <QTcpSocket>

#include <memory>

#include <atomic>

class QHttpServerResponder;

namespace repl {
class Engine;
}

namespace repl::server {

class ConnectionGuard;
class HttpMetrics;

// The HTTP face of an Engine. Accepts requests on its own thread and never touches SQLite
// there: each request is checked (auth), routed and answered by a request worker, and the
// answer is written back on this thread.
class HttpServer final : public QAbstractHttpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpServer)

public:
    explicit HttpServer(Engine &engine, const HttpLimits &limits = {}, QObject *parent = nullptr);
    ~HttpServer() override;

    // Returns the bound port, 0 on failure.
    quint16 listenOn(const QHostAddress &address, quint16 port);
    // HTTPS with `configuration`'s certificate and key (see ServerTls); may be called beside
    // listenOn, as often as there are addresses. Returns the bound port, 0 on failure.
    quint16 listenTls(const QHostAddress &address, quint16 port,
                      const QSslConfiguration &configuration);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    struct Parked;
    Response process(const Request &request, storage::Connection &reader);
    void dispatch(std::shared_ptr<Request> request, std::shared_ptr<QHttpServerResponder> responder,
                  QPointer<QTcpSocket> socket);
    void park(std::shared_ptr<Parked> parked);
    void wake(std::shared_ptr<Parked> parked);
    void onLogAppended(qint64 db, Tick lastLogTick);
    void onCommitted(Tick lastTick, const QList<qint64> &collections);
    void streamPart(std::shared_ptr<Parked> parked, const Response &response);
    void endStream(std::shared_ptr<Parked> parked);
    // The status line of `request`'s answer is going out: counted in m_metrics.
    void answered(const Request &request, int status) const;

    Engine &m_engine;
    ConnectionGuard *m_guard; // child: outlives the responders of m_parked
    Router m_router;
    std::shared_ptr<Router> m_couchRouter; // shared with in-process (local) CouchDB peers
    std::atomic<quint64> m_requestCounter{0};
    std::shared_ptr<HttpMetrics> m_metrics;  // shared with the guard and the metrics route
    QList<std::shared_ptr<Parked>> m_parked; // long-polls waiting for their database's log
};

} // namespace repl::server
