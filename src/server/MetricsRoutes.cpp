// GET /_admin/metrics/v2: the server's figures in Prometheus' text format. Everything is read
// from what the engine keeps in memory (relaxed atomics, the applier and logger states, the
// replicator's job list), each under its own short lock at most: no SQLite, and nothing that
// waits for the writer.
#include "core/Clock.h"
#include "engine/ApplierManager.h"
#include "engine/couch/replicator/ReplicationManager.h"
#include "server/HttpMetrics.h"
#include "server/PrometheusText.h"
#include "server/RouteHelpers.h"
#include "server/Routes.h"

#include <QDir>
#include <QFile>

#include <optional>

#include <sys/resource.h>
#include <unistd.h>

namespace repl::server {

namespace {

using Counter = ReplicationCounters::Counter;

// ArangoDB's names, where our appliers and syncers count the same thing (summed over
// databases, as ArangoDB sums its own); times in milliseconds, as ArangoDB has them.
struct ArangoCounter
{
    const char *name;
    const char *help;
    Counter ReplicationCounters::*counter;
    bool micros; // written as milliseconds
};

constexpr ArangoCounter ArangoCounters[] = {
    {"arangodb_replication_dump_requests_total", "Dump requests a sync sent to a leader.",
     &ReplicationCounters::dumpRequests, false},
    {"arangodb_replication_dump_bytes_received_total", "Bytes of dump answers received.",
     &ReplicationCounters::dumpBytesReceived, false},
    {"arangodb_replication_dump_documents_total", "Documents received in dump answers.",
     &ReplicationCounters::dumpDocuments, false},
    {"arangodb_replication_dump_request_time_total", "Milliseconds spent waiting for dump answers.",
     &ReplicationCounters::dumpRequestMicros, true},
    {"arangodb_replication_dump_apply_time_total", "Milliseconds spent storing dumped documents.",
     &ReplicationCounters::dumpApplyMicros, true},
    {"arangodb_replication_tailing_requests_total",
     "Requests for a leader's log (logger-follow) sent by the appliers.",
     &ReplicationCounters::tailingRequests, false},
    {"arangodb_replication_tailing_follow_tick_failures_total",
     "Log requests whose start tick the leader no longer had.",
     &ReplicationCounters::tailingFollowTickFailures, false},
    {"arangodb_replication_tailing_markers_total", "Log events (markers) received by appliers.",
     &ReplicationCounters::tailingMarkers, false},
    {"arangodb_replication_tailing_documents_total",
     "Document inserts and replaces applied from a leader's log.",
     &ReplicationCounters::tailingDocuments, false},
    {"arangodb_replication_tailing_removals_total",
     "Document removals applied from a leader's log.", &ReplicationCounters::tailingRemovals,
     false},
    {"arangodb_replication_tailing_bytes_received_total",
     "Bytes of log answers received by appliers.", &ReplicationCounters::tailingBytesReceived,
     false},
    {"arangodb_replication_failed_connects_total",
     "Requests of appliers and syncers that got no answer from the leader.",
     &ReplicationCounters::failedConnects, false},
    {"arangodb_replication_tailing_request_time_total",
     "Milliseconds spent waiting for log answers (a repldesk leader holds a request up to 10 s "
     "while it has nothing new).",
     &ReplicationCounters::tailingRequestMicros, true},
    {"arangodb_replication_tailing_apply_time_total", "Milliseconds spent applying log events.",
     &ReplicationCounters::tailingApplyMicros, true},
};

void writeArangoCounters(PrometheusText &out, const ReplicationCounters &counters)
{
    for (const ArangoCounter &c : ArangoCounters) {
        const quint64 value = ReplicationCounters::read(counters.*(c.counter));
        out.family(c.name, "counter", QString::fromLatin1(c.help));
        if (c.micros)
            out.sample(c.name, double(value) / 1000.0);
        else
            out.sample(c.name, value);
    }
}

struct DatabaseFigures
{
    QString name;
    bool hasApplier = false; // configured, started or holding state: its gauges are shown
    ApplierStatus applier;
    bool loggerRunning = false;
    DatabaseLogState log;
    qint64 loggerClients = 0;
};

QList<DatabaseFigures> databaseFigures(Engine &engine)
{
    QList<DatabaseFigures> out;
    const auto catalog = engine.catalog();
    QStringList names = catalog->databaseNames();
    names.sort();
    for (const QString &name : std::as_const(names)) {
        const DatabaseInfo *db = catalog->database(name);
        if (!db)
            continue;
        DatabaseFigures f;
        f.name = name;
        f.applier = engine.appliers().status(db->id);
        f.hasApplier = f.applier.running || f.applier.hasTicks || !f.applier.endpoint.isEmpty() ||
                       f.applier.phase != u"inactive";
        f.loggerRunning = db->loggerRunning;
        f.log = engine.loggerState().state(db->id);
        f.loggerClients = engine.loggerState().clients(db->id).size();
        out.append(std::move(f));
    }
    return out;
}

// One gauge family with a sample per database that `take` gives a value for.
template<class F>
void perDatabase(PrometheusText &out, const QList<DatabaseFigures> &dbs, const QByteArray &name,
                 const QByteArray &type, const QString &help, F take)
{
    out.family(name, type, help);
    for (const DatabaseFigures &db : dbs)
        if (const std::optional<double> v = take(db))
            out.sample(name, {{"database", db.name}}, *v);
}

void writeAppliers(PrometheusText &out, const QList<DatabaseFigures> &dbs)
{
    const qint64 nowMs = Clock::now().toMSecsSinceEpoch();
    auto applier = [](auto get) {
        return [get](const DatabaseFigures &db) -> std::optional<double> {
            if (!db.hasApplier)
                return std::nullopt;
            return double(get(db.applier));
        };
    };
    perDatabase(out, dbs, "repldesk_replication_applier_running", "gauge",
                QStringLiteral("1 while the database's applier runs, else 0."),
                applier([](const ApplierStatus &s) { return s.running ? 1 : 0; }));
    out.family("repldesk_replication_applier_state", "gauge",
               QStringLiteral("The applier's phase: 1 for the current one (inactive, running, "
                              "syncing, stopped), 0 for the others."));
    static const QStringList phases{QStringLiteral("inactive"), QStringLiteral("running"),
                                    QStringLiteral("syncing"), QStringLiteral("stopped")};
    for (const DatabaseFigures &db : dbs) {
        if (!db.hasApplier)
            continue;
        QStringList shown = phases;
        if (!shown.contains(db.applier.phase))
            shown.append(db.applier.phase);
        for (const QString &phase : std::as_const(shown))
            out.sample("repldesk_replication_applier_state",
                       {{"database", db.name}, {"state", phase}},
                       quint64(phase == db.applier.phase ? 1 : 0));
    }
    perDatabase(out, dbs, "repldesk_replication_applier_last_error_number", "gauge",
                QStringLiteral("errorNum of the applier's last error (0: none; 1412: stopped by "
                               "the operator), as applier-state's lastError shows it."),
                applier([](const ApplierStatus &s) { return s.lastErrorNum; }));
    perDatabase(
        out, dbs, "repldesk_replication_applier_last_applied_tick", "gauge",
        QStringLiteral("Last tick of the leader's log applied (lastAppliedContinuousTick)."),
        applier([](const ApplierStatus &s) { return s.lastAppliedContinuousTick; }));
    perDatabase(out, dbs, "repldesk_replication_applier_leader_tick", "gauge",
                QStringLiteral("The leader's last tick known to the applier "
                               "(lastAvailableContinuousTick)."),
                applier([](const ApplierStatus &s) { return s.lastAvailableContinuousTick; }));
    perDatabase(out, dbs, "repldesk_replication_applier_lag_ticks", "gauge",
                QStringLiteral("The leader's last tick known to the applier minus the last "
                               "applied tick."),
                applier([](const ApplierStatus &s) { return s.ticksBehind(); }));
    perDatabase(out, dbs, "repldesk_replication_applier_lag_seconds", "gauge",
                QStringLiteral("0 when caught up, else the seconds since the applied tick last "
                               "reached the leader's."),
                applier([nowMs](const ApplierStatus &s) { return s.lagSeconds(nowMs); }));
}

void writeLoggers(PrometheusText &out, const QList<DatabaseFigures> &dbs)
{
    perDatabase(
        out, dbs, "repldesk_replication_logger_running", "gauge",
        QStringLiteral("1 while the database's replication logger runs, else 0."),
        [](const DatabaseFigures &db) { return std::optional(db.loggerRunning ? 1.0 : 0); });
    perDatabase(
        out, dbs, "repldesk_replication_logger_last_tick", "gauge",
        QStringLiteral("Last tick the database's logger wrote (logger-state lastLogTick)."),
        [](const DatabaseFigures &db) { return std::optional(double(db.log.lastLogTick)); });
    perDatabase(
        out, dbs, "repldesk_replication_logger_events_total", "counter",
        QStringLiteral("Events the database's logger wrote since the server started."),
        [](const DatabaseFigures &db) { return std::optional(double(db.log.totalEvents)); });
    perDatabase(out, dbs, "repldesk_replication_logger_clients", "gauge",
                QStringLiteral("Followers that read the database's log since the server started "
                               "(logger-state clients)."),
                [](const DatabaseFigures &db) { return std::optional(double(db.loggerClients)); });
}

// Where the jobs' time goes, by request kind: the summed waits overlap (several batches are
// in flight), so their shares say which request holds a run up.
void writeCouchRequests(PrometheusText &out, const ReplicationManager *manager)
{
    using Kind = CouchRequestCounters::Kind;
    struct Family
    {
        const char *name;
        const char *help;
        quint64 CouchRequestCounters::Figures::*field;
        bool micros;
    };
    static constexpr Family Families[] = {
        {"repldesk_couch_replication_requests_total",
         "Requests CouchDB replication jobs sent, by kind (retries counted apart).",
         &CouchRequestCounters::Figures::requests, false},
        {"repldesk_couch_replication_request_wait_seconds_total",
         "Seconds CouchDB replication jobs waited for answers, by request kind (a continuous "
         "job's long-poll waits included).",
         &CouchRequestCounters::Figures::waitMicros, true},
        {"repldesk_couch_replication_request_handling_seconds_total",
         "Seconds the replication thread spent on answers, by request kind.",
         &CouchRequestCounters::Figures::handleMicros, true},
    };
    for (const Family &family : Families) {
        out.family(family.name, "counter", QString::fromLatin1(family.help));
        for (int k = 0; k < CouchRequestCounters::KindCount; ++k) {
            const auto figures = manager ? manager->requestCounters().figures(Kind(k))
                                         : CouchRequestCounters::Figures{};
            const quint64 value = figures.*(family.field);
            const CouchRequestCounters::Kind kind = Kind(k);
            const PrometheusText::Labels labels{
                {"request", QString::fromLatin1(CouchRequestCounters::name(kind))}};
            if (family.micros)
                out.sample(family.name, labels, double(value) / 1e6);
            else
                out.sample(family.name, labels, value);
        }
    }
}

void writeCouchJobs(PrometheusText &out, Engine &engine)
{
    const ReplicationManager *manager = engine.service<ReplicationManager>();
    const ReplicationManager::Figures f =
        manager ? manager->figures() : ReplicationManager::Figures{};
    out.family("repldesk_couch_replication_jobs", "gauge",
               QStringLiteral("CouchDB replication jobs (/_replicate and _replicator documents) "
                              "this process knows, by state."));
    QMap<QString, qint64> states = f.jobsByState;
    for (const char *s : {"initializing", "running", "pending", "crashing", "completed", "failed"})
        states.insert(QString::fromLatin1(s), states.value(QString::fromLatin1(s)));
    for (auto it = states.cbegin(); it != states.cend(); ++it)
        out.sample("repldesk_couch_replication_jobs", {{"state", it.key()}}, quint64(it.value()));
    out.single("repldesk_couch_replication_docs_read_total", "counter",
               QStringLiteral("Documents CouchDB replication jobs read from their sources."),
               double(f.docsRead));
    out.single("repldesk_couch_replication_docs_written_total", "counter",
               QStringLiteral("Documents CouchDB replication jobs wrote to their targets."),
               double(f.docsWritten));
    out.single("repldesk_couch_replication_doc_write_failures_total", "counter",
               QStringLiteral("Documents CouchDB replication jobs failed to write."),
               double(f.docWriteFailures));
    writeCouchRequests(out, manager);
}

// /proc/self/stat's fields after the command name (field 3 on).
QList<QByteArray> procStatFields()
{
    QFile f(QStringLiteral("/proc/self/stat"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray line = f.readAll();
    return line.mid(line.lastIndexOf(')') + 2).split(' ');
}

double processStartTime()
{
    static const double start = [] {
        const QList<QByteArray> fields = procStatFields();
        QFile f(QStringLiteral("/proc/stat"));
        if (fields.size() < 20 || !f.open(QIODevice::ReadOnly))
            return 0.0;
        qint64 bootTime = 0;
        for (const QByteArray &line : f.readAll().split('\n'))
            if (line.startsWith("btime "))
                bootTime = line.mid(6).trimmed().toLongLong();
        return double(bootTime) + fields[19].toDouble() / double(sysconf(_SC_CLK_TCK));
    }();
    return start;
}

void writeProcess(PrometheusText &out)
{
    const QList<QByteArray> stat = procStatFields();
    if (stat.size() > 21) {
        const double ticks = double(sysconf(_SC_CLK_TCK));
        out.single("process_cpu_seconds_total", "counter",
                   QStringLiteral("User and system CPU time spent, in seconds."),
                   (stat[11].toDouble() + stat[12].toDouble()) / ticks);
        out.single("process_resident_memory_bytes", "gauge",
                   QStringLiteral("Resident memory size in bytes."),
                   stat[21].toDouble() * double(sysconf(_SC_PAGESIZE)));
    }
    const qsizetype fds = QDir(QStringLiteral("/proc/self/fd"))
                              .entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot)
                              .size();
    out.single("process_open_fds", "gauge", QStringLiteral("Open file descriptors."), double(fds));
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0)
        out.single("process_max_fds", "gauge",
                   QStringLiteral("Most file descriptors the process may open."),
                   double(limit.rlim_cur));
    out.single("process_start_time_seconds", "gauge",
               QStringLiteral("Start time of the process since the Unix epoch, in seconds."),
               processStartTime());
}

} // namespace

void registerMetricsRoutes(Router &router, std::shared_ptr<const HttpMetrics> http)
{
    router.add(GET, QStringLiteral("_admin/metrics/v2"), [http](Context &ctx) {
        PrometheusText out;
        writeArangoCounters(out, ctx.engine.appliers().counters());
        out.single("repldesk_last_tick", "gauge",
                   QStringLiteral("The server's last tick (every change takes the next one)."),
                   double(ctx.engine.lastTick()));
        const QList<DatabaseFigures> dbs = databaseFigures(ctx.engine);
        writeAppliers(out, dbs);
        writeLoggers(out, dbs);
        writeCouchJobs(out, ctx.engine);
        http->write(out);
        writeProcess(out);
        return Response::raw(200, out.text(), PrometheusText::ContentType);
    });
}

} // namespace repl::server
