#include "BenchGuiFleet.h"

#include "BenchSupport.h"
#include "GuiProbe.h"
#include "credentials/CredentialStore.h"
#include "gui/FleetModel.h"
#include "gui/FleetOverview.h"
#include "gui/FleetWatcher.h"
#include "gui/LagChart.h"
#include "gui/LagHistory.h"
#include "gui/LeaderView.h"
#include "gui/MainWindow.h"
#include "gui/ServerList.h"
#include "support/HttpClient.h"
#include "support/ServerProcess.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QLineSeries>
#include <QSet>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTextStream>
#include <QThread>
#include <QTimer>

#include <QDir>

#include <sched.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

using repl::test::HttpClient;
using repl::test::ServerProcess;

namespace {

QTextStream &err()
{
    static QTextStream s(stderr);
    return s;
}

qint64 statusKiB(const char *field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(qsizetype(qstrlen(field))).trimmed().split(' ').value(0).toLongLong();
    return -1;
}
double rssMiB()
{
    return double(statusKiB("VmRSS:")) / 1024.0;
}
// The machine's 1-minute load average: the cores are shared (servers, builds, fuzzers).
double loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    return f.open(QIODevice::ReadOnly) ? f.readAll().split(' ').value(0).toDouble() : -1;
}

void runFor(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

template<typename F> bool waitUntil(F done, int ms)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > ms)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    }
    return true;
}

qint64 filesBytes(const QString &path)
{
    qint64 n = 0;
    for (const char *suffix : {"", "-wal", "-shm"})
        n += QFileInfo(path + QLatin1String(suffix)).size();
    return n;
}

qint64 storedSamples(const QString &path)
{
    sqlite3 *db = nullptr;
    qint64 n = -1;
    if (sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) ==
        SQLITE_OK) {
        sqlite3_stmt *st = nullptr;
        if (sqlite3_prepare_v2(db, "SELECT count(*) FROM samples", -1, &st, nullptr) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return n;
}

// Server i of the fleet: groups of four, a leader and its three followers.
bool isLeader(int i)
{
    return i % 4 == 0;
}
QString idOf(int i)
{
    return QStringLiteral("s%1").arg(i, 3, 10, QLatin1Char('0'));
}
QString nameOf(int i)
{
    const int group = i / 4 + 1;
    return isLeader(i)
               ? QStringLiteral("leader %1").arg(group, 2, 10, QLatin1Char('0'))
               : QStringLiteral("follower %1-%2").arg(group, 2, 10, QLatin1Char('0')).arg(i % 4);
}

// Every thread of the process (threads it starts later inherit it).
void renice(qint64 pid, int nice, bool idle)
{
    const QStringList tids =
        QDir(QStringLiteral("/proc/%1/task").arg(pid)).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &tid : tids) {
        if (idle) {
            const sched_param none{};
            sched_setscheduler(pid_t(tid.toInt()), SCHED_IDLE, &none);
        } else {
            setpriority(PRIO_PROCESS, id_t(tid.toUInt()), nice);
        }
    }
}

// The servers stand for machines elsewhere: their QProcess objects (a pidfd and pipes each)
// live on a thread of their own, so the app's GUI thread does not poll 300 descriptors of
// the bench's children at every pass of its event loop (70% of its CPU when they were its
// own). Made, started and destroyed on that thread; read from any.
class ServersThread
{
public:
    ServersThread()
    {
        m_thread.setObjectName(QStringLiteral("bench-servers"));
        m_thread.start();
        m_home.moveToThread(&m_thread);
    }
    ~ServersThread()
    {
        run([this] { procs.clear(); });
        m_thread.quit();
        m_thread.wait();
    }
    template<typename F> void run(F f)
    {
        QMetaObject::invokeMethod(&m_home, std::move(f), Qt::BlockingQueuedConnection);
    }

    std::vector<std::unique_ptr<ServerProcess>> procs;

private:
    QThread m_thread;
    QObject m_home;
};

// The calling thread at `nice` (0: as it is): the bench's stand-ins for other machines.
void niceThisThread(int nice)
{
    if (nice != 0)
        setpriority(PRIO_PROCESS, id_t(gettid()), nice);
}

bool follow(ServerProcess &follower, const ServerProcess &leader)
{
    HttpClient f(follower.baseUrl());
    const QJsonObject config{{QStringLiteral("endpoint"), leader.baseUrl().toString()},
                             {QStringLiteral("username"), QStringLiteral("root")},
                             {QStringLiteral("password"), ServerProcess::password()}};
    return f.put(QStringLiteral("/_api/replication/sync"), config).status == 200 &&
           f.put(QStringLiteral("/_api/replication/applier-config"), config).status == 200 &&
           f.put(QStringLiteral("/_api/replication/applier-start")).status == 200;
}

// One phase's figures, as table rows.
struct PhaseCounts
{
    qint64 polls = 0;
    qint64 failed = 0;
    qint64 samples = 0;
};

void stallRows(QList<BenchRow> &rows, const QString &phase, const GuiProbe &probe,
               double loadBefore)
{
    rows.append({phase + QStringLiteral(": GUI thread longest stall"), probe.longestMs(),
                 QStringLiteral("ms"),
                 QStringLiteral("target <= 16 ms; by tab: %1; load average %2 -> %3")
                     .arg(probe.longestByText())
                     .arg(loadBefore, 0, 'f', 1)
                     .arg(loadAverage(), 0, 'f', 1)});
    rows.append({phase + QStringLiteral(": GUI thread longest busy stretch"), probe.longestCpuMs(),
                 QStringLiteral("ms"),
                 QStringLiteral("its own CPU time in one gap (the rest of a stall: waiting for "
                                "a core)")});
    rows.append({phase + QStringLiteral(": GUI thread stall p99"), probe.percentileMs(0.99),
                 QStringLiteral("ms"),
                 QStringLiteral("%1 ticks of the 1 ms probe; p50 %2 ms")
                     .arg(probe.ticks())
                     .arg(probe.percentileMs(0.5), 0, 'f', 2)});
    rows.append({phase + QStringLiteral(": stalls over 16 ms"), double(probe.over(16)),
                 QStringLiteral("stalls"), QStringLiteral("over 8 ms: %1").arg(probe.over(8))});
}

void printTop(const QString &phase, const GuiProbe &probe)
{
    if (auto *app = dynamic_cast<TimedApplication *>(QCoreApplication::instance())) {
        err() << phase << ": longest event deliveries:";
        for (const TimedApplication::Slow &s : app->slowest())
            err() << QStringLiteral(" CPU %1 ms (wall %2) %3;")
                         .arg(s.cpuMs, 0, 'f', 1)
                         .arg(s.ms, 0, 'f', 1)
                         .arg(s.what);
        err() << Qt::endl;
        app->setTiming(true);
    }
    err() << phase << ": longest stalls:";
    for (const GuiProbe::Stall &s : probe.top())
        err() << QStringLiteral(" %1 ms (CPU %2) at %3 s (%4) [%5];")
                     .arg(s.ms, 0, 'f', 1)
                     .arg(s.cpuMs, 0, 'f', 1)
                     .arg(s.atSeconds, 0, 'f', 1)
                     .arg(s.where, s.detail);
    err() << Qt::endl;
}

} // namespace

QList<BenchRow> runFleetScenario(const FleetOptions &o)
{
    using namespace repl::gui;
    QList<BenchRow> rows;
    const int n = std::max(4, o.servers);
    const int leaders = (n + 3) / 4;

    // ---- the servers: real processes, each follower synced and applying ----
    QElapsedTimer setup;
    setup.start();
    ServersThread serverHome;
    std::vector<std::unique_ptr<ServerProcess>> &procs = serverHome.procs;
    serverHome.run([&] { niceThisThread(o.serversNice); }); // it reads the servers' output
    bool started = true;
    serverHome.run([&] {
        for (int i = 0; i < n && started; ++i) {
            procs.push_back(std::make_unique<ServerProcess>());
            if (!procs.back()->start()) {
                err() << "server " << i << ": " << procs.back()->errorString() << Qt::endl;
                started = false;
            } else if (o.serversNice != 0 || o.serversIdle) {
                renice(procs.back()->processId(), o.serversNice, o.serversIdle);
            }
        }
    });
    if (!started)
        return rows;
    for (int i = 0; i < n; ++i) {
        if (isLeader(i)) {
            HttpClient l(procs[size_t(i)]->baseUrl());
            if (l.put(QStringLiteral("/_api/replication/logger-start")).status != 200 ||
                l.post(QStringLiteral("/_api/collection"),
                       QJsonObject{{QStringLiteral("name"), QStringLiteral("c")}})
                        .status != 200) {
                err() << "leader " << i << " not ready" << Qt::endl;
                return rows;
            }
        } else if (!follow(*procs[size_t(i)], *procs[size_t(i / 4 * 4)])) {
            err() << "follower " << i << " did not start following" << Qt::endl;
            return rows;
        }
    }
    const double setupSeconds = setup.nsecsElapsed() / 1e9;
    qint64 serversKiB = 0;
    for (const auto &p : procs)
        serversKiB += ServerProcess::rssKiB(p->processId());

    // ---- the window: every server listed, the first leader selected ----
    // The app's history file (its default place), made afresh.
    const QString historyPath = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                                QStringLiteral("/lag-history.sqlite");
    for (const char *suffix : {"", "-wal", "-shm"})
        QFile::remove(historyPath + QLatin1String(suffix));
    ServerListModel servers;
    repl::CredentialStore credentials(QStringLiteral("ReplDeskBench"));
    MainWindow window(servers, credentials);
    window.resize(1400, 900);
    window.show();
    if (window.lagHistory()->path() != historyPath)
        err() << "history in " << window.lagHistory()->path() << ", not " << historyPath
              << Qt::endl;
    FleetWatcher *fleet = window.fleetWatcher();
    fleet->setIntervalMs(1000);
    for (int i = 0; i < n; ++i)
        window.addRuntimeServer(idOf(i), nameOf(i), procs[size_t(i)]->baseUrl(),
                                procs[size_t(i)]->serverIdFromBanner(), ServerProcess::password());
    const QString charted = idOf(0);
    window.selectServer(charted);
    auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("tabs"));
    QWidget *overviewTab = window.findChild<QWidget *>(QStringLiteral("overviewTab"));
    LeaderView *leaderView = window.leaderView();
    tabs->setCurrentWidget(overviewTab);
    const bool ready = waitUntil(
        [&] {
            for (int i = 0; i < n; ++i) {
                const ServerStatus *s = fleet->status(idOf(i));
                if (!s || !s->answered || !s->dialect.isKnown())
                    return false;
            }
            return leaderView->model()->rows().size() == 3;
        },
        60000);
    if (!ready)
        err() << "fleet not ready within 60 s: going on" << Qt::endl;

    // ---- the load: the charted leader at `rate`, the other leaders a document a second ----
    std::atomic<bool> stop{false};
    std::atomic<qint64> written{0};
    std::vector<QUrl> leaderUrls;
    for (int i = 0; i < n; i += 4)
        leaderUrls.push_back(procs[size_t(i)]->baseUrl());
    std::thread load([&] {
        niceThisThread(o.serversNice); // the writers stand for clients on other machines
        std::vector<std::unique_ptr<bench::RawClient>> clients;
        for (const QUrl &u : leaderUrls)
            clients.push_back(std::make_unique<bench::RawClient>(u));
        const int batch = 100;
        QElapsedTimer t;
        t.start();
        qint64 key = 0;
        qint64 trickleSecond = -1;
        while (!stop) {
            const qint64 second = t.elapsed() / 1000;
            if (second != trickleSecond) {
                trickleSecond = second;
                for (size_t c = 1; c < clients.size(); ++c)
                    clients[c]->request("POST", QStringLiteral("/_api/document/c"),
                                        "{\"t\":" + QByteArray::number(second) + "}");
            }
            const qint64 target = qint64(t.nsecsElapsed() / 1e9 * o.rate);
            if (written >= target) {
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
                continue;
            }
            QByteArray body = "[";
            for (int i = 0; i < batch; ++i) {
                if (i)
                    body += ',';
                body += bench::documentBody(int(key++), "w");
            }
            body += ']';
            if (clients[0]->request("POST", QStringLiteral("/_api/document/c"), body).status == 202)
                written += batch;
            else
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    });

    // What is on screen: the Overview and the leader's Followers tab, in turn.
    QTimer switcher;
    switcher.setInterval(o.switchMs);
    QObject::connect(&switcher, &QTimer::timeout, &switcher, [&] {
        tabs->setCurrentWidget(tabs->currentWidget() == overviewTab
                                   ? static_cast<QWidget *>(leaderView)
                                   : overviewTab);
    });
    const auto where = [&] {
        return tabs->currentWidget() == overviewTab ? QStringLiteral("Overview")
                                                    : QStringLiteral("Followers");
    };
    PhaseCounts counts;
    QObject counter;
    QObject::connect(fleet, &FleetWatcher::polled, &counter, [&](const QString &id) {
        ++counts.polls;
        const ServerStatus *s = fleet->status(id);
        counts.failed += !s || !s->answered || !s->error.isEmpty();
    });
    QObject::connect(fleet, &FleetWatcher::lagSampled, &counter,
                     [&](const LagSample &) { ++counts.samples; });
    GuiProbe probe;
    auto *timed =
        o.verbose ? dynamic_cast<TimedApplication *>(QCoreApplication::instance()) : nullptr;
    const std::function<QString()> detail = [timed] {
        return timed ? timed->takeGap() : QString();
    };

    rows.append({QStringLiteral("servers watched"), double(n), QStringLiteral("servers"),
                 QStringLiteral("real repldesk-server processes (%3): %1 leaders, %2 "
                                "followers; polled every 1 s")
                     .arg(leaders)
                     .arg(n - leaders)
                     .arg(o.serversIdle ? QStringLiteral("SCHED_IDLE")
                                        : QStringLiteral("nice %1").arg(o.serversNice))});
    rows.append({QStringLiteral("setup (start, sync, apply)"), setupSeconds, QStringLiteral("s"),
                 QStringLiteral("the servers' RSS together: %1 MiB")
                     .arg(double(serversKiB) / 1024.0, 0, 'f', 0)});

    if (o.verbose)
        if (auto *app = dynamic_cast<TimedApplication *>(QCoreApplication::instance()))
            app->setTiming(true);

    // ---- 1. live ----
    err() << "fleet: live for " << o.seconds << " s" << Qt::endl;
    switcher.start();
    double loadBefore = loadAverage();
    probe.start(where, detail);
    const qint64 writtenBefore = written;
    QElapsedTimer phase;
    phase.start();
    runFor(o.seconds * 1000);
    probe.stop();
    double secs = phase.nsecsElapsed() / 1e9;
    rows.append({QStringLiteral("followers charted"),
                 double(leaderView->chart()->seriesKeys().size()), QStringLiteral("series"),
                 QStringLiteral("Followers tab of %1; Overview and it shown in turn, %2 s each")
                     .arg(nameOf(0))
                     .arg(o.switchMs / 1000.0)});
    rows.append({QStringLiteral("live: charted leader's writes"),
                 double(written - writtenBefore) / secs, QStringLiteral("docs/s"),
                 QStringLiteral("target %1/s; other leaders 1/s").arg(o.rate)});
    rows.append({QStringLiteral("live: polls answered"), double(counts.polls) / secs,
                 QStringLiteral("polls/s"),
                 QStringLiteral("%1 servers at 1 s; %2 failed; lag samples %3/s")
                     .arg(n)
                     .arg(counts.failed)
                     .arg(double(counts.samples) / secs, 0, 'f', 1)});
    stallRows(rows, QStringLiteral("live"), probe, loadBefore);
    rows.append({QStringLiteral("live: app RSS"), rssMiB(), QStringLiteral("MiB"),
                 QStringLiteral("target <= 300 MiB")});
    if (o.verbose)
        printTop(QStringLiteral("live"), probe);

    // ---- 2. the hour, simulated: a round of polls per simulated second ----
    err() << "fleet: " << o.simSeconds << " simulated seconds" << Qt::endl;
    fleet->stop();
    runFor(1500); // the answers of the last timed round come in
    qint64 simNow = QDateTime::currentMSecsSinceEpoch();
    const auto simClock = [&simNow] { return simNow; };
    fleet->setClock(simClock);
    leaderView->chart()->setClock(simClock);
    counts = {};
    QSet<QString> answered;
    int round = 0;
    bool stuck = false;
    QEventLoop simLoop;
    QTimer watchdog; // a round that takes this long ends the phase
    watchdog.setSingleShot(true);
    watchdog.setInterval(15000);
    QObject::connect(&watchdog, &QTimer::timeout, &simLoop, [&] {
        stuck = true;
        simLoop.quit();
    });
    const auto nextRound = [&] {
        if (round == o.simSeconds)
            return simLoop.quit();
        ++round;
        simNow += 1000;
        answered.clear();
        watchdog.start();
        fleet->pollNow();
        if (round % 600 == 0)
            err() << "  " << round << " s simulated" << Qt::endl;
    };
    const QMetaObject::Connection rounds =
        QObject::connect(fleet, &FleetWatcher::polled, &simLoop, [&](const QString &id) {
            answered.insert(id);
            if (answered.size() == n) // queued: not inside the watcher's own callback
                QMetaObject::invokeMethod(&simLoop, nextRound, Qt::QueuedConnection);
        });
    loadBefore = loadAverage();
    probe.start(where, detail);
    phase.restart();
    QMetaObject::invokeMethod(&simLoop, nextRound, Qt::QueuedConnection);
    simLoop.exec();
    probe.stop();
    watchdog.stop();
    QObject::disconnect(rounds);
    secs = phase.nsecsElapsed() / 1e9;
    const double rssAfterHour = rssMiB();
    bool flushed = false;
    window.lagHistory()->flush(&counter, [&flushed] { flushed = true; });
    waitUntil([&] { return flushed; }, 60000);
    const qint64 fileBytes = filesBytes(historyPath);
    const qint64 stored = storedSamples(historyPath);
    rows.append(
        {QStringLiteral("hour: simulated seconds"), double(round), QStringLiteral("s"),
         QStringLiteral("%1 s real, %2 simulated s per s%3")
             .arg(secs, 0, 'f', 0)
             .arg(round / secs, 0, 'f', 1)
             .arg(stuck ? QStringLiteral("; STOPPED: a round took over 15 s") : QString())});
    rows.append(
        {QStringLiteral("hour: polls answered"), double(counts.polls), QStringLiteral("polls"),
         QStringLiteral("%1/s; %2 failed").arg(counts.polls / secs, 0, 'f', 0).arg(counts.failed)});
    rows.append({QStringLiteral("hour: lag samples"), double(counts.samples),
                 QStringLiteral("samples"),
                 QStringLiteral("%1 followers x %2 s (leaders have no lag); the file holds %3 "
                                "with the live part's")
                     .arg(n - leaders)
                     .arg(round)
                     .arg(stored)});
    stallRows(rows, QStringLiteral("hour"), probe, loadBefore);
    rows.append({QStringLiteral("hour: app RSS after the hour"), rssAfterHour,
                 QStringLiteral("MiB"), QStringLiteral("target <= 300 MiB")});
    rows.append({QStringLiteral("hour: history file"), double(fileBytes) / 1048576.0,
                 QStringLiteral("MiB"),
                 QStringLiteral("%1 B a sample, WAL included")
                     .arg(stored > 0 ? double(fileBytes) / double(stored) : 0, 0, 'f', 1)});
    qsizetype chartPoints = 0;
    for (const QString &key : leaderView->chart()->seriesKeys())
        if (QLineSeries *s = leaderView->chart()->ticksSeries(key))
            chartPoints = std::max<qsizetype>(chartPoints, s->count());
    qsizetype trail = 0;
    for (int i = 0; i < n; ++i)
        if (const ServerStatus *s = fleet->status(idOf(i)))
            trail = std::max(trail, s->trail.timesMs.size());
    rows.append({QStringLiteral("hour: points drawn per charted follower"), double(chartPoints),
                 QStringLiteral("points"),
                 QStringLiteral("each of its two series (15-min window; the chart keeps 24 h); "
                                "sparklines %1 values")
                     .arg(trail)});
    if (o.verbose)
        printTop(QStringLiteral("hour"), probe);

    // ---- 3. after the hour: real time again, from where the simulated clock stopped ----
    err() << "fleet: after the hour, live for " << o.afterSeconds << " s" << Qt::endl;
    QElapsedTimer since;
    since.start();
    const qint64 simEnd = simNow;
    const auto afterClock = [simEnd, &since] { return simEnd + since.elapsed(); };
    fleet->setClock(afterClock);
    leaderView->chart()->setClock(afterClock);
    counts = {};
    fleet->start();
    loadBefore = loadAverage();
    probe.start(where, detail);
    phase.restart();
    runFor(o.afterSeconds * 1000);
    probe.stop();
    secs = phase.nsecsElapsed() / 1e9;
    rows.append({QStringLiteral("after: polls answered"), double(counts.polls) / secs,
                 QStringLiteral("polls/s"), QStringLiteral("%1 failed").arg(counts.failed)});
    stallRows(rows, QStringLiteral("after"), probe, loadBefore);
    rows.append({QStringLiteral("after: app RSS"), rssMiB(), QStringLiteral("MiB"),
                 QStringLiteral("the process's peak (VmHWM) %1 MiB")
                     .arg(double(statusKiB("VmHWM:")) / 1024.0, 0, 'f', 0)});
    if (o.verbose)
        printTop(QStringLiteral("after"), probe);

    // One whole repaint of each view (rendered into a pixmap), as on switching to it.
    switcher.stop();
    const auto repaintMs = [](QWidget *w) {
        std::vector<double> ms;
        for (int i = 0; i < 5; ++i) {
            const qint64 cpu = GuiProbe::threadCpuNs();
            w->grab();
            ms.push_back(double(GuiProbe::threadCpuNs() - cpu) / 1e6);
        }
        return bench::median(ms);
    };
    tabs->setCurrentWidget(overviewTab);
    runFor(300);
    const double overviewPaint = repaintMs(overviewTab);
    tabs->setCurrentWidget(leaderView);
    runFor(300);
    const double followersPaint = repaintMs(leaderView);
    rows.append({QStringLiteral("after: one whole repaint of the Overview"), overviewPaint,
                 QStringLiteral("ms"),
                 QStringLiteral("GUI thread CPU, median of 5 (QWidget::grab); %1 rows shown")
                     .arg(window.fleetOverview()->view()->rowAt(
                              window.fleetOverview()->view()->viewport()->height() - 1) +
                          1)});
    rows.append({QStringLiteral("after: one whole repaint of the Followers tab"), followersPaint,
                 QStringLiteral("ms"), QStringLiteral("table and both charts")});

    stop = true;
    load.join();
    return rows;
}
