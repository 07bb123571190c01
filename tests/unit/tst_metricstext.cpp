// ops::Metrics, the reader of Prometheus' text format: the shape our own repldesk-server
// writes (a text as its /_admin/metrics/v2 answered, and a round trip through the server's own
// writer), a text written from ArangoDB's public documentation of /_admin/metrics/v2, the
// shape CouchDB 3.4.3 answers at /_node/_local/_prometheus, what is tolerated and what is
// refused with its line, and how long a large text takes.
#include "ops/Metrics.h"
#include "server/PrometheusText.h"

#include <QElapsedTimer>
#include <QTest>

#include <cmath>

using namespace repl::ops;

namespace {

// Trimmed from what a repldesk-server follower answered at /_admin/metrics/v2 with its applier
// following a leader (30 documents applied): the families keep their HELP and TYPE lines and
// their samples exactly as served.
const char *const OurServerText =
    R"(# HELP arangodb_replication_dump_requests_total Dump requests a sync sent to a leader.
# TYPE arangodb_replication_dump_requests_total counter
arangodb_replication_dump_requests_total 1
# HELP arangodb_replication_tailing_documents_total Document inserts and replaces applied from a leader's log.
# TYPE arangodb_replication_tailing_documents_total counter
arangodb_replication_tailing_documents_total 30
# HELP arangodb_replication_tailing_apply_time_total Milliseconds spent applying log events.
# TYPE arangodb_replication_tailing_apply_time_total counter
arangodb_replication_tailing_apply_time_total 1.548
# HELP repldesk_last_tick The server's last tick (every change takes the next one).
# TYPE repldesk_last_tick gauge
repldesk_last_tick 34
# HELP repldesk_replication_applier_state The applier's phase: 1 for the current one (inactive, running, syncing, stopped), 0 for the others.
# TYPE repldesk_replication_applier_state gauge
repldesk_replication_applier_state{database="_system",state="inactive"} 0
repldesk_replication_applier_state{database="_system",state="running"} 1
repldesk_replication_applier_state{database="_system",state="syncing"} 0
repldesk_replication_applier_state{database="_system",state="stopped"} 0
# HELP repldesk_replication_applier_lag_ticks The leader's last tick known to the applier minus the last applied tick.
# TYPE repldesk_replication_applier_lag_ticks gauge
repldesk_replication_applier_lag_ticks{database="_system"} 0
# HELP repldesk_http_requests_total HTTP requests answered, by method and status class (early answers of the connection guard included).
# TYPE repldesk_http_requests_total counter
repldesk_http_requests_total{method="PUT",status_class="2xx"} 3
# HELP repldesk_http_request_duration_seconds Time from a request being read to its answer's status line (a long-poll includes its wait).
# TYPE repldesk_http_request_duration_seconds histogram
repldesk_http_request_duration_seconds_bucket{le="0.0005"} 0
repldesk_http_request_duration_seconds_bucket{le="0.001"} 1
repldesk_http_request_duration_seconds_bucket{le="0.0025"} 2
repldesk_http_request_duration_seconds_bucket{le="30"} 3
repldesk_http_request_duration_seconds_bucket{le="+Inf"} 3
repldesk_http_request_duration_seconds_sum 0.011594
repldesk_http_request_duration_seconds_count 3
# HELP process_open_fds Open file descriptors.
# TYPE process_open_fds gauge
process_open_fds 23
)";

// Written for this test from ArangoDB's public documentation only; no ArangoDB output was
// copied, and the HELP texts are ours. The facts used:
//  - GET /_admin/metrics/v2 answers in Prometheus' format from 3.8 on, every metric named
//    arangodb_… or rocksdb_… (the endpoint's API documentation; 3.8 release notes).
//  - arangodb_replication_dump_requests_total, arangodb_replication_tailing_documents_total
//    (counters, "number") and arangodb_replication_tailing_request_time_total (a counter in
//    ms) are replication metrics (ArangoDB's metrics reference).
//  - Samples carry the server's labels, e.g. role="SINGLE"; from 3.10.0 to 3.10.5 nothing
//    separated a labelled sample's `}` from its value, and from 3.10.6 on a blank does unless
//    --server.ensure-whitespace-metrics-format is false (3.11 release notes, "Configurable
//    whitespace in metrics", whose example is `…{role="SINGLE"}0` against `…{role="SINGLE"} 0`).
//  - arangodb_client_connection_statistics_connection_time is a histogram in seconds
//    (metrics reference), so it comes as _bucket{le=…}, _sum and _count.
const char *const ArangoDocumentedText =
    R"(# HELP arangodb_replication_dump_requests_total Dump requests (our words).
# TYPE arangodb_replication_dump_requests_total counter
arangodb_replication_dump_requests_total{role="SINGLE"}4
# HELP arangodb_replication_tailing_documents_total Documents applied from the log (our words).
# TYPE arangodb_replication_tailing_documents_total counter
arangodb_replication_tailing_documents_total{role="SINGLE"} 1200
# HELP arangodb_replication_tailing_request_time_total Wait for tailing answers in ms (our words).
# TYPE arangodb_replication_tailing_request_time_total counter
arangodb_replication_tailing_request_time_total{role="SINGLE"}845.5
# HELP arangodb_client_connection_statistics_connection_time Connection time (our words).
# TYPE arangodb_client_connection_statistics_connection_time histogram
arangodb_client_connection_statistics_connection_time_bucket{role="SINGLE",le="0.01"}2
arangodb_client_connection_statistics_connection_time_bucket{role="SINGLE",le="1"}5
arangodb_client_connection_statistics_connection_time_bucket{role="SINGLE",le="+Inf"}6
arangodb_client_connection_statistics_connection_time_sum{role="SINGLE"}12.25
arangodb_client_connection_statistics_connection_time_count{role="SINGLE"}6
)";

// The shape the real CouchDB 3.4.3 of shared/peers/couchdb answered at
// /_node/_local/_prometheus here (names and help texts are ours): every HELP line ends with a
// CR alone and its TYPE line with a LF; a blank line between families; summaries with
// quantile labels. CouchDB's documentation shows families with a TYPE line only.
const char *const CouchText = "\n"
                              "# HELP couchdb_x_requests_total requests seen\r"
                              "# TYPE couchdb_x_requests_total counter\n"
                              "couchdb_x_requests_total{level=\"info\"} 8\n"
                              "couchdb_x_requests_total{level=\"notice\"} 51\n"
                              "\n"
                              "# TYPE couchdb_x_open gauge\n"
                              "couchdb_x_open 3\n"
                              "\n"
                              "# HELP couchdb_x_time_seconds time taken\r"
                              "# TYPE couchdb_x_time_seconds summary\n"
                              "couchdb_x_time_seconds{quantile=\"0.5\"} 0.0135\n"
                              "couchdb_x_time_seconds{quantile=\"0.99\"} 0.02\n"
                              "couchdb_x_time_seconds_sum 0.5\n"
                              "couchdb_x_time_seconds_count 30\n";

Metrics parsed(const QByteArray &text)
{
    MetricsParseError error;
    std::optional<Metrics> m = Metrics::parse(text, &error);
    if (!m)
        qWarning().noquote() << "not parsed:" << error.toString();
    return m.value_or(Metrics());
}

} // namespace

class TestMetricsText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ourServerShape()
    {
        MetricsParseError error;
        const std::optional<Metrics> m = Metrics::parse(OurServerText, &error);
        QVERIFY2(m, qPrintable(error.toString()));
        QStringList names;
        for (const MetricFamily &f : m->families())
            names << f.name;
        QCOMPARE(
            names,
            (QStringList{"arangodb_replication_dump_requests_total",
                         "arangodb_replication_tailing_documents_total",
                         "arangodb_replication_tailing_apply_time_total", "repldesk_last_tick",
                         "repldesk_replication_applier_state",
                         "repldesk_replication_applier_lag_ticks", "repldesk_http_requests_total",
                         "repldesk_http_request_duration_seconds", "process_open_fds"}));
        const MetricFamily *docs = m->family(u"arangodb_replication_tailing_documents_total");
        QVERIFY(docs);
        QCOMPARE(docs->type, MetricType::Counter);
        QCOMPARE(docs->help,
                 QStringLiteral("Document inserts and replaces applied from a leader's log."));
        QCOMPARE(docs->samples.size(), 1);
        QCOMPARE(docs->samples[0].value, 30.0);
        QVERIFY(!docs->samples[0].timestampMs);
        QCOMPARE(m->value(u"arangodb_replication_tailing_apply_time_total").value_or(-1), 1.548);

        const MetricFamily *state = m->family(u"repldesk_replication_applier_state");
        QCOMPARE(state->type, MetricType::Gauge);
        QCOMPARE(state->samples.size(), 4);
        QCOMPARE(state->samples[1].labels,
                 (MetricLabels{{"database", "_system"}, {"state", "running"}}));
        QCOMPARE(state->samples[1].labelText(),
                 QStringLiteral("database=\"_system\", state=\"running\""));
        QCOMPARE(
            m->value(u"repldesk_replication_applier_state", {{"state", "running"}}).value_or(-1),
            1.0);
        // Four samples have database="_system": which one is meant is not known.
        QVERIFY(!m->value(u"repldesk_replication_applier_state", {{"database", "_system"}}));

        const MetricFamily *h = m->family(u"repldesk_http_request_duration_seconds");
        QCOMPARE(h->type, MetricType::Histogram);
        QCOMPARE(h->samples.size(), 7); // buckets, _sum and _count, in one family
        QCOMPARE(h->samples[4].name,
                 QStringLiteral("repldesk_http_request_duration_seconds_bucket"));
        QCOMPARE(h->samples[4].label(u"le"), QStringLiteral("+Inf"));
        QCOMPARE(h->samples[6].name,
                 QStringLiteral("repldesk_http_request_duration_seconds_count"));
        QCOMPARE(h->samples[6].value, 3.0);
        QVERIFY(!m->family(u"repldesk_http_request_duration_seconds_bucket"));
        QVERIFY(h->isCumulative(h->samples[0]));
        QVERIFY(docs->isCumulative(docs->samples[0]));
        QVERIFY(!state->isCumulative(state->samples[0]));
    }

    // What our server's writer (server/PrometheusText) writes, read back exactly: escapes in
    // help texts and label values, large counters, non-finite values.
    void roundTripThroughOurWriter()
    {
        repl::server::PrometheusText out;
        out.family("repldesk_a_total", "counter",
                   QStringLiteral("Back\\slash, \"quotes\" and a\nline end; ünïcödé."));
        out.sample("repldesk_a_total", {{"database", QStringLiteral("we\"ird\\db\nname")}},
                   quint64(18446744073709551615ull));
        out.sample("repldesk_a_total", {{"database", QStringLiteral("b")}}, 0.125);
        out.family("repldesk_b", "gauge", QStringLiteral("Not finite."));
        out.sample("repldesk_b", {{"k", QStringLiteral("nan")}},
                   std::numeric_limits<double>::quiet_NaN());
        out.sample("repldesk_b", {{"k", QStringLiteral("+inf")}},
                   std::numeric_limits<double>::infinity());
        out.sample("repldesk_b", {{"k", QStringLiteral("-inf")}},
                   -std::numeric_limits<double>::infinity());
        const Metrics m = parsed(out.text());
        QCOMPARE(m.families().size(), 2);
        const MetricFamily &a = m.families()[0];
        QCOMPARE(a.help, QStringLiteral("Back\\slash, \"quotes\" and a\nline end; ünïcödé."));
        QCOMPARE(a.samples[0].label(u"database"), QStringLiteral("we\"ird\\db\nname"));
        QCOMPARE(a.samples[0].value, 18446744073709551615.0);
        QCOMPARE(a.samples[1].value, 0.125);
        const MetricFamily &b = m.families()[1];
        QVERIFY(std::isnan(b.samples[0].value));
        QCOMPARE(b.samples[1].value, std::numeric_limits<double>::infinity());
        QCOMPARE(b.samples[2].value, -std::numeric_limits<double>::infinity());
    }

    void arangoDbDocumentedFormat()
    {
        MetricsParseError error;
        const std::optional<Metrics> m = Metrics::parse(ArangoDocumentedText, &error);
        QVERIFY2(m, qPrintable(error.toString()));
        QCOMPARE(m->families().size(), 4);
        const MetricLabels single{{"role", "SINGLE"}};
        QCOMPARE(m->value(u"arangodb_replication_dump_requests_total", single).value_or(-1),
                 4.0); // "}4"
        QCOMPARE(m->value(u"arangodb_replication_tailing_documents_total", single).value_or(-1),
                 1200.0);
        QCOMPARE(m->value(u"arangodb_replication_tailing_request_time_total").value_or(-1), 845.5);
        const MetricFamily *h = m->family(u"arangodb_client_connection_statistics_connection_time");
        QVERIFY(h);
        QCOMPARE(h->type, MetricType::Histogram);
        QCOMPARE(h->samples.size(), 5);
        QCOMPARE(h->samples[2].labels, (MetricLabels{{"role", "SINGLE"}, {"le", "+Inf"}}));
        QCOMPARE(
            m->value(u"arangodb_client_connection_statistics_connection_time_sum").value_or(-1),
            12.25);
        QCOMPARE(
            m->value(u"arangodb_client_connection_statistics_connection_time_count").value_or(-1),
            6.0);
    }

    void couchDbShape()
    {
        MetricsParseError error;
        const std::optional<Metrics> m = Metrics::parse(CouchText, &error);
        QVERIFY2(m, qPrintable(error.toString()));
        QCOMPARE(m->families().size(), 3);
        const MetricFamily &requests = m->families()[0];
        QCOMPARE(requests.name, QStringLiteral("couchdb_x_requests_total"));
        QCOMPARE(requests.type, MetricType::Counter); // the TYPE after the CR
        QCOMPARE(requests.help, QStringLiteral("requests seen"));
        QCOMPARE(requests.samples.size(), 2);
        QCOMPARE(m->families()[1].type, MetricType::Gauge);
        QVERIFY(m->families()[1].help.isEmpty());
        const MetricFamily &time = m->families()[2];
        QCOMPARE(time.type, MetricType::Summary);
        QCOMPARE(time.help, QStringLiteral("time taken"));
        QCOMPARE(time.samples.size(), 4);
        QVERIFY(!time.isCumulative(time.samples[0])); // a quantile
        QVERIFY(time.isCumulative(time.samples[3]));  // _count
        // A HELP text that merely mentions another family's TYPE stays a text.
        const Metrics other = parsed("# HELP a see # TYPE b counter\na 1\n");
        QCOMPARE(other.families()[0].help, QStringLiteral("see # TYPE b counter"));
        QCOMPARE(other.families()[0].type, MetricType::Untyped);
    }

    void tolerated_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("labels");
        QTest::addColumn<double>("value");
        QTest::addColumn<qint64>("timestamp"); // -1: none
        QTest::newRow("plain") << QByteArray("a 1\n") << "a"
                               << "" << 1.0 << qint64(-1);
        QTest::newRow("no final line end") << QByteArray("a 2") << "a"
                                           << "" << 2.0 << qint64(-1);
        QTest::newRow("CRLF") << QByteArray("# TYPE a gauge\r\na 3\r\n") << "a"
                              << "" << 3.0 << qint64(-1);
        QTest::newRow("CR alone") << QByteArray("# HELP a x\r# TYPE a gauge\ra 3.5\r") << "a"
                                  << "" << 3.5 << qint64(-1);
        QTest::newRow("timestamp") << QByteArray("a{x=\"1\"} 4 1712345678901\n") << "a"
                                   << "x=\"1\"" << 4.0 << qint64(1712345678901);
        QTest::newRow("negative timestamp") << QByteArray("a 5 -1000\n") << "a"
                                            << "" << 5.0 << qint64(-1000);
        QTest::newRow("tabs and blanks")
            << QByteArray("  \ta { x = \"1\" , y=\"2\" }\t6  \n") << "a"
            << "x=\"1\", y=\"2\"" << 6.0 << qint64(-1);
        QTest::newRow("comma before }") << QByteArray("a{x=\"1\",} 7\n") << "a"
                                        << "x=\"1\"" << 7.0 << qint64(-1);
        QTest::newRow("no blank after }") << QByteArray("a{x=\"1\"}8\n") << "a"
                                          << "x=\"1\"" << 8.0 << qint64(-1);
        QTest::newRow("empty labels") << QByteArray("a{} 9\n") << "a"
                                      << "" << 9.0 << qint64(-1);
        QTest::newRow("exponent") << QByteArray("a 1.5e3\n") << "a"
                                  << "" << 1500.0 << qint64(-1);
        QTest::newRow("sign") << QByteArray("a -0.25\n") << "a"
                              << "" << -0.25 << qint64(-1);
        QTest::newRow("colon in name") << QByteArray("job:a:rate5m 10\n") << "job:a:rate5m"
                                       << "" << 10.0 << qint64(-1);
        QTest::newRow("comments") << QByteArray("# just a comment\n#\n# HELPING hand\na 11\n")
                                  << "a"
                                  << "" << 11.0 << qint64(-1);
        QTest::newRow("HELP without a blank after #") << QByteArray("#HELP a text\na 12\n") << "a"
                                                      << "" << 12.0 << qint64(-1);
        QTest::newRow("other escapes kept")
            << QByteArray("a{p=\"C:\\\\dir\\\\x\\t\\\"q\\\"\"} 13\n") << "a"
            << "p=\"C:\\dir\\x\\t\"q\"\"" << 13.0 << qint64(-1);
        QTest::newRow("UTF-8 label") << QByteArray("a{n=\"Grüße\"} 14\n") << "a"
                                     << QStringLiteral("n=\"Grüße\"") << 14.0 << qint64(-1);
        QTest::newRow("repeated TYPE") << QByteArray("# TYPE a counter\na 1\n# TYPE a counter\n"
                                                     "a{x=\"y\"} 15\n")
                                       << "a"
                                       << "x=\"y\"" << 15.0 << qint64(-1);
    }
    void tolerated()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, name);
        QFETCH(QString, labels);
        QFETCH(double, value);
        QFETCH(qint64, timestamp);
        MetricsParseError error;
        const std::optional<Metrics> m = Metrics::parse(text, &error);
        QVERIFY2(m, qPrintable(error.toString()));
        QCOMPARE(m->families().size(), 1);
        const MetricSample &s = m->families()[0].samples.last();
        QCOMPARE(s.name, name);
        QCOMPARE(s.labelText(), labels);
        QCOMPARE(s.value, value);
        QCOMPARE(s.timestampMs.value_or(-1), timestamp);
    }

    void nonFiniteValues_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<double>("value");
        const double inf = std::numeric_limits<double>::infinity();
        QTest::newRow("+Inf") << QByteArray("+Inf") << inf;
        QTest::newRow("Inf") << QByteArray("Inf") << inf;
        QTest::newRow("inf") << QByteArray("inf") << inf;
        QTest::newRow("-Inf") << QByteArray("-Inf") << -inf;
        QTest::newRow("+infinity") << QByteArray("+infinity") << inf;
        QTest::newRow("NaN") << QByteArray("NaN") << std::numeric_limits<double>::quiet_NaN();
        QTest::newRow("nan") << QByteArray("nan") << std::numeric_limits<double>::quiet_NaN();
    }
    void nonFiniteValues()
    {
        QFETCH(QByteArray, token);
        QFETCH(double, value);
        const Metrics m = parsed("a " + token + '\n');
        QCOMPARE(m.families().size(), 1);
        const double v = m.families()[0].samples[0].value;
        if (std::isnan(value))
            QVERIFY(std::isnan(v));
        else
            QCOMPARE(v, value);
    }

    void refused_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("message");
        QTest::newRow("no value") << QByteArray("a 1\nb\n") << 2 << "b has no value";
        QTest::newRow("lines counted at CR, LF and CRLF")
            << QByteArray("a 1\rb 2\r\nc 3\nd\n") << 4 << "d has no value";
        QTest::newRow("no value after labels")
            << QByteArray("a{x=\"1\"}\n") << 1 << "a has no value";
        QTest::newRow("not a number")
            << QByteArray("\n\na one\n") << 3 << "'one' is not a number (the value of a)";
        QTest::newRow("hex") << QByteArray("a 0x10\n") << 1 << "'0x10' is not a number";
        QTest::newRow("bad name") << QByteArray("1a 2\n") << 1
                                  << "expected a metric name, found '1a 2'";
        QTest::newRow("bad char in name")
            << QByteArray("a-b 2\n") << 1 << "'a-b' is not a metric name";
        QTest::newRow("unterminated value")
            << QByteArray("a{x=\"1} 2\n") << 1 << "the value of label x of a has no closing '\"'";
        QTest::newRow("unquoted value")
            << QByteArray("a{x=1} 2\n") << 1 << "the value of label x of a is not in double quotes";
        QTest::newRow("no =") << QByteArray("a{x} 2\n") << 1 << "label x of a has no '='";
        QTest::newRow("bad label name")
            << QByteArray("a{1x=\"1\"} 2\n") << 1 << "expected a label name in a, found '1'";
        QTest::newRow("colon in label name")
            << QByteArray("a{x:y=\"1\"} 2\n") << 1 << "label x of a has no '='";
        QTest::newRow("label twice")
            << QByteArray("a{x=\"1\",x=\"2\"} 2\n") << 1 << "label x is given twice in a";
        QTest::newRow("labels not closed")
            << QByteArray("a{x=\"1\"\n") << 1 << "expected ',' or '}' after label x of a";
        QTest::newRow("labels end early")
            << QByteArray("a{x=\"1\",\n") << 1 << "the labels of a are not closed with '}'";
        QTest::newRow("bad timestamp")
            << QByteArray("a 1 1.5\n") << 1 << "'1.5' is not a timestamp in milliseconds";
        QTest::newRow("after timestamp")
            << QByteArray("a 1 2 3\n") << 1 << "unexpected '3' after the timestamp of a";
        QTest::newRow("unknown type")
            << QByteArray("# TYPE a countr\n") << 1 << "unknown type 'countr' of a";
        QTest::newRow("TYPE without type")
            << QByteArray("# TYPE a\n") << 1 << "the TYPE line of a gives no type";
        QTest::newRow("TYPE without name")
            << QByteArray("# TYPE\n") << 1 << "the TYPE line names no metric";
        QTest::newRow("HELP without name")
            << QByteArray("# HELP \n") << 1 << "the HELP line names no metric";
        QTest::newRow("TYPE with more") << QByteArray("# TYPE a gauge extra\n") << 1
                                        << "unexpected 'extra' after the TYPE line of a";
        QTest::newRow("contradicting TYPE")
            << QByteArray("# TYPE a gauge\na 1\n# TYPE a counter\n") << 3
            << "a second TYPE line for a says counter, the first said gauge";
        QTest::newRow("TYPE after samples") << QByteArray("a 1\n# TYPE a gauge\n") << 2
                                            << "the TYPE line for a comes after its samples";
    }
    void refused()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, line);
        QFETCH(QString, message);
        MetricsParseError error;
        QVERIFY(!Metrics::parse(text, &error));
        QCOMPARE(error.line, line);
        QVERIFY2(error.message.startsWith(message), qPrintable(error.message));
        QVERIFY(error.toString().startsWith(QStringLiteral("line %1: ").arg(line)));
        QVERIFY(!Metrics::parse(text)); // no error wanted: still refused
    }

    // A large text (1.5 MB, 20,000 labelled samples in 200 families) is read in tens of
    // milliseconds at most (about 20 here), on the pool thread ServerOps gives it.
    void largeTextIsQuick()
    {
        QByteArray text;
        for (int f = 0; f < 200; ++f) {
            const QByteArray name = "arangodb_family_" + QByteArray::number(f) + "_total";
            text += "# HELP " + name + " A family of a large text.\n# TYPE " + name + " counter\n";
            for (int s = 0; s < 100; ++s)
                text += name + "{role=\"SINGLE\",shard=\"s" + QByteArray::number(s) +
                        "\",database=\"db\"} " + QByteArray::number(f * 1000 + s) + '\n';
        }
        QVERIFY(text.size() > 1'000'000);
        QElapsedTimer clock;
        clock.start();
        const Metrics m = parsed(text);
        const qint64 ms = clock.elapsed();
        qInfo("%lld bytes, %d families read in %lld ms", qint64(text.size()),
              int(m.families().size()), ms);
        QCOMPARE(m.families().size(), 200);
        QCOMPARE(m.families()[199].samples[99].value, 199099.0);
        QVERIFY2(ms < 1000, qPrintable(QString::number(ms)));
    }
};

QTEST_GUILESS_MAIN(TestMetricsText)
#include "tst_metricstext.moc"
