#include "server/Http.h"

#include "core/DocumentJson.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <algorithm>
#include <limits>

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
    const QString text = queryValue(name);
    auto t = parseTick(text);
    const bool digits = !text.isEmpty() && std::all_of(text.begin(), text.end(), [](QChar c) {
        return c >= u'0' && c <= u'9';
    });
    if (digits && (!t || *t > Tick(std::numeric_limits<qint64>::max())))
        throw Error::badParameter(
            QStringLiteral("invalid value for <%1>: %2 is out of range (at most %3)")
                .arg(name, text.left(40))
                .arg(std::numeric_limits<qint64>::max()));
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

bool Request::hasBody() const
{
    return parsedBody || !body.trimmed().isEmpty();
}

QJsonValue Request::jsonValue() const
{
    if (parsedBody)
        return *parsedBody;
    QString why;
    const std::optional<QJsonValue> v =
        body.trimmed().isEmpty() ? std::nullopt : parseJsonValue(body, &why);
    if (!v)
        throw Error(400, ErrorNum::CorruptedJson,
                    QStringLiteral("invalid JSON in request body: %1")
                        .arg(body.trimmed().isEmpty() ? QStringLiteral("body is empty") : why));
    if (const qsizetype at = jsonTextProblemAt(body); at >= 0)
        throw Error(400, ErrorNum::CorruptedJson, jsonTextProblemMessage(body, at));
    return *v;
}

QJsonObject Request::jsonObject() const
{
    if (parsedBody)
        return *parsedBody;
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        throw Error(400, ErrorNum::BadParameter,
                    QStringLiteral("invalid JSON in request body: %1")
                        .arg(err.error != QJsonParseError::NoError
                                 ? err.errorString()
                                 : QStringLiteral("expecting a JSON object")));
    if (const qsizetype at = jsonTextProblemAt(body); at >= 0)
        throw Error(400, ErrorNum::CorruptedJson, jsonTextProblemMessage(body, at));
    return doc.object();
}

namespace {
// Why percent-decoded `bytes` are not text, or empty.
QString notText(const QByteArray &bytes)
{
    if (!QByteArrayView(bytes).isValidUtf8())
        return QStringLiteral("invalid UTF-8");
    if (bytes.contains('\0'))
        return QStringLiteral("a NUL character");
    return {};
}
} // namespace

QString Request::textProblem() const
{
    int index = 0;
    for (const QString &raw : rawPath.split(u'/', Qt::SkipEmptyParts)) {
        ++index;
        if (const QString why = notText(QByteArray::fromPercentEncoding(raw.toLatin1()));
            !why.isEmpty())
            return QStringLiteral("%1 in path segment %2 ('%3')")
                .arg(why)
                .arg(index)
                .arg(raw.left(80));
    }
    for (const auto &item : query.queryItems(QUrl::FullyEncoded)) {
        const QByteArray name = QByteArray::fromPercentEncoding(item.first.toLatin1());
        const QString shown = notText(name).isEmpty() ? QString::fromUtf8(name) : item.first;
        if (const QString why = notText(name); !why.isEmpty())
            return QStringLiteral("%1 in the name of query parameter <%2>")
                .arg(why, shown.left(80));
        if (const QString why = notText(QByteArray::fromPercentEncoding(item.second.toLatin1()));
            !why.isEmpty())
            return QStringLiteral("%1 in the value of query parameter <%2>")
                .arg(why, shown.left(80));
    }
    return {};
}

namespace {
// The code unit of the 4 hex digits at `at`, or -1.
int utf16Escape(QByteArrayView text, qsizetype at)
{
    if (at + 4 > text.size())
        return -1;
    bool ok = false;
    const int unit = text.sliced(at, 4).toInt(&ok, 16);
    return ok ? unit : -1;
}
} // namespace

namespace {
// How many bytes the UTF-8 sequence starting at `at` (a byte >= 0x80) takes, or 0 where it is
// not one (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF). Qt's parser
// turns each bad byte into U+FFFD: two different ids would name one document.
qsizetype utf8SequenceLength(QByteArrayView text, qsizetype at)
{
    const auto byte = [&](qsizetype i) {
        return i < text.size() ? static_cast<unsigned char>(text[i]) : 0u;
    };
    const unsigned lead = byte(at);
    qsizetype length = 0;
    unsigned low = 0x80, high = 0xbf; // the range of the second byte
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        low = lead == 0xe0 ? 0xa0 : 0x80;
        high = lead == 0xed ? 0x9f : 0xbf;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        low = lead == 0xf0 ? 0x90 : 0x80;
        high = lead == 0xf4 ? 0x8f : 0xbf;
    } else {
        return 0;
    }
    if (byte(at + 1) < low || byte(at + 1) > high)
        return 0;
    for (qsizetype k = 2; k < length; ++k)
        if (byte(at + k) < 0x80 || byte(at + k) > 0xbf)
            return 0;
    return length;
}
} // namespace

qsizetype jsonTextProblemAt(QByteArrayView text)
{
    bool inString = false;
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (!inString) {
            inString = c == '"';
            // Qt's parser drops a raw U+FEFF that starts a string: "\uFEFFa" would read as
            // "a" (another id, a key out of its object's order that lookups miss).
            if (inString && text.sliced(i + 1).startsWith("\xef\xbb\xbf"))
                return i + 1;
            continue;
        }
        if (c == '\\') {
            if (++i < n && static_cast<unsigned char>(text[i]) < 0x20)
                return i;
            // Only \" \\ \/ \b \f \n \r \t \uXXXX (RFC 8259 §7); Qt's parser takes any byte
            // after a backslash, also one that starts a UTF-8 sequence it then never checks.
            if (i < n && !QByteArrayView("\"\\/bfnrtu").contains(text[i]))
                return i - 1;
            // \uD800–\uDFFF only as a pair: Qt keeps a lone one, which sorts object keys
            // inconsistently (lookups miss keys) and writes as "?" in UTF-8 ("a\uD800" was "a?").
            const int unit = i < n && text[i] == 'u' ? utf16Escape(text, i + 1) : -1;
            if (unit >= 0xdc00 && unit <= 0xdfff)
                return i - 1;
            if (unit >= 0xd800 && unit <= 0xdbff) {
                const int low =
                    text.sliced(i + 5).startsWith("\\u") ? utf16Escape(text, i + 7) : -1;
                if (low < 0xdc00 || low > 0xdfff)
                    return i - 1;
                i += 10; // the last digit of the pair
            }
        } else if (c == '"') {
            inString = false;
        } else if (c < 0x20) {
            return i;
        } else if (c >= 0x80) {
            const qsizetype length = utf8SequenceLength(text, i);
            if (length == 0)
                return i;
            i += length - 1;
        }
    }
    return -1;
}

QString jsonTextProblemMessage(QByteArrayView text, qsizetype offset)
{
    if (text[offset] == '\\' && !text.sliced(offset).startsWith("\\u"))
        return QStringLiteral("invalid JSON in request body: invalid escape at byte %1 (only "
                              "\\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t and \\uXXXX)")
            .arg(offset);
    if (text[offset] == '\\')
        return QStringLiteral("invalid JSON in request body: unpaired surrogate %1 in a string "
                              "at byte %2 (only a pair \\uD8xx\\uDCxx stands for a character)")
            .arg(QString::fromLatin1(text.sliced(offset, qMin<qsizetype>(6, text.size() - offset))))
            .arg(offset);
    if (static_cast<unsigned char>(text[offset]) >= 0x80 &&
        !text.sliced(offset).startsWith("\xef\xbb\xbf"))
        return QStringLiteral("invalid JSON in request body: invalid UTF-8 at byte %1 (0x%2); "
                              "send text as UTF-8 or escape it as \\uXXXX")
            .arg(offset)
            .arg(QString::fromLatin1(text.sliced(offset, qMin<qsizetype>(4, text.size() - offset))
                                         .toByteArray()
                                         .toHex()));
    if (static_cast<unsigned char>(text[offset]) == 0xef)
        return QStringLiteral("invalid JSON in request body: unescaped U+FEFF (byte order mark) "
                              "at the start of a string at byte %1 (write it as \\ufeff)")
            .arg(offset);
    return QStringLiteral("invalid JSON in request body: unescaped control character U+%1 in a "
                          "string at byte %2 (write it as \\u%1)")
        .arg(int(static_cast<unsigned char>(text[offset])), 4, 16, QChar(u'0'))
        .arg(offset);
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
