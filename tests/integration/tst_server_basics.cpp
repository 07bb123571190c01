// repldesk-server as a process: auth, routing, version, server-id, restart, clean shutdown.
#include "support/HttpClient.h"
#include "support/ServerProcess.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <sys/stat.h>

#include <atomic>
#include <functional>
#include <memory>

using namespace repl::test;

class TestServerBasics : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ServerProcess> m_server;
    std::unique_ptr<HttpClient> m_http;

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<ServerProcess>();
        QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
        m_http = std::make_unique<HttpClient>(m_server->baseUrl());
    }

    void versionAnswers()
    {
        const HttpReply r = m_http->get(QStringLiteral("/_api/version"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json()[QStringLiteral("server")].toString(), QStringLiteral("repldesk"));
        QVERIFY(!r.json()[QStringLiteral("version")].toString().isEmpty());
        QCOMPARE(m_http->get(QStringLiteral("/_db/_system/_api/version")).status, 200);
    }

    void authIsRequiredEverywhere_data()
    {
        QTest::addColumn<QString>("path");
        QTest::newRow("version") << "/_api/version";
        QTest::newRow("logger-state") << "/_api/replication/logger-state";
        QTest::newRow("unknown path") << "/_api/no/such/thing";
        QTest::newRow("db prefix") << "/_db/_system/_api/collection";
    }

    void couchFaceAuthErrorsAreCouchShaped()
    {
        // Paths outside _api/_admin/_open are the CouchDB face: same auth, CouchDB's body.
        HttpClient anonymous(m_server->baseUrl());
        anonymous.clearCredentials();
        HttpReply r = anonymous.get(QStringLiteral("/no/such/thing"));
        QCOMPARE(r.status, 401);
        QCOMPARE(r.json()[QStringLiteral("error")].toString(), QStringLiteral("unauthorized"));
        QVERIFY(!r.json()[QStringLiteral("reason")].toString().isEmpty());
    }

    void authIsRequiredEverywhere()
    {
        QFETCH(QString, path);
        HttpClient anonymous(m_server->baseUrl());
        anonymous.clearCredentials();
        HttpReply r = anonymous.get(path);
        QCOMPARE(r.status, 401);
        QCOMPARE(r.json()[QStringLiteral("errorNum")].toInt(), 401);
        QCOMPARE(r.json()[QStringLiteral("error")].toBool(), true);
        HttpClient wrong(m_server->baseUrl(), QStringLiteral("root"), QStringLiteral("nope"));
        QCOMPARE(wrong.get(path).status, 401);
        HttpClient otherUser(m_server->baseUrl(), QStringLiteral("admin"),
                             ServerProcess::password());
        QCOMPARE(otherUser.get(path).status, 401);
    }

    void passwordIsStoredHashed()
    {
        QFile f(m_server->dataDir() + QStringLiteral("/repldesk.sqlite"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray all = f.readAll();
        QVERIFY(!all.contains(ServerProcess::password().toUtf8()));
        QFile wal(m_server->dataDir() + QStringLiteral("/repldesk.sqlite-wal"));
        if (wal.open(QIODevice::ReadOnly))
            QVERIFY(!wal.readAll().contains(ServerProcess::password().toUtf8()));
    }

    // The database holds credentials (applier password, continuous jobs): owner only.
    void dataFilesAreOwnerOnly()
    {
        // A permissive umask, as on most machines, so the server's own narrowing is what the
        // checks see (under umask 077 everything would pass without it).
        const mode_t oldMask = ::umask(022);
        const auto restore = qScopeGuard([oldMask] { ::umask(oldMask); });
        QTemporaryDir parent;
        const QString dataDir = parent.filePath(QStringLiteral("new/data"));
        ServerProcess server(dataDir);
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        HttpClient http(server.baseUrl());
        QCOMPARE(http.post(QStringLiteral("/_api/collection"),
                           QJsonObject{{QStringLiteral("name"), QStringLiteral("c")}})
                     .status,
                 200);
        const auto others = QFileDevice::ReadGroup | QFileDevice::WriteGroup |
                            QFileDevice::ExeGroup | QFileDevice::ReadOther |
                            QFileDevice::WriteOther | QFileDevice::ExeOther;
        QCOMPARE(QFile::permissions(dataDir) & others, QFileDevice::Permissions());
        QVERIFY(QFile::permissions(dataDir) & QFileDevice::ExeOwner);
        int files = 0;
        for (const char *suffix : {"", "-wal", "-shm"}) {
            const QString path =
                dataDir + QStringLiteral("/repldesk.sqlite") + QLatin1String(suffix);
            if (!QFile::exists(path))
                continue;
            ++files;
            QCOMPARE(QFile::permissions(path) & others, QFileDevice::Permissions());
        }
        QVERIFY(files >= 2); // the database and its WAL while the server runs
        server.stop();

        // A directory the operator gave keeps its mode; files an older version left readable
        // are narrowed at the next start.
        QTemporaryDir shared;
        QFile::setPermissions(shared.path(), QFile::permissions(shared.path()) |
                                                 QFileDevice::ReadOther | QFileDevice::ExeOther);
        QFile old(shared.filePath(QStringLiteral("repldesk.sqlite")));
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.close();
        QVERIFY(QFile::setPermissions(old.fileName(),
                                      QFile::permissions(old.fileName()) | QFileDevice::ReadOther));
        ServerProcess again(shared.path());
        QVERIFY2(again.start(), qPrintable(again.errorString()));
        QVERIFY(QFile::permissions(shared.path()) & QFileDevice::ReadOther);
        QCOMPARE(QFile::permissions(old.fileName()) & others, QFileDevice::Permissions());
    }

    // curl sends "Expect: 100-continue" for bodies over 1 MiB and waits up to a second for
    // the interim answer before sending the body.
    void expectContinueIsAnsweredAtOnce()
    {
        QCOMPARE(m_http->post(QStringLiteral("/_api/collection"), QJsonObject{{"name", "expect"}})
                     .status,
                 200);
        const QByteArray body = "{\"_key\":\"e1\",\"v\":1}";
        const QByteArray auth =
            "Basic " + ("root:" + ServerProcess::password().toUtf8()).toBase64();
        QTcpSocket socket;
        socket.connectToHost(m_server->baseUrl().host(), quint16(m_server->baseUrl().port()));
        QVERIFY(socket.waitForConnected(5000));
        socket.write("POST /_api/document/expect HTTP/1.1\r\nHost: x\r\nAuthorization: " + auth +
                     "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
                     "Content-Length: " +
                     QByteArray::number(body.size()) + "\r\n\r\n");
        QElapsedTimer t;
        t.start();
        QByteArray got;
        while (!got.contains("\r\n\r\n") && t.elapsed() < 5000)
            if (socket.waitForReadyRead(50))
                got += socket.readAll();
        QVERIFY2(got.startsWith("HTTP/1.1 100 Continue\r\n\r\n"), got.constData());
        socket.write(body);
        while (got.indexOf("\r\n\r\n", 25) < 0 && t.elapsed() < 5000)
            if (socket.waitForReadyRead(50))
                got += socket.readAll();
        QVERIFY2(got.mid(25).startsWith("HTTP/1.1 201") || got.mid(25).startsWith("HTTP/1.1 202"),
                 got.constData());
        QCOMPARE(m_http->get(QStringLiteral("/_api/document/expect/e1")).status, 200);

        // Without the header, no interim answer: the first bytes are the final one.
        socket.write("GET /_api/version HTTP/1.1\r\nHost: x\r\nAuthorization: " + auth +
                     "\r\n\r\n");
        got.clear();
        t.restart();
        while (!got.contains("\r\n\r\n") && t.elapsed() < 5000)
            if (socket.waitForReadyRead(50))
                got += socket.readAll();
        QVERIFY2(got.startsWith("HTTP/1.1 200"), got.constData());
    }

    void routing()
    {
        HttpReply r = m_http->get(QStringLiteral("/_api/nothing-here"));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.json()[QStringLiteral("errorNum")].toInt(), 404);
        r = m_http->get(QStringLiteral("/_db/nosuchdb/_api/collection"));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.json()[QStringLiteral("errorNum")].toInt(), 1228);
        r = m_http->request("PATCH", QStringLiteral("/_api/version"));
        QCOMPARE(r.status, 405);
        QCOMPARE(r.json()[QStringLiteral("errorNum")].toInt(), 405);
    }

    void serverIdIsDecimalAndStable()
    {
        const HttpReply r = m_http->get(QStringLiteral("/_api/replication/server-id"));
        QCOMPARE(r.status, 200);
        const QString id = r.json()[QStringLiteral("serverId")].toString();
        bool ok = false;
        QVERIFY(id.toULongLong(&ok) > 0);
        QVERIFY(ok);
        QCOMPARE(id, m_server->serverIdFromBanner());
        QCOMPARE(m_http->get(QStringLiteral("/_db/_system/_api/replication/server-id"))
                     .json()[QStringLiteral("serverId")]
                     .toString(),
                 id);
    }

    void restartKeepsServerIdAndTicksGrow()
    {
        const QString id = m_http->get(QStringLiteral("/_api/replication/server-id"))
                               .json()[QStringLiteral("serverId")]
                               .toString();
        QCOMPARE(
            m_http->post(QStringLiteral("/_api/collection"), QJsonObject{{"name", "ticks"}}).status,
            200);
        const QString tickBefore = m_http->get(QStringLiteral("/_api/replication/inventory"))
                                       .json()[QStringLiteral("tick")]
                                       .toString();
        QVERIFY(tickBefore.toULongLong() > 0);
        QCOMPARE(m_server->stop(), 0); // SIGTERM → clean exit 0
        QVERIFY(m_server->output().contains("stopped"));
        QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
        m_http->setBase(m_server->baseUrl());
        QCOMPARE(m_http->get(QStringLiteral("/_api/replication/server-id"))
                     .json()[QStringLiteral("serverId")]
                     .toString(),
                 id);
        const HttpReply doc =
            m_http->post(QStringLiteral("/_api/document/ticks"), QByteArray("{}"));
        QCOMPARE(doc.status, 202);
        // Generated keys come from the tick counter: above everything before the restart.
        QVERIFY(doc.json()[QStringLiteral("_key")].toString().toULongLong() >
                tickBefore.toULongLong());
        const QString tickAfter = m_http->get(QStringLiteral("/_api/replication/inventory"))
                                      .json()[QStringLiteral("tick")]
                                      .toString();
        QVERIFY(tickAfter.toULongLong() > tickBefore.toULongLong());
    }

    void commandLine()
    {
        QProcess p;
        p.start(QStringLiteral(REPLDESK_SERVER_BINARY), {QStringLiteral("--version")});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(p.readAllStandardOutput().startsWith("repldesk-server "));
        p.start(QStringLiteral(REPLDESK_SERVER_BINARY), {QStringLiteral("--help")});
        QVERIFY(p.waitForFinished(10000));
        const QByteArray help = p.readAllStandardOutput();
        for (const char *opt : {"--listen", "--data-dir", "--root-password", "--sync"})
            QVERIFY2(help.contains(opt), opt);
        p.start(QStringLiteral(REPLDESK_SERVER_BINARY),
                {QStringLiteral("--listen"), QStringLiteral("nonsense")});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(p.readAllStandardError().contains("--listen"));
    }

    void environmentPassword()
    {
        const Outcome o = run(
            {},
            [](const QUrl &url, qint64) {
                HttpClient ok(url, QStringLiteral("root"), QStringLiteral("from-env"));
                QCOMPARE(ok.get(QStringLiteral("/_api/version")).status, 200);
                HttpClient bad(url, QStringLiteral("root"), ServerProcess::password());
                QCOMPARE(bad.get(QStringLiteral("/_api/version")).status, 401);
            },
            QStringLiteral("from-env"));
        QCOMPARE(o.exitCode, -1);
        QCOMPARE(o.stopCode, 0);
    }

private:
    // Starts repldesk-server with `args` (a fresh data directory); returns its exit code, or -1
    // once it listens (it is then stopped), with everything it printed.
    // `envPassword` goes into REPLDESK_ROOT_PASSWORD (unset otherwise); `wrapper` runs the
    // server (e.g. prlimit …); `whileUp` gets its URL and process id while it listens.
    struct Outcome
    {
        int exitCode = -2;
        int stopCode = -2; // after SIGTERM, when it listened
        QByteArray output;
        QUrl url;
    };
    using WhileUp = std::function<void(const QUrl &, qint64 pid)>;
    Outcome run(QStringList args, const WhileUp &whileUp = {}, const QString &envPassword = {},
                QStringList wrapper = {})
    {
        QTemporaryDir dir;
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("REPLDESK_ROOT_PASSWORD"));
        if (!envPassword.isEmpty())
            env.insert(QStringLiteral("REPLDESK_ROOT_PASSWORD"), envPassword);
        p.setProcessEnvironment(env);
        p.setProcessChannelMode(QProcess::MergedChannels);
        args << QStringLiteral("--data-dir") << dir.path();
        if (!args.contains(QStringLiteral("--listen")))
            args << QStringLiteral("--listen") << QStringLiteral("127.0.0.1:0");
        if (wrapper.isEmpty())
            p.start(QStringLiteral(REPLDESK_SERVER_BINARY), args);
        else
            p.start(wrapper.takeFirst(),
                    wrapper + QStringList{QStringLiteral(REPLDESK_SERVER_BINARY)} + args);
        Outcome o;
        if (!p.waitForStarted())
            return o;
        (void)QTest::qWaitFor(
            [&] {
                o.output += p.readAll();
                return o.output.contains("listening on") || p.state() == QProcess::NotRunning;
            },
            15000);
        o.output += p.readAll();
        if (p.state() == QProcess::NotRunning) {
            o.exitCode = p.exitCode();
            return o;
        }
        o.exitCode = -1;
        o.url =
            QUrl(QString::fromUtf8(o.output.mid(o.output.indexOf("http://")).split(' ').first()));
        if (whileUp)
            whileUp(o.url, p.processId());
        p.terminate();
        if (p.waitForFinished(15000) && p.exitStatus() == QProcess::NormalExit)
            o.stopCode = p.exitCode();
        return o;
    }

private Q_SLOTS:
    // No empty root password unless asked for, and then on loopback only; plain HTTP beyond
    // loopback only when asked for; the password from a file, and a word about the flag.
    void passwordAndExposureRules()
    {
        Outcome o = run({});
        QCOMPARE(o.exitCode, 2);
        QVERIFY2(o.output.contains("--root-password-file"), o.output.constData());

        o = run({QStringLiteral("--allow-empty-root-password")}, [](const QUrl &url, qint64) {
            QCOMPARE(HttpClient(url, QStringLiteral("root"), QString())
                         .get(QStringLiteral("/_api/version"))
                         .status,
                     200);
        });
        QCOMPARE(o.exitCode, -1);
        QVERIFY2(o.output.contains("warning: user root has an empty password"),
                 o.output.constData());

        o = run({QStringLiteral("--allow-empty-root-password"),
                 QStringLiteral("--allow-plain-http"), QStringLiteral("--listen"),
                 QStringLiteral("0.0.0.0:0")});
        QCOMPARE(o.exitCode, 2);
        QVERIFY2(o.output.contains("loopback only"), o.output.constData());

        o = run({QStringLiteral("--root-password"), QStringLiteral("pw"),
                 QStringLiteral("--listen"), QStringLiteral("0.0.0.0:0")});
        QCOMPARE(o.exitCode, 2);
        QVERIFY2(o.output.contains("--allow-plain-http"), o.output.constData());

        o = run({QStringLiteral("--root-password"), QStringLiteral("pw")});
        QCOMPARE(o.exitCode, -1);
        QVERIFY2(o.output.contains("visible to other users"), o.output.constData());

        QTemporaryDir secrets;
        QFile file(secrets.filePath(QStringLiteral("root.pw")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("from-a-file\n");
        file.close();
        o = run(
            {QStringLiteral("--root-password-file"), file.fileName()}, [](const QUrl &url, qint64) {
                QCOMPARE(HttpClient(url, QStringLiteral("root"), QStringLiteral("from-a-file"))
                             .get(QStringLiteral("/_api/version"))
                             .status,
                         200);
                QCOMPARE(HttpClient(url, QStringLiteral("root"), QStringLiteral("from-a-file\n"))
                             .get(QStringLiteral("/_api/version"))
                             .status,
                         401);
            });
        QCOMPARE(o.exitCode, -1);
        QVERIFY2(!o.output.contains("visible to other users"), o.output.constData());
        QCOMPARE(
            run({QStringLiteral("--root-password-file"), secrets.filePath(QStringLiteral("none"))})
                .exitCode,
            2);
    }

    // Started with a soft descriptor limit of 256 under a hard one of 4096, the server runs
    // with 4096.
    void raisesItsDescriptorLimit()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("prlimit")).isEmpty())
            QSKIP("prlimit (util-linux) is not installed");
        const Outcome o = run({QStringLiteral("--root-password-file"), QStringLiteral("/dev/null"),
                               QStringLiteral("--allow-empty-root-password")},
                              [](const QUrl &, qint64 pid) {
                                  QFile limits(QStringLiteral("/proc/%1/limits").arg(pid));
                                  QVERIFY(limits.open(QIODevice::ReadOnly));
                                  const QByteArray text = limits.readAll();
                                  const qsizetype at = text.indexOf("Max open files");
                                  QVERIFY(at >= 0);
                                  const QList<QByteArray> fields =
                                      text.mid(at + 14, 60).simplified().split(' ');
                                  QCOMPARE(fields.value(0), QByteArray("4096"));
                              },
                              {}, {QStringLiteral("prlimit"), QStringLiteral("--nofile=256:4096")});
        QCOMPARE(o.exitCode, -1);
    }

    // A leader that accepts and never answers keeps a sync (a long request) waiting. It holds
    // no request worker: with a single worker, other requests are still answered; one long
    // request runs at a time (the second gets 503 at once); SIGTERM still ends the server
    // promptly.
    void longRequestsLeaveWorkersFreeAndShutdownEndsThem()
    {
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        QList<QTcpSocket *> held;
        connect(&silent, &QTcpServer::newConnection, this,
                [&] { held.append(silent.nextPendingConnection()); });
        ServerProcess server({}, {QStringLiteral("--workers"), QStringLiteral("1")});
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        const QJsonObject body{
            {"endpoint", QStringLiteral("http://127.0.0.1:%1").arg(silent.serverPort())},
            {"initialSyncMaxWaitTime", 600}};
        struct Call
        {
            std::unique_ptr<QThread> thread;
            std::atomic<int> status{0};
        } first;
        first.thread.reset(QThread::create([&] {
            HttpClient h(server.baseUrl());
            first.status = h.request("PUT", QStringLiteral("/_api/replication/sync"),
                                     QJsonDocument(body).toJson(), {}, 120000)
                               .status;
        }));
        first.thread->start();
        QTRY_VERIFY_WITH_TIMEOUT(!held.isEmpty(), 10000); // the sync asks the silent leader
        HttpClient h(server.baseUrl());
        QElapsedTimer t;
        t.start();
        const HttpReply second = h.put(QStringLiteral("/_api/replication/sync"), body);
        QCOMPARE(second.status, 503);
        QVERIFY2(second.body.contains("too many long requests"), second.body.constData());
        QCOMPARE(h.get(QStringLiteral("/_api/version")).status, 200);
        QVERIFY2(t.elapsed() < 5000, qPrintable(QString::number(t.elapsed())));
        t.restart();
        QCOMPARE(server.stop(15000), 0); // SIGTERM with the sync still waiting
        QVERIFY2(t.elapsed() < 10000, qPrintable(QString::number(t.elapsed())));
        first.thread->wait();
        QVERIFY(first.status != 200);
        qDeleteAll(held);
    }
};

QTEST_GUILESS_MAIN(TestServerBasics)
#include "tst_server_basics.moc"
