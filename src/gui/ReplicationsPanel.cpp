#include "gui/ReplicationsPanel.h"

#include "client/Endpoint.h"
#include "core/DocumentJson.h"
#include "gui/ReplicateDialog.h"
#include "gui/ReplicationJobModel.h"
#include "gui/ReplicationsPanelSupport.h"
#include "ui_ReplicateDialog.h"

#include <QApplication>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHash>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QUrlQuery>
#include <QVBoxLayout>

namespace repl::gui {

namespace {

// Draws the Progress column as a progress bar ("…" while the total is unknown).
class ProgressDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override
    {
        const int p = index.data(ReplicationJobModel::ProgressRole).toInt();
        if (p < 0) {
            QStyledItemDelegate::paint(painter, option, index);
            return;
        }
        QStyleOptionProgressBar bar;
        bar.rect = option.rect.adjusted(2, 3, -2, -3);
        bar.minimum = 0;
        bar.maximum = 100;
        bar.progress = p;
        bar.text = QStringLiteral("%1 %").arg(p);
        bar.textVisible = true;
        bar.state = option.state | QStyle::State_Horizontal;
        QApplication::style()->drawControl(QStyle::CE_ProgressBar, &bar, painter);
    }
};

} // namespace

ReplicationsPanel::ReplicationsPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new ReplicationJobModel(this))
    , m_view(new QTableView(this))
    , m_newButton(new QPushButton(tr("&New replication…"), this))
    , m_cancelButton(new QPushButton(tr("Ca&ncel job"), this))
    , m_editButton(new QPushButton(tr("&Edit…"), this))
    , m_summary(new QLabel(this))
    , m_details(new QLabel(this))
{
    setObjectName(QStringLiteral("replicationsPanel"));
    m_newButton->setObjectName(QStringLiteral("newReplicationButton"));
    m_newButton->setIcon(QIcon(QStringLiteral(":/icons/actions/start.svg")));
    m_cancelButton->setObjectName(QStringLiteral("cancelReplicationButton"));
    m_cancelButton->setIcon(QIcon(QStringLiteral(":/icons/actions/stop.svg")));
    m_cancelButton->setEnabled(false);
    m_editButton->setObjectName(QStringLiteral("editReplicationButton"));
    m_editButton->setEnabled(false);
    m_editButton->setToolTip(tr("Change the selected _replicator document (its job restarts)"));
    auto *refresh = new QPushButton(tr("&Refresh"), this);
    refresh->setIcon(QIcon(QStringLiteral(":/icons/actions/refresh.svg")));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_newButton);
    buttons->addWidget(m_editButton);
    buttons->addWidget(m_cancelButton);
    buttons->addWidget(refresh);
    buttons->addStretch(1);
    buttons->addWidget(m_summary);

    m_view->setObjectName(QStringLiteral("replicationsView"));
    m_view->setModel(m_model);
    m_view->setItemDelegateForColumn(ReplicationJobModel::Progress, new ProgressDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->setWordWrap(false); // one line per replication; the full URLs are tooltips
    // Source and target share the room; the figures take what they need.
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(ReplicationJobModel::Source,
                                                     QHeaderView::Stretch);
    m_view->horizontalHeader()->setSectionResizeMode(ReplicationJobModel::Target,
                                                     QHeaderView::Stretch);
    m_view->horizontalHeader()->setSectionResizeMode(ReplicationJobModel::Progress,
                                                     QHeaderView::Fixed);
    m_view->setColumnWidth(ReplicationJobModel::Progress, 90);
    // The checkpoint is in the details below: the endpoints need the room more.
    m_view->setColumnHidden(ReplicationJobModel::Checkpointed, true);
    m_view->setTextElideMode(Qt::ElideRight);

    m_details->setObjectName(QStringLiteral("replicationDetails"));
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setFrameShape(QFrame::StyledPanel);
    m_details->setMargin(8);
    m_details->setMinimumHeight(64);
    m_details->setAlignment(Qt::AlignLeft | Qt::AlignTop);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_details);

    connect(m_newButton, &QPushButton::clicked, this, &ReplicationsPanel::openDialog);
    connect(m_cancelButton, &QPushButton::clicked, this, &ReplicationsPanel::cancelSelected);
    connect(m_editButton, &QPushButton::clicked, this, &ReplicationsPanel::editSelected);
    connect(refresh, &QPushButton::clicked, this, &ReplicationsPanel::refresh);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ReplicationsPanel::showSelected);
    m_timer.setInterval(2000);
    connect(&m_timer, &QTimer::timeout, this, &ReplicationsPanel::refresh);
    showSelected();
}

ReplicationsPanel::~ReplicationsPanel() = default;

void ReplicationsPanel::setServer(client::ClientSettings settings, ServerListFn servers,
                                  PasswordLookup passwords)
{
    settings.database.clear(); // CouchDB routes are at the server's root
    delete m_client;
    m_client = new client::ReplicationClient(settings, this);
    m_servers = std::move(servers);
    m_passwords = std::move(passwords);
    m_schedulerMissing = false;
    m_docsKnown = false;
    m_docsAvailable = false;
    m_inFlight = false;
    ++m_generation;
    m_finished.clear();
    m_lastMessage.clear();
    m_model->setJobs({});
    refresh();
}

void ReplicationsPanel::setActive(bool active)
{
    if (active) {
        m_timer.start();
        refresh();
    } else {
        m_timer.stop();
    }
}

void ReplicationsPanel::refresh()
{
    if (!m_client || m_inFlight)
        return;
    m_inFlight = true;
    const quint64 generation = m_generation;
    auto failed = [this](const client::HttpResult &r) {
        m_inFlight = false;
        m_summary->setText(tr("jobs unavailable: %1").arg(r.errorString));
    };
    if (m_schedulerMissing) {
        m_client->get(QStringLiteral("/_active_tasks"), {}, this,
                      [this, generation, failed](const client::HttpResult &r) {
                          if (generation != m_generation)
                              return;
                          if (!r.ok())
                              return failed(r);
                          m_inFlight = false;
                          QJsonArray jobs; // keep the replications
                          for (const QJsonValue &t : QJsonDocument::fromJson(r.body).array())
                              if (t[QStringLiteral("type")].toString() == u"replication")
                                  jobs.append(t);
                          showRows(jobs, {});
                      });
        return;
    }
    m_client->get(
        QStringLiteral("/_scheduler/jobs"), {}, this,
        [this, generation, failed](const client::HttpResult &r) {
            if (generation != m_generation)
                return;
            if (r.status == 404 || r.status == 400) {
                m_inFlight = false;
                m_schedulerMissing = true; // PouchDB: only the running tasks
                m_docsKnown = true;        // and no _replicator
                m_docsAvailable = false;
                return refresh();
            }
            if (!r.ok())
                return failed(r);
            const QJsonArray jobs =
                QJsonDocument::fromJson(r.body).object().value(QStringLiteral("jobs")).toArray();
            m_client->get(QStringLiteral("/_scheduler/docs"), {}, this,
                          [this, generation, jobs](const client::HttpResult &d) {
                              if (generation != m_generation)
                                  return;
                              m_inFlight = false;
                              m_docsKnown = d.answered();
                              m_docsAvailable = d.ok();
                              showRows(jobs, QJsonDocument::fromJson(d.body)
                                                 .object()
                                                 .value(QStringLiteral("docs"))
                                                 .toArray());
                          });
        });
}

void ReplicationsPanel::showRows(const QJsonArray &jobs, const QJsonArray &docs)
{
    // One row per _replicator document (its job's history and counters merged in), one per
    // transient job, then the one-shots this app ran and saw end.
    QJsonArray rows;
    QHash<QString, qsizetype> docRow;
    for (const QJsonValue &d : docs) {
        docRow.insert(d[QStringLiteral("doc_id")].toString(), rows.size());
        rows.append(d);
    }
    for (const QJsonValue &j : jobs) {
        const QString docId = j[QStringLiteral("doc_id")].toString();
        if (!docId.isEmpty() && docRow.contains(docId)) {
            QJsonObject row = rows.at(docRow.value(docId)).toObject();
            row.insert(QStringLiteral("history"), j[QStringLiteral("history")]);
            if (!row.value(QStringLiteral("info")).isObject())
                row.insert(QStringLiteral("info"), j[QStringLiteral("info")]);
            rows.replace(docRow.value(docId), row);
        } else {
            rows.append(j);
        }
    }
    for (const QJsonObject &f : std::as_const(m_finished))
        rows.append(f);
    m_model->setJobs(rows);
    if (!m_view->selectionModel()->currentIndex().isValid() && m_model->rowCount() > 0)
        m_view->selectRow(0); // the newest job's details at a glance
    m_summary->setText(tr("%n replication(s)", nullptr, m_model->rowCount()) +
                       QStringLiteral(" · ") + tr("%n active", nullptr, m_model->activeCount()));
    showSelected(); // once per poll; selection changes by the operator call it too
}

ReplicateDialog *ReplicationsPanel::openDialog()
{
    const QList<ServerEntry> servers = m_servers ? m_servers() : QList<ServerEntry>();
    auto *dialog = new ReplicateDialog(servers, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (m_docsKnown) {
        dialog->setPersistentAvailable(m_docsAvailable);
    } else if (m_client) {
        // Not polled yet: ask now; until the answer the default (a document) stands.
        m_client->get(QStringLiteral("/_scheduler/docs"), {}, dialog,
                      [this, dialog](const client::HttpResult &r) {
                          m_docsKnown = r.answered();
                          m_docsAvailable = r.ok();
                          dialog->setPersistentAvailable(r.ok());
                      });
    }
    if (m_client)
        m_client->get(QStringLiteral("/_all_dbs"), {}, dialog,
                      [dialog](const client::HttpResult &r) {
                          QStringList names;
                          for (const QJsonValue &v : QJsonDocument::fromJson(r.body).array())
                              if (!v.toString().startsWith(u'_'))
                                  names.append(v.toString());
                          dialog->setLocalDatabases(names);
                      });
    connect(dialog, &QDialog::accepted, this, [this, dialog, servers] {
        QString problem;
        const QJsonObject body = dialog->request(&problem);
        if (body.isEmpty())
            return;
        const bool persistent = dialog->persistent();
        const QString docId = dialog->documentId();
        // Databases on listed servers get their credentials from the keychain now.
        withListedCredentials(servers, dialog, body, [this, persistent, docId](QJsonObject b) {
            if (persistent)
                return createDocument(withServerUrls(std::move(b)), docId);
            post(m_localNames ? b : withServerUrls(std::move(b)));
        });
    });
    dialog->show();
    return dialog;
}

void ReplicationsPanel::start(const QJsonObject &body)
{
    post(body);
}

void ReplicationsPanel::post(const QJsonObject &body)
{
    if (!m_client)
        return;
    const bool continuous = body.value(QStringLiteral("continuous")).toBool();
    m_lastMessage = continuous ? tr("Starting a continuous replication…")
                               : tr("Replicating… the list shows its progress.");
    showSelected();
    m_client->request(
        "POST", QStringLiteral("/_replicate"), {},
        QJsonDocument(body).toJson(QJsonDocument::Compact), this,
        [this, body](const client::HttpResult &r) {
            const QJsonObject answer = QJsonDocument::fromJson(r.body).object();
            if (r.ok()) {
                if (answer.value(QStringLiteral("no_changes")).toBool())
                    m_lastMessage = tr("Nothing to replicate: the target is up to date.");
                else if (r.status == 202)
                    m_lastMessage = tr("Continuous replication %1 is running.")
                                        .arg(answer.value(QStringLiteral("_local_id")).toString());
                else if (answer.contains(QStringLiteral("_local_id")))
                    m_lastMessage = tr("Cancelled %1.")
                                        .arg(answer.value(QStringLiteral("_local_id")).toString());
                else {
                    const QJsonObject h =
                        answer.value(QStringLiteral("history")).toArray().first().toObject();
                    m_lastMessage =
                        tr("Replication finished: %1 written, %2 failed, up to seq %3.")
                            .arg(h.value(QStringLiteral("docs_written")).toInteger())
                            .arg(h.value(QStringLiteral("doc_write_failures")).toInteger())
                            .arg(couchSeqText(answer.value(QStringLiteral("source_last_seq"))));
                }
            } else {
                m_lastMessage = detail::failureMessage(r, answer);
            }
            if (!body.value(QStringLiteral("cancel")).toBool() &&
                !body.value(QStringLiteral("continuous")).toBool() && r.answered())
                rememberFinished(body, r.status, answer);
            Q_EMIT answered(r.status, answer, body);
            showSelected();
            refresh();
        },
        24 * 3600 * 1000); // a one-shot answers when it is done; polls keep the usual timeout
}

void ReplicationsPanel::rememberFinished(const QJsonObject &request, int status,
                                         const QJsonObject &answer)
{
    auto shown = [](const QJsonValue &v) {
        QUrl u(v.isObject() ? v[QStringLiteral("url")].toString() : v.toString());
        u.setUserInfo(QString());
        return u.toString();
    };
    const QJsonObject h = answer.value(QStringLiteral("history")).toArray().first().toObject();
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QJsonObject row{
        {QStringLiteral("replication_id"),
         answer.value(QStringLiteral("session_id")).toString(QStringLiteral("run-%1").arg(now))},
        {QStringLiteral("source"), shown(request.value(QStringLiteral("source")))},
        {QStringLiteral("target"), shown(request.value(QStringLiteral("target")))},
        {QStringLiteral("continuous"), false},
        {QStringLiteral("started_on"), now},
        {QStringLiteral("updated_on"), now}};
    if (status >= 200 && status < 300) {
        row.insert(QStringLiteral("state"), QStringLiteral("completed"));
        for (const char *k : {"docs_read", "docs_written", "doc_write_failures", "missing_found",
                              "missing_checked"})
            row.insert(QLatin1String(k), h.value(QLatin1String(k)));
        row.insert(QStringLiteral("checkpointed_source_seq"),
                   answer.value(QStringLiteral("source_last_seq")));
    } else {
        const QString name = answer.value(QStringLiteral("error")).toString();
        row.insert(QStringLiteral("state"), QStringLiteral("failed"));
        row.insert(QStringLiteral("error_name"), name);
        row.insert(
            QStringLiteral("last_error"),
            QStringLiteral("%1: %2").arg(name, answer.value(QStringLiteral("reason")).toString()));
    }
    m_finished.prepend(row);
    while (m_finished.size() > 20)
        m_finished.removeLast();
}

void ReplicationsPanel::showSelected()
{
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    QString text = m_lastMessage;
    bool cancellable = false;
    bool document = false;
    if (current.isValid()) {
        const QJsonObject job = m_model->job(current.row());
        document = ReplicationJobModel::isDocument(job);
        cancellable = document || ReplicationJobModel::isActive(job);
        const QString error = job.value(QStringLiteral("last_error")).toString();
        const auto seq = [&](const char *key) {
            // CouchDB 2+ seqs are long opaque strings: their number part says enough.
            const QString full = couchSeqText(job.value(QLatin1String(key)));
            return full.size() > 16 ? full.left(14) + QStringLiteral("…") : full;
        };
        QString line = tr("<b>%1</b> → <b>%2</b> · id %3")
                           .arg(job.value(QStringLiteral("source")).toString().toHtmlEscaped(),
                                job.value(QStringLiteral("target")).toString().toHtmlEscaped(),
                                job.value(QStringLiteral("replication_id")).toString());
        if (document)
            line += QStringLiteral("<br>") +
                    tr("_replicator document <b>%1</b> · %2 · %n error(s) so far", nullptr,
                       job.value(QStringLiteral("error_count")).toInt())
                        .arg(job.value(QStringLiteral("doc_id")).toString().toHtmlEscaped(),
                             job.value(QStringLiteral("continuous")).toBool() ? tr("continuous")
                                                                              : tr("one-shot"));
        // Only what the server told: a job that never ran has no seqs yet.
        QStringList facts;
        if (const qint64 started = job.value(QStringLiteral("started_on")).toInteger(); started > 0)
            facts << tr("started %1")
                         .arg(QDateTime::fromSecsSinceEpoch(started).toLocalTime().toString(
                             QStringLiteral("yyyy-MM-dd HH:mm:ss")));
        if (!seq("through_seq").isEmpty())
            facts << (seq("source_seq").isEmpty()
                          ? tr("through seq %1").arg(seq("through_seq"))
                          : tr("through seq %1 of %2").arg(seq("through_seq"), seq("source_seq")));
        if (!seq("checkpointed_source_seq").isEmpty())
            facts << tr("checkpointed at %1").arg(seq("checkpointed_source_seq"));
        if (!facts.isEmpty())
            line += QStringLiteral("<br>") + facts.join(QStringLiteral(" · "));
        if (!error.isEmpty())
            line += QStringLiteral("<br><span style='color:#c62828'>%1</span><br>%2")
                        .arg(error.toHtmlEscaped(),
                             replicationRemedy(job.value(QStringLiteral("error_name")).toString())
                                 .toHtmlEscaped());
        text = text.isEmpty() ? line : line + QStringLiteral("<br>") + text;
    }
    if (text.isEmpty())
        text = tr("Select a job to see its details. “New replication…” copies a database from "
                  "any CouchDB-protocol server (ReplDesk, CouchDB, PouchDB) into another.");
    m_details->setText(text);
    m_cancelButton->setEnabled(cancellable);
    m_cancelButton->setText(document ? tr("&Delete document") : tr("Ca&ncel job"));
    m_cancelButton->setToolTip(document ? tr("Deletes the _replicator document, which cancels "
                                             "its replication")
                                        : tr("Cancels the transient job"));
    m_editButton->setEnabled(document);
}

} // namespace repl::gui
