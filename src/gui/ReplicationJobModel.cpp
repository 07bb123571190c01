#include "gui/ReplicationJobModel.h"

#include "core/DocumentJson.h"

#include <QBrush>
#include <QColor>
#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QUrl>

#include <algorithm>
#include <utility>

namespace repl::gui {

namespace {

QString seqText(const QJsonValue &v)
{
    const QString s = couchSeqText(v);
    return s.size() > 14 ? s.left(12) + QStringLiteral("…") : s; // CouchDB 2+ opaque seqs
}

QString stateLabel(const QString &state)
{
    static const QHash<QString, const char *> labels{
        {QStringLiteral("initializing"),
         QT_TRANSLATE_NOOP("repl::gui::ReplicationJobModel", "starting")},
        {QStringLiteral("running"), QT_TRANSLATE_NOOP("repl::gui::ReplicationJobModel", "running")},
        {QStringLiteral("crashing"),
         QT_TRANSLATE_NOOP("repl::gui::ReplicationJobModel", "crashing, retrying")},
        {QStringLiteral("pending"), QT_TRANSLATE_NOOP("repl::gui::ReplicationJobModel", "pending")},
        {QStringLiteral("error"), QT_TRANSLATE_NOOP("repl::gui::ReplicationJobModel", "error")},
        {QStringLiteral("completed"),
         QT_TRANSLATE_NOOP("repl::gui::ReplicationJobModel", "completed")},
        {QStringLiteral("failed"), QT_TRANSLATE_NOOP("repl::gui::ReplicationJobModel", "failed")},
        {QStringLiteral("cancelled"),
         QT_TRANSLATE_NOOP("repl::gui::ReplicationJobModel", "cancelled")},
        {QStringLiteral("stopped"),
         QT_TRANSLATE_NOOP("repl::gui::ReplicationJobModel", "stopped")}};
    const char *label = labels.value(state);
    return label ? QCoreApplication::translate("repl::gui::ReplicationJobModel", label) : state;
}

// "orders @ db1:5984" for a URL (the database first: it is what differs between rows), the
// name as is for a database of this server.
QString endpointLabel(const QString &endpoint)
{
    if (!endpoint.contains(QStringLiteral("://")))
        return endpoint;
    const QUrl u(endpoint);
    QString db = u.path();
    while (db.endsWith(u'/'))
        db.chop(1);
    while (db.startsWith(u'/'))
        db.remove(0, 1);
    const QString host =
        u.port() > 0 ? QStringLiteral("%1:%2").arg(u.host()).arg(u.port()) : u.host();
    return QStringLiteral("%1 @ %2").arg(db, host);
}

QColor stateColor(const QString &state)
{
    if (state == u"running" || state == u"completed")
        return QColor(0x2e, 0x7d, 0x32);
    if (state == u"crashing" || state == u"initializing" || state == u"pending")
        return QColor(0xb2, 0x6a, 0x00);
    if (state == u"failed" || state == u"error")
        return QColor(0xc6, 0x28, 0x28);
    return QColor(0x61, 0x61, 0x61);
}

} // namespace

QJsonObject ReplicationJobModel::normalized(QJsonObject job)
{
    const QJsonValue infoValue = job.value(QStringLiteral("info"));
    const QJsonObject info = infoValue.toObject();
    for (auto it = info.begin(); it != info.end(); ++it)
        if (!job.contains(it.key()) && it.key() != u"error")
            job.insert(it.key(), it.value());
    if (!job.contains(QStringLiteral("replication_id")))
        job.insert(QStringLiteral("replication_id"), job.value(QStringLiteral("id")));
    const QJsonArray history = job.value(QStringLiteral("history")).toArray();
    if (!job.contains(QStringLiteral("state"))) {
        // A scheduler job: its state is its newest event.
        const QString event = history.first().toObject().value(QStringLiteral("type")).toString();
        job.insert(QStringLiteral("state"), event == u"crashed"   ? QStringLiteral("crashing")
                                            : event == u"added"   ? QStringLiteral("pending")
                                            : event == u"stopped" ? QStringLiteral("stopped")
                                                                  : QStringLiteral("running"));
    }
    if (!job.contains(QStringLiteral("continuous")))
        job.insert(QStringLiteral("continuous"), job.value(QStringLiteral("replication_id"))
                                                     .toString()
                                                     .contains(QStringLiteral("+continuous")));
    if (job.value(QStringLiteral("last_error")).toString().isEmpty()) {
        // Why it fails: a scheduler doc's info.error, else the newest crash's reason.
        QString reason = info.value(QStringLiteral("error")).toString();
        for (qsizetype i = 0; i < history.size() && reason.isEmpty(); ++i)
            if (history[i][QStringLiteral("type")].toString() == u"crashed")
                reason = history[i][QStringLiteral("reason")].toString();
        if (!reason.isEmpty())
            job.insert(QStringLiteral("last_error"), reason);
    }
    if (job.value(QStringLiteral("error_name")).toString().isEmpty()) {
        // CouchDB's reasons start with the error's name: "db_not_found: could not open …".
        const QString error = job.value(QStringLiteral("last_error")).toString();
        const qsizetype colon = error.indexOf(u':');
        if (colon > 0 && !error.left(colon).contains(u' '))
            job.insert(QStringLiteral("error_name"), error.left(colon));
    }
    for (const char *key : {"started_on", "updated_on"}) {
        const QJsonValue v = job.value(QLatin1String(key));
        if (v.isString())
            job.insert(QLatin1String(key),
                       QDateTime::fromString(v.toString(), Qt::ISODate).toSecsSinceEpoch());
    }
    for (const auto &[from, to] :
         {std::pair{"start_time", "started_on"}, std::pair{"last_updated", "updated_on"}}) {
        if (!job.contains(QLatin1String(to)) && job.value(QLatin1String(from)).isString())
            job.insert(QLatin1String(to),
                       QDateTime::fromString(job.value(QLatin1String(from)).toString(), Qt::ISODate)
                           .toSecsSinceEpoch());
    }
    return job;
}

void ReplicationJobModel::setJobs(const QJsonArray &jobs)
{
    QList<QJsonObject> next;
    for (const QJsonValue &v : jobs)
        next.append(normalized(v.toObject()));
    // Newest first, so what was just started is on top.
    std::stable_sort(next.begin(), next.end(), [](const QJsonObject &a, const QJsonObject &b) {
        return a.value(QStringLiteral("started_on")).toInteger() >
               b.value(QStringLiteral("started_on")).toInteger();
    });
    if (next == m_jobs)
        return; // a poll that changed nothing repaints nothing
    if (next.size() == m_jobs.size()) {
        bool sameIds = true;
        for (qsizetype i = 0; i < next.size() && sameIds; ++i)
            sameIds = next[i].value(QStringLiteral("replication_id")) ==
                          m_jobs[i].value(QStringLiteral("replication_id")) &&
                      next[i].value(QStringLiteral("doc_id")) ==
                          m_jobs[i].value(QStringLiteral("doc_id"));
        if (sameIds) {
            m_jobs = std::move(next);
            if (!m_jobs.isEmpty())
                Q_EMIT dataChanged(index(0, 0), index(int(m_jobs.size()) - 1, ColumnCount - 1));
            return;
        }
    }
    beginResetModel();
    m_jobs = std::move(next);
    endResetModel();
}

int ReplicationJobModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_jobs.size());
}

int ReplicationJobModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

int ReplicationJobModel::progressOf(const QJsonObject &job)
{
    if (job.value(QStringLiteral("state")).toString() == u"completed")
        return 100;
    const QJsonValue pending = job.value(QStringLiteral("changes_pending"));
    if (!pending.isDouble())
        return -1;
    const double written = job.value(QStringLiteral("docs_written")).toDouble();
    const double total = written + pending.toDouble();
    return total <= 0 ? 100 : int(100.0 * written / total);
}

QVariant ReplicationJobModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_jobs.size())
        return {};
    const QJsonObject &j = m_jobs[index.row()];
    const QString state = j.value(QStringLiteral("state")).toString(QStringLiteral("running"));
    switch (role) {
    case IdRole:
        return j.value(QStringLiteral("replication_id")).toString();
    case DocIdRole:
        return j.value(QStringLiteral("doc_id")).toString();
    case ProgressRole:
        return progressOf(j);
    case ErrorRole:
        return j.value(QStringLiteral("last_error")).toString();
    case ErrorNameRole:
        return j.value(QStringLiteral("error_name")).toString();
    case JobRole:
        return j;
    case Qt::ForegroundRole:
        return index.column() == State ? QVariant(QBrush(stateColor(state))) : QVariant();
    case Qt::ToolTipRole:
        if (index.column() == Source || index.column() == Target)
            return j
                .value(index.column() == Source ? QStringLiteral("source")
                                                : QStringLiteral("target"))
                .toString();
        return j.value(QStringLiteral("last_error")).toString().isEmpty()
                   ? j.value(QStringLiteral("replication_id")).toString()
                   : j.value(QStringLiteral("last_error")).toString();
    case Qt::TextAlignmentRole:
        return index.column() >= Written && index.column() <= Checkpointed
                   ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                   : QVariant();
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case State:
        return QStringLiteral("● ") + stateLabel(state);
    case Document:
        return isDocument(j) ? j.value(QStringLiteral("doc_id")).toString() : tr("transient");
    case Source:
        return endpointLabel(j.value(QStringLiteral("source")).toString());
    case Target:
        return endpointLabel(j.value(QStringLiteral("target")).toString());
    case Kind:
        return j.value(QStringLiteral("continuous")).toBool() ? tr("continuous") : tr("one-shot");
    case Progress: {
        const int p = progressOf(j);
        return p < 0 ? QString() : QStringLiteral("%1 %").arg(p);
    }
    case Written:
        return j.value(QStringLiteral("docs_written")).toInteger();
    case Read:
        return j.value(QStringLiteral("docs_read")).toInteger();
    case Failures:
        return j.value(QStringLiteral("doc_write_failures")).toInteger();
    case Pending: {
        const QJsonValue p = j.value(QStringLiteral("changes_pending"));
        return p.isDouble() ? QVariant(p.toInteger()) : QVariant(QStringLiteral("–"));
    }
    case Checkpointed:
        return seqText(j.value(QStringLiteral("checkpointed_source_seq")));
    case Updated: {
        const qint64 t = j.value(QStringLiteral("updated_on")).toInteger();
        return t > 0 ? QDateTime::fromSecsSinceEpoch(t).toLocalTime().toString(
                           QStringLiteral("HH:mm:ss"))
                     : QString();
    }
    default:
        return {};
    }
}

QVariant ReplicationJobModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case State:
        return tr("State");
    case Document:
        return tr("Document");
    case Source:
        return tr("Source");
    case Target:
        return tr("Target");
    case Kind:
        return tr("Kind");
    case Progress:
        return tr("Progress");
    case Written:
        return tr("Written");
    case Read:
        return tr("Read");
    case Failures:
        return tr("Failures");
    case Pending:
        return tr("Pending");
    case Checkpointed:
        return tr("Checkpoint");
    case Updated:
        return tr("Updated");
    default:
        return {};
    }
}

QString replicationRemedy(const QString &errorName)
{
    if (errorName == u"db_not_found")
        return ReplicationJobModel::tr(
            "The source or target database does not exist or cannot be reached. Check the URL "
            "and the database name; tick “Create target” to have a missing target created.");
    if (errorName == u"unauthorized" || errorName == u"forbidden")
        return ReplicationJobModel::tr(
            "The server refused the credentials. Put user:password in the URL (it is moved to a "
            "header and never logged) or check the account's rights on that database.");
    if (errorName == u"not_found")
        return ReplicationJobModel::tr(
            "The filter's design document or function was not found on the source. Check "
            "“ddoc/name” and that _design/ddoc holds filters.name.");
    if (errorName == u"changes_reader_died" || errorName == u"worker_died")
        return ReplicationJobModel::tr(
            "A peer stopped answering or answered with an error. Check that both servers run "
            "and are reachable; continuous jobs retry by themselves with a growing delay.");
    if (errorName == u"cancelled")
        return ReplicationJobModel::tr("The job was cancelled. Start it again to resume from its "
                                       "last checkpoint.");
    if (errorName == u"bad_request")
        return ReplicationJobModel::tr("The request was refused; the message names the field to "
                                       "fix.");
    return ReplicationJobModel::tr("See the message; the server's log has details.");
}

bool ReplicationJobModel::isActive(const QJsonObject &job)
{
    const QString state = job.value(QStringLiteral("state")).toString(QStringLiteral("running"));
    return state == u"running" || state == u"initializing" || state == u"crashing" ||
           state == u"pending";
}

bool ReplicationJobModel::isDocument(const QJsonObject &job)
{
    return job.value(QStringLiteral("doc_id")).isString() &&
           !job.value(QStringLiteral("doc_id")).toString().isEmpty();
}

int ReplicationJobModel::activeCount() const
{
    return int(std::count_if(m_jobs.cbegin(), m_jobs.cend(), &ReplicationJobModel::isActive));
}

} // namespace repl::gui
