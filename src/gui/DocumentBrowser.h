#pragma once

#include <QObject>
#include <QPointer>
#include <QString>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace repl::gui {

class ServerSession;

// The documents of what the Inventory has selected, page by page, shown as JSON in place of
// its definition: an ArangoDB-kind collection through the dump (tick order, removals counted;
// ArangoDB 3.x pages through a batch, released after the last page or when the selection
// moves on), a CouchDB database through _all_docs (id order). Owns no widgets: it drives the
// Inventory's "First page"/"Next page" buttons, page label and details text.
class DocumentBrowser final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DocumentBrowser)

public:
    DocumentBrowser(QPushButton *first, QPushButton *next, QLabel *page, QPlainTextEdit *details,
                    QObject *parent = nullptr);

    void setSession(ServerSession *session);
    // The Inventory's current item: `collection` empty when it has no documents to page.
    void select(const QString &database, const QString &collection);
    QString database() const { return m_database; }
    QString collection() const { return m_collection; }

    void firstPage();
    void nextPage();

private:
    void arangoPage(bool first);
    void couchPage(bool first);
    void releaseCursor();
    void showFailure(const QString &error);

    QPushButton *m_first;
    QPushButton *m_next;
    QLabel *m_page;
    QPlainTextEdit *m_details;
    QPointer<ServerSession> m_session;
    QString m_database;
    QString m_collection;
    QString m_cursor;  // ArangoDB kinds: the ops cursor of the next page ("" none)
    int m_pageNo = 0;  // … and the number of the page shown
    QString m_afterId; // CouchDB: where the next page starts (inclusive)
};

} // namespace repl::gui
