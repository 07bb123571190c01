#pragma once

#include "support/HttpClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QTest>
#include <QUrl>

namespace repl::test {

// Everything replication must carry for one CouchDB database, read over HTTP the same way
// from any server: per document id, whether its winner is deleted, the winner's rev (live
// documents), and every leaf with its body (open_revs=all), sorted. Two databases replicated
// without loss have equal snapshots.
inline QMap<QString, QJsonObject> couchSnapshot(HttpClient &http, const QString &db)
{
    QMap<QString, QJsonObject> out;
    const HttpReply changes = http.get(u'/' + db + QStringLiteral("/_changes?style=all_docs"));
    for (const QJsonValue &row : changes.json().value(QStringLiteral("results")).toArray()) {
        const QJsonObject r = row.toObject();
        const QString id = r.value(QStringLiteral("id")).toString();
        const QString path = u'/' + db + u'/' + QString::fromUtf8(QUrl::toPercentEncoding(id));
        QJsonObject entry;
        entry.insert(QStringLiteral("deleted"), r.value(QStringLiteral("deleted")).toBool());
        const HttpReply winner = http.get(path + QStringLiteral("?conflicts=true"));
        if (winner.status == 200) {
            const QJsonObject w = winner.json();
            entry.insert(QStringLiteral("winner"), w.value(QStringLiteral("_rev")));
            QJsonArray conflicts = w.value(QStringLiteral("_conflicts")).toArray();
            QStringList c;
            for (const QJsonValue &v : conflicts)
                c.append(v.toString());
            c.sort();
            entry.insert(QStringLiteral("conflicts"), QJsonArray::fromStringList(c));
        }
        QMap<QString, QJsonObject> leaves;
        // JSON, not the multipart CouchDB sends by default for open_revs.
        const HttpReply all =
            http.request("GET", path + QStringLiteral("?open_revs=all"), {},
                         {{QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json")}});
        for (const QJsonValue &v : all.jsonArray()) {
            QJsonObject doc = v.toObject().value(QStringLiteral("ok")).toObject();
            if (doc.isEmpty())
                continue;
            doc.remove(QStringLiteral("_revisions"));
            leaves.insert(doc.value(QStringLiteral("_rev")).toString(), doc);
        }
        QJsonArray leafList;
        for (const QJsonObject &l : leaves)
            leafList.append(l);
        entry.insert(QStringLiteral("leaves"), leafList);
        out.insert(id, entry);
    }
    return out;
}

// A database with plain documents, conflicts (two live leaves), deletions, a deleted
// conflict branch and a deep history, written into `http` (any CouchDB server).
inline void seedCouchDatabase(HttpClient &http, const QString &db, int plain)
{
    QCOMPARE(http.put(u'/' + db).status, 201);
    QJsonArray docs;
    for (int i = 0; i < plain; ++i)
        docs.append(QJsonObject{
            {QStringLiteral("_id"), QStringLiteral("doc%1").arg(i, 4, 10, QLatin1Char('0'))},
            {QStringLiteral("n"), i},
            {QStringLiteral("type"), i % 3 == 0 ? QStringLiteral("x") : QStringLiteral("y")},
            {QStringLiteral("s"), QStringLiteral("hello world %1").arg(i)}});
    QCOMPARE(http.post(u'/' + db + QStringLiteral("/_bulk_docs"),
                       QJsonObject{{QStringLiteral("docs"), docs}})
                 .status,
             201);
    QJsonArray replicated;
    auto version = [](const QString &id, int start, QStringList ids, bool deleted,
                      QJsonObject body) {
        body.insert(QStringLiteral("_id"), id);
        body.insert(QStringLiteral("_rev"), QStringLiteral("%1-%2").arg(start).arg(ids.first()));
        body.insert(QStringLiteral("_revisions"),
                    QJsonObject{{QStringLiteral("start"), start},
                                {QStringLiteral("ids"), QJsonArray::fromStringList(ids)}});
        if (deleted)
            body.insert(QStringLiteral("_deleted"), true);
        return body;
    };
    for (int i = 0; i < 5; ++i) {
        const QString id = QStringLiteral("conflicted%1").arg(i);
        replicated.append(version(id, 2, {QStringLiteral("aaaa%1").arg(i), QStringLiteral("1111")},
                                  false, {{QStringLiteral("side"), QStringLiteral("a")}}));
        replicated.append(version(id, 2, {QStringLiteral("bbbb%1").arg(i), QStringLiteral("1111")},
                                  false, {{QStringLiteral("side"), QStringLiteral("b")}}));
    }
    replicated.append(
        version(QStringLiteral("deadbranch"), 3,
                {QStringLiteral("cccc"), QStringLiteral("bbbb"), QStringLiteral("aaaa")}, false,
                {{QStringLiteral("alive"), true}}));
    replicated.append(version(
        QStringLiteral("deadbranch"), 3,
        {QStringLiteral("dddd"), QStringLiteral("bbbb"), QStringLiteral("aaaa")}, true, {}));
    replicated.append(version(QStringLiteral("deep"), 5,
                              {QStringLiteral("e5"), QStringLiteral("e4"), QStringLiteral("e3"),
                               QStringLiteral("e2"), QStringLiteral("e1")},
                              false, {{QStringLiteral("depth"), 5}}));
    QCOMPARE(http.post(u'/' + db + QStringLiteral("/_bulk_docs"),
                       QJsonObject{{QStringLiteral("docs"), replicated},
                                   {QStringLiteral("new_edits"), false}})
                 .status,
             201);
    for (int i = 0; i < 5; ++i) {
        const QString path = u'/' + db + QStringLiteral("/gone%1").arg(i);
        const HttpReply put = http.put(path, QJsonObject{{QStringLiteral("v"), i}});
        QCOMPARE(put.status, 201);
        const QString rev = put.json().value(QStringLiteral("rev")).toString();
        QCOMPARE(http.del(path + QStringLiteral("?rev=") + rev).status, 200);
    }
}

// A document with binary attachments, one named with a '/' (CouchDB joins the path segments):
// binary so that digests agree everywhere (CouchDB digests text types after compressing them).
inline void addAttachments(HttpClient &http, const QString &db)
{
    auto data = [](const QByteArray &bytes) {
        return QJsonObject{
            {QStringLiteral("content_type"), QStringLiteral("application/octet-stream")},
            {QStringLiteral("data"), QString::fromLatin1(bytes.toBase64())}};
    };
    const QJsonObject doc{
        {QStringLiteral("kind"), QStringLiteral("files")},
        {QStringLiteral("_attachments"),
         QJsonObject{{QStringLiteral("dir/file.bin"), data(QByteArray("\x01\x02slash\xff", 9))},
                     {QStringLiteral("plain.bin"), data(QByteArray(300, '\x7f'))}}}};
    QCOMPARE(http.put(u'/' + db + QStringLiteral("/withatt"), doc).status, 201);
}

inline QString describeDifference(const QMap<QString, QJsonObject> &a,
                                  const QMap<QString, QJsonObject> &b)
{
    if (a.size() != b.size())
        return QStringLiteral("%1 vs %2 documents").arg(a.size()).arg(b.size());
    for (auto it = a.cbegin(); it != a.cend(); ++it)
        if (b.value(it.key()) != it.value())
            return QStringLiteral("document %1: %2 vs %3")
                .arg(it.key(),
                     QString::fromUtf8(QJsonDocument(it.value()).toJson(QJsonDocument::Compact)),
                     QString::fromUtf8(
                         QJsonDocument(b.value(it.key())).toJson(QJsonDocument::Compact)));
    return {};
}

} // namespace repl::test
