// TLS end to end, with a throwaway CA and certificates made by the openssl command line:
// repldesk-server listening on plain HTTP and HTTPS at once; bad certificate files refused at
// start; a follower that syncs and applies from an HTTPS leader only when it trusts the CA
// (--tls-ca-file), with a certificate error in applier-state otherwise; sslProtocol honoured
// (TLS 1.3 against a leader that speaks TLS 1.2 only fails, TLS 1.2 passes the handshake) and
// unsupported values refused; repldeskctl with --ca-file and --pin.
#include "ReplicationTestKit.h"
#include "client/Tls.h"
#include "support/CtlProcess.h"
#include "support/TestCertificates.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace repl;
using namespace repl::test;

namespace {

quint16 freePort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}

QStringList tlsArgs(quint16 port, const TestCertificates::Pair &pair)
{
    return {QStringLiteral("--listen"),   QStringLiteral("ssl://127.0.0.1:%1").arg(port),
            QStringLiteral("--tls-cert"), pair.cert,
            QStringLiteral("--tls-key"),  pair.key};
}

// repldesk-server run to its first answer (a banner or an exit) for checks of its start.
struct Started
{
    int exitCode = -1; // -1: still running (stopped by the helper)
    QString output;
};

Started startOnce(const QStringList &args, const QRegularExpression &until)
{
    QTemporaryDir data;
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral(REPLDESK_SERVER_BINARY),
            QStringList{QStringLiteral("--data-dir"), data.path(),
                        QStringLiteral("--root-password"), ServerProcess::password()} +
                args);
    Started s;
    [[maybe_unused]] const bool answered = QTest::qWaitFor(
        [&] {
            s.output += QString::fromUtf8(p.readAll());
            return p.state() == QProcess::NotRunning || until.match(s.output).hasMatch();
        },
        20000);
    if (p.state() == QProcess::NotRunning) {
        s.exitCode = p.exitCode();
        s.output += QString::fromUtf8(p.readAll());
    } else {
        p.terminate();
        p.waitForFinished(10000);
    }
    return s;
}

} // namespace

class TestTls : public QObject
{
    Q_OBJECT

private:
    TestCertificates m_pki;
    TestCertificates::Pair m_server; // signed by the CA
    TestCertificates::Pair m_other;  // signed by the CA too, another key

    CtlRun ctl(const QStringList &args, const QString &configHome = {})
    {
        QHash<QString, QString> env{{QStringLiteral("RD_PW"), ServerProcess::password()}};
        if (!configHome.isEmpty())
            env.insert(QStringLiteral("XDG_CONFIG_HOME"), configHome);
        return runCtlWith(args, env);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_pki.createCa(), qPrintable(m_pki.errorString()));
        m_server = m_pki.signedByCa(QStringLiteral("server"));
        QVERIFY2(!m_server.fingerprint.isEmpty(), qPrintable(m_pki.errorString()));
        m_other = m_pki.signedByCa(QStringLiteral("other"));
        QVERIFY2(!m_other.fingerprint.isEmpty(), qPrintable(m_pki.errorString()));
        QVERIFY(m_server.fingerprint != m_other.fingerprint);
        // This process (its HttpClients) trusts the test CA; the servers only when told.
        QString error;
        QVERIFY2(client::setTrustedCaFile(m_pki.caFile(), error), qPrintable(error));
    }

    void plainAndTlsListenersSideBySide()
    {
        const quint16 tlsPort = freePort();
        static const QRegularExpression bothBanners(
            QStringLiteral(
                "listening on http://127\\.0\\.0\\.1:(\\d+) \\(serverId (\\d+)[^\\n]*\\n"
                ".*listening on https://127\\.0\\.0\\.1:%1 \\(serverId \\2.*\\n.*SHA-256 "
                "([0-9A-F:]+)")
                .arg(tlsPort),
            QRegularExpression::DotMatchesEverythingOption);
        // One line per listener in the order given, the certificate's fingerprint after them.
        const Started banner =
            startOnce(QStringList{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")} +
                          tlsArgs(tlsPort, m_server),
                      bothBanners);
        const auto m = bothBanners.match(banner.output);
        QVERIFY2(m.hasMatch(), qPrintable(banner.output));
        QCOMPARE(m.captured(3), m_server.fingerprint);

        // Both answer the same server, each in its own protocol.
        ServerProcess server({}, tlsArgs(tlsPort, m_server));
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        HttpClient plain(server.baseUrl());
        HttpClient tls(QUrl(QStringLiteral("https://127.0.0.1:%1").arg(tlsPort)));
        const HttpReply viaPlain = plain.get(QStringLiteral("/_api/replication/server-id"));
        const HttpReply viaTls = tls.get(QStringLiteral("/_api/replication/server-id"));
        QVERIFY2(viaTls.status == 200, qPrintable(statusText(viaTls)));
        QCOMPARE(viaPlain.json(), viaTls.json());
        QCOMPARE(viaTls.json().value(QStringLiteral("serverId")).toString(),
                 server.serverIdFromBanner());
        // curl sends "Expect: 100-continue" with a body over 1 MiB and waits a second for the
        // interim answer: over TLS it comes at once, as over plain HTTP.
        QTemporaryDir bodyDir;
        QFile body(bodyDir.filePath(QStringLiteral("big.json")));
        QVERIFY(body.open(QIODevice::WriteOnly));
        body.write("{\"name\":\"tls_big\"" + QByteArray(2 * 1024 * 1024, ' ') + "}");
        body.close();
        QProcess curl;
        curl.start(QStringLiteral("curl"),
                   {QStringLiteral("-s"), QStringLiteral("--cacert"), m_pki.caFile(),
                    QStringLiteral("-u"), QStringLiteral("root:") + ServerProcess::password(),
                    QStringLiteral("--data-binary"), u'@' + body.fileName(), QStringLiteral("-o"),
                    QStringLiteral("/dev/null"), QStringLiteral("-w"),
                    QStringLiteral("%{http_code} %{time_total}"),
                    QStringLiteral("https://127.0.0.1:%1/_api/collection").arg(tlsPort)});
        QVERIFY(curl.waitForFinished(30000));
        const QStringList answer = QString::fromUtf8(curl.readAllStandardOutput()).split(u' ');
        QCOMPARE(answer.value(0), QStringLiteral("200"));
        QVERIFY2(answer.value(1).toDouble() < 0.9, qPrintable(answer.join(u' ')));
        // Plain HTTP on the TLS port is no request at all.
        HttpClient confused(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(tlsPort)));
        QCOMPARE(confused.request("GET", QStringLiteral("/_api/version"), {}, {}, 5000).status, 0);
    }

    void badCertificateFilesAreNamedAtStart()
    {
        const quint16 port = freePort();
        static const QRegularExpression never(QStringLiteral("listening on https"));
        const QString missing = m_pki.path(QStringLiteral("missing.pem"));
        struct Case
        {
            QStringList args;
            QString expected;
        };
        const QList<Case> cases{
            {tlsArgs(port, {missing, m_server.key, {}}),
             QStringLiteral("cannot read the TLS certificate file %1").arg(missing)},
            {tlsArgs(port, {m_server.cert, missing, {}}),
             QStringLiteral("cannot read the TLS key file %1").arg(missing)},
            {tlsArgs(port, {m_server.key, m_server.key, {}}),
             QStringLiteral("the TLS certificate file %1 holds no PEM certificate")
                 .arg(m_server.key)},
            {tlsArgs(port, {m_server.cert, m_server.cert, {}}),
             QStringLiteral("the TLS key file %1 holds no PEM private key").arg(m_server.cert)},
            {tlsArgs(port, {m_server.cert, m_other.key, {}}),
             QStringLiteral("the TLS key in %1 does not belong to the certificate in %2")
                 .arg(m_other.key, m_server.cert)},
            {{QStringLiteral("--listen"), QStringLiteral("ssl://127.0.0.1:%1").arg(port)},
             QStringLiteral("--listen ssl://… needs --tls-cert FILE")},
            {{QStringLiteral("--tls-ca-file"), missing},
             QStringLiteral("--tls-ca-file: cannot read the CA file %1").arg(missing)},
        };
        for (const Case &c : cases) {
            const Started s = startOnce(c.args, never);
            QVERIFY2(s.exitCode == 2, qPrintable(c.expected + u' ' + s.output));
            QVERIFY2(s.output.contains(c.expected), qPrintable(s.output));
        }
    }

    // The follower's outgoing calls trust the system's CAs only, unless --tls-ca-file adds
    // one: without it the applier stops at once with the certificate's fingerprint in
    // lastError; with it, sync and applier work over https.
    void followerTrustsTheLeaderOnlyWithItsCa()
    {
        const quint16 tlsPort = freePort();
        ServerProcess leader({}, tlsArgs(tlsPort, m_server));
        ServerProcess trusting({}, {QStringLiteral("--tls-ca-file"), m_pki.caFile()});
        ServerProcess untrusting;
        QVERIFY2(leader.start(), qPrintable(leader.errorString()));
        QVERIFY2(trusting.start(), qPrintable(trusting.errorString()));
        QVERIFY2(untrusting.start(), qPrintable(untrusting.errorString()));
        HttpClient l(leader.baseUrl()), f(trusting.baseUrl()), u(untrusting.baseUrl());
        QCOMPARE(l.put(QStringLiteral("/_api/replication/logger-start")).status, 200);
        QCOMPARE(l.post(QStringLiteral("/_api/collection"), QJsonObject{{"name", "orders"}}).status,
                 200);
        for (int i = 0; i < 5; ++i)
            QCOMPARE(l.post(QStringLiteral("/_api/document/orders"),
                            QJsonObject{{"_key", QStringLiteral("o%1").arg(i)}, {"n", i}})
                         .status,
                     202);
        const QString endpoint = QStringLiteral("ssl://127.0.0.1:%1").arg(tlsPort);

        // Without the CA: the sync fails, the applier stops with the certificate error.
        HttpReply r = u.put(QStringLiteral("/_api/replication/sync"), syncBody(endpoint));
        QVERIFY2(r.status >= 400, qPrintable(statusText(r)));
        QVERIFY2(r.json()
                     .value(QStringLiteral("errorMessage"))
                     .toString()
                     .contains(QStringLiteral("not trusted")),
                 qPrintable(statusText(r)));
        r = configureApplier(u, endpoint);
        QVERIFY2(r.status == 200, qPrintable(statusText(r)));
        QCOMPARE(u.put(QStringLiteral("/_api/replication/applier-start")).status, 200);
        QJsonObject st;
        QVERIFY(waitStopped(u, 15000, &st));
        const QJsonObject lastError = st.value(QStringLiteral("lastError")).toObject();
        const QString message = lastError.value(QStringLiteral("errorMessage")).toString();
        QCOMPARE(lastError.value(QStringLiteral("errorNum")).toInt(), 1400);
        QVERIFY2(message.contains(
                     QStringLiteral("TLS certificate of 127.0.0.1:%1 is not trusted").arg(tlsPort)),
                 qPrintable(message));
        QVERIFY2(message.contains(m_server.fingerprint), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("issuer CN=ReplDesk Test CA, O=ReplDesk tests")),
                 qPrintable(message));

        // With the CA: sync, then the applier follows over https.
        r = f.put(QStringLiteral("/_api/replication/sync"), syncBody(endpoint));
        QVERIFY2(r.status == 200, qPrintable(statusText(r)));
        r = configureApplier(f, endpoint);
        QVERIFY2(r.status == 200, qPrintable(statusText(r)));
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-start")).status, 200);
        for (int i = 5; i < 10; ++i)
            QCOMPARE(l.post(QStringLiteral("/_api/document/orders"),
                            QJsonObject{{"_key", QStringLiteral("o%1").arg(i)}, {"n", i}})
                         .status,
                     202);
        expectEqual(l, f, "after applying over https");
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(
            applierState(f).value(QStringLiteral("lastError"))[QStringLiteral("errorNum")].toInt(),
            0);
        QVERIFY(f.get(QStringLiteral("/_api/replication/applier-config"))
                    .json()
                    .value(QStringLiteral("endpoint"))
                    .toString()
                    .startsWith(QStringLiteral("ssl://")));
    }

    void sslProtocolIsCheckedAndHonoured()
    {
        ServerProcess follower({}, {QStringLiteral("--tls-ca-file"), m_pki.caFile()});
        QVERIFY2(follower.start(), qPrintable(follower.errorString()));
        HttpClient f(follower.baseUrl());
        // Old and unknown protocols are refused when configured, naming the field.
        for (int value : {1, 3, 4, 7, 10}) {
            const HttpReply r = f.put(QStringLiteral("/_api/replication/applier-config"),
                                      QJsonObject{{"sslProtocol", value}});
            QVERIFY2(r.status == 400, qPrintable(statusText(r)));
            QCOMPARE(r.json().value(QStringLiteral("errorNum")).toInt(), 1410);
            QVERIFY2(r.json()
                         .value(QStringLiteral("errorMessage"))
                         .toString()
                         .contains(QStringLiteral("<sslProtocol> %1").arg(value)),
                     qPrintable(statusText(r)));
        }
        for (int value : {0, 2, 5, 6, 9}) {
            const HttpReply r = f.put(QStringLiteral("/_api/replication/applier-config"),
                                      QJsonObject{{"sslProtocol", value}});
            QVERIFY2(r.status == 200, qPrintable(statusText(r)));
            QCOMPARE(r.json().value(QStringLiteral("sslProtocol")).toInt(), value);
        }

        // TLS 1.3 (6) against a real leader: it works.
        const quint16 tlsPort = freePort();
        ServerProcess leader({}, tlsArgs(tlsPort, m_server));
        QVERIFY2(leader.start(), qPrintable(leader.errorString()));
        HttpClient l(leader.baseUrl());
        QCOMPARE(l.put(QStringLiteral("/_api/replication/logger-start")).status, 200);
        QCOMPARE(l.post(QStringLiteral("/_api/collection"), QJsonObject{{"name", "t13"}}).status,
                 200);
        const QString endpoint = QStringLiteral("ssl://127.0.0.1:%1").arg(tlsPort);
        HttpReply r = f.put(QStringLiteral("/_api/replication/sync"), syncBody(endpoint));
        QVERIFY2(r.status == 200, qPrintable(statusText(r)));
        r = configureApplier(f, endpoint, {{"sslProtocol", 6}});
        QVERIFY2(r.status == 200, qPrintable(statusText(r)));
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-start")).status, 200);
        QCOMPARE(l.post(QStringLiteral("/_api/document/t13"), QJsonObject{{"_key", "a"}}).status,
                 202);
        expectEqual(l, f, "TLS 1.3");
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(f.put(QStringLiteral("/_api/replication/applier-stop")).status, 200);

        // A leader that speaks TLS 1.2 only (openssl s_server): 6 fails in the handshake,
        // 5 gets through it (and then finds no replication API there).
        const quint16 oldPort = freePort();
        QProcess tls12;
        tls12.setProcessChannelMode(QProcess::MergedChannels);
        tls12.start(QStringLiteral("openssl"),
                    {QStringLiteral("s_server"), QStringLiteral("-accept"),
                     QStringLiteral("127.0.0.1:%1").arg(oldPort), QStringLiteral("-cert"),
                     m_server.cert, QStringLiteral("-key"), m_server.key, QStringLiteral("-tls1_2"),
                     QStringLiteral("-www"), QStringLiteral("-quiet")});
        QVERIFY(tls12.waitForStarted(10000));
        QVERIFY(QTest::qWaitFor(
            [&] {
                QTcpSocket probe;
                probe.connectToHost(QHostAddress::LocalHost, oldPort);
                return probe.waitForConnected(200);
            },
            10000));
        const QString oldEndpoint = QStringLiteral("ssl://127.0.0.1:%1").arg(oldPort);
        auto lastErrorWith = [&](int sslProtocol) {
            HttpReply c = configureApplier(
                f, oldEndpoint,
                {{"sslProtocol", sslProtocol}, {"maxConnectRetries", 0}, {"requestTimeout", 5}});
            if (c.status != 200)
                return statusText(c);
            const HttpReply started =
                f.put(QStringLiteral("/_api/replication/applier-start?from=1"));
            if (started.status != 200)
                return statusText(started);
            QJsonObject st;
            if (!waitStopped(f, 15000, &st))
                return QStringLiteral("still running ") +
                       QString::fromUtf8(QJsonDocument(st).toJson(QJsonDocument::Compact));
            return st.value(QStringLiteral("lastError"))[QStringLiteral("errorMessage")].toString();
        };
        // TLS 1.2 first: s_server serves one connection at a time, and a client that gave up
        // on a failed handshake may leave a second one open that it would wait on.
        const QString with12 = lastErrorWith(5);
        QVERIFY2(with12.contains(QStringLiteral("invalid response from leader")),
                 qPrintable(with12));
        const QString with13 = lastErrorWith(6);
        QVERIFY2(with13.contains(QStringLiteral("handshake"), Qt::CaseInsensitive) &&
                     with13.contains(QStringLiteral("protocol version")),
                 qPrintable(with13));
        tls12.kill();
        tls12.waitForFinished(5000);
    }

    void ctlVerifiesAndPins()
    {
        const quint16 tlsPort = freePort();
        ServerProcess server({}, tlsArgs(tlsPort, m_server));
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        const QString url = QStringLiteral("https://127.0.0.1:%1").arg(tlsPort);
        const QStringList base{QStringLiteral("--server"), url, QStringLiteral("--password-env"),
                               QStringLiteral("RD_PW")};

        // The system's CAs do not know the test CA.
        CtlRun r = ctl(base + QStringList{QStringLiteral("probe")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("is not trusted") && r.err.contains(m_server.fingerprint.toUtf8()),
                 r.err.constData());
        r = ctl(base +
                QStringList{QStringLiteral("--ca-file"), m_pki.caFile(), QStringLiteral("probe")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("ReplDesk"));
        // ssl:// is https.
        r = ctl({QStringLiteral("--server"), QStringLiteral("ssl://127.0.0.1:%1").arg(tlsPort),
                 QStringLiteral("--password-env"), QStringLiteral("RD_PW"),
                 QStringLiteral("--ca-file"), m_pki.caFile(), QStringLiteral("databases")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("_system"));

        // The pinned certificate is accepted without its CA, in any spelling of the hash.
        const QString lowerNoColons = m_server.fingerprint.toLower().remove(u':');
        r = ctl(base +
                QStringList{QStringLiteral("--pin"), lowerNoColons, QStringLiteral("probe")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        // Another certificate than the pinned one is refused, even one a trusted CA signed.
        r = ctl(base + QStringList{QStringLiteral("--ca-file"), m_pki.caFile(),
                                   QStringLiteral("--pin"), m_other.fingerprint,
                                   QStringLiteral("probe")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("TLS certificate of 127.0.0.1:%1 changed: the "
                                               "pinned SHA-256 fingerprint is %2, the server "
                                               "presented %3")
                                    .arg(tlsPort)
                                    .arg(m_other.fingerprint, m_server.fingerprint)
                                    .toUtf8()),
                 r.err.constData());
        r = ctl(base + QStringList{QStringLiteral("--pin"), QStringLiteral("AB:CD"),
                                   QStringLiteral("probe")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("--pin needs a SHA-256 fingerprint"));

        // --server NAME: the pin the app keeps for that server; --pin overrides it.
        QTemporaryDir home;
        QDir().mkpath(home.filePath(QStringLiteral("ReplDesk")));
        QFile ini(home.filePath(QStringLiteral("ReplDesk/repldesk.conf")));
        QVERIFY(ini.open(QIODevice::WriteOnly));
        ini.write(QStringLiteral("[servers]\n1\\id=t1\n1\\name=Secure\n1\\endpoint=%1\n"
                                 "1\\user=root\n1\\database=_system\n1\\tlsPin=%2\nsize=1\n")
                      .arg(url, m_other.fingerprint)
                      .toUtf8());
        ini.close();
        const QStringList named{QStringLiteral("--server"), QStringLiteral("Secure"),
                                QStringLiteral("--password-env"), QStringLiteral("RD_PW")};
        r = ctl(named + QStringList{QStringLiteral("probe")}, home.path());
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("changed"), r.err.constData());
        r = ctl(named + QStringList{QStringLiteral("--pin"), m_server.fingerprint,
                                    QStringLiteral("probe")},
                home.path());
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
