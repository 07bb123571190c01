// The trust flow of a self-signed https server, in the real main window: added through the
// Server dialog, the app shows the certificate's fingerprint, subject and issuer; after
// "Trust this certificate" the fingerprint is pinned in the server's entry (QSettings) and the
// server works; after the server restarts with another certificate the app refuses it, saying
// the certificate changed and naming both fingerprints. Certificates are made with the openssl
// command line. REPLDESK_TLS_SCREENSHOT=FILE saves the trust dialog there.
#include "credentials/CredentialStore.h"
#include "gui/MainWindow.h"
#include "gui/ServerList.h"
#include "gui/TlsTrustDialog.h"
#include "support/ServerProcess.h"
#include "support/TestCertificates.h"

#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace repl;

class TestTlsTrust : public QObject
{
    Q_OBJECT

private:
    test::TestCertificates m_pki;
    test::TestCertificates::Pair m_first, m_second;
    QTemporaryDir m_data;
    quint16 m_port = 0;
    std::unique_ptr<test::ServerProcess> m_server;
    std::unique_ptr<gui::ServerListModel> m_servers;
    std::unique_ptr<CredentialStore> m_credentials;
    std::unique_ptr<gui::MainWindow> m_window;

    QString label(const char *name) const
    {
        auto *l = m_window->findChild<QLabel *>(QLatin1String(name));
        return l ? l->text() : QString();
    }
    gui::TlsTrustDialog *trustDialog() const
    {
        auto *d = m_window->findChild<gui::TlsTrustDialog *>();
        return d && d->isVisible() ? d : nullptr;
    }
    QString inTrustDialog(const char *name) const
    {
        auto *l = trustDialog() ? trustDialog()->findChild<QLabel *>(QLatin1String(name)) : nullptr;
        return l ? l->text() : QString();
    }
    bool serveWith(const test::TestCertificates::Pair &pair)
    {
        m_server.reset(); // stops the one before: the next listens on the same port
        m_server = std::make_unique<test::ServerProcess>(
            m_data.path(), QStringList{QStringLiteral("--listen"),
                                       QStringLiteral("ssl://127.0.0.1:%1").arg(m_port),
                                       QStringLiteral("--tls-cert"), pair.cert,
                                       QStringLiteral("--tls-key"), pair.key});
        if (m_server->start())
            return true;
        qWarning("%s", qPrintable(m_server->errorString()));
        return false;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("ReplDeskTlsTest"));
        QSettings().clear();
        QVERIFY2(m_pki.createCa(), qPrintable(m_pki.errorString()));
        m_first = m_pki.selfSigned(QStringLiteral("first"));
        m_second = m_pki.selfSigned(QStringLiteral("second"));
        QVERIFY2(!m_first.fingerprint.isEmpty() && !m_second.fingerprint.isEmpty(),
                 qPrintable(m_pki.errorString()));
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            m_port = probe.serverPort();
        }
        QVERIFY(serveWith(m_first));
        m_servers = std::make_unique<gui::ServerListModel>();
        m_servers->load();
        m_credentials = std::make_unique<CredentialStore>(QStringLiteral("ReplDeskTlsTest"));
        m_window = std::make_unique<gui::MainWindow>(*m_servers, *m_credentials);
        m_window->resize(1100, 720);
        m_window->show();
    }

    void untrustedCertificateIsShownAndTrusted()
    {
        // Added as an operator adds a server: the Server dialog.
        m_window->findChild<QAction *>(QStringLiteral("actionAddServer"))->trigger();
        QDialog *add = nullptr;
        QTRY_VERIFY((add = m_window->findChild<QDialog *>(QStringLiteral("serverDialog"))));
        add->findChild<QLineEdit *>(QStringLiteral("nameEdit"))->setText(QStringLiteral("Secure"));
        add->findChild<QLineEdit *>(QStringLiteral("endpointEdit"))
            ->setText(QStringLiteral("https://127.0.0.1:%1").arg(m_port));
        add->findChild<QLineEdit *>(QStringLiteral("passwordEdit"))
            ->setText(test::ServerProcess::password());
        // "Test connection" already says the certificate is not trusted, with its fingerprint.
        add->findChild<QPushButton *>(QStringLiteral("testButton"))->click();
        auto *message = add->findChild<QLabel *>(QStringLiteral("messageLabel"));
        QTRY_VERIFY_WITH_TIMEOUT(message->text().contains(m_first.fingerprint), 10000);
        QVERIFY2(message->text().contains(u"not trusted"), qPrintable(message->text()));
        QTest::mouseClick(add->findChild<QPushButton *>(QStringLiteral("saveButton")),
                          Qt::LeftButton);

        // The first poll is refused; the dialog shows what to compare.
        QTRY_VERIFY_WITH_TIMEOUT(trustDialog(), 20000);
        QCOMPARE(inTrustDialog("fingerprintValue").replace(u'\n', u':'), m_first.fingerprint);
        QVERIFY2(inTrustDialog("subjectValue").contains(u"CN=first"),
                 qPrintable(inTrustDialog("subjectValue")));
        QVERIFY2(inTrustDialog("issuerValue").contains(u"CN=first"),
                 qPrintable(inTrustDialog("issuerValue")));
        QVERIFY2(inTrustDialog("problemValue").contains(u"self-signed"),
                 qPrintable(inTrustDialog("problemValue")));
        QVERIFY2(label("connectionValue").contains(u"not trusted"),
                 qPrintable(label("connectionValue")));
        QVERIFY(
            !trustDialog()->findChild<QPushButton *>(QStringLiteral("trustButton"))->isDefault());
        if (const QString shot = qEnvironmentVariable("REPLDESK_TLS_SCREENSHOT"); !shot.isEmpty())
            QVERIFY(trustDialog()->grab().save(shot));

        QTest::mouseClick(trustDialog()->findChild<QPushButton *>(QStringLiteral("trustButton")),
                          Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(label("connectionValue").startsWith(u"connected"), 15000);
        // Pinned in the server's entry of the settings, where repldeskctl finds it too.
        QSettings settings;
        const int n = settings.beginReadArray(QStringLiteral("servers"));
        QCOMPARE(n, 1);
        settings.setArrayIndex(0);
        QCOMPARE(settings.value(QStringLiteral("name")).toString(), QStringLiteral("Secure"));
        QCOMPARE(settings.value(QStringLiteral("tlsPin")).toString(), m_first.fingerprint);
        settings.endArray();
    }

    void changedCertificateIsRefused()
    {
        QVERIFY(serveWith(m_second));
        QTRY_VERIFY_WITH_TIMEOUT(label("connectionValue").contains(u"certificate changed"), 20000);
        QVERIFY2(label("connectionValue").contains(m_first.fingerprint) &&
                     label("connectionValue").contains(m_second.fingerprint),
                 qPrintable(label("connectionValue")));
        // Said once in a dialog too, with both fingerprints; keeping the refusal is the default.
        QTRY_VERIFY_WITH_TIMEOUT(trustDialog(), 10000);
        QVERIFY(trustDialog()->windowTitle().contains(u"Certificate changed"));
        QCOMPARE(inTrustDialog("pinnedValue").replace(u'\n', u':'), m_first.fingerprint);
        QCOMPARE(inTrustDialog("fingerprintValue").replace(u'\n', u':'), m_second.fingerprint);
        auto *keep = trustDialog()->findChild<QPushButton *>(QStringLiteral("cancelTrustButton"));
        QVERIFY(keep->isDefault());
        QTest::mouseClick(keep, Qt::LeftButton);
        QTRY_VERIFY(!trustDialog());
        // Still refused, and still pinned to the first certificate.
        QTest::qWait(2500);
        QVERIFY(label("connectionValue").contains(u"certificate changed"));
        QVERIFY(!trustDialog()); // not asked again on every poll
        QCOMPARE(m_servers->entries().value(0).tlsPin, m_first.fingerprint);
    }

    void cleanupTestCase()
    {
        m_window.reset();
        m_server.reset();
        QSettings().clear();
    }
};

QTEST_MAIN(TestTlsTrust)
#include "tst_tlstrust.moc"
