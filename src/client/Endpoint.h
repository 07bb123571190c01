#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

namespace repl::client {

// Normalizes an ArangoDB-style endpoint ("tcp://h:p", "ssl://h:p", "http://…", "https://…")
// to an http(s) URL; an invalid QUrl when it is none of those.
QUrl normalizeEndpoint(const QString &endpoint);

// A database name or document id as one path segment ('/' escaped too), or a query value
// escaped whole ('&', '+', '%' survive QUrlQuery): what ReplicationClient paths expect.
inline QString percentEncoded(const QString &text)
{
    return QString::fromUtf8(QUrl::toPercentEncoding(text));
}

// An endpoint without the "user:password@" it may carry; those go to `user` and `password`
// (left alone when there are none). Credentials never stay inside a stored or shown endpoint.
QString takeCredentials(const QString &endpoint, QString &user, QString &password);

// The value of an HTTP Basic Authorization header ("Basic base64(user:password)").
QByteArray basicAuthorization(const QString &user, const QString &password);

} // namespace repl::client
