#pragma once

#include "client/Tls.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QNetworkReply>
#include <QString>

#include <optional>

namespace repl::client {

// The outcome of one HTTP call: status 0 means no HTTP answer (refused, timeout, TLS).
struct HttpResult
{
    int status = 0;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QNetworkReply::NetworkError networkError = QNetworkReply::NoError;
    QString errorString; // transport error text, or the server's error message
    TlsFailure tls;      // set when the server's certificate was refused (status 0)
    QByteArray requestId;
    qint64 elapsedMs = 0;

    bool ok() const { return status >= 200 && status < 300; }
    bool answered() const { return status > 0; }
    QByteArray header(const QByteArray &lowerName) const { return headers.value(lowerName); }
    // ArangoDB {errorNum, errorMessage} or CouchDB {error, reason} of an error body.
    int serverErrorNum() const;
    QString serverMessage() const;
};

} // namespace repl::client
