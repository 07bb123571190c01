#pragma once

#include "client/HttpCall.h"
#include "gui/LagHistory.h"
#include "gui/LagReading.h"
#include "gui/ServerList.h"
#include "ops/Dialect.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSet>

#include <functional>

class QNetworkAccessManager;
class QTimer;

namespace repl::client {
class ReplicationClient;
}

namespace repl::gui {

class PasswordCache;

// The last 15 minutes of one follower's lag, for sparklines.
struct LagTrail
{
    static constexpr qint64 SpanMs = 15 * 60'000;
    QList<qint64> timesMs;
    QList<float> ticksBehind;
    QList<float> secondsBehind;
    void add(qint64 timeMs, quint64 ticks, double seconds);
};

// What the last polls of one server said.
struct ServerStatus
{
    QString id;
    bool answered = false;       // the last poll reached the server
    int authFailed = 0;          // 401/403
    QString error;               // why the last poll failed
    ops::Dialect dialect;        // once probed
    QJsonObject applier;         // applier-state, where it has an applier
    QJsonObject logger;          // logger-state, where it has one
    LoggerReading loggerReading; // of `logger`, read once per poll (views paint from it)
    ApplierReading reading;      // of `applier`
    double secondsBehind = 0;
    qint64 polledAtMs = 0;
    LagTrail trail;
    bool noPassword = false; // none stored: not polled until it is opened once
};

// Watches every server in the list: polls each one's applier-state and logger-state (what
// its dialect has) at an interval, keeps their latest statuses and a 15-minute lag trail,
// computes each follower's lag and reports it (lagSampled: the history, the charts), and
// raises applierFailed when a running applier stops with an error. One poll per server at a
// time; all of them over one HTTP manager. A round's polls start SliceSize servers at a time,
// a slice per pass of the event loop: starting a request costs the GUI thread tens of
// microseconds in Qt's HTTP code, and a hundred servers at once held it for milliseconds.
// Passwords come from the session or, without asking, from the keychain; a server with none
// stored is shown as such, not asked for.
class FleetWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FleetWatcher)

public:
    FleetWatcher(ServerListModel &servers, PasswordCache &passwords, QObject *parent = nullptr);
    ~FleetWatcher() override;

    static constexpr int SliceSize = 10; // servers whose polls start in one go

    void setIntervalMs(int ms);
    int intervalMs() const;
    void start();
    void stop();
    // Polls every listed server not being polled already, a slice at a time (the first one
    // now, the others in the next passes of the event loop).
    void pollNow();

    const ServerStatus *status(const QString &id) const;
    QStringList ids() const; // in the list's order
    // Followers of `leaderId`: listed servers whose applier points at its endpoint.
    QStringList followersOf(const QString &leaderId) const;
    // Whether a listed server follows it (constant time, for views asking per row).
    bool hasFollowers(const QString &leaderId) const { return m_leaders.contains(leaderId); }
    // The listed server a follower's applier endpoint names, or "".
    QString leaderOf(const QString &followerId) const;
    // A listed server by ArangoDB/ReplDesk server id (logger-state clients name them so).
    QString idForServerId(const QString &serverId) const;

    // The clock (tests simulate time); default the system clock.
    void setClock(std::function<qint64()> nowMs) { m_now = std::move(nowMs); }
    qint64 now() const;

Q_SIGNALS:
    void polled(const QString &id); // a server's status changed (answered or failed)
    void lagSampled(const repl::gui::LagSample &sample);
    void applierFailed(const QString &id, int errorNum, const QString &message);
    void serversChanged(); // servers came or went

private:
    void pollSlice();
    void pollEntry(const ServerEntry &e);
    void pollOne(const ServerEntry &e, const QString &password);
    void probed(const QString &id, const ops::Dialect &d, const client::HttpResult &failure);
    void answered(const QString &id, const client::HttpResult &r);
    void applierAnswered(const ServerEntry &e, const QJsonObject &state);
    client::ReplicationClient *clientFor(const ServerEntry &e, const QString &password);
    void forgetMissing();
    void matchLeaders();

    ServerListModel &m_servers;
    PasswordCache &m_passwords;
    QNetworkAccessManager *m_nam;
    QTimer *m_timer;
    QTimer *m_sliceTimer;   // the next slice of a round
    QList<QString> m_queue; // ids waiting for their slice, in the list's order
    QSet<QString> m_queued; // … the same, to ask in constant time
    QHash<QString, ServerStatus> m_status;
    QHash<QString, client::ReplicationClient *> m_clients;
    QHash<QString, QString> m_clientEndpoints; // id → endpoint|user|pin the client was made for
    QHash<QString, QString> m_pollPasswords;   // id → the password its polls use
    QSet<QString> m_inFlight;
    QSet<QString> m_keychainAsked; // read from the keychain once (found or not)
    QHash<QString, bool> m_wasRunning;
    QHash<QString, QString> m_leaderOf; // follower id → leader id (both listed)
    QSet<QString> m_leaders;            // the values of m_leaderOf
    LagClock m_clock;
    std::function<qint64()> m_now;
};

} // namespace repl::gui
