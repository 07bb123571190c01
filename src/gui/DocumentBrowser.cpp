#include "gui/DocumentBrowser.h"

#include "client/Endpoint.h"
#include "client/ReplicationClient.h"
#include "core/DocumentJson.h"
#include "gui/ServerSession.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QUrlQuery>

namespace repl::gui {

DocumentBrowser::DocumentBrowser(QPushButton *first, QPushButton *next, QLabel *page,
                                 QPlainTextEdit *details, QObject *parent)
    : QObject(parent)
    , m_first(first)
    , m_next(next)
    , m_page(page)
    , m_details(details)
{
    m_first->setEnabled(false);
    m_next->setEnabled(false);
    connect(m_first, &QPushButton::clicked, this, &DocumentBrowser::firstPage);
    connect(m_next, &QPushButton::clicked, this, &DocumentBrowser::nextPage);
}

void DocumentBrowser::setSession(ServerSession *session)
{
    m_session = session;
    m_cursor.clear(); // the old session's cursors went with it
    m_collection.clear();
    m_database.clear();
    m_first->setEnabled(false);
    m_next->setEnabled(false);
    m_page->clear();
}

void DocumentBrowser::releaseCursor()
{
    if (m_session && !m_cursor.isEmpty())
        m_session->ops().releaseCursor(m_database, m_cursor);
    m_cursor.clear();
}

void DocumentBrowser::select(const QString &database, const QString &collection)
{
    releaseCursor();
    m_database = database;
    m_collection = collection;
    m_first->setEnabled(!collection.isEmpty());
    m_next->setEnabled(false);
    m_page->clear();
    if (!collection.isEmpty())
        firstPage();
}

void DocumentBrowser::firstPage()
{
    if (!m_session || m_collection.isEmpty())
        return;
    if (m_session->flavor() == client::ServerFlavor::CouchDb)
        couchPage(true);
    else
        arangoPage(true);
}

void DocumentBrowser::nextPage()
{
    if (!m_session || m_collection.isEmpty())
        return;
    if (m_session->flavor() == client::ServerFlavor::CouchDb)
        couchPage(false);
    else
        arangoPage(false);
}

void DocumentBrowser::showFailure(const QString &error)
{
    m_page->setText(tr("Cannot read documents: %1").arg(error));
    m_next->setEnabled(false);
}

void DocumentBrowser::arangoPage(bool first)
{
    const QString collection = m_collection;
    const QString database = m_database;
    if (first)
        releaseCursor();
    const QString cursor = first ? QString() : m_cursor;
    m_cursor.clear();
    const int page = first ? 1 : m_pageNo + 1;
    m_session->ops().documents(
        database, collection, cursor, this,
        [this, collection, database, page](const ops::ServerOps::Page &p, const QString &error) {
            if (collection != m_collection || database != m_database) {
                if (m_session && !p.next.isEmpty()) // the operator moved on
                    m_session->ops().releaseCursor(database, p.next);
                return;
            }
            if (!error.isEmpty())
                return showFailure(error);
            m_cursor = p.next;
            m_pageNo = page;
            m_next->setEnabled(!p.next.isEmpty());
            if (p.documents.isEmpty()) {
                m_page->setText(page == 1 ? tr("%1 has no documents.").arg(collection)
                                          : tr("No more documents."));
                return;
            }
            QJsonArray docs;
            for (const QJsonObject &d : p.documents)
                docs.append(d);
            m_page->setText(
                tr("Page %1 of %2 (documents shown: %3)%4")
                    .arg(page)
                    .arg(database + u'/' + collection)
                    .arg(docs.size())
                    .arg(p.removals ? tr(" (%1 removals not shown)").arg(p.removals) : QString()));
            m_details->setPlainText(
                QString::fromUtf8(QJsonDocument(docs).toJson(QJsonDocument::Indented)));
        });
}

// A page asks for one row more than it shows; that row's id is where the next page starts
// (inclusive, so a deleted last row cannot make it skip one).
void DocumentBrowser::couchPage(bool first)
{
    constexpr int PageSize = 50;
    const QString database = m_collection;
    if (first)
        m_afterId.clear();
    const QString from = m_afterId;
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("include_docs"), QStringLiteral("true"));
    q.addQueryItem(QStringLiteral("limit"), QString::number(PageSize + 1));
    if (!from.isEmpty()) // startkey is JSON; percent-encoded whole so '&', '+' or '%' survive
        q.addQueryItem(QStringLiteral("startkey"),
                       client::percentEncoded(QString::fromUtf8(jsonString(from))));
    m_session->client().get(
        u'/' + client::percentEncoded(database) + QStringLiteral("/_all_docs"), q, this,
        [this, database, from](const client::HttpResult &r) {
            if (database != m_collection)
                return; // the operator moved on
            if (!r.ok())
                return showFailure(r.serverMessage());
            QJsonArray rows =
                QJsonDocument::fromJson(r.body).object().value(QStringLiteral("rows")).toArray();
            const bool more = rows.size() > PageSize;
            if (more)
                m_afterId = rows.takeAt(PageSize)[QStringLiteral("id")].toString();
            QJsonArray docs;
            for (const QJsonValue &row : rows)
                docs.append(row[QStringLiteral("doc")]);
            m_next->setEnabled(more);
            if (docs.isEmpty()) {
                m_page->setText(from.isEmpty() ? tr("%1 has no documents.").arg(database)
                                               : tr("No more documents."));
                return;
            }
            m_page->setText(
                from.isEmpty()
                    ? tr("%1 in id order (documents shown: %2)").arg(database).arg(docs.size())
                    : tr("%1 from “%2” (documents shown: %3)")
                          .arg(database, from)
                          .arg(docs.size()));
            m_details->setPlainText(
                QString::fromUtf8(QJsonDocument(docs).toJson(QJsonDocument::Indented)));
        });
}

} // namespace repl::gui
