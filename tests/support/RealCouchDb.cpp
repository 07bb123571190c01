#include "support/RealCouchDb.h"

#include "support/PouchServer.h" // freePort()

#include <QDir>
#include <QFile>
#include <QProcess>

namespace repl::test {

namespace {
QString script()
{
    return QStringLiteral(REPLDESK_SHARED_DIR "/peers/couchdb/start-couchdb.sh");
}
} // namespace

RealCouchDb::RealCouchDb() = default;

RealCouchDb::~RealCouchDb()
{
    stop();
}

QString RealCouchDb::unavailableReason()
{
    if (!QFile::exists(script()))
        return QStringLiteral("../shared/peers/couchdb is absent here: this test runs against "
                              "the real Apache CouchDB 3.4.3 kept there (CI has it)");
    return {};
}

void RealCouchDb::setIni(const QString &section, const QString &key, const QString &value)
{
    m_ini += QStringLiteral("[%1]\n%2 = %3\n").arg(section, key, value);
}

bool RealCouchDb::start(int timeoutMs)
{
    if (m_running)
        return true;
    if (!m_ini.isEmpty()) {
        // Unpacked here first (the script then skips that step) so the settings are read at
        // start, from etc/local.d beside the script's local.ini.
        const QDir peer(QStringLiteral(REPLDESK_SHARED_DIR "/peers/couchdb"));
        const QStringList tarballs = peer.entryList({QStringLiteral("couchdb-*.tar.gz")});
        if (tarballs.isEmpty()) {
            m_error = QStringLiteral("no CouchDB release tarball in %1").arg(peer.path());
            return false;
        }
        if (QProcess::execute(QStringLiteral("tar"),
                              {QStringLiteral("-xzf"), peer.filePath(tarballs.first()),
                               QStringLiteral("-C"), m_install.path()}) != 0) {
            m_error = QStringLiteral("cannot unpack %1").arg(tarballs.first());
            return false;
        }
        const QString dir = m_install.filePath(QStringLiteral("couchdb/etc/local.d"));
        QDir().mkpath(dir);
        QFile ini(dir + QStringLiteral("/zz-test.ini"));
        if (!ini.open(QIODevice::WriteOnly) || ini.write(m_ini.toUtf8()) < 0) {
            m_error = QStringLiteral("cannot write %1").arg(ini.fileName());
            return false;
        }
    }
    m_port = freePort();
    QProcess p;
    p.start(QStringLiteral("sh"),
            {script(), m_install.path(), QString::number(m_port), password()});
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        m_error = QStringLiteral("start-couchdb.sh did not finish in %1 ms").arg(timeoutMs);
        return false;
    }
    if (p.exitCode() != 0) {
        m_error = QStringLiteral("start-couchdb.sh failed (%1): %2")
                      .arg(p.exitCode())
                      .arg(QString::fromUtf8(p.readAllStandardError()));
        return false;
    }
    m_running = true;
    return true;
}

void RealCouchDb::stop()
{
    if (!m_running)
        return;
    QProcess::execute(QStringLiteral("sh"), {script(), QStringLiteral("--stop"), m_install.path()});
    m_running = false;
}

QUrl RealCouchDb::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port));
}

QUrl RealCouchDb::adminUrl() const
{
    QUrl u = baseUrl();
    u.setUserName(QStringLiteral("admin"));
    u.setPassword(password());
    return u;
}

} // namespace repl::test
