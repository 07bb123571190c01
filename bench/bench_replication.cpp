// bench_replication: a follower repldesk-server copying a leader (sync), catching up with its
// log (applier) and keeping up under a steady write load — beside the raw SQLite insert rate
// of the rows a follower stores, measured in the same run.
//
// Each sync round also writes single documents into another database of the follower and
// reports their latency (a staged sync must not hold the writer).
//
//   bench_replication [--docs N] [--catchup N] [--rate W] [--seconds S] [--rounds R] [--json FILE]
#include "BenchSupport.h"
#include "BenchTable.h"
#include "support/HttpClient.h"
#include "support/ServerProcess.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

using bench::listOf;
using bench::median;
using bench::percentile;
using repl::test::HttpClient;
using repl::test::HttpReply;
using repl::test::ServerProcess;

namespace {

bool importDocs(HttpClient &http, const QString &collection, int from, int count,
                const QByteArray &prefix)
{
    const int batch = 50000;
    for (int start = from; start < from + count; start += batch) {
        QByteArray body;
        for (int i = start; i < qMin(from + count, start + batch); ++i)
            body += bench::documentBody(i, prefix) + '\n';
        const HttpReply r = http.post(
            QStringLiteral("/_api/import?collection=%1&type=documents").arg(collection), body);
        if (r.status != 201) {
            qCritical("import failed: %d %s", r.status, r.body.constData());
            return false;
        }
    }
    return true;
}

QString lastLogTick(HttpClient &http)
{
    return http.get(QStringLiteral("/_api/replication/logger-state"))
        .json()[QStringLiteral("state")]
        .toObject()[QStringLiteral("lastLogTick")]
        .toString();
}

QJsonObject applierState(HttpClient &http)
{
    return http.get(QStringLiteral("/_api/replication/applier-state"))
        .json()[QStringLiteral("state")]
        .toObject();
}

// Paced single-document writes at `rate`/s over idle keep-alive connections (no pipelining).
class PacedLoad : public QObject
{
public:
    PacedLoad(const QUrl &base, int rate, int connections)
        : m_rate(rate)
    {
        const QByteArray auth =
            "Basic " + ("root:" + ServerProcess::password().toUtf8()).toBase64();
        for (int i = 0; i < connections; ++i) {
            auto c = std::make_unique<Conn>();
            Conn *cp = c.get();
            cp->socket.connectToHost(base.host(), quint16(base.port()));
            cp->socket.waitForConnected(5000);
            connect(&cp->socket, &QTcpSocket::readyRead, this, [this, cp] {
                cp->buffer += cp->socket.readAll();
                const qsizetype end = cp->buffer.indexOf("\r\n\r\n");
                if (end < 0)
                    return;
                const qsizetype cl = cp->buffer.indexOf("Content-Length: ");
                const qint64 length =
                    cp->buffer.mid(cl + 16, cp->buffer.indexOf("\r\n", cl) - cl - 16).toLongLong();
                if (cp->buffer.size() < end + 4 + length)
                    return;
                cp->buffer.clear();
                cp->busy = false;
                ++m_done;
                pump();
            });
            m_conns.push_back(std::move(c));
        }
        m_auth = auth;
        m_timer.setInterval(5);
        connect(&m_timer, &QTimer::timeout, this, [this] { pump(); });
    }
    void start()
    {
        m_clock.start();
        m_timer.start();
    }
    void stop()
    {
        m_timer.stop();
        m_stopped = true;
    }
    qint64 sent() const { return m_sent; }
    double elapsedS() const { return m_clock.nsecsElapsed() / 1e9; }

private:
    struct Conn
    {
        QTcpSocket socket;
        QByteArray buffer;
        bool busy = false;
    };
    void pump()
    {
        if (m_stopped)
            return;
        const qint64 target = qint64(m_clock.nsecsElapsed() / 1e9 * m_rate);
        for (auto &c : m_conns) {
            if (m_sent >= target)
                break;
            if (c->busy)
                continue;
            const QByteArray body = bench::documentBody(int(m_sent), "load");
            c->socket.write("POST /_api/document/load HTTP/1.1\r\nHost: x\r\nAuthorization: " +
                            m_auth + "\r\nContent-Type: application/json\r\nContent-Length: " +
                            QByteArray::number(body.size()) + "\r\n\r\n" + body);
            c->busy = true;
            ++m_sent;
        }
    }
    int m_rate;
    QByteArray m_auth;
    std::vector<std::unique_ptr<Conn>> m_conns;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_sent = 0;
    qint64 m_done = 0;
    bool m_stopped = false;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    QCommandLineOption docsOpt(QStringLiteral("docs"), QStringLiteral("Documents to sync."),
                               QStringLiteral("N"), QStringLiteral("1000000"));
    QCommandLineOption catchupOpt(QStringLiteral("catchup"),
                                  QStringLiteral("Documents the applier catches up on."),
                                  QStringLiteral("N"), QStringLiteral("200000"));
    QCommandLineOption rateOpt(QStringLiteral("rate"),
                               QStringLiteral("Leader writes/s for the lag measure."),
                               QStringLiteral("W"), QStringLiteral("5000"));
    QCommandLineOption secondsOpt(QStringLiteral("seconds"),
                                  QStringLiteral("Duration of the lag measure."),
                                  QStringLiteral("S"), QStringLiteral("10"));
    QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Write results as JSON."),
                               QStringLiteral("FILE"));
    QCommandLineOption roundsOpt(QStringLiteral("rounds"),
                                 QStringLiteral("Rounds of raw + sync and raw + catch-up; the "
                                                "table gives medians."),
                                 QStringLiteral("R"), QStringLiteral("3"));
    p.addOptions({docsOpt, catchupOpt, rateOpt, secondsOpt, roundsOpt, jsonOpt});
    p.process(app);
    const int n = p.value(docsOpt).toInt();
    const int catchup = p.value(catchupOpt).toInt();
    const int rate = p.value(rateOpt).toInt();
    const int seconds = p.value(secondsOpt).toInt();

    const int rounds = qMax(1, p.value(roundsOpt).toInt());

    QList<BenchRow> rows;
    ServerProcess leader;
    if (!leader.start()) {
        qCritical("cannot start the leader: %s", qPrintable(leader.errorString()));
        return 1;
    }
    HttpClient lh(leader.baseUrl());
    lh.put(QStringLiteral("/_api/replication/logger-start"));
    lh.post(QStringLiteral("/_api/collection"),
            QJsonObject{{QStringLiteral("name"), QStringLiteral("bench")}});
    lh.post(QStringLiteral("/_api/collection"),
            QJsonObject{{QStringLiteral("name"), QStringLiteral("load")}});
    QElapsedTimer t;
    t.start();
    if (!importDocs(lh, QStringLiteral("bench"), 0, n, "d"))
        return 1;
    rows.append({QStringLiteral("leader bulk import (setup)"), n / (t.nsecsElapsed() / 1e9),
                 QStringLiteral("docs/s"), QString()});

    // Sync: each round measures the raw limit and then a sync into a fresh follower, back to
    // back, so a slow moment of the machine (page cache, a neighbour) hits both sides of the
    // ratio. Each timed phase starts with the page cache written back (::sync).
    const QJsonObject syncBody{{QStringLiteral("endpoint"), leader.baseUrl().toString()},
                               {QStringLiteral("username"), QStringLiteral("root")},
                               {QStringLiteral("password"), ServerProcess::password()}};
    std::vector<double> raws, syncs, syncRatios, writeLatencies;
    std::unique_ptr<ServerProcess> follower;
    for (int round = 0; round < rounds; ++round) {
        follower.reset(); // the last round's files go before this round's clock starts
        ::sync();
        raws.push_back(bench::rawSqliteRate(n, false));
        follower = std::make_unique<ServerProcess>();
        if (!follower->start()) {
            qCritical("cannot start a follower: %s", qPrintable(follower->errorString()));
            return 1;
        }
        HttpClient fh(follower->baseUrl());
        // Another database on the follower takes single-document writes all through the sync:
        // a staged sync must not make them wait for it.
        fh.post(QStringLiteral("/_api/database"),
                QJsonObject{{QStringLiteral("name"), QStringLiteral("other")}});
        fh.post(QStringLiteral("/_db/other/_api/collection"),
                QJsonObject{{QStringLiteral("name"), QStringLiteral("load")}});
        ::sync();
        std::atomic<bool> syncing{true};
        std::atomic<int> writeErrors{0};
        std::thread writer([&, url = follower->baseUrl(), round] {
            bench::RawClient c(url);
            int i = 0;
            while (syncing) {
                const QByteArray body =
                    bench::documentBody(i++, "r" + QByteArray::number(round) + "w");
                QElapsedTimer wt;
                wt.start();
                const int status =
                    c.request("POST", QStringLiteral("/_db/other/_api/document/load"), body).status;
                if (status != 201 && status != 202)
                    ++writeErrors;
                writeLatencies.push_back(wt.nsecsElapsed() / 1e6);
                QThread::usleep(2000);
            }
        });
        t.start();
        const HttpReply s =
            fh.request("PUT", QStringLiteral("/_api/replication/sync"),
                       QJsonDocument(syncBody).toJson(QJsonDocument::Compact), {}, 3600000);
        const double syncS = t.nsecsElapsed() / 1e9;
        syncing = false;
        writer.join();
        if (writeErrors > 0)
            qWarning("%d writes to another database failed during the sync", int(writeErrors));
        if (s.status != 200) {
            qCritical("sync failed: %d %s", s.status, s.body.constData());
            return 1;
        }
        syncs.push_back(n / syncS);
        syncRatios.push_back(syncs.back() / raws.back());
    }
    const double raw = median(raws);
    rows.append({QStringLiteral("raw SQLite insert (C API, doc rows)"), raw,
                 QStringLiteral("docs/s"),
                 QStringLiteral("the limit: a follower stores doc rows; median, rounds %1")
                     .arg(listOf(raws, 0))});
    rows.append({QStringLiteral("sync (dump + store)"), median(syncs), QStringLiteral("docs/s"),
                 QStringLiteral("%1 docs; median, rounds %2").arg(n).arg(listOf(syncs, 0))});
    rows.append({QStringLiteral("sync / raw"), 100 * median(syncRatios), QStringLiteral("%"),
                 QStringLiteral("target >= 80; median of the rounds' ratios, rounds %1")
                     .arg(listOf(syncRatios, 2))});
    rows.append({QStringLiteral("write to another db during sync p50"),
                 percentile(writeLatencies, 0.50), QStringLiteral("ms"),
                 QStringLiteral("%1 single-document writes, one at a time, every ~2 ms")
                     .arg(writeLatencies.size())});
    rows.append({QStringLiteral("write to another db during sync p99"),
                 percentile(writeLatencies, 0.99), QStringLiteral("ms"),
                 QStringLiteral("target <= 50 ms")});
    rows.append({QStringLiteral("write to another db during sync max"),
                 percentile(writeLatencies, 1.0), QStringLiteral("ms"), QString()});

    // Catch-up: the leader writes while the applier is stopped, then the applier starts. The
    // fair limit: raw inserts into a table that already holds the synced rows.
    HttpClient fh(follower->baseUrl());
    QJsonObject cfg = syncBody;
    cfg.insert(QStringLiteral("idleMinWaitTime"), 0.05);
    cfg.insert(QStringLiteral("idleMaxWaitTime"), 0.2);
    fh.put(QStringLiteral("/_api/replication/applier-config"), cfg);
    std::vector<double> rawOntos, catchups, catchupRatios;
    for (int round = 0; round < rounds; ++round) {
        if (!importDocs(lh, QStringLiteral("bench"), n + round * catchup, catchup, "d"))
            return 1;
        const quint64 target = lastLogTick(lh).toULongLong();
        ::sync();
        rawOntos.push_back(bench::rawSqliteRate(catchup, false, n));
        ::sync();
        t.start();
        fh.put(QStringLiteral("/_api/replication/applier-start"));
        while (
            applierState(fh)[QStringLiteral("lastAppliedContinuousTick")].toString().toULongLong() <
            target) {
            QThread::msleep(5);
            if (t.elapsed() > 600000) {
                qCritical("applier did not catch up: %s",
                          QJsonDocument(applierState(fh)).toJson().constData());
                return 1;
            }
        }
        catchups.push_back(catchup / (t.nsecsElapsed() / 1e9));
        catchupRatios.push_back(catchups.back() / rawOntos.back());
        if (round + 1 < rounds)
            fh.put(QStringLiteral("/_api/replication/applier-stop"));
    }
    rows.append(
        {QStringLiteral("raw SQLite insert onto %1 rows").arg(n), median(rawOntos),
         QStringLiteral("docs/s"),
         QStringLiteral("the limit for catch-up; median, rounds %1").arg(listOf(rawOntos, 0))});
    rows.append(
        {QStringLiteral("applier catch-up"), median(catchups), QStringLiteral("docs/s"),
         QStringLiteral("%1 docs; median, rounds %2").arg(catchup).arg(listOf(catchups, 0))});
    rows.append({QStringLiteral("catch-up / raw onto %1").arg(n), 100 * median(catchupRatios),
                 QStringLiteral("%"),
                 QStringLiteral("target >= 80; median of the rounds' ratios, rounds %1")
                     .arg(listOf(catchupRatios, 2))});

    // Steady state: paced writes; probes measure leader-ack → visible-on-follower.
    PacedLoad load(leader.baseUrl(), rate, 32);
    const QUrl followerUrl = follower->baseUrl();
    std::atomic<bool> stop{false};
    std::vector<double> lags;
    std::thread prober([&] {
        bench::RawClient lc(leader.baseUrl()), fc(followerUrl);
        int i = 0;
        while (!stop) {
            const QByteArray key = "probe" + QByteArray::number(i++);
            lc.request("POST", QStringLiteral("/_api/document/bench"),
                       "{\"_key\":\"" + key + "\"}");
            QElapsedTimer lt;
            lt.start();
            while (
                fc.get(QStringLiteral("/_api/document/bench/") + QString::fromUtf8(key)).status !=
                200) {
                if (lt.elapsed() > 10000)
                    break;
            }
            lags.push_back(lt.nsecsElapsed() / 1e6);
            QThread::msleep(20);
        }
    });
    load.start();
    QEventLoop loop;
    QTimer::singleShot(seconds * 1000, &loop, &QEventLoop::quit);
    loop.exec();
    load.stop();
    stop = true;
    prober.join();
    const double achieved = load.sent() / load.elapsedS();
    rows.append({QStringLiteral("leader write load (achieved)"), achieved,
                 QStringLiteral("writes/s"),
                 QStringLiteral("target %1/s, 32 connections").arg(rate)});
    rows.append({QStringLiteral("steady-state lag p50"), percentile(lags, 0.50),
                 QStringLiteral("ms"), QStringLiteral("%1 probes").arg(lags.size())});
    rows.append({QStringLiteral("steady-state lag p99"), percentile(lags, 0.99),
                 QStringLiteral("ms"), QStringLiteral("target <= 50 ms")});
    rows.append({QStringLiteral("steady-state lag max"), percentile(lags, 1.0),
                 QStringLiteral("ms"), QString()});

    fh.put(QStringLiteral("/_api/replication/applier-stop"));
    leader.stop();
    follower->stop();
    const QString title =
        QStringLiteral(
            "bench_replication (%1 docs sync, %2 catch-up, %3 rounds, 2 cores, loopback)")
            .arg(n)
            .arg(catchup)
            .arg(rounds);
    printTable(title, rows);
    if (p.isSet(jsonOpt))
        writeJson(p.value(jsonOpt), rowsToJson(title, rows));
    return 0;
}
