#include "server/HttpHead.h"

namespace repl::server {

namespace {

// RFC 9110 §5.6.2 tchar.
bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

bool isToken(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    for (char c : s)
        if (!isTokenChar(c))
            return false;
    return true;
}

// field-value characters: VCHAR, obs-text, SP, HTAB (no CTL, no DEL).
bool isFieldValue(QByteArrayView s)
{
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return false;
    }
    return true;
}

QByteArrayView trimOws(QByteArrayView s)
{
    while (!s.isEmpty() && (s.front() == ' ' || s.front() == '\t'))
        s = s.sliced(1);
    while (!s.isEmpty() && (s.back() == ' ' || s.back() == '\t'))
        s.chop(1);
    return s;
}

HeadError bad(const QString &message)
{
    return {400, message};
}

} // namespace

qsizetype HeadScanner::scan(QByteArrayView data)
{
    for (;;) {
        const qsizetype lf = data.indexOf('\n', m_lineStart);
        if (lf < 0)
            return 0;
        const qsizetype length = lf - m_lineStart - (lf > m_lineStart && data[lf - 1] == '\r');
        m_lineStart = lf + 1;
        if (!m_sawRequestLine) {
            if (length > 0)
                m_sawRequestLine = true;
            continue; // an empty line before the request line is skipped
        }
        if (length == 0)
            return m_lineStart;
    }
}

bool isCouchPath(QByteArrayView target)
{
    qsizetype start = 0;
    if (!target.startsWith('/')) { // absolute-form: skip scheme and authority
        const qsizetype scheme = target.indexOf("://");
        if (scheme < 0)
            return true;
        start = target.indexOf('/', scheme + 3);
        if (start < 0)
            return true;
    }
    QByteArrayView path = target.sliced(start);
    if (const qsizetype q = path.indexOf('?'); q >= 0)
        path = path.first(q);
    while (path.startsWith('/'))
        path = path.sliced(1);
    const qsizetype slash = path.indexOf('/');
    const QByteArrayView first = slash < 0 ? path : path.first(slash);
    if (first == "_db")
        return slash < 0; // /_db alone is not an ArangoDB path
    return first != "_api" && first != "_admin" && first != "_open";
}

std::optional<RequestHead> parseRequestHead(QByteArrayView head, const HttpLimits &limits,
                                            HeadError &error)
{
    RequestHead h;
    // Lines, each without its CR LF (or LF); a CR anywhere else is refused below.
    QList<QByteArrayView> lines;
    qsizetype start = 0;
    while (start < head.size()) {
        qsizetype lf = head.indexOf('\n', start);
        if (lf < 0)
            lf = head.size();
        QByteArrayView line = head.sliced(start, lf - start);
        if (line.endsWith('\r'))
            line.chop(1);
        start = lf + 1;
        if (lines.isEmpty() && line.isEmpty())
            continue; // empty lines before the request line
        if (line.isEmpty())
            break; // the end of the head
        if (line.contains('\r')) {
            error = bad(QStringLiteral("bare CR in the request head"));
            return std::nullopt;
        }
        lines.append(line);
    }
    if (lines.isEmpty()) {
        error = bad(QStringLiteral("no request line"));
        return std::nullopt;
    }

    // request-line = method SP request-target SP HTTP-version (single spaces).
    const QByteArrayView requestLine = lines.first();
    const qsizetype sp1 = requestLine.indexOf(' ');
    const qsizetype sp2 = sp1 < 0 ? -1 : requestLine.indexOf(' ', sp1 + 1);
    if (sp1 <= 0 || sp2 < 0 || requestLine.indexOf(' ', sp2 + 1) >= 0) {
        error = bad(QStringLiteral("malformed request line"));
        return std::nullopt;
    }
    const QByteArrayView method = requestLine.first(sp1);
    const QByteArrayView target = requestLine.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = requestLine.sliced(sp2 + 1);
    if (!isToken(method)) {
        error = bad(QStringLiteral("malformed request method"));
        return std::nullopt;
    }
    bool targetOk = !target.isEmpty();
    for (char c : target)
        if (c < 0x21 || c > 0x7e) // no controls, no spaces, no raw non-ASCII (percent-encode)
            targetOk = false;
    if (!targetOk || !(target.startsWith('/') || target == "*" || target.startsWith("http://") ||
                       target.startsWith("https://"))) {
        error = bad(QStringLiteral("malformed request target (percent-encode what is not "
                                   "printable ASCII)"));
        return std::nullopt;
    }
    const bool http10 = version == "HTTP/1.0";
    if (!http10 && version != "HTTP/1.1") {
        if (version.size() == 8 && version.startsWith("HTTP/") && version[6] == '.')
            error = {505, QStringLiteral("HTTP version not supported: use HTTP/1.1")};
        else
            error = bad(QStringLiteral("malformed HTTP version in the request line"));
        return std::nullopt;
    }
    h.method = method.toByteArray();
    h.target = target.toByteArray();
    h.http10 = http10;
    h.couch = isCouchPath(target);

    if (lines.size() - 1 > limits.maxHeaderCount) {
        error = {431, QStringLiteral("too many header fields: at most %1 are accepted")
                          .arg(limits.maxHeaderCount)};
        return std::nullopt;
    }
    bool sawAuthorization = false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArrayView line = lines[i];
        if (line.front() == ' ' || line.front() == '\t') {
            error = bad(QStringLiteral("obsolete line folding in header fields"));
            return std::nullopt;
        }
        const qsizetype colon = line.indexOf(':');
        const QByteArrayView name = colon < 0 ? QByteArrayView() : line.first(colon);
        if (!isToken(name)) {
            error = bad(QStringLiteral("malformed header field (line %1 of the head)").arg(i + 1));
            return std::nullopt;
        }
        const QByteArrayView value = trimOws(line.sliced(colon + 1));
        if (!isFieldValue(value)) {
            error = bad(QStringLiteral("control character in header field %1")
                            .arg(QString::fromLatin1(name)));
            return std::nullopt;
        }
        h.fields.append({name.toByteArray(), value.toByteArray()});
        const QByteArray lower = name.toByteArray().toLower();
        if (lower == "content-length") {
            // 1*DIGIT: no sign, no list; up to 18 digits fits a qint64.
            bool digits = !value.isEmpty() && value.size() <= 18;
            for (char c : value)
                digits = digits && c >= '0' && c <= '9';
            if (!digits) {
                error = bad(
                    QStringLiteral("invalid Content-Length: %1")
                        .arg(QString::fromLatin1(value.first(qMin<qsizetype>(40, value.size())))));
                return std::nullopt;
            }
            const qint64 length = value.toLongLong();
            if (h.contentLength && *h.contentLength != length) {
                error = bad(QStringLiteral("several different Content-Length header fields"));
                return std::nullopt;
            }
            h.contentLength = length;
        } else if (lower == "expect") {
            if (value.compare("100-continue", Qt::CaseInsensitive) != 0) {
                error = {417, QStringLiteral("only Expect: 100-continue is supported")};
                return std::nullopt;
            }
            h.expectContinue = true;
        } else if (lower == "authorization") {
            if (sawAuthorization) {
                error = bad(QStringLiteral("several Authorization header fields"));
                return std::nullopt;
            }
            sawAuthorization = true;
            h.authorization = value.toByteArray();
        }
    }
    // Transfer codings, in order over all Transfer-Encoding fields (RFC 9112 §6.1).
    QList<QByteArray> codings;
    for (const auto &field : std::as_const(h.fields))
        if (field.first.compare("transfer-encoding", Qt::CaseInsensitive) == 0)
            for (const QByteArray &c : field.second.split(','))
                codings.append(trimOws(c).toByteArray().toLower());
    if (!codings.isEmpty()) {
        if (h.contentLength) {
            error = bad(QStringLiteral("both Content-Length and Transfer-Encoding"));
            return std::nullopt;
        }
        if (http10) {
            error = bad(QStringLiteral("Transfer-Encoding in an HTTP/1.0 request"));
            return std::nullopt;
        }
        if (codings.last() != "chunked") {
            error = bad(QStringLiteral("Transfer-Encoding must end with chunked"));
            return std::nullopt;
        }
        if (codings.size() > 1) {
            error = {501, QStringLiteral("only the chunked transfer coding is supported")};
            return std::nullopt;
        }
        h.chunked = true;
    }
    if (h.contentLength && *h.contentLength > limits.maxBodyBytes) {
        error = {413, QStringLiteral("request body of %1 bytes is over the limit of %2 bytes "
                                     "(repldesk-server --max-body-size)")
                          .arg(*h.contentLength)
                          .arg(limits.maxBodyBytes)};
        return std::nullopt;
    }
    return h;
}

ChunkedBody::State ChunkedBody::feed(QByteArrayView data, qsizetype &used)
{
    qsizetype i = 0;
    const qsizetype n = data.size();
    while (i < n) {
        const char c = data[i];
        switch (m_step) {
        case Step::Size: {
            int digit = -1;
            if (c >= '0' && c <= '9')
                digit = c - '0';
            else if (c >= 'a' && c <= 'f')
                digit = c - 'a' + 10;
            else if (c >= 'A' && c <= 'F')
                digit = c - 'A' + 10;
            if (digit >= 0) {
                if (++m_digits > 15)
                    return State::Invalid;
                m_left = m_left * 16 + digit;
                ++i;
                break;
            }
            if (c != '\r' || m_digits == 0)
                return State::Invalid; // also a chunk extension (';')
            m_step = Step::SizeLf;
            ++i;
            break;
        }
        case Step::SizeLf:
            if (c != '\n')
                return State::Invalid;
            ++i;
            if (m_left == 0) {
                m_step = Step::LastCr;
                break;
            }
            m_decoded += m_left;
            if (m_decoded > m_maxBytes)
                return State::TooLarge;
            m_step = Step::Data;
            break;
        case Step::Data: {
            const qsizetype take = qsizetype(qMin<qint64>(m_left, n - i));
            i += take;
            m_left -= take;
            if (m_left == 0)
                m_step = Step::DataCr;
            break;
        }
        case Step::DataCr:
            if (c != '\r')
                return State::Invalid;
            ++i;
            m_step = Step::DataLf;
            break;
        case Step::DataLf:
            if (c != '\n')
                return State::Invalid;
            ++i;
            m_digits = 0;
            m_step = Step::Size;
            break;
        case Step::LastCr:
            if (c != '\r')
                return State::Invalid; // a trailer field
            ++i;
            m_step = Step::LastLf;
            break;
        case Step::LastLf:
            if (c != '\n')
                return State::Invalid;
            ++i;
            m_step = Step::Done;
            used = i;
            return State::Done;
        case Step::Done:
            used = 0;
            return State::Done;
        }
    }
    used = n;
    return State::More;
}

} // namespace repl::server
