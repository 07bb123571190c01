// repldesk-server: parses arguments, opens the engine, serves HTTP until SIGTERM/SIGINT.
#include "app/ServerOptions.h"
#include "client/Tls.h"
#include "engine/Engine.h"
#include "server/HttpServer.h"
#include "server/ServerTls.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTextStream>

#include <csignal>
#include <optional>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {
int g_signalFd[2] = {-1, -1};

// Each connection, feed and replication holds descriptors: the soft limit goes up to the hard
// one (1024 soft is common even where the hard limit is far higher).
void raiseDescriptorLimit()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

void onSignal(int)
{
    const char c = 1;
    [[maybe_unused]] const auto n = ::write(g_signalFd[0], &c, 1);
}
} // namespace

int main(int argc, char *argv[])
{
    raiseDescriptorLimit();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("repldesk-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(REPLDESK_VERSION));
    int exitCode = 0;
    const auto options = repl::parseServerOptions(QCoreApplication::arguments(), exitCode);
    if (!options)
        return exitCode;

    QTextStream out(stdout);
    QTextStream err(stderr);
    // TLS files first: a bad one stops the start before the data directory is opened.
    std::optional<repl::server::ServerTls> tls;
    if (!options->tlsCertFile.isEmpty()) {
        QString problem;
        tls = repl::server::ServerTls::load(options->tlsCertFile, options->tlsKeyFile, problem);
        if (!tls) {
            err << "repldesk-server: " << problem << "\n";
            return 2;
        }
        for (const QString &w : std::as_const(tls->warnings))
            err << "warning: " << w << Qt::endl;
    }
    if (!options->tlsCaFile.isEmpty()) {
        QString problem;
        if (!repl::client::setTrustedCaFile(options->tlsCaFile, problem)) {
            err << "repldesk-server: --tls-ca-file: " << problem << "\n";
            return 2;
        }
    }
    repl::Engine engine(
        {options->dataDir, options->sync, options->workers, options->maxReplications});
    try {
        engine.open();
        // The password in effect: the one given, else the stored one (an old empty one too).
        const bool empty = options->rootPassword
                               ? options->rootPassword->isEmpty()
                               : !engine.hasRootPassword() ||
                                     engine.auth().check("Basic " + QByteArray("root:").toBase64());
        QStringList warnings;
        if (const QString refused = repl::checkExposure(*options, empty, warnings);
            !refused.isEmpty()) {
            err << "repldesk-server: " << refused << "\n";
            engine.close();
            return 2;
        }
        for (const QString &w : std::as_const(warnings))
            err << "warning: " << w << Qt::endl;
        if (options->rootPassword)
            engine.setRootPassword(*options->rootPassword);
        else if (!engine.hasRootPassword())
            engine.setRootPassword(QString());
    } catch (const std::exception &e) {
        err << "repldesk-server: cannot open data directory " << options->dataDir << ": "
            << e.what() << "\n";
        return 1;
    }

    repl::server::HttpServer server(engine, options->http);
    QStringList urls;
    for (const repl::ListenAddress &a : options->listen) {
        const quint16 port = a.tls ? server.listenTls(a.host, a.port, tls->configuration)
                                   : server.listenOn(a.host, a.port);
        if (port == 0) {
            err << "repldesk-server: cannot listen on " << a.url(a.port) << "\n";
            return 1;
        }
        urls << a.url(port);
    }

    // SIGTERM/SIGINT: a self-pipe wakes the event loop, which then shuts down in order.
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFd) == 0) {
        auto *notifier = new QSocketNotifier(g_signalFd[1], QSocketNotifier::Read, &app);
        QObject::connect(notifier, &QSocketNotifier::activated, &app, [notifier] {
            notifier->setEnabled(false);
            QCoreApplication::quit();
        });
        std::signal(SIGTERM, onSignal);
        std::signal(SIGINT, onSignal);
    }

    // One line per listener, in the order given (tests and scripts read the first).
    for (const QString &url : std::as_const(urls))
        out << "repldesk-server " << REPLDESK_VERSION << " listening on " << url << " (serverId "
            << engine.serverId() << ", data " << options->dataDir << ")" << Qt::endl;
    if (tls)
        out << "repldesk-server: TLS certificate SHA-256 " << tls->fingerprint << Qt::endl;
    const int rc = app.exec();
    engine.close();
    out << "repldesk-server stopped" << Qt::endl;
    return rc;
}
