// ServerOps: a server's metrics in Prometheus' text format.
#include "ops/OpsSupport.h"
#include "ops/ServerOps.h"

#include <QFutureWatcher>
#include <QPointer>
#include <QPromise>
#include <QThreadPool>

#include <memory>

namespace repl::ops {

using detail::tr;

QString ServerOps::metricsFailure(const Dialect &d, const QString &path,
                                  const client::HttpResult &r)
{
    if (r.status == 401)
        return tr("%1 asks for a user and password to read its metrics (HTTP 401): check the "
                  "ones given for this server.")
            .arg(d.describe());
    if (r.status == 403)
        return d.isCouchApi()
                   ? tr("%1 does not let this user read its metrics (HTTP 403): use a server "
                        "administrator or a user with the _metrics role.")
                         .arg(d.describe())
                   : tr("%1 does not let this user read its metrics (HTTP 403): use a user with "
                        "the rights to read them.")
                         .arg(d.describe());
    if (r.status == 404) {
        if (d.kind() == ServerKind::ArangoDB || d.kind() == ServerKind::ArangoDBNoLfr)
            return tr("%1 answered 404 for %2: its metrics API is switched off (started with "
                      "--server.export-metrics-api false).")
                .arg(d.describe(), path);
        return tr("%1 answered 404 for %2: it serves no metrics there.").arg(d.describe(), path);
    }
    return tr("cannot read the metrics: %1").arg(describeFailure(r));
}

void ServerOps::metrics(QObject *context, Done<Metrics> done)
{
    const auto fail = [done](const QString &e) { done({}, e); };
    if (needsProbe(
            context, [=, this] { metrics(context, done); }, fail))
        return;
    if (refuse(Feature::Metrics, fail))
        return;
    const Dialect dialect = m_dialect;
    const QString path = dialect.metricsPath();
    QPointer<QObject> guard(context);
    m_client->get(path, {}, context, [dialect, path, guard, done](client::HttpResult &r) {
        if (!r.ok())
            return done({}, metricsFailure(dialect, path, r));
        if (!guard)
            return;
        // Read on a pool thread: a busy ArangoDB's text runs to a megabyte or more (1.5 MB
        // take about 20 ms, tst_metricstext), which the caller's (the GUI's) thread should
        // not spend. The watcher belongs to `context`: gone with it, the answer is dropped.
        struct Parsed
        {
            std::optional<Metrics> metrics;
            MetricsParseError error;
        };
        auto promise = std::make_shared<QPromise<Parsed>>();
        auto *watcher = new QFutureWatcher<Parsed>(guard);
        QObject::connect(watcher, &QFutureWatcherBase::finished, watcher, [watcher, dialect, done] {
            watcher->deleteLater();
            Parsed p = watcher->result();
            if (!p.metrics)
                return done({}, tr("the metrics of %1 are not in Prometheus' "
                                   "text format: %2")
                                    .arg(dialect.describe(), p.error.toString()));
            done(std::move(*p.metrics), {});
        });
        watcher->setFuture(promise->future());
        promise->start();
        QThreadPool::globalInstance()->start([promise, body = std::move(r.body)] {
            Parsed p;
            p.metrics = Metrics::parse(body, &p.error);
            promise->addResult(std::move(p));
            promise->finish();
        });
    });
}

} // namespace repl::ops
