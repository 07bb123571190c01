// MainWindow and the server's dialect: which tabs and actions apply (with the dialect's own
// sentence where they do not).
#include "client/Endpoint.h"

#include "core/DocumentJson.h"
#include "gui/InventoryModel.h"
#include "gui/LagMonitor.h"
#include "gui/LiveLog.h"
#include "gui/LoggerPanel.h"
#include "gui/MainWindow.h"
#include "gui/ReplicationsPanel.h"
#include "gui/ServerSession.h"
#include "ui_MainWindow.h"

#include <QAction>
#include <QBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QUrlQuery>

namespace repl::gui {

void MainWindow::applyDialect(const ops::Dialect &dialect)
{
    // Before the first probe nothing is known: everything stays on.
    const bool known = dialect.isKnown();
    // Only ReplDesk takes bare database names in /_replicate; toward others, URLs.
    m_replications->setLocalNamesAllowed(!known || dialect.kind() == ops::ServerKind::ReplDesk);
    if (m_session)
        showDatabase(m_session->database()); // CouchDB-likes: tabs without a database name
    auto missing = [&](ops::Feature f) { return known ? dialect.missing(f) : QString(); };
    const QString noLogger = missing(ops::Feature::LoggerState);
    const QString noApplier = missing(ops::Feature::Applier);
    const QList<QPair<QWidget *, QString>> tabs{
        {m_ui->loggerTab, noLogger}, {m_ui->applierTab, noApplier}, {m_lag, noApplier}};
    for (const auto &[tab, why] : tabs) {
        const int index = m_ui->tabs->indexOf(tab);
        m_ui->tabs->setTabEnabled(index, why.isEmpty());
        m_ui->tabs->setTabToolTip(index, why);
        if (!why.isEmpty() && m_ui->tabs->currentIndex() == index)
            m_ui->tabs->setCurrentWidget(m_ui->inventoryTab);
    }
    const QString noSync = missing(ops::Feature::Sync);
    if (auto *sync = findChild<QAction *>(QStringLiteral("actionSync"))) {
        sync->setEnabled(noSync.isEmpty());
        sync->setToolTip(noSync);
    }
    if (auto *points = findChild<QAction *>(QStringLiteral("actionRestorePoints"))) {
        const QString why = missing(ops::Feature::RestorePoints);
        points->setEnabled(why.isEmpty());
        points->setToolTip(why);
    }
    if (auto *configure = findChild<QAction *>(QStringLiteral("actionConfigureApplier"))) {
        configure->setEnabled(noApplier.isEmpty());
        configure->setToolTip(noApplier);
    }
    // An ArangoDB that lost leader/follower replication says so where it shows, once.
    auto *note = findChild<QLabel *>(QStringLiteral("dialectNote"));
    if (!note) {
        note = new QLabel(this);
        note->setObjectName(QStringLiteral("dialectNote"));
        note->setWordWrap(true);
        note->setTextInteractionFlags(Qt::TextSelectableByMouse);
        note->setStyleSheet(QStringLiteral(
            "QLabel { background: #fff4ce; color: #3b2f00; border: 1px solid #e0c060; "
            "border-radius: 4px; padding: 6px 8px; }"));
        // Above the tabs: they sit in the window's splitter, so a column takes their place.
        if (auto *splitter = qobject_cast<QSplitter *>(m_ui->tabs->parentWidget())) {
            auto *column = new QWidget;
            auto *layout = new QVBoxLayout(column);
            layout->setContentsMargins(0, 0, 0, 0);
            const QList<int> sizes = splitter->sizes(); // the operator's split stays
            splitter->replaceWidget(splitter->indexOf(m_ui->tabs), column);
            splitter->setSizes(sizes);
            layout->addWidget(note);
            layout->addWidget(m_ui->tabs, 1);
        }
    }
    const bool explain = dialect.isArangoApi() && !noApplier.isEmpty();
    note->setText(explain ? noApplier : QString());
    note->setVisible(explain);
    m_logger->applyDialect(dialect);
}

} // namespace repl::gui
