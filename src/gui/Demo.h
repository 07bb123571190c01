#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

namespace repl::gui {

class DemoRunner;
class EmbeddedServer;
class MainWindow;

// "Start demo": a second embedded engine (data next to the first) that follows "This
// computer", listed as "Demo follower" and selected, so the lag chart moves at once.
class Demo final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Demo)

public:
    Demo(MainWindow &window, QString followerDataDir, QObject *parent = nullptr);
    ~Demo() override;

    void setLeader(const QUrl &url, const QString &password);
    void start(); // no-op while running or before the leader is known
    bool isRunning() const { return m_started; }

private:
    MainWindow &m_window;
    QString m_dataDir;
    QUrl m_leaderUrl;
    QString m_leaderPassword;
    EmbeddedServer *m_follower = nullptr;
    DemoRunner *m_runner = nullptr;
    bool m_started = false;
};

} // namespace repl::gui
