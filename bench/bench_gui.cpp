// bench_gui: (1) time from launching `repldesk` to its window up with the embedded engine
// listening; (2) the GUI thread's longest stall while the live log ingests ~20k events/s and
// the lag chart updates, measured with a 1 ms precise timer on the GUI thread.
//
//   bench_gui [--seconds S] [--rate EVENTS_PER_S] [--json FILE]
#include "BenchSupport.h"
#include "BenchTable.h"
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
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
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

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    QCommandLineOption secondsOpt(QStringLiteral("seconds"),
                                  QStringLiteral("Duration of the stall measure."),
                                  QStringLiteral("S"), QStringLiteral("10"));
    QCommandLineOption rateOpt(QStringLiteral("rate"), QStringLiteral("Leader events per second."),
                               QStringLiteral("N"), QStringLiteral("20000"));
    QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Write results as JSON."),
                               QStringLiteral("FILE"));
    p.addOptions({secondsOpt, rateOpt, jsonOpt});
    p.process(app);
    QStandardPaths::setTestModeEnabled(true);
    const int seconds = p.value(secondsOpt).toInt();
    const int rate = p.value(rateOpt).toInt();
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
        return 1;
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
        app.processEvents(QEventLoop::AllEvents, 50);

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
    std::vector<double> gaps;
    QElapsedTimer clock;
    clock.start();
    qint64 last = clock.nsecsElapsed();
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(1);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        gaps.push_back((now - last) / 1e6);
        last = now;
    });
    probe.start();
    QTimer::singleShot(seconds * 1000, &app, &QApplication::quit);
    app.exec();
    stop = true;
    load.join();
    probe.stop();

    const qint64 shown = window.liveLog()->model()->rowCount();
    std::sort(gaps.begin(), gaps.end());
    const double maxGap = gaps.empty() ? 0 : gaps.back();
    const double p99 = gaps.empty() ? 0 : gaps[size_t(0.99 * double(gaps.size() - 1))];
    rows.append({QStringLiteral("leader events written"), written / double(seconds),
                 QStringLiteral("events/s"),
                 QStringLiteral("target %1/s (arrays of 200)").arg(rate)});
    rows.append({QStringLiteral("live log rows shown (capped 50k)"), double(shown),
                 QStringLiteral("rows"), QString()});
    rows.append({QStringLiteral("lag chart samples"), double(lag.samples().size()),
                 QStringLiteral("samples"), QStringLiteral("1 s refresh")});
    rows.append({QStringLiteral("GUI thread longest stall"), maxGap, QStringLiteral("ms"),
                 QStringLiteral("target <= 16 ms")});
    rows.append({QStringLiteral("GUI thread stall p99"), p99, QStringLiteral("ms"),
                 QStringLiteral("%1 timer ticks").arg(gaps.size())});
    const QString title = QStringLiteral("bench_gui (offscreen, 2 cores, engines in process)");
    printTable(title, rows);
    if (p.isSet(jsonOpt))
        writeJson(p.value(jsonOpt), rowsToJson(title, rows));
    return 0;
}
