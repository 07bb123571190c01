#pragma once

#include "client/HttpCall.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

// Internal to ReplicationsPanel's translation units.
namespace repl::gui::detail {

// An endpoint as {url, headers} with a Basic Authorization header (credentials never in the
// URL, so CouchDB and we keep them out of task lists and logs).
QJsonObject withAuthorization(QJsonValue endpoint, const QString &user, const QString &password);

// What a refused or unanswered replication request says, for the details pane: CouchDB's
// error and reason with what to do about it (HTML).
QString failureMessage(const client::HttpResult &r, const QJsonObject &answer);

} // namespace repl::gui::detail
