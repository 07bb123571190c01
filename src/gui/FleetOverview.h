#pragma once

#include <QFont>
#include <QHash>
#include <QStaticText>
#include <QStyledItemDelegate>
#include <QWidget>

class QLabel;
class QTableView;
class QTimer;

namespace repl::gui {

class FleetModel;

// Draws FleetModel's SparkRole (ticks behind over the last 15 minutes) as a small line,
// coloured by the row's alarm level, with the newest value's dot.
class SparklineDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

// A table cell's text drawn from laid-out text kept between repaints (QStaticText, elided to
// the cell's width): the style's own item painting lays out every cell's text anew at each
// repaint, which was most of the Overview's repaint with 25 rows in view (bench_gui). Looks
// as the style's: background, selection, alternating rows and focus from the style.
class CachedTextDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;

private:
    const QStaticText &laidOut(const QString &text, const QFont &font, int width) const;

    mutable QHash<std::pair<int, QString>, QStaticText> m_texts; // by width and text
    mutable QFont m_font;
};

// The fleet at a glance: one row per server in the list (kind, role, state, lag and its
// sparkline, alarms) with a summary line above. Double-click (or Enter) opens a server.
class FleetOverview final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FleetOverview)

public:
    explicit FleetOverview(FleetModel &model, QWidget *parent = nullptr);
    QTableView *view() const { return m_view; }
    QString summaryText() const;

Q_SIGNALS:
    void openServer(const QString &id);

private:
    void updateSummary();

    FleetModel &m_model;
    QTableView *m_view;
    QLabel *m_summary;
    QTimer *m_summaryTimer;
};

} // namespace repl::gui
