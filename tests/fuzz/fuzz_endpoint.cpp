// Endpoints as clients give them (applier-config, /_replicate, repldeskctl --server):
// normalizeEndpoint and takeCredentials on any text. Checked: a normalized endpoint is an
// http(s) URL with a host and names the same server written out and read again; takeCredentials
// takes out exactly the user and password a URL parser reads, leaves the rest of the endpoint
// (scheme, host, port, path, query) as it was, and what it returns never carries a password.
#include "FuzzSupport.h"

#include "client/Endpoint.h"

#include <QUrl>

using namespace repl;
using namespace repl::fuzz;

namespace {

// Where a client connects to, and below which path. (Not the credentials: QUrl writes a
// noncharacter such as U+7FFFF in a user name as two lone surrogates, which read back as
// U+FFFD; endpoints are stored and used without credentials anyway.)
bool sameServer(const QUrl &a, const QUrl &b)
{
    return a.isValid() && b.isValid() && a.scheme() == b.scheme() && a.host() == b.host() &&
           a.port() == b.port() && a.path(QUrl::FullyDecoded) == b.path(QUrl::FullyDecoded);
}

void checkNormalized(const QString &text)
{
    const QUrl url = client::normalizeEndpoint(text);
    if (!url.isValid())
        return;
    FUZZ_CHECK(url.scheme() == u"http" || url.scheme() == u"https", shown(text));
    FUZZ_CHECK(!url.host().isEmpty(), shown(text));
    // Written out and read again, it names the same server (QUrl keeps "%23" and "#" apart in
    // a fragment, so the whole URL may differ there; endpoints have no use for fragments).
    const QString again = url.toString(QUrl::FullyEncoded);
    const QUrl back = client::normalizeEndpoint(again);
    FUZZ_CHECK(sameServer(back, url), shown(text) + " -> " + shown(again));
}

void checkCredentials(const QString &text)
{
    const QString keptUser = QStringLiteral("kept-user"), keptPassword = QStringLiteral("kept");
    QString user = keptUser, password = keptPassword;
    const QString stripped = client::takeCredentials(text, user, password);
    const QByteArray what = shown(text) + " -> " + shown(stripped);
    if (!text.contains(QStringLiteral("://"))) {
        FUZZ_CHECK(stripped == text && user == keptUser && password == keptPassword, what);
        return;
    }
    const bool took = user != keptUser || password != keptPassword;
    if (!took)
        FUZZ_CHECK(stripped == text, what);
    // Nothing a URL parser would read as credentials is left: no '@' before the path, query
    // or fragment.
    const QUrl after = client::normalizeEndpoint(stripped);
    if (after.isValid())
        FUZZ_CHECK(after.userInfo().isEmpty(), what);
    const qsizetype hostStart = stripped.indexOf(QStringLiteral("://")) + 3;
    for (qsizetype i = hostStart; i < stripped.size(); ++i) {
        if (stripped[i] == u'/' || stripped[i] == u'?' || stripped[i] == u'#')
            break;
        FUZZ_CHECK(stripped[i] != u'@', what);
    }

    const QUrl before = client::normalizeEndpoint(text);
    if (!before.isValid() || (before.userName().isEmpty() && before.password().isEmpty()))
        return;
    // A valid endpoint with credentials: the same ones come out, and the same server stays.
    FUZZ_CHECK(took, what);
    FUZZ_CHECK(user == before.userName(QUrl::FullyDecoded), what + " user " + shown(user));
    if (!before.password().isEmpty())
        FUZZ_CHECK(password == before.password(QUrl::FullyDecoded), what);
    FUZZ_CHECK(after.isValid(), what);
    QUrl expected = before;
    expected.setUserInfo(QString());
    FUZZ_CHECK(sameServer(after, expected), what + " expected " + shown(expected.toString()));
    FUZZ_CHECK(after.query(QUrl::FullyDecoded) == expected.query(QUrl::FullyDecoded), what);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    checkNormalized(text);
    checkCredentials(text);
    // As the routes see them: often with a scheme in front.
    checkCredentials(QStringLiteral("http://") + text);
    checkNormalized(QStringLiteral("tcp://") + text);
    return 0;
}
