// bench_engine: repldesk-server's write and read paths over real loopback HTTP, beside the
// raw SQLite insert rate of the same row shapes measured in the same run (the limit).
//
//   bench_engine [--docs N] [--singles N] [--rounds R] [--json FILE]
#include "BenchSupport.h"
#include "BenchTable.h"
#include "support/HttpClient.h"
#include "support/ServerProcess.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QVariant>

#include <sqlite3.h>
#include <unistd.h>

using repl::test::HttpClient;
using repl::test::HttpReply;
using repl::test::ServerProcess;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    QCommandLineOption docsOpt(QStringLiteral("docs"),
                               QStringLiteral("Documents for bulk/raw/follow/dump."),
                               QStringLiteral("N"), QStringLiteral("200000"));
    QCommandLineOption singlesOpt(QStringLiteral("singles"),
                                  QStringLiteral("Single-document inserts."), QStringLiteral("N"),
                                  QStringLiteral("20000"));
    QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Write results as JSON."),
                               QStringLiteral("FILE"));
    QCommandLineOption roundsOpt(QStringLiteral("rounds"),
                                 QStringLiteral("Rounds of raw + bulk import; the table gives "
                                                "medians."),
                                 QStringLiteral("R"), QStringLiteral("3"));
    p.addOptions({docsOpt, singlesOpt, roundsOpt, jsonOpt});
    p.process(app);
    const int n = p.value(docsOpt).toInt();
    const int singles = p.value(singlesOpt).toInt();
    const int rounds = qMax(1, p.value(roundsOpt).toInt());

    QList<BenchRow> rows;

    ServerProcess server;
    if (!server.start()) {
        qCritical("cannot start repldesk-server: %s", qPrintable(server.errorString()));
        return 1;
    }
    HttpClient http(server.baseUrl());
    http.put(QStringLiteral("/_api/replication/logger-start"));
    http.post(QStringLiteral("/_api/collection"),
              QJsonObject{{QStringLiteral("name"), QStringLiteral("singles")}});
    http.post(QStringLiteral("/_api/collection"),
              QJsonObject{{QStringLiteral("name"), QStringLiteral("bulk")}});

    const double single1 =
        bench::singleInserts(server.baseUrl(), QStringLiteral("singles"), singles / 4, 1, "one");
    rows.append({QStringLiteral("single-document inserts, 1 client"), single1,
                 QStringLiteral("docs/s"),
                 QStringLiteral("%1 us per request").arg(1e6 / single1, 0, 'f', 0)});
    const double single =
        bench::singleInserts(server.baseUrl(), QStringLiteral("singles"), singles, 16, "many");
    rows.append({QStringLiteral("single-document inserts, 16 clients"), single,
                 QStringLiteral("docs/s"), QStringLiteral("keep-alive, logger on")});

    // Bulk import: JSON lines, 50k documents per request, one transaction each. Each round
    // measures the raw limit just before its import, so a slow moment of the machine hits
    // both sides of the ratio; each timed phase starts with the page cache written back.
    const int batch = 50000;
    QElapsedTimer t;
    std::vector<double> raws, bulks, ratios;
    for (int round = 0; round < rounds; ++round) {
        ::sync();
        raws.push_back(bench::rawSqliteRate(n, true));
        const QByteArray prefix = "r" + QByteArray::number(round) + "_";
        qint64 importNs = 0;
        for (int start = 0; start < n; start += batch) {
            QByteArray body;
            body.reserve(batch * 130);
            for (int i = start; i < qMin(n, start + batch); ++i) {
                body += bench::documentBody(i, prefix);
                body += '\n';
            }
            if (start == 0)
                ::sync();
            t.start();
            const HttpReply r =
                http.post(QStringLiteral("/_api/import?collection=bulk&type=documents"), body);
            importNs += t.nsecsElapsed();
            if (r.status != 201) {
                qCritical("import failed: %d %s", r.status, r.body.constData());
                return 1;
            }
        }
        bulks.push_back(n / (importNs / 1e9));
        ratios.push_back(bulks.back() / raws.back());
    }
    rows.append({QStringLiteral("raw SQLite insert (C API, doc+log)"), bench::median(raws),
                 QStringLiteral("docs/s"),
                 QStringLiteral("the limit; median, rounds %1").arg(bench::listOf(raws, 0))});
    rows.append({QStringLiteral("bulk import over HTTP"), bench::median(bulks),
                 QStringLiteral("docs/s"),
                 QStringLiteral("median, rounds %1").arg(bench::listOf(bulks, 0))});
    rows.append({QStringLiteral("bulk import / raw"), 100 * bench::median(ratios),
                 QStringLiteral("%"),
                 QStringLiteral("target >= 50; median of the rounds' ratios, rounds %1")
                     .arg(bench::listOf(ratios, 2))});

    // Follow the whole log with large chunks.
    bench::RawClient lean(server.baseUrl());
    auto followAll = [&](qint64 &bytes, qint64 &events) {
        bytes = events = 0;
        QString from = QStringLiteral("0");
        QElapsedTimer ft;
        ft.start();
        for (;;) {
            const auto r = lean.get(
                QStringLiteral("/_api/replication/logger-follow?chunkSize=16777216&from=") + from);
            if (r.status != 200)
                break;
            bytes += r.body.size();
            events += r.body.count('\n');
            from = QString::fromUtf8(r.headers.value("x-arango-replication-lastincluded"));
        }
        return ft.nsecsElapsed() / 1e9;
    };
    qint64 bytes = 0, events = 0;
    double best = 1e9;
    for (int i = 0; i < 3; ++i)
        best = qMin(best, followAll(bytes, events));
    rows.append({QStringLiteral("logger-follow throughput"), bytes / best / 1e6,
                 QStringLiteral("MB/s"),
                 QStringLiteral("%1 MB, chunkSize 16 MiB").arg(bytes / 1e6, 0, 'f', 1)});
    rows.append({QStringLiteral("logger-follow events"), events / best, QStringLiteral("events/s"),
                 QStringLiteral("%1 events").arg(events)});

    // Dump the bulk collection.
    auto dumpAll = [&](qint64 &docs) {
        docs = 0;
        QString from = QStringLiteral("0");
        QElapsedTimer dt;
        dt.start();
        for (;;) {
            const auto r = lean.get(
                QStringLiteral("/_api/replication/dump?collection=bulk&chunkSize=16777216&from=") +
                from);
            if (r.status != 200)
                break;
            docs += r.body.count('\n');
            from = QString::fromUtf8(r.headers.value("x-arango-replication-lastincluded"));
        }
        return dt.nsecsElapsed() / 1e9;
    };
    qint64 dumped = 0;
    double bestDump = 1e9;
    for (int i = 0; i < 3; ++i)
        bestDump = qMin(bestDump, dumpAll(dumped));
    rows.append({QStringLiteral("dump"), dumped / bestDump, QStringLiteral("docs/s"),
                 QStringLiteral("%1 docs").arg(dumped)});

    server.stop();
    const QString title =
        QStringLiteral("bench_engine (%1 docs, %2 rounds, 2 cores, loopback)").arg(n).arg(rounds);
    printTable(title, rows);
    if (p.isSet(jsonOpt))
        writeJson(p.value(jsonOpt), rowsToJson(title, rows));
    return 0;
}
