#include "support/HttpClient.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QTimer>

namespace repl::test {

QJsonObject HttpReply::json() const
{
    return QJsonDocument::fromJson(body).object();
}
QJsonArray HttpReply::jsonArray() const
{
    return QJsonDocument::fromJson(body).array();
}

QList<QJsonObject> HttpReply::lines() const
{
    QList<QJsonObject> out;
    for (const QByteArray &line : body.split('\n'))
        if (!line.trimmed().isEmpty())
            out.append(QJsonDocument::fromJson(line).object());
    return out;
}

HttpClient::HttpClient(QUrl base, QString user, QString password)
    : m_base(std::move(base))
{
    setCredentials(user, password);
}

void HttpClient::setCredentials(const QString &user, const QString &password)
{
    m_auth = "Basic " + (user + u':' + password).toUtf8().toBase64();
}

HttpReply HttpClient::request(const QByteArray &method, const QString &path, const QByteArray &body,
                              const QList<QPair<QByteArray, QByteArray>> &headers, int timeoutMs)
{
    QUrl url = m_base;
    const qsizetype q = path.indexOf(u'?');
    url.setPath(q < 0 ? path : path.left(q));
    if (q >= 0)
        url.setQuery(path.mid(q + 1));
    QNetworkRequest req(url);
    if (!m_auth.isEmpty())
        req.setRawHeader("Authorization", m_auth);
    if (!body.isEmpty())
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    for (const auto &h : headers)
        req.setRawHeader(h.first, h.second);
    auto *buffer = new QBuffer;
    buffer->setData(body);
    // HEAD must go through head(): as a custom verb QNAM would wait for a body.
    QNetworkReply *reply =
        method == "HEAD" ? m_nam.head(req) : m_nam.sendCustomRequest(req, method, buffer);
    buffer->setParent(reply);
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    timer.start(timeoutMs);
    QElapsedTimer took;
    took.start();
    if (!reply->isFinished())
        loop.exec();
    if (took.elapsed() > 5000) // a slow answer is worth a line in the test's log
        qWarning("HttpClient: %s %s took %lld ms", method.constData(),
                 qPrintable(url.toString(QUrl::RemoveUserInfo)), qint64(took.elapsed()));
    HttpReply out;
    if (!reply->isFinished()) {
        reply->abort();
        out.networkError = QStringLiteral("timeout");
    }
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.body = reply->readAll();
    for (const auto &h : reply->rawHeaderPairs())
        out.headers.insert(h.first.toLower(), h.second);
    if (reply->error() != QNetworkReply::NoError && out.status == 0)
        out.networkError = reply->errorString();
    reply->deleteLater();
    return out;
}

HttpReply HttpClient::put(const QString &path, const QJsonObject &o)
{
    return put(path, QJsonDocument(o).toJson(QJsonDocument::Compact));
}

HttpReply HttpClient::post(const QString &path, const QJsonObject &o)
{
    return post(path, QJsonDocument(o).toJson(QJsonDocument::Compact));
}

} // namespace repl::test
