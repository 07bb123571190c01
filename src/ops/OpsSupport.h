#pragma once

// Small helpers shared by the ServerOps translation units (not part of the library's API).
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

namespace repl::ops::detail {

// lupdate files a sentence under the class or namespace of the function that says it
// (ServerOps, BackupJob, RestoreJob, detail, …); the library's sentences are looked up in each
// of those until one has it.
inline QString tr(const char *text)
{
    for (const char *context : {"repl::ops::ServerOps", "repl::ops::BackupJob",
                                "repl::ops::RestoreJob", "repl::ops::detail", "repl::ops"}) {
        const QString t = QCoreApplication::translate(context, text);
        if (t != QLatin1String(text))
            return t;
    }
    return QString::fromUtf8(text);
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
