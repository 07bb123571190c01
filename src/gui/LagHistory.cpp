#include "gui/LagHistory.h"
#include "gui/LagHistoryStore.h"

#include <QDir>
#include <QMutexLocker>
#include <QSettings>
#include <QStandardPaths>
#include <QThread>

#include <algorithm>

namespace repl::gui {

namespace {
const QString RetentionKey = QStringLiteral("history/retentionDays");

QString defaultPath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("lag-history.sqlite"));
}
} // namespace

LagHistory::LagHistory(const QString &path, QObject *parent)
    : QObject(parent)
    , m_path(path.isEmpty() ? defaultPath() : path)
    , m_shared(std::make_shared<detail::LagHistoryShared>())
    , m_thread(std::make_unique<QThread>())
{
    bool ok = false;
    const int days = QSettings().value(RetentionKey, DefaultRetentionDays).toInt(&ok);
    m_retentionDays = ok && days >= 1 && days <= 365 ? days : DefaultRetentionDays;
    m_thread->setObjectName(QStringLiteral("lag-history"));
    m_store = new detail::LagHistoryStore(m_path, m_shared, m_retentionDays);
    m_store->moveToThread(m_thread.get());
    connect(m_thread.get(), &QThread::finished, m_store, &QObject::deleteLater);
    connect(m_store, &detail::LagHistoryStore::purged, this, &LagHistory::purged);
    m_thread->start();
    // The first event of the store thread: everything asked later finds the file open (or not).
    QMetaObject::invokeMethod(m_store, &detail::LagHistoryStore::open, Qt::QueuedConnection);
}

LagHistory::~LagHistory()
{
    // Waits for the buffered samples to be committed (one transaction, usually a second's worth)
    // and for any job step under way (tens of ms); unfinished queries and exports are dropped.
    QMetaObject::invokeMethod(m_store, &detail::LagHistoryStore::shutdown,
                              Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
}

void LagHistory::append(const LagSample &s)
{
    if (m_shared->disabled.load(std::memory_order_relaxed))
        return;
    bool wake = false;
    {
        QMutexLocker lock(&m_shared->mutex);
        QList<LagSample> &b = m_shared->buffer;
        while (b.size() >= m_shared->limit) {
            b.removeFirst(); // O(1) in Qt 6: the list's start moves
            ++m_shared->dropped;
        }
        b.append(s);
        if (!m_shared->wakePosted) {
            m_shared->wakePosted = true;
            wake = true;
        }
    }
    if (wake) // once per write: the store starts its timer
        QMetaObject::invokeMethod(m_store, &detail::LagHistoryStore::samplesPending,
                                  Qt::QueuedConnection);
}

void LagHistory::setRetentionDays(int days)
{
    days = std::clamp(days, 1, 365);
    m_retentionDays = days;
    QSettings().setValue(RetentionKey, days);
    QMetaObject::invokeMethod(
        m_store, [store = m_store, days] { store->setRetentionDays(days); }, Qt::QueuedConnection);
}

int LagHistory::retentionDays() const
{
    return m_retentionDays;
}

detail::LagHistoryReply *LagHistory::makeReply(QObject *receiver, std::function<void()> fn)
{
    auto *reply = new detail::LagHistoryReply;
    // Queued to the receiver: the connection goes with the receiver, and so does the answer.
    connect(reply, &detail::LagHistoryReply::ready, receiver ? receiver : this, std::move(fn),
            Qt::QueuedConnection);
    reply->moveToThread(m_thread.get());
    return reply;
}

void LagHistory::query(const QStringList &servers, qint64 fromMs, qint64 toMs, int maxPoints,
                       QObject *receiver, std::function<void(const QList<LagSample> &)> done)
{
    auto out = std::make_shared<QList<LagSample>>();
    auto *reply = makeReply(receiver, [out, done = std::move(done)] {
        if (done)
            done(*out);
    });
    QMetaObject::invokeMethod(
        m_store,
        [store = m_store, servers, fromMs, toMs, maxPoints, out, reply] {
            store->query(servers, fromMs, toMs, maxPoints, out, reply);
        },
        Qt::QueuedConnection);
}

void LagHistory::exportCsv(const QString &path, const QStringList &servers, qint64 fromMs,
                           qint64 toMs, QObject *receiver,
                           std::function<void(const QString &error, qint64 rows)> done)
{
    auto out = std::make_shared<detail::LagExportResult>();
    auto *reply = makeReply(receiver, [out, done = std::move(done)] {
        if (done)
            done(out->error, out->rows);
    });
    QMetaObject::invokeMethod(
        m_store,
        [store = m_store, path, servers, fromMs, toMs, out, reply] {
            store->exportCsv(path, servers, fromMs, toMs, out, reply);
        },
        Qt::QueuedConnection);
}

void LagHistory::flush(QObject *receiver, std::function<void()> done)
{
    auto *reply = makeReply(receiver, [done = std::move(done)] {
        if (done)
            done();
    });
    QMetaObject::invokeMethod(
        m_store, [store = m_store, reply] { store->flush(reply); }, Qt::QueuedConnection);
}

void LagHistory::span(QObject *receiver, std::function<void(qint64 firstMs, qint64 lastMs)> done)
{
    auto out = std::make_shared<std::pair<qint64, qint64>>(0, 0);
    auto *reply = makeReply(receiver, [out, done = std::move(done)] {
        if (done)
            done(out->first, out->second);
    });
    QMetaObject::invokeMethod(
        m_store, [store = m_store, out, reply] { store->span(out, reply); }, Qt::QueuedConnection);
}

QString LagHistory::lastError() const
{
    QMutexLocker lock(&m_shared->mutex);
    return m_shared->lastError;
}

void LagHistory::setBufferLimit(qsizetype samples)
{
    QMutexLocker lock(&m_shared->mutex);
    m_shared->limit = std::max<qsizetype>(1, samples);
    while (m_shared->buffer.size() > m_shared->limit) {
        m_shared->buffer.removeFirst();
        ++m_shared->dropped;
    }
}

qsizetype LagHistory::bufferLimit() const
{
    QMutexLocker lock(&m_shared->mutex);
    return m_shared->limit;
}

quint64 LagHistory::droppedSamples() const
{
    QMutexLocker lock(&m_shared->mutex);
    return m_shared->dropped;
}

Qt::HANDLE LagHistory::lastSqlThreadId() const
{
    return m_shared->sqlThread.load();
}

Qt::HANDLE LagHistory::storeThreadId() const
{
    return m_shared->storeThread.load();
}

} // namespace repl::gui
