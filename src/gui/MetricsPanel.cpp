#include "gui/MetricsPanel.h"

#include "gui/MetricsModel.h"
#include "gui/ServerSession.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTableView>
#include <QTime>
#include <QVBoxLayout>

namespace repl::gui {

namespace {
// Seconds between reads while the panel shows; one setting for every server.
const QString IntervalKey = QStringLiteral("metrics/refreshSeconds");
constexpr int DefaultIntervalSeconds = 5;
} // namespace

MetricsPanel::MetricsPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new MetricsModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_filter(new QLineEdit(this))
    , m_interval(new QSpinBox(this))
    , m_refresh(new QPushButton(tr("&Refresh"), this))
    , m_message(new QLabel(this))
    , m_status(new QLabel(this))
    , m_view(new QTableView(this))
{
    m_clock.start();
    m_filter->setObjectName(QStringLiteral("metricsFilter"));
    m_filter->setPlaceholderText(tr("Filter by metric, label or family…"));
    m_filter->setClearButtonEnabled(true);
    m_interval->setObjectName(QStringLiteral("metricsInterval"));
    m_interval->setRange(1, 3600);
    m_interval->setSuffix(tr(" s"));
    m_interval->setToolTip(tr("How often the metrics are read while this tab shows."));
    m_interval->setValue(QSettings().value(IntervalKey, DefaultIntervalSeconds).toInt());
    m_refresh->setObjectName(QStringLiteral("metricsRefresh"));
    m_refresh->setIcon(QIcon(QStringLiteral(":/icons/actions/refresh.svg")));
    m_message->setObjectName(QStringLiteral("metricsMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setStyleSheet(
        QStringLiteral("QLabel { background: #fff4ce; color: #3b2f00; border: 1px solid #e0c060; "
                       "border-radius: 4px; padding: 6px 8px; }"));
    m_message->hide();
    m_status->setObjectName(QStringLiteral("metricsStatus"));
    m_status->setText(tr("No server selected."));

    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(MetricsModel::RawRole);
    m_proxy->setFilterRole(MetricsModel::FilterRole);
    m_proxy->setFilterKeyColumn(MetricsModel::Name);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_view->setObjectName(QStringLiteral("metricsView"));
    m_view->setModel(m_proxy);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setWordWrap(false);
    m_view->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder); // the server's order
    m_view->setSortingEnabled(true);
    m_view->setColumnWidth(MetricsModel::Name, 380);
    m_view->setColumnWidth(MetricsModel::Value, 130);
    m_view->setColumnWidth(MetricsModel::Rate, 110);
    m_view->horizontalHeader()->setSectionResizeMode(MetricsModel::Labels, QHeaderView::Stretch);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    auto *every = new QLabel(tr("Every"), this);
    every->setBuddy(m_interval);
    bar->addWidget(every);
    bar->addWidget(m_interval);
    bar->addWidget(m_refresh);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_message);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);

    connect(m_filter, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);
    connect(m_refresh, &QPushButton::clicked, this, &MetricsPanel::refresh);
    connect(m_interval, &QSpinBox::valueChanged, this, [this](int seconds) {
        QSettings().setValue(IntervalKey, seconds);
        m_timer.setInterval(seconds * 1000);
    });
    m_timer.setInterval(m_interval->value() * 1000);
    connect(&m_timer, &QTimer::timeout, this, &MetricsPanel::refresh);
}

MetricsPanel::~MetricsPanel() = default;

void MetricsPanel::setServer(ServerSession *session)
{
    ++m_generation;
    m_inFlight = false;
    m_session = session;
    m_model->clear();
    showMessage({});
    m_status->setText(session ? QString() : tr("No server selected."));
    updateTimer();
    if (m_active)
        refresh();
}

void MetricsPanel::setActive(bool active)
{
    if (active == m_active)
        return;
    m_active = active;
    updateTimer();
    if (active)
        refresh();
}

void MetricsPanel::setIntervalSeconds(int seconds)
{
    m_interval->setValue(seconds);
}

int MetricsPanel::intervalSeconds() const
{
    return m_interval->value();
}

QString MetricsPanel::message() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

void MetricsPanel::updateTimer()
{
    if (m_active && m_session)
        m_timer.start();
    else
        m_timer.stop();
}

void MetricsPanel::showMessage(const QString &text)
{
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
}

void MetricsPanel::refresh()
{
    if (!m_session || m_inFlight)
        return;
    m_inFlight = true;
    if (m_model->rowCount() == 0 && message().isEmpty())
        m_status->setText(tr("Reading the metrics…"));
    const quint64 generation = m_generation;
    m_session->ops().metrics(this, [this, generation](const ops::Metrics &metrics,
                                                      const QString &error) {
        if (generation != m_generation)
            return; // about a server no longer shown
        m_inFlight = false;
        if (!error.isEmpty()) {
            showMessage(error);
            m_status->setText(tr("Not refreshed at %1.")
                                  .arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss"))));
            Q_EMIT refreshed(false);
            return;
        }
        showMessage({});
        m_model->apply(metrics, m_clock.elapsed());
        m_status->setText(tr("Families: %1 · samples: %2 · refreshed at %3")
                              .arg(m_model->familyCount())
                              .arg(m_model->rowCount())
                              .arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss"))));
        Q_EMIT refreshed(true);
    });
}

} // namespace repl::gui
