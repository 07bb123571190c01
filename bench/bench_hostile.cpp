// bench_hostile: repldesk-server under hostile load at once — idle connections from many
// addresses, hostile JS filters, wrong passwords at a steady rate and continuous replications —
// while an operator's client asks GET /_api/version with the right password. Prints its
// latency (target p99 <= 50 ms), the server's RSS, and how long SIGTERM takes (target <= 5 s).
//
//   bench_hostile [--seconds S] [--idle N] [--filters N] [--bad-logins R] [--jobs N] [--json FILE]
#include "BenchSupport.h"
#include "BenchTable.h"
#include "support/HttpClient.h"
#include "support/ServerProcess.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QThread>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

using bench::percentile;
using repl::test::HttpClient;
using repl::test::ServerProcess;

namespace {

// One request on a fresh or kept connection from `source`; the status, 0 when none came.
int exchange(QTcpSocket &s, const QUrl &base, const QHostAddress &source, const QByteArray &req,
             int timeoutMs)
{
    if (s.state() != QAbstractSocket::ConnectedState) {
        s.abort();
        s.bind(source);
        s.connectToHost(base.host(), quint16(base.port()));
        if (!s.waitForConnected(timeoutMs))
            return 0;
    }
    s.write(req);
    QByteArray buf;
    QElapsedTimer t;
    t.start();
    for (;;) {
        const qsizetype end = buf.indexOf("\r\n\r\n");
        if (end >= 0) {
            const qsizetype cl = buf.toLower().indexOf("content-length:");
            const qint64 length =
                cl >= 0 && cl < end
                    ? buf.mid(cl + 15, buf.indexOf("\r\n", cl) - cl - 15).trimmed().toLongLong()
                    : 0;
            if (buf.size() >= end + 4 + length)
                return buf.mid(9, 3).toInt();
        }
        const int left = timeoutMs - int(t.elapsed());
        if (left <= 0 || (!s.bytesAvailable() && !s.waitForReadyRead(left))) {
            s.abort();
            return 0;
        }
        buf += s.readAll();
    }
}

QByteArray basic(const QString &user, const QString &password)
{
    return "Basic " + (user + u':' + password).toUtf8().toBase64();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    QCommandLineOption secondsOpt(QStringLiteral("seconds"), QStringLiteral("Duration."),
                                  QStringLiteral("S"), QStringLiteral("30"));
    QCommandLineOption idleOpt(QStringLiteral("idle"), QStringLiteral("Idle connections."),
                               QStringLiteral("N"), QStringLiteral("2000"));
    QCommandLineOption filtersOpt(QStringLiteral("filters"),
                                  QStringLiteral("Hostile filter requests at once."),
                                  QStringLiteral("N"), QStringLiteral("8"));
    QCommandLineOption badOpt(QStringLiteral("bad-logins"),
                              QStringLiteral("Wrong passwords per second."), QStringLiteral("R"),
                              QStringLiteral("100"));
    QCommandLineOption jobsOpt(QStringLiteral("jobs"), QStringLiteral("Continuous replications."),
                               QStringLiteral("N"), QStringLiteral("50"));
    QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Write results as JSON."),
                               QStringLiteral("FILE"));
    p.addOptions({secondsOpt, idleOpt, filtersOpt, badOpt, jobsOpt, jsonOpt});
    p.process(app);
    const int seconds = p.value(secondsOpt).toInt();
    const int idle = p.value(idleOpt).toInt();
    const int filters = p.value(filtersOpt).toInt();
    const int badRate = p.value(badOpt).toInt();
    const int jobs = p.value(jobsOpt).toInt();

    ServerProcess server;
    if (!server.start()) {
        qCritical("cannot start the server: %s", qPrintable(server.errorString()));
        return 1;
    }
    const QUrl base = server.baseUrl();
    const qint64 pid = server.processId();
    HttpClient h(base);
    // A CouchDB database with hostile filters, and one local source for the replications.
    h.put(QStringLiteral("/hostile"));
    h.put(QStringLiteral("/hostile/_design/d"),
          QJsonObject{{QStringLiteral("filters"),
                       QJsonObject{{QStringLiteral("spin"),
                                    QStringLiteral("function(doc, req) { while (true) {} }")},
                                   {QStringLiteral("outside"),
                                    QStringLiteral("(function(){ while (true) {} })(), "
                                                   "function(doc, req) { return true; }")}}}});
    h.post(QStringLiteral("/hostile"), QJsonObject{{QStringLiteral("_id"), QStringLiteral("x")}});
    h.put(QStringLiteral("/source"));
    QUrl self = base;
    self.setUserName(QStringLiteral("root"));
    self.setPassword(ServerProcess::password());
    int started = 0;
    for (int i = 0; i < jobs; ++i)
        started += h.post(QStringLiteral("/_replicate"),
                          QJsonObject{{QStringLiteral("source"),
                                       self.toString() + QStringLiteral("/source")},
                                      {QStringLiteral("target"), QStringLiteral("t%1").arg(i)},
                                      {QStringLiteral("create_target"), true},
                                      {QStringLiteral("continuous"), true}})
                       .status == 202;
    const qint64 rssBefore = ServerProcess::rssKiB(pid);

    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    std::atomic<int> idleOpen{0}, filterAnswers{0}, filterErrors{0}, badAnswers{0};
    // Idle connections from 127.0.0.2…: reopened as the server closes them.
    threads.emplace_back([&] {
        std::vector<std::unique_ptr<QTcpSocket>> sockets;
        for (int i = 0; i < idle; ++i)
            sockets.push_back(std::make_unique<QTcpSocket>());
        while (!stop) {
            int open = 0;
            for (int i = 0; i < idle && !stop; ++i) {
                QTcpSocket &s = *sockets[size_t(i)];
                if (s.state() == QAbstractSocket::ConnectedState) {
                    s.waitForReadyRead(0);
                    if (s.state() == QAbstractSocket::ConnectedState) {
                        ++open;
                        continue;
                    }
                }
                s.abort();
                s.bind(QHostAddress(QStringLiteral("127.0.0.%1").arg(2 + i % 200)));
                s.connectToHost(base.host(), quint16(base.port()));
                if (s.waitForConnected(200))
                    ++open;
            }
            idleOpen = open;
            QThread::msleep(200);
        }
    });
    // Hostile filters, again and again, from 127.0.1.x.
    for (int f = 0; f < filters; ++f)
        threads.emplace_back([&, f] {
            QTcpSocket s;
            const QByteArray req =
                "GET /hostile/_changes?filter=d/" + QByteArray(f % 2 ? "spin" : "outside") +
                " HTTP/1.1\r\nHost: x\r\nAuthorization: " +
                basic(QStringLiteral("root"), ServerProcess::password()) + "\r\n\r\n";
            while (!stop) {
                const int status = exchange(
                    s, base, QHostAddress(QStringLiteral("127.0.1.%1").arg(f + 1)), req, 15000);
                ++filterAnswers;
                if (status >= 500)
                    ++filterErrors;
                if (status == 0)
                    QThread::msleep(50);
            }
        });
    // Wrong passwords at a steady rate from 127.0.2.1.
    threads.emplace_back([&] {
        QTcpSocket s;
        const QByteArray req = "GET /_api/version HTTP/1.1\r\nHost: x\r\nAuthorization: " +
                               basic(QStringLiteral("root"), QStringLiteral("wrong")) + "\r\n\r\n";
        QElapsedTimer t;
        t.start();
        qint64 sent = 0;
        while (!stop) {
            if (sent < t.elapsed() * badRate / 1000) {
                exchange(s, base, QHostAddress(QStringLiteral("127.0.2.1")), req, 2000);
                ++sent;
                ++badAnswers;
            } else {
                QThread::msleep(2);
            }
        }
    });

    // The operator: the right password, every 20 ms, from 127.0.0.1.
    std::vector<double> latencies;
    int probeFailures = 0;
    qint64 rssMax = rssBefore;
    {
        QTcpSocket s;
        const QByteArray req = "GET /_api/version HTTP/1.1\r\nHost: x\r\nAuthorization: " +
                               basic(QStringLiteral("root"), ServerProcess::password()) +
                               "\r\n\r\n";
        QElapsedTimer clock;
        clock.start();
        QThread::msleep(2000); // the load builds up first
        while (clock.elapsed() < qint64(seconds) * 1000 + 2000) {
            QElapsedTimer t;
            t.start();
            const int status = exchange(s, base, QHostAddress::LocalHost, req, 10000);
            latencies.push_back(t.nsecsElapsed() / 1e6);
            if (status != 200)
                ++probeFailures;
            rssMax = qMax(rssMax, ServerProcess::rssKiB(pid));
            QThread::msleep(20);
        }
    }
    const int idleAtEnd = idleOpen;
    QElapsedTimer stopClock;
    stopClock.start();
    const int exitCode = server.stop(20000);
    const double stopS = stopClock.nsecsElapsed() / 1e9;
    stop = true;
    for (std::thread &t : threads)
        t.join();

    QList<BenchRow> rows;
    rows.append({QStringLiteral("idle connections held (last pass)"), double(idleAtEnd),
                 QStringLiteral("conns"),
                 QStringLiteral("%1 asked for, from 200 loopback addresses").arg(idle)});
    rows.append({QStringLiteral("continuous replications running"), double(started),
                 QStringLiteral("jobs"), QStringLiteral("%1 asked for").arg(jobs)});
    rows.append({QStringLiteral("hostile filter answers"), double(filterAnswers.load()),
                 QStringLiteral("answers"),
                 QStringLiteral("%1 errors (each must be an error); %2 at once")
                     .arg(filterErrors.load())
                     .arg(filters)});
    rows.append({QStringLiteral("wrong-password requests"), double(badAnswers.load()),
                 QStringLiteral("requests"), QStringLiteral("target %1/s").arg(badRate)});
    rows.append({QStringLiteral("operator GET /_api/version p50"), percentile(latencies, 0.5),
                 QStringLiteral("ms"),
                 QStringLiteral("%1 probes, %2 not 200").arg(latencies.size()).arg(probeFailures)});
    rows.append({QStringLiteral("operator GET /_api/version p99"), percentile(latencies, 0.99),
                 QStringLiteral("ms"), QStringLiteral("target <= 50 ms")});
    rows.append({QStringLiteral("operator GET /_api/version max"), percentile(latencies, 1.0),
                 QStringLiteral("ms"), QString()});
    rows.append({QStringLiteral("server RSS before load"), rssBefore / 1024.0,
                 QStringLiteral("MiB"), QString()});
    rows.append({QStringLiteral("server RSS max under load"), rssMax / 1024.0,
                 QStringLiteral("MiB"), QStringLiteral("bounded")});
    rows.append({QStringLiteral("SIGTERM to exit"), stopS, QStringLiteral("s"),
                 QStringLiteral("target <= 5 s; exit code %1").arg(exitCode)});
    const QString title = QStringLiteral("bench_hostile (%1 s, 2 cores, loopback)").arg(seconds);
    printTable(title, rows);
    if (p.isSet(jsonOpt))
        writeJson(p.value(jsonOpt), rowsToJson(title, rows));
    return 0;
}
