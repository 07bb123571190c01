// LagHistoryStore's retention: old samples deleted in slices, and the space given back when
// that frees much of the file.
#include "gui/LagHistoryStore.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QSqlError>
#include <QVariant>

namespace repl::gui::detail {

namespace {
constexpr int PurgeSliceRows = 5000;  // rows per DELETE (one short transaction each)
constexpr int VacuumSlicePages = 256; // pages given back per step (1 MiB)
constexpr qint64 DayMs = 24LL * 3600 * 1000;
} // namespace

struct LagHistoryStore::PurgeState
{
    qint64 cutoffMs = 0;
    QList<qint64> series;
    qsizetype index = 0;
    qint64 deleted = 0;
    bool vacuum = false; // giving free pages back to the file system
    std::optional<QSqlQuery> bound;
    std::optional<QSqlQuery> remove;
};

void LagHistoryStore::setRetentionDays(int days)
{
    m_retentionDays = days;
    startPurge();
}

void LagHistoryStore::startPurge()
{
    if (!m_open)
        return;
    if (m_purging) {
        m_purgeAgain = true; // with the new retention once the running pass is over
        return;
    }
    m_purging = true;
    auto p = std::make_shared<PurgeState>();
    p->cutoffMs = QDateTime::currentMSecsSinceEpoch() - m_retentionDays * DayMs;
    for (auto it = m_seriesIds.constBegin(); it != m_seriesIds.constEnd(); ++it)
        p->series.append(*it);
    if (!prepare(p->bound, QStringLiteral("SELECT t FROM samples WHERE series = ? AND t < ? "
                                          "ORDER BY t LIMIT 1 OFFSET %1")
                               .arg(PurgeSliceRows - 1)) ||
        !prepare(p->remove, QStringLiteral("DELETE FROM samples WHERE series = ? AND t <= ?"))) {
        m_purging = false;
        return;
    }
    enqueue({[this, p] { return purgeStep(*p); }, [] {}});
}

// Deletes in slices of at most PurgeSliceRows rows of one series, each its own transaction.
// When that leaves over a quarter of the file free (the retention was shortened), the free pages
// go back to the file system, VacuumSlicePages a step.
bool LagHistoryStore::purgeStep(PurgeState &p)
{
    if (!m_open)
        return endPurge(p);
    if (p.vacuum) {
        // Each step of the statement frees one page (Qt SQL steps it once an exec), all in one
        // transaction; the file is cut when it commits.
        const qint64 freeBefore = pragma("freelist_count");
        QSqlQuery v(m_db);
        bool ok = exec(QStringLiteral("BEGIN IMMEDIATE")) &&
                  v.prepare(QStringLiteral("PRAGMA incremental_vacuum"));
        for (int i = 0; ok && i < VacuumSlicePages; ++i)
            ok = exec(v);
        if (!ok)
            fail(QStringLiteral("vacuum"), v.lastError(), false);
        v.finish();
        if (!m_open)
            return endPurge(p);
        if (!ok || !exec(QStringLiteral("COMMIT"))) {
            QSqlQuery(m_db).exec(QStringLiteral("ROLLBACK"));
            return endPurge(p);
        }
        const qint64 freeAfter = pragma("freelist_count");
        return freeAfter > 0 && freeAfter < freeBefore ? false : endPurge(p);
    }
    QElapsedTimer budget;
    budget.start();
    int rows = 0;
    while (p.index < p.series.size() && rows < PurgeSliceRows && budget.elapsed() < StepBudgetMs &&
           m_open) {
        const qint64 series = p.series.at(p.index);
        QSqlQuery &b = *p.bound;
        b.bindValue(0, series);
        b.bindValue(1, p.cutoffMs);
        if (!exec(b)) {
            fail(QStringLiteral("retention"), b.lastError(), false);
            return endPurge(p); // the next pass (hourly) tries again
        }
        const bool more = b.next(); // the series has at least a whole slice to go
        const qint64 upTo = more ? b.value(0).toLongLong() : p.cutoffMs - 1;
        b.finish();
        QSqlQuery &d = *p.remove;
        d.bindValue(0, series);
        d.bindValue(1, upTo);
        if (!exec(d)) {
            fail(QStringLiteral("retention"), d.lastError(), false);
            return endPurge(p);
        }
        rows += d.numRowsAffected();
        if (!more)
            ++p.index;
    }
    p.deleted += rows;
    if (p.index < p.series.size() && m_open)
        return false;
    const qint64 free = p.deleted > 0 ? pragma("freelist_count") : 0;
    p.vacuum = free > VacuumSlicePages && free * 4 > pragma("page_count");
    return p.vacuum ? false : endPurge(p);
}

bool LagHistoryStore::endPurge(PurgeState &p)
{
    p.bound.reset();
    p.remove.reset();
    m_purging = false;
    if (p.deleted > 0)
        qCInfo(lcHistory) << "lag history: retention" << m_retentionDays << "days deleted"
                          << p.deleted << "samples";
    Q_EMIT purged(p.deleted);
    if (m_purgeAgain) {
        m_purgeAgain = false;
        startPurge();
    }
    return true;
}

qint64 LagHistoryStore::pragma(const char *name)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.prepare(QStringLiteral("PRAGMA %1").arg(QLatin1StringView(name))) || !exec(q) ||
        !q.next())
        return -1;
    return q.value(0).toLongLong();
}

} // namespace repl::gui::detail
