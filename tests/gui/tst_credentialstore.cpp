// The keychain on a real Secret Service: gnome-keyring on a private D-Bus session (CTest
// starts this test under dbus-run-session with an unlocked keyring). Never a plaintext file.
#include "credentials/CredentialStore.h"

#include <QDir>
#include <QDirIterator>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using repl::CredentialStore;

class TestCredentialStore : public QObject
{
    Q_OBJECT

private:
    CredentialStore::Result run(const std::function<void(CredentialStore::Callback)> &start)
    {
        CredentialStore::Result out;
        bool done = false;
        start([&](const CredentialStore::Result &r) {
            out = r;
            done = true;
        });
        [&] { QVERIFY(QTest::qWaitFor([&] { return done; }, 20000)); }();
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS"),
                 "run under dbus-run-session with gnome-keyring (see tests/gui/CMakeLists.txt)");
    }

    void writeReadRemove()
    {
        CredentialStore store(QStringLiteral("ReplDeskTest"));
        const QString key =
            CredentialStore::keyFor(QStringLiteral("http://db1.example:8529"),
                                    QStringLiteral("root"), QStringLiteral("_system"));
        QCOMPARE(key, QStringLiteral("http://db1.example:8529|root|_system"));
        const QString secret = QStringLiteral("s3cr3t-%1").arg(QCoreApplication::applicationPid());

        CredentialStore::Result w = run([&](auto cb) { store.write(key, secret, this, cb); });
        QVERIFY2(w.ok, qPrintable(w.error));
        CredentialStore::Result r = run([&](auto cb) { store.read(key, this, cb); });
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.secret, secret);

        // Not in any file under the app's config or data folders.
        for (auto loc : {QStandardPaths::AppConfigLocation, QStandardPaths::AppDataLocation,
                         QStandardPaths::GenericConfigLocation}) {
            QDirIterator it(QStandardPaths::writableLocation(loc), QDir::Files,
                            QDirIterator::Subdirectories);
            while (it.hasNext()) {
                QFile f(it.next());
                if (f.size() < 10 * 1024 * 1024 && f.open(QIODevice::ReadOnly))
                    QVERIFY2(!f.readAll().contains(secret.toUtf8()), qPrintable(f.fileName()));
            }
        }

        CredentialStore::Result d = run([&](auto cb) { store.remove(key, this, cb); });
        QVERIFY2(d.ok, qPrintable(d.error));
        CredentialStore::Result gone = run([&](auto cb) { store.read(key, this, cb); });
        QVERIFY(!gone.ok);
        QVERIFY(gone.notFound);
    }

    void unknownKeyIsNotFound()
    {
        CredentialStore store(QStringLiteral("ReplDeskTest"));
        CredentialStore::Result r =
            run([&](auto cb) { store.read(QStringLiteral("no-such-key"), this, cb); });
        QVERIFY(!r.ok);
        QVERIFY(r.notFound);
        QVERIFY(!r.noBackend);
    }
};

QTEST_GUILESS_MAIN(TestCredentialStore)
#include "tst_credentialstore.moc"
