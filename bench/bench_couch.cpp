// bench_couch: ReplDesk's CouchDB-protocol replicator against real peers, each beside the
// peer's own limit and the peer's own replicator, same data, same run.
//
//   bench_couch [--docs N] [--batch B] [--peers pouchdb,couchdb] [--json FILE]
//
// Documents as in the spec's §11 anchor: {"_id":"doc000123","n":123,"s":"hello world 123"},
// N of them (default 100000) loaded into each peer with _bulk_docs, 5000 per request.
//
// The peer's own limit is a plain client reading the whole database as a replicator must, on
// one keep-alive connection, one request at a time, timed from the first request to the last
// answer: pages of _changes?style=all_docs&limit=B, each followed by POST _bulk_get?revs=true
// of every leaf it lists, and again with _changes?include_docs=true&style=all_docs&limit=B (the
// bodies ride along). Answers are parsed only as far as the next request needs; the documents
// received are counted and must be N. The faster of the two is the limit.
//
// pouchdb-server (npm 4.2.0, in-memory store, -m: no auth, and a Basic header for a user it
// does not know is answered 401, so none is sent; scripts/test installs it into build/peers,
// or set REPLDESK_POUCHDB_SERVER):
//   plain client reads pouchdb-server (both ways), ReplDesk pulls from it (one-shot
//   /_replicate, worker_batch_size B), ReplDesk / plain-client limit (target >= 80%),
//   pouchdb-server replicating into itself over its own HTTP, ReplDesk / pouchdb-server, and
//   pouchdb-server's replicator pulling from ReplDesk.
// Apache CouchDB 3.4.3 (../shared/peers/couchdb; skipped with a message where absent):
//   plain client reads CouchDB (both ways, admin credentials), CouchDB replicating into itself
//   (its /_replicate, source and target as full URLs, create_target, its replicator's defaults:
//   worker_batch_size 500, 4 workers, 20 connections), ReplDesk pulls from CouchDB, ReplDesk /
//   CouchDB-self, ReplDesk / plain-client limit; the other direction: ReplDesk pushes to
//   CouchDB (our /_replicate, a local source, CouchDB's URL as target) and CouchDB's
//   replicator pulls from ReplDesk.
// Every target's whole state (each id's leaves, deletions) is then compared with its source's.
// Exit 1: setup or a replication failed; 2: a count or a target's state differs.
#include "BenchSupport.h"
#include "BenchTable.h"
#include "CouchBench.h"
#include "support/HttpClient.h"
#include "support/PouchServer.h"
#include "support/RealCouchDb.h"
#include "support/ServerProcess.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

using namespace repl::test;
using bench::compact;
using bench::compareStates;
using bench::RawClient;
using bench::State;

namespace {

QString docId(int i)
{
    return QStringLiteral("doc%1").arg(i, 6, 10, QLatin1Char('0'));
}

// `db` created on the peer `url` (its credentials in the URL, if any) and N documents into it.
bool load(const QUrl &url, const QString &db, int n, QString *error)
{
    RawClient c(url, RawClient::Auth::FromUrl);
    const auto created = c.request("PUT", u'/' + db, {});
    if (created.status != 201) {
        *error = QStringLiteral("PUT /%1: %2 %3")
                     .arg(db)
                     .arg(created.status)
                     .arg(QString::fromUtf8(created.body));
        return false;
    }
    constexpr int Chunk = 5000;
    for (int start = 0; start < n; start += Chunk) {
        QJsonArray docs;
        for (int i = start; i < qMin(n, start + Chunk); ++i)
            docs.append(
                QJsonObject{{QStringLiteral("_id"), docId(i)},
                            {QStringLiteral("n"), i},
                            {QStringLiteral("s"), QStringLiteral("hello world %1").arg(i)}});
        const auto r = c.request("POST", u'/' + db + QStringLiteral("/_bulk_docs"),
                                 compact({{QStringLiteral("docs"), docs}}));
        if (r.status != 201) {
            *error = QStringLiteral("_bulk_docs: %1 %2")
                         .arg(r.status)
                         .arg(QString::fromUtf8(r.body.left(300)));
            return false;
        }
    }
    return true;
}

// A plain client's read of the whole database: the peer's own limit.
struct PlainRead
{
    double seconds = -1;
    qint64 docs = 0;
    int requests = 0;
    QString error;
};

PlainRead plainRead(const QUrl &url, const QString &db, int batch, bool includeDocs)
{
    RawClient c(url, RawClient::Auth::FromUrl);
    PlainRead out;
    QElapsedTimer t;
    t.start();
    QString since = QStringLiteral("0");
    for (;;) {
        const QString path =
            u'/' + db +
            QStringLiteral("/_changes?style=all_docs&limit=%1&since=%2").arg(batch).arg(since) +
            (includeDocs ? QStringLiteral("&include_docs=true") : QString());
        const auto r = c.get(path);
        ++out.requests;
        if (r.status != 200) {
            out.error = QStringLiteral("_changes: %1 %2")
                            .arg(r.status)
                            .arg(QString::fromUtf8(r.body.left(300)));
            return out;
        }
        qsizetype rows = 0;
        QJsonObject tail; // last_seq and pending (absent on pouchdb-server)
        if (includeDocs) {
            // The rows are counted, not parsed; only the answer's tail is read as JSON.
            rows = r.body.count("\"changes\":[");
            out.docs += r.body.count("\"doc\":{");
            const qsizetype at = r.body.lastIndexOf("\"last_seq\":");
            const qsizetype close = r.body.lastIndexOf('}');
            if (at >= 0 && close > at)
                tail = QJsonDocument::fromJson('{' + r.body.mid(at, close - at) + '}').object();
        } else {
            // The leaves each row lists, asked for with _bulk_get; the answer's bodies counted.
            tail = QJsonDocument::fromJson(r.body).object();
            const QJsonArray results = tail.value(QStringLiteral("results")).toArray();
            rows = results.size();
            QJsonArray wanted;
            for (const QJsonValue &v : results) {
                const QJsonObject row = v.toObject();
                const QJsonValue id = row.value(QStringLiteral("id"));
                for (const QJsonValue &ch : row.value(QStringLiteral("changes")).toArray())
                    wanted.append(QJsonObject{
                        {QStringLiteral("id"), id},
                        {QStringLiteral("rev"), ch.toObject().value(QStringLiteral("rev"))}});
            }
            if (!wanted.isEmpty()) {
                const auto g = c.request("POST", u'/' + db + QStringLiteral("/_bulk_get?revs=true"),
                                         compact({{QStringLiteral("docs"), wanted}}));
                ++out.requests;
                const qsizetype got = g.body.count("{\"ok\":{");
                if (g.status != 200 || got != wanted.size()) {
                    out.error = QStringLiteral("_bulk_get: %1, %2 of %3 bodies: %4")
                                    .arg(g.status)
                                    .arg(got)
                                    .arg(wanted.size())
                                    .arg(QString::fromUtf8(g.body.left(300)));
                    return out;
                }
                out.docs += got;
            }
        }
        if (!tail.contains(QStringLiteral("last_seq"))) {
            out.error = QStringLiteral("_changes without last_seq: %1")
                            .arg(QString::fromUtf8(r.body.right(300)));
            return out;
        }
        since = bench::seqParam(tail.value(QStringLiteral("last_seq")));
        if (rows < batch || tail.value(QStringLiteral("pending")).toInteger(-1) == 0)
            break;
    }
    out.seconds = t.nsecsElapsed() / 1e9;
    return out;
}

// POST /_replicate on `runner` and wait for the one-shot answer; seconds, or -1 on failure.
double replicate(HttpClient &runner, const QJsonObject &body, QByteArray *answer)
{
    QElapsedTimer t;
    t.start();
    const HttpReply r = runner.request("POST", QStringLiteral("/_replicate"), compact(body),
                                       {{"Content-Type", "application/json"}}, 3600000);
    const double s = t.nsecsElapsed() / 1e9;
    *answer = r.body;
    return r.status == 200 ? s : -1;
}

QString withDb(QUrl url, const QString &db)
{
    url.setPath(u'/' + db);
    return url.toString();
}

QUrl withCredentials(QUrl url, const QString &user, const QString &password)
{
    url.setUserName(user);
    url.setPassword(password);
    return url;
}

// The whole state of `db` on the server at `url` (credentials from the URL); empty, which
// then differs from any source, when it cannot be read.
State stateOf(const QUrl &url, const QString &db)
{
    RawClient c(url, RawClient::Auth::FromUrl);
    State s;
    QString error;
    if (!bench::readState(c, db, &s, &error)) {
        qWarning("reading %s failed: %s", qPrintable(db), qPrintable(error));
        s.clear();
    }
    return s;
}

// What the benchmark found besides its rows: whether every count and state matched.
struct Outcome
{
    QList<BenchRow> rows;
    bool equal = true;
};

// A plain client's two reads of `db` on `peer`, as rows; the faster rate (the peer's limit),
// or -1 when a read failed.
// `peerPid` (0: unknown) adds the peer's CPU per document to the notes.
double plainReads(Outcome &o, const QString &peerName, const QUrl &peer, const QString &db, int n,
                  int batch, qint64 peerPid = 0)
{
    double limit = 0;
    for (const bool includeDocs : {false, true}) {
        const double cpu = peerPid ? bench::cpuSeconds(peerPid) : 0;
        const PlainRead r = plainRead(peer, db, batch, includeDocs);
        const QString peerCpu =
            peerPid ? QStringLiteral("; %1: %2 us CPU/doc")
                          .arg(peerName)
                          .arg(1e6 * (bench::cpuSeconds(peerPid) - cpu) / n, 0, 'f', 1)
                    : QString();
        const QString how = includeDocs ? QStringLiteral("(changes include_docs)")
                                        : QStringLiteral("(changes + _bulk_get)");
        if (r.seconds < 0) {
            qCritical("plain client reading %s %s failed: %s", qPrintable(peerName),
                      qPrintable(how), qPrintable(r.error));
            return -1;
        }
        if (r.docs != n) {
            qWarning("plain client reading %s %s: %lld docs, not %d", qPrintable(peerName),
                     qPrintable(how), r.docs, n);
            o.equal = false;
        }
        const double rate = n / r.seconds;
        limit = qMax(limit, rate);
        o.rows.append({QStringLiteral("plain client reads %1 %2").arg(peerName, how), rate,
                       QStringLiteral("docs/s"),
                       QStringLiteral("%1 s, %2 docs received, %3 requests, limit %4, one "
                                      "connection")
                               .arg(r.seconds, 0, 'f', 2)
                               .arg(r.docs)
                               .arg(r.requests)
                               .arg(batch) +
                           peerCpu});
    }
    return limit;
}

// ReplDesk's one-shot replication of `source` to `target` (worker_batch_size B); seconds, or
// -1 on failure. `written` gets docs_written.
double oursReplicate(HttpClient &ours, const QUrl &oursUrl, const QString &source,
                     const QString &target, int batch, int *written, bench::RequestShares *shares)
{
    bench::RawClient metrics(oursUrl);
    bench::RequestShares before, after;
    QString error;
    if (!bench::readRequestFigures(metrics, &before, &error))
        qWarning("%s", qPrintable(error));
    QByteArray answer;
    const double s = replicate(ours,
                               {{QStringLiteral("source"), source},
                                {QStringLiteral("target"), target},
                                {QStringLiteral("create_target"), true},
                                {QStringLiteral("worker_batch_size"), batch}},
                               &answer);
    if (s < 0)
        qCritical("ReplDesk %s -> %s failed: %s", qPrintable(source), qPrintable(target),
                  answer.constData());
    *written = bench::docsWritten(answer);
    if (s >= 0 && bench::readRequestFigures(metrics, &after, &error))
        *shares = bench::minus(after, before);
    return s;
}

bool pouchPart(Outcome &o, const ServerProcess &ours, const QUrl &oursRoot, int n, int batch,
               int rounds)
{
    PouchServer pouchServer;
    if (!pouchServer.start()) {
        qCritical("%s", qPrintable(pouchServer.errorString()));
        return false;
    }
    const QUrl pouch = pouchServer.baseUrl(); // -m: no credentials
    HttpClient pouchHttp(pouch);
    pouchHttp.clearCredentials();
    HttpClient http(ours.baseUrl());
    QString error;
    QElapsedTimer t;
    t.start();
    if (!load(pouch, QStringLiteral("src"), n, &error)) {
        qCritical("loading pouchdb-server failed: %s", qPrintable(error));
        return false;
    }
    o.rows.append({QStringLiteral("load into pouchdb-server"), n / (t.nsecsElapsed() / 1e9),
                   QStringLiteral("docs/s"), QStringLiteral("_bulk_docs, 5000 per request")});
    const State source = stateOf(pouch, QStringLiteral("src"));
    if (qsizetype(source.size()) != n) {
        qCritical("pouchdb-server's src holds %d ids, not %d", int(source.size()), n);
        return false;
    }

    const double limit = plainReads(o, QStringLiteral("pouchdb-server"), pouch,
                                    QStringLiteral("src"), n, batch, pouchServer.processId());
    if (limit < 0)
        return false;

    int written = 0;
    bench::RequestShares shares;
    const double pouchCpu = bench::cpuSeconds(pouchServer.processId());
    const double oursCpu = bench::cpuSeconds(ours.processId());
    const double oursSeconds =
        oursReplicate(http, ours.baseUrl(), withDb(pouch, QStringLiteral("src")),
                      QStringLiteral("from_pouch"), batch, &written, &shares);
    const QString cpuPerDoc =
        QStringLiteral("; CPU/doc: pouchdb-server %1 us, ReplDesk %2 us")
            .arg(1e6 * (bench::cpuSeconds(pouchServer.processId()) - pouchCpu) / n, 0, 'f', 1)
            .arg(1e6 * (bench::cpuSeconds(ours.processId()) - oursCpu) / n, 0, 'f', 1);
    if (oursSeconds < 0)
        return false;
    o.equal = compareStates(QStringLiteral("ReplDesk pulls from pouchdb-server"), source,
                            stateOf(oursRoot, QStringLiteral("from_pouch"))) &&
              written == n && o.equal;
    o.rows.append({QStringLiteral("ReplDesk pulls from pouchdb-server"), n / oursSeconds,
                   QStringLiteral("docs/s"),
                   QStringLiteral("%1 s, %2 written, batch %3")
                           .arg(oursSeconds, 0, 'f', 2)
                           .arg(written)
                           .arg(batch) +
                       cpuPerDoc});
    bench::appendRequestRows(o.rows, QStringLiteral("ReplDesk pulls from pouchdb-server"), shares);
    // Both figures move by a fifth from one moment to the next on 2 shared cores: more rounds,
    // each a plain read and our pull right after it, and the median of their ratios.
    std::vector<double> ratios{100 * (n / oursSeconds) / limit};
    for (int r = 2; r <= rounds; ++r) {
        const PlainRead plain = plainRead(pouch, QStringLiteral("src"), batch, true);
        const QString target = QStringLiteral("from_pouch_%1").arg(r);
        bench::RequestShares ignored;
        const double s = oursReplicate(http, ours.baseUrl(), withDb(pouch, QStringLiteral("src")),
                                       target, batch, &written, &ignored);
        if (plain.seconds < 0 || plain.docs != n || s < 0 || written != n) {
            qCritical("round %d: plain read %lld docs (%s), ReplDesk wrote %d", r, plain.docs,
                      qPrintable(plain.error), written);
            return false;
        }
        ratios.push_back(100 * plain.seconds / s);
    }
    o.rows.append({QStringLiteral("ReplDesk / plain-client limit (pouchdb-server)"),
                   bench::median(ratios), QStringLiteral("%"),
                   QStringLiteral("target >= 80%; median of %1 rounds (%2), each our pull right "
                                  "after a plain include_docs read; round 1's limit: the faster "
                                  "plain read, %3 docs/s")
                       .arg(rounds)
                       .arg(bench::listOf(ratios, 1))
                       .arg(limit, 0, 'f', 0)});

    QByteArray answer;
    const double pouchSeconds =
        replicate(pouchHttp,
                  {{QStringLiteral("source"), withDb(pouch, QStringLiteral("src"))},
                   {QStringLiteral("target"), withDb(pouch, QStringLiteral("copy"))}},
                  &answer);
    if (pouchSeconds < 0) {
        qCritical("pouchdb-server self-replication failed: %s", answer.constData());
        return false;
    }
    o.equal = compareStates(QStringLiteral("pouchdb-server into itself"), source,
                            stateOf(pouch, QStringLiteral("copy"))) &&
              o.equal;
    o.rows.append({QStringLiteral("pouchdb-server into itself (HTTP)"), n / pouchSeconds,
                   QStringLiteral("docs/s"),
                   QStringLiteral("%1 s, its replicator's defaults").arg(pouchSeconds, 0, 'f', 2)});
    o.rows.append({QStringLiteral("ReplDesk / pouchdb-server"), pouchSeconds / oursSeconds,
                   QStringLiteral("x"), QStringLiteral("target >= 5")});

    // The other direction: pouchdb-server's replicator reading our CouchDB face (its own
    // writes are the limit; this shows our face is not the slower source).
    const double fromOursSeconds =
        replicate(pouchHttp,
                  {{QStringLiteral("source"), withDb(oursRoot, QStringLiteral("from_pouch"))},
                   {QStringLiteral("target"), withDb(pouch, QStringLiteral("fromours"))}},
                  &answer);
    if (fromOursSeconds < 0) {
        qCritical("pouchdb-server pulling from ReplDesk failed: %s", answer.constData());
        return false;
    }
    o.equal = compareStates(QStringLiteral("pouchdb-server pulls from ReplDesk"), source,
                            stateOf(pouch, QStringLiteral("fromours"))) &&
              o.equal;
    o.rows.append({QStringLiteral("pouchdb-server pulls from ReplDesk"), n / fromOursSeconds,
                   QStringLiteral("docs/s"),
                   QStringLiteral("%1 s (vs %2 s from itself)")
                       .arg(fromOursSeconds, 0, 'f', 2)
                       .arg(pouchSeconds, 0, 'f', 2)});
    pouchServer.stop();
    return true;
}

bool couchPart(Outcome &o, const ServerProcess &ours, const QUrl &oursRoot, int n, int batch)
{
    RealCouchDb couchDb;
    if (!couchDb.start()) {
        qCritical("%s", qPrintable(couchDb.errorString()));
        return false;
    }
    const QUrl couch = couchDb.adminUrl();
    HttpClient couchHttp(couchDb.baseUrl(), QStringLiteral("admin"), RealCouchDb::password());
    HttpClient http(ours.baseUrl());
    QString error;
    QElapsedTimer t;
    t.start();
    if (!load(couch, QStringLiteral("src"), n, &error)) {
        qCritical("loading CouchDB failed: %s", qPrintable(error));
        return false;
    }
    o.rows.append({QStringLiteral("load into CouchDB"), n / (t.nsecsElapsed() / 1e9),
                   QStringLiteral("docs/s"),
                   QStringLiteral("_bulk_docs, 5000 per request, admin")});
    const State source = stateOf(couch, QStringLiteral("src"));
    if (qsizetype(source.size()) != n) {
        qCritical("CouchDB's src holds %d ids, not %d", int(source.size()), n);
        return false;
    }

    const double limit =
        plainReads(o, QStringLiteral("CouchDB"), couch, QStringLiteral("src"), n, batch);
    if (limit < 0)
        return false;

    QByteArray answer;
    const double selfSeconds =
        replicate(couchHttp,
                  {{QStringLiteral("source"), withDb(couch, QStringLiteral("src"))},
                   {QStringLiteral("target"), withDb(couch, QStringLiteral("copy"))},
                   {QStringLiteral("create_target"), true}},
                  &answer);
    if (selfSeconds < 0) {
        qCritical("CouchDB self-replication failed: %s", answer.constData());
        return false;
    }
    o.equal = compareStates(QStringLiteral("CouchDB into itself"), source,
                            stateOf(couch, QStringLiteral("copy"))) &&
              o.equal;
    o.rows.append({QStringLiteral("CouchDB replicates into itself"), n / selfSeconds,
                   QStringLiteral("docs/s"),
                   QStringLiteral("%1 s, %2 written; its replicator's defaults "
                                  "(worker_batch_size 500, 4 workers, 20 connections)")
                       .arg(selfSeconds, 0, 'f', 2)
                       .arg(bench::docsWritten(answer))});

    int written = 0;
    bench::RequestShares shares;
    const double pullSeconds =
        oursReplicate(http, ours.baseUrl(), withDb(couch, QStringLiteral("src")),
                      QStringLiteral("from_couch"), batch, &written, &shares);
    if (pullSeconds < 0)
        return false;
    o.equal = compareStates(QStringLiteral("ReplDesk pulls from CouchDB"), source,
                            stateOf(oursRoot, QStringLiteral("from_couch"))) &&
              written == n && o.equal;
    o.rows.append({QStringLiteral("ReplDesk pulls from CouchDB"), n / pullSeconds,
                   QStringLiteral("docs/s"),
                   QStringLiteral("%1 s, %2 written, batch %3")
                       .arg(pullSeconds, 0, 'f', 2)
                       .arg(written)
                       .arg(batch)});
    bench::appendRequestRows(o.rows, QStringLiteral("ReplDesk pulls from CouchDB"), shares);
    o.rows.append({QStringLiteral("ReplDesk / CouchDB-self"), selfSeconds / pullSeconds,
                   QStringLiteral("x"), QStringLiteral("same data, same run")});
    o.rows.append({QStringLiteral("ReplDesk / plain-client limit (CouchDB)"),
                   100 * (n / pullSeconds) / limit, QStringLiteral("%"),
                   QStringLiteral("target >= 80%; limit: the faster plain read, %1 docs/s")
                       .arg(limit, 0, 'f', 0)});

    // The other direction: our copy of CouchDB's src goes back, pushed by us and pulled by
    // CouchDB's replicator, each into a database of its own.
    const double pushSeconds =
        oursReplicate(http, ours.baseUrl(), QStringLiteral("from_couch"),
                      withDb(couch, QStringLiteral("pushed")), batch, &written, &shares);
    if (pushSeconds < 0)
        return false;
    o.equal = compareStates(QStringLiteral("ReplDesk pushes to CouchDB"), source,
                            stateOf(couch, QStringLiteral("pushed"))) &&
              written == n && o.equal;
    o.rows.append({QStringLiteral("ReplDesk pushes to CouchDB"), n / pushSeconds,
                   QStringLiteral("docs/s"),
                   QStringLiteral("%1 s, %2 written, batch %3, create_target")
                       .arg(pushSeconds, 0, 'f', 2)
                       .arg(written)
                       .arg(batch)});
    bench::appendRequestRows(o.rows, QStringLiteral("ReplDesk pushes to CouchDB"), shares);

    const double fromOursSeconds =
        replicate(couchHttp,
                  {{QStringLiteral("source"), withDb(oursRoot, QStringLiteral("from_couch"))},
                   {QStringLiteral("target"), withDb(couch, QStringLiteral("from_repldesk"))},
                   {QStringLiteral("create_target"), true}},
                  &answer);
    if (fromOursSeconds < 0) {
        qCritical("CouchDB pulling from ReplDesk failed: %s", answer.constData());
        return false;
    }
    o.equal = compareStates(QStringLiteral("CouchDB pulls from ReplDesk"), source,
                            stateOf(couch, QStringLiteral("from_repldesk"))) &&
              o.equal;
    o.rows.append({QStringLiteral("CouchDB pulls from ReplDesk"), n / fromOursSeconds,
                   QStringLiteral("docs/s"),
                   QStringLiteral("%1 s, %2 written (vs %3 s from itself); its defaults")
                       .arg(fromOursSeconds, 0, 'f', 2)
                       .arg(bench::docsWritten(answer))
                       .arg(selfSeconds, 0, 'f', 2)});
    couchDb.stop();
    return true;
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
    QCommandLineOption batchOpt(
        QStringLiteral("batch"),
        QStringLiteral("ReplDesk's worker_batch_size and the plain client's page (default 2000)."),
        QStringLiteral("B"), QStringLiteral("2000"));
    QCommandLineOption peersOpt(QStringLiteral("peers"),
                                QStringLiteral("Peers to measure against (default "
                                               "pouchdb,couchdb)."),
                                QStringLiteral("LIST"), QStringLiteral("pouchdb,couchdb"));
    QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Write results as JSON."),
                               QStringLiteral("FILE"));
    QCommandLineOption roundsOpt(
        QStringLiteral("rounds"),
        QStringLiteral("Rounds of plain read + our pull from pouchdb-server (default 3)."),
        QStringLiteral("R"), QStringLiteral("3"));
    p.addOptions({docsOpt, batchOpt, peersOpt, roundsOpt, jsonOpt});
    p.process(app);
    const int n = p.value(docsOpt).toInt();
    const int rounds = qMax(1, p.value(roundsOpt).toInt());
    const int batch = qMax(1, p.value(batchOpt).toInt());
    const QStringList peers = p.value(peersOpt).split(u',', Qt::SkipEmptyParts);
    for (const QString &peer : peers)
        if (peer != QStringLiteral("pouchdb") && peer != QStringLiteral("couchdb")) {
            qCritical("unknown peer %s (pouchdb, couchdb)", qPrintable(peer));
            return 1;
        }
    if (n < 1) {
        qCritical("--docs must be at least 1");
        return 1;
    }

    ServerProcess ours;
    if (!ours.start()) {
        qCritical("%s", qPrintable(ours.errorString()));
        return 1;
    }
    const QUrl oursRoot =
        withCredentials(ours.baseUrl(), QStringLiteral("root"), ServerProcess::password());
    Outcome o;
    QStringList measured;
    if (peers.contains(QStringLiteral("pouchdb"))) {
        if (!pouchPart(o, ours, oursRoot, n, batch, rounds))
            return 1;
        measured.append(QStringLiteral("pouchdb-server 4.2.0 -m"));
    }
    if (peers.contains(QStringLiteral("couchdb"))) {
        if (const QString why = RealCouchDb::unavailableReason(); !why.isEmpty()) {
            QTextStream(stdout) << "CouchDB part skipped: " << why << "\n";
        } else {
            if (!couchPart(o, ours, oursRoot, n, batch))
                return 1;
            measured.append(QStringLiteral("CouchDB 3.4.3"));
        }
    }
    ours.stop();
    const QString title =
        QStringLiteral("bench_couch (%1 small docs, batch %2, %3, 2 cores, loopback)")
            .arg(n)
            .arg(batch)
            .arg(measured.isEmpty() ? QStringLiteral("no peer")
                                    : measured.join(QStringLiteral(", ")));
    printTable(title, o.rows);
    if (p.isSet(jsonOpt))
        writeJson(p.value(jsonOpt), rowsToJson(title, o.rows));
    return o.equal ? 0 : 2;
}
