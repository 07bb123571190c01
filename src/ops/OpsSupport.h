#pragma once

// Small helpers shared by the ServerOps translation units (not part of the library's API).
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

namespace repl::ops::detail {

inline QString tr(const char *text)
{
    return QCoreApplication::translate("repl::ops::ServerOps", text);
}

inline QJsonObject objectOf(const QByteArray &body)
{
    return QJsonDocument::fromJson(body).object();
}

inline QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace repl::ops::detail
