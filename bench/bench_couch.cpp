// Pull replication from a real pouchdb-server (npm, in-memory store) into ReplDesk, beside
// pouchdb-server replicating the same database into itself over its own HTTP, same run.
//
//   bench_couch [--docs N] [--batch B] [--json FILE]
//
// Needs pouchdb-server installed (scripts/test does it into build/peers, or set
// REPLDESK_POUCHDB_SERVER). Documents as in the spec's §11 anchor:
// {"_id":"doc000123","n":123,"s":"hello world 123"}.
#include "BenchSupport.h"
#include "BenchTable.h"
#include "support/HttpClient.h"
#include "support/PouchServer.h"
#include "support/ServerProcess.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>

using namespace repl::test;

namespace {

bool load(HttpClient &pouch, const QString &db, int n)
{
    if (pouch.put(u'/' + db).status != 201)
        return false;
    constexpr int Chunk = 5000;
    for (int start = 0; start < n; start += Chunk) {
        QJsonArray docs;
        for (int i = start; i < qMin(n, start + Chunk); ++i)
            docs.append(QJsonObject{
                {QStringLiteral("_id"), QStringLiteral("doc%1").arg(i, 6, 10, QLatin1Char('0'))},
                {QStringLiteral("n"), i},
                {QStringLiteral("s"), QStringLiteral("hello world %1").arg(i)}});
        const HttpReply r = pouch.request("POST", u'/' + db + QStringLiteral("/_bulk_docs"),
                                          QJsonDocument(QJsonObject{{QStringLiteral("docs"), docs}})
                                              .toJson(QJsonDocument::Compact),
                                          {{"Content-Type", "application/json"}}, 600000);
        if (r.status != 201)
            return false;
    }
    return true;
}

// POST /_replicate and wait for the one-shot answer; seconds, or -1 on failure.
double replicate(HttpClient &http, const QJsonObject &body, QByteArray *answer)
{
    QElapsedTimer t;
    t.start();
    const HttpReply r = http.request("POST", QStringLiteral("/_replicate"),
                                     QJsonDocument(body).toJson(QJsonDocument::Compact),
                                     {{"Content-Type", "application/json"}}, 1800000);
    const double s = t.nsecsElapsed() / 1e9;
    *answer = r.body;
    return r.status == 200 ? s : -1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    QCommandLineOption docsOpt(QStringLiteral("docs"),
                               QStringLiteral("Documents (default 100000)."), QStringLiteral("N"),
                               QStringLiteral("100000"));
    QCommandLineOption batchOpt(QStringLiteral("batch"),
                                QStringLiteral("ReplDesk's worker_batch_size (default 2000)."),
                                QStringLiteral("B"), QStringLiteral("2000"));
    QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Write results as JSON."),
                               QStringLiteral("FILE"));
    p.addOptions({docsOpt, batchOpt, jsonOpt});
    p.process(app);
    const int n = p.value(docsOpt).toInt();
    const int batch = p.value(batchOpt).toInt();

    PouchServer pouchServer;
    if (!pouchServer.start()) {
        qCritical("%s", qPrintable(pouchServer.errorString()));
        return 1;
    }
    ServerProcess ours;
    if (!ours.start()) {
        qCritical("%s", qPrintable(ours.errorString()));
        return 1;
    }
    HttpClient pouch(pouchServer.baseUrl());
    pouch.clearCredentials();
    HttpClient http(ours.baseUrl());
    const QString src = pouchServer.baseUrl().toString() + QStringLiteral("/src");

    QElapsedTimer t;
    t.start();
    if (!load(pouch, QStringLiteral("src"), n)) {
        qCritical("loading pouchdb-server failed");
        return 1;
    }
    QList<BenchRow> rows;
    rows.append({QStringLiteral("load into pouchdb-server"), n / (t.nsecsElapsed() / 1e9),
                 QStringLiteral("docs/s"), QStringLiteral("_bulk_docs, 5000 per request")});

    QByteArray answer;
    const double oursSeconds = replicate(http,
                                         {{QStringLiteral("source"), src},
                                          {QStringLiteral("target"), QStringLiteral("pulled")},
                                          {QStringLiteral("create_target"), true},
                                          {QStringLiteral("worker_batch_size"), batch}},
                                         &answer);
    if (oursSeconds < 0) {
        qCritical("ReplDesk pull failed: %s", answer.constData());
        return 1;
    }
    const int written = bench::docsWritten(answer);
    const int pulledCount =
        http.get(QStringLiteral("/pulled")).json().value(QStringLiteral("doc_count")).toInt();
    rows.append({QStringLiteral("ReplDesk pulls from pouchdb-server"), n / oursSeconds,
                 QStringLiteral("docs/s"),
                 QStringLiteral("%1 s, %2 written, %3 in target, batch %4")
                     .arg(oursSeconds, 0, 'f', 2)
                     .arg(written)
                     .arg(pulledCount)
                     .arg(batch)});

    const double pouchSeconds = replicate(
        pouch,
        {{QStringLiteral("source"), src},
         {QStringLiteral("target"), pouchServer.baseUrl().toString() + QStringLiteral("/copy")}},
        &answer);
    if (pouchSeconds < 0) {
        qCritical("pouchdb-server self-replication failed: %s", answer.constData());
        return 1;
    }
    const int copyCount =
        pouch.get(QStringLiteral("/copy")).json().value(QStringLiteral("doc_count")).toInt();
    rows.append({QStringLiteral("pouchdb-server into itself (HTTP)"), n / pouchSeconds,
                 QStringLiteral("docs/s"),
                 QStringLiteral("%1 s, %2 in target").arg(pouchSeconds, 0, 'f', 2).arg(copyCount)});
    rows.append({QStringLiteral("ReplDesk / pouchdb-server"), pouchSeconds / oursSeconds,
                 QStringLiteral("x"), QStringLiteral("target >= 5")});

    // The other direction: pouchdb-server's replicator reading our CouchDB face (its own
    // writes are the limit; this shows our face is not the slower source).
    QUrl oursUrl = ours.baseUrl();
    oursUrl.setUserName(QStringLiteral("root"));
    oursUrl.setPassword(ServerProcess::password());
    const double fromOursSeconds =
        replicate(pouch,
                  {{QStringLiteral("source"), oursUrl.toString() + QStringLiteral("/pulled")},
                   {QStringLiteral("target"),
                    pouchServer.baseUrl().toString() + QStringLiteral("/fromours")}},
                  &answer);
    if (fromOursSeconds < 0) {
        qCritical("pouchdb-server pulling from ReplDesk failed: %s", answer.constData());
        return 1;
    }
    const int fromOursCount =
        pouch.get(QStringLiteral("/fromours")).json().value(QStringLiteral("doc_count")).toInt();
    rows.append({QStringLiteral("pouchdb-server pulls from ReplDesk"), n / fromOursSeconds,
                 QStringLiteral("docs/s"),
                 QStringLiteral("%1 s, %2 in target (vs %3 s from itself)")
                     .arg(fromOursSeconds, 0, 'f', 2)
                     .arg(fromOursCount)
                     .arg(pouchSeconds, 0, 'f', 2)});

    ours.stop();
    pouchServer.stop();
    const QString title =
        QStringLiteral("bench_couch (%1 small docs, pouchdb-server 4.2.0 -m, 2 cores, loopback)")
            .arg(n);
    printTable(title, rows);
    if (p.isSet(jsonOpt))
        writeJson(p.value(jsonOpt), rowsToJson(title, rows));
    return pulledCount == n && written == n && fromOursCount == n ? 0 : 2;
}
