#pragma once

#include <QString>
#include <QUrl>

namespace repl::client {

// Normalizes an ArangoDB-style endpoint ("tcp://h:p", "ssl://h:p", "http://…", "https://…")
// to an http(s) URL; an invalid QUrl when it is none of those.
QUrl normalizeEndpoint(const QString &endpoint);

} // namespace repl::client
