// bench_gui: the app's GUI thread under load, measured with a 1 ms precise timer on it.
//   live-log: (1) time from launching `repldesk` to its window up with the embedded engine
//             listening; (2) the GUI thread's longest stall while the live log ingests ~20k
//             events/s and the lag chart updates.
//   fleet:    100 real servers watched and 3 followers charted (issue 14): live, then an hour
//             of polls at 1 s in simulated time, then live again (BenchGuiFleet.h).
//
//   bench_gui [--scenario all|live-log|fleet] [--seconds S] [--rate EVENTS_PER_S]
//             [--servers N] [--fleet-seconds S] [--fleet-rate DOCS_PER_S] [--sim-seconds S]
//             [--after-seconds S] [--servers-nice N] [--servers-idle] [--verbose] [--json FILE]
#include "BenchGuiFleet.h"
#include "BenchSupport.h"
#include "BenchTable.h"
#include "GuiProbe.h"
#include "credentials/CredentialStore.h"
#include "gui/EmbeddedServer.h"
#include "gui/LagMonitor.h"
#include "gui/LiveLog.h"
#include "gui/LogEventModel.h"
#include "gui/MainWindow.h"
#include "gui/ServerList.h"
#include "gui/ServerSession.h"
#include "support/HttpClient.h"
#include "support/ServerProcess.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <thread>

namespace {

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

// Launch → "engine ready" line, with a fresh data dir and settings each time.
std::vector<double> startupTimes(int runs)
{
    std::vector<double> out;
    for (int i = 0; i < runs; ++i) {
        QTemporaryDir dir;
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
        env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
        p.setProcessEnvironment(env);
        QElapsedTimer t;
        t.start();
        p.start(QStringLiteral(REPLDESK_APP_BINARY),
                {QStringLiteral("--data-dir"), dir.filePath(QStringLiteral("data"))});
        QByteArray output;
        while (t.elapsed() < 20000 && !output.contains("engine ready")) {
            p.waitForReadyRead(50);
            output += p.readAllStandardOutput();
        }
        if (output.contains("engine ready"))
            out.push_back(t.nsecsElapsed() / 1e6);
        p.kill();
        p.waitForFinished(5000);
    }
    return out;
}

// The live log of a leader under write load, and the Lag tab of its follower.
QList<BenchRow> liveLogScenario(int seconds, int rate)
{
    QList<BenchRow> rows;
    const std::vector<double> starts = startupTimes(5);
    rows.append({QStringLiteral("launch to window + engine up (median)"), median(starts),
                 QStringLiteral("ms"),
                 QStringLiteral("%1 runs, no keychain; target <= 1000 ms").arg(starts.size())});
    rows.append({QStringLiteral("launch to window + engine up (max)"),
                 starts.empty() ? 0 : *std::max_element(starts.begin(), starts.end()),
                 QStringLiteral("ms"), QString()});

    // Leader and follower engines in this process; the window follows the leader's live log,
    // a second session feeds the lag chart from the follower.
    QTemporaryDir ld, fd;
    repl::gui::EmbeddedServer leader, follower;
    QSignalSpy lr(&leader, &repl::gui::EmbeddedServer::ready),
        fr(&follower, &repl::gui::EmbeddedServer::ready);
    leader.open({ld.path(), QHostAddress::LocalHost, 0, repl::test::ServerProcess::password()});
    follower.open({fd.path(), QHostAddress::LocalHost, 0, repl::test::ServerProcess::password()});
    if (!lr.wait(20000) || (fr.isEmpty() && !fr.wait(20000)))
        return rows;
    repl::test::HttpClient lh(leader.url(), QStringLiteral("root"),
                              repl::test::ServerProcess::password());
    repl::test::HttpClient fh(follower.url(), QStringLiteral("root"),
                              repl::test::ServerProcess::password());
    lh.put(QStringLiteral("/_api/replication/logger-start"));
    lh.post(QStringLiteral("/_api/collection"),
            QJsonObject{{QStringLiteral("name"), QStringLiteral("events")}});
    const QJsonObject leaderCfg{
        {QStringLiteral("endpoint"), leader.url().toString()},
        {QStringLiteral("username"), QStringLiteral("root")},
        {QStringLiteral("password"), repl::test::ServerProcess::password()}};
    fh.put(QStringLiteral("/_api/replication/sync"), leaderCfg);
    fh.put(QStringLiteral("/_api/replication/applier-config"), leaderCfg);
    fh.put(QStringLiteral("/_api/replication/applier-start"));

    repl::gui::ServerListModel servers;
    repl::CredentialStore credentials(QStringLiteral("ReplDeskBench"));
    repl::gui::MainWindow window(servers, credentials);
    window.resize(1200, 760);
    window.show();
    window.addEmbeddedServer(leader.url(), leader.serverId(),
                             repl::test::ServerProcess::password());
    auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("tabs"));
    tabs->setCurrentWidget(window.liveLog());
    repl::gui::ServerEntry fe;
    fe.id = QStringLiteral("f");
    fe.name = QStringLiteral("follower");
    fe.endpoint = follower.url().toString();
    repl::gui::ServerSession followerSession(fe, repl::test::ServerProcess::password());
    repl::gui::LagMonitor lag;
    lag.resize(900, 500);
    lag.show();
    QObject::connect(&followerSession, &repl::gui::ServerSession::applierStateChanged, &lag,
                     [&lag](const QJsonObject &s) { lag.addApplierState(s); });
    followerSession.setActive(true);

    // Let the live log start following, then load the leader from another thread.
    QElapsedTimer warm;
    warm.start();
    while (warm.elapsed() < 1500)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);

    std::atomic<bool> stop{false};
    std::atomic<qint64> written{0};
    std::thread load([&] {
        bench::RawClient c(leader.url());
        const int batch = 200;
        QElapsedTimer t;
        t.start();
        int n = 0;
        while (!stop) {
            const qint64 target = qint64(t.nsecsElapsed() / 1e9 * rate);
            if (written >= target) {
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
                continue;
            }
            QByteArray body = "[";
            for (int i = 0; i < batch; ++i) {
                if (i)
                    body += ',';
                body += "{\"_key\":\"e" + QByteArray::number(n++) +
                        "\",\"v\":" + QByteArray::number(i) + "}";
            }
            body += ']';
            if (c.request("POST", QStringLiteral("/_api/document/events"), body).status == 202)
                written += batch;
            else
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    });

    // The probe: a 1 ms precise timer; any gap beyond it is time the GUI thread was busy.
    GuiProbe probe;
    probe.start();
    QEventLoop loop;
    QTimer::singleShot(seconds * 1000, &loop, &QEventLoop::quit);
    loop.exec();
    stop = true;
    load.join();
    probe.stop();

    const qint64 shown = window.liveLog()->model()->rowCount();
    rows.append({QStringLiteral("leader events written"), written / double(seconds),
                 QStringLiteral("events/s"),
                 QStringLiteral("target %1/s (arrays of 200)").arg(rate)});
    rows.append({QStringLiteral("live log rows shown (capped 50k)"), double(shown),
                 QStringLiteral("rows"), QString()});
    rows.append({QStringLiteral("lag chart samples"), double(lag.samples().size()),
                 QStringLiteral("samples"), QStringLiteral("1 s refresh")});
    rows.append({QStringLiteral("GUI thread longest stall"), probe.longestMs(),
                 QStringLiteral("ms"), QStringLiteral("target <= 16 ms")});
    rows.append({QStringLiteral("GUI thread longest busy stretch"), probe.longestCpuMs(),
                 QStringLiteral("ms"),
                 QStringLiteral("its own CPU time in one gap (the rest of a stall: waiting for "
                                "a core)")});
    rows.append({QStringLiteral("GUI thread stall p99"), probe.percentileMs(0.99),
                 QStringLiteral("ms"), QStringLiteral("%1 timer ticks").arg(probe.ticks())});
    return rows;
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    TimedApplication app(argc, argv);
    Q_INIT_RESOURCE(repldesk); // the window's icons, from the static GUI library, as in the app
    QCommandLineParser p;
    p.addHelpOption();
    QCommandLineOption scenarioOpt(QStringLiteral("scenario"),
                                   QStringLiteral("all (default), live-log or fleet."),
                                   QStringLiteral("NAME"), QStringLiteral("all"));
    QCommandLineOption secondsOpt(QStringLiteral("seconds"),
                                  QStringLiteral("live-log: duration of the stall measure."),
                                  QStringLiteral("S"), QStringLiteral("10"));
    QCommandLineOption rateOpt(QStringLiteral("rate"),
                               QStringLiteral("live-log: leader events per second."),
                               QStringLiteral("N"), QStringLiteral("20000"));
    const FleetOptions fleetDefaults;
    QCommandLineOption serversOpt(
        QStringLiteral("servers"),
        QStringLiteral("fleet: servers watched (real processes; a leader and 3 followers each)."),
        QStringLiteral("N"), QString::number(fleetDefaults.servers));
    QCommandLineOption fleetSecondsOpt(QStringLiteral("fleet-seconds"),
                                       QStringLiteral("fleet: real time of the live phase."),
                                       QStringLiteral("S"), QString::number(fleetDefaults.seconds));
    QCommandLineOption fleetRateOpt(QStringLiteral("fleet-rate"),
                                    QStringLiteral("fleet: documents/s to the charted leader."),
                                    QStringLiteral("N"), QString::number(fleetDefaults.rate));
    QCommandLineOption simOpt(QStringLiteral("sim-seconds"),
                              QStringLiteral("fleet: simulated seconds of polls at 1 s."),
                              QStringLiteral("S"), QString::number(fleetDefaults.simSeconds));
    QCommandLineOption afterOpt(QStringLiteral("after-seconds"),
                                QStringLiteral("fleet: real time measured after the hour."),
                                QStringLiteral("S"), QString::number(fleetDefaults.afterSeconds));
    QCommandLineOption niceOpt(QStringLiteral("servers-nice"),
                               QStringLiteral("fleet: the servers' nice value (0: as the app)."),
                               QStringLiteral("N"), QString::number(fleetDefaults.serversNice));
    QCommandLineOption idleOpt(
        QStringLiteral("servers-idle"),
        QStringLiteral(
            "fleet: run the servers SCHED_IDLE (only when the app leaves a core free)."));
    QCommandLineOption verboseOpt(QStringLiteral("verbose"),
                                  QStringLiteral("fleet: the longest stalls, when and where."));
    QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Write results as JSON."),
                               QStringLiteral("FILE"));
    p.addOptions({scenarioOpt, secondsOpt, rateOpt, serversOpt, fleetSecondsOpt, fleetRateOpt,
                  simOpt, afterOpt, niceOpt, idleOpt, verboseOpt, jsonOpt});
    p.process(app);
    QStandardPaths::setTestModeEnabled(true);
    const QString scenario = p.value(scenarioOpt);
    if (scenario != u"all" && scenario != u"live-log" && scenario != u"fleet") {
        QTextStream(stderr) << "--scenario: all, live-log or fleet\n";
        return 2;
    }
    QJsonArray scenarios;
    // The fleet first: its memory figures are the app's alone, not the live log's leftovers.
    if (scenario != u"live-log") {
        FleetOptions o;
        o.servers = p.value(serversOpt).toInt();
        o.seconds = p.value(fleetSecondsOpt).toInt();
        o.rate = p.value(fleetRateOpt).toInt();
        o.simSeconds = p.value(simOpt).toInt();
        o.afterSeconds = p.value(afterOpt).toInt();
        o.serversNice = p.value(niceOpt).toInt();
        o.serversIdle = p.isSet(idleOpt);
        o.verbose = p.isSet(verboseOpt);
        const QList<BenchRow> rows = runFleetScenario(o);
        const QString title =
            QStringLiteral("bench_gui fleet (offscreen, 2 cores, %1 servers in processes)")
                .arg(o.servers);
        printTable(title, rows);
        scenarios.append(rowsToJson(title, rows));
    }
    if (scenario != u"fleet") {
        const QList<BenchRow> rows =
            liveLogScenario(p.value(secondsOpt).toInt(), p.value(rateOpt).toInt());
        const QString title =
            QStringLiteral("bench_gui live-log (offscreen, 2 cores, engines in process)");
        printTable(title, rows);
        scenarios.append(rowsToJson(title, rows));
    }
    if (p.isSet(jsonOpt))
        writeJson(p.value(jsonOpt), {{QStringLiteral("benchmark"), QStringLiteral("bench_gui")},
                                     {QStringLiteral("scenarios"), scenarios}});
    return 0;
}
