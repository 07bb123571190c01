#pragma once

#include <QObject>
#include <QTimer>
#include <QUrl>

namespace repl::client {
class ReplicationClient;
}

namespace repl::gui {

// The newcomer's demo: makes the second engine a follower of the first (sync, then applier)
// and keeps a gentle write load on the leader, so inventory, log and lag move within seconds.
// Talks HTTP only, like any operator would.
class DemoRunner final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DemoRunner)

public:
    DemoRunner(const QUrl &leader, const QString &leaderPassword, const QUrl &follower,
               const QString &followerPassword, QObject *parent = nullptr);

    void start();
    void stop();
    qint64 writes() const { return m_writes; }

Q_SIGNALS:
    void progress(const QString &message);
    void running();
    void failed(const QString &message);

private:
    void seedLeader();
    void syncFollower();
    void tick();
    void startBackup();

    QUrl m_leaderUrl;
    QString m_leaderPassword;
    client::ReplicationClient *m_leader;
    client::ReplicationClient *m_follower;
    QTimer m_load;
    qint64 m_writes = 0;
    int m_next = 0;
};

} // namespace repl::gui
