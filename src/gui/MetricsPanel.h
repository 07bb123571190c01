#pragma once

#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QSpinBox;
class QTableView;

namespace repl::gui {

class MetricsModel;
class ServerSession;

// The selected server's metrics (Prometheus' text from /_admin/metrics/v2 on ReplDesk and
// ArangoDB, /_node/_local/_prometheus on CouchDB) in a filterable table: the replication
// counters first, each sample's value and, for counters, its change per second since the
// previous refresh; the family's help as the tooltip. Refreshes on demand, and every N seconds
// while active. A server without such metrics, or one that refuses them (401, 403, 404), is
// said in one sentence above the table. Asynchronous only: the request goes through the
// session's ServerOps and the text is read on a pool thread.
class MetricsPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsPanel)

public:
    explicit MetricsPanel(QWidget *parent = nullptr);
    ~MetricsPanel() override;

    // The server shown (not owned; nullptr: none). Its earlier figures and rates are dropped,
    // answers still out for the last server too; reads at once when active.
    void setServer(ServerSession *session);
    ServerSession *server() const { return m_session; }
    // While active (the panel is on screen), it reads every intervalSeconds(); inactive, it
    // sends nothing.
    void setActive(bool active);
    bool isActive() const { return m_active; }
    // Reads now (ignored while a read is out or no server is set).
    void refresh();
    void setIntervalSeconds(int seconds); // 1 to 3600, kept in the settings
    int intervalSeconds() const;

    MetricsModel *model() const { return m_model; }
    // What the message line says, empty while it is hidden.
    QString message() const;
    bool isRefreshing() const { return m_inFlight; }

Q_SIGNALS:
    // After every answer (or failure) for the server shown.
    void refreshed(bool ok);

private:
    void showMessage(const QString &text);
    void updateTimer();

    QPointer<ServerSession> m_session;
    bool m_active = false;
    bool m_inFlight = false;
    quint64 m_generation = 0; // answers for an earlier server are dropped
    QTimer m_timer;
    QElapsedTimer m_clock; // when answers arrive, for the rates
    MetricsModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QLineEdit *m_filter;
    QSpinBox *m_interval;
    QPushButton *m_refresh;
    QLabel *m_message;
    QLabel *m_status;
    QTableView *m_view;
};

} // namespace repl::gui
