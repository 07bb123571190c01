#include "CouchBench.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>
#include <QUrl>

#include <unistd.h>

namespace bench {

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QString remoteDatabase(const repl::test::ServerProcess &server, const QString &db)
{
    QUrl u = server.baseUrl();
    u.setUserName(QStringLiteral("root"));
    u.setPassword(repl::test::ServerProcess::password());
    u.setPath(u'/' + db);
    return u.toString();
}

QString seqParam(const QJsonValue &seq)
{
    if (seq.isDouble())
        return QString::number(seq.toInteger());
    return QString::fromLatin1(QUrl::toPercentEncoding(seq.toString()));
}

// The whole state of `db`: _changes?style=all_docs lists every leaf (our server and CouchDB),
// but its `deleted` belongs to the winner only, so documents with more than one leaf or a
// deleted winner are read again with _bulk_get (no rev: all leaves, each with its _deleted).
bool readState(RawClient &c, const QString &db, State *state, QString *error)
{
    const auto r = c.get(u'/' + db + QStringLiteral("/_changes?style=all_docs"));
    if (r.status != 200) {
        *error = QStringLiteral("%1/_changes: %2").arg(db).arg(r.status);
        return false;
    }
    QStringList again;
    const QJsonArray rows =
        QJsonDocument::fromJson(r.body).object().value(QStringLiteral("results")).toArray();
    for (const QJsonValue &v : rows) {
        const QJsonObject row = v.toObject();
        const QString id = row.value(QStringLiteral("id")).toString();
        const QJsonArray changes = row.value(QStringLiteral("changes")).toArray();
        if (changes.size() > 1 || row.value(QStringLiteral("deleted")).toBool()) {
            again.append(id);
            continue;
        }
        (*state)[id] = {changes.first().toObject().value(QStringLiteral("rev")).toString()};
    }
    for (qsizetype start = 0; start < again.size(); start += 1000) {
        QJsonArray docs;
        for (const QString &id : again.mid(start, 1000))
            docs.append(QJsonObject{{QStringLiteral("id"), id}});
        const auto b = c.request("POST", u'/' + db + QStringLiteral("/_bulk_get"),
                                 compact({{QStringLiteral("docs"), docs}}));
        if (b.status != 200) {
            *error = QStringLiteral("%1/_bulk_get: %2").arg(db).arg(b.status);
            return false;
        }
        const QJsonArray results =
            QJsonDocument::fromJson(b.body).object().value(QStringLiteral("results")).toArray();
        for (const QJsonValue &res : results) {
            QStringList leaves;
            for (const QJsonValue &d : res.toObject().value(QStringLiteral("docs")).toArray()) {
                const QJsonObject ok = d.toObject().value(QStringLiteral("ok")).toObject();
                if (ok.isEmpty())
                    continue; // an error entry: the id then shows no leaves, a difference
                leaves.append(ok.value(QStringLiteral("_rev")).toString() +
                              (ok.value(QStringLiteral("_deleted")).toBool()
                                   ? QStringLiteral(" deleted")
                                   : QString()));
            }
            leaves.sort();
            (*state)[res.toObject().value(QStringLiteral("id")).toString()] = leaves;
        }
    }
    return true;
}

// Prints "state equal" or the first differences; true when equal.
bool compareStates(const QString &what, const State &source, const State &target)
{
    QTextStream out(stdout);
    int differences = 0;
    auto report = [&](const QString &id, const QStringList &s, const QStringList &t) {
        if (++differences <= 10)
            out << "  " << id << ": source [" << s.join(QStringLiteral(", ")) << "], target ["
                << t.join(QStringLiteral(", ")) << "]\n";
    };
    for (const auto &[id, leaves] : source) {
        const auto it = target.find(id);
        if (it == target.end())
            report(id, leaves, {});
        else if (it->second != leaves)
            report(id, leaves, it->second);
    }
    for (const auto &[id, leaves] : target)
        if (!source.count(id))
            report(id, {}, leaves);
    if (differences == 0)
        out << what << ": state equal (" << target.size() << " ids)\n";
    else
        out << what << ": state DIFFERS in " << differences << " ids (first 10 above)\n";
    out.flush();
    return differences == 0;
}

// Peak resident set between resetPeak and peakMiB: "5" to clear_refs resets VmHWM to the
// current RSS (Linux ≥ 4.0).
void resetPeak(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/clear_refs").arg(pid));
    if (f.open(QIODevice::WriteOnly))
        f.write("5");
}

double peakMiB(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong() / 1024.0;
    return -1;
}

// CPU time (user + system) the process has used so far, in seconds: /proc/PID/stat's utime
// and stime, after the command (which may hold spaces) in parentheses.
double cpuSeconds(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray stat = f.readAll();
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return -1;
    // After the command: state is field 3, utime 14 and stime 15 (proc(5)).
    const double ticks = double(sysconf(_SC_CLK_TCK));
    return (fields.at(11).toDouble() + fields.at(12).toDouble()) / ticks;
}

bool readRequestFigures(RawClient &c, RequestShares *out, QString *error)
{
    const auto r = c.get(QStringLiteral("/_admin/metrics/v2"));
    if (r.status != 200) {
        *error = QStringLiteral("/_admin/metrics/v2: %1").arg(r.status);
        return false;
    }
    out->clear();
    const QByteArray prefix = "repldesk_couch_replication_";
    for (const QByteArray &line : r.body.split('\n')) {
        if (!line.startsWith(prefix))
            continue;
        // name{request="kind"} value
        const qsizetype open = line.indexOf("{request=\""), close = line.indexOf("\"}");
        if (open < 0 || close < open)
            continue;
        const QByteArray name = line.mid(prefix.size(), open - prefix.size());
        const QString kind = QString::fromUtf8(line.mid(open + 10, close - open - 10));
        const double value = line.mid(close + 2).trimmed().toDouble();
        RequestFigures &f = (*out)[kind];
        if (name == "requests_total")
            f.requests = value;
        else if (name == "request_wait_seconds_total")
            f.waitSeconds = value;
        else if (name == "request_handling_seconds_total")
            f.handlingSeconds = value;
    }
    if (out->empty()) {
        *error = QStringLiteral("/_admin/metrics/v2 has no repldesk_couch_replication_requests");
        return false;
    }
    return true;
}

RequestShares minus(const RequestShares &after, const RequestShares &before)
{
    RequestShares d;
    for (const auto &[kind, a] : after) {
        const auto it = before.find(kind);
        const RequestFigures b = it == before.end() ? RequestFigures{} : it->second;
        d[kind] = {a.requests - b.requests, a.waitSeconds - b.waitSeconds,
                   a.handlingSeconds - b.handlingSeconds};
    }
    return d;
}

void appendRequestRows(QList<BenchRow> &rows, const QString &run, const RequestShares &shares)
{
    double waits = 0;
    for (const auto &[kind, f] : shares)
        waits += f.waitSeconds;
    for (const char *k : {"_changes", "_revs_diff", "_bulk_get", "_all_docs", "open_revs",
                          "_bulk_docs", "checkpoint", "other"}) {
        const QString kind = QString::fromLatin1(k);
        const auto it = shares.find(kind);
        if (it == shares.end() || it->second.requests < 1)
            continue;
        const RequestFigures &f = it->second;
        rows.append({run + QStringLiteral(": ") + kind + QStringLiteral(" share of waits"),
                     waits > 0 ? 100 * f.waitSeconds / waits : 0, QStringLiteral("%"),
                     QStringLiteral("%1 requests, %2 s waited (mean %3 ms), %4 s handling answers")
                         .arg(f.requests, 0, 'f', 0)
                         .arg(f.waitSeconds, 0, 'f', 2)
                         .arg(1000 * f.waitSeconds / f.requests, 0, 'f', 1)
                         .arg(f.handlingSeconds, 0, 'f', 2)});
    }
}

} // namespace bench
