// bench_couch_continuous: how far behind a continuous CouchDB replication runs while its
// source takes a steady stream of writes. The lag of one document is the time from its write's
// acknowledgement on the source to its first appearance in the target's _changes.
//
//   bench_couch_continuous [--rate W] [--seconds S] [--writers C] [--direction pull|push|both]
//                          [--json FILE]
//
// Two repldesk-servers, A (source) and B (target). Pull: B runs the continuous job with A's
// database as a URL; push: A runs it with B's as a URL. C writer threads PUT single documents
// of the spec's §11 shape into A at W writes/s in total, paced by the clock (a writer behind
// its schedule sends at once, so a slow source shows as a lower achieved rate), for S seconds.
// A watcher thread long-polls B's _changes (style=all_docs, since=now) and notes when each id
// first shows. Afterwards the target must hold the source's whole state. Exit 1: setup failed;
// 2: a document never arrived or the states differ.
#include "BenchSupport.h"
#include "BenchTable.h"
#include "CouchBench.h"
#include "support/ServerProcess.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QThread>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

using repl::test::ServerProcess;
using Clock = std::chrono::steady_clock;

namespace {

QString docId(int writer, int i)
{
    return QStringLiteral("w%1-%2").arg(writer).arg(i, 7, 10, QLatin1Char('0'));
}

double msBetween(Clock::time_point a, Clock::time_point b)
{
    return std::chrono::duration<double, std::milli>(b - a).count();
}

struct Writer
{
    std::vector<Clock::time_point> acked; // per document, in write order
    int failed = 0;
};

// Writes its share of the stream: document i is due at start + i / perWriterRate.
void writeStream(const QUrl &source, const QString &db, int index, double perWriterRate,
                 Clock::time_point start, Clock::time_point end, Writer *w)
{
    bench::RawClient c(source);
    for (int i = 0;; ++i) {
        const auto due = start + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(i / perWriterRate));
        if (due >= end)
            break;
        std::this_thread::sleep_until(due);
        const QString id = docId(index, i);
        const auto r = c.request("PUT", u'/' + db + u'/' + id,
                                 "{\"n\":" + QByteArray::number(i) + ",\"s\":\"hello world " +
                                     id.toUtf8() + "\"}");
        if (r.status != 201) {
            ++w->failed;
            w->acked.push_back(Clock::time_point::max());
            continue;
        }
        w->acked.push_back(Clock::now());
    }
}

// Long-polls the target's feed and notes when each id first shows, until told to stop.
struct Watcher
{
    std::mutex mutex;
    std::unordered_map<QString, Clock::time_point> seen;
    std::atomic<bool> stop{false};
    QString error;
};

void watchFeed(const QUrl &target, const QString &db, Watcher *w)
{
    bench::RawClient c(target);
    QString since = QStringLiteral("now");
    while (!w->stop.load()) {
        const auto r = c.get(u'/' + db +
                             QStringLiteral("/_changes?feed=longpoll&style=all_docs&timeout=500"
                                            "&since=") +
                             since);
        const auto at = Clock::now();
        if (r.status != 200) {
            w->error = QStringLiteral("target _changes: %1").arg(r.status);
            return;
        }
        const QJsonObject o = QJsonDocument::fromJson(r.body).object();
        {
            std::lock_guard lock(w->mutex);
            for (const QJsonValue &row : o.value(QStringLiteral("results")).toArray())
                w->seen.try_emplace(row.toObject().value(QStringLiteral("id")).toString(), at);
        }
        since = bench::seqParam(o.value(QStringLiteral("last_seq")));
    }
}

struct Result
{
    double seconds = 0;
    qint64 written = 0, failed = 0, arrived = 0;
    std::vector<double> lagMs;
    double cpuA = 0, cpuB = 0, peakA = 0, peakB = 0;
    bool equal = false;
};

// One direction: sets up the job, streams writes for `seconds`, waits for the tail to
// arrive, cancels the job and checks the target.
bool run(bool pull, ServerProcess &a, ServerProcess &b, double rate, int seconds, int writers,
         Result *out, QString *error)
{
    const QString src = pull ? QStringLiteral("pullsrc") : QStringLiteral("pushsrc");
    const QString dst = pull ? QStringLiteral("pulldst") : QStringLiteral("pushdst");
    bench::RawClient ca(a.baseUrl()), cb(b.baseUrl());
    if (ca.request("PUT", u'/' + src, {}).status != 201 ||
        cb.request("PUT", u'/' + dst, {}).status != 201) {
        *error = QStringLiteral("PUT /%1 or /%2 failed").arg(src, dst);
        return false;
    }
    const QJsonObject job{{QStringLiteral("source"), pull ? bench::remoteDatabase(a, src) : src},
                          {QStringLiteral("target"), pull ? dst : bench::remoteDatabase(b, dst)},
                          {QStringLiteral("continuous"), true}};
    bench::RawClient &runner = pull ? cb : ca;
    const auto started = runner.request("POST", QStringLiteral("/_replicate"), bench::compact(job));
    if (started.status != 202) {
        *error = QStringLiteral("continuous /_replicate: %1 %2")
                     .arg(started.status)
                     .arg(QString::fromUtf8(started.body.left(300)));
        return false;
    }
    QThread::msleep(500); // the job reads its checkpoints and reaches the end of an empty feed

    Watcher watcher;
    std::thread watch(watchFeed, b.baseUrl(), dst, &watcher);
    QThread::msleep(200); // its first long-poll is parked before the first write

    const double cpuA = bench::cpuSeconds(a.processId()), cpuB = bench::cpuSeconds(b.processId());
    bench::resetPeak(a.processId());
    bench::resetPeak(b.processId());
    std::vector<Writer> w(static_cast<size_t>(writers));
    const auto start = Clock::now() + std::chrono::milliseconds(50);
    const auto end = start + std::chrono::seconds(seconds);
    std::vector<std::thread> threads;
    for (int i = 0; i < writers; ++i)
        threads.emplace_back(writeStream, a.baseUrl(), src, i, rate / writers, start, end,
                             &w[size_t(i)]);
    for (std::thread &t : threads)
        t.join();
    out->seconds = msBetween(start, Clock::now()) / 1000;

    qint64 expected = 0;
    for (const Writer &x : w) {
        expected += qint64(x.acked.size()) - x.failed;
        out->failed += x.failed;
    }
    // The tail: up to 30 s for the last documents to arrive.
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    while (Clock::now() < deadline) {
        {
            std::lock_guard lock(watcher.mutex);
            if (qint64(watcher.seen.size()) >= expected)
                break;
        }
        QThread::msleep(20);
    }
    out->cpuA = bench::cpuSeconds(a.processId()) - cpuA;
    out->cpuB = bench::cpuSeconds(b.processId()) - cpuB;
    out->peakA = bench::peakMiB(a.processId());
    out->peakB = bench::peakMiB(b.processId());
    watcher.stop = true;
    watch.join();
    if (!watcher.error.isEmpty()) {
        *error = watcher.error;
        return false;
    }
    for (int k = 0; k < writers; ++k) {
        const Writer &x = w[size_t(k)];
        for (size_t i = 0; i < x.acked.size(); ++i) {
            if (x.acked[i] == Clock::time_point::max())
                continue;
            ++out->written;
            const auto it = watcher.seen.find(docId(k, int(i)));
            if (it == watcher.seen.end())
                continue;
            ++out->arrived;
            // A row can show before the writer's thread notes the acknowledgement: lag 0.
            out->lagMs.push_back(qMax(0.0, msBetween(x.acked[i], it->second)));
        }
    }

    // Cancel the job (same body with cancel), then compare whole states. New connections:
    // the servers close keep-alive connections idle as long as the writes went on.
    bench::RawClient ra(a.baseUrl()), rb(b.baseUrl());
    bench::RawClient &again = pull ? rb : ra;
    QJsonObject cancel = job;
    cancel.insert(QStringLiteral("cancel"), true);
    const auto cancelled =
        again.request("POST", QStringLiteral("/_replicate"), bench::compact(cancel));
    if (cancelled.status != 200)
        qWarning("cancelling the job: %d %s", cancelled.status, cancelled.body.left(200).data());
    bench::State source, target;
    if (!bench::readState(ra, src, &source, error) || !bench::readState(rb, dst, &target, error))
        return false;
    out->equal = bench::compareStates(pull ? QStringLiteral("pull") : QStringLiteral("push"),
                                      source, target);
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    QCommandLineOption rateOpt(QStringLiteral("rate"),
                               QStringLiteral("Writes per second into the source (default 2000)."),
                               QStringLiteral("W"), QStringLiteral("2000"));
    QCommandLineOption secondsOpt(QStringLiteral("seconds"),
                                  QStringLiteral("How long the writes go on (default 60)."),
                                  QStringLiteral("S"), QStringLiteral("60"));
    QCommandLineOption writersOpt(
        QStringLiteral("writers"),
        QStringLiteral("Writer connections sharing the rate (default 2)."), QStringLiteral("C"),
        QStringLiteral("2"));
    QCommandLineOption directionOpt(QStringLiteral("direction"),
                                    QStringLiteral("pull, push or both (default both)."),
                                    QStringLiteral("D"), QStringLiteral("both"));
    QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Write results as JSON."),
                               QStringLiteral("FILE"));
    p.addOptions({rateOpt, secondsOpt, writersOpt, directionOpt, jsonOpt});
    p.process(app);
    const double rate = p.value(rateOpt).toDouble();
    const int seconds = p.value(secondsOpt).toInt();
    const int writers = p.value(writersOpt).toInt();
    const QString direction = p.value(directionOpt);
    if (rate <= 0 || seconds < 1 || writers < 1 ||
        !QStringList{"pull", "push", "both"}.contains(direction)) {
        qCritical("--rate and --seconds must be positive, --writers at least 1, --direction "
                  "pull, push or both");
        return 1;
    }

    ServerProcess a, b;
    if (!a.start() || !b.start()) {
        qCritical("cannot start the servers: %s %s", qPrintable(a.errorString()),
                  qPrintable(b.errorString()));
        return 1;
    }
    QList<BenchRow> rows;
    bool ok = true;
    for (const bool pull : {true, false}) {
        const QString name = pull ? QStringLiteral("pull (B runs it, A as a URL)")
                                  : QStringLiteral("push (A runs it, B as a URL)");
        if (direction != u"both" && (direction == u"pull") != pull)
            continue;
        Result r;
        QString error;
        if (!run(pull, a, b, rate, seconds, writers, &r, &error)) {
            qCritical("%s: %s", qPrintable(name), qPrintable(error));
            return 1;
        }
        rows.append({name + QStringLiteral(": writes achieved"), r.written / r.seconds,
                     QStringLiteral("writes/s"),
                     QStringLiteral("asked %1/s over %2 connections for %3 s; %4 failed")
                         .arg(rate)
                         .arg(writers)
                         .arg(seconds)
                         .arg(r.failed)});
        rows.append({name + QStringLiteral(": lag p50"), bench::percentile(r.lagMs, 0.5),
                     QStringLiteral("ms"),
                     QStringLiteral("acknowledged on A -> in B's _changes; %1 of %2 arrived")
                         .arg(r.arrived)
                         .arg(r.written)});
        rows.append({name + QStringLiteral(": lag p99"), bench::percentile(r.lagMs, 0.99),
                     QStringLiteral("ms"), QStringLiteral("target <= 50")});
        rows.append({name + QStringLiteral(": lag p99.9"),
                     bench::percentile(r.lagMs, 0.999),
                     QStringLiteral("ms"),
                     {}});
        rows.append({name + QStringLiteral(": lag max"),
                     bench::percentile(r.lagMs, 1.0),
                     QStringLiteral("ms"),
                     {}});
        const QString perWrite = QStringLiteral("%1 s of CPU over the writes and the tail");
        rows.append({name + QStringLiteral(": CPU per write A (source)"),
                     1e6 * r.cpuA / qMax<qint64>(1, r.written), QStringLiteral("us"),
                     perWrite.arg(r.cpuA, 0, 'f', 2)});
        rows.append({name + QStringLiteral(": CPU per write B (target)"),
                     1e6 * r.cpuB / qMax<qint64>(1, r.written), QStringLiteral("us"),
                     perWrite.arg(r.cpuB, 0, 'f', 2)});
        rows.append({name + QStringLiteral(": peak RSS A / B"), r.peakA, QStringLiteral("MiB"),
                     QStringLiteral("B: %1 MiB").arg(r.peakB, 0, 'f', 1)});
        ok = ok && r.equal && r.arrived == r.written;
    }
    a.stop();
    b.stop();
    const QString title = QStringLiteral("bench_couch_continuous (%1 writes/s for %2 s, 2 cores, "
                                         "loopback)")
                              .arg(rate)
                              .arg(seconds);
    printTable(title, rows);
    if (p.isSet(jsonOpt))
        writeJson(p.value(jsonOpt), rowsToJson(title, rows));
    return ok ? 0 : 2;
}
