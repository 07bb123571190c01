#include "gui/Demo.h"

#include "gui/DemoRunner.h"
#include "gui/EmbeddedServer.h"
#include "gui/MainWindow.h"

#include <QRandomGenerator>
#include <QStatusBar>

namespace repl::gui {

Demo::Demo(MainWindow &window, QString followerDataDir, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_dataDir(std::move(followerDataDir))
{}

Demo::~Demo()
{
    if (m_runner)
        m_runner->stop();
    delete m_runner;
    delete m_follower; // joins its thread
}

void Demo::setLeader(const QUrl &url, const QString &password)
{
    m_leaderUrl = url;
    m_leaderPassword = password;
}

void Demo::start()
{
    if (m_started || !m_leaderUrl.isValid())
        return;
    m_started = true;
    QByteArray bytes(18, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), 4);
    const QString password = QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding));
    m_follower = new EmbeddedServer;
    connect(m_follower, &EmbeddedServer::failed, &m_window, [this](const QString &message) {
        m_window.statusBar()->showMessage(tr("Demo follower could not start: %1").arg(message));
        m_started = false;
    });
    connect(m_follower, &EmbeddedServer::ready, &m_window,
            [this, password](const QUrl &url, const QString &serverId) {
                m_window.addRuntimeServer(QStringLiteral("demo-follower"), tr("Demo follower"), url,
                                          serverId, password);
                m_runner = new DemoRunner(m_leaderUrl, m_leaderPassword, url, password);
                connect(m_runner, &DemoRunner::progress, &m_window,
                        [this](const QString &m) { m_window.statusBar()->showMessage(m, 8000); });
                connect(m_runner, &DemoRunner::failed, &m_window,
                        [this](const QString &m) { m_window.statusBar()->showMessage(m); });
                connect(m_runner, &DemoRunner::running, &m_window,
                        [this] { m_window.selectServer(QStringLiteral("demo-follower")); });
                m_runner->start();
            });
    m_follower->open({m_dataDir, QHostAddress::LocalHost, 0, password});
}

} // namespace repl::gui
