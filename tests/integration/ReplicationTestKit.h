// Shared pieces of the applier and sync integration tests: whole-state snapshots of a server
// (every collection, its properties, indexes and live documents, read over HTTP), applier
// helpers and a scripted fake leader. Header-only: each test executable includes it.
#pragma once

#include "support/HttpClient.h"
#include "support/ServerProcess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>

#include <algorithm>
#include <functional>

namespace repl::test {

inline QString endpointOf(const ServerProcess &s)
{
    return QStringLiteral("tcp://127.0.0.1:%1").arg(s.port());
}

inline QString statusText(const HttpReply &r)
{
    return QStringLiteral("HTTP %1 %2 %3")
        .arg(r.status)
        .arg(r.networkError, QString::fromUtf8(r.body.left(400)));
}

// ---------------------------------------------------------------------------------------------
// Whole-state snapshots

struct CollectionSnapshot
{
    int type = 0;
    bool waitForSync = false;
    QStringList indexes; // "type [fields] unique=… sparse=…", sorted; ids differ
    QMap<QString, QJsonObject> documents; // _key → the whole document (_key, _id, _rev, body)
};

struct StateSnapshot
{
    QMap<QString, CollectionSnapshot> collections;
    QString error; // non-empty: the snapshot could not be taken completely

    qint64 documentCount() const
    {
        qint64 n = 0;
        for (const CollectionSnapshot &c : collections)
            n += c.documents.size();
        return n;
    }
};

inline QString indexSignature(const QJsonObject &i)
{
    QStringList fields;
    for (const QJsonValue &f : i.value(QStringLiteral("fields")).toArray())
        fields << f.toString();
    return QStringLiteral("%1 [%2] unique=%3 sparse=%4")
        .arg(i.value(QStringLiteral("type")).toString(), fields.join(u','))
        .arg(i.value(QStringLiteral("unique")).toBool())
        .arg(i.value(QStringLiteral("sparse")).toBool());
}

// "/_db/{name}" in front of API paths, or nothing for the default database.
inline QString dbPrefix(const QString &database)
{
    return database.isEmpty() ? QString() : QStringLiteral("/_db/") + database;
}

// Reads every collection (system ones only when asked), its properties, indexes and live
// documents via the dump; cross-checks the dump against /count and each line's key/rev
// against its data.
inline StateSnapshot snapshot(HttpClient &http, bool includeSystem = false,
                              const QString &database = {})
{
    StateSnapshot s;
    const QString db = dbPrefix(database);
    const HttpReply list = http.get(db + QStringLiteral("/_api/collection"));
    if (list.status != 200) {
        s.error = QStringLiteral("GET /_api/collection: ") + statusText(list);
        return s;
    }
    for (const QJsonValue &v : list.json().value(QStringLiteral("result")).toArray()) {
        const QJsonObject c = v.toObject();
        const QString name = c.value(QStringLiteral("name")).toString();
        if (!includeSystem && c.value(QStringLiteral("isSystem")).toBool())
            continue;
        if (name == u"_replicator")
            continue; // each server's own replication jobs: never replicated
        CollectionSnapshot &cs = s.collections[name];
        cs.type = c.value(QStringLiteral("type")).toInt();
        cs.waitForSync = http.get(db + QStringLiteral("/_api/collection/%1/properties").arg(name))
                             .json()
                             .value(QStringLiteral("waitForSync"))
                             .toBool();
        const HttpReply idx = http.get(db + QStringLiteral("/_api/index?collection=") + name);
        if (idx.status != 200) {
            s.error = QStringLiteral("indexes of %1: %2").arg(name, statusText(idx));
            return s;
        }
        for (const QJsonValue &i : idx.json().value(QStringLiteral("indexes")).toArray())
            cs.indexes << indexSignature(i.toObject());
        cs.indexes.sort();
        QString from = QStringLiteral("0");
        for (int round = 0;; ++round) {
            if (round > 10000) {
                s.error = QStringLiteral("dump of %1 does not end").arg(name);
                return s;
            }
            const HttpReply d = http.get(
                db + QStringLiteral("/_api/replication/dump?collection=%1&from=%2&chunkSize="
                                    "4194304&includeSystem=true")
                         .arg(name, from));
            if (d.status == 204)
                break;
            if (d.status != 200) {
                s.error = QStringLiteral("dump of %1: %2").arg(name, statusText(d));
                return s;
            }
            for (const QJsonObject &line : d.lines()) {
                const QString key = line.value(QStringLiteral("key")).toString();
                const QJsonObject data = line.value(QStringLiteral("data")).toObject();
                const int type = line.value(QStringLiteral("type")).toInt();
                if (type == 2302) {
                    cs.documents.remove(key);
                    continue;
                }
                if (data.value(QStringLiteral("_key")).toString() != key ||
                    data.value(QStringLiteral("_rev")).toString() !=
                        line.value(QStringLiteral("rev")).toString()) {
                    s.error = QStringLiteral("dump line of %1 disagrees with its data: %2")
                                  .arg(name, QString::fromUtf8(QJsonDocument(line).toJson(
                                                 QJsonDocument::Compact)));
                    return s;
                }
                cs.documents.insert(key, data);
            }
            const QString next = QString::fromUtf8(d.header("x-arango-replication-lastincluded"));
            if (d.header("x-arango-replication-checkmore") != "true" || next == from)
                break;
            from = next;
        }
        const HttpReply count =
            http.get(db + QStringLiteral("/_api/collection/%1/count").arg(name));
        const qint64 n = qint64(count.json().value(QStringLiteral("count")).toDouble(-1));
        if (n != cs.documents.size()) {
            s.error = QStringLiteral("%1: /count says %2, the dump holds %3 live documents")
                          .arg(name)
                          .arg(n)
                          .arg(cs.documents.size());
            return s;
        }
    }
    return s;
}

// "" when equal; otherwise the first differences, readable.
inline QString diff(const StateSnapshot &expected, const StateSnapshot &actual)
{
    QStringList out;
    auto note = [&](const QString &s) {
        if (out.size() < 12)
            out << s;
    };
    if (!expected.error.isEmpty())
        note(QStringLiteral("expected side: ") + expected.error);
    if (!actual.error.isEmpty())
        note(QStringLiteral("actual side: ") + actual.error);
    const QStringList en = expected.collections.keys(), an = actual.collections.keys();
    if (en != an)
        note(QStringLiteral("collections differ: expected [%1], actual [%2]")
                 .arg(en.join(u','), an.join(u',')));
    for (auto it = expected.collections.cbegin(); it != expected.collections.cend(); ++it) {
        if (!actual.collections.contains(it.key()))
            continue;
        const CollectionSnapshot &e = it.value();
        const CollectionSnapshot &a = actual.collections[it.key()];
        if (e.type != a.type)
            note(QStringLiteral("%1: type %2 vs %3").arg(it.key()).arg(e.type).arg(a.type));
        if (e.waitForSync != a.waitForSync)
            note(QStringLiteral("%1: waitForSync %2 vs %3")
                     .arg(it.key())
                     .arg(e.waitForSync)
                     .arg(a.waitForSync));
        if (e.indexes != a.indexes)
            note(QStringLiteral("%1: indexes {%2} vs {%3}")
                     .arg(it.key(), e.indexes.join(u';'), a.indexes.join(u';')));
        if (e.documents.size() != a.documents.size())
            note(QStringLiteral("%1: %2 documents vs %3")
                     .arg(it.key())
                     .arg(e.documents.size())
                     .arg(a.documents.size()));
        for (auto d = e.documents.cbegin(); d != e.documents.cend(); ++d) {
            const auto other = a.documents.constFind(d.key());
            if (other == a.documents.cend())
                note(QStringLiteral("%1/%2 missing").arg(it.key(), d.key()));
            else if (other.value() != d.value())
                note(QStringLiteral("%1/%2: %3 vs %4")
                         .arg(it.key(), d.key(),
                              QString::fromUtf8(
                                  QJsonDocument(d.value()).toJson(QJsonDocument::Compact)),
                              QString::fromUtf8(
                                  QJsonDocument(other.value()).toJson(QJsonDocument::Compact))));
        }
        for (auto d = a.documents.cbegin(); d != a.documents.cend(); ++d)
            if (!e.documents.contains(d.key()))
                note(QStringLiteral("%1/%2 is extra").arg(it.key(), d.key()));
    }
    return out.join(QStringLiteral("\n  "));
}

// ---------------------------------------------------------------------------------------------
// Replication helpers

inline QJsonObject applierState(HttpClient &follower, const QString &database = {})
{
    return follower.get(dbPrefix(database) + QStringLiteral("/_api/replication/applier-state"))
        .json()
        .value(QStringLiteral("state"))
        .toObject();
}

inline quint64 tickOf(const QJsonValue &v)
{
    return v.toString().toULongLong();
}

inline quint64 lastLogTick(HttpClient &leader, const QString &database = {})
{
    return tickOf(leader.get(dbPrefix(database) + QStringLiteral("/_api/replication/logger-state"))
                      .json()
                      .value(QStringLiteral("state"))
                      .toObject()
                      .value(QStringLiteral("lastLogTick")));
}

inline QJsonObject syncBody(const QString &endpoint, QJsonObject extra = {})
{
    QJsonObject o{
        {"endpoint", endpoint}, {"username", "root"}, {"password", ServerProcess::password()}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

inline QJsonObject syncBody(const ServerProcess &leader, QJsonObject extra = {})
{
    return syncBody(endpointOf(leader), std::move(extra));
}

// Points the follower's applier at the leader with short retry/idle times.
inline HttpReply configureApplier(HttpClient &follower, const QString &endpoint,
                                  QJsonObject extra = {})
{
    QJsonObject o = syncBody(endpoint);
    o.insert(QStringLiteral("connectionRetryWaitTime"), 0.2);
    o.insert(QStringLiteral("idleMinWaitTime"), 0.05);
    o.insert(QStringLiteral("idleMaxWaitTime"), 0.2);
    for (auto it = extra.begin(); it != extra.end(); ++it)
        o.insert(it.key(), it.value());
    return follower.put(QStringLiteral("/_api/replication/applier-config"), o);
}

inline HttpReply configureApplier(HttpClient &follower, const ServerProcess &leader,
                                  QJsonObject extra = {})
{
    return configureApplier(follower, endpointOf(leader), std::move(extra));
}

// Waits until the follower's applier has applied everything up to `target`; false (and why)
// when it stops or the time runs out.
inline bool waitApplied(HttpClient &follower, quint64 target, int timeoutMs, QString *why,
                        const QString &database = {})
{
    QJsonObject st;
    const bool ok = QTest::qWaitFor(
        [&] {
            st = applierState(follower, database);
            return tickOf(st.value(QStringLiteral("lastAppliedContinuousTick"))) >= target ||
                   !st.value(QStringLiteral("running")).toBool();
        },
        timeoutMs);
    if (ok && tickOf(st.value(QStringLiteral("lastAppliedContinuousTick"))) >= target)
        return true;
    *why = QStringLiteral("applier did not reach tick %1 (%2): %3")
               .arg(target)
               .arg(ok ? QStringLiteral("it stopped") : QStringLiteral("timeout"),
                    QString::fromUtf8(QJsonDocument(st).toJson(QJsonDocument::Compact)));
    return false;
}

inline bool waitStopped(HttpClient &follower, int timeoutMs, QJsonObject *state)
{
    return QTest::qWaitFor(
        [&] {
            *state = applierState(follower);
            return !state->value(QStringLiteral("running")).toBool();
        },
        timeoutMs);
}

// ---------------------------------------------------------------------------------------------
// A scripted leader inside the test process: answers each GET with what `handler` returns, and
// records every request target. For faults a real server cannot be made to show on cue.

class ScriptedLeader : public QObject
{
public:
    struct Answer
    {
        int status = 200; // 0: no answer at all, the connection stays open
        QByteArray body;
        QList<QPair<QByteArray, QByteArray>> headers;
    };
    using Handler = std::function<Answer(const QString &path, const QUrlQuery &query)>;

    explicit ScriptedLeader(Handler handler)
        : m_handler(std::move(handler))
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection())
                serve(s);
        });
    }

    QString endpoint() const
    {
        return QStringLiteral("tcp://127.0.0.1:%1").arg(m_server.serverPort());
    }
    QStringList requests; // request targets, in arrival order

private:
    void serve(QTcpSocket *s)
    {
        auto buffer = std::make_shared<QByteArray>();
        connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
        connect(s, &QTcpSocket::readyRead, s, [this, s, buffer] {
            *buffer += s->readAll();
            if (!buffer->contains("\r\n\r\n"))
                return; // GET requests only: the head is the whole request
            const QString target =
                QString::fromUtf8(buffer->left(buffer->indexOf("\r\n")).split(' ').value(1));
            buffer->clear();
            requests << target;
            const QUrl url(target);
            const Answer a = m_handler(url.path(), QUrlQuery(url));
            if (a.status == 0)
                return; // never answer: a leader that hangs mid-request
            QByteArray out = "HTTP/1.1 " + QByteArray::number(a.status) +
                             " X\r\nContent-Type: application/json\r\nContent-Length: " +
                             QByteArray::number(a.body.size()) + "\r\nConnection: close\r\n";
            for (const auto &h : a.headers)
                out += h.first + ": " + h.second + "\r\n";
            s->write(out + "\r\n" + a.body);
            s->disconnectFromHost();
        });
    }

    Handler m_handler;
    QTcpServer m_server;
};

// ---------------------------------------------------------------------------------------------
// Test steps shared by the executables (QVERIFY inside: check QTest::currentTestFailed()).

inline void syncAndStart(HttpClient &f, const ServerProcess &leader, QJsonObject config = {})
{
    HttpReply r = f.put(QStringLiteral("/_api/replication/sync"), syncBody(leader));
    QVERIFY2(r.status == 200, qPrintable(statusText(r)));
    r = configureApplier(f, leader, std::move(config));
    QVERIFY2(r.status == 200, qPrintable(statusText(r)));
    r = f.put(QStringLiteral("/_api/replication/applier-start"));
    QVERIFY2(r.status == 200, qPrintable(statusText(r)));
}

// Waits for the follower to apply everything the leader logged, then compares whole states.
inline void expectEqual(HttpClient &leader, HttpClient &follower, const char *when)
{
    QString why;
    QVERIFY2(waitApplied(follower, lastLogTick(leader), 60000, &why), qPrintable(why));
    const StateSnapshot expected = snapshot(leader);
    QVERIFY2(expected.error.isEmpty(), qPrintable(expected.error));
    const QString d = diff(expected, snapshot(follower));
    QVERIFY2(d.isEmpty(), qPrintable(QStringLiteral("%1:\n  %2").arg(QLatin1String(when), d)));
}

} // namespace repl::test
