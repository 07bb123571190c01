#pragma once

#include "client/HttpCall.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QString>

Q_DECLARE_LOGGING_CATEGORY(lcCouchRepl)

// Shared by the parts of CouchReplication (run loop, checkpoints). Internal to the engine.
namespace repl::couchrepl {

inline QJsonObject parseObject(const QByteArray &body)
{
    return QJsonDocument::fromJson(body).object();
}

inline QString describeFailure(const client::HttpResult &r)
{
    if (!r.answered())
        return r.errorString.isEmpty() ? QStringLiteral("no answer") : r.errorString;
    const QJsonObject o = parseObject(r.body);
    QString text = QStringLiteral("HTTP %1").arg(r.status);
    if (o.contains(QStringLiteral("error")))
        text += QStringLiteral(" %1: %2").arg(o.value(QStringLiteral("error")).toString(),
                                              o.value(QStringLiteral("reason")).toString());
    return text;
}

} // namespace repl::couchrepl
