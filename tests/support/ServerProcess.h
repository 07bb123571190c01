#pragma once

#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace repl::test {

// A real repldesk-server child process on a free loopback port, with its own data
// directory (a temporary one unless given). Tests talk to it over HTTP only.
class ServerProcess
{
public:
    explicit ServerProcess(const QString &dataDir = {}, QStringList extraArgs = {});
    ~ServerProcess();

    // Starts and waits for the "listening on" line; false (with errorString()) otherwise.
    bool start(int timeoutMs = 20000);
    // SIGTERM and wait: a clean shutdown. Returns the exit code (-1 when it had to be killed).
    int stop(int timeoutMs = 20000);
    // SIGKILL: the process dies at once, as in a crash.
    void kill();

    bool isRunning() const;
    QUrl baseUrl() const { return m_baseUrl; }
    quint16 port() const { return quint16(m_baseUrl.port()); }
    QString dataDir() const { return m_dataDir; }
    QString serverIdFromBanner() const { return m_serverId; }
    static QString password() { return QStringLiteral("test-password"); }
    QString errorString() const { return m_error; }
    QByteArray output() const { return m_output; }
    qint64 processId() const { return m_process ? m_process->processId() : 0; }
    // The resident set of process `pid` in KiB (/proc/PID/status VmRSS), -1 when unknown.
    static qint64 rssKiB(qint64 pid);

private:
    std::unique_ptr<QTemporaryDir> m_tempDir;
    QString m_dataDir;
    QStringList m_extraArgs;
    std::unique_ptr<QProcess> m_process;
    QUrl m_baseUrl;
    QString m_serverId;
    QString m_error;
    QByteArray m_output;
};

} // namespace repl::test
