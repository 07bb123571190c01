#include "gui/LiveLog.h"

#include "client/Endpoint.h"
#include "core/DocumentJson.h"
#include "core/DumpLine.h"
#include "gui/LogEventModel.h"
#include "gui/ServerSession.h"
#include "ui_LiveLog.h"

#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScrollBar>
#include <QSignalBlocker>
#include <QThreadPool>
#include <QTimer>
#include <QUrlQuery>

namespace repl::gui {

namespace {

// A CouchDB _changes answer as rows (seq's number as the tick, deletions as 2302) and its
// last_seq.
std::pair<QList<LogRow>, QString> parseChanges(const QByteArray &body, const QString &database)
{
    const QJsonObject answer = QJsonDocument::fromJson(body).object();
    QList<LogRow> rows;
    for (const QJsonValue &v : answer.value(QStringLiteral("results")).toArray()) {
        const QJsonObject change = v.toObject();
        LogRow r;
        r.tick = couchSeqShort(couchSeqText(change.value(QStringLiteral("seq")))).toULongLong();
        r.type = change.value(QStringLiteral("deleted")).toBool() ? 2302 : 2300;
        r.collection = database;
        r.key = change.value(QStringLiteral("id")).toString();
        r.size = int(QJsonDocument(change).toJson(QJsonDocument::Compact).size());
        rows.append(r);
    }
    return {rows, couchSeqText(answer.value(QStringLiteral("last_seq")))};
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
    connect(m_ui->databaseCombo, &QComboBox::currentIndexChanged, this, [this] { restart(); });
    m_rateClock.start();
}

LiveLog::~LiveLog() = default;

void LiveLog::setSession(ServerSession *session)
{
    m_session = session;
    m_couch = false;
    m_ui->databaseCombo->setVisible(false);
    {
        const QSignalBlocker block(m_ui->databaseCombo);
        m_ui->databaseCombo->clear(); // the last server's databases are not this one's
    }
    ++m_generation;       // answers of the last server's calls are dropped
    delete m_couchClient; // made again for this server when needed
    m_couchClient = nullptr;
    if (session) {
        connect(session, &ServerSession::flavorChanged, this,
                [this, session](client::ServerFlavor flavor) {
                    if (session == m_session)
                        setCouchMode(flavor == client::ServerFlavor::CouchDb);
                });
        connect(session, &ServerSession::databaseChanged, this, [this, session] {
            if (session == m_session && !m_couch)
                restart(); // another database's log
        });
        connect(session, &ServerSession::inventoryChanged, this,
                [this, session](const QJsonObject &inventory) {
                    if (session != m_session || !m_couch)
                        return;
                    QStringList names;
                    for (const QJsonValue &c :
                         inventory.value(QStringLiteral("collections")).toArray())
                        names << c[QStringLiteral("parameters")][QStringLiteral("name")].toString();
                    setCouchDatabases(names);
                });
    }
    restart();
}

void LiveLog::restart()
{
    ++m_generation;
    if (m_couchClient)
        m_couchClient->abortAll(); // a long-poll of the database left behind
    m_model->clear();
    m_started = false;
    m_inFlight = false;
    m_from = m_lastTick = m_lastIncluded = 0;
    m_since.clear();
    if (m_following)
        begin();
}

void LiveLog::setCouchMode(bool on)
{
    if (m_couch == on)
        return;
    m_couch = on;
    m_ui->databaseCombo->setVisible(on);
    restart();
}

void LiveLog::setCouchDatabases(const QStringList &databases)
{
    QStringList shown;
    for (int i = 0; i < m_ui->databaseCombo->count(); ++i)
        shown << m_ui->databaseCombo->itemText(i);
    if (databases.isEmpty() || databases == shown)
        return; // nothing new: an open drop-down and the choice stay as they are
    const QString current = m_ui->databaseCombo->currentText();
    int index = int(databases.indexOf(current));
    if (index < 0) // a first choice: the first database that is not a system one
        for (qsizetype i = 0; i < databases.size() && index < 0; ++i)
            if (!databases[i].startsWith(u'_'))
                index = int(i);
    {
        const QSignalBlocker block(m_ui->databaseCombo);
        m_ui->databaseCombo->clear();
        m_ui->databaseCombo->addItems(databases);
        m_ui->databaseCombo->setCurrentIndex(qMax(0, index));
    }
    if (m_ui->databaseCombo->currentText() != current)
        restart();
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
    if (m_couch) {
        const QString database = m_ui->databaseCombo->currentText();
        if (database.isEmpty()) {
            m_ui->followStatus->setText(tr("Choose a database to follow."));
            return;
        }
        // The feed's position now, from the database's info: a change made right after the
        // status says "following" is never missed (since=now would start with the poll).
        if (!m_couchClient)
            m_couchClient = new client::ReplicationClient(m_session->client().settings(), this);
        m_started = true;
        const int gen = m_generation;
        m_couchClient->get(
            u'/' + client::percentEncoded(database), {}, this,
            [this, gen, database](const client::HttpResult &r) {
                if (gen != m_generation)
                    return;
                if (!r.ok()) {
                    m_ui->followStatus->setText(
                        tr("Cannot read %1: %2").arg(database, r.serverMessage()));
                    m_started = false;
                    return;
                }
                m_since = couchSeqText(
                    QJsonDocument::fromJson(r.body).object().value(QStringLiteral("update_seq")));
                m_ui->followStatus->setText(tr("Following the changes of %1 from now (seq %2).")
                                                .arg(database, couchSeqShort(m_since)));
                fetch();
            });
        return;
    }
    m_started = true;
    const int gen = m_generation;
    const QString database = m_session->database();
    // Start at the tail: what happens from now on. Where the logger can be stopped (ours),
    // say so when it is, since then nothing is recorded.
    auto following = [this, gen](quint64 from, bool stopped, const QString &error) {
        if (gen != m_generation)
            return;
        if (!error.isEmpty()) {
            m_ui->followStatus->setText(tr("Cannot read the log: %1").arg(error));
            m_started = false;
            return;
        }
        m_from = from;
        m_ui->followStatus->setText(
            stopped ? tr("Following from tick %1. This server's logger is stopped, so no changes "
                         "are recorded: start it in the Logger tab.")
                          .arg(m_from)
                    : tr("Following from tick %1.").arg(m_from));
        fetch();
    };
    if (m_session->dialect().has(ops::Feature::LoggerControl)) {
        m_session->ops().loggerState(
            database, this, [following](const QJsonObject &l, const QString &e) {
                const QJsonObject state = l.value(QStringLiteral("state")).toObject();
                following(state.value(QStringLiteral("lastLogTick")).toString().toULongLong(),
                          !state.value(QStringLiteral("running")).toBool(), e);
            });
        return;
    }
    m_session->ops().lastTick(
        database, this, [following](quint64 tick, const QString &e) { following(tick, false, e); });
}

// One request of the log tail in the server's dialect (logger-follow with a 5 s long-poll on
// ours, /_api/wal/tail on ArangoDB 3.x), parsed off the GUI thread by the operations library.
void LiveLog::fetch()
{
    if (!m_session || !m_following || m_inFlight || !m_started || m_ui->pauseButton->isChecked())
        return;
    if (m_couch)
        return fetchCouch();
    m_inFlight = true;
    const int gen = m_generation;
    const bool longPoll = m_session->dialect().longPollsTail();
    QElapsedTimer sent;
    sent.start();
    m_session->ops().tail(
        m_session->database(), m_from, 2 * 1024 * 1024, longPoll ? 5000 : 0, this,
        [this, gen, sent](const ops::LogChunk &c, const QString &error) {
            if (gen != m_generation)
                return;
            m_inFlight = false;
            if (!error.isEmpty()) {
                m_ui->followStatus->setText(tr("Following stopped: %1").arg(error));
                QTimer::singleShot(2000, this, &LiveLog::fetch);
                return;
            }
            m_lastTick = c.lastTick;
            if (c.lastIncluded > 0) {
                m_lastIncluded = c.lastIncluded;
                m_from = c.lastIncluded;
            }
            if (!c.events.isEmpty()) {
                QList<LogRow> rows;
                rows.reserve(c.events.size());
                for (const ops::LogEvent &e : c.events)
                    rows.append(LogRow{e.tick, e.type, e.collection, e.key, e.size});
                QScrollBar *bar = m_ui->eventView->verticalScrollBar();
                const bool atEnd = bar->value() >= bar->maximum() - 2;
                m_model->appendBatch(rows);
                if (atEnd) // follow the tail unless the operator scrolled up
                    m_ui->eventView->scrollToBottom();
                m_eventsInWindow += rows.size();
                fetch();
            } else if (c.checkMore || sent.elapsed() >= 200) {
                fetch();
            } else {
                QTimer::singleShot(500, this, &LiveLog::fetch); // no long-poll there
            }
            updateFigures();
        });
}

// One long-poll of the database's changes feed (5 s), parsed off the GUI thread; the next
// poll starts from its last_seq once the batch is shown.
void LiveLog::fetchCouch()
{
    if (!m_couchClient)
        return;
    m_inFlight = true;
    const int gen = m_generation;
    const QString database = m_ui->databaseCombo->currentText();
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("feed"), QStringLiteral("longpoll"));
    q.addQueryItem(QStringLiteral("since"), client::percentEncoded(m_since));
    q.addQueryItem(QStringLiteral("timeout"), QStringLiteral("5000"));
    q.addQueryItem(QStringLiteral("limit"), QStringLiteral("1000"));
    m_couchClient->get(u'/' + client::percentEncoded(database) + QStringLiteral("/_changes"), q,
                       this, [this, gen, database](const client::HttpResult &r) {
                           if (gen != m_generation)
                               return;
                           if (!r.ok()) {
                               m_inFlight = false;
                               m_ui->followStatus->setText(
                                   tr("Following stopped: %1")
                                       .arg(r.answered() ? r.serverMessage() : r.errorString));
                               QTimer::singleShot(2000, this, &LiveLog::fetch);
                               return;
                           }
                           QPointer<LiveLog> self(this);
                           const QByteArray body = r.body;
                           m_parser.start([self, body, gen, database] {
                               auto [rows, lastSeq] = parseChanges(body, database);
                               QMetaObject::invokeMethod(
                                   self.data(), [self, rows = std::move(rows), lastSeq, gen] {
                                       if (!self || gen != self->m_generation)
                                           return;
                                       self->m_inFlight = false;
                                       if (!lastSeq.isEmpty() && lastSeq != u"0")
                                           self->m_since = lastSeq;
                                       QScrollBar *bar = self->m_ui->eventView->verticalScrollBar();
                                       const bool atEnd = bar->value() >= bar->maximum() - 2;
                                       self->m_model->appendBatch(rows);
                                       if (atEnd)
                                           self->m_ui->eventView->scrollToBottom();
                                       self->m_eventsInWindow += rows.size();
                                       self->updateFigures();
                                       self->fetch();
                                   });
                           });
                       });
}

void LiveLog::updateFigures()
{
    if (m_rateClock.elapsed() >= 1000) {
        m_rate = m_eventsInWindow * 1000.0 / double(m_rateClock.elapsed());
        m_eventsInWindow = 0;
        m_rateClock.restart();
    }
    if (m_couch) {
        m_ui->followFigures->setText(
            tr("last_seq %1 · %2 events/s%3")
                .arg(couchSeqShort(m_since))
                .arg(m_rate, 0, 'f', 0)
                .arg(m_ui->pauseButton->isChecked() ? tr(" · paused") : QString()));
        return;
    }
    m_ui->followFigures->setText(
        tr("lastTick %1 · lastIncluded %2 · %3 events/s%4")
            .arg(m_lastTick)
            .arg(m_lastIncluded)
            .arg(m_rate, 0, 'f', 0)
            .arg(m_ui->pauseButton->isChecked() ? tr(" · paused") : QString()));
}

} // namespace repl::gui
