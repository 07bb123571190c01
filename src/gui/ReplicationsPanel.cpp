#include "gui/ReplicationsPanel.h"

#include "client/Endpoint.h"
#include "core/DocumentJson.h"
#include "gui/ReplicateDialog.h"
#include "gui/ReplicationJobModel.h"
#include "ui_ReplicateDialog.h"

#include <QApplication>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTableView>
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

QJsonObject withAuthorization(QJsonValue endpoint, const QString &user, const QString &password)
{
    QJsonObject o = endpoint.isObject() ? endpoint.toObject()
                                        : QJsonObject{{QStringLiteral("url"), endpoint.toString()}};
    QJsonObject headers = o.value(QStringLiteral("headers")).toObject();
    headers.insert(QStringLiteral("Authorization"),
                   QString::fromLatin1(client::basicAuthorization(user, password)));
    o.insert(QStringLiteral("headers"), headers);
    return o;
}

} // namespace

ReplicationsPanel::ReplicationsPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new ReplicationJobModel(this))
    , m_view(new QTableView(this))
    , m_newButton(new QPushButton(tr("&New replication…"), this))
    , m_cancelButton(new QPushButton(tr("Ca&ncel job"), this))
    , m_summary(new QLabel(this))
    , m_details(new QLabel(this))
{
    setObjectName(QStringLiteral("replicationsPanel"));
    m_newButton->setObjectName(QStringLiteral("newReplicationButton"));
    m_newButton->setIcon(QIcon(QStringLiteral(":/icons/actions/start.svg")));
    m_cancelButton->setObjectName(QStringLiteral("cancelReplicationButton"));
    m_cancelButton->setIcon(QIcon(QStringLiteral(":/icons/actions/stop.svg")));
    m_cancelButton->setEnabled(false);
    auto *refresh = new QPushButton(tr("&Refresh"), this);
    refresh->setIcon(QIcon(QStringLiteral(":/icons/actions/refresh.svg")));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_newButton);
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
    // Source and target share the room; the figures take what they need.
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(ReplicationJobModel::Source,
                                                     QHeaderView::Stretch);
    m_view->horizontalHeader()->setSectionResizeMode(ReplicationJobModel::Target,
                                                     QHeaderView::Stretch);
    m_view->horizontalHeader()->setSectionResizeMode(ReplicationJobModel::Progress,
                                                     QHeaderView::Fixed);
    m_view->setColumnWidth(ReplicationJobModel::Progress, 110);
    m_view->setTextElideMode(Qt::ElideMiddle);

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
    m_inFlight = false;
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
    const QString path =
        m_schedulerMissing ? QStringLiteral("/_active_tasks") : QStringLiteral("/_scheduler/jobs");
    m_client->get(path, {}, this, [this](const client::HttpResult &r) {
        m_inFlight = false;
        if (!m_schedulerMissing && (r.status == 404 || r.status == 400)) {
            m_schedulerMissing = true; // PouchDB: only the running tasks
            refresh();
            return;
        }
        if (!r.ok()) {
            m_summary->setText(tr("jobs unavailable: %1").arg(r.errorString));
            return;
        }
        const QJsonDocument d = QJsonDocument::fromJson(r.body);
        QJsonArray jobs;
        if (d.isArray()) { // _active_tasks: keep the replications
            for (const QJsonValue &t : d.array())
                if (t.toObject().value(QStringLiteral("type")).toString() == u"replication")
                    jobs.append(t);
        } else {
            jobs = d.object().value(QStringLiteral("jobs")).toArray();
        }
        m_model->setJobs(jobs);
        if (!m_view->selectionModel()->currentIndex().isValid() && m_model->rowCount() > 0)
            m_view->selectRow(0); // the newest job's details at a glance
        m_summary->setText(tr("%n job(s)", nullptr, m_model->rowCount()) + QStringLiteral(" · ") +
                           tr("%n running", nullptr, m_model->activeCount()));
        showSelected(); // once per poll; selection changes by the operator call it too
    });
}

ReplicateDialog *ReplicationsPanel::openDialog()
{
    const QList<ServerEntry> servers = m_servers ? m_servers() : QList<ServerEntry>();
    auto *dialog = new ReplicateDialog(servers, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (m_client)
        m_client->get(QStringLiteral("/_all_dbs"), {}, dialog,
                      [dialog](const client::HttpResult &r) {
                          QStringList names;
                          for (const QJsonValue &v : QJsonDocument::fromJson(r.body).array())
                              names.append(v.toString());
                          dialog->setLocalDatabases(names);
                      });
    connect(dialog, &QDialog::accepted, this, [this, dialog, servers] {
        QString problem;
        const QJsonObject body = dialog->request(&problem);
        if (body.isEmpty())
            return;
        // Databases on listed servers get their credentials from the keychain now.
        const QString sourceServer =
            dialog->serverFor(body.value(QStringLiteral("source")).toString());
        const QString targetServer =
            dialog->serverFor(body.value(QStringLiteral("target")).toString());
        auto withServer = [this, servers](const QString &serverId, QJsonObject b, const char *field,
                                          std::function<void(QJsonObject)> next) {
            const auto entry = std::find_if(servers.cbegin(), servers.cend(),
                                            [&](const ServerEntry &e) { return e.id == serverId; });
            if (serverId.isEmpty() || entry == servers.cend() || !m_passwords) {
                next(std::move(b));
                return;
            }
            const QString user = entry->user;
            m_passwords(serverId, [b, field, user, next](const QString &password) mutable {
                b.insert(QLatin1String(field),
                         withAuthorization(b.value(QLatin1String(field)), user, password));
                next(std::move(b));
            });
        };
        withServer(sourceServer, body, "source", [this, withServer, targetServer](QJsonObject b) {
            withServer(targetServer, std::move(b), "target",
                       [this](QJsonObject done) { post(done); });
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
            } else if (r.answered()) {
                const QString name = answer.value(QStringLiteral("error")).toString();
                m_lastMessage =
                    QStringLiteral("<b>%1</b>: %2<br>%3")
                        .arg(name.toHtmlEscaped(),
                             answer.value(QStringLiteral("reason")).toString().toHtmlEscaped(),
                             replicationRemedy(name).toHtmlEscaped());
            } else {
                m_lastMessage = tr("No answer from the server: %1").arg(r.errorString);
            }
            Q_EMIT answered(r.status, answer, body);
            showSelected();
            refresh();
        },
        24 * 3600 * 1000); // a one-shot answers when it is done; polls keep the usual timeout
}

void ReplicationsPanel::cancelSelected()
{
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    if (!current.isValid())
        return;
    const QString id = current.data(ReplicationJobModel::IdRole).toString();
    post(QJsonObject{{QStringLiteral("replication_id"), id}, {QStringLiteral("cancel"), true}});
}

void ReplicationsPanel::showSelected()
{
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    QString text = m_lastMessage;
    bool cancellable = false;
    if (current.isValid()) {
        const QJsonObject job = m_model->job(current.row());
        cancellable = ReplicationJobModel::isActive(job);
        const QString error = job.value(QStringLiteral("last_error")).toString();
        const auto seq = [&](const char *key) {
            return couchSeqText(job.value(QLatin1String(key)));
        };
        QString line = tr("<b>%1</b> → <b>%2</b> · id %3")
                           .arg(job.value(QStringLiteral("source")).toString().toHtmlEscaped(),
                                job.value(QStringLiteral("target")).toString().toHtmlEscaped(),
                                job.value(QStringLiteral("replication_id")).toString());
        line += QStringLiteral("<br>") +
                tr("started %1 · through seq %2 of %3 · checkpointed at %4")
                    .arg(QDateTime::fromSecsSinceEpoch(
                             job.value(QStringLiteral("started_on")).toInteger())
                             .toLocalTime()
                             .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                         seq("through_seq"), seq("source_seq"), seq("checkpointed_source_seq"));
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
}

} // namespace repl::gui
