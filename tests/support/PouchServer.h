#pragma once

#include <QProcess>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace repl::test {

// A real pouchdb-server (npm pouchdb-server 4.2.0, installed by the test command) as a
// child process on a free loopback port, in-memory store, its own working directory. Started
// as the spec's §11 recipe says (node --unhandled-rejections=warn, -m -o 127.0.0.1 -p P -n).
class PouchServer
{
public:
    PouchServer();
    ~PouchServer();

    // Where the pouchdb-server script is (REPLDESK_POUCHDB_SERVER or the build's peers/).
    static QString scriptPath();
    bool start(int timeoutMs = 30000);
    void stop();
    QUrl baseUrl() const { return m_baseUrl; }
    // The node process (0 when not started): for CPU and memory figures.
    qint64 processId() const;
    QString errorString() const { return m_error; }
    QByteArray log() const;

private:
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    QUrl m_baseUrl;
    QString m_error;
};

// A free loopback TCP port (bound and released).
quint16 freePort();

} // namespace repl::test
