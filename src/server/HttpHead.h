#pragma once

#include "server/HttpLimits.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace repl::server {

// An HTTP/1.1 request head as the connection guard reads it before QtHttpServer does (RFC
// 9112). Strict where laxness would let the two readers disagree about where a request ends:
// a head accepted here is one QtHttpServer 6.4 frames the same way. Pure, any thread.
struct RequestHead
{
    QByteArray method;
    QByteArray target; // the request-target as sent (ASCII only)
    bool http10 = false;
    QList<QPair<QByteArray, QByteArray>> fields; // names as sent, values without OWS
    std::optional<qint64> contentLength;
    bool chunked = false;
    bool expectContinue = false;
    QByteArray authorization;
    bool couch = false; // a path of the CouchDB face (not /_api, /_admin, /_open, /_db/…)

    bool announcesBody() const { return chunked || contentLength.value_or(0) > 0; }
};

// Why a head is refused: the status to answer (400, 413, 414, 417, 431, 501, 505) and what to
// tell the client.
struct HeadError
{
    int status = 400;
    QString message;
};

// Finds where a head ends in the bytes of a request received so far, line by line, so a
// head arriving a byte at a time is scanned once. Ends where QtHttpServer's reader ends it: at
// the first empty line after the request line (CR LF or LF; empty lines before the request
// line are skipped, as RFC 9112 §2.2 allows).
class HeadScanner
{
public:
    // The head's size in bytes once `data` holds all of it, else 0. `data` grows between
    // calls and always starts at the request's first byte.
    qsizetype scan(QByteArrayView data);
    // Whether a line feed ended the request line yet (for 414 rather than 431).
    bool sawRequestLine() const { return m_sawRequestLine; }
    void reset() { *this = HeadScanner(); }

private:
    qsizetype m_lineStart = 0;
    bool m_sawRequestLine = false;
};

// Parses and checks a complete head (`head` as HeadScanner measured it). On refusal, nullopt
// and `error`.
std::optional<RequestHead> parseRequestHead(QByteArrayView head, const HttpLimits &limits,
                                            HeadError &error);

// Whether a request path belongs to the CouchDB face (everything but /_api, /_admin, /_open
// and /_db/{name}/…), so early answers can take that face's error shape.
bool isCouchPath(QByteArrayView target);

// A chunked body checked as it arrives (RFC 9112 §7.1), strictly: sizes of 1–15 hex digits,
// CR LF line ends, no chunk extensions and no trailer fields (QtHttpServer 6.4 would read
// either wrongly).
class ChunkedBody
{
public:
    enum class State
    {
        More,     // all of `data` belongs to the body; more is to come
        Done,     // the body ended `used` bytes into `data`
        Invalid,  // not a chunked body: 400
        TooLarge, // decoded size over the limit: 413
    };

    explicit ChunkedBody(qint64 maxBytes)
        : m_maxBytes(maxBytes)
    {}
    State feed(QByteArrayView data, qsizetype &used);
    qint64 decodedSize() const { return m_decoded; }

private:
    enum class Step
    {
        Size,
        SizeLf,
        Data,
        DataCr,
        DataLf,
        LastCr,
        LastLf,
        Done
    };
    qint64 m_maxBytes;
    qint64 m_decoded = 0;
    qint64 m_left = 0; // of the current chunk
    int m_digits = 0;
    Step m_step = Step::Size;
};

} // namespace repl::server
