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
    // Endpoints are kept and sent as text: one that does not read back as itself names no
    // server reliably (QUrl writes a noncharacter such as U+7FFFF in a path as two lone
    // surrogates, which read back as U+FFFD; found by fuzz_endpoint).
    const QUrl again(url.toString(QUrl::FullyEncoded), QUrl::StrictMode);
    if (again.host() != url.host() || again.port() != url.port() ||
        again.path(QUrl::FullyDecoded) != url.path(QUrl::FullyDecoded))
        return {};
    return url;
}

QString takeCredentials(const QString &endpoint, QString &user, QString &password)
{
    const qsizetype scheme = endpoint.indexOf(QStringLiteral("://"));
    if (scheme < 0)
        return endpoint;
    const qsizetype hostStart = scheme + 3;
    // The authority ends at the path, the query or the fragment (RFC 3986 §3.2): an '@' in
    // those is no credentials.
    qsizetype hostEnd = hostStart;
    while (hostEnd < endpoint.size() && endpoint[hostEnd] != u'/' && endpoint[hostEnd] != u'?' &&
           endpoint[hostEnd] != u'#')
        ++hostEnd;
    const qsizetype at = endpoint.lastIndexOf(u'@', hostEnd - 1);
    if (at < hostStart)
        return endpoint;
    // Decoded as QUrl reads them (a malformed %-escape stays as it is written).
    QUrl url;
    url.setUserInfo(endpoint.mid(hostStart, at - hostStart), QUrl::TolerantMode);
    user = url.userName(QUrl::FullyDecoded);
    password = url.password(QUrl::FullyDecoded);
    return endpoint.left(hostStart) + endpoint.mid(at + 1);
}

QByteArray basicAuthorization(const QString &user, const QString &password)
{
    return "Basic " + (user + u':' + password).toUtf8().toBase64();
}

} // namespace repl::client
