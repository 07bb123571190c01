#pragma once

#include <QHostAddress>
#include <QObject>
#include <QString>
#include <QThread>
#include <QUrl>

namespace repl {
class Engine;
namespace server {
class HttpServer;
}
} // namespace repl

namespace repl::gui {

// The engine inside the app: an Engine and its HttpServer on a worker thread, listening on
// loopback. The GUI reaches it only over HTTP (client/), like any other server. open() returns
// at once; ready() or failed() follows. Everything SQLite happens off the GUI thread.
class EmbeddedServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EmbeddedServer)

public:
    struct Options
    {
        QString dataDir;
        QHostAddress host = QHostAddress::LocalHost;
        quint16 port = 0; // 0: a free port
        QString rootPassword;
    };

    explicit EmbeddedServer(QObject *parent = nullptr);
    ~EmbeddedServer() override; // stops the engine and joins the thread

    void open(const Options &options);
    QUrl url() const { return m_url; }
    QString serverId() const { return m_serverId; }
    bool isReady() const { return m_url.isValid(); }

Q_SIGNALS:
    void ready(const QUrl &url, const QString &serverId);
    void failed(const QString &message);

private:
    class Host;
    QThread m_thread;
    Host *m_host = nullptr; // lives on m_thread
    QUrl m_url;
    QString m_serverId;
};

} // namespace repl::gui
