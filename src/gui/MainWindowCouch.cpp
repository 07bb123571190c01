// MainWindow with a server that speaks only CouchDB's protocol (CouchDB, pouchdb-server):
// which tabs apply, and its databases' documents in the Inventory.
#include "client/Endpoint.h"

#include "core/DocumentJson.h"
#include "gui/InventoryModel.h"
#include "gui/LagMonitor.h"
#include "gui/LiveLog.h"
#include "gui/MainWindow.h"
#include "gui/ServerSession.h"
#include "ui_MainWindow.h"

#include <QAction>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QUrlQuery>

namespace repl::gui {

void MainWindow::applyFlavor(client::ServerFlavor flavor)
{
    const bool couch = flavor == client::ServerFlavor::CouchDb;
    const QString why =
        couch ? tr("%1 speaks only CouchDB's replication protocol: it has no ArangoDB-style "
                   "replication log, logger or applier. Its replications are in the "
                   "Replications tab, a database's changes in the Live log.")
                    .arg(m_session ? m_session->entry().name : QString())
              : QString();
    // The Live log follows a database's changes feed there (LiveLog switches by itself).
    for (QWidget *tab : {static_cast<QWidget *>(m_ui->loggerTab), m_ui->applierTab,
                         static_cast<QWidget *>(m_lag)}) {
        const int index = m_ui->tabs->indexOf(tab);
        m_ui->tabs->setTabEnabled(index, !couch);
        m_ui->tabs->setTabToolTip(index, why);
        if (couch && m_ui->tabs->currentIndex() == index)
            m_ui->tabs->setCurrentWidget(m_ui->inventoryTab);
    }
    for (const char *name : {"actionSync", "actionConfigureApplier"})
        if (auto *action = findChild<QAction *>(QLatin1String(name)))
            action->setEnabled(!couch);
}

// One page of a CouchDB database through _all_docs (id order). A page asks for one row
// more than it shows; that row's id is where the next page starts (inclusive, so a deleted
// last row cannot make it skip one).
void MainWindow::browseCouchDocuments(bool first)
{
    if (!m_session || m_browseCollection.isEmpty())
        return;
    constexpr int PageSize = 50;
    const QString database = m_browseCollection;
    if (first)
        m_browseAfterId.clear();
    const QString from = m_browseAfterId;
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("include_docs"), QStringLiteral("true"));
    q.addQueryItem(QStringLiteral("limit"), QString::number(PageSize + 1));
    if (!from.isEmpty()) // startkey is JSON; percent-encoded whole so '&', '+' or '%' survive
        q.addQueryItem(QStringLiteral("startkey"),
                       client::percentEncoded(QString::fromUtf8(jsonString(from))));
    m_session->client().get(
        u'/' + client::percentEncoded(database) + QStringLiteral("/_all_docs"), q, this,
        [this, database, from](const client::HttpResult &r) {
            if (database != m_browseCollection)
                return; // the operator moved on
            auto *label = findChild<QLabel *>(QStringLiteral("browsePageLabel"));
            auto *next = findChild<QPushButton *>(QStringLiteral("browseNextButton"));
            if (!r.ok()) {
                label->setText(tr("Cannot read documents: %1").arg(r.serverMessage()));
                next->setEnabled(false);
                return;
            }
            QJsonArray rows =
                QJsonDocument::fromJson(r.body).object().value(QStringLiteral("rows")).toArray();
            const bool more = rows.size() > PageSize;
            if (more)
                m_browseAfterId = rows.takeAt(PageSize)[QStringLiteral("id")].toString();
            QJsonArray docs;
            for (const QJsonValue &row : rows)
                docs.append(row[QStringLiteral("doc")]);
            next->setEnabled(more);
            m_browseNext = more ? 1 : 0; // "Next page": from m_browseAfterId
            if (docs.isEmpty()) {
                label->setText(from.isEmpty() ? tr("%1 has no documents.").arg(database)
                                              : tr("No more documents."));
                return;
            }
            label->setText(from.isEmpty()
                               ? tr("%n document(s) of %1 in id order", nullptr, int(docs.size()))
                                     .arg(database)
                               : tr("%n document(s) of %1 from “%2”", nullptr, int(docs.size()))
                                     .arg(database, from));
            m_ui->inventoryDetails->setPlainText(
                QString::fromUtf8(QJsonDocument(docs).toJson(QJsonDocument::Indented)));
        });
}

} // namespace repl::gui
