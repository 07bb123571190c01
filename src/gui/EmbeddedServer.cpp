#include "gui/EmbeddedServer.h"

#include "engine/Engine.h"
#include "server/HttpServer.h"

#include <QLoggingCategory>

#include <memory>

Q_LOGGING_CATEGORY(lcEmbedded, "repldesk.gui.embedded", QtInfoMsg)

namespace repl::gui {

// Lives on the worker thread: owns the engine and the HTTP server there.
class EmbeddedServer::Host final : public QObject
{
public:
    ~Host() override
    {
        // Workers still running requests use the HTTP server's router: drain them first.
        if (m_engine)
            m_engine->close();
        m_http.reset();
    }

    void open(const Options &o, EmbeddedServer *owner)
    {
        try {
            m_engine =
                std::make_unique<Engine>(Engine::Options{o.dataDir, storage::SyncMode::Normal, 4});
            m_engine->open();
            m_engine->setRootPassword(o.rootPassword);
            m_http = std::make_unique<server::HttpServer>(*m_engine);
            const quint16 port = m_http->listenOn(o.host, o.port);
            if (port == 0)
                throw std::runtime_error(QStringLiteral("cannot listen on %1:%2")
                                             .arg(o.host.toString())
                                             .arg(o.port)
                                             .toStdString());
            QUrl url;
            url.setScheme(QStringLiteral("http"));
            url.setHost(o.host.toString());
            url.setPort(port);
            const QString id = m_engine->serverId();
            QMetaObject::invokeMethod(owner, [owner, url, id] {
                owner->m_url = url;
                owner->m_serverId = id;
                Q_EMIT owner->ready(url, id);
            });
        } catch (const std::exception &e) {
            const QString message = QString::fromUtf8(e.what());
            qCWarning(lcEmbedded) << "embedded engine failed:" << message;
            m_http.reset();
            m_engine.reset();
            QMetaObject::invokeMethod(owner, [owner, message] { Q_EMIT owner->failed(message); });
        }
    }

private:
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<server::HttpServer> m_http;
};

EmbeddedServer::EmbeddedServer(QObject *parent)
    : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("repldesk-embedded"));
}

EmbeddedServer::~EmbeddedServer()
{
    if (m_host)
        QMetaObject::invokeMethod(
            m_host, [host = m_host] { delete host; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void EmbeddedServer::open(const Options &options)
{
    if (!m_thread.isRunning())
        m_thread.start();
    if (!m_host) {
        m_host = new Host;
        m_host->moveToThread(&m_thread);
    }
    QMetaObject::invokeMethod(m_host,
                              [host = m_host, options, this] { host->open(options, this); });
}

} // namespace repl::gui
