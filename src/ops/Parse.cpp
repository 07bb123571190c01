#include "ops/Parse.h"

#include "core/DumpLine.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace repl::ops {

namespace {
quint64 tickOf(const QJsonValue &v)
{
    return v.isString() ? v.toString().toULongLong() : quint64(v.toDouble());
}
} // namespace

LogChunk readLogHeaders(const QHash<QByteArray, QByteArray> &h)
{
    LogChunk c;
    c.lastIncluded = h.value("x-arango-replication-lastincluded").toULongLong();
    c.lastScanned = h.value("x-arango-replication-lastscanned").toULongLong();
    c.lastTick = h.value("x-arango-replication-lasttick").toULongLong();
    c.checkMore = h.value("x-arango-replication-checkmore") == "true";
    c.fromPresent = h.value("x-arango-replication-frompresent") != "false";
    return c;
}

QList<LogEvent> parseLogLines(const QByteArray &body, const QString &database)
{
    QList<LogEvent> out;
    out.reserve(body.count('\n'));
    qsizetype start = 0;
    while (start < body.size()) {
        qsizetype end = body.indexOf('\n', start);
        if (end < 0)
            end = body.size();
        const QByteArrayView line = QByteArrayView(body).sliced(start, end - start).trimmed();
        start = end + 1;
        if (line.isEmpty())
            continue;
        LogEvent e;
        e.size = int(line.size());
        e.database = database;
        // Our own document lines (most of a busy log) without a JSON parse.
        if (const std::optional<LogDocumentRecord> own = parseOwnLogLine(line)) {
            e.tick = own->tick;
            e.type = own->type;
            e.tid = own->tid ? QString::number(own->tid) : QString();
            e.collection = QString::fromUtf8(own->cname);
            e.key = QString::fromUtf8(own->key);
            e.rev = QString::fromUtf8(own->rev);
            out.append(std::move(e));
            continue;
        }
        const QJsonObject o = QJsonDocument::fromJson(line.toByteArray()).object();
        if (o.isEmpty())
            continue;
        e.tick = tickOf(o.value(QStringLiteral("tick")));
        e.type = o.value(QStringLiteral("type")).toInt();
        e.database = o.value(QStringLiteral("db")).toString(database);
        e.tid = o.value(QStringLiteral("tid")).toVariant().toString();
        e.cuid = o.value(QStringLiteral("cuid")).toString();
        const QJsonObject data = o.value(QStringLiteral("data")).toObject();
        e.collection = o.value(QStringLiteral("cname")).toString();
        if (e.collection.isEmpty() && (e.type == 2000 || e.type == 2002)) // name in the data
            e.collection = data.value(QStringLiteral("name")).toString();
        e.key =
            o.value(QStringLiteral("key")).toString(data.value(QStringLiteral("_key")).toString());
        e.rev =
            o.value(QStringLiteral("rev")).toString(data.value(QStringLiteral("_rev")).toString());
        out.append(std::move(e));
    }
    return out;
}

QList<QJsonObject> parseDumpDocuments(const QByteArray &body, int *removals)
{
    QList<QJsonObject> docs;
    int removed = 0;
    for (const QByteArray &line : body.split('\n')) {
        const QJsonObject e = QJsonDocument::fromJson(line).object();
        if (e.isEmpty())
            continue;
        const bool envelope =
            e.contains(QStringLiteral("type")) && e.contains(QStringLiteral("data"));
        if (!envelope) {
            docs.append(e);
            continue;
        }
        if (e.value(QStringLiteral("type")).toInt() == 2302) {
            ++removed;
            continue;
        }
        docs.append(e.value(QStringLiteral("data")).toObject());
    }
    if (removals)
        *removals = removed;
    return docs;
}

QJsonObject couchDatabaseEntry(const QString &name, const QJsonObject &info,
                               const QJsonObject &indexDoc)
{
    QJsonObject parameters{
        {QStringLiteral("name"), name},
        {QStringLiteral("type"), 2},
        {QStringLiteral("couchdb"), true},
        {QStringLiteral("isSystem"), name.startsWith(u'_')},
        {QStringLiteral("count"), info.value(QStringLiteral("doc_count"))},
        {QStringLiteral("deletedCount"), info.value(QStringLiteral("doc_del_count"))},
        {QStringLiteral("updateSeq"), info.value(QStringLiteral("update_seq"))},
        {QStringLiteral("problem"), info.value(QStringLiteral("problem"))}};
    QJsonArray indexes;
    for (const QJsonValue &idx : indexDoc.value(QStringLiteral("indexes")).toArray()) {
        const QJsonObject o = idx.toObject();
        if (o.value(QStringLiteral("type")).toString() == u"special")
            continue; // _all_docs: every database has it
        QJsonArray fields;
        for (const QJsonValue &f : o[QStringLiteral("def")][QStringLiteral("fields")].toArray()) {
            const QJsonObject field = f.toObject();
            fields.append(field.isEmpty() ? f : QJsonValue(field.keys().value(0)));
        }
        const QString ddoc = o.value(QStringLiteral("ddoc")).toString();
        indexes.append(
            QJsonObject{{QStringLiteral("id"), (ddoc.isEmpty() ? QString() : ddoc + u'/') +
                                                   o.value(QStringLiteral("name")).toString()},
                        {QStringLiteral("type"), o.value(QStringLiteral("type"))},
                        {QStringLiteral("fields"), fields},
                        {QStringLiteral("definition"), o}});
    }
    return QJsonObject{{QStringLiteral("parameters"), parameters},
                       {QStringLiteral("indexes"), indexes}};
}

} // namespace repl::ops
