// The FAKE ArangoDB (tests/support/FakeArango) checked against real ArangoDB 3.11.14 and 3.12.10
// exchanges recorded in shared/spec/arangodb-recorded/: same status, content type,
// x-arango-replication-* headers, JSON keys and value types. Then the behaviour the recordings
// do not show (batches, inventory, dump, tail, sync, 3.12.10's removed routes) against the
// documented wire facts.
#include "support/FakeArango.h"
#include "support/HttpClient.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTest>

#include <optional>

using namespace repl::test;
using namespace Qt::StringLiterals;

namespace {

QString recordingsDir()
{
    return QStringLiteral(REPLDESK_SHARED_DIR "/spec/arangodb-recorded");
}

// One .http file: the curl command, then the raw answer.
struct Exchange
{
    QByteArray method = "GET";
    QString target; // path and query
    QByteArray requestBody;
    int status = 0;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;
};

std::optional<Exchange> loadExchange(const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QList<QByteArray> lines = f.readAll().split('\n');
    Exchange e;
    const QString curl = QString::fromUtf8(lines.value(0));
    static const QRegularExpression method(QStringLiteral(" -X ([A-Z]+)"));
    static const QRegularExpression url(QStringLiteral("'http://[^/']+([^']*)'"));
    if (const auto m = method.match(curl); m.hasMatch())
        e.method = m.captured(1).toUtf8();
    const auto u = url.match(curl);
    if (!u.hasMatch())
        return std::nullopt;
    e.target = u.captured(1);
    qsizetype i = 1;
    if (curl.contains(u"<<'EOF'")) {
        QList<QByteArray> body;
        while (i < lines.size() && lines.at(i) != "EOF")
            body.append(lines.at(i++));
        e.requestBody = body.join('\n');
        ++i;
    }
    const QList<QByteArray> statusLine = lines.value(i++).split(' ');
    e.status = statusLine.value(1).toInt();
    while (i < lines.size() && !lines.at(i).trimmed().isEmpty()) {
        const QByteArray line = lines.at(i++);
        const qsizetype colon = line.indexOf(':');
        e.headers.insert(line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed());
    }
    QList<QByteArray> rest = lines.mid(i + 1);
    e.body = rest.join('\n').trimmed();
    return e;
}

// The recordings write dump bodies as pretty-printed objects back to back ("}{"); split them.
QList<QJsonObject> splitObjects(const QByteArray &text)
{
    QList<QJsonObject> out;
    int depth = 0;
    bool inString = false;
    qsizetype start = -1;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text.at(i);
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '{') {
            if (depth++ == 0)
                start = i;
        } else if (c == '}' && --depth == 0) {
            out.append(QJsonDocument::fromJson(text.mid(start, i - start + 1)).object());
        }
    }
    return out;
}

QStringList sortedKeys(const QJsonObject &o)
{
    QStringList keys = o.keys();
    keys.sort();
    return keys;
}

// Same JSON type everywhere and the same keys in every object, except inside documents
// ("data") and the build details, whose contents are the server's business.
void compareShape(const QJsonValue &real, const QJsonValue &fake, const QString &where,
                  QStringList &problems)
{
    if (real.type() != fake.type()) {
        problems << u"%1: type %2, the FAKE has %3"_s.arg(where).arg(real.type()).arg(fake.type());
        return;
    }
    if (real.isObject()) {
        const QJsonObject r = real.toObject();
        const QJsonObject f = fake.toObject();
        if (sortedKeys(r) != sortedKeys(f)) {
            problems << u"%1: keys %2, the FAKE has %3"_s.arg(where, sortedKeys(r).join(u','),
                                                              sortedKeys(f).join(u','));
            return;
        }
        for (const QString &key : r.keys())
            if (key != u"data" && key != u"details")
                compareShape(r.value(key), f.value(key), where + u'.' + key, problems);
    } else if (real.isArray() && !real.toArray().isEmpty() && !fake.toArray().isEmpty()) {
        compareShape(real.toArray().first(), fake.toArray().first(), where + u"[0]"_s, problems);
    }
}

QSet<QByteArray> replicationHeaderNames(const QHash<QByteArray, QByteArray> &headers)
{
    QSet<QByteArray> names;
    for (auto it = headers.begin(); it != headers.end(); ++it)
        if (it.key().startsWith("x-arango-replication-"))
            names.insert(it.key());
    return names;
}

QByteArray mediaType(const QByteArray &contentType)
{
    return contentType.split(';').first().trimmed();
}

QString tickStr(quint64 t)
{
    return QString::number(t);
}

} // namespace

// status, the error keys and values of an ArangoDB error answer
#define VERIFY_ARANGO_ERROR(reply, httpCode, num, message)                                         \
    do {                                                                                           \
        const HttpReply &r_ = (reply);                                                             \
        QCOMPARE(r_.status, httpCode);                                                             \
        const QJsonObject o_ = r_.json();                                                          \
        QCOMPARE(sortedKeys(o_),                                                                   \
                 (QStringList{u"code"_s, u"error"_s, u"errorMessage"_s, u"errorNum"_s}));          \
        QCOMPARE(o_.value(u"code").toInt(), httpCode);                                             \
        QCOMPARE(o_.value(u"error").toBool(), true);                                               \
        QCOMPARE(o_.value(u"errorNum").toInt(), num);                                              \
        QCOMPARE(o_.value(u"errorMessage").toString(), QString(message));                          \
    } while (false)

class TestFakeArango : public QObject
{
    Q_OBJECT

private:
    static FakeArangoVersion versionOf(int v)
    {
        return v == 311 ? FakeArangoVersion::V3_11_14 : FakeArangoVersion::V3_12_10;
    }

    // What each recording needs set up on the FAKE; returns the request target when it differs
    // from the recorded one (ticks are the FAKE's own).
    static QString prepare(FakeArango &fake, const QString &name, const Exchange &e)
    {
        const QString before = tickStr(fake.lastTick());
        const QJsonObject endpoint{{u"endpoint"_s, u"tcp://127.0.0.1:8529"_s}};
        if (name == u"RestWalAccessTailingEmpty" || name == u"RestReplicationLoggerFollowEmpty")
            return e.target.section(u'?', 0, 0) + u"?from="_s + before;
        if (name == u"RestWalAccessTailingSome" || name == u"RestWalAccessTailingBufferLimit") {
            // As the docs example: a collection made, written and dropped, so only its drop
            // marker is left; then a system write, so the answer says checkmore.
            fake.createCollection(u"_system"_s, u"products"_s);
            fake.insert(u"_system"_s, u"products"_s, {{u"_key"_s, u"p1"_s}});
            fake.insert(u"_system"_s, u"products"_s, {{u"_key"_s, u"p2"_s}});
            fake.remove(u"_system"_s, u"products"_s, u"p1"_s);
            fake.dropCollection(u"_system"_s, u"products"_s);
            fake.insert(u"_system"_s, u"_users"_s, {{u"user"_s, u"root"_s}});
            QString target = u"/_api/wal/tail?from="_s + before;
            if (e.target.contains(u"chunkSize=400"))
                target += u"&chunkSize=400"_s;
            return target;
        }
        if (name == u"RestReplicationLoggerFollowSome") {
            fake.insert(u"_system"_s, u"_users"_s, {{u"user"_s, u"root"_s}});
            fake.createCollection(u"_system"_s, u"gone"_s);
            fake.dropCollection(u"_system"_s, u"gone"_s);
            fake.insert(u"_system"_s, u"_users"_s, {{u"user"_s, u"admin"_s}});
            return u"/_api/replication/logger-follow?from="_s + before;
        }
        if (name == u"RestReplicationLoggerFollowBufferLimit") {
            fake.insert(u"_system"_s, u"_users"_s,
                        {{u"user"_s, u"root"_s}, {u"filler"_s, QString(500, u'x')}});
            fake.insert(u"_system"_s, u"_users"_s, {{u"user"_s, u"admin"_s}});
            return u"/_api/replication/logger-follow?chunkSize=400&from="_s + before;
        }
        if (name.startsWith(u"RestReplicationApplier") &&
            name != u"RestReplicationApplierGetConfig" &&
            name != u"RestReplicationApplierSetConfig")
            fake.setApplierConfig(u"_system"_s, endpoint);
        if (name == u"RestReplicationApplierStateRunning")
            fake.setApplierState(u"_system"_s, false, 0, 0, 1405,
                                 u"got same server id (%1) from endpoint 'tcp://127.0.0.1:8529' as "
                                 "the local applier server's id"_s.arg(fake.serverId()));
        return e.target;
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void matchesRecording_data()
    {
        QTest::addColumn<int>("version");
        QTest::addColumn<QString>("file");
        for (const auto &[dir, version] : {std::pair{u"3.11"_s, 311}, std::pair{u"3.12"_s, 312}}) {
            const QDir d(recordingsDir() + u'/' + dir);
            for (const QString &f : d.entryList({u"*.http"_s}, QDir::Files, QDir::Name))
                QTest::addRow("%s/%s", qPrintable(dir), qPrintable(f)) << version << d.filePath(f);
        }
    }

    void matchesRecording()
    {
        if (!QFileInfo::exists(recordingsDir()))
            QSKIP(qPrintable(u"no recorded ArangoDB exchanges at %1 (../shared is absent)"_s.arg(
                recordingsDir())));
        QFETCH(int, version);
        QFETCH(QString, file);
        const std::optional<Exchange> real = loadExchange(file);
        QVERIFY2(real, qPrintable(file));
        FakeArango fake(versionOf(version));
        QVERIFY(fake.listen());
        const QString name = QFileInfo(file).completeBaseName();
        const QString target = prepare(fake, name, *real);
        HttpClient http(QUrl(fake.url()));
        const HttpReply got = http.request(real->method, target, real->requestBody);

        QCOMPARE(got.status, real->status);
        QCOMPARE(mediaType(got.header("content-type")), mediaType(real->headers["content-type"]));
        QCOMPARE(got.header("content-length").toInt(), got.body.size());
        QCOMPARE(replicationHeaderNames(got.headers), replicationHeaderNames(real->headers));
        for (const QByteArray &h : {QByteArrayLiteral("x-arango-replication-checkmore"),
                                    QByteArrayLiteral("x-arango-replication-frompresent"),
                                    QByteArrayLiteral("x-arango-replication-active")})
            QCOMPARE(got.header(h), real->headers.value(h));
        if (real->headers.contains("x-arango-replication-lastincluded"))
            QCOMPARE(got.header("x-arango-replication-lastincluded") == "0",
                     real->headers.value("x-arango-replication-lastincluded") == "0");

        QStringList problems;
        if (real->body.isEmpty()) {
            QVERIFY(got.body.isEmpty());
        } else if (mediaType(real->headers["content-type"]) == "application/x-arango-dump") {
            // One compact object per line on the wire; the same markers as the real answer.
            QVERIFY2(got.body.endsWith('\n'), got.body.constData());
            const QList<QJsonObject> realLines = splitObjects(real->body);
            const QList<QJsonObject> fakeLines = got.lines();
            QCOMPARE(got.body.count('\n'), fakeLines.size());
            QCOMPARE(fakeLines.size(), realLines.size());
            for (qsizetype i = 0; i < realLines.size(); ++i) {
                QCOMPARE(fakeLines[i][u"type"_s].toInt(), realLines[i][u"type"_s].toInt());
                compareShape(realLines[i], fakeLines[i], u"line %1"_s.arg(i), problems);
            }
        } else {
            const QJsonDocument realDoc = QJsonDocument::fromJson(real->body);
            const QJsonDocument fakeDoc = QJsonDocument::fromJson(got.body);
            QVERIFY2(!fakeDoc.isNull(), got.body.constData());
            QVERIFY(!got.body.contains('\n')); // compact
            compareShape(
                realDoc.isArray() ? QJsonValue(realDoc.array()) : QJsonValue(realDoc.object()),
                fakeDoc.isArray() ? QJsonValue(fakeDoc.array()) : QJsonValue(fakeDoc.object()),
                u"body"_s, problems);
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u"; ")));
        QCOMPARE(fake.writes().isEmpty(), real->method == "GET");
    }

    void compactDropMarkerHasTheRecordedLength()
    {
        // 74 bytes on the real wire for a tick and a cuid of the same lengths.
        FakeArango fake(FakeArangoVersion::V3_11_14);
        QVERIFY(fake.listen());
        fake.createCollection(u"_system"_s, u"c"_s);
        const QString from = tickStr(fake.lastTick());
        fake.dropCollection(u"_system"_s, u"c"_s);
        HttpClient http(QUrl(fake.url()));
        const HttpReply r = http.get(u"/_api/wal/tail?from="_s + from);
        QCOMPARE(r.status, 200);
        const QJsonObject line = r.lines().value(0);
        const int expected =
            74 - 6 - 19 + line[u"tick"_s].toString().size() + line[u"cuid"_s].toString().size();
        QCOMPARE(r.body.size(), expected);
        QVERIFY(r.body.startsWith("{\"tick\":\"")); // ArangoDB's key order, not sorted
    }

    void authentication()
    {
        FakeArango fake(FakeArangoVersion::V3_11_14);
        QVERIFY(fake.listen());
        fake.setCredentials(u"root"_s, u"secret"_s);
        HttpClient http(QUrl(fake.url()), u"root"_s, u"wrong"_s);
        const HttpReply wrong =
            http.request("GET", u"/_api/version"_s, {}, {{"x-omit-www-authenticate", "1"}});
        VERIFY_ARANGO_ERROR(wrong, 401, 401, u"not authorized to execute this request"_s);
        QVERIFY(wrong.header("www-authenticate").isEmpty());
        const HttpReply challenged = http.get(u"/_api/version"_s);
        VERIFY_ARANGO_ERROR(challenged, 401, 401, u"not authorized to execute this request"_s);
        QVERIFY(challenged.header("www-authenticate").startsWith("Basic, realm=\"ArangoDB\""));
        http.clearCredentials();
        QCOMPARE(http.get(u"/_db/_system/_api/replication/logger-state"_s).status, 401);
        http.setCredentials(u"root"_s, u"secret"_s);
        QCOMPARE(http.get(u"/_api/version"_s).status, 200);
        QCOMPARE(fake.requests().size(), 4);
        fake.setCredentials({}, {});
        http.clearCredentials();
        QCOMPARE(http.get(u"/_api/version"_s).status, 200);
    }

    void unknownDatabasePathAndCommand()
    {
        FakeArango fake(FakeArangoVersion::V3_11_14);
        QVERIFY(fake.listen());
        HttpClient http(QUrl(fake.url()));
        VERIFY_ARANGO_ERROR(http.get(u"/_db/nope/_api/version"_s), 404, 1228,
                            u"database not found"_s);
        VERIFY_ARANGO_ERROR(http.get(u"/_api/nothing"_s), 404, 404,
                            u"unknown path '/_api/nothing'"_s);
        VERIFY_ARANGO_ERROR(http.get(u"/_api/replication/foo"_s), 400, 400,
                            u"invalid command 'foo'"_s);
        VERIFY_ARANGO_ERROR(http.put(u"/_api/replication/inventory"_s), 405, 405,
                            u"method not supported"_s);
        QCOMPARE(http.get(u"/_api/wal/whatever"_s).status, 400);
        for (const QString &cmd : {u"logger-start"_s, u"logger-stop"_s, u"logger-config"_s})
            VERIFY_ARANGO_ERROR(http.put(u"/_api/replication/"_s + cmd), 400, 400,
                                u"invalid command '%1'"_s.arg(cmd));
    }

    void databaseCollectionAndIndexApis()
    {
        FakeArango fake(FakeArangoVersion::V3_11_14);
        QVERIFY(fake.listen());
        fake.createDatabase(u"shop"_s);
        fake.createCollection(u"shop"_s, u"products"_s);
        fake.insert(u"shop"_s, u"products"_s, {{u"name"_s, u"flux"_s}});
        fake.insert(u"shop"_s, u"products"_s, {{u"_key"_s, u"p2"_s}});
        fake.addIndex(u"shop"_s, u"products"_s,
                      {{u"type"_s, u"persistent"_s}, {u"fields"_s, QJsonArray{u"name"_s}}});
        QCOMPARE(fake.count(u"shop"_s, u"products"_s), 2);
        HttpClient http(QUrl(fake.url()));

        QJsonObject o = http.get(u"/_api/database/user"_s).json();
        QCOMPARE(o.value(u"result").toArray(), (QJsonArray{u"_system"_s, u"shop"_s}));
        QCOMPARE(o.value(u"error").toBool(true), false);
        QCOMPARE(o.value(u"code").toInt(), 200);

        o = http.get(u"/_db/shop/_api/collection?excludeSystem=true"_s).json();
        const QJsonArray list = o.value(u"result").toArray();
        QCOMPARE(list.size(), 1);
        QCOMPARE(sortedKeys(list[0].toObject()),
                 (QStringList{u"globallyUniqueId"_s, u"id"_s, u"isSystem"_s, u"name"_s, u"status"_s,
                              u"type"_s}));
        QVERIFY(http.get(u"/_db/shop/_api/collection"_s).json()[u"result"_s].toArray().size() > 1);

        o = http.get(u"/_db/shop/_api/collection/products/count"_s).json();
        QCOMPARE(o.value(u"count").toInt(), 2);
        for (const char *key : {"count", "error", "code", "name", "type", "status", "statusString",
                                "isSystem", "id", "globallyUniqueId", "waitForSync", "keyOptions",
                                "schema", "computedValues", "cacheEnabled", "syncByRevision"})
            QVERIFY2(o.contains(QLatin1String(key)), key);
        QVERIFY(o.value(u"id").isString());
        VERIFY_ARANGO_ERROR(http.get(u"/_db/shop/_api/collection/nope/count"_s), 404, 1203,
                            u"collection or view not found"_s);
        VERIFY_ARANGO_ERROR(http.get(u"/_api/collection/products/count"_s), 404, 1203,
                            u"collection or view not found"_s); // it is in shop, not _system

        o = http.get(u"/_db/shop/_api/index?collection=products"_s).json();
        const QJsonArray indexes = o.value(u"indexes").toArray();
        QCOMPARE(indexes.size(), 2);
        QCOMPARE(indexes[0][u"id"_s].toString(), u"products/0"_s);
        QCOMPARE(indexes[0][u"type"_s].toString(), u"primary"_s);
        QVERIFY(indexes[1][u"id"_s].toString().startsWith(u"products/"));
        QCOMPARE(indexes[1][u"fields"_s].toArray(), QJsonArray{u"name"_s});
        QCOMPARE(o.value(u"identifiers").toObject().size(), 2);
    }

    void batchLifecycle()
    {
        FakeArango fake(FakeArangoVersion::V3_12_10);
        QVERIFY(fake.listen());
        fake.createDatabase(u"shop"_s);
        HttpClient http(QUrl(fake.url()));
        HttpReply r = http.post(u"/_api/replication/batch"_s, QJsonObject{{u"ttl"_s, 30}});
        QCOMPARE(r.status, 200);
        QCOMPARE(sortedKeys(r.json()), (QStringList{u"id"_s, u"lastTick"_s}));
        const QString id = r.json()[u"id"_s].toString();
        QVERIFY(id.toULongLong() > 0);
        QCOMPARE(r.json()[u"lastTick"_s].toString(), tickStr(fake.lastTick()));
        QCOMPARE(fake.openBatches(), 1);
        r = http.put(u"/_api/replication/batch/"_s + id, QJsonObject{{u"ttl"_s, 30}});
        QCOMPARE(r.status, 204);
        QVERIFY(r.body.isEmpty());
        QCOMPARE(http.del(u"/_api/replication/batch/"_s + id).status, 204);
        QCOMPARE(fake.openBatches(), 0);
        VERIFY_ARANGO_ERROR(http.put(u"/_api/replication/batch/"_s + id, QJsonObject{}), 404, 1600,
                            u"cursor not found"_s);
        VERIFY_ARANGO_ERROR(http.del(u"/_api/replication/batch/"_s + id), 404, 1600,
                            u"cursor not found"_s);

        r = http.post(u"/_db/shop/_api/replication/batch?state=true"_s,
                      QJsonObject{{u"ttl"_s, 30}});
        QCOMPARE(r.status, 200);
        QCOMPARE(sortedKeys(r.json()[u"state"_s].toObject()),
                 (QStringList{u"clients"_s, u"server"_s, u"state"_s}));
        QCOMPARE(
            http.del(u"/_db/shop/_api/replication/batch/"_s + r.json()[u"id"_s].toString()).status,
            204);

        // TTL: a batch nobody uses expires; each inventory or dump call extends it.
        r = http.post(u"/_api/replication/batch"_s, QJsonObject{{u"ttl"_s, 1}});
        const QString shortLived = r.json()[u"id"_s].toString();
        r = http.post(u"/_api/replication/batch"_s, QJsonObject{{u"ttl"_s, 3}});
        QElapsedTimer created;
        created.start();
        const QString used = r.json()[u"id"_s].toString();
        QCOMPARE(fake.openBatches(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(fake.openBatches(), 1, 2900); // the 1 s one expired
        VERIFY_ARANGO_ERROR(http.put(u"/_api/replication/batch/"_s + shortLived, QJsonObject{}),
                            404, 1600, u"cursor not found"_s);
        QCOMPARE(http.get(u"/_api/replication/inventory?batchId="_s + used).status, 200);
        // Past the batch's first TTL (3 s): only the inventory call's extension keeps it.
        QTRY_VERIFY_WITH_TIMEOUT(created.elapsed() > 3500, 6000);
        QCOMPARE(http.get(u"/_api/replication/inventory?batchId="_s + used).status, 200);
        QCOMPARE(http.del(u"/_api/replication/batch/"_s + used).status, 204);
        QCOMPARE(fake.openBatches(), 0);
        QVERIFY(fake.writes().isEmpty()); // batches change no data
    }

    void inventory()
    {
        FakeArango fake(FakeArangoVersion::V3_11_14);
        QVERIFY(fake.listen());
        fake.createDatabase(u"shop"_s);
        fake.createCollection(u"shop"_s, u"zeta"_s);
        fake.createCollection(u"shop"_s, u"links"_s, 3);
        fake.createCollection(u"shop"_s, u"alpha"_s);
        fake.addIndex(u"shop"_s, u"alpha"_s,
                      {{u"type"_s, u"persistent"_s}, {u"fields"_s, QJsonArray{u"name"_s}}});
        HttpClient http(QUrl(fake.url()));
        VERIFY_ARANGO_ERROR(http.get(u"/_db/shop/_api/replication/inventory"_s), 404, 1600,
                            u"batchId not specified"_s);
        VERIFY_ARANGO_ERROR(http.get(u"/_db/shop/_api/replication/inventory?batchId=999999999"_s),
                            404, 1600, u"context was not found"_s);
        const HttpReply b = http.post(u"/_db/shop/_api/replication/batch"_s, QJsonObject{});
        const QString batch = b.json()[u"id"_s].toString();
        const QString base = u"/_db/shop/_api/replication/inventory?batchId="_s + batch;

        HttpReply r = http.get(base + u"&includeSystem=false"_s);
        QCOMPARE(r.status, 200);
        QVERIFY(r.header("x-arango-replication-lastincluded").isEmpty());
        QJsonObject inv = r.json();
        QCOMPARE(sortedKeys(inv), (QStringList{u"collections"_s, u"properties"_s, u"state"_s,
                                               u"tick"_s, u"views"_s}));
        const QJsonObject state = inv[u"state"_s].toObject();
        QCOMPARE(sortedKeys(state), (QStringList{u"lastLogTick"_s, u"lastUncommittedLogTick"_s,
                                                 u"running"_s, u"time"_s, u"totalEvents"_s}));
        QCOMPARE(state[u"lastLogTick"_s].toString(), b.json()[u"lastTick"_s].toString());
        QVERIFY(state[u"totalEvents"_s].isDouble());
        QVERIFY(QRegularExpression(u"^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$"_s)
                    .match(state[u"time"_s].toString())
                    .hasMatch());
        QVERIFY(inv[u"tick"_s].isString());
        QCOMPARE(inv[u"views"_s].toArray(), QJsonArray());
        QCOMPARE(inv[u"properties"_s][u"name"_s].toString(), u"shop"_s);
        QStringList names;
        for (const QJsonValue &c : inv[u"collections"_s].toArray()) {
            QCOMPARE(sortedKeys(c.toObject()), (QStringList{u"indexes"_s, u"parameters"_s}));
            const QJsonObject p = c[u"parameters"_s].toObject();
            names << p[u"name"_s].toString();
            QVERIFY(p[u"cid"_s].isString());
            QCOMPARE(p[u"id"_s].toString(), p[u"cid"_s].toString());
            QVERIFY(QRegularExpression(u"^h[0-9A-F]{12}/"_s + p[u"cid"_s].toString() + u'$')
                        .match(p[u"globallyUniqueId"_s].toString())
                        .hasMatch());
            QCOMPARE(p[u"deleted"_s].toBool(true), false);
            QCOMPARE(p[u"isSystem"_s].toBool(true), false);
        }
        QCOMPARE(names, (QStringList{u"alpha"_s, u"zeta"_s, u"links"_s})); // documents first
        const QJsonArray alphaIndexes = inv[u"collections"_s][0][u"indexes"_s].toArray();
        QCOMPARE(alphaIndexes.size(), 1);                               // no primary index
        QVERIFY(alphaIndexes[0][u"id"_s].toString().toULongLong() > 0); // a bare id

        // includeSystem defaults to true; _jobs/_queues only with includeFoxxQueues.
        names.clear();
        for (const QJsonValue &c : http.get(base).json()[u"collections"_s].toArray())
            names << c[u"parameters"_s][u"name"_s].toString();
        QVERIFY(names.contains(u"_graphs"_s));
        QVERIFY(!names.contains(u"_queues"_s));
        QVERIFY(http.get(base + u"&includeFoxxQueues=true"_s).body.contains("\"_queues\""));
        // collection=: only that one, no properties.
        inv = http.get(base + u"&collection=zeta"_s).json();
        QCOMPARE(inv[u"collections"_s].toArray().size(), 1);
        QVERIFY(!inv.contains(u"properties"_s));

        VERIFY_ARANGO_ERROR(http.get(base + u"&global=true"_s), 403, 11,
                            u"global inventory can only be created from within _system database"_s);
        inv = http.get(u"/_api/replication/inventory?global=true&batchId="_s + batch).json();
        QCOMPARE(sortedKeys(inv), (QStringList{u"databases"_s, u"state"_s, u"tick"_s}));
        const QJsonObject dbs = inv[u"databases"_s].toObject();
        QCOMPARE(sortedKeys(dbs), (QStringList{u"_system"_s, u"shop"_s}));
        QCOMPARE(sortedKeys(dbs[u"shop"_s].toObject()),
                 (QStringList{u"collections"_s, u"id"_s, u"name"_s, u"properties"_s, u"views"_s}));
        QVERIFY(dbs[u"shop"_s][u"id"_s].isString());
    }

    void dumpErrors()
    {
        FakeArango fake(FakeArangoVersion::V3_11_14);
        QVERIFY(fake.listen());
        fake.createCollection(u"_system"_s, u"products"_s);
        HttpClient http(QUrl(fake.url()));
        const QString batch =
            http.post(u"/_api/replication/batch"_s, QJsonObject{}).json()[u"id"_s].toString();
        VERIFY_ARANGO_ERROR(http.get(u"/_api/replication/dump?collection=products"_s), 404, 400,
                            u"replication dump - request misses batchId"_s);
        VERIFY_ARANGO_ERROR(
            http.get(u"/_api/replication/dump?collection=products&batchId=999999999"_s), 404, 400,
            u"replication dump - unable to find context (it could be expired)"_s);
        VERIFY_ARANGO_ERROR(http.get(u"/_api/replication/dump?batchId="_s + batch), 400, 400,
                            u"invalid collection parameter"_s);
        VERIFY_ARANGO_ERROR(http.get(u"/_api/replication/dump?collection=nope&batchId="_s + batch),
                            400, 400, u"replication dump - bad parameter"_s);
    }

    void dumpContinuesOverTheBatchSnapshot()
    {
        FakeArango fake(FakeArangoVersion::V3_12_10);
        QVERIFY(fake.listen());
        fake.createDatabase(u"shop"_s);
        fake.createCollection(u"shop"_s, u"products"_s);
        QSet<QString> before;
        for (int i = 0; i < 10; ++i)
            before.insert(fake.insert(u"shop"_s, u"products"_s,
                                      {{u"_key"_s, u"p%1"_s.arg(i)}, {u"pad"_s, QString(80, u'x')}})
                              .value(u"_key")
                              .toString());
        HttpClient http(QUrl(fake.url()));
        const QString batch =
            http.post(u"/_db/shop/_api/replication/batch"_s, QJsonObject{{u"ttl"_s, 60}})
                .json()[u"id"_s]
                .toString();
        // Written after the batch: not in its snapshot.
        fake.insert(u"shop"_s, u"products"_s, {{u"_key"_s, u"late"_s}});
        fake.remove(u"shop"_s, u"products"_s, u"p3"_s);

        const QString dump =
            u"/_db/shop/_api/replication/dump?collection=products&chunkSize=300&batchId="_s + batch;
        QSet<QString> seen;
        int calls = 0;
        quint64 lastIncluded = 0;
        HttpReply r;
        for (;;) {
            r = http.get(dump);
            QVERIFY(++calls < 50);
            if (r.status == 204)
                break;
            QCOMPARE(r.status, 200);
            QCOMPARE(r.header("content-type"), QByteArray("application/x-arango-dump"));
            QVERIFY(r.header("x-arango-replication-lasttick").isEmpty());
            const QList<QJsonObject> lines = r.lines();
            QVERIFY(!lines.isEmpty());
            for (const QJsonObject &l : lines) {
                QCOMPARE(sortedKeys(l), (QStringList{u"data"_s, u"type"_s}));
                QCOMPARE(l[u"type"_s].toInt(), 2300);
                const QJsonObject doc = l[u"data"_s].toObject();
                QCOMPARE(doc[u"_id"_s].toString(), u"products/"_s + doc[u"_key"_s].toString());
                QVERIFY(doc[u"_rev"_s].isString());
                QVERIFY(!seen.contains(doc[u"_key"_s].toString()));
                seen.insert(doc[u"_key"_s].toString());
            }
            const quint64 included = r.header("x-arango-replication-lastincluded").toULongLong();
            QVERIFY(included > lastIncluded);
            lastIncluded = included;
            if (r.header("x-arango-replication-checkmore") == "false")
                break;
            QCOMPARE(r.header("x-arango-replication-checkmore"), QByteArray("true"));
        }
        QVERIFY(calls > 2); // it came in chunks
        QCOMPARE(seen, before);
        r = http.get(dump);
        QCOMPARE(r.status, 204);
        QVERIFY(r.body.isEmpty());
        QCOMPARE(r.header("x-arango-replication-checkmore"), QByteArray("false"));
        QCOMPARE(r.header("x-arango-replication-lastincluded"), QByteArray("0"));

        // A second batch sees the current data, from the start; plain documents without the
        // envelope; at least one document per answer however small the chunk.
        const QString second = http.post(u"/_db/shop/_api/replication/batch"_s, QJsonObject{})
                                   .json()[u"id"_s]
                                   .toString();
        r = http.get(u"/_db/shop/_api/replication/dump?collection=products&useEnvelope=false"
                     "&chunkSize=1&batchId="_s +
                     second);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.lines().size(), 1);
        QVERIFY(r.lines()[0].contains(u"_key"_s));
        QVERIFY(!r.lines()[0].contains(u"type"_s));
        r = http.get(u"/_db/shop/_api/replication/dump?collection=products&batchId="_s + second);
        QCOMPARE(r.lines().size(), 9 + 1 - 1); // 10 - p3 + late, one already sent
        QCOMPARE(r.header("x-arango-replication-checkmore"), QByteArray("false"));
        QVERIFY(r.body.contains("\"late\""));
    }

    void walTail()
    {
        FakeArango fake(FakeArangoVersion::V3_11_14);
        QVERIFY(fake.listen());
        fake.createDatabase(u"shop"_s);
        const quint64 from = fake.lastTick();
        fake.createCollection(u"shop"_s, u"products"_s);
        fake.insert(u"shop"_s, u"products"_s, {{u"_key"_s, u"p1"_s}});
        fake.insert(u"shop"_s, u"products"_s, {{u"_key"_s, u"p2"_s}});
        fake.remove(u"shop"_s, u"products"_s, u"p1"_s);
        fake.createCollection(u"_system"_s, u"other"_s);
        fake.insert(u"_system"_s, u"other"_s, {{u"_key"_s, u"o1"_s}});
        fake.insert(u"_system"_s, u"_users"_s, {{u"user"_s, u"u"_s}});
        HttpClient http(QUrl(fake.url()));
        const QString since = u"from="_s + tickStr(from);

        HttpReply r = http.get(u"/_db/shop/_api/wal/tail?"_s + since);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("content-type"), QByteArray("application/x-arango-dump"));
        QCOMPARE(r.header("x-arango-replication-active"), QByteArray());
        QList<QJsonObject> lines = r.lines();
        QList<int> types;
        for (const QJsonObject &l : lines)
            types << l[u"type"_s].toInt();
        QCOMPARE(types, (QList<int>{2000, 2300, 2300, 2302}));
        QCOMPARE(sortedKeys(lines[0]),
                 (QStringList{u"cuid"_s, u"data"_s, u"db"_s, u"tick"_s, u"type"_s}));
        QCOMPARE(sortedKeys(lines[1]),
                 (QStringList{u"cuid"_s, u"data"_s, u"db"_s, u"tick"_s, u"tid"_s, u"type"_s}));
        QCOMPARE(lines[1][u"tid"_s].toString(), u"0"_s);
        QCOMPARE(lines[1][u"db"_s].toString(), u"shop"_s);
        QCOMPARE(lines[1][u"data"_s][u"_key"_s].toString(), u"p1"_s);
        QCOMPARE(sortedKeys(lines[3][u"data"_s].toObject()), (QStringList{u"_key"_s, u"_rev"_s}));
        QCOMPARE(lines[0][u"data"_s][u"name"_s].toString(), u"products"_s);
        QCOMPARE(lines[0][u"cuid"_s].toString(),
                 lines[0][u"data"_s][u"globallyUniqueId"_s].toString());
        QCOMPARE(r.header("x-arango-replication-lastincluded"),
                 lines.last()[u"tick"_s].toString().toUtf8());
        QCOMPARE(r.header("x-arango-replication-checkmore"), QByteArray("true")); // later markers
        QCOMPARE(r.header("x-arango-replication-lasttick"), QByteArray::number(fake.lastTick()));

        // _system: only its own non-system markers; includeSystem and global widen that.
        r = http.get(u"/_api/wal/tail?"_s + since);
        QCOMPARE(r.lines().size(), 2);
        QCOMPARE(r.header("x-arango-replication-checkmore"), QByteArray("true"));
        QCOMPARE(http.get(u"/_api/wal/tail?includeSystem=true&"_s + since).lines().size(), 3);
        r = http.get(u"/_api/wal/tail?global=true&"_s + since);
        QCOMPARE(r.lines().size(), 6);
        QCOMPARE(r.header("x-arango-replication-checkmore"), QByteArray("true"));
        VERIFY_ARANGO_ERROR(http.get(u"/_db/shop/_api/wal/tail?global=true"_s), 403, 11,
                            u"global tailing is only possible from within _system database"_s);
        VERIFY_ARANGO_ERROR(http.get(u"/_api/wal/tail?from=10&to=5"_s), 400, 400,
                            u"invalid from/to values"_s);
        VERIFY_ARANGO_ERROR(http.get(u"/_db/shop/_api/wal/tail?collection=nope"_s), 404, 1203,
                            u"collection or view not found"_s);

        // Chunks: one marker per answer; the client follows lastincluded.
        QList<QString> ticks;
        quint64 next = from;
        for (int i = 0; i < 20; ++i) {
            r = http.get(u"/_api/wal/tail?global=true&chunkSize=1&from="_s + tickStr(next));
            QCOMPARE(r.header("x-arango-replication-frompresent"), QByteArray("true"));
            if (r.status == 204)
                break;
            QCOMPARE(r.lines().size(), 1);
            ticks << r.lines()[0][u"tick"_s].toString();
            next = r.header("x-arango-replication-lastincluded").toULongLong();
        }
        QCOMPARE(ticks.size(), 6);
        QCOMPARE(r.status, 204);
        QCOMPARE(r.header("content-type"), QByteArray("application/x-arango-dump"));
        QCOMPARE(r.header("x-arango-replication-lastincluded"), QByteArray("0"));
        QCOMPARE(r.header("x-arango-replication-checkmore"), QByteArray("false"));
        QCOMPARE(replicationHeaderNames(r.headers).size(), 5);

        // A dropped collection leaves only its drop marker (RocksDB reads the rest as gone).
        fake.dropCollection(u"shop"_s, u"products"_s);
        lines = http.get(u"/_db/shop/_api/wal/tail?"_s + since).lines();
        QCOMPARE(lines.size(), 1);
        QCOMPARE(lines[0][u"type"_s].toInt(), 2001);
        QCOMPARE(sortedKeys(lines[0]), (QStringList{u"cuid"_s, u"db"_s, u"tick"_s, u"type"_s}));

        // WAL range, last tick, retention.
        QJsonObject o = http.get(u"/_api/wal/lastTick"_s).json();
        QCOMPARE(o[u"tick"_s].toString(), tickStr(fake.lastTick()));
        o = http.get(u"/_db/shop/_api/wal/range"_s).json();
        QCOMPARE(o[u"tickMax"_s].toString(), tickStr(fake.lastTick()));
        fake.pruneWal(from + 2);
        QCOMPARE(http.get(u"/_api/wal/range"_s).json()[u"tickMin"_s].toString(), tickStr(from + 3));
        QCOMPARE(http.get(u"/_api/wal/tail?"_s + since).header("x-arango-replication-frompresent"),
                 QByteArray("false"));
        r = http.get(u"/_api/wal/open-transactions"_s);
        QCOMPARE(r.status, 204);
    }

    void loggerFollowOldLayout()
    {
        FakeArango fake(FakeArangoVersion::V3_11_14);
        QVERIFY(fake.listen());
        fake.createDatabase(u"shop"_s);
        fake.createCollection(u"shop"_s, u"products"_s);
        const quint64 from = fake.lastTick();
        fake.insert(u"shop"_s, u"products"_s, {{u"_key"_s, u"p1"_s}});
        HttpClient http(QUrl(fake.url()));
        const HttpReply r =
            http.get(u"/_db/shop/_api/replication/logger-follow?from="_s + tickStr(from));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("x-arango-replication-active"), QByteArray("true"));
        const QList<QJsonObject> lines = r.lines();
        QCOMPARE(lines.size(), 1);
        QCOMPARE(sortedKeys(lines[0]), (QStringList{u"cid"_s, u"cname"_s, u"data"_s, u"database"_s,
                                                    u"tick"_s, u"tid"_s, u"type"_s}));
        QCOMPARE(lines[0][u"cname"_s].toString(), u"products"_s);
        QVERIFY(lines[0][u"database"_s].toString().toULongLong() > 1);
    }

    void removedIn31210AnswerInvalidCommand_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("command");
        const std::pair<const char *, QString> routes[] = {
            {"GET", u"applier-config"_s},    {"PUT", u"applier-config"_s},
            {"PUT", u"applier-start"_s},     {"PUT", u"applier-stop"_s},
            {"GET", u"applier-state"_s},     {"GET", u"applier-state-all"_s},
            {"PUT", u"make-follower"_s},     {"GET", u"logger-follow"_s},
            {"GET", u"logger-first-tick"_s}, {"GET", u"logger-tick-ranges"_s},
            {"GET", u"logger-last"_s},       {"GET", u"server-id"_s},
            {"PUT", u"server-id"_s},         {"PUT", u"sync"_s},
            {"PUT", u"logger-start"_s},      {"PUT", u"logger-stop"_s},
            {"GET", u"logger-config"_s}};
        for (const auto &[method, command] : routes)
            QTest::addRow("%s %s", method, qPrintable(command)) << QByteArray(method) << command;
    }

    void removedIn31210AnswerInvalidCommand()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, command);
        FakeArango fake(FakeArangoVersion::V3_12_10);
        QVERIFY(fake.listen());
        fake.createCollection(u"_system"_s, u"products"_s);
        fake.insert(u"_system"_s, u"products"_s, {});
        HttpClient http(QUrl(fake.url()));
        const QByteArray body = method == "PUT" ? "{\"endpoint\":\"tcp://x:8529\"}" : "";
        for (const QString &prefix : {QString(), u"/_db/_system"_s})
            VERIFY_ARANGO_ERROR(
                http.request(method, prefix + u"/_api/replication/"_s + command, body), 400, 400,
                u"invalid command '%1'"_s.arg(command));
        QCOMPARE(fake.count(u"_system"_s, u"products"_s), 1); // sync purged nothing
        QCOMPARE(fake.syncCalls(), 0);
        QCOMPARE(fake.writes().size(), method == "PUT" ? 2 : 0);
        // What 3.12.10 still has.
        QCOMPARE(http.get(u"/_api/replication/logger-state"_s).status, 200);
        QCOMPARE(http.get(u"/_api/wal/tail?from="_s + tickStr(fake.lastTick())).status, 204);
    }

    void sync311PurgesTheCollectionsThatTakePart()
    {
        FakeArango fake(FakeArangoVersion::V3_11_14);
        QVERIFY(fake.listen());
        fake.createDatabase(u"shop"_s);
        for (const QString &c : {u"products"_s, u"orders"_s, u"_graphs"_s, u"kept"_s}) {
            if (c == u"products" || c == u"orders" || c == u"kept")
                fake.createCollection(u"shop"_s, c);
            fake.insert(u"shop"_s, c, {});
            fake.insert(u"shop"_s, c, {});
        }
        fake.createCollection(u"_system"_s, u"products"_s);
        fake.insert(u"_system"_s, u"products"_s, {});
        HttpClient http(QUrl(fake.url()));
        const QString sync = u"/_db/shop/_api/replication/sync"_s;
        const QJsonObject leader{{u"endpoint"_s, u"tcp://leader:8529"_s}};

        VERIFY_ARANGO_ERROR(http.put(sync, QJsonObject{}), 400, 400,
                            u"<endpoint> must be a valid endpoint"_s);
        QJsonObject bad = leader;
        bad.insert(u"restrictType"_s, u"include"_s);
        VERIFY_ARANGO_ERROR(http.put(sync, bad), 400, 1410,
                            u"invalid value for <restrictCollections> or <restrictType>"_s);
        VERIFY_ARANGO_ERROR(http.put(sync + u"?global=true"_s, leader), 403, 11,
                            u"global inventory can only be created from within _system database"_s);
        QCOMPARE(fake.count(u"shop"_s, u"products"_s), 2);

        // dryRun is not an ArangoDB field: ignored, the purge happens.
        QJsonObject only = leader;
        only.insert(u"dryRun"_s, true);
        only.insert(u"restrictType"_s, u"include"_s);
        only.insert(u"restrictCollections"_s, QJsonArray{u"products"_s});
        HttpReply r = http.put(sync, only);
        QCOMPARE(r.status, 200);
        QCOMPARE(sortedKeys(r.json()), (QStringList{u"collections"_s, u"lastLogTick"_s}));
        QVERIFY(r.json()[u"lastLogTick"_s].isString());
        const QJsonArray purged = r.json()[u"collections"_s].toArray();
        QCOMPARE(purged.size(), 1);
        QCOMPARE(sortedKeys(purged[0].toObject()), (QStringList{u"id"_s, u"name"_s}));
        QCOMPARE(purged[0][u"name"_s].toString(), u"products"_s);
        QCOMPARE(fake.count(u"shop"_s, u"products"_s), 0);
        QCOMPARE(fake.count(u"shop"_s, u"orders"_s), 2);

        QJsonObject exclude = leader;
        exclude.insert(u"includeSystem"_s, false);
        exclude.insert(u"restrictType"_s, u"exclude"_s);
        exclude.insert(u"restrictCollections"_s, QJsonArray{u"kept"_s});
        QCOMPARE(http.put(sync, exclude).status, 200);
        QCOMPARE(fake.count(u"shop"_s, u"orders"_s), 0);
        QCOMPARE(fake.count(u"shop"_s, u"kept"_s), 2);
        QCOMPARE(fake.count(u"shop"_s, u"_graphs"_s), 2); // includeSystem=false
        QCOMPARE(http.put(sync, leader).status, 200);     // includeSystem defaults to true
        QCOMPARE(fake.count(u"shop"_s, u"_graphs"_s), 0);
        QCOMPARE(fake.count(u"shop"_s, u"kept"_s), 0);
        QCOMPARE(fake.count(u"_system"_s, u"products"_s), 1); // another database

        QCOMPARE(fake.syncCalls(), 6);
        QCOMPARE(fake.writes().size(), 6);
        for (const FakeArango::Recorded &w : fake.writes())
            QCOMPARE(w.path, sync);
    }

    void applier311()
    {
        FakeArango fake(FakeArangoVersion::V3_11_14);
        QVERIFY(fake.listen());
        fake.createDatabase(u"shop"_s);
        HttpClient http(QUrl(fake.url()));

        fake.setApplierState({}, true, 100, 120);
        QJsonObject o = http.get(u"/_api/replication/applier-state?global=true"_s).json();
        QVERIFY(!o.contains(u"database"_s));
        QCOMPARE(o[u"state"_s][u"running"_s].toBool(), true);
        QCOMPARE(o[u"state"_s][u"phase"_s].toString(), u"running"_s);
        QCOMPARE(o[u"state"_s][u"lastAppliedContinuousTick"_s].toString(), u"100"_s);
        QCOMPARE(o[u"state"_s][u"lastAvailableContinuousTick"_s].toString(), u"120"_s);
        QCOMPARE(o[u"state"_s][u"ticksBehind"_s].toInt(), 20);
        QCOMPARE(o[u"server"_s][u"serverId"_s].toString(), fake.serverId());
        VERIFY_ARANGO_ERROR(http.get(u"/_db/shop/_api/replication/applier-state?global=true"_s),
                            403, 11,
                            u"global inventory can only be created from within _system database"_s);
        // The per-database applier is another one.
        o = http.get(u"/_api/replication/applier-state"_s).json();
        QCOMPARE(o[u"state"_s][u"running"_s].toBool(true), false);
        QVERIFY(o[u"state"_s][u"lastAppliedContinuousTick"_s].isNull());

        VERIFY_ARANGO_ERROR(http.put(u"/_db/shop/_api/replication/applier-start"_s), 400, 1410,
                            u"no endpoint configured"_s);
        HttpReply r = http.put(u"/_db/shop/_api/replication/applier-config"_s,
                               QJsonObject{{u"endpoint"_s, u"tcp://leader:8529"_s},
                                           {u"username"_s, u"repl"_s},
                                           {u"password"_s, u"secret"_s},
                                           {u"chunkSize"_s, 4096}});
        QCOMPARE(r.status, 200);
        QVERIFY(!r.json().contains(u"password"_s));
        QCOMPARE(r.json()[u"database"_s].toString(), u"shop"_s);
        QCOMPARE(r.json()[u"chunkSize"_s].toInt(), 4096);
        QVERIFY(!http.get(u"/_db/shop/_api/replication/applier-config"_s).body.contains("secret"));
        r = http.put(u"/_db/shop/_api/replication/applier-start?from=42"_s);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json()[u"state"_s][u"running"_s].toBool(), true);
        QCOMPARE(r.json()[u"state"_s][u"lastAppliedContinuousTick"_s].toString(), u"42"_s);
        QCOMPARE(r.json()[u"endpoint"_s].toString(), u"tcp://leader:8529"_s);
        QCOMPARE(r.json()[u"database"_s].toString(), u"shop"_s);
        VERIFY_ARANGO_ERROR(http.put(u"/_db/shop/_api/replication/applier-config"_s,
                                     QJsonObject{{u"chunkSize"_s, 1}}),
                            400, 1411, u"cannot perform operation while applier is running"_s);
        r = http.put(u"/_db/shop/_api/replication/applier-stop"_s);
        QCOMPARE(r.json()[u"state"_s][u"running"_s].toBool(true), false);

        fake.setApplierState(u"shop"_s, false, 50, 60, 1402, u"leader went away"_s);
        const QJsonObject lastError = http.get(u"/_db/shop/_api/replication/applier-state"_s)
                                          .json()[u"state"_s][u"lastError"_s]
                                          .toObject();
        QCOMPARE(lastError[u"errorNum"_s].toInt(), 1402);
        QCOMPARE(lastError[u"errorMessage"_s].toString(), u"leader went away"_s);
        QVERIFY(lastError[u"time"_s].isString());

        o = http.get(u"/_api/replication/applier-state-all"_s).json();
        QCOMPARE(sortedKeys(o), (QStringList{u"_system"_s, u"shop"_s}));
        QCOMPARE(o[u"shop"_s][u"database"_s].toString(), u"shop"_s);
        VERIFY_ARANGO_ERROR(http.get(u"/_db/shop/_api/replication/applier-state-all"_s), 403, 11,
                            u"global inventory can only be fetched from within _system database"_s);
        QCOMPARE(http.get(u"/_api/replication/server-id"_s).json()[u"serverId"_s].toString(),
                 fake.serverId());
    }

    void writesAreClassified()
    {
        FakeArango fake(FakeArangoVersion::V3_11_14);
        QVERIFY(fake.listen());
        fake.createDatabase(u"shop"_s);
        HttpClient http(QUrl(fake.url()));
        const QString a =
            http.post(u"/_api/replication/batch"_s, QJsonObject{}).json()[u"id"_s].toString();
        const QString b = http.post(u"/_db/shop/_api/replication/batch"_s, QJsonObject{})
                              .json()[u"id"_s]
                              .toString();
        http.put(u"/_api/replication/batch/"_s + a, QJsonObject{});
        http.get(u"/_api/replication/inventory?batchId="_s + a);
        http.del(u"/_api/replication/batch/"_s + a);
        http.del(u"/_db/shop/_api/replication/batch/"_s + b);
        http.get(u"/_api/replication/logger-state"_s);
        http.put(u"/_db/shop/_api/replication/applier-config"_s,
                 QJsonObject{{u"endpoint"_s, u"tcp://l:1"_s}});
        http.put(u"/_db/shop/_api/replication/applier-start"_s);
        http.patch(u"/_api/replication/batch/"_s + a, "{}");
        http.put(u"/_db/shop/_api/replication/sync"_s,
                 QJsonObject{{u"endpoint"_s, u"tcp://l:1"_s}});
        http.del(u"/_db/shop/_api/replication/applier-state"_s);

        QCOMPARE(fake.requests().size(), 12);
        QCOMPARE(fake.requests()[3].query, u"batchId="_s + a);
        QCOMPARE(fake.requests()[7].body, QByteArray("{\"endpoint\":\"tcp://l:1\"}"));
        QStringList writes;
        for (const FakeArango::Recorded &w : fake.writes())
            writes << QString::fromLatin1(w.method) + u' ' + w.path;
        QCOMPARE(writes, (QStringList{u"PUT /_db/shop/_api/replication/applier-config"_s,
                                      u"PUT /_db/shop/_api/replication/applier-start"_s,
                                      u"PATCH /_api/replication/batch/"_s + a,
                                      u"PUT /_db/shop/_api/replication/sync"_s,
                                      u"DELETE /_db/shop/_api/replication/applier-state"_s}));
        fake.clearRequests();
        QVERIFY(fake.requests().isEmpty());
        QVERIFY(fake.writes().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestFakeArango)
#include "tst_fake_arango.moc"
