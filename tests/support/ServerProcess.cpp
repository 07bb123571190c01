#include "support/ServerProcess.h"

#include <QFile>

#include <QDeadlineTimer>
#include <QRegularExpression>

#include <csignal>

namespace repl::test {

ServerProcess::ServerProcess(const QString &dataDir, QStringList extraArgs)
    : m_extraArgs(std::move(extraArgs))
{
    if (dataDir.isEmpty()) {
        m_tempDir = std::make_unique<QTemporaryDir>();
        m_dataDir = m_tempDir->path();
    } else {
        m_dataDir = dataDir;
    }
}

ServerProcess::~ServerProcess()
{
    stop();
}

bool ServerProcess::start(int timeoutMs)
{
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    QStringList args{QStringLiteral("--data-dir"), m_dataDir, QStringLiteral("--root-password"),
                     password()};
    // --listen may be given several times (each is a listener): the default plain one only
    // when the caller names no plain listener of its own (a fixed port, say).
    bool plainGiven = false;
    for (qsizetype i = 0; i + 1 < m_extraArgs.size(); ++i)
        if (m_extraArgs[i] == u"--listen" && !m_extraArgs[i + 1].startsWith(u"ssl://") &&
            !m_extraArgs[i + 1].startsWith(u"https://"))
            plainGiven = true;
    if (!plainGiven)
        args << QStringLiteral("--listen") << QStringLiteral("127.0.0.1:0");
    args += m_extraArgs;
    m_output.clear();
    m_process->start(QStringLiteral(REPLDESK_SERVER_BINARY), args);
    if (!m_process->waitForStarted(timeoutMs)) {
        m_error = m_process->errorString();
        return false;
    }
    static const QRegularExpression banner(
        QStringLiteral("listening on (http://[^ ]+) \\(serverId (\\d+)"));
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (m_process->state() != QProcess::Running) {
            m_output += m_process->readAll();
            m_error = QStringLiteral("server exited: ") + QString::fromUtf8(m_output);
            return false;
        }
        m_process->waitForReadyRead(100);
        m_output += m_process->readAll();
        const auto match = banner.match(QString::fromUtf8(m_output));
        if (match.hasMatch()) {
            m_baseUrl = QUrl(match.captured(1));
            m_serverId = match.captured(2);
            return true;
        }
    }
    m_error =
        QStringLiteral("no banner within %1 ms: ").arg(timeoutMs) + QString::fromUtf8(m_output);
    kill();
    return false;
}

int ServerProcess::stop(int timeoutMs)
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return m_process ? m_process->exitCode() : 0;
    m_process->terminate(); // SIGTERM
    if (!m_process->waitForFinished(timeoutMs)) {
        kill();
        return -1;
    }
    m_output += m_process->readAll();
    return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
}

void ServerProcess::kill()
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return;
    ::kill(pid_t(m_process->processId()), SIGKILL);
    m_process->waitForFinished(10000);
}

bool ServerProcess::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

qint64 ServerProcess::rssKiB(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

} // namespace repl::test
