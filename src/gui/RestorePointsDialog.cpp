#include "gui/RestorePointsDialog.h"

#include "gui/ServerSession.h"
#include "ops/ByteSize.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHash>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace repl::gui {

RestorePointsDialog::RestorePointsDialog(ServerSession &session, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_database(session.database().isEmpty() ? QStringLiteral("_system") : session.database())
    , m_table(new QTableWidget(0, 5, this))
    , m_summary(new QLabel(this))
    , m_keep(new QSpinBox(this))
    , m_maxBytes(new QLineEdit(this))
    , m_applyRetention(new QPushButton(tr("&Apply"), this))
    , m_retentionHint(new QLabel(this))
    , m_status(new QLabel(this))
    , m_preview(new QLabel(this))
    , m_confirmLabel(new QLabel(this))
    , m_confirm(new QLineEdit(this))
    , m_restore(new QPushButton(tr("&Restore"), this))
    , m_discard(new QPushButton(tr("&Discard"), this))
{
    setObjectName(QStringLiteral("restorePointsDialog"));
    setWindowTitle(tr("Restore points of %1").arg(m_database));
    auto *intro = new QLabel(
        tr("Each sync keeps what it purges in <b>%1</b> as a restore point. A restore puts "
           "those collections back as they were before that sync; followers of this server "
           "follow it.")
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
    m_summary->setObjectName(QStringLiteral("restorePointsSummary"));
    m_summary->setWordWrap(true);

    // Retention: "Keep [3] newest, at most [500 MiB] in all (0 = no limit)   [Apply]".
    m_keep->setObjectName(QStringLiteral("keepSpin"));
    m_keep->setRange(0, ops::RestorePointRetention::MaxKeep);
    m_keep->setToolTip(tr("How many of the newest restore points the server keeps; older ones "
                          "are discarded. 0 keeps none."));
    m_maxBytes->setObjectName(QStringLiteral("maxBytesEdit"));
    m_maxBytes->setPlaceholderText(QStringLiteral("0"));
    m_maxBytes->setToolTip(
        tr("At most this much in all restore points together; the oldest are discarded first. "
           "0 = no limit.\nBytes, or a number with a unit: K, M, G, T (KiB … TiB) are powers of "
           "1024, KB, MB, GB, TB powers of 1000 — e.g. 500M, 2G, 1.5 GiB."));
    m_maxBytes->setMaximumWidth(
        m_maxBytes->fontMetrics().horizontalAdvance(QStringLiteral("0000.00 GiB")) + 16);
    m_applyRetention->setObjectName(QStringLiteral("applyRetentionButton"));
    m_applyRetention->setAutoDefault(false); // Enter in the confirm field never applies this
    m_applyRetention->setToolTip(tr("Store this retention on the server and apply it now."));
    m_retentionHint->setObjectName(QStringLiteral("retentionHint"));
    m_retentionHint->setWordWrap(true);
    m_retentionHint->hide();
    auto *keepLabel = new QLabel(tr("&Keep"), this);
    keepLabel->setBuddy(m_keep);
    auto *sizeLabel = new QLabel(tr("newest, at &most"), this);
    sizeLabel->setBuddy(m_maxBytes);
    auto *retentionRow = new QHBoxLayout;
    retentionRow->addWidget(keepLabel);
    retentionRow->addWidget(m_keep);
    retentionRow->addWidget(sizeLabel);
    retentionRow->addWidget(m_maxBytes);
    retentionRow->addWidget(new QLabel(tr("in all (0 = no limit)"), this));
    retentionRow->addSpacing(8);
    retentionRow->addWidget(m_applyRetention);
    retentionRow->addStretch(1);

    m_preview->setObjectName(QStringLiteral("restorePreview"));
    m_preview->setWordWrap(true);
    m_preview->hide();
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
    layout->addWidget(m_summary);
    layout->addSpacing(4);
    layout->addLayout(retentionRow);
    layout->addWidget(m_retentionHint);
    layout->addSpacing(6);
    layout->addWidget(m_preview);
    layout->addWidget(m_confirmLabel);
    layout->addWidget(m_confirm);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(760, 440);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_restore, &QPushButton::clicked, this, &RestorePointsDialog::restoreSelected);
    connect(m_discard, &QPushButton::clicked, this, &RestorePointsDialog::discardSelected);
    connect(m_confirm, &QLineEdit::textChanged, this, &RestorePointsDialog::updateButtons);
    connect(m_table, &QTableWidget::itemSelectionChanged, this,
            &RestorePointsDialog::updateButtons);
    connect(m_table, &QTableWidget::itemSelectionChanged, this,
            &RestorePointsDialog::updatePreview);
    connect(m_keep, &QSpinBox::valueChanged, this, &RestorePointsDialog::updateRetention);
    connect(m_maxBytes, &QLineEdit::textChanged, this, &RestorePointsDialog::updateRetention);
    connect(m_applyRetention, &QPushButton::clicked, this, &RestorePointsDialog::applyRetention);
    updateButtons();
    reload();
    loadRetention();
}

void RestorePointsDialog::showError(const QString &text)
{
    m_status->setText(
        QStringLiteral("<span style='color:#c62828'>%1</span>").arg(text.toHtmlEscaped()));
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
                showError(tr("Cannot list the restore points: %1").arg(error));
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
    m_points = points;
    updatePreview();
    m_summary->setText(
        points.isEmpty()
            ? tr("No restore points: no sync has purged anything here yet (or they were "
                 "restored or discarded).")
            : tr("Restore points: %n, oldest first; %1 in all.", nullptr, int(points.size()))
                  .arg(QLocale().formattedDataSize(ops::totalBytes(points))));
    updateButtons();
    updateRetention(); // what a pending change would discard depends on the list
}

void RestorePointsDialog::updatePreview()
{
    const QString id = selectedId();
    QJsonArray kept;
    QString time;
    for (int row = 0; row < m_table->rowCount(); ++row)
        if (m_table->item(row, 0)->text() == id) {
            kept = m_points.at(row)[QStringLiteral("collections")].toArray();
            time = m_table->item(row, 1)->text();
        }
    if (id.isEmpty() || kept.isEmpty()) {
        m_preview->hide();
        return;
    }
    m_preview->setText(tr("Restore point %1: looking at what it would replace…").arg(id));
    m_preview->show();
    // What the restore replaces, counted now (the inventory, read off this thread).
    m_session.ops().inventory(
        m_database, this, [this, id, kept, time](const QJsonObject &inv, const QString &error) {
            if (selectedId() != id)
                return; // another point was selected meanwhile
            QHash<QString, qint64> now;
            for (const QJsonValue &c : inv.value(QStringLiteral("collections")).toArray()) {
                const QJsonObject p = c[QStringLiteral("parameters")].toObject();
                now.insert(p.value(QStringLiteral("name")).toString(),
                           p.value(QStringLiteral("count")).toInteger());
            }
            QStringList lines;
            for (const QJsonValue &c : kept) {
                const QString name = c[QStringLiteral("name")].toString();
                const qint64 back = c[QStringLiteral("count")].toInteger();
                const QString current = !error.isEmpty() ? tr("current count unknown")
                                        : now.contains(name)
                                            ? tr("documents now: %1").arg(now.value(name))
                                            : tr("not there now");
                lines.append(tr("<b>%1</b> — %2; after the restore: %3, as on %4")
                                 .arg(name.toHtmlEscaped(), current)
                                 .arg(back)
                                 .arg(time));
            }
            m_preview->setText(tr("Restoring %1 replaces:").arg(id) + QStringLiteral("<br>") +
                               lines.join(QStringLiteral("<br>")));
        });
}

void RestorePointsDialog::loadRetention()
{
    m_retentionBusy = true;
    updateRetention();
    m_session.ops().restorePointRetention(
        m_database, this, [this](const ops::RestorePointRetention &r, const QString &error) {
            m_retentionBusy = false;
            if (!error.isEmpty()) {
                showError(tr("Cannot read how many restore points are kept: %1").arg(error));
                return updateRetention();
            }
            showRetention(r);
        });
}

void RestorePointsDialog::showRetention(const ops::RestorePointRetention &r)
{
    m_retention = r;
    m_keep->setValue(r.keep);
    m_maxBytes->setText(ops::byteSizeText(r.maxBytes));
    updateRetention();
}

std::optional<ops::RestorePointRetention> RestorePointsDialog::editedRetention() const
{
    const QString text = m_maxBytes->text().trimmed();
    const std::optional<qint64> bytes =
        text.isEmpty() ? std::optional<qint64>(0) : ops::parseByteSize(text);
    if (!bytes)
        return std::nullopt;
    return ops::RestorePointRetention{m_keep->value(), *bytes};
}

void RestorePointsDialog::updateRetention()
{
    // Editable once the server's retention is known; Apply only for a valid change.
    const bool loaded = m_retention.has_value();
    m_keep->setEnabled(loaded && !m_retentionBusy);
    m_maxBytes->setEnabled(loaded && !m_retentionBusy);
    const std::optional<ops::RestorePointRetention> edited = editedRetention();
    m_applyRetention->setEnabled(loaded && !m_retentionBusy && edited && *edited != *m_retention);

    QString hint;
    QString colour;
    if (loaded && !edited) {
        hint = tr("“%1” is not a size: type bytes, or a number with K, M, G or T (powers of "
                  "1024) or KB, MB, GB, TB (powers of 1000), e.g. 500M or 1.5 GiB.")
                   .arg(m_maxBytes->text().trimmed());
        colour = QStringLiteral("#c62828");
    } else if (loaded && *edited != *m_retention) {
        const QStringList dropped = ops::droppedByRetention(m_points, *edited);
        if (!dropped.isEmpty()) {
            qint64 bytes = 0;
            for (const QJsonValue &p : m_points)
                if (dropped.contains(p[QStringLiteral("id")].toString()))
                    bytes += qint64(p[QStringLiteral("bytes")].toDouble());
            hint = tr("Apply discards %n of them at once, the oldest first (%1).", nullptr,
                      int(dropped.size()))
                       .arg(QLocale().formattedDataSize(bytes));
            colour = QStringLiteral("#b26a00");
        } else if (edited->maxBytes > 0) {
            hint = tr("At most %1 (%2 bytes) in all.")
                       .arg(QLocale().formattedDataSize(edited->maxBytes),
                            QLocale().toString(edited->maxBytes));
            colour = palette().color(QPalette::PlaceholderText).name();
        }
    }
    m_retentionHint->setText(
        hint.isEmpty()
            ? QString()
            : QStringLiteral("<span style='color:%1'>%2</span>").arg(colour, hint.toHtmlEscaped()));
    m_retentionHint->setVisible(!hint.isEmpty());
}

void RestorePointsDialog::applyRetention()
{
    const std::optional<ops::RestorePointRetention> edited = editedRetention();
    if (!edited || !m_retention || *edited == *m_retention || m_retentionBusy)
        return;
    const int discarded = int(ops::droppedByRetention(m_points, *edited).size());
    std::optional<int> keep;
    std::optional<qint64> maxBytes;
    if (edited->keep != m_retention->keep)
        keep = edited->keep;
    if (edited->maxBytes != m_retention->maxBytes)
        maxBytes = edited->maxBytes;
    m_retentionBusy = true;
    updateRetention();
    m_status->setText(tr("Applying the retention…"));
    m_session.ops().setRestorePointRetention(
        m_database, keep, maxBytes, this,
        [this, discarded](const ops::RestorePointRetention &r, const QString &error) {
            m_retentionBusy = false;
            if (!error.isEmpty()) {
                showError(tr("Retention not changed: %1").arg(error));
                return updateRetention();
            }
            const QString limit =
                r.maxBytes == 0
                    ? tr("no size limit")
                    : tr("at most %1 in all").arg(QLocale().formattedDataSize(r.maxBytes));
            QString text = tr("Retention applied: the newest %1, %2.").arg(r.keep).arg(limit);
            if (discarded > 0)
                text += u' ' + tr("Discarded: %n, the oldest.", nullptr, discarded);
            m_status->setText(text);
            Q_EMIT audited(tr("restore point retention set"),
                           tr("%1: keep %2, %3").arg(m_database).arg(r.keep).arg(limit));
            showRetention(r);
            reload();
        });
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
                showError(tr("Not restored: %1").arg(error));
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
