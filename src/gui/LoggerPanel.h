#pragma once

#include <QJsonObject>
#include <QObject>
#include <QPointer>

namespace Ui {
class MainWindow;
}

namespace repl::ops {
class Dialect;
}

namespace repl::gui {

class ServerSession;

// The Logger tab of the main window's form: the selected server's logger state (running,
// last tick, events, its clients), start and stop where the server lets them be controlled
// (ours; ArangoDB 3.x manages its log itself), and the logger's own configuration (ours).
class LoggerPanel final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LoggerPanel)

public:
    LoggerPanel(Ui::MainWindow &ui, QObject *parent = nullptr);

    void setSession(ServerSession *session);
    // What the server is decides whether its configuration can be read and saved.
    void applyDialect(const ops::Dialect &dialect);
    void showState(const QJsonObject &state, bool managed);

Q_SIGNALS:
    void failed(const QString &message);
    void configured(const QString &savedConfig); // for the audit trail

private:
    void saveConfig();

    Ui::MainWindow &m_ui;
    QPointer<ServerSession> m_session;
};

} // namespace repl::gui
