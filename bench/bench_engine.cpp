// bench_engine: repldesk-server's write and read paths over real loopback HTTP, beside the
// raw SQLite insert rate of the same row shapes measured in the same run (the limit).
//
//   bench_engine [--docs N] [--singles N] [--json FILE]
#include "BenchTable.h"
#include "support/HttpClient.h"
#include "support/ServerProcess.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QVariant>

using repl::test::HttpClient;
using repl::test::HttpReply;
using repl::test::ServerProcess;

namespace {

QByteArray documentBody(int i)
{
    return QStringLiteral("{\"_key\":\"d%1\",\"name\":\"customer %1\",\"city\":\"Berlin\",\"score\":%2,"
                          "\"tags\":[\"a\",\"b\"],\"active\":true}")
        .arg(i)
        .arg(i % 997)
        .toUtf8();
}

// The limit: what SQLite through Qt SQL does with our row shapes (document row + log row,
// same indexes, WAL, synchronous=NORMAL) in one transaction with prepared statements.
double rawSqliteRate(int n)
{
    QTemporaryDir dir;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
        db.setDatabaseName(dir.filePath(QStringLiteral("raw.sqlite")));
        db.open();
        QSqlQuery q(db);
        q.exec(QStringLiteral("PRAGMA journal_mode=WAL"));
        q.exec(QStringLiteral("PRAGMA synchronous=NORMAL"));
        q.exec(QStringLiteral("CREATE TABLE docs(id INTEGER PRIMARY KEY, cid INTEGER NOT NULL, key TEXT NOT NULL, rev TEXT "
                              "NOT NULL, tick INTEGER NOT NULL, deleted INTEGER NOT NULL, body BLOB, revtree BLOB, "
                              "UNIQUE(cid, key))"));
        q.exec(QStringLiteral("CREATE INDEX docs_by_tick ON docs(cid, tick)"));
        q.exec(QStringLiteral("CREATE TABLE log(tick INTEGER PRIMARY KEY, db INTEGER NOT NULL, sys INTEGER NOT NULL, "
                              "line BLOB NOT NULL)"));
        q.exec(QStringLiteral("CREATE INDEX log_by_db ON log(db, tick)"));
        QSqlQuery insDoc(db), insLog(db);
        insDoc.prepare(QStringLiteral("INSERT INTO docs(cid,key,rev,tick,deleted,body,revtree) VALUES(?,?,?,?,?,?,?)"));
        insLog.prepare(QStringLiteral("INSERT INTO log(tick,db,sys,line) VALUES(?,?,?,?)"));
        const QByteArray rev = "1-0123456789abcdef0123456789abcdef";
        QElapsedTimer t;
        t.start();
        db.transaction();
        for (int i = 0; i < n; ++i) {
            const QByteArray body = documentBody(i);
            insDoc.bindValue(0, 7);
            insDoc.bindValue(1, QStringLiteral("d%1").arg(i));
            insDoc.bindValue(2, rev);
            insDoc.bindValue(3, i + 1);
            insDoc.bindValue(4, 0);
            insDoc.bindValue(5, body);
            insDoc.bindValue(6, QByteArray("-1:1:0123456789abcdef0123456789abcdef:0"));
            insDoc.exec();
            insLog.bindValue(0, i + 1);
            insLog.bindValue(1, 1);
            insLog.bindValue(2, 0);
            insLog.bindValue(3, QByteArray(180, 'x') + body);
            insLog.exec();
        }
        db.commit();
        const double rate = n / (t.nsecsElapsed() / 1e9);
        db.close();
        return rate;
    }
}

// Single-document POSTs with `inFlight` requests outstanding (QNAM keeps 6 connections).
double singleInserts(const QUrl &base, int n, int inFlight)
{
    QNetworkAccessManager nam;
    const QByteArray auth = "Basic " + ("root:" + ServerProcess::password().toUtf8()).toBase64();
    int sent = 0, done = 0, failed = 0;
    QEventLoop loop;
    QElapsedTimer t;
    std::function<void()> sendOne = [&] {
        QUrl url = base;
        url.setPath(QStringLiteral("/_api/document/singles"));
        QNetworkRequest req(url);
        req.setRawHeader("Authorization", auth);
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        QNetworkReply *reply = nam.post(req, documentBody(sent++));
        QObject::connect(reply, &QNetworkReply::finished, &loop, [&, reply] {
            if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 202)
                ++failed;
            reply->deleteLater();
            if (++done == n)
                loop.quit();
            else if (sent < n)
                sendOne();
        });
    };
    t.start();
    for (int i = 0; i < inFlight && sent < n; ++i)
        sendOne();
    loop.exec();
    if (failed)
        qWarning("single inserts: %d failed", failed);
    return n / (t.nsecsElapsed() / 1e9);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    QCommandLineOption docsOpt(QStringLiteral("docs"), QStringLiteral("Documents for bulk/raw/follow/dump."), QStringLiteral("N"), QStringLiteral("200000"));
    QCommandLineOption singlesOpt(QStringLiteral("singles"), QStringLiteral("Single-document inserts."), QStringLiteral("N"), QStringLiteral("20000"));
    QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Write results as JSON."), QStringLiteral("FILE"));
    p.addOptions({docsOpt, singlesOpt, jsonOpt});
    p.process(app);
    const int n = p.value(docsOpt).toInt();
    const int singles = p.value(singlesOpt).toInt();

    QList<BenchRow> rows;
    const double raw = rawSqliteRate(n);
    rows.append({QStringLiteral("raw SQLite insert (doc+log rows)"), raw, QStringLiteral("docs/s"), QStringLiteral("the limit, same run")});

    ServerProcess server;
    if (!server.start()) {
        qCritical("cannot start repldesk-server: %s", qPrintable(server.errorString()));
        return 1;
    }
    HttpClient http(server.baseUrl());
    http.put(QStringLiteral("/_api/replication/logger-start"));
    http.post(QStringLiteral("/_api/collection"), QJsonObject{{QStringLiteral("name"), QStringLiteral("singles")}});
    http.post(QStringLiteral("/_api/collection"), QJsonObject{{QStringLiteral("name"), QStringLiteral("bulk")}});

    const double single = singleInserts(server.baseUrl(), singles, 32);
    rows.append({QStringLiteral("single-document inserts over HTTP"), single, QStringLiteral("docs/s"), QStringLiteral("32 in flight, logger on")});

    // Bulk import: JSON lines, 50k documents per request, one transaction each.
    const int batch = 50000;
    QElapsedTimer t;
    qint64 importNs = 0;
    for (int start = 0; start < n; start += batch) {
        QByteArray body;
        body.reserve(batch * 130);
        for (int i = start; i < qMin(n, start + batch); ++i) {
            body += documentBody(i);
            body += '\n';
        }
        t.start();
        const HttpReply r = http.post(QStringLiteral("/_api/import?collection=bulk&type=documents"), body);
        importNs += t.nsecsElapsed();
        if (r.status != 201) {
            qCritical("import failed: %d %s", r.status, r.body.constData());
            return 1;
        }
    }
    const double bulk = n / (importNs / 1e9);
    rows.append({QStringLiteral("bulk import over HTTP"), bulk, QStringLiteral("docs/s"),
                 QStringLiteral("%1% of raw SQLite").arg(100.0 * bulk / raw, 0, 'f', 0)});

    // Follow the whole log with large chunks.
    auto followAll = [&](qint64 &bytes, qint64 &events) {
        bytes = events = 0;
        QString from = QStringLiteral("0");
        QElapsedTimer ft;
        ft.start();
        for (;;) {
            const HttpReply r = http.get(QStringLiteral("/_api/replication/logger-follow?chunkSize=16777216&from=") + from);
            if (r.status != 200)
                break;
            bytes += r.body.size();
            events += r.body.count('\n');
            from = QString::fromUtf8(r.header("x-arango-replication-lastincluded"));
        }
        return ft.nsecsElapsed() / 1e9;
    };
    qint64 bytes = 0, events = 0;
    double best = 1e9;
    for (int i = 0; i < 3; ++i)
        best = qMin(best, followAll(bytes, events));
    rows.append({QStringLiteral("logger-follow throughput"), bytes / best / 1e6, QStringLiteral("MB/s"),
                 QStringLiteral("%1 MB, chunkSize 16 MiB").arg(bytes / 1e6, 0, 'f', 1)});
    rows.append({QStringLiteral("logger-follow events"), events / best, QStringLiteral("events/s"), QStringLiteral("%1 events").arg(events)});

    // Dump the bulk collection.
    auto dumpAll = [&](qint64 &docs) {
        docs = 0;
        QString from = QStringLiteral("0");
        QElapsedTimer dt;
        dt.start();
        for (;;) {
            const HttpReply r = http.get(QStringLiteral("/_api/replication/dump?collection=bulk&chunkSize=16777216&from=") + from);
            if (r.status != 200)
                break;
            docs += r.body.count('\n');
            from = QString::fromUtf8(r.header("x-arango-replication-lastincluded"));
        }
        return dt.nsecsElapsed() / 1e9;
    };
    qint64 dumped = 0;
    double bestDump = 1e9;
    for (int i = 0; i < 3; ++i)
        bestDump = qMin(bestDump, dumpAll(dumped));
    rows.append({QStringLiteral("dump"), dumped / bestDump, QStringLiteral("docs/s"), QStringLiteral("%1 docs").arg(dumped)});

    server.stop();
    const QString title = QStringLiteral("bench_engine (%1 docs, 2 cores, loopback)").arg(n);
    printTable(title, rows);
    if (p.isSet(jsonOpt))
        writeJson(p.value(jsonOpt), rowsToJson(title, rows));
    return 0;
}
