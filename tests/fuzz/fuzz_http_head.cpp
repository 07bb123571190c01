// Request heads and chunked bodies as a client sends them, before QtHttpServer sees a byte
// (server/HttpHead: HeadScanner, parseRequestHead, ChunkedBody). The input's first byte picks
// where the bytes are split and a limits variant; the rest is what arrives on the connection.
// Checked: the head's end is the same whether the bytes arrive at once or in pieces; an
// accepted head keeps the limits and RFC 9112's framing rules (a token method, a printable
// target, Content-Length or chunked but not both, no chunked in HTTP/1.0) and reads the same
// when written out again; a refused one answers one of the documented statuses with a reason;
// a chunked body decodes to the same state however it is split, and every body written in
// chunks decodes completely to its size.
#include "FuzzSupport.h"

#include "server/HttpHead.h"

using namespace repl;
using namespace repl::fuzz;
using namespace repl::server;

namespace {

QByteArray written(const RequestHead &h)
{
    QByteArray out = h.method + ' ' + h.target + (h.http10 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n");
    for (const auto &[name, value] : h.fields)
        out += name + ": " + value + "\r\n";
    return out + "\r\n";
}

void checkHead(QByteArrayView data, qsizetype split, const HttpLimits &limits)
{
    HeadScanner whole;
    const qsizetype end = whole.scan(data);
    HeadScanner pieces;
    qsizetype endInPieces = pieces.scan(data.first(qMin(split, data.size())));
    if (endInPieces == 0)
        endInPieces = pieces.scan(data);
    FUZZ_CHECK(end == endInPieces, shown(data));
    FUZZ_CHECK(end >= 0 && end <= data.size());
    const QByteArrayView head = end > 0 ? data.first(end) : data;

    HeadError error;
    const std::optional<RequestHead> h = parseRequestHead(head, limits, error);
    if (!h) {
        static const QList<int> statuses{400, 413, 414, 417, 431, 501, 505};
        FUZZ_CHECK(statuses.contains(error.status), QByteArray::number(error.status));
        FUZZ_CHECK(!error.message.isEmpty());
        return;
    }
    const QByteArray what = shown(head);
    FUZZ_CHECK(!h->method.isEmpty() && !h->target.isEmpty(), what);
    for (char c : h->method)
        FUZZ_CHECK(c > 0x20 && c < 0x7f && c != ':' && c != '/', what);
    for (char c : h->target)
        FUZZ_CHECK(c > 0x20 && c < 0x7f, what);
    FUZZ_CHECK(h->fields.size() <= limits.maxHeaderCount, what);
    FUZZ_CHECK(!(h->chunked && h->contentLength), what);
    FUZZ_CHECK(!(h->chunked && h->http10), what);
    if (h->contentLength)
        FUZZ_CHECK(*h->contentLength >= 0 && *h->contentLength <= limits.maxBodyBytes, what);
    FUZZ_CHECK(h->couch == isCouchPath(h->target), what);
    for (const auto &[name, value] : h->fields) {
        FUZZ_CHECK(!name.isEmpty() && !name.contains(':'), what);
        for (char c : value)
            FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20 || c == '\t', what);
        FUZZ_CHECK(!value.startsWith(' ') && !value.endsWith(' '), what);
    }

    // Written out again, it reads the same.
    const QByteArray again = written(*h);
    HeadScanner s;
    FUZZ_CHECK(s.scan(again) == again.size(), shown(again));
    HeadError error2;
    const std::optional<RequestHead> h2 = parseRequestHead(again, limits, error2);
    FUZZ_CHECK(h2, shown(again) + " refused: " + shown(error2.message));
    FUZZ_CHECK(h2->method == h->method && h2->target == h->target && h2->http10 == h->http10 &&
                   h2->fields == h->fields && h2->contentLength == h->contentLength &&
                   h2->chunked == h->chunked && h2->expectContinue == h->expectContinue &&
                   h2->authorization == h->authorization && h2->couch == h->couch,
               shown(again));
}

struct Decoded
{
    ChunkedBody::State state;
    qsizetype used;
    qint64 size;
};

// Feeds `data` in pieces cut at `cuts` (offsets), stopping at the first answer but More.
Decoded decode(QByteArrayView data, const QList<qsizetype> &cuts, qint64 maxBytes)
{
    ChunkedBody body(maxBytes);
    qsizetype from = 0;
    QList<qsizetype> ends = cuts;
    ends.append(data.size());
    for (qsizetype to : std::as_const(ends)) {
        to = qBound(from, to, data.size());
        qsizetype used = -1;
        const ChunkedBody::State state = body.feed(data.sliced(from, to - from), used);
        if (state == ChunkedBody::State::Done)
            return {state, from + used, body.decodedSize()};
        if (state != ChunkedBody::State::More)
            return {state, -1, -1}; // where it failed is not part of the answer
        FUZZ_CHECK(used == to - from);
        from = to;
    }
    return {ChunkedBody::State::More, data.size(), body.decodedSize()};
}

void checkChunked(QByteArrayView data, quint8 flags, qint64 maxBytes)
{
    const Decoded once = decode(data, {}, maxBytes);
    QList<qsizetype> cuts;
    for (qsizetype at = 1 + flags % 7; at < data.size(); at += 1 + (at * 7 + flags) % 13)
        cuts.append(at);
    const Decoded pieces = decode(data, cuts, maxBytes);
    FUZZ_CHECK(once.state == pieces.state && once.used == pieces.used && once.size == pieces.size,
               shown(data));
    if (once.state == ChunkedBody::State::Done)
        FUZZ_CHECK(once.size <= maxBytes && once.used <= data.size());

    // The input's bytes as the data of a well-formed chunked body.
    QByteArray encoded;
    qint64 size = 0;
    for (qsizetype at = 0; at < data.size();) {
        const qsizetype n = qMin<qsizetype>(1 + (at + flags) % 300, data.size() - at);
        encoded += QByteArray::number(n, 16) + "\r\n" + data.sliced(at, n).toByteArray() + "\r\n";
        size += n;
        at += n;
    }
    encoded += "0\r\n\r\nnext request";
    const Decoded whole = decode(encoded, cuts, qint64(1) << 40);
    FUZZ_CHECK(whole.state == ChunkedBody::State::Done, shown(encoded));
    FUZZ_CHECK(whole.used == encoded.size() - 12 && whole.size == size, shown(encoded));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Input in(data, size);
    const quint8 flags = in.byte();
    const QByteArrayView rest = in.rest();
    HttpLimits limits;
    if (flags & 1) {
        limits.maxHeaderCount = 4;
        limits.maxBodyBytes = 1024;
    }
    checkHead(rest, qsizetype(flags >> 1), limits);
    checkChunked(rest, flags, (flags & 1) ? 64 : limits.maxBodyBytes);
    return 0;
}
