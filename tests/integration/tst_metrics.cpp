// GET /_admin/metrics/v2 of real repldesk-servers (a leader and a follower over loopback),
// read by Prometheus' own text parser (prometheus_client from Debian's
// python3-prometheus-client, run as a child process) and compared with what applier-state and
// logger-state say at the same moment. A missing python3 or module is a failure, not a skip:
// scripts/deps.sh installs python3-prometheus-client.
#include "ReplicationTestKit.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

#include <cmath>
#include <limits>

using namespace repl::test;

namespace {

// Reads the exposition on stdin, prints the families the parser found as JSON.
const char *ParserScript = R"(
import json, math, sys
from prometheus_client.parser import text_string_to_metric_families
out = []
for f in text_string_to_metric_families(sys.stdin.read()):
    out.append({"name": f.name, "type": f.type, "help": f.documentation,
                "samples": [{"name": s.name, "labels": s.labels,
                             "value": s.value if math.isfinite(s.value) else str(s.value)}
                            for s in f.samples]})
print(json.dumps(out))
)";

// Debian's interpreter (where python3-prometheus-client installs), else the first on PATH.
QString python()
{
    const QString debian = QStringLiteral("/usr/bin/python3");
    return QFileInfo(debian).isExecutable()
               ? debian
               : QStandardPaths::findExecutable(QStringLiteral("python3"));
}

using Labels = QList<QPair<QString, QString>>;

struct Metrics
{
    QString error;
    QByteArray text;
    QJsonArray families; // as the parser gave them

    // The one sample called `name` with these labels (others may be there too); NaN when
    // there is none or more than one.
    double value(const QString &name, const Labels &labels = {}) const
    {
        double found = std::numeric_limits<double>::quiet_NaN();
        int matches = 0;
        forEach(name, labels, [&](double v) {
            found = v;
            ++matches;
        });
        return matches == 1 ? found : std::numeric_limits<double>::quiet_NaN();
    }
    double sum(const QString &name, const Labels &labels = {}) const
    {
        double total = 0;
        forEach(name, labels, [&](double v) { total += v; });
        return total;
    }
    QJsonObject family(const QString &name) const
    {
        for (const QJsonValue &f : families)
            if (f[QStringLiteral("name")].toString() == name)
                return f.toObject();
        return {};
    }

private:
    template<class F> void forEach(const QString &name, const Labels &labels, F f) const
    {
        for (const QJsonValue &family : families)
            for (const QJsonValue &s : family[QStringLiteral("samples")].toArray()) {
                if (s[QStringLiteral("name")].toString() != name)
                    continue;
                const QJsonObject have = s[QStringLiteral("labels")].toObject();
                if (std::all_of(labels.begin(), labels.end(), [&](const auto &l) {
                        return have.value(l.first).toString() == l.second;
                    }))
                    f(s[QStringLiteral("value")].toDouble());
            }
    }
};

// Scrapes `http`'s server and parses what it sent; `error` says what went wrong. Also checks
// what the lax parser lets through: every family typed and helped once, histograms
// cumulative with +Inf equal to _count.
Metrics scrape(HttpClient &http)
{
    Metrics m;
    const HttpReply r = http.get(QStringLiteral("/_admin/metrics/v2"));
    m.text = r.body;
    if (r.status != 200) {
        m.error = QStringLiteral("GET /_admin/metrics/v2: ") + statusText(r);
        return m;
    }
    if (r.header("content-type") != "text/plain; version=0.0.4; charset=utf-8") {
        m.error =
            QStringLiteral("Content-Type is %1").arg(QString::fromUtf8(r.header("content-type")));
        return m;
    }
    QProcess p;
    p.start(python(), {QStringLiteral("-c"), QString::fromUtf8(ParserScript)});
    if (!p.waitForStarted(10000)) {
        m.error = QStringLiteral("cannot run %1: %2").arg(python(), p.errorString());
        return m;
    }
    p.write(r.body);
    p.closeWriteChannel();
    if (!p.waitForFinished(30000) || p.exitCode() != 0) {
        m.error = QStringLiteral("the parser failed (exit %1): %2")
                      .arg(p.exitCode())
                      .arg(QString::fromUtf8(p.readAllStandardError()));
        return m;
    }
    m.families = QJsonDocument::fromJson(p.readAllStandardOutput()).array();
    QSet<QString> names;
    for (const QJsonValue &f : std::as_const(m.families)) {
        const QString name = f[QStringLiteral("name")].toString();
        const QString type = f[QStringLiteral("type")].toString();
        if (!QStringList{"counter", "gauge", "histogram"}.contains(type) ||
            f[QStringLiteral("help")].toString().isEmpty() || names.contains(name)) {
            m.error = QStringLiteral("family %1: type '%2', help '%3', seen before: %4")
                          .arg(name, type, f[QStringLiteral("help")].toString())
                          .arg(names.contains(name));
            return m;
        }
        names.insert(name);
        if (type != u"histogram")
            continue;
        double previous = 0, inf = -1;
        for (const QJsonValue &s : f[QStringLiteral("samples")].toArray()) {
            if (!s[QStringLiteral("name")].toString().endsWith(u"_bucket"))
                continue;
            const double v = s[QStringLiteral("value")].toDouble();
            if (v < previous)
                m.error = QStringLiteral("%1: buckets not cumulative").arg(name);
            previous = v;
            if (s[QStringLiteral("labels")][QStringLiteral("le")].toString() == u"+Inf")
                inf = v;
        }
        if (inf != m.value(name + QStringLiteral("_count")))
            m.error = QStringLiteral("%1: +Inf bucket %2, count %3")
                          .arg(name)
                          .arg(inf)
                          .arg(m.value(name + QStringLiteral("_count")));
    }
    if (m.families.isEmpty())
        m.error = QStringLiteral("the parser found no families");
    return m;
}

#define SCRAPE(var, http)                                                                          \
    const Metrics var = scrape(http);                                                              \
    QVERIFY2(var.error.isEmpty(), qPrintable(var.error + u'\n' + QString::fromUtf8(var.text)))

const Labels System{{QStringLiteral("database"), QStringLiteral("_system")}};

} // namespace

class TestMetrics : public QObject
{
    Q_OBJECT

private:
    ServerProcess m_leader, m_follower;
    std::unique_ptr<HttpClient> m_l, m_f;

    void write(const QString &key)
    {
        const HttpReply r = m_l->post(QStringLiteral("/_api/document/metrics"),
                                      QJsonObject{{"_key", key}, {"n", key.size()}});
        QVERIFY2(r.status == 202, qPrintable(statusText(r)));
    }
    void remove(const QString &key)
    {
        const HttpReply r = m_l->del(QStringLiteral("/_api/document/metrics/") + key);
        QVERIFY2(r.status == 202 || r.status == 200, qPrintable(statusText(r)));
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString py = python();
        QVERIFY2(!py.isEmpty(), "python3 is missing: scripts/deps.sh installs it with "
                                "python3-prometheus-client");
        QProcess p;
        p.start(py, {QStringLiteral("-c"), QStringLiteral("import prometheus_client.parser")});
        QVERIFY(p.waitForFinished(30000));
        QVERIFY2(p.exitCode() == 0,
                 qPrintable(QStringLiteral("%1 cannot import prometheus_client (install Debian's "
                                           "python3-prometheus-client; scripts/deps.sh does): %2")
                                .arg(py, QString::fromUtf8(p.readAllStandardError()))));
        QVERIFY2(m_leader.start(), qPrintable(m_leader.errorString()));
        QVERIFY2(m_follower.start(), qPrintable(m_follower.errorString()));
        m_l = std::make_unique<HttpClient>(m_leader.baseUrl());
        m_f = std::make_unique<HttpClient>(m_follower.baseUrl());
    }

    void withoutCredentialsIs401()
    {
        HttpClient anonymous(m_follower.baseUrl());
        anonymous.clearCredentials();
        HttpReply r = anonymous.get(QStringLiteral("/_admin/metrics/v2"));
        QCOMPARE(r.status, 401);
        QVERIFY(!r.body.contains("repldesk_"));
        anonymous.setCredentials(QStringLiteral("root"), QStringLiteral("wrong"));
        QCOMPARE(anonymous.get(QStringLiteral("/_admin/metrics/v2")).status, 401);
    }

    void followerMatchesApplierState()
    {
        QCOMPARE(m_l->put(QStringLiteral("/_api/replication/logger-start")).status, 200);
        QCOMPARE(
            m_l->post(QStringLiteral("/_api/collection"), QJsonObject{{"name", "metrics"}}).status,
            200);
        for (int i = 0; i < 40; ++i)
            write(QStringLiteral("s%1").arg(i));
        syncAndStart(*m_f, m_leader);
        if (QTest::currentTestFailed())
            return;
        for (int i = 0; i < 30; ++i)
            write(QStringLiteral("t%1").arg(i));
        for (int i = 0; i < 7; ++i)
            remove(QStringLiteral("s%1").arg(i));
        QString why;
        QVERIFY2(waitApplied(*m_f, lastLogTick(*m_l), 60000, &why), qPrintable(why));

        // Nothing is written any more: the state before and after the scrape is the same.
        QJsonObject st = applierState(*m_f);
        SCRAPE(m, *m_f);
        QCOMPARE(applierState(*m_f).value(QStringLiteral("lastAppliedContinuousTick")),
                 st.value(QStringLiteral("lastAppliedContinuousTick")));
        QVERIFY(st.value(QStringLiteral("running")).toBool());
        QCOMPARE(m.value("repldesk_replication_applier_running", System), 1.0);
        QCOMPARE(m.value("repldesk_replication_applier_state",
                         System + Labels{{QStringLiteral("state"), QStringLiteral("running")}}),
                 1.0);
        QCOMPARE(m.sum("repldesk_replication_applier_state", System), 1.0);
        QCOMPARE(m.value("repldesk_replication_applier_last_applied_tick", System),
                 double(tickOf(st.value(QStringLiteral("lastAppliedContinuousTick")))));
        QCOMPARE(m.value("repldesk_replication_applier_leader_tick", System),
                 double(tickOf(st.value(QStringLiteral("lastAvailableContinuousTick")))));
        QCOMPARE(m.value("repldesk_replication_applier_lag_ticks", System),
                 st.value(QStringLiteral("ticksBehind")).toDouble(-1));
        QCOMPARE(m.value("repldesk_replication_applier_lag_ticks", System), 0.0);
        QCOMPARE(m.value("repldesk_replication_applier_lag_seconds", System), 0.0);
        QCOMPARE(m.value("repldesk_replication_applier_last_error_number", System),
                 st[QStringLiteral("lastError")][QStringLiteral("errorNum")].toDouble(-1));

        // ArangoDB's counters: one applier and one sync ran here, so the sums are theirs.
        for (const char *name :
             {"dump_requests", "dump_bytes_received", "dump_documents", "dump_request_time",
              "dump_apply_time", "tailing_requests", "tailing_follow_tick_failures",
              "tailing_markers", "tailing_documents", "tailing_removals", "tailing_bytes_received",
              "failed_connects", "tailing_request_time", "tailing_apply_time"})
            QCOMPARE(m.family(QStringLiteral("arangodb_replication_") + QLatin1String(name))
                         .value(QStringLiteral("type"))
                         .toString(),
                     QStringLiteral("counter"));
        auto arango = [&](const char *name) {
            return m.value(
                QStringLiteral("arangodb_replication_%1_total").arg(QLatin1String(name)));
        };
        QVERIFY(arango("dump_requests") >= 1);
        QVERIFY(arango("dump_documents") >= 40);
        QVERIFY(arango("dump_bytes_received") > 40 * 20);
        QVERIFY(arango("tailing_requests") >= 1);
        QVERIFY(arango("tailing_requests") <= st.value(QStringLiteral("totalRequests")).toDouble());
        QCOMPARE(arango("tailing_documents"),
                 st.value(QStringLiteral("totalDocuments")).toDouble());
        QCOMPARE(arango("tailing_removals"), st.value(QStringLiteral("totalRemovals")).toDouble());
        QCOMPARE(arango("tailing_documents"), 30.0);
        QCOMPARE(arango("tailing_removals"), 7.0);
        QVERIFY(arango("tailing_markers") >= 37);
        QVERIFY(arango("tailing_bytes_received") > 37 * 20);
        QVERIFY(arango("tailing_apply_time") > 0);
        QVERIFY(arango("tailing_request_time") >= 0);
        QCOMPARE(arango("tailing_follow_tick_failures"), 0.0);
        QCOMPARE(arango("failed_connects"), 0.0);
    }

    void leaderMatchesLoggerState()
    {
        const QJsonObject ls = m_l->get(QStringLiteral("/_api/replication/logger-state")).json();
        SCRAPE(m, *m_l);
        const double lastLogTick =
            double(tickOf(ls[QStringLiteral("state")][QStringLiteral("lastLogTick")]));
        QVERIFY(lastLogTick > 0);
        QCOMPARE(m.value("repldesk_replication_logger_last_tick", System), lastLogTick);
        QCOMPARE(m.value("repldesk_replication_logger_running", System), 1.0);
        QCOMPARE(m.value("repldesk_replication_logger_clients", System),
                 double(ls[QStringLiteral("clients")].toArray().size()));
        QCOMPARE(m.value("repldesk_replication_logger_clients", System), 1.0);
        QVERIFY(m.value("repldesk_last_tick") >= lastLogTick);
        // The leader follows nobody: no applier samples, and its pullers counted nothing.
        QVERIFY(std::isnan(m.value("repldesk_replication_applier_running", System)));
        QCOMPARE(m.value("arangodb_replication_tailing_requests_total"), 0.0);
        // It served the follower's follow requests.
        QVERIFY(m.value("repldesk_http_requests_total",
                        {{QStringLiteral("method"), QStringLiteral("GET")},
                         {QStringLiteral("status_class"), QStringLiteral("2xx")}}) > 3);
        QVERIFY(m.value("process_resident_memory_bytes") > 1e6);
        QVERIFY(m.value("process_open_fds") > 3);
        const double started = m.value("process_start_time_seconds");
        const double now = double(QDateTime::currentSecsSinceEpoch());
        QVERIFY2(started <= now + 1 && started > now - 600, qPrintable(QString::number(started)));
    }

    void httpCountersGrowByTheRequestsMade()
    {
        const Labels get2xx{{QStringLiteral("method"), QStringLiteral("GET")},
                            {QStringLiteral("status_class"), QStringLiteral("2xx")}};
        const Labels put4xx{{QStringLiteral("method"), QStringLiteral("PUT")},
                            {QStringLiteral("status_class"), QStringLiteral("4xx")}};
        SCRAPE(before, *m_f);
        for (int i = 0; i < 5; ++i)
            QCOMPARE(m_f->get(QStringLiteral("/_api/version")).status, 200);
        // A 404 (route) and a 401 (the connection guard's early answer) count too.
        QCOMPARE(m_f->put(QStringLiteral("/_api/no-such-route")).status, 404);
        HttpClient anonymous(m_follower.baseUrl());
        anonymous.clearCredentials();
        QCOMPARE(anonymous.put(QStringLiteral("/_api/version")).status, 401);
        SCRAPE(after, *m_f);
        // The first scrape is counted once its answer went out: after it was written.
        QCOMPARE(after.value("repldesk_http_requests_total", get2xx) -
                     before.value("repldesk_http_requests_total", get2xx),
                 6.0);
        QCOMPARE(after.sum("repldesk_http_requests_total", put4xx) -
                     before.sum("repldesk_http_requests_total", put4xx),
                 2.0);
        QCOMPARE(after.value("repldesk_http_request_duration_seconds_count") -
                     before.value("repldesk_http_request_duration_seconds_count"),
                 8.0);
        QVERIFY(after.value("repldesk_http_request_duration_seconds_sum") >
                before.value("repldesk_http_request_duration_seconds_sum"));
    }

    // A one-shot CouchDB pull over HTTP: 30 documents in batches of 10, bodies riding on the
    // changes (include_docs), so three _revs_diff and three _bulk_docs, and no _bulk_get.
    void couchReplicationCountsItsRequests()
    {
        QCOMPARE(m_l->put(QStringLiteral("/couchsrc")).status, 201);
        QJsonArray docs;
        for (int i = 0; i < 30; ++i)
            docs.append(QJsonObject{{"_id", QStringLiteral("d%1").arg(i)}, {"n", i}});
        QCOMPARE(
            m_l->post(QStringLiteral("/couchsrc/_bulk_docs"), QJsonObject{{"docs", docs}}).status,
            201);
        QUrl source = m_leader.baseUrl();
        source.setUserName(QStringLiteral("root"));
        source.setPassword(ServerProcess::password());
        source.setPath(QStringLiteral("/couchsrc"));
        const auto count = [](const Metrics &m, const char *request) {
            return m.value("repldesk_couch_replication_requests_total",
                           {{QStringLiteral("request"), QString::fromLatin1(request)}});
        };
        const auto waited = [](const Metrics &m, const char *request) {
            return m.value("repldesk_couch_replication_request_wait_seconds_total",
                           {{QStringLiteral("request"), QString::fromLatin1(request)}});
        };
        SCRAPE(before, *m_f);
        const HttpReply r =
            m_f->post(QStringLiteral("/_replicate"), QJsonObject{{"source", source.toString()},
                                                                 {"target", "couchcopy"},
                                                                 {"create_target", true},
                                                                 {"worker_batch_size", 10}});
        QVERIFY2(r.status == 200, qPrintable(statusText(r)));
        QCOMPARE(r.json()[QStringLiteral("history")][0][QStringLiteral("docs_written")].toInt(),
                 30);
        SCRAPE(after, *m_f);
        QCOMPARE(count(after, "_revs_diff") - count(before, "_revs_diff"), 3.0);
        QCOMPARE(count(after, "_bulk_docs") - count(before, "_bulk_docs"), 3.0);
        QCOMPARE(count(after, "_bulk_get") - count(before, "_bulk_get"), 0.0);
        // Three full pages; the third says `pending` 0, so no empty page is asked for.
        QCOMPARE(count(after, "_changes") - count(before, "_changes"), 3.0);
        QVERIFY(count(after, "checkpoint") > count(before, "checkpoint"));
        for (const char *request : {"_changes", "_revs_diff", "_bulk_docs"})
            QVERIFY2(waited(after, request) > waited(before, request), request);
        // Every kind is there from the start, so a dashboard's rate() has a series to read.
        for (const char *request : {"_bulk_get", "_all_docs", "open_revs", "other"})
            QVERIFY2(count(before, request) >= 0, request);
    }

    void laggingApplierShowsItsLag()
    {
        // A leader that says its log reaches tick 5000 and never sends any of it.
        ScriptedLeader leader([](const QString &path, const QUrlQuery &) {
            using A = ScriptedLeader::Answer;
            if (path.endsWith(u"/_api/replication/server-id"))
                return A{200, R"({"serverId":"424242424242"})", {}};
            if (path.endsWith(u"/_api/version"))
                return A{200, R"({"server":"arango","version":"3.11.0"})", {}};
            if (!path.endsWith(u"/_api/replication/logger-follow"))
                return A{404, R"({"error":true,"errorNum":404})", {}};
            return A{204,
                     {},
                     {{"x-arango-replication-lastincluded", "0"},
                      {"x-arango-replication-lasttick", "5000"},
                      {"x-arango-replication-checkmore", "false"},
                      {"x-arango-replication-frompresent", "true"},
                      {"x-arango-replication-active", "true"}}};
        });
        QCOMPARE(
            m_f->post(QStringLiteral("/_api/database"), QJsonObject{{"name", "lagging"}}).status,
            201);
        QJsonObject config = syncBody(leader.endpoint());
        config.insert(QStringLiteral("idleMinWaitTime"), 0.05);
        config.insert(QStringLiteral("idleMaxWaitTime"), 0.2);
        const QString api = QStringLiteral("/_db/lagging/_api/replication/");
        QCOMPARE(m_f->put(api + QStringLiteral("applier-config"), config).status, 200);
        QElapsedTimer sinceStart;
        sinceStart.start();
        QCOMPARE(m_f->put(api + QStringLiteral("applier-start")).status, 200);
        QJsonObject st;
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         st = applierState(*m_f, QStringLiteral("lagging"));
                         return tickOf(st[QStringLiteral("lastAvailableContinuousTick")]) == 5000;
                     },
                     20000),
                 qPrintable(QJsonDocument(st).toJson(QJsonDocument::Compact)));
        // Behind since before this moment (it last matched the leader's tick before its first
        // follow answer), and at most since it started.
        const qint64 behindBy = sinceStart.elapsed();
        QTest::qWait(1500);
        st = applierState(*m_f, QStringLiteral("lagging"));
        const double lowest = double(sinceStart.elapsed() - behindBy) / 1000.0;
        SCRAPE(m, *m_f);
        const double highest = double(sinceStart.elapsed()) / 1000.0;
        const Labels lagging{{QStringLiteral("database"), QStringLiteral("lagging")}};
        QCOMPARE(st.value(QStringLiteral("ticksBehind")).toDouble(), 5000.0);
        QCOMPARE(m.value("repldesk_replication_applier_lag_ticks", lagging), 5000.0);
        QCOMPARE(m.value("repldesk_replication_applier_leader_tick", lagging), 5000.0);
        QCOMPARE(m.value("repldesk_replication_applier_last_applied_tick", lagging),
                 double(tickOf(st.value(QStringLiteral("lastAppliedContinuousTick")))));
        QCOMPARE(m.value("repldesk_replication_applier_running", lagging), 1.0);
        const double seconds = m.value("repldesk_replication_applier_lag_seconds", lagging);
        QVERIFY2(seconds >= lowest && seconds <= highest,
                 qPrintable(QStringLiteral("lag %1 s, expected %2 … %3 s")
                                .arg(seconds)
                                .arg(lowest)
                                .arg(highest)));
        // The caught-up database beside it is unaffected.
        QCOMPARE(m.value("repldesk_replication_applier_lag_seconds", System), 0.0);
        QCOMPARE(m_f->put(api + QStringLiteral("applier-stop")).status, 200);
    }

    void stoppedApplierShowsNotRunning()
    {
        QCOMPARE(m_f->put(QStringLiteral("/_api/replication/applier-stop")).status, 200);
        QJsonObject st;
        QVERIFY(waitStopped(*m_f, 20000, &st));
        SCRAPE(m, *m_f);
        QCOMPARE(m.value("repldesk_replication_applier_running", System), 0.0);
        QCOMPARE(m.value("repldesk_replication_applier_state",
                         System + Labels{{QStringLiteral("state"), QStringLiteral("stopped")}}),
                 1.0);
        QCOMPARE(m.value("repldesk_replication_applier_state",
                         System + Labels{{QStringLiteral("state"), QStringLiteral("running")}}),
                 0.0);
        QCOMPARE(m.value("repldesk_replication_applier_last_error_number", System),
                 st[QStringLiteral("lastError")][QStringLiteral("errorNum")].toDouble(-1));
        QCOMPARE(m.value("repldesk_replication_applier_last_error_number", System), 1412.0);
        QCOMPARE(m.value("repldesk_replication_applier_last_applied_tick", System),
                 double(tickOf(st.value(QStringLiteral("lastAppliedContinuousTick")))));
        const Labels lagging{{QStringLiteral("database"), QStringLiteral("lagging")}};
        QCOMPARE(m.value("repldesk_replication_applier_running", lagging), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
