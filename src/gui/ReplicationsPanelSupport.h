#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

// Internal to ReplicationsPanel's translation units.
namespace repl::gui::detail {

// An endpoint as {url, headers} with a Basic Authorization header (credentials never in the
// URL, so CouchDB and we keep them out of task lists and logs).
QJsonObject withAuthorization(QJsonValue endpoint, const QString &user, const QString &password);

} // namespace repl::gui::detail
