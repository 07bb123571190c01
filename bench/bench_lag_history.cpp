// bench_lag_history: the app's lag history store (gui/LagHistory) with 100 servers watched for
// an hour at 1 s, in simulated time (the samples end now, inside the retention).
//   paced: each simulated second's samples are appended, then flushed and waited for, as the
//          app's one write a second would store them: the caller's cost per append, the store's
//          cost per second.
//   burst: the whole hour appended at once (the buffer limit raised to hold it), then one
//          flush: the cost of catching up, and the memory that takes.
// Then reads on the burst file: a 1 h window of 3 servers at 1,000 points (the lag chart), of
// all servers, the span, a CSV export of everything, and reopening the file.
//
//   bench_lag_history [--servers N] [--seconds S] [--json FILE]
#include "BenchSupport.h"
#include "BenchTable.h"
#include "gui/LagHistory.h"
#include "support/ServerProcess.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QUuid>

#include <algorithm>
#include <chrono>
#include <vector>

using bench::percentile;
using repl::gui::LagHistory;
using repl::gui::LagSample;

namespace {

qint64 rssKiB()
{
    return repl::test::ServerProcess::rssKiB(QCoreApplication::applicationPid());
}

template<typename F> bool waitUntil(F done, int ms = 600000)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > ms)
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    }
    return true;
}

// Flush and wait; the round trip in ms.
double flushMs(LagHistory &h, QObject *ctx)
{
    QElapsedTimer t;
    t.start();
    bool done = false;
    h.flush(ctx, [&done] { done = true; });
    waitUntil([&] { return done; });
    return t.nsecsElapsed() / 1e6;
}

double queryMs(LagHistory &h, QObject *ctx, const QStringList &servers, qint64 from, qint64 to,
               int points, qsizetype *rows)
{
    QElapsedTimer t;
    t.start();
    bool done = false;
    h.query(servers, from, to, points, ctx, [&](const QList<LagSample> &r) {
        *rows = r.size();
        done = true;
    });
    waitUntil([&] { return done; });
    return t.nsecsElapsed() / 1e6;
}

qint64 filesBytes(const QString &path)
{
    return QFileInfo(path).size() + QFileInfo(path + QStringLiteral("-wal")).size() +
           QFileInfo(path + QStringLiteral("-shm")).size();
}

// Server s at simulated second i: a follower a few ticks behind, with a spike now and then.
LagSample sampleOf(const QString &server, int s, int i, qint64 t)
{
    const quint64 leader = 1000000 + quint64(i) * 50 + quint64(s);
    quint64 behind = quint64((i * 7 + s * 13) % 40);
    if ((i + s) % 600 == 0)
        behind = 50000;
    return {
        server, QStringLiteral("_system"), t, leader, leader - behind, behind, behind * 0.02, true,
        0};
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    QCommandLineOption serversOpt(QStringLiteral("servers"), QStringLiteral("Servers watched."),
                                  QStringLiteral("N"), QStringLiteral("100"));
    QCommandLineOption secondsOpt(QStringLiteral("seconds"),
                                  QStringLiteral("Simulated seconds (one sample a second)."),
                                  QStringLiteral("S"), QStringLiteral("3600"));
    QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Write results as JSON."),
                               QStringLiteral("FILE"));
    p.addOptions({serversOpt, secondsOpt, jsonOpt});
    p.process(app);
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("ReplDeskBench"));
    const int servers = p.value(serversOpt).toInt();
    const int seconds = p.value(secondsOpt).toInt();
    const qint64 total = qint64(servers) * seconds;
    QTemporaryDir dir;
    QObject ctx;
    QList<BenchRow> rows;
    const QString perHour = QStringLiteral("%1 servers x %2 s").arg(servers).arg(seconds);

    QStringList ids; // ServerEntry ids are UUIDs
    for (int s = 0; s < servers; ++s)
        ids.append(QUuid::createUuid().toString(QUuid::WithoutBraces));
    const qint64 end = QDateTime::currentMSecsSinceEpoch();
    const qint64 start = end - qint64(seconds) * 1000;

    const qint64 rssBefore = rssKiB();
    rows.append({QStringLiteral("RSS before"), rssBefore / 1024.0, QStringLiteral("MiB"),
                 QStringLiteral("QCoreApplication, nothing opened")});

    // ---- paced: as the app runs ----
    const QString pacedPath = dir.filePath(QStringLiteral("paced.sqlite"));
    std::vector<double> appendUs;
    appendUs.reserve(size_t(total) * 2);
    std::vector<double> secondMs;
    {
        LagHistory h(pacedPath);
        for (int i = 0; i < seconds; ++i) {
            const qint64 t = start + qint64(i) * 1000;
            for (int s = 0; s < servers; ++s) {
                const LagSample x = sampleOf(ids.at(s), s, i, t);
                const auto a = std::chrono::steady_clock::now();
                h.append(x);
                const auto b = std::chrono::steady_clock::now();
                appendUs.push_back(std::chrono::duration<double, std::micro>(b - a).count());
            }
            secondMs.push_back(flushMs(h, &ctx));
        }
        if (!h.lastError().isEmpty())
            qWarning() << h.lastError();
        rows.append({QStringLiteral("RSS after paced hour"), rssKiB() / 1024.0,
                     QStringLiteral("MiB"), QStringLiteral("history open; target app <= 300")});
    }
    const auto pct = [](const std::vector<double> &v, double q) { return percentile(v, q); };
    // In ns: a table cell has one decimal.
    rows.append({QStringLiteral("append p50 (caller thread)"), pct(appendUs, 0.5) * 1000,
                 QStringLiteral("ns"), QStringLiteral("%1 calls").arg(appendUs.size())});
    rows.append({QStringLiteral("append p99 (caller thread)"), pct(appendUs, 0.99) * 1000,
                 QStringLiteral("ns"), QString()});
    rows.append({QStringLiteral("append max (caller thread)"), pct(appendUs, 1.0) * 1000,
                 QStringLiteral("ns"), QStringLiteral("includes the once-a-second wake-up post")});
    rows.append({QStringLiteral("one second's write, p50"), pct(secondMs, 0.5),
                 QStringLiteral("ms"),
                 QStringLiteral("flush round trip, %1 samples in one transaction").arg(servers)});
    rows.append({QStringLiteral("one second's write, p99"), pct(secondMs, 0.99),
                 QStringLiteral("ms"), QString()});
    rows.append({QStringLiteral("one second's write, max"), pct(secondMs, 1.0),
                 QStringLiteral("ms"), QString()});
    rows.append(
        {QStringLiteral("file after paced hour (closed)"), filesBytes(pacedPath) / 1048576.0,
         QStringLiteral("MiB"),
         QStringLiteral("%1 B a sample").arg(double(filesBytes(pacedPath)) / total, 0, 'f', 1)});

    // ---- burst: the hour at once, then one flush ----
    const QString burstPath = dir.filePath(QStringLiteral("burst.sqlite"));
    {
        LagHistory h(burstPath);
        h.setBufferLimit(total);
        std::vector<double> burstUs;
        burstUs.reserve(size_t(total));
        QElapsedTimer all;
        all.start();
        for (int i = 0; i < seconds; ++i) {
            const qint64 t = start + qint64(i) * 1000;
            for (int s = 0; s < servers; ++s) {
                const LagSample x = sampleOf(ids.at(s), s, i, t);
                const auto a = std::chrono::steady_clock::now();
                h.append(x);
                const auto b = std::chrono::steady_clock::now();
                burstUs.push_back(std::chrono::duration<double, std::micro>(b - a).count());
            }
        }
        const double appendAllMs = all.nsecsElapsed() / 1e6;
        const qint64 rssAppended = rssKiB();
        const double flush = flushMs(h, &ctx);
        const double totalMs = all.nsecsElapsed() / 1e6;
        const auto slow =
            std::count_if(burstUs.begin(), burstUs.end(), [](double us) { return us > 1000; });
        rows.append({QStringLiteral("burst: append p50"), pct(burstUs, 0.5) * 1000,
                     QStringLiteral("ns"),
                     QStringLiteral("p99 %1 ns, max %2 us, %3 calls over 1 ms; all %4 ms")
                         .arg(pct(burstUs, 0.99) * 1000, 0, 'f', 0)
                         .arg(pct(burstUs, 1.0), 0, 'f', 0)
                         .arg(slow)
                         .arg(appendAllMs, 0, 'f', 0)});
        rows.append({QStringLiteral("burst: RSS with the hour buffered"), rssAppended / 1024.0,
                     QStringLiteral("MiB"),
                     QStringLiteral("buffer limit raised to %1").arg(total)});
        rows.append({QStringLiteral("burst: flush after the last append"), flush,
                     QStringLiteral("ms"), QString()});
        rows.append(
            {QStringLiteral("burst: stored"), total / (totalMs / 1000.0),
             QStringLiteral("samples/s"),
             QStringLiteral("first append to flush done; dropped %1").arg(h.droppedSamples())});
        rows.append({QStringLiteral("burst: RSS after flush"), rssKiB() / 1024.0,
                     QStringLiteral("MiB"), QStringLiteral("freed buffer may stay with malloc")});
    }

    // ---- reads ----
    {
        QElapsedTimer open;
        open.start();
        LagHistory h(burstPath);
        bool spanned = false;
        qint64 first = 0, last = 0;
        h.span(&ctx, [&](qint64 a, qint64 b) {
            first = a;
            last = b;
            spanned = true;
        });
        waitUntil([&] { return spanned; });
        rows.append({QStringLiteral("reopen + span"), open.nsecsElapsed() / 1e6,
                     QStringLiteral("ms"),
                     QStringLiteral("span %1 s").arg((last - first) / 1000.0, 0, 'f', 0)});
        const QStringList three = ids.mid(0, 3);
        std::vector<double> q3;
        qsizetype n3 = 0;
        for (int r = 0; r < 7; ++r)
            q3.push_back(queryMs(h, &ctx, three, end - 3600000, end, 1000, &n3));
        rows.append({QStringLiteral("query 1 h, 3 servers, 1,000 points"), pct(q3, 0.5),
                     QStringLiteral("ms"),
                     QStringLiteral("median of 7 (first %1 ms); %2 samples back")
                         .arg(q3.front(), 0, 'f', 1)
                         .arg(n3)});
        qsizetype nAll = 0;
        const double qAll = queryMs(h, &ctx, {}, end - 3600000, end, 1000, &nAll);
        rows.append({QStringLiteral("query 1 h, all servers, 1,000 points"), qAll,
                     QStringLiteral("ms"), QStringLiteral("%1 samples back").arg(nAll)});
        qsizetype nRaw = 0;
        const double qRaw = queryMs(h, &ctx, three, end - 3600000, end, 0, &nRaw);
        rows.append({QStringLiteral("query 1 h, 3 servers, every sample"), qRaw,
                     QStringLiteral("ms"), QStringLiteral("%1 samples back").arg(nRaw)});

        QElapsedTimer ex;
        ex.start();
        bool exported = false;
        QString error;
        qint64 lines = 0;
        const QString csv = dir.filePath(QStringLiteral("all.csv"));
        h.exportCsv(csv, {}, start, end, &ctx, [&](const QString &e, qint64 n) {
            error = e;
            lines = n;
            exported = true;
        });
        waitUntil([&] { return exported; });
        const double exMs = ex.nsecsElapsed() / 1e6;
        rows.append({QStringLiteral("CSV export, everything"), lines / (exMs / 1000.0),
                     QStringLiteral("rows/s"),
                     QStringLiteral("%1 rows in %2 ms, %3 MiB%4")
                         .arg(lines)
                         .arg(exMs, 0, 'f', 0)
                         .arg(QFileInfo(csv).size() / 1048576.0, 0, 'f', 1)
                         .arg(error.isEmpty() ? QString() : QStringLiteral("; ") + error)});
    }
    rows.append({QStringLiteral("file after burst hour (closed)"),
                 filesBytes(burstPath) / 1048576.0, QStringLiteral("MiB"), perHour});
    rows.append(
        {QStringLiteral("RSS at the end"), rssKiB() / 1024.0, QStringLiteral("MiB"), QString()});

    const QString title = QStringLiteral("bench_lag_history (%1, simulated time)").arg(perHour);
    printTable(title, rows);
    if (p.isSet(jsonOpt))
        writeJson(p.value(jsonOpt), rowsToJson(title, rows));
    return 0;
}
