// The applier configuration form against a real embedded engine: load, inline validation,
// save (PUT merges), and the server's refusal while the applier runs shown in the form.
#include "credentials/CredentialStore.h"
#include "gui/EmbeddedServer.h"
#include "gui/MainWindow.h"
#include "gui/ServerList.h"
#include "support/HttpClient.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace repl;

class TestApplierConfig : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    gui::EmbeddedServer m_engine;
    std::unique_ptr<gui::ServerListModel> m_servers;
    std::unique_ptr<CredentialStore> m_credentials;
    std::unique_ptr<gui::MainWindow> m_window;
    std::unique_ptr<test::HttpClient> m_http;

    QDialog *dialog()
    {
        return m_window->findChild<QDialog *>(QStringLiteral("applierConfigDialog"));
    }
    template<class T> T *field(const char *name)
    {
        T *w = dialog() ? dialog()->findChild<T *>(QLatin1String(name)) : nullptr;
        if (!w)
            qFatal("no %s", name);
        return w;
    }
    void open()
    {
        m_window->findChild<QAction *>(QStringLiteral("actionConfigureApplier"))->trigger();
        QTRY_VERIFY(dialog() != nullptr);
        QTRY_VERIFY_WITH_TIMEOUT(
            field<QLabel>("messageLabel")->text().isEmpty() ||
                !field<QLabel>("messageLabel")->text().startsWith(QStringLiteral("Loading")),
            10000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("ReplDeskTest"));
        QSignalSpy ready(&m_engine, &gui::EmbeddedServer::ready);
        m_engine.open({m_dir.path(), QHostAddress::LocalHost, 0, QStringLiteral("cfg-pw")});
        QVERIFY(ready.wait(20000));
        m_servers = std::make_unique<gui::ServerListModel>();
        m_credentials = std::make_unique<CredentialStore>(QStringLiteral("ReplDeskTest"));
        m_window = std::make_unique<gui::MainWindow>(*m_servers, *m_credentials);
        m_window->show();
        m_window->addEmbeddedServer(m_engine.url(), m_engine.serverId(), QStringLiteral("cfg-pw"));
        m_http = std::make_unique<test::HttpClient>(m_engine.url(), QStringLiteral("root"),
                                                    QStringLiteral("cfg-pw"));
    }

    void validatesAndSaves()
    {
        open();
        auto *endpoint = field<QComboBox>("endpointCombo");
        auto *save = field<QPushButton>("saveButton");
        QCOMPARE(field<QSpinBox>("maxConnectRetriesSpin")->value(), 100); // loaded from the server
        endpoint->setEditText(QStringLiteral("nonsense"));
        QVERIFY(!save->isEnabled());
        QVERIFY(field<QLabel>("messageLabel")->text().contains(QStringLiteral("endpoint")));
        endpoint->setEditText(QStringLiteral("http://127.0.0.1:9"));
        QVERIFY(save->isEnabled());
        field<QSpinBox>("maxConnectRetriesSpin")->setValue(7);
        field<QCheckBox>("autoResyncCheck")->setChecked(true);
        field<QLineEdit>("passwordEdit")->setText(QStringLiteral("leader-secret"));
        QTest::mouseClick(save, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog() == nullptr, 10000);
        const QJsonObject cfg =
            m_http->get(QStringLiteral("/_api/replication/applier-config")).json();
        QCOMPARE(cfg[QStringLiteral("endpoint")].toString(), QStringLiteral("http://127.0.0.1:9"));
        QCOMPARE(cfg[QStringLiteral("maxConnectRetries")].toInt(), 7);
        QCOMPARE(cfg[QStringLiteral("autoResync")].toBool(), true);
        QVERIFY(!cfg.contains(QStringLiteral("password")));
    }

    void refusalWhileRunningIsShownInTheForm()
    {
        QCOMPARE(m_http->put(QStringLiteral("/_api/replication/applier-start")).status, 200);
        open();
        QTest::mouseClick(field<QPushButton>("saveButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(
            field<QLabel>("messageLabel")->text().contains(QStringLiteral("stop it first")), 10000);
        QVERIFY(dialog()->isVisible());
        QCOMPARE(m_http->put(QStringLiteral("/_api/replication/applier-stop")).status, 200);
        dialog()->reject();
    }

    void cleanupTestCase() { m_window.reset(); }
};

QTEST_MAIN(TestApplierConfig)
#include "tst_applierconfig.moc"
