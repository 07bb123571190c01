#include "server/ConnectionGuard.h"

#include "core/Error.h"
#include "engine/Auth.h"
#include "server/Http.h"

#include <QLocale>
#include <QLoggingCategory>
#include <QTcpServer>
#include <QTcpSocket>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>

namespace repl::server {

Q_LOGGING_CATEGORY(lcGuard, "repldesk.server.guard", QtInfoMsg)

namespace {

// The total cap, kept below the soft fd limit with room for SQLite, outgoing replication and
// the listening sockets.
int fdBoundedCap(int configured)
{
    rlimit rl{};
    if (::getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
        return configured;
    const qint64 soft = qint64(rl.rlim_cur);
    const qint64 room = qMax<qint64>(16, soft - 128 - soft / 8);
    if (room >= configured)
        return configured;
    qCWarning(lcGuard).noquote() << "at most" << room << "connections instead of" << configured
                                 << ": the soft limit of open files is" << soft
                                 << "(raise it: ulimit -n, LimitNOFILE)";
    return int(room);
}

} // namespace

ConnectionGuard::ConnectionGuard(const HttpLimits &limits, Auth &auth, QObject *parent)
    : QObject(parent)
    , m_limits(limits)
    , m_auth(auth)
    , m_maxConnections(fdBoundedCap(limits.maxConnections))
    , m_throttle(limits.loginFreeFailures, limits.loginMaxDelayMs)
{
    m_clock.start();
    m_authPool.setMaxThreadCount(2);
    m_authPool.setObjectName(QStringLiteral("repldesk-auth"));
    const int shortest = qMin(m_limits.headerTimeoutMs, m_limits.idleTimeoutMs);
    m_sweep.setInterval(qBound(50, shortest / 4, 1000));
    connect(&m_sweep, &QTimer::timeout, this, &ConnectionGuard::sweep);
    m_sweep.start();
}

ConnectionGuard::~ConnectionGuard()
{
    m_authPool.waitForDone(); // its jobs post to this object
    qDeleteAll(m_bySocket);
}

bool ConnectionGuard::admit(QTcpSocket *socket)
{
    const QByteArray key = LoginThrottle::addressKey(socket->peerAddress());
    if (m_perAddress.value(key) >= m_limits.maxConnectionsPerAddress) {
        refuse(socket, tr("too many connections from %1: at most %2 per client address")
                           .arg(socket->peerAddress().toString())
                           .arg(m_limits.maxConnectionsPerAddress));
        return false;
    }
    if (m_open >= m_maxConnections && !evictOne()) {
        refuse(socket, tr("too many connections: at most %1").arg(m_maxConnections));
        return false;
    }
    // An answer goes out as its head and then its body, two writes: with Nagle's algorithm
    // the body's last part waited for the head's ACK, which a client delays by 40 ms on
    // Linux (bench_couch_replication: _changes of 500 rows took 44 ms instead of 1.5 ms).
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    auto *c = new Conn;
    c->id = ++m_nextId;
    c->socket = socket;
    c->address = key;
    c->startedMs = c->lastReadMs = c->lastWriteMs = c->idleSinceMs = now();
    ++m_open;
    ++m_perAddress[key];
    m_bySocket.insert(socket, c);
    m_byId.insert(c->id, c);
    connect(socket, &QIODevice::readyRead, this, [this, c] { onReadyRead(*c); });
    connect(socket, &QIODevice::bytesWritten, this, [this, c] {
        c->lastWriteMs = now();
        if (c->inFlight == 0)
            c->idleSinceMs = c->lastWriteMs;
    });
    connect(socket, &QAbstractSocket::disconnected, this, [this, c] { release(*c); });
    connect(socket, &QObject::destroyed, this, [this, socket] { forget(socket); });
    return true;
}

void ConnectionGuard::watch(QTcpServer *server)
{
    connect(server, &QTcpServer::acceptError, this, [server](QAbstractSocket::SocketError) {
        // Out of file descriptors, typically: the server paused accepting; try again soon
        // rather than never (connections that end free descriptors).
        qCWarning(lcGuard).noquote() << "cannot accept a connection:" << server->errorString();
        QTimer::singleShot(200, server, [server] { server->resumeAccepting(); });
    });
}

bool ConnectionGuard::evictOne()
{
    // Closing or idle first, then half-sent heads; the oldest of the kind.
    Conn *victim = nullptr;
    int victimRank = 3;
    qint64 victimSince = 0;
    for (Conn *c : std::as_const(m_byId)) {
        if (!c->counted || c->inFlight > 0 || c->awaitingQt || c->request ||
            (!c->lingering && c->socket->bytesToWrite() > 0))
            continue;
        const int rank = c->lingering ? 0 : c->head.isEmpty() ? 1 : 2;
        const qint64 since = rank == 2 ? c->headStartMs : c->idleSinceMs;
        if (rank < victimRank || (rank == victimRank && since < victimSince)) {
            victim = c;
            victimRank = rank;
            victimSince = since;
        }
    }
    if (!victim)
        return false;
    qCDebug(lcGuard) << "closing an idle connection to make room";
    release(*victim);
    victim->socket->abort();
    return true;
}

bool ConnectionGuard::isTlsSocket(const QTcpSocket *socket)
{
    return socket->inherits("QSslSocket");
}

void ConnectionGuard::release(Conn &c)
{
    if (!c.counted)
        return;
    c.counted = false;
    --m_open;
    auto it = m_perAddress.find(c.address);
    if (it != m_perAddress.end() && --*it <= 0)
        m_perAddress.erase(it);
}

void ConnectionGuard::forget(QTcpSocket *socket)
{
    Conn *c = m_bySocket.take(socket);
    if (!c)
        return;
    release(*c);
    unreserve(c->reserved);
    for (qint64 &bytes : c->handedReserved)
        unreserve(bytes);
    m_byId.remove(c->id);
    delete c;
}

void ConnectionGuard::kick(Conn &c)
{
    QMetaObject::invokeMethod(c.socket, &QIODevice::readyRead, Qt::QueuedConnection);
}

void ConnectionGuard::onReadyRead(Conn &c)
{
    QTcpSocket *s = c.socket;
    // A client without TCP_NODELAY (QNetworkAccessManager: our own replicator, the app)
    // sends a request's head and body in two writes, and Nagle's algorithm holds the body's
    // tail until the data before it is ACKed: ACKing at once, not after Linux's delayed-ACK
    // 40 ms, took a pushed batch's _revs_diff from 52-59 ms to 11-14 ms. The kernel falls
    // back to delayed ACKs by itself, so it is asked again at each read.
    const int one = 1;
    ::setsockopt(int(s->socketDescriptor()), IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
    if (c.awaitingQt) {
        // QtHttpServer did not take the request handed on whole: the two readers disagree
        // about where it ends. Nothing after it can be trusted.
        qCWarning(lcGuard) << "QtHttpServer read a request differently: closing the connection";
        c.awaitingQt = false;
        s->abort();
        return;
    }
    if (s->isTransactionStarted() && !c.ownTransaction)
        s->rollbackTransaction(); // QtHttpServer's, empty: it never saw a byte the guard held
    if (c.lingering) {
        s->skip(s->bytesAvailable());
        return;
    }
    if (s->bytesAvailable() > 0)
        c.lastReadMs = now();
    process(c);
}

void ConnectionGuard::process(Conn &c)
{
    QTcpSocket *s = c.socket;
    for (;;) {
        if (s->state() != QAbstractSocket::ConnectedState || c.lingering)
            return;
        if (!c.ownTransaction) {
            if (s->bytesAvailable() == 0)
                return;
            s->startTransaction();
            c.ownTransaction = true;
        }
        if (!c.request) {
            if (!readHead(c))
                return; // incomplete, or answered and closing
            if (!c.request)
                continue; // answered (401/429) and kept open: the next request
        }
        if (c.auth == Auth_::Ok && c.request->announcesBody() && c.request->expectContinue &&
            !c.request->http10 && !c.continueSent && c.bodySeen == 0 && s->bytesAvailable() == 0) {
            s->write("HTTP/1.1 100 Continue\r\n\r\n");
            c.continueSent = true;
        }
        if (!c.bodyDone && !readBody(c, {}))
            return; // refused and closing
        if (c.auth == Auth_::Ok && c.bodyDone) {
            hand(c);
            return;
        }
        if (c.bodyDone)
            hideRest(c); // waiting for the password check: what follows is the next request
        return;
    }
}

bool ConnectionGuard::readHead(Conn &c)
{
    QTcpSocket *s = c.socket;
    const qint64 max = m_limits.maxHeaderBytes;
    while (s->bytesAvailable() > 0) {
        if (c.headStartMs < 0)
            c.headStartMs = now();
        const qint64 room = max + 1 - c.head.size();
        c.head += s->read(qMin(s->bytesAvailable(), qMax<qint64>(1, room)));
        const qsizetype end = c.scanner.scan(c.head);
        if (end == 0) {
            if (c.head.size() > max) {
                const bool line = c.scanner.sawRequestLine();
                reject(c, line ? 431 : 414,
                       line ? tr("request head over %1 bytes (--max-header-size)").arg(max)
                            : tr("request line over %1 bytes").arg(max),
                       true);
                return false;
            }
            continue;
        }
        const QByteArray early = c.head.mid(end);
        c.head.truncate(end);
        HeadError error;
        std::optional<RequestHead> head = parseRequestHead(c.head, m_limits, error);
        if (!head) {
            reject(c, error.status, error.message, true);
            return false;
        }
        c.request = std::move(*head);
        if (c.request->chunked)
            c.chunked = std::make_unique<ChunkedBody>(m_limits.maxBodyBytes);
        c.bodyLeft = c.request->contentLength.value_or(0);
        c.bodySize = c.bodyLeft;
        c.bodyDone = !c.request->announcesBody();
        if (!c.bodyDone && !c.chunked && !reserveBody(c, c.bodyLeft))
            return false;
        decideAuth(c);
        if (!c.request || c.lingering)
            return !c.lingering; // answered: kept open (true) or closing (false)
        if (!c.bodyDone && !early.isEmpty())
            return readBody(c, early);
        return true;
    }
    return false;
}

bool ConnectionGuard::readBody(Conn &c, QByteArrayView early)
{
    QTcpSocket *s = c.socket;
    const auto consume = [this, &c](QByteArrayView data) {
        if (!c.chunked) {
            const qint64 take = qMin<qint64>(data.size(), c.bodyLeft);
            c.bodyLeft -= take;
            c.bodySeen += take;
            c.bodyDone = c.bodyLeft == 0;
            return true;
        }
        if (!reserveBody(c, data.size()))
            return false;
        qsizetype used = 0;
        switch (c.chunked->feed(data, used)) {
        case ChunkedBody::State::More:
            c.bodySeen += data.size();
            return true;
        case ChunkedBody::State::Done:
            c.bodySeen += used;
            c.bodySize = c.chunked->decodedSize();
            c.bodyDone = true;
            return true;
        case ChunkedBody::State::Invalid:
            reject(c, 400, tr("malformed chunked request body"), true);
            return false;
        case ChunkedBody::State::TooLarge:
            reject(c, 413,
                   tr("request body over the limit of %1 bytes (--max-body-size)")
                       .arg(m_limits.maxBodyBytes),
                   true);
            return false;
        }
        return false;
    };
    if (!early.isEmpty() && !consume(early))
        return false;
    QByteArray scratch;
    while (!c.bodyDone && s->bytesAvailable() > 0) {
        const qint64 want = c.chunked ? ScratchBytes : qMin<qint64>(ScratchBytes, c.bodyLeft);
        scratch.resize(qsizetype(qMin(want, s->bytesAvailable())));
        const qint64 n = s->read(scratch.data(), scratch.size());
        if (n <= 0)
            break;
        if (!consume(QByteArrayView(scratch.constData(), qsizetype(n))))
            return false;
    }
    return true;
}

void ConnectionGuard::hideRest(Conn &c)
{
    QTcpSocket *s = c.socket;
    char scratch[4096];
    while (s->bytesAvailable() > 0 && s->read(scratch, sizeof scratch) > 0) {
    }
}

void ConnectionGuard::hand(Conn &c)
{
    QTcpSocket *s = c.socket;
    // QtHttpServer's handler comes next on this readyRead and reads the request whole.
    s->rollbackTransaction();
    c.ownTransaction = false;
    c.awaitingQt = true;
    c.handedAuthenticated = c.auth == Auth_::Ok;
    c.handedBody = c.bodySize;
    c.handedFields = c.request->fields.size();
    c.handedReserved.append(std::exchange(c.reserved, 0));
    c.firstRequest = false;
    resetRequest(c);
}

bool ConnectionGuard::reserveBody(Conn &c, qint64 bytes)
{
    if (m_bodyMemory > 0 && m_bodyMemory + bytes > m_limits.maxBodyMemory) {
        reject(c, 503,
               tr("the server holds %1 of request bodies (--max-body-memory %2); retry shortly")
                   .arg(QLocale::c().formattedDataSize(m_bodyMemory),
                        QLocale::c().formattedDataSize(m_limits.maxBodyMemory)),
               true, {{"Retry-After", "1"}});
        return false;
    }
    m_bodyMemory += bytes;
    c.reserved += bytes;
    return true;
}

void ConnectionGuard::unreserve(qint64 &bytes)
{
    m_bodyMemory -= bytes;
    bytes = 0;
}

void ConnectionGuard::resetRequest(Conn &c)
{
    unreserve(c.reserved);
    c.head.clear();
    c.scanner.reset();
    c.request.reset();
    c.chunked.reset();
    c.bodyLeft = c.bodySize = c.bodySeen = 0;
    c.bodyDone = false;
    c.auth = Auth_::Unknown;
    c.continueSent = false;
    c.headStartMs = -1;
}

void ConnectionGuard::sweep()
{
    const qint64 t = now();
    const QList<Conn *> conns = m_byId.values();
    for (Conn *c : conns) {
        if (!m_byId.contains(c->id))
            continue; // gone meanwhile
        QTcpSocket *s = c->socket;
        if (!c->counted || s->state() != QAbstractSocket::ConnectedState)
            continue;
        if (c->lingering) {
            if (!c->shutDown && s->bytesToWrite() == 0 && !isTlsSocket(s)) {
                ::shutdown(int(s->socketDescriptor()), SHUT_WR);
                c->shutDown = true;
            }
            if (t >= c->lingerUntilMs)
                s->abort();
            continue;
        }
        if (c->inFlight > 0 || c->awaitingQt) {
            // Being answered: never idle, unless the client stopped reading the answer.
            if (s->bytesToWrite() > 0 && t - c->lastWriteMs > m_limits.idleTimeoutMs) {
                qCDebug(lcGuard) << "closing a connection whose client stopped reading";
                s->abort();
            }
            continue;
        }
        if (c->auth == Auth_::Pending)
            continue; // our turn, not the client's
        if (c->request) {
            if (t - c->lastReadMs > m_limits.idleTimeoutMs)
                reject(*c, 408,
                       tr("request body stalled: nothing for %1 s (--idle-timeout)")
                           .arg(m_limits.idleTimeoutMs / 1000.0),
                       true);
            continue;
        }
        if (!c->head.isEmpty()) {
            if (t - c->headStartMs > m_limits.headerTimeoutMs)
                reject(*c, 408,
                       tr("request head not complete within %1 s (--header-timeout)")
                           .arg(m_limits.headerTimeoutMs / 1000.0),
                       true);
            continue;
        }
        // Nothing of a request yet: a new connection has the header timeout to start one, a
        // kept-alive one the idle timeout.
        const bool expired =
            c->firstRequest ? t - c->startedMs > m_limits.headerTimeoutMs
                            : s->bytesToWrite() == 0 && t - c->idleSinceMs > m_limits.idleTimeoutMs;
        if (expired) {
            release(*c);
            s->abort();
        }
    }
}

bool ConnectionGuard::beginRequest(QTcpSocket *socket, qint64 bodySize, qsizetype fieldCount,
                                   bool &authenticated, quint64 &id)
{
    authenticated = false;
    id = 0;
    Conn *c = m_bySocket.value(socket);
    if (!c)
        return true;
    if (!c->awaitingQt || bodySize != c->handedBody || fieldCount != c->handedFields) {
        qCWarning(lcGuard).noquote()
            << "QtHttpServer read a request differently (body" << bodySize << "vs" << c->handedBody
            << ", fields" << fieldCount << "vs" << c->handedFields
            << "): closing the connection from" << socket->peerAddress().toString();
        c->awaitingQt = false;
        socket->abort();
        return false;
    }
    c->awaitingQt = false;
    ++c->inFlight;
    authenticated = c->handedAuthenticated;
    id = c->id;
    return true;
}

void ConnectionGuard::endRequest(quint64 id)
{
    if (id == 0)
        return;
    QMetaObject::invokeMethod(
        this,
        [this, id] {
            Conn *c = m_byId.value(id);
            if (!c)
                return;
            if (!c->handedReserved.isEmpty()) {
                unreserve(c->handedReserved.front());
                c->handedReserved.removeFirst();
            }
            if (c->inFlight > 0 && --c->inFlight == 0)
                c->idleSinceMs = now();
        },
        Qt::QueuedConnection);
}

} // namespace repl::server
