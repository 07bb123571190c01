#include "server/Http.h"

#include "core/DocumentJson.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace repl::server {

QString Request::queryValue(const QString &name) const
{
    return query.queryItemValue(name, QUrl::FullyDecoded);
}

bool Request::boolParam(const QString &name, bool defaultValue) const
{
    if (!hasQuery(name))
        return defaultValue;
    const QString v = queryValue(name).toLower();
    if (v.isEmpty() || v == u"true" || v == u"1" || v == u"yes" || v == u"on" || v == u"y")
        return true;
    if (v == u"false" || v == u"0" || v == u"no" || v == u"off" || v == u"n")
        return false;
    throw Error::badParameter(
        QStringLiteral("invalid value for <%1>: expected true or false").arg(name));
}

std::optional<Tick> Request::tickParam(const QString &name) const
{
    if (!hasQuery(name))
        return std::nullopt;
    auto t = parseTick(queryValue(name));
    if (!t)
        throw Error::badParameter(
            QStringLiteral("invalid value for <%1>: expected an unsigned decimal number")
                .arg(name));
    return t;
}

std::optional<qint64> Request::intParam(const QString &name) const
{
    auto t = tickParam(name);
    if (!t)
        return std::nullopt;
    return qint64(qMin<Tick>(*t, Tick(std::numeric_limits<qint64>::max())));
}

QJsonValue Request::jsonValue() const
{
    QString why;
    const std::optional<QJsonValue> v =
        body.trimmed().isEmpty() ? std::nullopt : parseJsonValue(body, &why);
    if (!v)
        throw Error(400, ErrorNum::CorruptedJson,
                    QStringLiteral("invalid JSON in request body: %1")
                        .arg(body.trimmed().isEmpty() ? QStringLiteral("body is empty") : why));
    return *v;
}

QJsonObject Request::jsonObject() const
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        throw Error(400, ErrorNum::BadParameter,
                    QStringLiteral("invalid JSON in request body: %1")
                        .arg(err.error != QJsonParseError::NoError
                                 ? err.errorString()
                                 : QStringLiteral("expecting a JSON object")));
    return doc.object();
}

Response Response::couchError(int status, const QString &error, const QString &reason)
{
    return json(status,
                QJsonObject{{QStringLiteral("error"), error}, {QStringLiteral("reason"), reason}});
}

void Response::Later::fulfil(Response r)
{
    std::function<void(Response)> sink;
    {
        std::lock_guard lock(m_mutex);
        if (!m_sink) {
            m_result = std::make_shared<Response>(std::move(r));
            return;
        }
        sink = std::move(m_sink);
    }
    sink(std::move(r));
}

void Response::Later::attach(std::function<void(Response)> sink)
{
    std::shared_ptr<Response> ready;
    {
        std::lock_guard lock(m_mutex);
        if (!m_result) {
            m_sink = std::move(sink);
            return;
        }
        ready = std::move(m_result);
    }
    sink(std::move(*ready));
}

Response Response::json(int status, const QJsonObject &o)
{
    return raw(status, QJsonDocument(o).toJson(QJsonDocument::Compact),
               "application/json; charset=utf-8");
}

Response Response::json(int status, const QJsonArray &a)
{
    return raw(status, QJsonDocument(a).toJson(QJsonDocument::Compact),
               "application/json; charset=utf-8");
}

Response Response::raw(int status, QByteArray body, QByteArray contentType)
{
    Response r;
    r.status = status;
    r.body = std::move(body);
    r.contentType = std::move(contentType);
    return r;
}

Response Response::error(const Error &e)
{
    // Key order on the wire as 1.4–2.x: error, code, errorNum, errorMessage.
    QByteArray body = "{\"error\":true,\"code\":" + QByteArray::number(e.httpStatus()) +
                      ",\"errorNum\":" + QByteArray::number(e.errorNum()) + ",\"errorMessage\":";
    appendJsonString(body, e.message().toUtf8());
    body += '}';
    return raw(e.httpStatus(), body, "application/json; charset=utf-8");
}

Response Response::error(int status, int errorNum, const QString &message)
{
    return error(Error(status, errorNum, message));
}

QJsonObject withCode(QJsonObject o, int code)
{
    o.insert(QStringLiteral("error"), false);
    o.insert(QStringLiteral("code"), code);
    return o;
}

} // namespace repl::server
