// LagHistory: the app's own store of lag samples (SQLite on a thread of its own), tested on
// real files in a temporary folder.
#include "gui/LagHistory.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <memory>
#include <optional>

namespace repl::gui {
char *toString(const LagSample &s)
{
    return QTest::toString(QStringLiteral("%1/%2 t=%3 leader=%4 applied=%5 behind=%6 s=%7 run=%8 "
                                          "err=%9")
                               .arg(s.server, s.database)
                               .arg(s.timeMs)
                               .arg(s.leaderTick)
                               .arg(s.appliedTick)
                               .arg(s.ticksBehind)
                               .arg(s.secondsBehind, 0, 'g', 17)
                               .arg(s.running)
                               .arg(s.errorNum));
}
} // namespace repl::gui

using repl::gui::LagHistory;
using repl::gui::LagSample;

namespace {
constexpr qint64 DayMs = 24LL * 3600 * 1000;
// Yesterday 00:00:00.123 UTC: within the default retention, so reopening keeps the samples.
const qint64 T0 = (QDateTime::currentMSecsSinceEpoch() / DayMs - 1) * DayMs + 123;
constexpr int WaitMs = 20000;

LagSample sample(const QString &server, const QString &database, qint64 t, quint64 behind,
                 double seconds, bool running = true, int error = 0)
{
    const quint64 leader = (quint64(1) << 62) + quint64(t % 1000003) * 7 + behind;
    return {server, database, t, leader, leader - behind, behind, seconds, running, error};
}

// The order query() and exportCsv() promise: server, time, then database.
void sortLikeTheStore(QList<LagSample> &v)
{
    std::sort(v.begin(), v.end(), [](const LagSample &a, const LagSample &b) {
        return std::tie(a.server, a.timeMs, a.database) < std::tie(b.server, b.timeMs, b.database);
    });
}
} // namespace

class TestLagHistory : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString file(const QString &name) const { return m_dir.filePath(name); }

    // The answers, waited for on this (the "GUI") thread.
    std::optional<QList<LagSample>> query(LagHistory &h, const QStringList &servers, qint64 from,
                                          qint64 to, int maxPoints)
    {
        std::optional<QList<LagSample>> got;
        h.query(servers, from, to, maxPoints, this, [&got](const QList<LagSample> &r) { got = r; });
        if (!QTest::qWaitFor([&] { return got.has_value(); }, WaitMs))
            return std::nullopt;
        return got;
    }
    bool flush(LagHistory &h)
    {
        bool done = false;
        h.flush(this, [&done] { done = true; });
        return QTest::qWaitFor([&] { return done; }, WaitMs);
    }
    std::optional<std::pair<qint64, qint64>> span(LagHistory &h)
    {
        std::optional<std::pair<qint64, qint64>> got;
        h.span(this, [&got](qint64 a, qint64 b) { got = std::make_pair(a, b); });
        if (!QTest::qWaitFor([&] { return got.has_value(); }, WaitMs))
            return std::nullopt;
        return got;
    }
    struct Export
    {
        QString error;
        qint64 rows = -1;
    };
    std::optional<Export> exportCsv(LagHistory &h, const QString &path, const QStringList &servers,
                                    qint64 from, qint64 to)
    {
        std::optional<Export> got;
        h.exportCsv(path, servers, from, to, this, [&got](const QString &e, qint64 rows) {
            got = Export{e, rows};
        });
        if (!QTest::qWaitFor([&] { return got.has_value(); }, WaitMs))
            return std::nullopt;
        return got;
    }
    static void compareSamples(const QList<LagSample> &actual, const QList<LagSample> &expected)
    {
        QCOMPARE(actual.size(), expected.size());
        for (qsizetype i = 0; i < actual.size(); ++i)
            QCOMPARE(actual.at(i), expected.at(i));
    }

    // 3 servers, two databases on the first (one named, one left empty: "_system").
    static QList<LagSample> mixedSamples()
    {
        QList<LagSample> v;
        for (int i = 0; i < 60; ++i) {
            const qint64 t = T0 + i * 1000;
            v.append(sample(QStringLiteral("srv-b"), QStringLiteral("orders"), t, quint64(i % 9),
                            i * 0.125, i % 4 != 0, i % 10 == 0 ? 1403 : 0));
            v.append(sample(QStringLiteral("srv-b"), QString(), t + 1, quint64(i), 0.5 + i));
            v.append(sample(QStringLiteral("srv-a"), QStringLiteral("shop"), t + 2, 0, 0.0));
            v.append(sample(QStringLiteral("srv-c"), QStringLiteral("x"), t + 3, 123456789, 1e-3));
        }
        return v;
    }
    static QList<LagSample> stored(QList<LagSample> v)
    {
        for (LagSample &s : v)
            if (s.database.isEmpty())
                s.database = QStringLiteral("_system");
        sortLikeTheStore(v);
        return v;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("ReplDeskTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_laghistory"));
        QSettings().remove(QStringLiteral("history/retentionDays"));
        QVERIFY(m_dir.isValid());
    }
    void cleanupTestCase() { QSettings().remove(QStringLiteral("history/retentionDays")); }

    void appendedSamplesAreReadBack()
    {
        LagHistory h(file(QStringLiteral("basic.sqlite")));
        const QList<LagSample> in = mixedSamples();
        for (const LagSample &s : in)
            h.append(s);
        QVERIFY(flush(h));
        QVERIFY2(h.lastError().isEmpty(), qPrintable(h.lastError()));

        const auto all = query(h, {}, T0, T0 + 3600000, 0);
        QVERIFY(all);
        compareSamples(*all, stored(in));

        // One server; the range bounds are inclusive.
        const auto b = query(h, {QStringLiteral("srv-b")}, T0 + 1000, T0 + 5001, 1000);
        QVERIFY(b);
        QList<LagSample> want;
        for (const LagSample &s : stored(in))
            if (s.server == QStringLiteral("srv-b") && s.timeMs >= T0 + 1000 &&
                s.timeMs <= T0 + 5001)
                want.append(s);
        QCOMPARE(want.size(), 10);
        compareSamples(*b, want);

        const auto none = query(h, {QStringLiteral("nobody")}, T0, T0 + 3600000, 1000);
        QVERIFY(none);
        QVERIFY(none->isEmpty());

        const auto s = span(h);
        QVERIFY(s);
        QCOMPARE(s->first, T0);
        QCOMPARE(s->second, T0 + 59 * 1000 + 3);
    }

    void historyIsReadBackAfterRestart()
    {
        const QString path = file(QStringLiteral("restart.sqlite"));
        const QList<LagSample> in = mixedSamples();
        {
            LagHistory first(path);
            for (const LagSample &s : in)
                first.append(s);
            QVERIFY(flush(first));
        }
        LagHistory second(path);
        const auto back = query(second, {}, 0, T0 + DayMs, 0);
        QVERIFY(back);
        compareSamples(*back, stored(in));
        const auto s = span(second);
        QVERIFY(s);
        QCOMPARE(s->first, T0);
        // Appending after the restart reuses the stored series.
        second.append(sample(QStringLiteral("srv-a"), QStringLiteral("shop"), T0 + 99999, 5, 2.5));
        QVERIFY(flush(second));
        const auto a = query(second, {QStringLiteral("srv-a")}, 0, T0 + DayMs, 0);
        QVERIFY(a);
        QCOMPARE(a->size(), 61);
        QCOMPARE(a->last().ticksBehind, quint64(5));
    }

    void destructionFlushes()
    {
        const QString path = file(QStringLiteral("dtor.sqlite"));
        QList<LagSample> in;
        for (int i = 0; i < 1000; ++i)
            in.append(sample(QStringLiteral("srv-%1").arg(i % 10), QStringLiteral("db"),
                             T0 + i * 100, quint64(i), i / 10.0));
        {
            LagHistory h(path);
            for (const LagSample &s : in)
                h.append(s);
            // destroyed at once: no flush asked, no event loop turned
        }
        LagHistory again(path);
        const auto back = query(again, {}, 0, T0 + DayMs, 0);
        QVERIFY(back);
        compareSamples(*back, stored(in));
    }

    void queryRunsOnTheStoreThreadAndAnswersOnTheReceivers()
    {
        LagHistory h(file(QStringLiteral("threads.sqlite")));
        h.append(sample(QStringLiteral("s"), QStringLiteral("d"), T0, 1, 1));
        QVERIFY(flush(h));
        QThread *answeredOn = nullptr;
        Qt::HANDLE sqlOn = nullptr;
        bool done = false;
        h.query({}, 0, T0 + 1, 10, this, [&](const QList<LagSample> &r) {
            answeredOn = QThread::currentThread();
            sqlOn = h.lastSqlThreadId();
            done = !r.isEmpty();
        });
        QVERIFY(QTest::qWaitFor([&] { return done; }, WaitMs));
        QCOMPARE(answeredOn, QThread::currentThread());
        QVERIFY(h.storeThreadId() != nullptr);
        QVERIFY(sqlOn != QThread::currentThreadId());
        QCOMPARE(sqlOn, h.storeThreadId());

        // A receiver that is gone gets no answer.
        auto *gone = new QObject;
        bool called = false;
        h.query({}, 0, T0 + 1, 10, gone, [&called](const QList<LagSample> &) { called = true; });
        delete gone;
        QVERIFY(flush(h)); // answered after the query
        QVERIFY(span(h));
        QVERIFY(!called);
    }

    void retentionDeletesOnlyOlderRows()
    {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const QString path = file(QStringLiteral("retention.sqlite"));
        LagHistory h(path);
        QCOMPARE(h.retentionDays(), 7);
        QList<LagSample> keep;
        int old = 0;
        auto add = [&](const QString &server, qint64 t, bool kept) {
            const LagSample s = sample(server, QStringLiteral("db"), t, 1, 0.5);
            h.append(s);
            if (kept)
                keep.append(s);
            else
                ++old;
        };
        // 12,000 old samples of one server: more than two delete slices.
        for (int i = 0; i < 12000; ++i)
            add(QStringLiteral("busy"), now - 9 * DayMs + i * 1000, false);
        add(QStringLiteral("busy"), now - 60000, true);
        add(QStringLiteral("quiet"), now - 10 * DayMs, false);
        add(QStringLiteral("quiet"), now - 7 * DayMs - 60000, false);
        add(QStringLiteral("quiet"), now - 7 * DayMs + 60000, true);
        add(QStringLiteral("quiet"), now - DayMs - 60000, true);
        add(QStringLiteral("quiet"), now - 3600000, true);
        QVERIFY(flush(h));

        QSignalSpy purged(&h, &LagHistory::purged);
        h.setRetentionDays(7);
        QTRY_VERIFY_WITH_TIMEOUT(
            std::any_of(purged.cbegin(), purged.cend(),
                        [&](const QList<QVariant> &a) { return a.at(0).toLongLong() == old; }),
            WaitMs);
        auto left = query(h, {}, 0, now + DayMs, 0);
        QVERIFY(left);
        compareSamples(*left, stored(keep));

        purged.clear();
        h.setRetentionDays(1);
        QCOMPARE(h.retentionDays(), 1);
        QCOMPARE(QSettings().value(QStringLiteral("history/retentionDays")).toInt(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(
            std::any_of(purged.cbegin(), purged.cend(),
                        [](const QList<QVariant> &a) { return a.at(0).toLongLong() == 2; }),
            WaitMs);
        left = query(h, {}, 0, now + DayMs, 0);
        QVERIFY(left);
        QCOMPARE(left->size(), 2);
        QCOMPARE(left->at(0).timeMs, now - 60000);
        QCOMPARE(left->at(1).timeMs, now - 3600000);

        LagHistory other(file(QStringLiteral("retention-2.sqlite")));
        QCOMPARE(other.retentionDays(), 1); // from the settings
        other.setRetentionDays(0);
        QCOMPARE(other.retentionDays(), 1);
        other.setRetentionDays(1000);
        QCOMPARE(other.retentionDays(), 365);
        other.setRetentionDays(7);
    }

    void shortenedRetentionGivesTheSpaceBack()
    {
        const QString path = file(QStringLiteral("shrink.sqlite"));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        {
            LagHistory h(path);
            for (int i = 0; i < 60000; ++i)
                h.append(sample(QStringLiteral("s"), QStringLiteral("d"),
                                now - 3 * DayMs + i * 1000, quint64(i), i));
            for (int i = 0; i < 10; ++i)
                h.append(sample(QStringLiteral("s"), QStringLiteral("d"), now - i * 1000, 1, 1));
        }
        const qint64 before = QFileInfo(path).size();
        QVERIFY(before > 1000000);
        {
            LagHistory h(path);
            QSignalSpy purged(&h, &LagHistory::purged);
            h.setRetentionDays(1);
            QTRY_VERIFY_WITH_TIMEOUT(
                std::any_of(purged.cbegin(), purged.cend(),
                            [](const QList<QVariant> &a) { return a.at(0).toLongLong() == 60000; }),
                WaitMs);
            const auto left = query(h, {}, 0, now + 1, 0);
            QVERIFY(left);
            QCOMPARE(left->size(), 10);
            h.setRetentionDays(LagHistory::DefaultRetentionDays);
        }
        const qint64 after = QFileInfo(path).size();
        QVERIFY2(after < before / 4, qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(after)));
    }

    void downsamplingKeepsThePeaks()
    {
        LagHistory h(file(QStringLiteral("peaks.sqlite")));
        QList<LagSample> in;
        for (int i = 0; i < 10000; ++i) {
            quint64 behind = quint64(i % 7);
            double seconds = (i % 5) * 0.1;
            if (i == 4321)
                behind = 1000000; // the ticks peak
            if (i == 7777)
                seconds = 99.5; // the seconds peak, at a modest tick lag
            in.append(
                sample(QStringLiteral("p"), QStringLiteral("db"), T0 + i * 1000, behind, seconds));
        }
        for (int i = 0; i < 50; ++i)
            in.append(sample(QStringLiteral("q"), QStringLiteral("db"), T0 + i * 1000, 1, 1));
        for (const LagSample &s : in)
            h.append(s);
        QVERIFY(flush(h));

        const auto r = query(h, {}, T0, T0 + 10000 * 1000, 100);
        QVERIFY(r);
        QList<LagSample> p, q;
        for (const LagSample &s : *r)
            (s.server == QStringLiteral("p") ? p : q).append(s);
        QCOMPARE(q.size(), 50); // under the limit: every sample
        QVERIFY2(p.size() <= 100 && p.size() >= 50, qPrintable(QString::number(p.size())));
        for (qsizetype i = 1; i < p.size(); ++i)
            QVERIFY(p.at(i - 1).timeMs < p.at(i).timeMs);
        for (const LagSample &s : p)
            QVERIFY(in.contains(s)); // whole samples, not averages
        QVERIFY(p.contains(in.at(4321)));
        QVERIFY(p.contains(in.at(7777)));
        const auto maxTicks = std::max_element(
            p.cbegin(), p.cend(), [](auto &a, auto &b) { return a.ticksBehind < b.ticksBehind; });
        QCOMPARE(maxTicks->ticksBehind, quint64(1000000));

        // Every bucket keeps its own peaks: 20 points are 10 buckets over the samples' span, and
        // each bucket's largest ticksBehind and largest secondsBehind are in the answer.
        const auto ten = query(h, {QStringLiteral("p")}, T0, T0 + 10000 * 1000, 20);
        QVERIFY(ten);
        QVERIFY(ten->size() <= 20);
        QVERIFY(ten->contains(in.at(4321)));
        QVERIFY(ten->contains(in.at(7777)));
        const qint64 width = (9999 * 1000) / 10 + 1;
        for (qint64 k = 0; k < 10; ++k) {
            quint64 ticks = 0;
            double seconds = 0;
            bool haveTicks = false, haveSeconds = false;
            for (int i = 0; i < 10000; ++i) {
                if ((in.at(i).timeMs - T0) / width != k)
                    continue;
                ticks = std::max(ticks, in.at(i).ticksBehind);
                seconds = std::max(seconds, in.at(i).secondsBehind);
            }
            for (const LagSample &s : *ten) {
                if ((s.timeMs - T0) / width != k)
                    continue;
                haveTicks = haveTicks || s.ticksBehind == ticks;
                haveSeconds = haveSeconds || s.secondsBehind == seconds;
            }
            QVERIFY2(haveTicks && haveSeconds, qPrintable(QStringLiteral("bucket %1").arg(k)));
        }

        const auto everything = query(h, {QStringLiteral("p")}, T0, T0 + 10000 * 1000, 0);
        QVERIFY(everything);
        QCOMPARE(everything->size(), 10000);
    }

    void csvExport()
    {
        LagHistory h(file(QStringLiteral("csv.sqlite")));
        // Two databases on one server (one needing quotes), read by 15-minute windows.
        QList<LagSample> in;
        const QString odd = QStringLiteral("db,\"x\"");
        for (int i = 0; i < 3000; ++i) {
            in.append(sample(QStringLiteral("a"), QStringLiteral("main"), T0 + i * 1000, quint64(i),
                             i * 0.25, i % 2 == 0, i % 100 == 0 ? 1403 : 0));
            if (i % 3 == 0)
                in.append(sample(QStringLiteral("a"), odd, T0 + i * 1000, 7, 0.1));
            in.append(
                sample(QStringLiteral("b"), QStringLiteral("main"), T0 + i * 1000 + 500, 1, 1));
            in.append(sample(QStringLiteral("c"), QStringLiteral("main"), T0 + i * 1000, 2, 2));
        }
        for (const LagSample &s : in)
            h.append(s);
        QVERIFY(flush(h));

        const qint64 from = T0 + 12 * 1000, to = T0 + 2500 * 1000;
        const QString path = file(QStringLiteral("out/lag.csv"));
        QVERIFY(QDir().mkpath(file(QStringLiteral("out"))));
        const auto e = exportCsv(h, path, {QStringLiteral("b"), QStringLiteral("a")}, from, to);
        QVERIFY(e);
        QVERIFY2(e->error.isEmpty(), qPrintable(e->error));

        QList<LagSample> want;
        for (const LagSample &s : in)
            if (s.server != QStringLiteral("c") && s.timeMs >= from && s.timeMs <= to)
                want.append(s);
        sortLikeTheStore(want); // "db,\"x\"" < "main"
        QCOMPARE(e->rows, want.size());

        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().split('\n');
        QCOMPARE(lines.size(), want.size() + 2); // header, rows, the empty piece after the last \n
        QCOMPARE(lines.first(),
                 QByteArray("time,server,database,leaderTick,appliedTick,ticksBehind,"
                            "secondsBehind,running,errorNum"));
        QVERIFY(lines.last().isEmpty());
        // The first data row written out by hand: a/"db,""x""" at i = 12, before a/main.
        const LagSample &first = want.first();
        QCOMPARE(first.database, odd);
        const QByteArray day =
            QDateTime::fromMSecsSinceEpoch(T0, Qt::UTC).date().toString(Qt::ISODate).toLatin1();
        QCOMPARE(lines.at(1), day + "T00:00:12.123Z,a,\"db,\"\"x\"\"\"," +
                                  QByteArray::number(first.leaderTick) + ',' +
                                  QByteArray::number(first.appliedTick) + ",7,0.1,true,0");
        const auto lineFor = [](const LagSample &s) {
            const QByteArray db =
                s.database.contains(u',') ? QByteArray("\"db,\"\"x\"\"\"") : s.database.toUtf8();
            return QDateTime::fromMSecsSinceEpoch(s.timeMs, Qt::UTC)
                       .toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss.zzz'Z'"))
                       .toUtf8() +
                   ',' + s.server.toUtf8() + ',' + db + ',' + QByteArray::number(s.leaderTick) +
                   ',' + QByteArray::number(s.appliedTick) + ',' +
                   QByteArray::number(s.ticksBehind) + ',' +
                   QString::number(s.secondsBehind).toUtf8() + ',' +
                   (s.running ? "true" : "false") + ',' + QByteArray::number(s.errorNum);
        };
        for (qsizetype i = 0; i < want.size(); ++i)
            QCOMPARE(lines.at(i + 1), lineFor(want.at(i)));

        // Written aside and renamed: nothing else is left in the folder.
        QCOMPARE(QDir(file(QStringLiteral("out"))).entryList(QDir::Files | QDir::Hidden),
                 QStringList{QStringLiteral("lag.csv")});

        // A folder that is not there: an error, no rows, no file.
        const QString nowhere = file(QStringLiteral("missing/lag.csv"));
        const auto bad = exportCsv(h, nowhere, {}, from, to);
        QVERIFY(bad);
        QVERIFY(!bad->error.isEmpty());
        QCOMPARE(bad->rows, 0);
        QVERIFY(!QFile::exists(nowhere));

        // An empty range: the header alone.
        const auto empty = exportCsv(h, path, {}, T0 - 10, T0 - 1);
        QVERIFY(empty);
        QVERIFY(empty->error.isEmpty());
        QCOMPARE(empty->rows, 0);
        f.close();
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll().count('\n'), 1);
    }

    void appendBufferIsBounded()
    {
        LagHistory h(file(QStringLiteral("bounded.sqlite")));
        h.setBufferLimit(10);
        QCOMPARE(h.bufferLimit(), 10);
        QList<LagSample> in;
        for (int i = 0; i < 25; ++i)
            in.append(sample(QStringLiteral("s"), QStringLiteral("d"), T0 + i, 1, 1));
        for (const LagSample &s : in)
            h.append(s);
        QVERIFY(flush(h));
        const auto back = query(h, {}, 0, T0 + 100, 0);
        QVERIFY(back);
        QVERIFY(h.droppedSamples() > 0);
        QCOMPARE(quint64(back->size()) + h.droppedSamples(), quint64(25));
        // The newest are never the ones dropped.
        compareSamples(back->mid(back->size() - 10), in.mid(15));
    }

    void corruptOrUnwritableFileKeepsTheAppRunning()
    {
        const QString bad = file(QStringLiteral("corrupt.sqlite"));
        QByteArray junk;
        for (int i = 0; i < 65536; ++i)
            junk += char((i * 131 + 7) % 251);
        {
            QFile f(bad);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(junk);
        }
        {
            LagHistory h(bad);
            h.append(sample(QStringLiteral("s"), QStringLiteral("d"), T0, 1, 1));
            QTRY_VERIFY_WITH_TIMEOUT(!h.lastError().isEmpty(), WaitMs);
            for (int i = 0; i < 100; ++i)
                h.append(sample(QStringLiteral("s"), QStringLiteral("d"), T0 + i, 1, 1));
            QVERIFY(flush(h));
            const auto r = query(h, {}, 0, T0 + 1000, 10);
            QVERIFY(r);
            QVERIFY(r->isEmpty());
            const auto s = span(h);
            QVERIFY(s);
            QCOMPARE(*s, std::make_pair(qint64(0), qint64(0)));
            const auto e = exportCsv(h, file(QStringLiteral("from-corrupt.csv")), {}, 0, T0);
            QVERIFY(e);
            QVERIFY(!e->error.isEmpty());
        }
        QFile f(bad);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), junk); // left as it was

        // A path under a plain file cannot be created (as root too).
        QFile plain(file(QStringLiteral("plain")));
        QVERIFY(plain.open(QIODevice::WriteOnly));
        plain.close();
        LagHistory h(file(QStringLiteral("plain/lag.sqlite")));
        QTRY_VERIFY_WITH_TIMEOUT(!h.lastError().isEmpty(), WaitMs);
        h.append(sample(QStringLiteral("s"), QStringLiteral("d"), T0, 1, 1));
        QVERIFY(flush(h));
    }
};

QTEST_GUILESS_MAIN(TestLagHistory)
#include "tst_laghistory.moc"
