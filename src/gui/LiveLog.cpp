#include "gui/LiveLog.h"

#include "core/DumpLine.h"
#include "gui/LogEventModel.h"
#include "gui/ServerSession.h"
#include "ui_LiveLog.h"

#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScrollBar>
#include <QThreadPool>
#include <QTimer>

namespace repl::gui {

namespace {

QList<LogRow> parseLines(const QByteArray &body)
{
    QList<LogRow> rows;
    rows.reserve(body.count('\n'));
    qsizetype start = 0;
    while (start < body.size()) {
        qsizetype end = body.indexOf('\n', start);
        if (end < 0)
            end = body.size();
        const QByteArrayView line = QByteArrayView(body).sliced(start, end - start);
        start = end + 1;
        if (line.isEmpty())
            continue;
        LogRow r;
        r.size = int(line.size());
        if (auto fast = parseOwnLogLine(line)) {
            r.tick = fast->tick;
            r.type = fast->type;
            r.collection = QString::fromUtf8(fast->cname);
            r.key = QString::fromUtf8(fast->key);
        } else {
            const QJsonObject o = QJsonDocument::fromJson(line.toByteArray()).object();
            r.tick = o.value(QStringLiteral("tick")).toString().toULongLong();
            r.type = o.value(QStringLiteral("type")).toInt();
            r.collection = o.value(QStringLiteral("cname")).toString();
            if (r.collection.isEmpty())
                r.collection = o.value(QStringLiteral("collection"))
                                   .toObject()
                                   .value(QStringLiteral("name"))
                                   .toString();
            r.key = o.value(QStringLiteral("key")).toString();
            if (r.key.isEmpty())
                r.key = o.value(QStringLiteral("data"))
                            .toObject()
                            .value(QStringLiteral("_key"))
                            .toString();
        }
        rows.append(r);
    }
    return rows;
}

} // namespace

LiveLog::LiveLog(QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::LiveLog>())
    , m_model(new LogEventModel(50000, this))
    , m_filter(new LogEventFilter(this))
{
    m_ui->setupUi(this);
    m_parser.setMaxThreadCount(1);
    m_filter->setSourceModel(m_model);
    m_ui->eventView->setModel(m_filter);
    m_ui->eventView->verticalHeader()->hide();
    m_ui->eventView->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_ui->eventView->horizontalHeader()->setStretchLastSection(true);
    m_ui->eventView->setColumnWidth(LogEventModel::Tick, 110);
    m_ui->eventView->setColumnWidth(LogEventModel::Type, 220);
    m_ui->eventView->setColumnWidth(LogEventModel::Collection, 180);
    m_ui->eventView->setColumnWidth(LogEventModel::Key, 220);
    m_ui->typeFilter->addItem(tr("all events"), int(LogEventFilter::Family::All));
    m_ui->typeFilter->addItem(tr("inserts and updates"), int(LogEventFilter::Family::Documents));
    m_ui->typeFilter->addItem(tr("removals"), int(LogEventFilter::Family::Removals));
    m_ui->typeFilter->addItem(tr("collections and indexes"), int(LogEventFilter::Family::Schema));
    m_ui->typeFilter->addItem(tr("transactions"), int(LogEventFilter::Family::Transactions));
    m_ui->typeFilter->addItem(tr("logger start/stop"), int(LogEventFilter::Family::Logger));
    connect(m_ui->collectionFilter, &QLineEdit::textChanged, m_filter,
            &LogEventFilter::setCollection);
    connect(m_ui->typeFilter, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_filter->setFamily(LogEventFilter::Family(m_ui->typeFilter->itemData(i).toInt()));
    });
    connect(m_ui->pauseButton, &QPushButton::toggled, this, [this](bool paused) {
        m_ui->pauseButton->setText(paused ? tr("&Resume") : tr("&Pause"));
        if (!paused)
            fetch();
        updateFigures();
    });
    connect(m_ui->clearButton, &QPushButton::clicked, m_model, &LogEventModel::clear);
    m_rateClock.start();
}

LiveLog::~LiveLog() = default;

void LiveLog::setSession(ServerSession *session)
{
    m_session = session;
    ++m_generation;
    m_model->clear();
    m_started = false;
    m_inFlight = false;
    m_from = m_lastTick = m_lastIncluded = 0;
    if (m_following)
        begin();
}

void LiveLog::setFollowing(bool on)
{
    m_following = on;
    if (on && !m_started)
        begin();
    else if (on)
        fetch();
}

void LiveLog::begin()
{
    if (!m_session)
        return;
    m_started = true;
    const int gen = m_generation;
    // Start at the tail: what happens from now on.
    m_session->client().get(
        QStringLiteral("/_api/replication/logger-state"), {}, this,
        [this, gen](const client::HttpResult &r) {
            if (gen != m_generation)
                return;
            if (!r.ok()) {
                m_ui->followStatus->setText(tr("Cannot read the log: %1").arg(r.serverMessage()));
                m_started = false;
                return;
            }
            const QJsonObject state =
                QJsonDocument::fromJson(r.body).object().value(QStringLiteral("state")).toObject();
            m_from = state.value(QStringLiteral("lastLogTick")).toString().toULongLong();
            m_ui->followStatus->setText(
                state.value(QStringLiteral("running")).toBool()
                    ? tr("Following from tick %1.").arg(m_from)
                    : tr("Following from tick %1. This server's logger is stopped, so no changes "
                         "are recorded: start it in the Logger tab.")
                          .arg(m_from));
            fetch();
        });
}

void LiveLog::fetch()
{
    if (!m_session || !m_following || m_inFlight || !m_started || m_ui->pauseButton->isChecked())
        return;
    m_inFlight = true;
    const int gen = m_generation;
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("from"), QString::number(m_from));
    q.addQueryItem(QStringLiteral("chunkSize"), QStringLiteral("2097152"));
    q.addQueryItem(QStringLiteral("waitMs"),
                   QStringLiteral("5000")); // ignored by non-repldesk servers
    QElapsedTimer sent;
    sent.start();
    m_session->client().get(
        QStringLiteral("/_api/replication/logger-follow"), q, this,
        [this, gen, sent](const client::HttpResult &r) {
            if (gen != m_generation)
                return;
            m_inFlight = false;
            if (r.status != 200 && r.status != 204) {
                m_ui->followStatus->setText(tr("Following stopped: %1").arg(r.serverMessage()));
                QTimer::singleShot(2000, this, &LiveLog::fetch);
                return;
            }
            m_lastTick = r.header("x-arango-replication-lasttick").toULongLong();
            const quint64 included = r.header("x-arango-replication-lastincluded").toULongLong();
            if (included > 0) {
                m_lastIncluded = included;
                m_from = included;
            }
            if (r.status == 200) {
                // Parse off the GUI thread; show the batch when it is ready.
                QPointer<LiveLog> self(this);
                const QByteArray body = r.body;
                m_parser.start([self, body, gen] {
                    QList<LogRow> rows = parseLines(body);
                    QMetaObject::invokeMethod(self.data(), [self, rows = std::move(rows), gen] {
                        if (!self || gen != self->m_generation)
                            return;
                        QScrollBar *bar = self->m_ui->eventView->verticalScrollBar();
                        const bool atEnd = bar->value() >= bar->maximum() - 2;
                        self->m_model->appendBatch(rows);
                        if (atEnd) // follow the tail unless the operator scrolled up
                            self->m_ui->eventView->scrollToBottom();
                        self->m_eventsInWindow += rows.size();
                        self->updateFigures();
                    });
                });
                fetch();
            } else if (sent.elapsed() < 200) {
                QTimer::singleShot(500, this, &LiveLog::fetch); // no long-poll there
            } else {
                fetch();
            }
            updateFigures();
        });
}

void LiveLog::updateFigures()
{
    if (m_rateClock.elapsed() >= 1000) {
        m_rate = m_eventsInWindow * 1000.0 / double(m_rateClock.elapsed());
        m_eventsInWindow = 0;
        m_rateClock.restart();
    }
    m_ui->followFigures->setText(
        tr("lastTick %1 · lastIncluded %2 · %3 events/s%4")
            .arg(m_lastTick)
            .arg(m_lastIncluded)
            .arg(m_rate, 0, 'f', 0)
            .arg(m_ui->pauseButton->isChecked() ? tr(" · paused") : QString()));
}

} // namespace repl::gui
