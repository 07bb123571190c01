#include "gui/RestorePointsDialog.h"

#include "gui/ServerSession.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace repl::gui {

RestorePointsDialog::RestorePointsDialog(ServerSession &session, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_database(session.database().isEmpty() ? QStringLiteral("_system") : session.database())
    , m_table(new QTableWidget(0, 5, this))
    , m_status(new QLabel(this))
    , m_confirmLabel(new QLabel(this))
    , m_confirm(new QLineEdit(this))
    , m_restore(new QPushButton(tr("&Restore"), this))
    , m_discard(new QPushButton(tr("&Discard"), this))
{
    setObjectName(QStringLiteral("restorePointsDialog"));
    setWindowTitle(tr("Restore points of %1").arg(m_database));
    auto *intro = new QLabel(
        tr("Each sync keeps the collections it purges in <b>%1</b> as a restore point (the "
           "newest 3). A restore puts them back as they were before that sync, replacing the "
           "collections of the same name; followers of this server follow it.")
            .arg(m_database.toHtmlEscaped()),
        this);
    intro->setWordWrap(true);
    m_table->setObjectName(QStringLiteral("restorePointsTable"));
    m_table->setHorizontalHeaderLabels(
        {tr("Id"), tr("Kept at"), tr("Synced from"), tr("Collections (documents)"), tr("Size")});
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(3, QHeaderView::Stretch);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_confirmLabel->setText(
        tr("Type the database name <b>%1</b> to restore:").arg(m_database.toHtmlEscaped()));
    m_confirm->setObjectName(QStringLiteral("confirmEdit"));
    m_status->setObjectName(QStringLiteral("restorePointsStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_restore->setObjectName(QStringLiteral("restorePointButton"));
    m_discard->setObjectName(QStringLiteral("discardPointButton"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_restore, QDialogButtonBox::ActionRole);
    buttons->addButton(m_discard, QDialogButtonBox::ActionRole);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_confirmLabel);
    layout->addWidget(m_confirm);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(760, 380);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_restore, &QPushButton::clicked, this, &RestorePointsDialog::restoreSelected);
    connect(m_discard, &QPushButton::clicked, this, &RestorePointsDialog::discardSelected);
    connect(m_confirm, &QLineEdit::textChanged, this, &RestorePointsDialog::updateButtons);
    connect(m_table, &QTableWidget::itemSelectionChanged, this,
            &RestorePointsDialog::updateButtons);
    updateButtons();
    reload();
}

QString RestorePointsDialog::selectedId() const
{
    const auto rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : m_table->item(rows.first().row(), 0)->text();
}

void RestorePointsDialog::updateButtons()
{
    const bool selected = !selectedId().isEmpty();
    m_restore->setEnabled(!m_busy && selected && m_confirm->text() == m_database);
    m_discard->setEnabled(!m_busy && selected);
    m_restore->setToolTip(!selected ? tr("Select a restore point.")
                          : m_confirm->text() != m_database
                              ? tr("Type the database name to confirm.")
                              : QString());
}

void RestorePointsDialog::reload()
{
    m_busy = true;
    updateButtons();
    m_session.ops().restorePoints(
        m_database, this, [this](const QJsonObject &o, const QString &error) {
            m_busy = false;
            if (!error.isEmpty()) {
                m_status->setText(error);
                return updateButtons();
            }
            showPoints(o.value(QStringLiteral("restorePoints")).toArray());
        });
}

void RestorePointsDialog::showPoints(const QJsonArray &points)
{
    m_table->setRowCount(0);
    for (const QJsonValue &p : points) {
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        QStringList collections;
        for (const QJsonValue &c : p[QStringLiteral("collections")].toArray())
            collections.append(QStringLiteral("%1 (%2)")
                                   .arg(c[QStringLiteral("name")].toString())
                                   .arg(c[QStringLiteral("count")].toInteger()));
        const QDateTime time =
            QDateTime::fromString(p[QStringLiteral("time")].toString(), Qt::ISODate);
        m_table->setItem(row, 0, new QTableWidgetItem(p[QStringLiteral("id")].toString()));
        m_table->setItem(row, 1,
                         new QTableWidgetItem(
                             time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))));
        m_table->setItem(row, 2, new QTableWidgetItem(p[QStringLiteral("leader")].toString()));
        m_table->setItem(row, 3, new QTableWidgetItem(collections.join(QStringLiteral(", "))));
        m_table->setItem(row, 4,
                         new QTableWidgetItem(
                             QLocale().formattedDataSize(p[QStringLiteral("bytes")].toInteger())));
    }
    // What the last action said stays; an empty line gets the summary.
    if (m_status->text().isEmpty())
        m_status->setText(
            points.isEmpty()
                ? tr("No restore points: no sync has purged anything here yet (or they were "
                     "restored or discarded).")
                : tr("%n restore point(s), oldest first.", nullptr, int(points.size())));
    updateButtons();
}

void RestorePointsDialog::restoreSelected()
{
    const QString id = selectedId();
    if (id.isEmpty() || m_confirm->text() != m_database)
        return;
    m_busy = true;
    updateButtons();
    m_status->setText(tr("Restoring %1…").arg(id));
    m_session.ops().restoreRestorePoint(
        m_database, id, this, [this, id](const QJsonObject &o, const QString &error) {
            m_busy = false;
            m_confirm->clear();
            if (!error.isEmpty()) {
                m_status->setText(QStringLiteral("<span style='color:#c62828'>%1</span>")
                                      .arg(tr("Not restored: %1").arg(error).toHtmlEscaped()));
                return updateButtons();
            }
            QStringList names;
            for (const QJsonValue &c : o.value(QStringLiteral("collections")).toArray())
                names.append(c[QStringLiteral("name")].toString());
            m_status->setText(tr("Restored %1: %2 are as they were before that sync.")
                                  .arg(id, names.join(QStringLiteral(", "))));
            Q_EMIT audited(tr("restore point restored"),
                           tr("%1 in %2: %3").arg(id, m_database, names.join(u',')));
            reload();
        });
}

void RestorePointsDialog::discardSelected()
{
    const QString id = selectedId();
    if (id.isEmpty())
        return;
    m_busy = true;
    updateButtons();
    m_session.ops().discardRestorePoint(
        m_database, id, this, [this, id](const QJsonObject &, const QString &error) {
            m_busy = false;
            m_status->setText(error.isEmpty() ? tr("Discarded %1.").arg(id)
                                              : tr("Not discarded: %1").arg(error));
            if (error.isEmpty())
                Q_EMIT audited(tr("restore point discarded"), tr("%1 in %2").arg(id, m_database));
            reload();
        });
}

} // namespace repl::gui
