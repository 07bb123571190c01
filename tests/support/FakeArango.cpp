// FAKE ArangoDB 3.x single server: see FakeArango.h for what it covers and what it does not.
// Wire facts: shared/spec/arangodb-recorded/ (3.11.14, 3.12.10) and the RocksDB replication
// handlers of ArangoDB 3.x (RestReplicationHandler, RocksDBRestReplicationHandler,
// RestWalAccessHandler).
//
// This file is the server core: the shared JSON and reply helpers, authorization, request
// recording, routing, /_api/version, the HTTP face and the public API. The rest of the FAKE is
// in FakeArangoData.cpp, FakeArangoReplication.cpp and FakeArangoApplier.cpp (see
// FakeArangoInternal.h).
#include "support/FakeArango.h"
#include "support/FakeArangoInternal.h"

#include <QAbstractHttpServer>
#include <QDateTime>
#include <QHostAddress>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTcpServer>
#include <QUrlQuery>

#include <algorithm>

namespace repl::test {

using namespace fakearango;

namespace fakearango {

QByteArray compact(const QJsonValue &v)
{
    if (v.isObject())
        return QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
    if (v.isArray())
        return QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact);
    const QByteArray wrapped = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

QByteArray jsonArray(const QList<QByteArray> &elements)
{
    return '[' + elements.join(',') + ']';
}

QString isoNow()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODate); // "2025-05-23T18:16:20Z"
}

QString str(quint64 tick)
{
    return QString::number(tick);
}

// StringUtils::boolean, which ArangoDB uses for boolean query parameters.
bool boolParam(const QUrlQuery &q, const QString &key, bool dflt)
{
    if (!q.hasQueryItem(key))
        return dflt;
    const QString v = q.queryItemValue(key, QUrl::FullyDecoded).trimmed().toLower();
    return v == u"true" || v == u"1" || v == u"yes" || v == u"on" || v == u"y";
}

quint64 tickParam(const QUrlQuery &q, const QString &key, quint64 dflt)
{
    return q.hasQueryItem(key) ? q.queryItemValue(key).toULongLong() : dflt;
}

Reply json(const QByteArray &body, int status)
{
    Reply r;
    r.status = status;
    r.body = body;
    return r;
}

// RestBaseHandler::generateError
Reply error(int status, int errorNum, const QString &message)
{
    return json(OrderedJson()
                    .add("code", status)
                    .add("error", true)
                    .add("errorMessage", message)
                    .add("errorNum", errorNum)
                    .bytes(),
                status);
}

Reply noContent(Headers headers)
{
    Reply r;
    r.status = 204;
    r.headers = std::move(headers);
    return r;
}

Reply notSimulated()
{
    return error(501, 9, QStringLiteral("not implemented"));
}

Reply collectionNotFound()
{
    return error(404, 1203, QStringLiteral("collection or view not found"));
}

Reply forbidden(const QString &message)
{
    return error(403, 11, message);
}

Reply corruptedJson()
{
    return error(400, 600, QStringLiteral("invalid JSON object"));
}

} // namespace fakearango

namespace {

QByteArray methodName(QHttpServerRequest::Method m)
{
    switch (m) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    case QHttpServerRequest::Method::Connect:
        return "CONNECT";
    case QHttpServerRequest::Method::Trace:
        return "TRACE";
    default:
        return "UNKNOWN";
    }
}

QByteArray headerValue(const QHttpServerRequest &request, const QByteArray &lowerName)
{
    for (const auto &h : request.headers())
        if (h.first.toLower() == lowerName)
            return h.second;
    return {};
}

} // namespace

FakeArango::Impl::Impl(FakeArangoVersion v)
    : version(v)
{
    auto *rng = QRandomGenerator::global();
    serverId =
        QString::number(rng->bounded(Q_INT64_C(100000000000000), Q_INT64_C(999999999999999)));
    gidPrefix = QStringLiteral("h") +
                QString::number(rng->bounded(Q_INT64_C(1) << 44, Q_INT64_C(1) << 48), 16)
                    .toUpper(); // "h" and 12 hex digits, as "h68138D6305DA"

    globalApplier = newApplier(QString());
    dbs.insert(QStringLiteral("_system"),
               Database{QStringLiteral("1"), QStringLiteral("_system"), {}});
    addSystemCollections(QStringLiteral("_system"));
}

bool FakeArango::Impl::authorized(const QHttpServerRequest &request) const
{
    if (user.isEmpty())
        return true;
    const QByteArray auth = headerValue(request, "authorization").trimmed();
    if (!auth.toLower().startsWith("basic "))
        return false;
    return QByteArray::fromBase64(auth.mid(6).trimmed()) == (user + u':' + password).toUtf8();
}

Reply FakeArango::Impl::handle(const QHttpServerRequest &request)
{
    Request req;
    req.method = methodName(request.method());
    req.path = request.url().path(QUrl::FullyDecoded);
    req.query = request.query();
    req.body = request.body();
    recorded.append({req.method, req.path, request.url().query(), req.body});
    collectGarbage();
    if (!authorized(request)) {
        Reply r = error(401, 401, QStringLiteral("not authorized to execute this request"));
        if (headerValue(request, "x-omit-www-authenticate").isEmpty())
            r.headers = {{"www-authenticate", "Basic, realm=\"ArangoDB\""},
                         {"www-authenticate", "Bearer, token_type=\"JWT\", realm=\"ArangoDB\""}};
        return r;
    }
    QStringList parts = req.path.split(u'/', Qt::SkipEmptyParts);
    req.db = QStringLiteral("_system");
    if (parts.size() >= 2 && parts.first() == u"_db") {
        req.db = parts.at(1);
        parts = parts.mid(2);
    }
    if (!dbs.contains(req.db))
        return error(404, 1228, QStringLiteral("database not found"));
    req.parts = parts;
    if (parts.size() >= 2 && parts.first() == u"_api") {
        const QString area = parts.at(1);
        if (area == u"version")
            return versionRoute(req);
        if (area == u"database")
            return databaseRoute(req);
        if (area == u"collection")
            return collectionRoute(req);
        if (area == u"index")
            return indexRoute(req);
        if (area == u"wal")
            return walRoute(req);
        if (area == u"replication" && parts.size() >= 3)
            return replicationRoute(req);
    }
    return error(404, 404, QStringLiteral("unknown path '%1'").arg(req.path));
}

Reply FakeArango::Impl::versionRoute(const Request &req) const
{
    OrderedJson o;
    o.add("server", QStringLiteral("arango"))
        .add("license", QStringLiteral("enterprise"))
        .add("version", versionString());
    if (boolParam(req.query, QStringLiteral("details"), false))
        o.add("details", OrderedJson()
                             .add("architecture", QStringLiteral("64bit"))
                             .add("license", QStringLiteral("enterprise"))
                             .add("platform", QStringLiteral("linux"))
                             .add("server-version", versionString())
                             .add("mode", QStringLiteral("server"))
                             .add("role", QStringLiteral("SINGLE"))
                             .add("host", QStringLiteral("localhost")));
    if (!is311())
        o.add("apiVersions", QJsonArray{QStringLiteral("v0")})
            .add("deprecatedApiVersions", QJsonArray())
            .add("requestedApiVersion", QStringLiteral("v0"));
    return json(o.bytes());
}

// The HTTP side: every request goes to Impl::handle; the answer is written with lower-case
// header names and an explicit content-length, as ArangoDB sends them.
class FakeArango::HttpFace final : public QAbstractHttpServer
{
public:
    HttpFace(Impl *impl, QObject *parent)
        : QAbstractHttpServer(parent)
        , m_impl(impl)
    {}

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        const Reply reply = m_impl->handle(request);
        QHttpServerResponder r = makeResponder(request, socket);
        r.writeStatusLine(QHttpServerResponder::StatusCode(reply.status));
        r.writeHeader("content-type", reply.contentType);
        r.writeHeader("server", "ArangoDB");
        r.writeHeader("x-arango-queue-time-seconds", "0.000000");
        r.writeHeader("x-content-type-options", "nosniff");
        for (const auto &[name, value] : reply.headers)
            r.writeHeader(name, value);
        r.writeHeader("content-length", QByteArray::number(reply.body.size()));
        r.writeBody(reply.body);
        return true;
    }
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        makeResponder(request, socket).write(QHttpServerResponder::StatusCode::NotFound);
    }

private:
    Impl *m_impl;
};

FakeArango::FakeArango(FakeArangoVersion v, QObject *parent)
    : QObject(parent)
    , m_impl(std::make_unique<Impl>(v))
    , m_http(new HttpFace(m_impl.get(), this))
{}

FakeArango::~FakeArango()
{
    delete m_http; // before m_impl goes
    m_http = nullptr;
}

bool FakeArango::listen()
{
    return m_http->listen(QHostAddress::LocalHost, 0) != 0;
}

quint16 FakeArango::port() const
{
    const auto servers = m_http->servers();
    return servers.isEmpty() ? 0 : servers.first()->serverPort();
}

QString FakeArango::url() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(port());
}

FakeArangoVersion FakeArango::version() const
{
    return m_impl->version;
}

QString FakeArango::versionString() const
{
    return m_impl->versionString();
}

QString FakeArango::serverId() const
{
    return m_impl->serverId;
}

void FakeArango::setCredentials(const QString &user, const QString &password)
{
    m_impl->user = user;
    m_impl->password = password;
}

void FakeArango::createDatabase(const QString &name)
{
    m_impl->createDatabase(name);
}

void FakeArango::createCollection(const QString &db, const QString &name, int type)
{
    m_impl->createCollection(db, name, type);
}

void FakeArango::addIndex(const QString &db, const QString &coll, const QJsonObject &definition)
{
    m_impl->addIndex(db, coll, definition);
}

QJsonObject FakeArango::insert(const QString &db, const QString &coll, QJsonObject doc)
{
    return m_impl->insert(db, coll, std::move(doc));
}

bool FakeArango::remove(const QString &db, const QString &coll, const QString &key)
{
    return m_impl->remove(db, coll, key);
}

void FakeArango::dropCollection(const QString &db, const QString &name)
{
    m_impl->dropCollection(db, name);
}

qint64 FakeArango::count(const QString &db, const QString &coll) const
{
    const Impl::Collection *c = m_impl->collection(db, coll);
    return c ? c->docs.size() : -1;
}

QList<QJsonObject> FakeArango::documents(const QString &db, const QString &coll) const
{
    const Impl::Collection *c = m_impl->collection(db, coll);
    return c ? c->docs.values() : QList<QJsonObject>();
}

quint64 FakeArango::lastTick() const
{
    return m_impl->lastTick();
}

void FakeArango::pruneWal(quint64 upToTick)
{
    m_impl->pruneWal(upToTick);
}

void FakeArango::setApplierState(const QString &db, bool running, quint64 lastApplied,
                                 quint64 lastAvailable, int lastErrorNum,
                                 const QString &lastErrorMessage)
{
    Impl::Applier &a = m_impl->applier(db);
    if (a.running != running) {
        a.progressTime = isoNow();
        a.progressMessage =
            running ? QStringLiteral("applier started") : QStringLiteral("applier shut down");
        if (running)
            a.started = a.progressTime;
    }
    a.running = running;
    a.lastApplied = lastApplied;
    a.lastAvailable = lastAvailable;
    a.errorNum = lastErrorNum;
    a.errorMessage = lastErrorMessage;
    a.errorTime = lastErrorNum ? isoNow() : QString();
}

void FakeArango::setApplierConfig(const QString &db, const QJsonObject &partial)
{
    Impl::Applier &a = m_impl->applier(db);
    for (auto it = partial.begin(); it != partial.end(); ++it)
        a.config.insert(it.key(), it.value());
}

QList<FakeArango::Recorded> FakeArango::requests() const
{
    return m_impl->recorded;
}

void FakeArango::clearRequests()
{
    m_impl->recorded.clear();
}

QList<FakeArango::Recorded> FakeArango::writes() const
{
    static const QRegularExpression batchPath(
        QStringLiteral("^(/_db/[^/]+)?/_api/replication/batch(/[^/]+)?/?$"));
    QList<Recorded> out;
    for (const Recorded &r : m_impl->recorded) {
        const bool mutating =
            r.method == "PUT" || r.method == "POST" || r.method == "DELETE" || r.method == "PATCH";
        if (mutating && !(r.method != "PATCH" && batchPath.match(r.path).hasMatch()))
            out.append(r);
    }
    return out;
}

int FakeArango::openBatches() const
{
    return int(std::count_if(m_impl->batches.cbegin(), m_impl->batches.cend(),
                             [](const Impl::Batch &b) { return !b.expires.hasExpired(); }));
}

int FakeArango::syncCalls() const
{
    return m_impl->syncCalls;
}

} // namespace repl::test
