// A mixed, deterministic write workload for a leader (see Workload), shared by the applier
// integration tests. Header-only.
#pragma once

#include "ReplicationTestKit.h"

#include <QRandomGenerator>

namespace repl::test {

// ---------------------------------------------------------------------------------------------
// A mixed workload on a leader: inserts, replaces, patches, removes, array inserts, imports,
// collection create/rename/drop/truncate, index create/drop. Deterministic for a seed. Every
// operation must succeed; step() answers an error text otherwise.

class Workload
{
public:
    // `prefix` starts collection names; `database` (optional) is where it writes.
    Workload(HttpClient &http, quint32 seed, QString prefix = QStringLiteral("w"),
             const QString &database = {})
        : m_http(http)
        , m_rng(seed)
        , m_prefix(std::move(prefix))
        , m_db(dbPrefix(database))
    {}

    int operations() const { return m_operations; }
    int documentsWritten() const { return m_documents; }
    QStringList collections() const { return m_colls.keys(); }

    QString createCollection(int type = 2)
    {
        const QString name = QStringLiteral("%1c%2").arg(m_prefix).arg(m_nextColl++);
        const HttpReply r = m_http.post(m_db + QStringLiteral("/_api/collection"),
                                        QJsonObject{{"name", name}, {"type", type}});
        if (r.status != 200)
            return QStringLiteral("create %1: %2").arg(name, statusText(r));
        m_colls.insert(name, Coll{type, false, {}, {}});
        ++m_operations;
        return {};
    }

    // One random operation, weighted towards document writes.
    QString step()
    {
        if (m_colls.size() < 2)
            return createCollection(m_colls.size() % 2 ? 3 : 2);
        const int dice = int(m_rng.bounded(1000));
        const QString c = pickCollection();
        Coll &coll = m_colls[c];
        if (dice < 300 || coll.keys.size() < 5)
            return insertOne(c);
        if (dice < 460)
            return replace(c);
        if (dice < 620)
            return patch(c);
        if (dice < 760)
            return remove(c);
        if (dice < 830)
            return insertArray(c);
        if (dice < 870)
            return import(c);
        if (dice < 900)
            return createIndex(c);
        if (dice < 920)
            return dropIndex(c);
        if (dice < 940)
            return createCollection(m_rng.bounded(3) == 0 ? 3 : 2);
        if (dice < 960)
            return rename(c);
        if (dice < 975 && m_colls.size() > 3)
            return drop(c);
        if (dice < 982)
            return truncate(c);
        if (dice < 988)
            return toggleWaitForSync(c);
        return insertOne(c);
    }

private:
    struct Coll
    {
        int type = 2;
        bool waitForSync = false;
        QList<QString> keys;
        QList<qint64> indexes;
    };

    QString pickCollection()
    {
        const QStringList names = m_colls.keys();
        return names.at(int(m_rng.bounded(qsizetype(names.size()))));
    }

    QJsonObject body(const Coll &c)
    {
        QJsonObject o{{"uid", ++m_uid},
                      {"n", int(m_rng.bounded(1000))},
                      {"s", QStringLiteral("text %1 ü€").arg(m_rng.generate())},
                      {"nested", QJsonObject{{"a", QJsonArray{1, "two", 3.5, true}},
                                             {"b", m_rng.bounded(2) ? QJsonValue(QJsonValue::Null)
                                                                    : QJsonValue(m_uid)}}}};
        if (m_rng.bounded(3) == 0)
            o.insert(QStringLiteral("opt"), QStringLiteral("x%1").arg(m_rng.bounded(50)));
        if (m_rng.bounded(200) == 0) // now and then larger than a follow chunk
            o.insert(QStringLiteral("big"), QString(40000 + int(m_rng.bounded(20000)), u'b'));
        if (c.type == 3) {
            o.insert(QStringLiteral("_from"), QStringLiteral("v/%1").arg(m_rng.bounded(100)));
            o.insert(QStringLiteral("_to"), QStringLiteral("v/%1").arg(m_rng.bounded(100)));
        }
        return o;
    }

    // Mostly plain keys; every 16th uses the punctuation ArangoDB allows in keys.
    QString newKey()
    {
        ++m_nextKey;
        return m_nextKey % 16 ? QStringLiteral("k%1").arg(m_nextKey)
                              : QStringLiteral("k%1:a@b.c-d_e=f+g,h;i!j*(k)$").arg(m_nextKey);
    }

    QString pickKey(const Coll &c) { return c.keys.at(int(m_rng.bounded(c.keys.size()))); }

    // 201/200 when the collection waits for sync, 202 otherwise.
    static bool written(const HttpReply &r)
    {
        return r.status == 200 || r.status == 201 || r.status == 202;
    }

    QString insertOne(const QString &c)
    {
        Coll &coll = m_colls[c];
        QJsonObject o = body(coll);
        const QString key = newKey();
        o.insert(QStringLiteral("_key"), key);
        const HttpReply r = m_http.post(m_db + QStringLiteral("/_api/document/") + c, o);
        if (!written(r))
            return QStringLiteral("insert into %1: %2").arg(c, statusText(r));
        coll.keys.append(key);
        ++m_operations;
        ++m_documents;
        return {};
    }

    QString insertArray(const QString &c)
    {
        Coll &coll = m_colls[c];
        QJsonArray docs;
        QStringList keys;
        const int n = 5 + int(m_rng.bounded(25));
        for (int i = 0; i < n; ++i) {
            QJsonObject o = body(coll);
            if (i % 4 != 3) { // some get server-generated keys
                keys << newKey();
                o.insert(QStringLiteral("_key"), keys.last());
            }
            docs.append(o);
        }
        const HttpReply r = m_http.post(m_db + QStringLiteral("/_api/document/") + c,
                                        QJsonDocument(docs).toJson(QJsonDocument::Compact));
        if (!written(r) || !r.header("x-arango-error-codes").isEmpty())
            return QStringLiteral("array insert into %1: %2").arg(c, statusText(r));
        for (const QJsonValue &v : r.jsonArray())
            coll.keys.append(v.toObject().value(QStringLiteral("_key")).toString());
        if (coll.keys.size() < n)
            return QStringLiteral("array insert into %1 answered no keys").arg(c);
        m_operations += n;
        m_documents += n;
        return {};
    }

    QString import(const QString &c)
    {
        Coll &coll = m_colls[c];
        QByteArray lines;
        QStringList keys;
        const int n = 20 + int(m_rng.bounded(80));
        for (int i = 0; i < n; ++i) {
            QJsonObject o = body(coll);
            keys << newKey();
            o.insert(QStringLiteral("_key"), keys.last());
            lines += QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
        }
        const HttpReply r = m_http.post(
            m_db + QStringLiteral("/_api/import?collection=%1&type=documents").arg(c), lines);
        if (r.status != 201 || r.json().value(QStringLiteral("created")).toInt() != n)
            return QStringLiteral("import into %1: %2").arg(c, statusText(r));
        coll.keys += keys;
        m_operations += n;
        m_documents += n;
        return {};
    }

    QString replace(const QString &c)
    {
        Coll &coll = m_colls[c];
        const QString key = pickKey(coll);
        const HttpReply r = m_http.put(m_db + QStringLiteral("/_api/document/%1/%2").arg(c, key),
                                       QJsonDocument(body(coll)).toJson(QJsonDocument::Compact));
        if (!written(r))
            return QStringLiteral("replace %1/%2: %3").arg(c, key, statusText(r));
        ++m_operations;
        ++m_documents;
        return {};
    }

    QString patch(const QString &c)
    {
        Coll &coll = m_colls[c];
        const QString key = pickKey(coll);
        QJsonObject p{{"uid", ++m_uid},
                      {"patched", int(m_rng.bounded(100))},
                      {"nested", QJsonObject{{"c", QStringLiteral("p%1").arg(m_uid)}}}};
        if (m_rng.bounded(2))
            p.insert(QStringLiteral("opt"), QJsonValue(QJsonValue::Null)); // keepNull default
        const HttpReply r = m_http.patch(m_db + QStringLiteral("/_api/document/%1/%2").arg(c, key),
                                         QJsonDocument(p).toJson(QJsonDocument::Compact));
        if (!written(r))
            return QStringLiteral("patch %1/%2: %3").arg(c, key, statusText(r));
        ++m_operations;
        ++m_documents;
        return {};
    }

    QString remove(const QString &c)
    {
        Coll &coll = m_colls[c];
        const QString key = coll.keys.takeAt(int(m_rng.bounded(coll.keys.size())));
        const HttpReply r = m_http.del(m_db + QStringLiteral("/_api/document/%1/%2").arg(c, key));
        if (!written(r))
            return QStringLiteral("remove %1/%2: %3").arg(c, key, statusText(r));
        ++m_operations;
        return {};
    }

    QString createIndex(const QString &c)
    {
        static const QStringList candidates{"n", "s", "opt", "patched", "nested.b"};
        Coll &coll = m_colls[c];
        const int which = int(m_rng.bounded(6));
        QJsonObject def;
        if (which == 0) {
            def = {{"type", "persistent"}, {"fields", QJsonArray{"uid"}}, {"unique", true}};
        } else {
            QJsonArray fields{candidates.at(which - 1)};
            if (m_rng.bounded(2))
                fields.append(QStringLiteral("n"));
            def = {{"type", m_rng.bounded(2) ? "persistent" : "hash"},
                   {"fields", fields},
                   {"sparse", m_rng.bounded(3) == 0}};
        }
        const HttpReply r = m_http.post(m_db + QStringLiteral("/_api/index?collection=") + c, def);
        if (r.status != 201 && r.status != 200)
            return QStringLiteral("index on %1: %2").arg(c, statusText(r));
        if (r.status == 201)
            coll.indexes.append(
                r.json().value(QStringLiteral("id")).toString().section(u'/', -1).toLongLong());
        ++m_operations;
        return {};
    }

    QString dropIndex(const QString &c)
    {
        Coll &coll = m_colls[c];
        if (coll.indexes.isEmpty())
            return createIndex(c);
        const qint64 id = coll.indexes.takeAt(int(m_rng.bounded(coll.indexes.size())));
        const HttpReply r = m_http.del(m_db + QStringLiteral("/_api/index/%1/%2").arg(c).arg(id));
        if (r.status != 200)
            return QStringLiteral("drop index %1/%2: %3").arg(c).arg(id).arg(statusText(r));
        ++m_operations;
        return {};
    }

    QString rename(const QString &c)
    {
        const QString to = QStringLiteral("%1c%2").arg(m_prefix).arg(m_nextColl++);
        const HttpReply r = m_http.put(m_db + QStringLiteral("/_api/collection/%1/rename").arg(c),
                                       QJsonObject{{"name", to}});
        if (r.status != 200)
            return QStringLiteral("rename %1: %2").arg(c, statusText(r));
        m_colls.insert(to, m_colls.take(c));
        ++m_operations;
        return {};
    }

    QString drop(const QString &c)
    {
        const HttpReply r = m_http.del(m_db + QStringLiteral("/_api/collection/") + c);
        if (r.status != 200)
            return QStringLiteral("drop %1: %2").arg(c, statusText(r));
        m_colls.remove(c);
        ++m_operations;
        return {};
    }

    QString toggleWaitForSync(const QString &c)
    {
        Coll &coll = m_colls[c];
        coll.waitForSync = !coll.waitForSync;
        const HttpReply r =
            m_http.put(m_db + QStringLiteral("/_api/collection/%1/properties").arg(c),
                       QJsonObject{{"waitForSync", coll.waitForSync}});
        if (r.status != 200)
            return QStringLiteral("properties of %1: %2").arg(c, statusText(r));
        ++m_operations;
        return {};
    }

    QString truncate(const QString &c)
    {
        const HttpReply r =
            m_http.put(m_db + QStringLiteral("/_api/collection/%1/truncate").arg(c));
        if (r.status != 200)
            return QStringLiteral("truncate %1: %2").arg(c, statusText(r));
        m_colls[c].keys.clear();
        ++m_operations;
        return {};
    }

    HttpClient &m_http;
    QRandomGenerator m_rng;
    QString m_prefix;
    QString m_db;
    QMap<QString, Coll> m_colls;
    int m_nextColl = 0;
    int m_nextKey = 0;
    qint64 m_uid = 0;
    int m_operations = 0;
    int m_documents = 0;
};

inline void runWorkload(Workload &w, int steps)
{
    for (int i = 0; i < steps; ++i) {
        const QString err = w.step();
        QVERIFY2(err.isEmpty(), qPrintable(QStringLiteral("step %1: %2").arg(i).arg(err)));
    }
}

} // namespace repl::test
