#include "ctl/CtlRunner.h"

#include "core/LogEventType.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

namespace repl::ctl {

namespace {
QString tickText(const QJsonValue &v)
{
    if (v.isNull() || v.isUndefined())
        return QStringLiteral("-");
    return v.isString() ? v.toString() : QString::number(qint64(v.toDouble()));
}

ops::Feature featureOf(const QString &command)
{
    if (command == u"logger")
        return ops::Feature::LoggerState;
    if (command == u"applier" || command == u"lag")
        return ops::Feature::Applier;
    if (command == u"sync")
        return ops::Feature::Sync;
    if (command == u"follow")
        return ops::Feature::LoggerFollow;
    if (command == u"restore")
        return ops::Feature::Databases;
    if (command == u"metrics")
        return ops::Feature::Metrics;
    return ops::Feature::Inventory;
}
} // namespace

CtlRunner::CtlRunner(CtlOptions options, client::ClientSettings server, QString leaderPassword,
                     QTextStream &out, QTextStream &err, QObject *parent)
    : QObject(parent)
    , m_o(std::move(options))
    , m_ops(new ops::ServerOps(std::move(server), this))
    , m_leaderPassword(std::move(leaderPassword))
    , m_out(out)
    , m_err(err)
{}

void CtlRunner::start()
{
    m_ops->probe(this, [this](const ops::Dialect &d, const client::HttpResult &failure) {
        if (!d.isKnown())
            return fail(QStringLiteral("cannot identify the server at %1: %2")
                            .arg(m_ops->client().settings().base.toString(QUrl::RemoveUserInfo),
                                 ops::describeFailure(failure)) +
                        (failure.answered()
                             ? QString()
                             : QStringLiteral("\nCheck --server (host, port, http or https).")));
        run();
    });
}

void CtlRunner::fail(const QString &message)
{
    if (m_finished)
        return;
    m_finished = true;
    m_out.flush();
    m_err << "repldeskctl: " << message << "\n";
    m_err.flush();
    Q_EMIT finished(m_interrupted ? 130 : 1);
}

void CtlRunner::done()
{
    if (m_finished)
        return;
    m_finished = true;
    m_out.flush();
    Q_EMIT finished(0);
}

void CtlRunner::printJson(const QJsonValue &v)
{
    if (v.isObject())
        m_out << QJsonDocument(v.toObject()).toJson(QJsonDocument::Indented);
    else
        m_out << QJsonDocument(v.toArray()).toJson(QJsonDocument::Indented);
}

void CtlRunner::printTable(const QStringList &headers, const QList<QStringList> &rows)
{
    QList<qsizetype> width;
    for (const QString &h : headers)
        width.append(h.size());
    for (const QStringList &r : rows)
        for (qsizetype i = 0; i < r.size() && i < width.size(); ++i)
            width[i] = qMax(width[i], r[i].size());
    auto line = [&](const QStringList &cells) {
        QString s;
        for (qsizetype i = 0; i < cells.size(); ++i)
            s += i + 1 < cells.size() ? cells[i].leftJustified(width[i] + 2) : cells[i];
        m_out << s << "\n";
    };
    line(headers);
    for (const QStringList &r : rows)
        line(r);
}

void CtlRunner::run()
{
    const QString cmd = m_o.command.value(0);
    if (cmd == u"probe")
        return probe();
    const QString why = m_ops->dialect().missing(featureOf(cmd));
    if (!why.isEmpty())
        return fail(why);
    if (cmd == u"databases")
        return databases();
    if (cmd == u"inventory")
        return inventory();
    if (cmd == u"logger")
        return logger();
    if (cmd == u"applier")
        return applier();
    if (cmd == u"sync")
        return sync();
    if (cmd == u"lag")
        return lag();
    if (cmd == u"metrics")
        return metrics();
    if (cmd == u"backup")
        return backup();
    if (cmd == u"restore-points")
        return restorePoints();
    if (cmd == u"restore")
        return restore();
    if (cmd == u"follow") {
        if (!m_o.from.isEmpty())
            return follow(m_o.from.toULongLong());
        return m_ops->lastTick(m_o.database, this, [this](quint64 tick, const QString &e) {
            if (!e.isEmpty())
                return fail(QStringLiteral("cannot read the log position: %1").arg(e));
            follow(tick);
        });
    }
    fail(QStringLiteral("unknown command '%1'").arg(cmd));
}

void CtlRunner::probe()
{
    const ops::Dialect &d = m_ops->dialect();
    static const QList<QPair<ops::Feature, QString>> features{
        {ops::Feature::Databases, QStringLiteral("databases")},
        {ops::Feature::Inventory, QStringLiteral("inventory")},
        {ops::Feature::LoggerState, QStringLiteral("logger state")},
        {ops::Feature::LoggerControl, QStringLiteral("logger start/stop")},
        {ops::Feature::LoggerFollow, QStringLiteral("follow")},
        {ops::Feature::Applier, QStringLiteral("applier")},
        {ops::Feature::GlobalApplier, QStringLiteral("global applier")},
        {ops::Feature::Sync, QStringLiteral("sync")},
        {ops::Feature::ServerDryRun, QStringLiteral("server-side sync preview")},
        {ops::Feature::CouchReplicate, QStringLiteral("CouchDB replication")},
        {ops::Feature::RestorePoints, QStringLiteral("restore points")},
        {ops::Feature::Metrics, QStringLiteral("metrics")}};
    if (m_o.json) {
        QJsonObject f;
        for (const auto &[feature, name] : features)
            f.insert(name, d.has(feature) ? QJsonValue(true) : QJsonValue(d.missing(feature)));
        printJson(QJsonObject{{QStringLiteral("server"),
                               m_ops->client().settings().base.toString(QUrl::RemoveUserInfo)},
                              {QStringLiteral("kind"), ops::Dialect::kindName(d.kind())},
                              {QStringLiteral("product"), d.product()},
                              {QStringLiteral("version"), d.version()},
                              {QStringLiteral("features"), f}});
        return done();
    }
    m_out << "server   " << m_ops->client().settings().base.toString(QUrl::RemoveUserInfo) << "\n"
          << "kind     " << ops::Dialect::kindName(d.kind()) << "\n"
          << "product  " << d.describe() << "\n\n";
    QList<QStringList> rows;
    for (const auto &[feature, name] : features)
        rows.append({name, d.has(feature) ? QStringLiteral("yes") : d.missing(feature)});
    printTable({QStringLiteral("FEATURE"), QStringLiteral("AVAILABLE")}, rows);
    done();
}

void CtlRunner::databases()
{
    m_ops->databases(this, [this](const QStringList &names, const QString &e) {
        if (!e.isEmpty())
            return fail(QStringLiteral("cannot list databases: %1").arg(e));
        if (m_o.json)
            printJson(QJsonArray::fromStringList(names));
        else
            for (const QString &n : names)
                m_out << n << "\n";
        done();
    });
}

void CtlRunner::inventory()
{
    m_ops->inventory(m_o.database, this, [this](const QJsonObject &inv, const QString &e) {
        if (!e.isEmpty())
            return fail(QStringLiteral("cannot read the inventory of %1: %2").arg(m_o.database, e));
        const QJsonArray cols = inv.value(QStringLiteral("collections")).toArray();
        QStringList names;
        for (const QJsonValue &c : cols)
            names.append(c[QStringLiteral("parameters")][QStringLiteral("name")].toString());
        auto print = [this, inv, cols](const QHash<QString, qint64> &counts) {
            if (m_o.json) {
                QJsonObject o = inv;
                QJsonObject c;
                for (auto it = counts.begin(); it != counts.end(); ++it)
                    c.insert(it.key(), it.value());
                o.insert(QStringLiteral("counts"), c);
                printJson(o);
                return done();
            }
            QList<QStringList> rows;
            for (const QJsonValue &v : cols) {
                const QJsonObject p = v[QStringLiteral("parameters")].toObject();
                const QString name = p.value(QStringLiteral("name")).toString();
                QStringList idx;
                for (const QJsonValue &i : v[QStringLiteral("indexes")].toArray()) {
                    QStringList fields;
                    for (const QJsonValue &f : i[QStringLiteral("fields")].toArray())
                        fields.append(f.toString());
                    idx.append(QStringLiteral("%1(%2)").arg(i[QStringLiteral("type")].toString(),
                                                            fields.join(u',')));
                }
                const bool couch = p.value(QStringLiteral("couchdb")).toBool();
                const qint64 n = couch ? qint64(p.value(QStringLiteral("count")).toDouble())
                                       : counts.value(name, -1);
                rows.append({name,
                             couch ? QStringLiteral("database")
                             : p.value(QStringLiteral("type")).toInt() == 3
                                 ? QStringLiteral("edge")
                                 : QStringLiteral("document"),
                             n < 0 ? QStringLiteral("?") : QString::number(n),
                             idx.isEmpty() ? QStringLiteral("-") : idx.join(QStringLiteral(" "))});
            }
            printTable({QStringLiteral("COLLECTION"), QStringLiteral("TYPE"),
                        QStringLiteral("DOCUMENTS"), QStringLiteral("INDEXES")},
                       rows);
            done();
        };
        if (m_ops->dialect().isCouchApi())
            return print({});
        m_ops->counts(m_o.database, names, this,
                      [this, print](const QHash<QString, qint64> &counts, const QString &e2) {
                          if (!e2.isEmpty())
                              m_err << "repldeskctl: warning: " << e2 << "\n";
                          print(counts);
                      });
    });
}

void CtlRunner::logger()
{
    const QString sub = m_o.command.value(1);
    if (sub != u"state") {
        return m_ops->setLoggerRunning(
            m_o.database, sub == u"start", this, [this, sub](const QString &e) {
                if (!e.isEmpty())
                    return fail(QStringLiteral("cannot %1 the logger: %2").arg(sub, e));
                if (m_o.json)
                    printJson(QJsonObject{{QStringLiteral("running"), sub == u"start"}});
                else
                    m_out << "logger of " << m_o.database
                          << (sub == u"start" ? " started\n" : " stopped\n");
                done();
            });
    }
    m_ops->loggerState(m_o.database, this, [this](const QJsonObject &s, const QString &e) {
        if (!e.isEmpty())
            return fail(QStringLiteral("cannot read the logger state: %1").arg(e));
        if (m_o.json) {
            printJson(s);
            return done();
        }
        const QJsonObject st = s.value(QStringLiteral("state")).toObject();
        m_out << "running      " << (st.value(QStringLiteral("running")).toBool() ? "yes" : "no")
              << "\n"
              << "lastLogTick  " << tickText(st.value(QStringLiteral("lastLogTick"))) << "\n"
              << "totalEvents  " << qint64(st.value(QStringLiteral("totalEvents")).toDouble())
              << "\n"
              << "time         " << st.value(QStringLiteral("time")).toString() << "\n";
        const QJsonArray clients = s.value(QStringLiteral("clients")).toArray();
        if (!clients.isEmpty()) {
            m_out << "\n";
            QList<QStringList> rows;
            for (const QJsonValue &c : clients)
                rows.append({c[QStringLiteral("serverId")].toString(),
                             tickText(c[QStringLiteral("lastServedTick")]),
                             c[QStringLiteral("time")].toString()});
            printTable({QStringLiteral("FOLLOWER"), QStringLiteral("LAST SERVED TICK"),
                        QStringLiteral("LAST ASKED")},
                       rows);
        }
        done();
    });
}

void CtlRunner::applier()
{
    const QString sub = m_o.command.value(1);
    auto showState = [this](const QJsonObject &s, const QString &e) {
        if (!e.isEmpty())
            return fail(QStringLiteral("cannot read the applier state: %1").arg(e));
        if (m_o.json) {
            printJson(s);
            return done();
        }
        const QJsonObject st = s.value(QStringLiteral("state")).toObject();
        const QJsonObject err = st.value(QStringLiteral("lastError")).toObject();
        m_out << "applier      "
              << (m_o.global ? "global (server-level)" : qPrintable(m_o.database)) << "\n"
              << "running      " << (st.value(QStringLiteral("running")).toBool() ? "yes" : "no")
              << "\n"
              << "phase        " << st.value(QStringLiteral("phase")).toString() << "\n"
              << "endpoint     "
              << s.value(QStringLiteral("endpoint")).toString(QStringLiteral("-")) << "\n"
              << "applied      " << tickText(st.value(QStringLiteral("lastAppliedContinuousTick")))
              << "\n"
              << "available    "
              << tickText(st.value(QStringLiteral("lastAvailableContinuousTick"))) << "\n"
              << "progress     "
              << st[QStringLiteral("progress")][QStringLiteral("message")].toString() << "\n";
        if (err.value(QStringLiteral("errorNum")).toInt() != 0)
            m_out << "lastError    " << err.value(QStringLiteral("errorNum")).toInt() << ": "
                  << err.value(QStringLiteral("errorMessage")).toString() << "\n";
        // A ReplDesk global applier lists the database appliers it drives.
        const QJsonArray members = s.value(QStringLiteral("databases")).toArray();
        if (!members.isEmpty()) {
            QList<QStringList> rows;
            for (const QJsonValue &m : members) {
                const QJsonObject ms = m[QStringLiteral("state")].toObject();
                const QJsonObject me = ms.value(QStringLiteral("lastError")).toObject();
                rows.append({m[QStringLiteral("database")].toString(),
                             ms.value(QStringLiteral("running")).toBool() ? QStringLiteral("yes")
                                                                          : QStringLiteral("no"),
                             tickText(ms.value(QStringLiteral("lastAppliedContinuousTick"))),
                             me.value(QStringLiteral("errorMessage")).toString()});
            }
            m_out << "\n";
            printTable({QStringLiteral("DATABASE"), QStringLiteral("RUNNING"),
                        QStringLiteral("APPLIED"), QStringLiteral("LAST ERROR")},
                       rows);
        }
        done();
    };
    if (sub == u"state")
        return m_ops->applierState(m_o.database, m_o.global, this, showState);
    m_ops->setApplierRunning(m_o.database, m_o.global, sub == u"start", m_o.from, this,
                             [this, sub, showState](const QString &e) {
                                 if (!e.isEmpty())
                                     return fail(
                                         QStringLiteral("cannot %1 the applier: %2").arg(sub, e));
                                 m_ops->applierState(m_o.database, m_o.global, this, showState);
                             });
}

void CtlRunner::sync()
{
    ops::SyncOptions s;
    s.leaderEndpoint = m_o.leader;
    s.leaderDatabase = m_o.leaderDatabase;
    s.leaderUser = m_o.leaderUser;
    s.leaderPassword = m_leaderPassword;
    s.includeSystem = m_o.includeSystem;
    if (!m_o.collections.isEmpty()) {
        s.restrictType = QStringLiteral("include");
        s.restrictCollections = m_o.collections;
    } else if (!m_o.exclude.isEmpty()) {
        s.restrictType = QStringLiteral("exclude");
        s.restrictCollections = m_o.exclude;
    }
    if (m_o.preview) {
        return m_ops->previewSync(
            m_o.database, s, this, [this](const ops::SyncPlan &p, const QString &e) {
                if (!e.isEmpty())
                    return fail(QStringLiteral("cannot preview the sync: %1").arg(e));
                if (m_o.json) {
                    printJson(p.toJson());
                    return done();
                }
                QList<QStringList> rows;
                for (const ops::SyncPlan::Entry &c : p.collections)
                    rows.append({c.name, ops::SyncPlan::actionName(c.action),
                                 c.action == ops::SyncPlan::Entry::Action::DropAndCopy
                                     ? QString::number(c.purged)
                                     : QStringLiteral("-"),
                                 c.action == ops::SyncPlan::Entry::Action::Keep
                                     ? QStringLiteral("-")
                                     : QString::number(c.copied)});
                printTable({QStringLiteral("COLLECTION"), QStringLiteral("ACTION"),
                            QStringLiteral("PURGED"), QStringLiteral("COPIED")},
                           rows);
                m_out << "\n"
                      << p.purged << " local documents would be purged and " << p.copied
                      << " copied from the leader (its log at tick " << p.leaderTick << ").\n"
                      << "Nothing was changed. Run again with --confirm " << m_o.database
                      << " to sync.\n";
                done();
            });
    }
    m_ops->sync(
        m_o.database, s, *m_o.confirm, this, [this](const QJsonObject &r, const QString &e) {
            if (!e.isEmpty())
                return fail(e.startsWith(u"Not confirmed")
                                ? e
                                : e + u'\n' + m_ops->dialect().syncFailureNote());
            if (m_o.json) {
                printJson(r);
                return done();
            }
            const QJsonArray cols = r.value(QStringLiteral("collections")).toArray();
            const QString tick = tickText(r.value(QStringLiteral("lastLogTick")));
            m_out << "synced " << cols.size() << " collections; the leader's log was at tick "
                  << tick << ".\nStart the applier from there: repldeskctl applier start --from "
                  << tick << "\n";
            done();
        });
}

void CtlRunner::follow(quint64 from)
{
    const bool longPoll = m_ops->dialect().longPollsTail();
    m_ops->tail(
        m_o.database, from, 1024 * 1024, longPoll ? 5000 : 0, this,
        [this, from, longPoll](const ops::LogChunk &c, const QString &e) {
            if (!e.isEmpty())
                return fail(QStringLiteral("cannot follow the log: %1").arg(e));
            if (!c.fromPresent)
                m_err << "repldeskctl: warning: the server no longer has every event after "
                         "tick "
                      << from << " (pruned); some were missed\n";
            for (const ops::LogEvent &ev : c.events) {
                if (m_o.json)
                    m_out << QJsonDocument(
                                 QJsonObject{{QStringLiteral("tick"), QString::number(ev.tick)},
                                             {QStringLiteral("type"), ev.type},
                                             {QStringLiteral("database"), ev.database},
                                             {QStringLiteral("collection"), ev.collection},
                                             {QStringLiteral("key"), ev.key}})
                                 .toJson(QJsonDocument::Compact)
                          << "\n";
                else
                    m_out << QString::number(ev.tick).leftJustified(12) << ' '
                          << logEventTypeName(ev.type).leftJustified(28) << ' '
                          << (ev.collection.isEmpty() ? QStringLiteral("-") : ev.collection)
                                 .leftJustified(20)
                          << ' ' << (ev.key.isEmpty() ? QStringLiteral("-") : ev.key) << "\n";
                if (m_o.limit > 0 && ++m_printed >= m_o.limit) {
                    m_out.flush();
                    return done();
                }
            }
            m_out.flush();
            const quint64 next = c.lastIncluded > 0 ? c.lastIncluded : from;
            const int pause = c.checkMore || longPoll ? 0 : 500;
            QTimer::singleShot(pause, this, [this, next] { follow(next); });
        });
}

void CtlRunner::lag()
{
    m_ops->applierState(
        m_o.database, m_o.global, this, [this](const QJsonObject &s, const QString &e) {
            if (!e.isEmpty())
                return fail(QStringLiteral("cannot read the applier state: %1").arg(e));
            const QJsonObject st = s.value(QStringLiteral("state")).toObject();
            const quint64 applied =
                tickText(st.value(QStringLiteral("lastAppliedContinuousTick"))).toULongLong();
            const quint64 available =
                tickText(st.value(QStringLiteral("lastAvailableContinuousTick"))).toULongLong();
            const quint64 behind = available > applied ? available - applied : 0;
            const bool running = st.value(QStringLiteral("running")).toBool();
            if (m_o.json) {
                printJson(
                    QJsonObject{{QStringLiteral("database"), m_o.global ? QString() : m_o.database},
                                {QStringLiteral("running"), running},
                                {QStringLiteral("leaderTick"), QString::number(available)},
                                {QStringLiteral("appliedTick"), QString::number(applied)},
                                {QStringLiteral("ticksBehind"), double(behind)},
                                {QStringLiteral("time"), st.value(QStringLiteral("time"))}});
                return done();
            }
            m_out << "applier      " << (running ? "running" : "stopped") << "\n"
                  << "leader tick  " << available << "\n"
                  << "applied      " << applied << "\n"
                  << "behind       " << behind << " ticks\n";
            done();
        });
}

} // namespace repl::ctl
