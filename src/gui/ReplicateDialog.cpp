#include "gui/ReplicateDialog.h"

#include "client/Endpoint.h"
#include "ui_ReplicateDialog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QPushButton>
#include <QRegularExpression>

namespace repl::gui {

namespace {

enum Selection
{
    Everything,
    DocIds,
    Filter,
    Selector
};

// "" when `text` is a usable endpoint, else what is wrong with it.
QString endpointProblem(const QString &text, const QString &what)
{
    if (text.isEmpty())
        return ReplicateDialog::tr("Choose or type the %1 database.").arg(what);
    if (text.contains(QStringLiteral("://"))) {
        const QUrl u(text);
        if (!u.isValid() || (u.scheme() != u"http" && u.scheme() != u"https") || u.host().isEmpty())
            return ReplicateDialog::tr("The %1 URL must start with http:// or https:// and name a "
                                       "host.")
                .arg(what);
        if (u.path().isEmpty() || u.path() == u"/")
            return ReplicateDialog::tr("The %1 URL must end with a database name, e.g. "
                                       "http://host:5984/orders.")
                .arg(what);
        return {};
    }
    // Which names are legal is the server's rule (CouchDB allows _users, $()+/, …): it
    // answers illegal_database_name with the reason, and the panel shows it.
    if (text.contains(QRegularExpression(QStringLiteral("\\s"))))
        return ReplicateDialog::tr("“%1” is not a database name: it contains spaces (or type a "
                                   "URL).")
            .arg(text);
    return {};
}

std::optional<QJsonObject> jsonObject(const QString &text, QString *error)
{
    QJsonParseError e{};
    const QJsonDocument d = QJsonDocument::fromJson(text.toUtf8(), &e);
    if (e.error != QJsonParseError::NoError) {
        *error = e.errorString();
        return std::nullopt;
    }
    if (!d.isObject()) {
        *error = ReplicateDialog::tr("not a JSON object");
        return std::nullopt;
    }
    return d.object();
}

} // namespace

ReplicateDialog::ReplicateDialog(const QList<ServerEntry> &servers, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::ReplicateDialog>())
    , m_servers(servers)
{
    m_ui->setupUi(this);
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setText(tr("&Start"));
    m_ui->docIdEdit->setObjectName(QStringLiteral("docIdEdit"));
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (QComboBox *combo : {m_ui->sourceCombo, m_ui->targetCombo}) {
        combo->lineEdit()->setPlaceholderText(tr("database name, or http://host:5984/db"));
        combo->setCurrentText(QString());
        for (const ServerEntry &e : m_servers) {
            const QUrl base = client::normalizeEndpoint(e.endpoint);
            combo->addItem(tr("%1 — %2/…").arg(e.name, base.toString()), base.toString() + u'/');
        }
        connect(combo, qOverload<int>(&QComboBox::activated), combo,
                [combo](int index) { combo->setEditText(combo->itemData(index).toString()); });
    }
    m_ui->sourceCombo->setEditText(QString());
    m_ui->targetCombo->setEditText(QString());
    connect(m_ui->selectionCombo, qOverload<int>(&QComboBox::currentIndexChanged), this,
            &ReplicateDialog::updateSelection);
    connect(m_ui->useCheckpointsCheck, &QCheckBox::toggled, m_ui->checkpointIntervalSpin,
            &QWidget::setEnabled);
    connect(m_ui->persistentCheck, &QCheckBox::toggled, this, &ReplicateDialog::updatePersistence);
    updateSelection();
    updatePersistence();
}

void ReplicateDialog::setPersistentAvailable(bool available)
{
    m_ui->persistentCheck->setEnabled(available);
    if (!available) {
        m_ui->persistentCheck->setChecked(false);
        m_ui->persistentCheck->setToolTip(
            tr("This server has no _replicator database: the job runs until it ends, is "
               "cancelled or the server restarts."));
    }
    updatePersistence();
}

bool ReplicateDialog::persistent() const
{
    return m_ui->persistentCheck->isChecked();
}

QString ReplicateDialog::documentId() const
{
    return m_ui->docIdEdit->text().trimmed();
}

void ReplicateDialog::updatePersistence()
{
    m_ui->docIdEdit->setEnabled(m_ui->persistentCheck->isChecked() &&
                                !m_ui->docIdEdit->isReadOnly());
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setText(m_editing ? tr("&Save") : tr("&Start"));
}

void ReplicateDialog::setRequest(const QString &docId, const QJsonObject &doc)
{
    m_editing = true;
    setWindowTitle(tr("Edit replication %1").arg(docId));
    m_ui->persistentCheck->setChecked(true);
    m_ui->persistentCheck->setEnabled(false);
    m_ui->docIdEdit->setText(docId);
    m_ui->docIdEdit->setReadOnly(true);
    auto urlOf = [](const QJsonValue &v) {
        QUrl u(v.isObject() ? v[QStringLiteral("url")].toString() : v.toString());
        u.setUserInfo(QString()); // shown without a password; kept unless the URL changes
        return u.toString();
    };
    m_ui->sourceCombo->setEditText(urlOf(doc.value(QStringLiteral("source"))));
    m_ui->targetCombo->setEditText(urlOf(doc.value(QStringLiteral("target"))));
    m_ui->createTargetCheck->setChecked(doc.value(QStringLiteral("create_target")).toBool());
    m_ui->continuousCheck->setChecked(doc.value(QStringLiteral("continuous")).toBool());
    const auto text = [](const QJsonValue &v) {
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    };
    if (doc.value(QStringLiteral("doc_ids")).isArray()) {
        QStringList ids;
        for (const QJsonValue &id : doc.value(QStringLiteral("doc_ids")).toArray())
            ids.append(id.toString());
        m_ui->selectionCombo->setCurrentIndex(DocIds);
        m_ui->docIdsEdit->setText(ids.join(QStringLiteral(", ")));
    } else if (doc.value(QStringLiteral("filter")).isString()) {
        m_ui->selectionCombo->setCurrentIndex(Filter);
        m_ui->filterEdit->setText(doc.value(QStringLiteral("filter")).toString());
        if (doc.value(QStringLiteral("query_params")).isObject())
            m_ui->queryParamsEdit->setPlainText(text(doc.value(QStringLiteral("query_params"))));
    } else if (doc.value(QStringLiteral("selector")).isObject()) {
        m_ui->selectionCombo->setCurrentIndex(Selector);
        m_ui->selectorEdit->setPlainText(text(doc.value(QStringLiteral("selector"))));
    }
    const QJsonValue since = doc.value(QStringLiteral("since_seq"));
    if (since.isString() || since.isDouble())
        m_ui->sinceSeqEdit->setText(since.isString() ? since.toString()
                                                     : QString::number(since.toInteger()));
    m_ui->useCheckpointsCheck->setChecked(
        doc.value(QStringLiteral("use_checkpoints")).toBool(true));
    if (doc.value(QStringLiteral("checkpoint_interval")).isDouble())
        m_ui->checkpointIntervalSpin->setValue(
            doc.value(QStringLiteral("checkpoint_interval")).toInt());
    if (doc.value(QStringLiteral("worker_batch_size")).isDouble())
        m_ui->batchSizeSpin->setValue(doc.value(QStringLiteral("worker_batch_size")).toInt());
    m_ui->proxyEdit->setText(doc.value(QStringLiteral("proxy")).toString());
    updatePersistence();
}

ReplicateDialog::~ReplicateDialog() = default;

void ReplicateDialog::setLocalDatabases(const QStringList &names)
{
    for (QComboBox *combo : {m_ui->sourceCombo, m_ui->targetCombo}) {
        const QString typed = combo->currentText();
        int at = 0;
        for (const QString &n : names) {
            if (combo->findData(n) >= 0)
                continue;
            combo->insertItem(at++, n, n);
        }
        combo->setEditText(typed);
    }
}

void ReplicateDialog::updateSelection()
{
    const int s = m_ui->selectionCombo->currentIndex();
    m_ui->docIdsEdit->setEnabled(s == DocIds);
    m_ui->filterEdit->setEnabled(s == Filter);
    m_ui->queryParamsEdit->setEnabled(s == Filter);
    m_ui->selectorEdit->setEnabled(s == Selector);
}

QString ReplicateDialog::serverFor(const QString &url) const
{
    const QUrl u(url);
    if (!u.userInfo().isEmpty())
        return {};
    for (const ServerEntry &e : m_servers) {
        const QUrl base = client::normalizeEndpoint(e.endpoint);
        if (base.host() == u.host() && base.port() == u.port() && base.scheme() == u.scheme())
            return e.id;
    }
    return {};
}

QJsonObject ReplicateDialog::request(QString *problem) const
{
    const QString source = m_ui->sourceCombo->currentText().trimmed();
    const QString target = m_ui->targetCombo->currentText().trimmed();
    if (QString p = endpointProblem(source, tr("source")); !p.isEmpty()) {
        *problem = p;
        return {};
    }
    if (QString p = endpointProblem(target, tr("target")); !p.isEmpty()) {
        *problem = p;
        return {};
    }
    if (source == target) {
        *problem = tr("Source and target are the same database.");
        return {};
    }
    if (persistent() && !documentId().isEmpty() &&
        (documentId().startsWith(u'_') ||
         documentId().contains(QRegularExpression(QStringLiteral("\\s"))))) {
        *problem = tr("The document id must not start with “_” or contain spaces.");
        return {};
    }
    QJsonObject body{{QStringLiteral("source"), source}, {QStringLiteral("target"), target}};
    if (m_ui->createTargetCheck->isChecked())
        body.insert(QStringLiteral("create_target"), true);
    if (m_ui->continuousCheck->isChecked())
        body.insert(QStringLiteral("continuous"), true);
    switch (m_ui->selectionCombo->currentIndex()) {
    case DocIds: {
        QJsonArray ids;
        for (const QString &id : m_ui->docIdsEdit->text().split(u',', Qt::SkipEmptyParts))
            if (!id.trimmed().isEmpty())
                ids.append(id.trimmed());
        if (ids.isEmpty()) {
            *problem = tr("List at least one document id, separated by commas.");
            return {};
        }
        body.insert(QStringLiteral("doc_ids"), ids);
        break;
    }
    case Filter: {
        const QString filter = m_ui->filterEdit->text().trimmed();
        if (filter.isEmpty() || (!filter.startsWith(u'_') && filter.count(u'/') != 1)) {
            *problem = tr("Name the filter as ddoc/name (the function filters.name in "
                          "_design/ddoc on the source), or _view, _design, _doc_ids.");
            return {};
        }
        body.insert(QStringLiteral("filter"), filter);
        const QString qp = m_ui->queryParamsEdit->toPlainText().trimmed();
        if (!qp.isEmpty()) {
            QString error;
            const auto o = jsonObject(qp, &error);
            if (!o) {
                *problem = tr("Query parameters must be a JSON object: %1").arg(error);
                return {};
            }
            body.insert(QStringLiteral("query_params"), *o);
        }
        if (filter == u"_view" && !body.value(QStringLiteral("query_params"))
                                       .toObject()
                                       .contains(QStringLiteral("view"))) {
            *problem = tr("The _view filter needs {\"view\": \"ddoc/view\"} in the query "
                          "parameters.");
            return {};
        }
        break;
    }
    case Selector: {
        QString error;
        const auto o = jsonObject(m_ui->selectorEdit->toPlainText().trimmed(), &error);
        if (!o || o->isEmpty()) {
            *problem = tr("The selector must be a JSON object such as {\"type\": \"order\"}%1")
                           .arg(o ? QString() : QStringLiteral(": ") + error);
            return {};
        }
        body.insert(QStringLiteral("selector"), *o);
        break;
    }
    default:
        break;
    }
    const QString since = m_ui->sinceSeqEdit->text().trimmed();
    if (!since.isEmpty()) {
        bool numeric = false;
        const qint64 n = since.toLongLong(&numeric);
        body.insert(QStringLiteral("since_seq"), numeric ? QJsonValue(n) : QJsonValue(since));
    }
    if (!m_ui->useCheckpointsCheck->isChecked())
        body.insert(QStringLiteral("use_checkpoints"), false);
    else if (m_ui->checkpointIntervalSpin->value() != 30000)
        body.insert(QStringLiteral("checkpoint_interval"), m_ui->checkpointIntervalSpin->value());
    if (m_ui->batchSizeSpin->value() != 500)
        body.insert(QStringLiteral("worker_batch_size"), m_ui->batchSizeSpin->value());
    const QString proxy = m_ui->proxyEdit->text().trimmed();
    if (!proxy.isEmpty()) {
        const QUrl p(proxy);
        if (!p.isValid() || p.host().isEmpty() ||
            (p.scheme() != u"http" && p.scheme() != u"https" && p.scheme() != u"socks5")) {
            *problem = tr("The proxy must be an http://, https:// or socks5:// URL with a host.");
            return {};
        }
        body.insert(QStringLiteral("proxy"), proxy);
    }
    return body;
}

void ReplicateDialog::accept()
{
    QString problem;
    request(&problem);
    if (!problem.isEmpty()) {
        m_ui->messageLabel->setStyleSheet(QStringLiteral("color: #c62828;"));
        m_ui->messageLabel->setText(problem);
        return;
    }
    QDialog::accept();
}

} // namespace repl::gui
