// repldeskctl --server NAME takes the password the app keeps for that server in the system
// keychain: a real Secret Service (gnome-keyring on a private D-Bus session, started by CTest
// under dbus-run-session) and a FAKE ArangoDB 3.11.14 that wants the password.
#include "credentials/CredentialStore.h"
#include "support/CtlProcess.h"
#include "support/FakeArango.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace repl;
using namespace repl::test;

namespace {

CtlRun runCtl(const QStringList &args, const QString &configHome)
{
    return repl::test::runCtlWith(args, {{QStringLiteral("XDG_CONFIG_HOME"), configHome}});
}

CredentialStore::Result waitFor(const std::function<void(CredentialStore::Callback)> &start)
{
    CredentialStore::Result out;
    bool done = false;
    start([&](const CredentialStore::Result &r) {
        out = r;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 20000))
        out.error = QStringLiteral("keychain job did not finish");
    return out;
}

} // namespace

class TestCtlKeychain : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS"),
                 "run under dbus-run-session with gnome-keyring (see tests/integration/"
                 "CMakeLists.txt)");
    }

    void passwordComesFromTheKeychain()
    {
        const QString password = QStringLiteral("kc-%1").arg(QCoreApplication::applicationPid());
        FakeArango f(FakeArangoVersion::V3_11_14);
        f.setCredentials(QStringLiteral("root"), password);
        QVERIFY(f.listen());
        f.createDatabase(QStringLiteral("shop"));
        f.createCollection(QStringLiteral("shop"), QStringLiteral("orders"));

        // The app's list names the server; its password is only in the keychain.
        QTemporaryDir home;
        QDir().mkpath(home.filePath(QStringLiteral("ReplDesk")));
        QFile ini(home.filePath(QStringLiteral("ReplDesk/repldesk.conf")));
        QVERIFY(ini.open(QIODevice::WriteOnly));
        ini.write(QStringLiteral("[servers]\n1\\id=k1\n1\\name=Vault\n1\\endpoint=%1\n"
                                 "1\\user=root\n1\\database=shop\nsize=1\n")
                      .arg(f.url())
                      .toUtf8());
        ini.close();

        CredentialStore store; // the app's service name
        const QString key =
            CredentialStore::keyFor(f.url(), QStringLiteral("root"), QStringLiteral("shop"));
        const CredentialStore::Result stored =
            waitFor([&](auto cb) { store.write(key, password, this, cb); });
        QVERIFY2(stored.ok, qPrintable(stored.error));

        const CtlRun ok = runCtl({"--server", "Vault", "inventory"}, home.path());
        QVERIFY2(ok.exitCode == 0, ok.err.constData());
        QVERIFY2(ok.out.contains("orders"), ok.out.constData());
        QVERIFY(!ok.err.contains("keychain")); // nothing to say when it worked

        // Without the entry: said, tried without a password, refused by the server.
        const CredentialStore::Result removed =
            waitFor([&](auto cb) { store.remove(key, this, cb); });
        QVERIFY2(removed.ok, qPrintable(removed.error));
        const CtlRun missing = runCtl({"--server", "Vault", "inventory"}, home.path());
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.err.contains("keychain holds no password for 'Vault'"),
                 missing.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCtlKeychain)
#include "tst_ctl_keychain.moc"
