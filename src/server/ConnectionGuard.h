#pragma once

#include "server/HttpHead.h"
#include "server/HttpLimits.h"
#include "server/LoginThrottle.h"

#include <QElapsedTimer>
#include <QHash>
#include <QLoggingCategory>
#include <QObject>
#include <QThreadPool>
#include <QTimer>

#include <memory>
#include <optional>

class QTcpServer;
class QTcpSocket;

namespace repl {
class Auth;
}

namespace repl::server {

class HttpMetrics;

Q_DECLARE_LOGGING_CATEGORY(lcGuard)

// The first reader of every connection, ahead of QtHttpServer (Qt 6.4): it frames each
// request itself (RFC 9112), checks the head's limits and credentials before any body is
// read, and only then lets QtHttpServer parse the request, whole. Until then the bytes stay
// in a read transaction on the socket that QtHttpServer cannot see past. It also counts
// connections against the caps, closes idle and slow ones, and slows down failed logins per
// client address. Early answers (400, 401, 408, 413, 429, 431, 503, …) are written here in
// the face's error shape; after one that leaves unread bytes behind the connection is closed
// (the rest of what the client sends is read and dropped for a moment, so it sees the answer).
//
// Lives on the HTTP server's thread; endRequest() may be called from any thread. Password
// checks that are not cached run on a small pool of its own, one per address at a time, so
// wrong passwords cost neither the HTTP thread nor the request workers.
class ConnectionGuard final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionGuard)

public:
    ConnectionGuard(const HttpLimits &limits, Auth &auth, QObject *parent = nullptr);
    ~ConnectionGuard() override;

    // A connection just accepted, before QtHttpServer sees it (its readyRead handler must be
    // connected after this). False: over a cap; the guard answered 503 and closes and deletes
    // the socket, which must not be handed on.
    bool admit(QTcpSocket *socket);
    // Accepting paused by the server after an error (out of file descriptors) resumes soon.
    void watch(QTcpServer *server);

    // The request QtHttpServer has just parsed on `socket`, as its handleRequest() sees it.
    // False: it is not the request the guard handed on (the two readers disagree about
    // framing): the connection is closed and the request must be dropped. Otherwise
    // `authenticated` says the head's credentials were checked, and `id` names the request
    // for endRequest(). Sockets the guard never saw give true, unauthenticated, id 0.
    bool beginRequest(QTcpSocket *socket, qint64 bodySize, qsizetype fieldCount,
                      bool &authenticated, quint64 &id);
    // Any thread: the answer to request `id` is complete (its responder is gone). The
    // connection counts as idle from now on. The guard must outlive every call.
    void endRequest(quint64 id);

    const HttpLimits &limits() const { return m_limits; }
    int maxConnections() const { return m_maxConnections; }
    // Early answers (401, 413, 429, …) are counted here too. Set before serving.
    void setMetrics(std::shared_ptr<HttpMetrics> metrics) { m_metrics = std::move(metrics); }

private:
    enum class Auth_
    {
        Unknown,
        Pending,
        Ok
    };
    struct Conn
    {
        quint64 id = 0;
        QTcpSocket *socket = nullptr;
        QByteArray address;
        bool counted = true;         // in m_open and m_perAddress
        bool ownTransaction = false; // the socket's read transaction is the guard's
        bool awaitingQt = false;     // a request was handed on; QtHttpServer has not taken it yet
        bool lingering = false;      // answered and closing: input is dropped
        bool shutDown = false;       // our side of the TCP stream is closed
        bool firstRequest = true;
        int inFlight = 0; // requests being answered
        qint64 startedMs = 0;
        qint64 headStartMs = -1;
        qint64 lastReadMs = 0;
        qint64 lastWriteMs = 0;
        qint64 idleSinceMs = 0;
        qint64 lingerUntilMs = 0;

        // The request being read.
        QByteArray head;
        HeadScanner scanner;
        std::optional<RequestHead> request;
        qint64 bodyLeft = 0; // Content-Length bytes still to come
        std::unique_ptr<ChunkedBody> chunked;
        qint64 bodySize = 0; // the body's size once complete
        qint64 bodySeen = 0; // body bytes received so far
        qint64 reserved = 0; // of m_bodyMemory, for this request's body
        bool bodyDone = false;
        Auth_ auth = Auth_::Unknown;
        bool continueSent = false;

        // The request handed on, as QtHttpServer must see it.
        bool handedAuthenticated = false;
        qint64 handedBody = 0;
        qsizetype handedFields = 0;
        QList<qint64> handedReserved; // requests handed on and not yet answered, in order
    };

    // After an answer that closes the connection, what the client still sends is read and
    // dropped this long, so the answer is not lost to a reset (RFC 9112 §9.6).
    static constexpr qint64 LingerMs = 2000;
    // Refused connections still being told why; past this they are closed without a word.
    static constexpr int MaxRefusing = 256;
    static constexpr qint64 ScratchBytes = 64 * 1024;
    static bool isTlsSocket(const QTcpSocket *socket);

    void onReadyRead(Conn &c);
    void process(Conn &c);
    bool readHead(Conn &c);
    bool readBody(Conn &c, QByteArrayView early);
    void decideAuth(Conn &c);
    void startCheck(const QByteArray &addressKey);
    void onChecked(const QByteArray &addressKey, quint64 connId, const QByteArray &credentials,
                   bool ok);
    void authResolved(Conn &c, bool ok);
    void hand(Conn &c);
    void hideRest(Conn &c);
    void resetRequest(Conn &c);
    bool reserveBody(Conn &c, qint64 bytes);
    void unreserve(qint64 &bytes);
    void reject(Conn &c, int status, const QString &message, bool close,
                const QList<QPair<QByteArray, QByteArray>> &extra = {});
    void linger(Conn &c);
    void refuse(QTcpSocket *socket, const QString &message);
    bool evictOne();
    void sweep();
    void release(Conn &c);
    void forget(QTcpSocket *socket);
    void kick(Conn &c);
    qint64 now() const { return m_clock.elapsed(); }

    HttpLimits m_limits;
    Auth &m_auth;
    int m_maxConnections;
    QElapsedTimer m_clock;
    QTimer m_sweep;
    QHash<QTcpSocket *, Conn *> m_bySocket;
    QHash<quint64, Conn *> m_byId;
    QHash<QByteArray, int> m_perAddress;
    int m_open = 0;
    int m_refusing = 0;      // refused sockets still saying why
    qint64 m_bodyMemory = 0; // reserved by bodies (HttpLimits::maxBodyMemory)
    quint64 m_nextId = 0;
    LoginThrottle m_throttle;
    // Password checks by address: one running, the rest waiting (connection ids).
    struct AddressChecks
    {
        bool running = false;
        QList<quint64> waiting;
    };
    QHash<QByteArray, AddressChecks> m_checks;
    QThreadPool m_authPool;
    std::shared_ptr<HttpMetrics> m_metrics;
};

} // namespace repl::server
