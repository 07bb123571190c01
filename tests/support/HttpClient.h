#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QUrl>

namespace repl::test {

struct HttpReply
{
    int status = 0; // 0: no HTTP answer (connection refused, timeout)
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QString networkError;

    QByteArray header(const QByteArray &lowerName) const { return headers.value(lowerName); }
    QJsonObject json() const;
    QJsonArray jsonArray() const;
    // Dump / follow bodies: one JSON object per line.
    QList<QJsonObject> lines() const;
};

// A blocking HTTP client for tests (it spins a local event loop while waiting; test code
// only). Sends Basic auth for root unless told otherwise.
class HttpClient
{
public:
    explicit HttpClient(QUrl base, QString user = QStringLiteral("root"),
                        QString password = QStringLiteral("test-password"));

    void setBase(const QUrl &base) { m_base = base; }
    void setCredentials(const QString &user, const QString &password);
    void clearCredentials() { m_auth.clear(); }

    HttpReply request(const QByteArray &method, const QString &path, const QByteArray &body = {},
                      const QList<QPair<QByteArray, QByteArray>> &headers = {},
                      int timeoutMs = 60000);
    HttpReply get(const QString &path) { return request("GET", path); }
    HttpReply del(const QString &path) { return request("DELETE", path); }
    HttpReply put(const QString &path, const QByteArray &body = {})
    {
        return request("PUT", path, body);
    }
    HttpReply post(const QString &path, const QByteArray &body)
    {
        return request("POST", path, body);
    }
    HttpReply patch(const QString &path, const QByteArray &body)
    {
        return request("PATCH", path, body);
    }
    HttpReply put(const QString &path, const QJsonObject &o);
    HttpReply post(const QString &path, const QJsonObject &o);

private:
    QUrl m_base;
    QByteArray m_auth;
    QNetworkAccessManager m_nam;
};

} // namespace repl::test
