#pragma once

#include "core/Error.h"
#include "core/Tick.h"

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QStringList>
#include <QUrlQuery>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

namespace repl::server {

enum class Method
{
    Get = 1,
    Put = 2,
    Post = 4,
    Delete = 8,
    Head = 16,
    Patch = 32,
    Options = 64,
    Other = 128
};

// A request as the controllers see it: plain data, safe to move to a worker thread.
struct Request
{
    Method method = Method::Get;
    QString database = QStringLiteral("_system");
    QString rawPath;  // as received, for messages
    QStringList path; // decoded segments after an optional /_db/{name}
    QUrlQuery query;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;
    // A body an in-process caller gave as JSON (a local replication peer): taken as it is,
    // never written out and read back. hasBody, jsonObject, jsonValue and CouchDB's
    // bodyObject read it before `body`.
    std::optional<QJsonObject> parsedBody;
    QByteArray requestId;
    qint64 receivedMs = 0;      // wall clock when it arrived (long-poll deadlines)
    bool continuation = false;  // a streamed answer's next part (headers already sent)
    qint64 streamWrittenMs = 0; // when a streamed answer last sent bytes (heartbeats)
    qint64 streamRows = 0;      // rows a streamed answer has sent so far (its limit)
    bool couch = false;         // CouchDB face: errors as {error, reason}
    bool authenticated = false; // the credentials were checked on the head (ConnectionGuard)
    // When the request had been read whole (steady clock): the duration in the HTTP metrics.
    std::chrono::steady_clock::time_point arrived{};

    bool hasQuery(const QString &name) const { return query.hasQueryItem(name); }
    QString queryValue(const QString &name) const;
    QByteArray header(const QByteArray &lowerName) const { return headers.value(lowerName); }

    // Strict parameter readers: a present but malformed value is a 400 naming the parameter.
    // Ticks and integers are at most 2^63 - 1 (what SQLite and ArangoDB hold).
    bool boolParam(const QString &name, bool defaultValue) const;
    std::optional<Tick> tickParam(const QString &name) const;
    std::optional<qint64> intParam(const QString &name) const;

    // The body as a JSON object / any JSON value; 400 (errorNum 600) when it is not, also for a
    // raw control character inside a string.
    QJsonObject jsonObject() const;
    bool hasBody() const; // a JSON body given, or bytes other than white space
    QJsonValue jsonValue() const;

    // Empty, or why the path or query cannot be taken as text: a segment, parameter name or
    // value whose percent-decoded bytes are not UTF-8 or hold a NUL.
    QString textProblem() const;
};

// Where the first thing Qt's JSON parser would take but JSON (RFC 8259) does not is in `text`,
// or -1: inside a string, an unescaped control character (U+0000–U+001F), invalid UTF-8 (Qt
// reads each bad byte as U+FFFD), an escape JSON does not have, an escaped surrogate without
// its pair (the offset is the backslash's), or a raw U+FEFF starting a string (Qt drops it).
// JSON lines work too (line breaks between values are outside strings).
qsizetype jsonTextProblemAt(QByteArrayView text);
// The 400 message for one found at `offset`.
QString jsonTextProblemMessage(QByteArrayView text, qsizetype offset);

struct Response
{
    int status = 200;
    QByteArray contentType = "application/json; charset=utf-8";
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    // Long-poll: "nothing yet — run the request again once database `db` logs past `from`,
    // or after waitMs". The HTTP layer holds the connection meanwhile.
    struct Park
    {
        qint64 db = 0;
        Tick from = 0;
        int waitMs = 0;
        qint64 cid = 0; // db -1: wake on commits that wrote this collection (0: any)
        // Set: the re-run gets this query parameter = `from` (the position the empty answer
        // covered), so a relative one such as since=now cannot move past what woke it.
        QString resumeParam;
    };
    std::optional<Park> park;

    // A streamed answer (chunked): the body is the next part; the HTTP layer runs the request
    // again (as a continuation) once anything commits past `from`, writes a bare newline every
    // heartbeatMs and ends the stream with `{"last_seq":from}` after idleMs without data.
    // `end` closes the stream after this part.
    struct Stream
    {
        Tick from = 0;       // covered up to here: wake on commits past it, resume from it
        QString resumeParam; // the query parameter the next part gets `from` in
        qint64 cid = 0;      // the collection whose commits wake the stream
        QByteArray closing;  // written when the stream ends after idleMs
        int heartbeatMs = 0;
        int idleMs = 0;
        bool end = false;
    };
    std::optional<Stream> stream;

    // An answer that comes later from another thread (a sync): the worker returns at once and
    // the HTTP layer sends what `later` is fulfilled with.
    class Later
    {
    public:
        void fulfil(Response r);
        // The HTTP layer's sender (its thread); runs at once when the answer is already there.
        void attach(std::function<void(Response)> sink);

    private:
        std::mutex m_mutex;
        std::shared_ptr<Response> m_result; // null until fulfilled
        std::function<void(Response)> m_sink;
    };
    std::shared_ptr<Later> later;

    static Response json(int status, const QJsonObject &o);
    static Response json(int status, const QJsonArray &a);
    static Response raw(int status, QByteArray body, QByteArray contentType);
    static Response error(const Error &e);
    static Response error(int status, int errorNum, const QString &message = {});
    // CouchDB's error body {"error": error, "reason": reason}.
    static Response couchError(int status, const QString &error, const QString &reason);
    void header(QByteArray name, QByteArray value)
    {
        headers.append({std::move(name), std::move(value)});
    }
};

// Shared shape of ArangoDB success bodies that carry "error":false,"code":…
QJsonObject withCode(QJsonObject o, int code);

} // namespace repl::server
