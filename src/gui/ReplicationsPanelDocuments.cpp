// ReplicationsPanel's _replicator documents and endpoint credentials: creating, editing and
// deleting documents (CouchDB 3's persistent replications), cancelling transient jobs, and
// turning bare names and listed servers into URLs with credentials.
#include "client/Endpoint.h"
#include "gui/ReplicateDialog.h"
#include "gui/ReplicationJobModel.h"
#include "gui/ReplicationsPanel.h"
#include "gui/ReplicationsPanelSupport.h"

#include <QJsonDocument>
#include <QLabel>
#include <QTableView>
#include <QUrlQuery>

namespace repl::gui {

namespace detail {

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

QString failureMessage(const client::HttpResult &r, const QJsonObject &answer)
{
    if (!r.answered())
        return ReplicationsPanel::tr("No answer from the server: %1").arg(r.errorString);
    const QString name = answer.value(QStringLiteral("error")).toString();
    return QStringLiteral("<b>%1</b>: %2<br>%3")
        .arg(name.toHtmlEscaped(),
             answer.value(QStringLiteral("reason")).toString().toHtmlEscaped(),
             replicationRemedy(name).toHtmlEscaped());
}

} // namespace detail

using detail::withAuthorization;

QJsonObject ReplicationsPanel::withServerUrls(QJsonObject body) const
{
    if (!m_client)
        return body;
    const client::ClientSettings &s = m_client->settings();
    for (const char *field : {"source", "target"}) {
        const QJsonValue v = body.value(QLatin1String(field));
        if (!v.isString() || v.toString().contains(QStringLiteral("://")))
            continue;
        QUrl url = s.base;
        url.setPath(u'/' + v.toString());
        body.insert(QLatin1String(field),
                    s.username.isEmpty()
                        ? QJsonValue(url.toString())
                        : QJsonValue(withAuthorization(url.toString(), s.username, s.password)));
    }
    return body;
}

void ReplicationsPanel::withListedCredentials(const QList<ServerEntry> &servers,
                                              const ReplicateDialog *dialog, QJsonObject body,
                                              std::function<void(QJsonObject)> next)
{
    const QString sourceServer = dialog->serverFor(body.value(QStringLiteral("source")).toString());
    const QString targetServer = dialog->serverFor(body.value(QStringLiteral("target")).toString());
    auto withServer = [this, servers](const QString &serverId, QJsonObject b, const char *field,
                                      std::function<void(QJsonObject)> then) {
        const auto entry = std::find_if(servers.cbegin(), servers.cend(),
                                        [&](const ServerEntry &e) { return e.id == serverId; });
        if (serverId.isEmpty() || entry == servers.cend() || !m_passwords ||
            !b.value(QLatin1String(field)).isString()) {
            then(std::move(b));
            return;
        }
        const QString user = entry->user;
        m_passwords(serverId, [b, field, user, then](const QString &password) mutable {
            b.insert(QLatin1String(field),
                     withAuthorization(b.value(QLatin1String(field)), user, password));
            then(std::move(b));
        });
    };
    withServer(sourceServer, std::move(body), "source",
               [withServer, targetServer, next](QJsonObject b) {
                   withServer(targetServer, std::move(b), "target", next);
               });
}

void ReplicationsPanel::createDocument(const QJsonObject &body, const QString &docId)
{
    if (!m_client)
        return;
    QJsonObject doc = body;
    if (!docId.isEmpty())
        doc.insert(QStringLiteral("_id"), docId);
    m_lastMessage = tr("Creating the _replicator document…");
    showSelected();
    m_client->request("POST", QStringLiteral("/_replicator"), {},
                      QJsonDocument(doc).toJson(QJsonDocument::Compact), this,
                      [this, body](const client::HttpResult &r) {
                          const QJsonObject answer = QJsonDocument::fromJson(r.body).object();
                          if (r.ok()) {
                              m_lastMessage =
                                  tr("_replicator document %1 created: the server's scheduler "
                                     "runs it (deleting the document cancels it).")
                                      .arg(answer.value(QStringLiteral("id")).toString());
                          } else {
                              m_lastMessage = detail::failureMessage(r, answer);
                          }
                          Q_EMIT answered(r.status, answer, body);
                          showSelected();
                          refresh();
                      });
}

void ReplicationsPanel::cancelSelected()
{
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    if (!current.isValid() || !m_client)
        return;
    const QString docId = current.data(ReplicationJobModel::DocIdRole).toString();
    if (docId.isEmpty()) {
        const QString id = current.data(ReplicationJobModel::IdRole).toString();
        post(QJsonObject{{QStringLiteral("replication_id"), id}, {QStringLiteral("cancel"), true}});
        return;
    }
    // A _replicator document: deleting it cancels its job (CouchDB's way).
    const QString path =
        QStringLiteral("/_replicator/") + QString::fromLatin1(QUrl::toPercentEncoding(docId));
    const quint64 generation = m_generation;
    m_client->get(path, {}, this, [this, path, docId, generation](const client::HttpResult &r) {
        if (generation != m_generation)
            return;
        const QString rev =
            QJsonDocument::fromJson(r.body).object().value(QStringLiteral("_rev")).toString();
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("rev"), rev);
        m_client->request("DELETE", path, q, {}, this, [this, docId](const client::HttpResult &d) {
            const QJsonObject answer = QJsonDocument::fromJson(d.body).object();
            m_lastMessage =
                d.ok() ? tr("Deleted _replicator document %1: its replication is "
                            "cancelled.")
                             .arg(docId)
                       : tr("Cannot delete _replicator document %1: %2")
                             .arg(docId,
                                  answer.value(QStringLiteral("reason")).toString(d.errorString));
            Q_EMIT answered(
                d.status, answer,
                QJsonObject{{QStringLiteral("_id"), docId}, {QStringLiteral("_deleted"), true}});
            showSelected();
            refresh();
        });
    });
}

void ReplicationsPanel::editSelected()
{
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    const QString docId =
        current.isValid() ? current.data(ReplicationJobModel::DocIdRole).toString() : QString();
    if (docId.isEmpty() || !m_client)
        return;
    const QString path =
        QStringLiteral("/_replicator/") + QString::fromLatin1(QUrl::toPercentEncoding(docId));
    m_client->get(path, {}, this, [this, path, docId](const client::HttpResult &r) {
        if (!r.ok()) {
            m_lastMessage =
                tr("Cannot read _replicator document %1: %2")
                    .arg(docId, r.serverMessage().isEmpty() ? r.errorString : r.serverMessage());
            return showSelected();
        }
        const QJsonObject original = QJsonDocument::fromJson(r.body).object();
        const QList<ServerEntry> servers = m_servers ? m_servers() : QList<ServerEntry>();
        auto *dialog = new ReplicateDialog(servers, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setObjectName(QStringLiteral("editReplicationDialog"));
        dialog->setRequest(docId, original);
        connect(dialog, &QDialog::accepted, this, [this, dialog, servers, original, path] {
            QString problem;
            QJsonObject body = dialog->request(&problem);
            if (body.isEmpty())
                return;
            // An endpoint whose URL did not change keeps its credentials as stored.
            for (const char *field : {"source", "target"}) {
                const QJsonValue was = original.value(QLatin1String(field));
                QUrl wasUrl(was.isObject() ? was[QStringLiteral("url")].toString()
                                           : was.toString());
                wasUrl.setUserInfo(QString());
                if (wasUrl.toString() == body.value(QLatin1String(field)).toString())
                    body.insert(QLatin1String(field), was);
            }
            withListedCredentials(servers, dialog, body, [this, original, path](QJsonObject b) {
                QJsonObject doc = withServerUrls(std::move(b));
                doc.insert(QStringLiteral("_id"), original.value(QStringLiteral("_id")));
                doc.insert(QStringLiteral("_rev"), original.value(QStringLiteral("_rev")));
                for (const char *keep : {"owner", "user_ctx"})
                    if (original.contains(QLatin1String(keep)))
                        doc.insert(QLatin1String(keep), original.value(QLatin1String(keep)));
                m_client->request(
                    "PUT", path, {}, QJsonDocument(doc).toJson(QJsonDocument::Compact), this,
                    [this, doc](const client::HttpResult &w) {
                        const QJsonObject answer = QJsonDocument::fromJson(w.body).object();
                        m_lastMessage = w.ok()
                                            ? tr("Saved _replicator document %1: its replication "
                                                 "restarts with the new settings.")
                                                  .arg(doc.value(QStringLiteral("_id")).toString())
                                            : tr("Not saved: %1")
                                                  .arg(answer.value(QStringLiteral("reason"))
                                                           .toString(w.errorString));
                        Q_EMIT answered(w.status, answer, doc);
                        showSelected();
                        refresh();
                    });
            });
        });
        dialog->show();
    });
}

} // namespace repl::gui
