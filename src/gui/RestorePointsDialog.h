#pragma once

#include "ops/RestorePoints.h"

#include <QDialog>
#include <QJsonArray>

#include <optional>

class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace repl::gui {

class ServerSession;

// A database's restore points (what syncs purged, kept by ReplDesk servers): when, from which
// leader, which collections with how many documents, and how big. *Restore* is guarded like a
// sync — the collections it replaces are listed and the database's exact name must be typed;
// the server refuses while the database's applier runs — and *Discard* drops one. Below the
// list, the database's retention (keep the newest N, at most a size in all), loaded when the
// dialog opens and applied by *Apply*; before that, what it would discard is said. All three
// are audited. Asynchronous only.
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
    void updatePreview(); // what restoring the selected point replaces, counted now
    QString selectedId() const;
    void loadRetention();
    void showRetention(const ops::RestorePointRetention &r);
    // The retention the row says, when its size parses.
    std::optional<ops::RestorePointRetention> editedRetention() const;
    void updateRetention();
    void applyRetention();
    void showError(const QString &text);

    ServerSession &m_session;
    QString m_database;
    QTableWidget *m_table;
    QJsonArray m_points; // as listed: oldest first
    QLabel *m_summary;
    QSpinBox *m_keep;
    QLineEdit *m_maxBytes;
    QPushButton *m_applyRetention;
    QLabel *m_retentionHint;
    std::optional<ops::RestorePointRetention> m_retention; // as the server has it
    bool m_retentionBusy = false;
    QLabel *m_status;
    QLabel *m_preview;
    QLabel *m_confirmLabel;
    QLineEdit *m_confirm;
    QPushButton *m_restore;
    QPushButton *m_discard;
    bool m_busy = false;
};

} // namespace repl::gui
