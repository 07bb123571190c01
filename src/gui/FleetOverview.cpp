#include "gui/FleetOverview.h"

#include "gui/FleetModel.h"
#include "gui/LagReading.h"

#include <QApplication>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPainter>
#include <QPolygonF>
#include <QSettings>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace repl::gui {

namespace {
// The cell's background, selection and focus as the style draws them, without its text.
QStyle *drawCellBackground(QPainter *painter, const QStyleOptionViewItem &option)
{
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &option, painter, widget);
    return style;
}
} // namespace

const QStaticText &CachedTextDelegate::laidOut(const QString &text, const QFont &font,
                                               int width) const
{
    // A few hundred cells in view, a few thousand distinct texts over a long watch; ticks
    // and seconds change at each poll, so the cache is emptied when it grows past that.
    if (font != m_font || m_texts.size() > 4000) {
        m_texts.clear();
        m_font = font;
    }
    const std::pair<int, QString> key{width, text};
    auto it = m_texts.find(key);
    if (it == m_texts.end()) {
        const QFontMetrics metrics(font);
        QStaticText laid(metrics.horizontalAdvance(text) > width
                             ? metrics.elidedText(text, Qt::ElideRight, width)
                             : text);
        laid.setTextFormat(Qt::PlainText);
        laid.setPerformanceHint(QStaticText::AggressiveCaching);
        laid.prepare(QTransform(), font);
        it = m_texts.insert(key, laid);
    }
    return *it;
}

void CachedTextDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                               const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    QStyle *style = drawCellBackground(painter, opt);
    if (!opt.text.isEmpty()) {
        // The text's place as the style's item painting finds it: its rectangle less the
        // focus frame's margin on each side, centred vertically.
        const int margin =
            style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, opt.widget) + 1;
        const QRect rect = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, opt.widget)
                               .adjusted(margin, 0, -margin, 0);
        const QStaticText &text = laidOut(opt.text, opt.font, rect.width());
        const QSizeF size = text.size();
        const double x =
            opt.displayAlignment & Qt::AlignRight ? rect.right() + 1 - size.width() : rect.left();
        const double y = rect.top() + (rect.height() - size.height()) / 2;
        const QPalette::ColorGroup group = !(opt.state & QStyle::State_Enabled) ? QPalette::Disabled
                                           : !(opt.state & QStyle::State_Active)
                                               ? QPalette::Inactive
                                               : QPalette::Normal;
        painter->save();
        painter->setClipRect(rect);
        painter->setPen(opt.palette.color(group, opt.state & QStyle::State_Selected
                                                     ? QPalette::HighlightedText
                                                     : QPalette::Text));
        painter->setFont(opt.font);
        painter->drawStaticText(QPointF(x, y), text);
        painter->restore();
    }
    if (opt.state & QStyle::State_HasFocus) {
        QStyleOptionFocusRect focus;
        focus.QStyleOption::operator=(opt);
        focus.rect = style->subElementRect(QStyle::SE_ItemViewItemFocusRect, &opt, opt.widget);
        focus.state |= QStyle::State_KeyboardFocusChange | QStyle::State_Item;
        focus.backgroundColor = opt.palette.color(
            opt.state & QStyle::State_Selected ? QPalette::Highlight : QPalette::Window);
        style->drawPrimitive(QStyle::PE_FrameFocusRect, &focus, painter, opt.widget);
    }
}

void SparklineDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                              const QModelIndex &index) const
{
    QStyleOptionViewItem base = option;
    initStyleOption(&base, index);
    drawCellBackground(painter, base); // background, selection
    const QList<float> values = index.data(FleetModel::SparkRole).value<QList<float>>();
    if (values.size() < 2)
        return;
    const QRectF r = QRectF(option.rect).adjusted(4, 4, -6, -4);
    float top = 0;
    for (float v : values)
        top = qMax(top, v);
    const double scale = top > 0 ? r.height() / double(top) : 0;
    const double step = r.width() / double(values.size() - 1);
    const auto at = [&](qsizetype i) {
        return QPointF(r.left() + double(i) * step, r.bottom() - double(values.at(i)) * scale);
    };
    // At most the lowest and the highest value of each pixel column: 15 minutes at 1 s are 900
    // values for a cell about 130 pixels wide, and stroking them all was 60% of repainting the
    // Overview's table (bench_gui). A spike or a return to zero stays visible.
    const qsizetype n = values.size();
    const qsizetype columns = qMax<qsizetype>(2, qsizetype(r.width()));
    QPolygonF line;
    line.reserve(2 * columns);
    if (n <= 2 * columns) {
        for (qsizetype i = 0; i < n; ++i)
            line << at(i);
    } else {
        for (qsizetype c = 0; c < columns; ++c) {
            const qsizetype from = n * c / columns, to = n * (c + 1) / columns;
            qsizetype lo = from, hi = from;
            for (qsizetype i = from + 1; i < to; ++i) {
                if (values.at(i) < values.at(lo))
                    lo = i;
                if (values.at(i) > values.at(hi))
                    hi = i;
            }
            line << at(qMin(lo, hi));
            if (lo != hi)
                line << at(qMax(lo, hi));
        }
    }
    const auto level = LagThresholds::Level(
        index.siblingAtColumn(FleetModel::State).data(FleetModel::AlarmRole).toInt());
    const QColor color = level == LagThresholds::Level::Critical  ? QColor(0xc6, 0x28, 0x28)
                         : level == LagThresholds::Level::Warning ? QColor(0xd9, 0x8c, 0x1f)
                                                                  : QColor(0x00, 0x72, 0xb2);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    // 1 px: the raster engine draws it directly; a wider antialiased pen is stroked into a
    // polygon and filled, 20 times the time (25 sparklines of 260 points: 12 ms against 0.5).
    painter->setPen(QPen(color, 1));
    painter->drawPolyline(line);
    painter->setBrush(color);
    painter->drawEllipse(at(n - 1), 2.5, 2.5);
    painter->restore();
}

QSize SparklineDelegate::sizeHint(const QStyleOptionViewItem &option,
                                  const QModelIndex &index) const
{
    return QStyledItemDelegate::sizeHint(option, index).expandedTo(QSize(140, 24));
}

FleetOverview::FleetOverview(FleetModel &model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_view(new QTableView(this))
    , m_summary(new QLabel(this))
    , m_summaryTimer(new QTimer(this))
{
    m_view->setObjectName(QStringLiteral("topologyView"));
    m_summary->setObjectName(QStringLiteral("fleetSummary"));
    m_view->setModel(&m_model);
    m_view->setItemDelegate(new CachedTextDelegate(m_view));
    m_view->setItemDelegateForColumn(FleetModel::Trend, new SparklineDelegate(m_view));
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(26);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setToolTip(tr("Double-click a server to open it"));
    const int widths[] = {130, 95, 110, 100, 90, 90, 75, 55, 130};
    for (int c = 0; c < int(std::size(widths)); ++c)
        m_view->setColumnWidth(c, widths[c]);
    // Which columns show is the operator's (the header's context menu); the raw ticks are
    // hidden at first, their difference (the lag) is what matters at a glance.
    QHeaderView *header = m_view->horizontalHeader();
    const QVariant hidden = QSettings().value(QStringLiteral("fleet/hiddenColumns"));
    const QList<int> hide = hidden.isValid()
                                ? [&] {
                                      QList<int> out;
                                      for (const QVariant &v : hidden.toList())
                                          out << v.toInt();
                                      return out;
                                  }()
                                : QList<int>{FleetModel::Applied, FleetModel::LeaderTick};
    for (int c : hide)
        if (c > FleetModel::Server && c < FleetModel::ColumnCount)
            header->setSectionHidden(c, true);
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(header, &QWidget::customContextMenuRequested, this, [this, header](const QPoint &at) {
        QMenu menu(this);
        for (int c = FleetModel::Server + 1; c < FleetModel::ColumnCount; ++c) {
            QAction *a =
                menu.addAction(m_model.headerData(c, Qt::Horizontal, Qt::DisplayRole).toString());
            a->setCheckable(true);
            a->setChecked(!header->isSectionHidden(c));
            connect(a, &QAction::toggled, this, [this, header, c](bool on) {
                header->setSectionHidden(c, !on);
                QVariantList hiddenNow;
                for (int i = 0; i < FleetModel::ColumnCount; ++i)
                    if (header->isSectionHidden(i))
                        hiddenNow << i;
                QSettings().setValue(QStringLiteral("fleet/hiddenColumns"), hiddenNow);
            });
        }
        menu.exec(header->mapToGlobal(at));
    });
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *caption = new QLabel(tr("<b>Fleet</b> — every server in the list, polled in the "
                                  "background"),
                               this);
    layout->addWidget(caption);
    layout->addWidget(m_summary);
    layout->addWidget(m_view, 1);
    connect(m_view, &QAbstractItemView::activated, this, [this](const QModelIndex &i) {
        Q_EMIT openServer(i.data(FleetModel::IdRole).toString());
    });
    // The summary follows the rows at most twice a second, however many servers answer.
    m_summaryTimer->setSingleShot(true);
    m_summaryTimer->setInterval(500);
    connect(m_summaryTimer, &QTimer::timeout, this, &FleetOverview::updateSummary);
    const auto later = [this] {
        if (!m_summaryTimer->isActive())
            m_summaryTimer->start();
    };
    connect(&m_model, &QAbstractItemModel::dataChanged, this, later);
    connect(&m_model, &QAbstractItemModel::modelReset, this, later);
    updateSummary();
}

QString FleetOverview::summaryText() const
{
    return m_summary->text();
}

void FleetOverview::updateSummary()
{
    const FleetModel::Summary s = m_model.summary();
    QStringList parts{tr("Servers: %1").arg(s.servers), tr("followers: %1").arg(s.followers)};
    if (s.critical)
        parts << QStringLiteral("<span style='color:#c62828'><b>%1</b></span>")
                     .arg(tr("critical: %1").arg(s.critical));
    if (s.warnings)
        parts << QStringLiteral("<span style='color:#b26a00'><b>%1</b></span>")
                     .arg(tr("warnings: %1").arg(s.warnings));
    if (!s.critical && !s.warnings)
        parts << QStringLiteral("<span style='color:#2e7d32'>%1</span>").arg(tr("no alarms"));
    m_summary->setText(parts.join(QStringLiteral(" · ")));
}

} // namespace repl::gui
