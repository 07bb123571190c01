#pragma once

#include <QDialog>
#include <QJsonArray>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace repl::gui {

class ServerSession;

// A database's restore points (what syncs purged, kept by ReplDesk servers): when, from which
// leader, which collections with how many documents, and how big. *Restore* is guarded like a
// sync — the collections it replaces are listed and the database's exact name must be typed;
// the server refuses while the database's applier runs — and *Discard* drops one. Both are
// audited. Asynchronous only.
class RestorePointsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RestorePointsDialog)

public:
    RestorePointsDialog(ServerSession &session, QWidget *parent = nullptr);

Q_SIGNALS:
    void audited(const QString &action, const QString &detail);

private:
    void reload();
    void showPoints(const QJsonArray &points);
    void restoreSelected();
    void discardSelected();
    void updateButtons();
    QString selectedId() const;

    ServerSession &m_session;
    QString m_database;
    QTableWidget *m_table;
    QLabel *m_status;
    QLabel *m_confirmLabel;
    QLineEdit *m_confirm;
    QPushButton *m_restore;
    QPushButton *m_discard;
    bool m_busy = false;
};

} // namespace repl::gui
