#include "support/PouchServer.h"

#include "support/HttpClient.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QTcpServer>
#include <QThread>

namespace repl::test {

quint16 freePort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}

PouchServer::PouchServer() = default;

PouchServer::~PouchServer()
{
    stop();
}

qint64 PouchServer::processId() const
{
    return m_process ? m_process->processId() : 0;
}

QString PouchServer::scriptPath()
{
    const QString env = qEnvironmentVariable("REPLDESK_POUCHDB_SERVER");
    return env.isEmpty() ? QStringLiteral(REPLDESK_POUCHDB_SERVER_DEFAULT) : env;
}

bool PouchServer::start(int timeoutMs)
{
    const QString script = scriptPath();
    if (!QFileInfo::exists(script)) {
        m_error = QStringLiteral("pouchdb-server is not installed at %1 (scripts/test installs it "
                                 "with npm)")
                      .arg(script);
        return false;
    }
    const quint16 port = freePort();
    m_process = std::make_unique<QProcess>();
    m_process->setWorkingDirectory(m_dir.path()); // it writes config.json and log.txt here
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setStandardOutputFile(m_dir.filePath(QStringLiteral("server.log")));
    m_process->start(QStringLiteral("node"),
                     {QStringLiteral("--unhandled-rejections=warn"), script, QStringLiteral("-m"),
                      QStringLiteral("-o"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                      QString::number(port), QStringLiteral("-n")});
    if (!m_process->waitForStarted(timeoutMs)) {
        m_error = m_process->errorString();
        return false;
    }
    m_baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
    HttpClient probe(m_baseUrl);
    probe.clearCredentials();
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (m_process->state() != QProcess::Running) {
            m_error = QStringLiteral("pouchdb-server exited: ") + QString::fromUtf8(log());
            return false;
        }
        if (probe.request("GET", QStringLiteral("/"), {}, {}, 1000).status == 200)
            return true;
        QThread::msleep(100);
    }
    m_error = QStringLiteral("pouchdb-server did not answer within %1 ms").arg(timeoutMs);
    return false;
}

void PouchServer::stop()
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return;
    m_process->terminate();
    if (!m_process->waitForFinished(5000)) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
}

QByteArray PouchServer::log() const
{
    QFile f(m_dir.filePath(QStringLiteral("server.log")));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace repl::test
