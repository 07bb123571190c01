// bench_couch_replication: CouchDB-protocol replication between two repldesk-servers (pull,
// run by the target; push, run by the source), beside the raw SQLite insert rate of the same
// run and the four requests of the protocol served alone. The baseline for "CouchDB
// replication at the speed of our own sync".
//
//   bench_couch_replication [--docs N] [--batch B] [--skip-push] [--json FILE]
//
// Source A gets N documents of the spec's §11 shape ({"_id":"doc0000123","n":123,
// "s":"hello world 123"}), then every 100th is deleted and every 100th offset by 50 gets a
// second generation-1 leaf (a conflict), so deletions and conflicts travel too.
// Serving alone: _changes (A), _revs_diff (B, empty db), _bulk_get (A) and _bulk_docs
// new_edits=false (B, fresh db) over the whole data set in batches of B, one keep-alive
// loopback connection; only the round trips are timed (request bodies are made before, answers
// parsed after), so the figures are the server's. Pull and push are one-shot POST /_replicate
// with worker_batch_size B; each is followed by a check that the target holds the source's
// state (every id's leaf revisions and which are deleted). Exit 1: setup failed; 2: a target
// differs from the source.
#include "BenchSupport.h"
#include "BenchTable.h"
#include "CouchBench.h"
#include "support/HttpClient.h"
#include "support/ServerProcess.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QTextStream>

#include <unistd.h>

#include <vector>

using repl::test::HttpClient;
using repl::test::HttpReply;
using repl::test::ServerProcess;

namespace {

using bench::compact;
using bench::compareStates;
using bench::cpuSeconds;
using bench::peakMiB;
using bench::readState;
using bench::resetPeak;
using bench::seqParam;
using bench::State;

QString docId(int i)
{
    return QStringLiteral("doc%1").arg(i, 7, 10, QLatin1Char('0'));
}

// One row of a source's _changes?style=all_docs.
struct Change
{
    QString id;
    QStringList revs; // every leaf
};

bool loadSource(bench::RawClient &a, int n, QString *error)
{
    if (a.request("PUT", QStringLiteral("/src"), {}).status != 201) {
        *error = QStringLiteral("PUT /src failed");
        return false;
    }
    constexpr int Chunk = 5000;
    // Deletions need the current rev of every 100th document: kept from the load's answers.
    QJsonArray deletions;
    for (int start = 0; start < n; start += Chunk) {
        QJsonArray docs;
        for (int i = start; i < qMin(n, start + Chunk); ++i)
            docs.append(
                QJsonObject{{QStringLiteral("_id"), docId(i)},
                            {QStringLiteral("n"), i},
                            {QStringLiteral("s"), QStringLiteral("hello world %1").arg(i)}});
        const auto r = a.request("POST", QStringLiteral("/src/_bulk_docs"),
                                 compact({{QStringLiteral("docs"), docs}}));
        if (r.status != 201) {
            *error = QStringLiteral("load: %1 %2").arg(r.status).arg(QString::fromUtf8(r.body));
            return false;
        }
        const QJsonArray answers = QJsonDocument::fromJson(r.body).array();
        for (qsizetype k = 0; k < answers.size(); ++k) {
            if ((start + k) % 100 != 0)
                continue;
            const QJsonObject ok = answers[k].toObject();
            deletions.append(QJsonObject{{QStringLiteral("_id"), ok.value(QStringLiteral("id"))},
                                         {QStringLiteral("_rev"), ok.value(QStringLiteral("rev"))},
                                         {QStringLiteral("_deleted"), true}});
        }
    }
    // A second generation-1 leaf with a hash of its own: the replicated-write way a conflict
    // arrives, which CouchDB keeps beside the first (winner: the greater hash).
    QJsonArray conflicts;
    for (int i = 50; i < n; i += 100) {
        const QByteArray hash =
            QCryptographicHash::hash("conflict " + docId(i).toUtf8(), QCryptographicHash::Md5)
                .toHex();
        conflicts.append(QJsonObject{{QStringLiteral("_id"), docId(i)},
                                     {QStringLiteral("_rev"), QString::fromLatin1("1-" + hash)},
                                     {QStringLiteral("n"), -1}});
    }
    const auto del = a.request("POST", QStringLiteral("/src/_bulk_docs"),
                               compact({{QStringLiteral("docs"), deletions}}));
    const auto con = a.request(
        "POST", QStringLiteral("/src/_bulk_docs"),
        compact({{QStringLiteral("new_edits"), false}, {QStringLiteral("docs"), conflicts}}));
    if (del.status != 201 || con.status != 201) {
        *error = QStringLiteral("deletions %1 / conflicts %2: %3")
                     .arg(del.status)
                     .arg(con.status)
                     .arg(QString::fromUtf8(con.body.left(300)));
        return false;
    }
    return true;
}

// The four requests of a replication over the whole source, each timed on its own.
struct Phases
{
    static constexpr int Changes = 0, RevsDiff = 1, BulkGet = 2, BulkDocs = 3;
    double seconds[4] = {};
    std::vector<double> requestMs[4]; // a median near 40 ms is Nagle meeting a delayed ACK
    qint64 leafRevs = 0, missing = 0, fetched = 0;
};

bool servePhases(const QUrl &a, const QUrl &b, int batch, Phases *p, QString *error)
{
    bench::RawClient src(a), dst(b);
    if (dst.request("PUT", QStringLiteral("/empty"), {}).status != 201 ||
        dst.request("PUT", QStringLiteral("/copy"), {}).status != 201) {
        *error = QStringLiteral("PUT /empty, /copy failed");
        return false;
    }
    auto timed = [p](int phase, auto &&call) {
        QElapsedTimer t;
        t.start();
        auto r = call();
        p->seconds[phase] += t.nsecsElapsed() / 1e9;
        p->requestMs[phase].push_back(t.nsecsElapsed() / 1e6);
        return r;
    };
    std::vector<Change> changes;
    QString since = QStringLiteral("0");
    for (;;) {
        const QString path =
            QStringLiteral("/src/_changes?style=all_docs&since=%1&limit=%2").arg(since).arg(batch);
        const auto r = timed(Phases::Changes, [&] { return src.get(path); });
        if (r.status != 200) {
            *error = QStringLiteral("_changes: %1").arg(r.status);
            return false;
        }
        const QJsonObject o = QJsonDocument::fromJson(r.body).object();
        const QJsonArray rows = o.value(QStringLiteral("results")).toArray();
        for (const QJsonValue &v : rows) {
            const QJsonObject row = v.toObject();
            Change c{row.value(QStringLiteral("id")).toString(), {}};
            for (const QJsonValue &ch : row.value(QStringLiteral("changes")).toArray())
                c.revs.append(ch.toObject().value(QStringLiteral("rev")).toString());
            p->leafRevs += c.revs.size();
            changes.push_back(std::move(c));
        }
        since = seqParam(o.value(QStringLiteral("last_seq")));
        // Servers without `pending` (PouchDB) end with an empty batch.
        if (rows.isEmpty() || o.value(QStringLiteral("pending")).toInteger(-1) == 0)
            break;
    }
    const qsizetype count = qsizetype(changes.size());
    std::vector<QByteArray> bodies; // the _bulk_get answers' docs, _revisions included
    bodies.reserve(size_t(count + count / 50));
    for (qsizetype start = 0; start < count; start += batch) {
        const qsizetype end = qMin(count, start + batch);
        QJsonObject diff;
        QJsonArray wanted;
        for (qsizetype i = start; i < end; ++i) {
            const Change &c = changes[size_t(i)];
            diff.insert(c.id, QJsonArray::fromStringList(c.revs));
            for (const QString &rev : c.revs)
                wanted.append(
                    QJsonObject{{QStringLiteral("id"), c.id}, {QStringLiteral("rev"), rev}});
        }
        const QByteArray diffBody = compact(diff);
        const auto d = timed(Phases::RevsDiff, [&] {
            return dst.request("POST", QStringLiteral("/empty/_revs_diff"), diffBody);
        });
        const QJsonObject missing = QJsonDocument::fromJson(d.body).object();
        for (auto it = missing.begin(); it != missing.end(); ++it)
            p->missing += it.value().toObject().value(QStringLiteral("missing")).toArray().size();
        const QByteArray getBody = compact({{QStringLiteral("docs"), wanted}});
        const auto g = timed(Phases::BulkGet, [&] {
            return src.request("POST", QStringLiteral("/src/_bulk_get?revs=true&latest=true"),
                               getBody);
        });
        if (d.status != 200 || g.status != 200) {
            *error = QStringLiteral("_revs_diff %1 / _bulk_get %2").arg(d.status).arg(g.status);
            return false;
        }
        const QJsonArray results =
            QJsonDocument::fromJson(g.body).object().value(QStringLiteral("results")).toArray();
        for (const QJsonValue &res : results)
            for (const QJsonValue &e : res.toObject().value(QStringLiteral("docs")).toArray())
                if (e.toObject().contains(QStringLiteral("ok")))
                    bodies.push_back(compact(e.toObject().value(QStringLiteral("ok")).toObject()));
    }
    p->fetched = qint64(bodies.size());
    for (size_t start = 0; start < bodies.size(); start += size_t(batch)) {
        QByteArray body = "{\"new_edits\":false,\"docs\":[";
        for (size_t i = start; i < qMin(bodies.size(), start + size_t(batch)); ++i) {
            if (i > start)
                body += ',';
            body += bodies[i];
        }
        body += "]}";
        const auto w = timed(Phases::BulkDocs, [&] {
            return dst.request("POST", QStringLiteral("/copy/_bulk_docs"), body);
        });
        // new_edits=false answers only failures: anything but [] is one.
        if (w.status != 201 || w.body.trimmed() != "[]") {
            *error = QStringLiteral("_bulk_docs: %1 %2")
                         .arg(w.status)
                         .arg(QString::fromUtf8(w.body.left(300)));
            return false;
        }
    }
    return true;
}

// One-shot POST /_replicate on `runner`, waited for; the figures and the target's check.
struct Run
{
    double seconds = -1;
    int written = 0;
    double peakA = 0, peakB = 0;
    double startA = 0, startB = 0; // RSS when the peak was reset
    double cpuA = 0, cpuB = 0;     // CPU seconds each server used in the run
    bench::RequestShares requests; // the runner's replication requests in the run, by kind
    QByteArray answer;
};

Run replicate(const QUrl &runner, const QJsonObject &body, qint64 pidA, qint64 pidB)
{
    ::sync(); // the load's and earlier phases' dirty pages are not this run's to write
    resetPeak(pidA);
    resetPeak(pidB);
    HttpClient http(runner);
    bench::RawClient metrics(runner);
    Run run;
    bench::RequestShares before, after;
    QString error;
    if (!bench::readRequestFigures(metrics, &before, &error))
        qWarning("%s", qPrintable(error));
    run.startA = ServerProcess::rssKiB(pidA) / 1024.0;
    run.startB = ServerProcess::rssKiB(pidB) / 1024.0;
    const double cpuA = cpuSeconds(pidA), cpuB = cpuSeconds(pidB);
    QElapsedTimer t;
    t.start();
    const HttpReply r = http.request("POST", QStringLiteral("/_replicate"), compact(body),
                                     {{"Content-Type", "application/json"}}, 3600000);
    const double s = t.nsecsElapsed() / 1e9;
    run.cpuA = cpuSeconds(pidA) - cpuA;
    run.cpuB = cpuSeconds(pidB) - cpuB;
    run.peakA = peakMiB(pidA);
    run.peakB = peakMiB(pidB);
    run.answer = r.body;
    if (bench::readRequestFigures(metrics, &after, &error))
        run.requests = bench::minus(after, before);
    if (r.status != 200)
        return run;
    run.seconds = s;
    run.written = bench::docsWritten(r.body);
    return run;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    QCommandLineOption docsOpt(QStringLiteral("docs"),
                               QStringLiteral("Documents in the source (default 200000)."),
                               QStringLiteral("N"), QStringLiteral("200000"));
    // The replicator's own default worker_batch_size is 500 (ReplicationSpec.cpp, as CouchDB).
    QCommandLineOption batchOpt(
        QStringLiteral("batch"),
        QStringLiteral("worker_batch_size and the phases' batch (default 2000; the "
                       "replicator's default is 500)."),
        QStringLiteral("B"), QStringLiteral("2000"));
    QCommandLineOption skipPushOpt(QStringLiteral("skip-push"),
                                   QStringLiteral("Measure pull only, not push."));
    QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Write results as JSON."),
                               QStringLiteral("FILE"));
    p.addOptions({docsOpt, batchOpt, skipPushOpt, jsonOpt});
    p.process(app);
    const int n = p.value(docsOpt).toInt();
    const int batch = qMax(1, p.value(batchOpt).toInt());
    if (n < 100) {
        qCritical("--docs must be at least 100 (1%% are deleted, 1%% conflicted)");
        return 1;
    }

    ServerProcess a, b;
    if (!a.start() || !b.start()) {
        qCritical("cannot start the servers: %s %s", qPrintable(a.errorString()),
                  qPrintable(b.errorString()));
        return 1;
    }
    QList<BenchRow> rows;
    QString error;
    bench::RawClient ca(a.baseUrl()), cb(b.baseUrl());
    QElapsedTimer t;
    t.start();
    if (!loadSource(ca, n, &error)) {
        qCritical("loading the source failed: %s", qPrintable(error));
        return 1;
    }
    rows.append({QStringLiteral("load into A (setup)"), n / (t.nsecsElapsed() / 1e9),
                 QStringLiteral("docs/s"),
                 QStringLiteral("_bulk_docs, 5000 per request, then 1% deleted, 1% conflicted")});
    State source;
    if (!readState(ca, QStringLiteral("src"), &source, &error)) {
        qCritical("reading the source failed: %s", qPrintable(error));
        return 1;
    }
    // The check means something only if the source holds what it should: N ids, every
    // 100th deleted, every 100th offset by 50 with two live leaves.
    qint64 sourceLeaves = 0, deleted = 0, conflicted = 0;
    for (const auto &[id, leaves] : source) {
        sourceLeaves += leaves.size();
        deleted += leaves.size() == 1 && leaves.first().endsWith(QStringLiteral(" deleted"));
        conflicted += leaves.size() == 2;
    }
    if (qsizetype(source.size()) != n || deleted != (n + 99) / 100 ||
        conflicted != (n + 49) / 100) {
        qCritical("the source is not as loaded: %d ids, %lld deleted, %lld conflicted",
                  int(source.size()), deleted, conflicted);
        return 1;
    }

    ::sync();
    const double raw = bench::rawSqliteRate(n, false);
    rows.append({QStringLiteral("raw SQLite insert (C API, doc rows)"), raw,
                 QStringLiteral("docs/s"), QStringLiteral("the limit, as in bench_replication")});
    auto ofRaw = [raw](double rate) { return 100 * rate / raw; };

    ::sync();
    Phases ph;
    if (!servePhases(a.baseUrl(), b.baseUrl(), batch, &ph, &error)) {
        qCritical("serving phases failed: %s", qPrintable(error));
        return 1;
    }
    const double phasesS = ph.seconds[0] + ph.seconds[1] + ph.seconds[2] + ph.seconds[3];
    const QString names[] = {QStringLiteral("serve _changes (A)"),
                             QStringLiteral("serve _revs_diff (B, empty db)"),
                             QStringLiteral("serve _bulk_get (A)"),
                             QStringLiteral("serve _bulk_docs new_edits=false (B)")};
    const QString counts[] = {QStringLiteral("%1 leaf revs").arg(ph.leafRevs),
                              QStringLiteral("%1 missing").arg(ph.missing),
                              QStringLiteral("%1 docs").arg(ph.fetched),
                              QStringLiteral("%1 docs").arg(ph.fetched)};
    for (int i = 0; i < 4; ++i)
        rows.append(
            {names[i], n / ph.seconds[i], QStringLiteral("docs/s"),
             QStringLiteral("%1% of raw, %2% of the phases' time; %3 s, %4 requests (median %5 "
                            "ms), %6")
                 .arg(ofRaw(n / ph.seconds[i]), 0, 'f', 1)
                 .arg(100 * ph.seconds[i] / phasesS, 0, 'f', 1)
                 .arg(ph.seconds[i], 0, 'f', 2)
                 .arg(ph.requestMs[i].size())
                 .arg(bench::median(ph.requestMs[i]), 0, 'f', 1)
                 .arg(counts[i])});
    rows.append({QStringLiteral("the four phases in sequence"), n / phasesS,
                 QStringLiteral("docs/s"),
                 QStringLiteral("%1% of raw; %2 s; one connection, one request at a time")
                     .arg(ofRaw(n / phasesS), 0, 'f', 1)
                     .arg(phasesS, 0, 'f', 2)});
    // The phases' own copy is checked too: their figures count only if they moved everything.
    State copy;
    if (!readState(cb, QStringLiteral("copy"), &copy, &error)) {
        qCritical("reading the copy failed: %s", qPrintable(error));
        return 1;
    }
    bool equal = compareStates(QStringLiteral("phases' copy on B"), source, copy);

    auto report = [&](const QString &name, const Run &run, const QString &target) {
        rows.append({name, n / run.seconds, QStringLiteral("docs/s"),
                     QStringLiteral("%1% of raw; %2 s, %3 docs_written (%4 leaf revs), batch %5")
                         .arg(ofRaw(n / run.seconds), 0, 'f', 1)
                         .arg(run.seconds, 0, 'f', 2)
                         .arg(run.written)
                         .arg(sourceLeaves)
                         .arg(batch)});
        // CPU per document: on 2 shared cores, what the two servers spend together bounds
        // the rate, whichever thread spends it.
        const QString perDoc = QStringLiteral("%1 s of CPU in the run (user + system) for %2 docs");
        rows.append({name + QStringLiteral(": CPU per doc A (source)"), 1e6 * run.cpuA / n,
                     QStringLiteral("us"), perDoc.arg(run.cpuA, 0, 'f', 2).arg(n)});
        rows.append({name + QStringLiteral(": CPU per doc B (target)"), 1e6 * run.cpuB / n,
                     QStringLiteral("us"), perDoc.arg(run.cpuB, 0, 'f', 2).arg(n)});
        bench::appendRequestRows(rows, name, run.requests);
        const QString from = QStringLiteral("VmHWM, reset before the run at %1 MiB");
        rows.append({name + QStringLiteral(": peak RSS A (source)"), run.peakA,
                     QStringLiteral("MiB"), from.arg(run.startA, 0, 'f', 1)});
        rows.append({name + QStringLiteral(": peak RSS B (target)"), run.peakB,
                     QStringLiteral("MiB"), from.arg(run.startB, 0, 'f', 1)});
        State got;
        if (!readState(cb, target, &got, &error)) {
            qWarning("reading %s failed: %s", qPrintable(target), qPrintable(error));
            got.clear(); // unreadable: every id shows as a difference
        }
        return compareStates(name, source, got);
    };

    // One direction: `runner` replicates source → target, then the target is checked.
    const auto direction = [&](const QString &name, const ServerProcess &runner,
                               const QString &source, const QString &target,
                               const QString &targetDb) {
        const Run run = replicate(runner.baseUrl(),
                                  {{QStringLiteral("source"), source},
                                   {QStringLiteral("target"), target},
                                   {QStringLiteral("create_target"), true},
                                   {QStringLiteral("worker_batch_size"), batch}},
                                  a.processId(), b.processId());
        if (run.seconds < 0) {
            qCritical("%s failed: %s", qPrintable(name), run.answer.constData());
            return false;
        }
        equal = report(name, run, targetDb) && equal;
        return true;
    };
    if (!direction(QStringLiteral("pull (B replicates from A)"), b,
                   bench::remoteDatabase(a, QStringLiteral("src")), QStringLiteral("pulled"),
                   QStringLiteral("pulled")))
        return 1;
    if (!p.isSet(skipPushOpt) &&
        !direction(QStringLiteral("push (A replicates to B)"), a, QStringLiteral("src"),
                   bench::remoteDatabase(b, QStringLiteral("pushed")), QStringLiteral("pushed")))
        return 1;

    a.stop();
    b.stop();
    const QString title =
        QStringLiteral("bench_couch_replication (%1 docs, 1% deleted, 1% conflicted, batch %2, "
                       "2 cores, loopback)")
            .arg(n)
            .arg(batch);
    printTable(title, rows);
    if (p.isSet(jsonOpt))
        writeJson(p.value(jsonOpt), rowsToJson(title, rows));
    return equal ? 0 : 2;
}
