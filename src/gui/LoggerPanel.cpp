#include "gui/LoggerPanel.h"

#include "client/ReplicationClient.h"
#include "gui/ServerSession.h"
#include "ops/Dialect.h"
#include "ui_MainWindow.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace repl::gui {

LoggerPanel::LoggerPanel(Ui::MainWindow &ui, QObject *parent)
    : QObject(parent)
    , m_ui(ui)
{
    m_ui.loggerManagedNote->setVisible(false);
    for (QPushButton *b : {m_ui.startLoggerButton, m_ui.stopLoggerButton})
        b->setEnabled(false);
    m_ui.startLoggerButton->setShortcut(QKeySequence(QStringLiteral("Ctrl+L")));
    m_ui.startLoggerButton->setIcon(QIcon(QStringLiteral(":/icons/actions/start.svg")));
    m_ui.stopLoggerButton->setIcon(QIcon(QStringLiteral(":/icons/actions/stop.svg")));
    const auto run = [this](bool on) {
        if (m_session)
            m_session->setLoggerRunning(on, [this](const QString &e) {
                if (!e.isEmpty())
                    Q_EMIT failed(e);
            });
    };
    connect(m_ui.startLoggerButton, &QPushButton::clicked, this, [run] { run(true); });
    connect(m_ui.stopLoggerButton, &QPushButton::clicked, this, [run] { run(false); });
    connect(m_ui.saveLoggerConfigButton, &QPushButton::clicked, this, &LoggerPanel::saveConfig);
}

void LoggerPanel::setSession(ServerSession *session)
{
    m_session = session;
}

void LoggerPanel::saveConfig()
{
    if (!m_session)
        return;
    const QJsonObject cfg{
        {QStringLiteral("autoStart"), m_ui.loggerAutoStartCheck->isChecked()},
        {QStringLiteral("logRemoteChanges"), m_ui.logRemoteChangesCheck->isChecked()},
        {QStringLiteral("maxEvents"), m_ui.maxEventsSpin->value()},
        {QStringLiteral("maxEventsSize"), double(m_ui.maxEventsSizeSpin->value()) * 1024 * 1024}};
    m_session->client().request(
        "PUT", QStringLiteral("/_api/replication/logger-config"), {},
        QJsonDocument(cfg).toJson(QJsonDocument::Compact), this,
        [this](const client::HttpResult &r) {
            if (!r.ok())
                return Q_EMIT failed(tr("Logger configuration refused: %1").arg(r.serverMessage()));
            Q_EMIT configured(QString::fromUtf8(r.body));
        });
}

void LoggerPanel::applyDialect(const ops::Dialect &dialect)
{
    // The logger's own configuration exists on ReplDesk servers only.
    m_ui.loggerConfigGroup->setEnabled(false);
    if (!dialect.isKnown() || !dialect.has(ops::Feature::LoggerControl) || !m_session)
        return;
    m_session->client().get(
        QStringLiteral("/_api/replication/logger-config"), {}, this,
        [this](const client::HttpResult &r) {
            const QJsonObject c = QJsonDocument::fromJson(r.body).object();
            m_ui.loggerConfigGroup->setEnabled(r.ok());
            if (!r.ok())
                return;
            m_ui.loggerAutoStartCheck->setChecked(c.value(QStringLiteral("autoStart")).toBool());
            m_ui.logRemoteChangesCheck->setChecked(
                c.value(QStringLiteral("logRemoteChanges")).toBool());
            m_ui.maxEventsSpin->setValue(
                int(qMin(c.value(QStringLiteral("maxEvents")).toDouble(), 2147483647.0)));
            m_ui.maxEventsSizeSpin->setValue(
                int(c.value(QStringLiteral("maxEventsSize")).toDouble() / (1024 * 1024)));
        });
}

void LoggerPanel::showState(const QJsonObject &state, bool managed)
{
    const QJsonObject s = state.value(QStringLiteral("state")).toObject();
    const bool running = s.value(QStringLiteral("running")).toBool();
    m_ui.loggerManagedNote->setVisible(managed);
    m_ui.loggerRunningValue->setText(running ? tr("yes") : tr("no"));
    m_ui.lastLogTickValue->setText(s.value(QStringLiteral("lastLogTick")).toString());
    m_ui.totalEventsValue->setText(
        QString::number(qint64(s.value(QStringLiteral("totalEvents")).toDouble())));
    QStringList clients;
    for (const QJsonValue &c : state.value(QStringLiteral("clients")).toArray())
        clients << tr("%1 (served up to tick %2)")
                       .arg(c[QStringLiteral("serverId")].toString(),
                            c[QStringLiteral("lastServedTick")].toString());
    m_ui.clientsValue->setText(clients.isEmpty() ? tr("none") : clients.join(u'\n'));
    m_ui.startLoggerButton->setEnabled(!managed && !running);
    m_ui.stopLoggerButton->setEnabled(!managed && running);
}

} // namespace repl::gui
