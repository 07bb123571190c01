#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace repl::gui {

// One applier-state answer, as the lag views read it (ArangoDB's and ours: the ticks are
// strings, lastAvailableContinuousTick is the leader's newest tick the follower knows of).
struct ApplierReading
{
    bool valid = false; // a follower: its applier runs or has a leader configured
    bool running = false;
    quint64 leaderTick = 0;
    quint64 appliedTick = 0;
    int errorNum = 0; // the applier's last error (0 none; 1412 a stop on request)
    QString errorMessage;
    QString leaderEndpoint;

    static ApplierReading fromState(const QJsonObject &applierState);
    quint64 ticksBehind() const { return leaderTick > appliedTick ? leaderTick - appliedTick : 0; }
    // A stopped applier no longer hears of the leader's new ticks: its lag is against what the
    // leader's own logger-state says now (`leaderNow`, of the same database).
    void seeLeaderTick(quint64 leaderNow)
    {
        if (!running && valid && leaderNow > leaderTick)
            leaderTick = leaderNow;
    }
    // Stopped by an error, not on request.
    bool failed() const { return !running && errorNum != 0 && errorNum != 1412; }
};

// A leader's logger-state, as the leader view reads it: its newest tick and the followers
// that asked for its log (ArangoDB's `clients`: serverId, lastServedTick, time).
struct LoggerReading
{
    struct Client
    {
        QString serverId;
        quint64 lastServedTick = 0;
        qint64 lastAskedMs = 0;   // when it last asked (0 unknown)
        double silentSeconds = 0; // by the leader's own clock (its state's time)
        quint64 ticksBehind = 0;
    };
    // A follower that has not asked for this long stopped asking (followers long-poll the
    // log, so a running one asks at least every few seconds).
    static constexpr double StaleSeconds = 30;

    bool valid = false;
    bool running = false;
    quint64 lastTick = 0;
    QList<Client> clients;

    static LoggerReading fromState(const QJsonObject &loggerState);
};

// Seconds behind = how long a follower has not matched its leader's tick: 0 while it does,
// else the time since it last did (or since it was first seen behind). Kept per key
// (follower and database, or leader and client).
class LagClock
{
public:
    double secondsBehind(const QString &key, quint64 ticksBehind, qint64 nowMs);
    void forget(const QString &key) { m_since.remove(key); }
    void clear() { m_since.clear(); }

private:
    QHash<QString, qint64> m_since; // key → last time in sync (or first seen behind), ms
};

// The operator's lag thresholds in seconds (QSettings "lag/…"), shared by every lag view.
struct LagThresholds
{
    double warningSeconds = 5;
    double criticalSeconds = 30;

    static LagThresholds load();
    void save() const;
    enum class Level
    {
        Ok,
        Warning,
        Critical
    };
    Level levelOf(double secondsBehind) const;
};

} // namespace repl::gui
