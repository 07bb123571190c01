#pragma once

#include <QElapsedTimer>
#include <QPointer>
#include <QThreadPool>
#include <QWidget>

#include <memory>

namespace Ui {
class LiveLog;
}

namespace repl::client {
class ReplicationClient;
}

namespace repl::gui {

class LogEventFilter;
class LogEventModel;
class ServerSession;

// Streams a server's replication log (logger-follow) into a table: tick, event, collection,
// key, size; filters by collection and event family; pause/resume without losing events
// (it resumes from where it paused). Lines are parsed on a pool thread and shown in batches.
// With a CouchDB-protocol server it follows one database's changes feed instead (longpoll
// from "now"): seq, update or deletion, database, document id.
class LiveLog final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LiveLog)

public:
    explicit LiveLog(QWidget *parent = nullptr);
    ~LiveLog() override;

    void setSession(ServerSession *session);
    void setFollowing(bool on); // while the tab is visible
    // A CouchDB-protocol server: follow a database's _changes (chosen among `databases`).
    void setCouchMode(bool on);
    void setCouchDatabases(const QStringList &databases);
    LogEventModel *model() const { return m_model; }

private:
    void restart();
    void begin();
    void fetch();
    void fetchCouch();
    void updateFigures();

    std::unique_ptr<Ui::LiveLog> m_ui;
    LogEventModel *m_model;
    LogEventFilter *m_filter;
    QPointer<ServerSession> m_session;
    bool m_following = false;
    bool m_inFlight = false;
    bool m_started = false;
    quint64 m_from = 0;
    quint64 m_lastTick = 0;
    quint64 m_lastIncluded = 0;
    qint64 m_eventsInWindow = 0;
    double m_rate = 0;
    QElapsedTimer m_rateClock;
    int m_generation = 0; // a new session or clear() invalidates calls in flight
    bool m_couch = false;
    client::ReplicationClient *m_couchClient = nullptr; // its own, so a long-poll blocks nothing
    QString m_since;      // CouchDB: the changes feed's position (a number or an opaque string)
    QThreadPool m_parser; // one thread: batches arrive in the order they were fetched
};

} // namespace repl::gui
