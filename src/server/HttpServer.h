#pragma once

#include "server/Router.h"

#include <QAbstractHttpServer>
#include <QHostAddress>

#include <atomic>

namespace repl {
class Engine;
}

namespace repl::server {

// The HTTP face of an Engine. Accepts requests on its own thread and never touches SQLite
// there: each request is checked (auth), routed and answered by a request worker, and the
// answer is written back on this thread.
class HttpServer final : public QAbstractHttpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpServer)

public:
    explicit HttpServer(Engine &engine, QObject *parent = nullptr);
    ~HttpServer() override;

    // Returns the bound port, 0 on failure.
    quint16 listenOn(const QHostAddress &address, quint16 port);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    Response process(const Request &request, storage::Connection &reader);

    Engine &m_engine;
    Router m_router;
    std::atomic<quint64> m_requestCounter{0};
};

} // namespace repl::server
