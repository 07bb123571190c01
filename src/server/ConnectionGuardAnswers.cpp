// ConnectionGuard: early answers, closing connections, and password checks on the head.
#include "server/ConnectionGuard.h"

#include "core/Error.h"
#include "engine/Auth.h"
#include "server/Http.h"
#include "server/HttpMetrics.h"

#include <QTcpSocket>

#include <sys/socket.h>

namespace repl::server {

namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 408:
        return "Request Timeout";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 417:
        return "Expectation Failed";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Error";
    }
}

// CouchDB's error names for the early answers.
QString couchErrorName(int status)
{
    switch (status) {
    case 401:
        return QStringLiteral("unauthorized");
    case 408:
        return QStringLiteral("request_timeout");
    case 413:
        return QStringLiteral("too_large");
    case 429:
        return QStringLiteral("too_many_requests");
    case 503:
        return QStringLiteral("service_unavailable");
    default:
        return QStringLiteral("bad_request");
    }
}

// Whether an unparsed head asks the CouchDB face (for the error shape).
bool couchHead(const QByteArray &head)
{
    const QByteArray line = head.trimmed().left(head.trimmed().indexOf('\n'));
    const QList<QByteArray> parts = line.split(' ');
    return parts.size() >= 2 && isCouchPath(parts[1]);
}

QByteArray answer(int status, const QString &message, bool couch, bool withBody, bool close,
                  const QList<QPair<QByteArray, QByteArray>> &extra)
{
    const QByteArray body = couch
                                ? Response::couchError(status, couchErrorName(status), message).body
                                : Response::error(status, status, message).body;
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) +
                     "\r\nContent-Type: application/json; charset=utf-8\r\n";
    for (const auto &h : extra)
        out += h.first + ": " + h.second + "\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    if (close)
        out += "Connection: close\r\n";
    out += "\r\n";
    if (withBody)
        out += body;
    return out;
}

} // namespace

void ConnectionGuard::refuse(QTcpSocket *socket, const QString &message)
{
    qCDebug(lcGuard).noquote() << "refused a connection from" << socket->peerAddress().toString()
                               << ":" << message;
    if (isTlsSocket(socket)) {
        socket->abort(); // its server drops it after the failed handshake
        return;
    }
    if (m_refusing >= MaxRefusing) {
        socket->abort();
        socket->deleteLater();
        return;
    }
    ++m_refusing;
    socket->write(
        answer(503, message, false, true, true, {{"Retry-After", QByteArrayLiteral("1")}}));
    socket->flush();
    if (socket->bytesToWrite() == 0)
        ::shutdown(int(socket->socketDescriptor()), SHUT_WR);
    connect(socket, &QIODevice::readyRead, socket, [socket] { socket->readAll(); });
    connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
    connect(socket, &QObject::destroyed, this, [this] { --m_refusing; });
    QTimer::singleShot(LingerMs / 2, socket, [socket] { socket->abort(); });
    socket->readAll();
}

void ConnectionGuard::decideAuth(Conn &c)
{
    const RequestHead &h = *c.request;
    const QList<QPair<QByteArray, QByteArray>> challenge{
        {"WWW-Authenticate", QByteArrayLiteral("Basic realm=\"repldesk\"")}};
    if (h.authorization.isEmpty()) {
        reject(c, 401,
               h.couch ? QStringLiteral("Name or password is incorrect.")
                       : defaultErrorMessage(ErrorNum::Unauthorized),
               h.announcesBody(), challenge);
        return;
    }
    if (m_auth.isCached(h.authorization)) {
        c.auth = Auth_::Ok;
        return;
    }
    if (const qint64 wait = m_throttle.waitMs(c.address, now()); wait > 0) {
        const qint64 seconds = (wait + 999) / 1000;
        reject(c, 429,
               tr("too many failed logins from this address: try again in %1 s").arg(seconds),
               h.announcesBody(), {{"Retry-After", QByteArray::number(seconds)}});
        return;
    }
    c.auth = Auth_::Pending;
    if (h.announcesBody()) // hold at most this much of a body until the password is known
        c.socket->setReadBufferSize(m_limits.maxHeaderBytes + ScratchBytes);
    AddressChecks &checks = m_checks[c.address];
    checks.waiting.append(c.id);
    if (!checks.running)
        startCheck(c.address);
}

void ConnectionGuard::startCheck(const QByteArray &addressKey)
{
    auto it = m_checks.find(addressKey);
    if (it == m_checks.end())
        return;
    while (!it->waiting.isEmpty()) {
        Conn *c = m_byId.value(it->waiting.takeFirst());
        if (!c || c->auth != Auth_::Pending || !c->request || c->lingering)
            continue;
        const QByteArray credentials = c->request->authorization;
        if (m_auth.isCached(credentials)) { // found right while it waited
            authResolved(*c, true);
            continue;
        }
        if (const qint64 wait = m_throttle.waitMs(addressKey, now()); wait > 0) {
            const qint64 seconds = (wait + 999) / 1000;
            const bool body = c->request->announcesBody();
            c->auth = Auth_::Unknown;
            reject(*c, 429,
                   tr("too many failed logins from this address: try again in %1 s").arg(seconds),
                   body, {{"Retry-After", QByteArray::number(seconds)}});
            continue;
        }
        it->running = true;
        const quint64 id = c->id;
        Auth *auth = &m_auth;
        m_authPool.start([this, auth, addressKey, id, credentials] {
            const bool ok = auth->check(credentials);
            QMetaObject::invokeMethod(
                this,
                [this, addressKey, id, credentials, ok] {
                    onChecked(addressKey, id, credentials, ok);
                },
                Qt::QueuedConnection);
        });
        return;
    }
    m_checks.erase(it);
}

void ConnectionGuard::onChecked(const QByteArray &addressKey, quint64 connId,
                                const QByteArray &credentials, bool ok)
{
    if (auto it = m_checks.find(addressKey); it != m_checks.end())
        it->running = false;
    if (ok)
        m_throttle.succeeded(addressKey);
    else
        m_throttle.failed(addressKey, now());
    Conn *c = m_byId.value(connId);
    if (c && c->auth == Auth_::Pending && c->request && c->request->authorization == credentials)
        authResolved(*c, ok);
    startCheck(addressKey);
}

void ConnectionGuard::authResolved(Conn &c, bool ok)
{
    if (!ok) {
        c.auth = Auth_::Unknown;
        const bool couch = c.request->couch;
        reject(c, 401,
               couch ? QStringLiteral("Name or password is incorrect.")
                     : defaultErrorMessage(ErrorNum::Unauthorized),
               c.request->announcesBody(),
               {{"WWW-Authenticate", QByteArrayLiteral("Basic realm=\"repldesk\"")}});
        return;
    }
    c.auth = Auth_::Ok;
    c.socket->setReadBufferSize(0);
    kick(c); // go on reading (and hand on) in a readyRead of its own
}

void ConnectionGuard::reject(Conn &c, int status, const QString &message, bool close,
                             const QList<QPair<QByteArray, QByteArray>> &extra)
{
    QTcpSocket *s = c.socket;
    const bool couch = c.request ? c.request->couch : couchHead(c.head);
    const bool head = c.request && c.request->method == "HEAD";
    qCDebug(lcGuard).noquote() << "answered" << status << "to" << s->peerAddress().toString() << ":"
                               << message;
    if (m_metrics)
        m_metrics->record(
            c.request ? HttpMetrics::methodOf(c.request->method) : Method::Other, status,
            std::chrono::milliseconds(c.headStartMs >= 0 ? now() - c.headStartMs : 0));
    const QByteArray out = answer(status, message, couch, !head, close, extra);
    if (close) {
        if (c.ownTransaction) {
            s->commitTransaction(); // what was held is dropped
            c.ownTransaction = false;
        }
        s->write(out);
        resetRequest(c);
        linger(c);
        return;
    }
    // Kept open: only the head was read (no body was announced); the next request follows.
    const qsizetype headSize = c.head.size();
    if (c.ownTransaction) {
        s->rollbackTransaction();
        c.ownTransaction = false;
    }
    s->skip(headSize);
    s->write(out);
    c.firstRequest = false;
    resetRequest(c);
    c.idleSinceMs = now();
    s->setReadBufferSize(0);
    if (s->bytesAvailable() > 0) // a pipelined request: read it as any other (held again)
        kick(c);
}

void ConnectionGuard::linger(Conn &c)
{
    QTcpSocket *s = c.socket;
    c.lingering = true;
    c.lingerUntilMs = now() + LingerMs;
    s->setReadBufferSize(0);
    s->skip(s->bytesAvailable());
    if (isTlsSocket(s)) {
        s->disconnectFromHost();
        return;
    }
    s->flush();
    if (s->bytesToWrite() == 0 && s->state() == QAbstractSocket::ConnectedState) {
        ::shutdown(int(s->socketDescriptor()), SHUT_WR);
        c.shutDown = true;
    }
}

} // namespace repl::server
