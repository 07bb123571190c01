#pragma once

#include <QString>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace repl::test {

// The real Apache CouchDB 3.4.3 from ../shared/peers/couchdb (start-couchdb.sh), installed
// into a temporary folder and run on a free loopback port with admin user "admin". Tests
// QSKIP with available()'s message where that folder is absent (CI has it).
class RealCouchDb
{
public:
    RealCouchDb();
    ~RealCouchDb(); // stops it (start-couchdb.sh --stop)

    // Empty when the peer can run here, else why not (for QSKIP).
    static QString unavailableReason();
    static QString password() { return QStringLiteral("couch-pw"); }

    // A setting in its configuration from the start (etc/local.d), e.g. the replicator's
    // scheduler interval, which changed at run time takes effect only after its old period.
    void setIni(const QString &section, const QString &key, const QString &value);
    // Installs and starts it (~5 s); false with errorString() otherwise.
    bool start(int timeoutMs = 240000);
    void stop();
    bool isRunning() const { return m_running; }
    quint16 port() const { return m_port; }
    // http://127.0.0.1:PORT (no credentials) and with admin:password in it.
    QUrl baseUrl() const;
    QUrl adminUrl() const;
    QString errorString() const { return m_error; }

private:
    QTemporaryDir m_install;
    quint16 m_port = 0;
    bool m_running = false;
    QString m_error;
    QString m_ini;
};

} // namespace repl::test
