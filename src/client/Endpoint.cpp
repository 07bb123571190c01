#include "client/Endpoint.h"

namespace repl::client {

QUrl normalizeEndpoint(const QString &endpoint)
{
    QString text = endpoint.trimmed();
    if (text.startsWith(u"tcp://"))
        text.replace(0, 3, QStringLiteral("http"));
    else if (text.startsWith(u"ssl://"))
        text.replace(0, 3, QStringLiteral("https"));
    QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") ||
        url.host().isEmpty())
        return {};
    return url;
}

QByteArray basicAuthorization(const QString &user, const QString &password)
{
    return "Basic " + (user + u':' + password).toUtf8().toBase64();
}

} // namespace repl::client
