#pragma once

#include "BenchSupport.h"
#include "BenchTable.h"
#include "support/ServerProcess.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <map>

// Pieces the CouchDB-protocol benchmarks share: a database's whole replicated state and its
// comparison, a seq handed back as given, and a server process's peak memory and CPU time.
namespace bench {

QByteArray compact(const QJsonObject &o);

// `db` on a repldesk-server as a replication peer's URL, root's credentials in it.
QString remoteDatabase(const repl::test::ServerProcess &server, const QString &db);

// A seq handed back as given: CouchDB 2+ sends opaque strings, we and CouchDB 1.x numbers.
QString seqParam(const QJsonValue &seq);

// What a replication must reproduce: per id, its sorted leaves as "rev" or "rev deleted".
using State = std::map<QString, QStringList>;

// The whole state of `db` on the server `c` talks to (ours, CouchDB or pouchdb-server).
bool readState(RawClient &c, const QString &db, State *state, QString *error);

// Prints "state equal" or the first differences; true when equal.
bool compareStates(const QString &what, const State &source, const State &target);

// Peak resident set between resetPeak and peakMiB (Linux's VmHWM, reset by clear_refs).
void resetPeak(qint64 pid);
double peakMiB(qint64 pid);

// CPU time (user + system) the process has used so far, in seconds.
double cpuSeconds(qint64 pid);

// A repldesk-server's CouchDB replication request counters, read from /_admin/metrics/v2:
// per request kind ("_changes", "_revs_diff", …), requests sent, seconds waited for answers
// and seconds the replication thread spent on them. Subtract two readings for one run.
struct RequestFigures
{
    double requests = 0, waitSeconds = 0, handlingSeconds = 0;
};
using RequestShares = std::map<QString, RequestFigures>;
bool readRequestFigures(RawClient &c, RequestShares *out, QString *error);
RequestShares minus(const RequestShares &after, const RequestShares &before);
// One row per request kind the run sent, in the protocol's order: its share of the summed
// waits, with counts and the handling time in the note.
void appendRequestRows(QList<BenchRow> &rows, const QString &run, const RequestShares &shares);

} // namespace bench
