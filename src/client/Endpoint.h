#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

namespace repl::client {

// Normalizes an ArangoDB-style endpoint ("tcp://h:p", "ssl://h:p", "http://…", "https://…")
// to an http(s) URL; an invalid QUrl when it is none of those.
QUrl normalizeEndpoint(const QString &endpoint);

// The value of an HTTP Basic Authorization header ("Basic base64(user:password)").
QByteArray basicAuthorization(const QString &user, const QString &password);

} // namespace repl::client
