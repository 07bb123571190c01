#pragma once

#include "support/HttpClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
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
        const HttpReply all = http.get(path + QStringLiteral("?open_revs=all"));
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
