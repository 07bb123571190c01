#pragma once

#include "client/HttpCall.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QLoggingCategory>
#include <QString>

#include <optional>

Q_DECLARE_LOGGING_CATEGORY(lcCouchRepl)

// Shared by the parts of CouchReplication (run loop, checkpoints). Internal to the engine.
namespace repl::couchrepl {

inline QJsonObject parseObject(const QByteArray &body)
{
    return QJsonDocument::fromJson(body).object();
}

// An answer's JSON object: as an in-process peer gave it, else parsed from its bytes.
inline QJsonObject answerObject(const client::HttpResult &r)
{
    return r.json ? *r.json : parseObject(r.body);
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

// The last_seq of a _changes answer read from its end, before the whole answer is parsed, so
// the next page can be asked for at once. Only the shape every server we know sends is read:
// `"last_seq":` + a number or a plain string, then at most `"pending":N`, then the closing
// brace. Anything else (another order, escapes, other trailing fields) gives nothing, and the
// caller waits for the full parse.
struct ChangesTail
{
    QJsonValue lastSeq;
    qint64 pending = -1; // -1: not sent (PouchDB)
};
std::optional<ChangesTail> trailingLastSeq(const QByteArray &body);

} // namespace repl::couchrepl
