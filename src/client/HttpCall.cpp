#include "client/HttpCall.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace repl::client {

int HttpResult::serverErrorNum() const
{
    return QJsonDocument::fromJson(body).object().value(QStringLiteral("errorNum")).toInt();
}

QString HttpResult::serverMessage() const
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    if (o.contains(QStringLiteral("errorMessage")))
        return o.value(QStringLiteral("errorMessage")).toString();
    if (o.contains(QStringLiteral("reason")))
        return o.value(QStringLiteral("error")).toString() + QStringLiteral(": ") +
               o.value(QStringLiteral("reason")).toString();
    return errorString;
}

} // namespace repl::client
