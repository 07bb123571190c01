// LagHistoryStore's reading jobs: range queries (reduced for charts) and CSV export.
#include "gui/LagHistoryStore.h"

#include <QDateTime>
#include <QLocale>
#include <QSaveFile>
#include <QSet>
#include <QSqlError>
#include <QVariant>

#include <algorithm>
#include <limits>

namespace repl::gui::detail {

namespace {
constexpr qint64 ExportWindowMs = 15 * 60000; // an export reads a server's samples by windows
constexpr qsizetype ExportChunkBytes = 4 << 20;

QByteArray csvField(const QString &s)
{
    QByteArray b = s.toUtf8();
    if (b.contains(',') || b.contains('"') || b.contains('\n') || b.contains('\r'))
        b = '"' + b.replace("\"", "\"\"") + '"';
    return b;
}

const QString Columns = QStringLiteral("t, leader, applied, behind, secs, running, err");

LagSample sampleAt(const QSqlQuery &q, int first, const QString &server, const QString &database)
{
    return LagSample{server,
                     database,
                     q.value(first).toLongLong(),
                     quint64(q.value(first + 1).toLongLong()),
                     quint64(q.value(first + 2).toLongLong()),
                     quint64(q.value(first + 3).toLongLong()),
                     q.value(first + 4).toDouble(),
                     q.value(first + 5).toInt() != 0,
                     q.value(first + 6).toInt()};
}
} // namespace

struct LagHistoryStore::QueryState
{
    QList<QString> servers;
    qsizetype index = 0;
    qint64 fromMs = 0;
    qint64 toMs = 0;
    int maxPoints = 0;
    std::shared_ptr<QList<LagSample>> out;
    LagHistoryReply *reply = nullptr;
    std::optional<QSqlQuery> count;
    std::optional<QSqlQuery> plain;
    std::optional<QSqlQuery> buckets;
};

struct LagHistoryStore::ExportState
{
    QSaveFile file;
    QList<QString> servers;
    qsizetype index = 0;
    qint64 fromMs = 0;
    qint64 toMs = 0;
    qint64 cursor = 0;
    qint64 rows = 0;
    QList<Series> series; // of servers[index], by database; empty: not yet set up
    QHash<qint64, int> rank;
    QHash<qint64, QByteArray> names; // "server,database," as written
    std::optional<QSqlQuery> window;
    std::shared_ptr<LagExportResult> out;
    LagHistoryReply *reply = nullptr;
};

QList<QString> LagHistoryStore::serversFor(const QStringList &wanted) const
{
    if (wanted.isEmpty())
        return m_seriesByServer.keys();
    QList<QString> out;
    for (const QString &s : QSet<QString>(wanted.begin(), wanted.end()))
        if (m_seriesByServer.contains(s))
            out.append(s);
    std::sort(out.begin(), out.end());
    return out;
}

// ---- query ----------------------------------------------------------------------------------

void LagHistoryStore::query(const QStringList &servers, qint64 fromMs, qint64 toMs, int maxPoints,
                            std::shared_ptr<QList<LagSample>> out, LagHistoryReply *reply)
{
    auto q = std::make_shared<QueryState>();
    q->servers = m_open && fromMs <= toMs ? serversFor(servers) : QList<QString>();
    q->fromMs = fromMs;
    q->toMs = toMs;
    q->maxPoints = maxPoints;
    q->out = std::move(out);
    q->reply = reply;
    const QString where = QStringLiteral("FROM samples WHERE series = ? AND t BETWEEN ? AND ?");
    // Each bucket's sample of the largest ticksBehind and that of the largest secondsBehind
    // (SQLite takes bare columns from the row of a lone max()); UNION keeps one of a pair that is
    // the same row.
    const QString bucket =
        QStringLiteral("SELECT %1 FROM (SELECT %1, MAX(%2) %3 GROUP BY (t - ?) / ?)");
    if (q->servers.isEmpty() ||
        !(prepare(q->count, QStringLiteral("SELECT COUNT(*), MIN(t), MAX(t) ") + where) &&
          prepare(q->plain, QStringLiteral("SELECT %1 %2 ORDER BY t").arg(Columns, where)) &&
          prepare(q->buckets, bucket.arg(Columns, QStringLiteral("behind"), where) +
                                  QStringLiteral(" UNION ") +
                                  bucket.arg(Columns, QStringLiteral("secs"), where) +
                                  QStringLiteral(" ORDER BY t")))) {
        answer(reply);
        return;
    }
    enqueue({[this, q] { return queryStep(*q); }, [q] { delete q->reply; }});
}

// One server a step.
bool LagHistoryStore::queryStep(QueryState &q)
{
    if (m_open && q.index < q.servers.size()) {
        const QList<Series> series = m_seriesByServer.value(q.servers.at(q.index++));
        QList<LagSample> rows;
        bool ok = true;
        for (const Series &s : series)
            if (!(ok = readSeries(s, q, rows)))
                break;
        if (series.size() > 1) // by time; one time's samples stay in database order
            std::stable_sort(rows.begin(), rows.end(), [](const LagSample &a, const LagSample &b) {
                return a.timeMs < b.timeMs;
            });
        q.out->append(rows);
        if (ok && m_open && q.index < q.servers.size())
            return false;
    }
    q.count.reset();
    q.plain.reset();
    q.buckets.reset();
    answer(q.reply);
    q.reply = nullptr;
    return true;
}

bool LagHistoryStore::readSeries(const Series &s, QueryState &q, QList<LagSample> &into)
{
    QSqlQuery &c = *q.count;
    c.bindValue(0, s.id);
    c.bindValue(1, q.fromMs);
    c.bindValue(2, q.toMs);
    if (!exec(c) || !c.next()) {
        fail(QStringLiteral("query"), c.lastError(), false);
        return false;
    }
    const qint64 n = c.value(0).toLongLong();
    const qint64 first = c.value(1).toLongLong();
    const qint64 last = c.value(2).toLongLong();
    c.finish();
    if (n == 0)
        return true;
    QSqlQuery *r = &*q.plain;
    if (q.maxPoints <= 0 || n <= q.maxPoints) {
        r->bindValue(0, s.id);
        r->bindValue(1, first);
        r->bindValue(2, last);
    } else {
        // maxPoints / 2 buckets over the samples' own span: at most two samples each.
        const quint64 buckets = quint64(std::max(1, q.maxPoints / 2));
        const quint64 width = std::min<quint64>((quint64(last) - quint64(first)) / buckets + 1,
                                                quint64(std::numeric_limits<qint64>::max()));
        r = &*q.buckets;
        for (int part = 0; part < 2; ++part) {
            r->bindValue(part * 5 + 0, s.id);
            r->bindValue(part * 5 + 1, first);
            r->bindValue(part * 5 + 2, last);
            r->bindValue(part * 5 + 3, first);
            r->bindValue(part * 5 + 4, qint64(width));
        }
    }
    if (!exec(*r)) {
        fail(QStringLiteral("query"), r->lastError(), false);
        return false;
    }
    while (r->next())
        into.append(sampleAt(*r, 0, s.server, s.database));
    r->finish();
    return true;
}

// ---- CSV export -----------------------------------------------------------------------------

void LagHistoryStore::exportCsv(const QString &path, const QStringList &servers, qint64 fromMs,
                                qint64 toMs, std::shared_ptr<LagExportResult> out,
                                LagHistoryReply *reply)
{
    auto e = std::make_shared<ExportState>();
    e->file.setFileName(path);
    e->servers = fromMs <= toMs ? serversFor(servers) : QList<QString>();
    e->fromMs = fromMs;
    e->toMs = toMs;
    e->out = std::move(out);
    e->reply = reply;
    if (!m_open) {
        QString error = LagHistoryStore::lastError();
        finishExport(*e, error.isEmpty() ? QStringLiteral("no lag history") : error);
        return;
    }
    if (!e->file.open(QIODevice::WriteOnly)) {
        finishExport(*e, QStringLiteral("cannot write %1: %2").arg(path, e->file.errorString()));
        return;
    }
    e->file.write("time,server,database,leaderTick,appliedTick,ticksBehind,secondsBehind,running,"
                  "errorNum\n");
    enqueue({[this, e] { return exportStep(*e); }, [e] { delete e->reply; }});
}

QString LagHistoryStore::lastError() const
{
    QMutexLocker lock(&m_shared->mutex);
    return m_shared->lastError;
}

// A server's samples are read by windows of time (ordered by time, then database); a step
// writes windows until its budget is spent.
bool LagHistoryStore::exportStep(ExportState &e)
{
    QElapsedTimer budget;
    budget.start();
    QByteArray chunk;
    auto writeChunk = [&] {
        if (!chunk.isEmpty() && e.file.write(chunk) != chunk.size())
            return false;
        chunk.clear();
        return true;
    };
    struct Row
    {
        int rank;
        qint64 series;
        LagSample s;
    };
    QList<Row> rows;
    while (budget.elapsed() < StepBudgetMs && chunk.size() < ExportChunkBytes) {
        if (!m_open) {
            finishExport(e, lastError());
            return true;
        }
        if (e.index >= e.servers.size()) {
            if (!writeChunk()) {
                finishExport(e, e.file.errorString());
                return true;
            }
            finishExport(e, QString());
            return true;
        }
        if (e.series.isEmpty()) { // the next server
            e.series = m_seriesByServer.value(e.servers.at(e.index));
            QStringList ids;
            e.rank.clear();
            e.names.clear();
            for (const Series &s : std::as_const(e.series)) {
                ids.append(QString::number(s.id));
                e.rank.insert(s.id, int(e.rank.size()));
                e.names.insert(s.id, csvField(s.server) + ',' + csvField(s.database) + ',');
            }
            if (!prepare(e.window,
                         QStringLiteral("SELECT series, %1 FROM samples WHERE series IN (%2) "
                                        "AND t BETWEEN ? AND ? ORDER BY t")
                             .arg(Columns, ids.join(u',')))) {
                finishExport(e, lastError());
                return true;
            }
            e.cursor = e.fromMs;
        }
        // Skip to the next sample of this server, then read one window from there.
        qint64 next = std::numeric_limits<qint64>::max();
        bool any = false;
        for (const Series &s : std::as_const(e.series)) {
            QSqlQuery &f = *m_first;
            f.bindValue(0, s.id);
            f.bindValue(1, e.cursor);
            if (!exec(f)) {
                fail(QStringLiteral("export"), f.lastError(), false);
                finishExport(e, lastError());
                return true;
            }
            if (f.next() && f.value(0).toLongLong() <= e.toMs) {
                next = std::min(next, f.value(0).toLongLong());
                any = true;
            }
            f.finish();
        }
        if (!any) {
            ++e.index;
            e.series.clear();
            e.window.reset();
            continue;
        }
        const bool lastWindow = quint64(e.toMs) - quint64(next) < quint64(ExportWindowMs);
        const qint64 end = lastWindow ? e.toMs : next + ExportWindowMs - 1;
        QSqlQuery &w = *e.window;
        w.bindValue(0, next);
        w.bindValue(1, end);
        if (!exec(w)) {
            fail(QStringLiteral("export"), w.lastError(), false);
            finishExport(e, lastError());
            return true;
        }
        rows.clear();
        while (w.next()) {
            const qint64 series = w.value(0).toLongLong();
            rows.append({e.rank.value(series), series, sampleAt(w, 1, QString(), QString())});
        }
        w.finish();
        if (e.series.size() > 1)
            std::stable_sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) {
                return a.s.timeMs < b.s.timeMs || (a.s.timeMs == b.s.timeMs && a.rank < b.rank);
            });
        for (const Row &r : std::as_const(rows)) {
            const LagSample &s = r.s;
            chunk += QDateTime::fromMSecsSinceEpoch(s.timeMs, Qt::UTC)
                         .toString(Qt::ISODateWithMs)
                         .toLatin1();
            chunk += ',';
            chunk += e.names.value(r.series);
            chunk += QByteArray::number(s.leaderTick) + ',' + QByteArray::number(s.appliedTick) +
                     ',' + QByteArray::number(s.ticksBehind) + ',' +
                     QByteArray::number(s.secondsBehind, 'g', QLocale::FloatingPointShortest) +
                     (s.running ? ",true," : ",false,") + QByteArray::number(s.errorNum) + '\n';
        }
        e.rows += rows.size();
        if (lastWindow) {
            ++e.index;
            e.series.clear();
            e.window.reset();
        } else {
            e.cursor = end + 1;
        }
    }
    if (!writeChunk()) {
        finishExport(e, e.file.errorString());
        return true;
    }
    return false;
}

void LagHistoryStore::finishExport(ExportState &e, const QString &error)
{
    e.window.reset();
    QString message = error;
    if (message.isEmpty() && !e.file.commit())
        message =
            QStringLiteral("cannot write %1: %2").arg(e.file.fileName(), e.file.errorString());
    else if (!message.isEmpty() && e.file.isOpen())
        e.file.cancelWriting(); // the temporary file goes; nothing replaces `path`
    e.out->error = message;
    e.out->rows = message.isEmpty() ? e.rows : 0;
    answer(e.reply);
    e.reply = nullptr;
}

} // namespace repl::gui::detail
