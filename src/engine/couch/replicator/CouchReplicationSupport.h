#pragma once

#include "client/HttpCall.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QLoggingCategory>
#include <QString>
#include <QStringList>
#include <QVarLengthArray>

#include <optional>

Q_DECLARE_LOGGING_CATEGORY(lcCouchRepl)

// Shared by the parts of CouchReplication (run loop, checkpoints). Internal to the engine.
namespace repl::couchrepl {

inline QJsonObject parseObject(const QByteArray &body)
{
    return QJsonDocument::fromJson(body).object();
}

inline QString describeFailure(const client::HttpResult &r)
{
    if (!r.answered())
        return r.errorString.isEmpty() ? QStringLiteral("no answer") : r.errorString;
    const QJsonObject o = parseObject(r.body);
    QString text = QStringLiteral("HTTP %1").arg(r.status);
    if (o.contains(QStringLiteral("error")))
        text += QStringLiteral(" %1: %2").arg(o.value(QStringLiteral("error")).toString(),
                                              o.value(QStringLiteral("reason")).toString());
    return text;
}

// The last_seq of a _changes answer read from its end, before the whole answer is parsed, so
// the next page can be asked for at once. Only the shape every server we know sends is read:
// `"last_seq":` + a number or a plain string, then at most `"pending":N`, then the closing
// brace. Anything else (another order, escapes, other trailing fields) gives nothing, and the
// caller waits for the full parse.
struct ChangesTail
{
    QJsonValue lastSeq;
    qint64 pending = -1; // -1: not sent (PouchDB)
};
std::optional<ChangesTail> trailingLastSeq(const QByteArray &body);

// A JSON value from its text (seqs): strings without escapes and small integers are read
// directly, anything else through QJsonDocument. Undefined when the text is not JSON.
QJsonValue jsonValueOf(QByteArrayView text);

// A _changes answer read without building JSON objects: the replicator needs each row's id,
// its leaf revisions and (include_docs) the document's bytes, which go on to the target as
// they came. Rows hold views into `bytes`, which is shared and never changed, so they stay
// valid as long as any copy of it lives.
struct ChangeRow
{
    QByteArrayView id;                       // the id's JSON string, quotes included
    QVarLengthArray<QByteArrayView, 1> revs; // changes[].rev, each its JSON string
    QByteArrayView doc;                      // the document; empty when none (or null)
    QByteArrayView seq;                      // the row's seq as JSON text
    QString idText() const { return jsonValueOf(id).toString(); }
};
struct ChangesPage
{
    QByteArray bytes;
    QList<ChangeRow> rows;
    QJsonValue lastSeq = QJsonValue(QJsonValue::Undefined); // as sent (maybe absent or null)
    QJsonValue pending = QJsonValue(QJsonValue::Undefined);
};
// nullopt when the answer is not an object with a `results` array of rows (strict JSON).
std::optional<ChangesPage> parseChangesPage(QByteArray bytes);

// A _revs_diff answer: each id with its missing revisions, in the answer's order. nullopt
// when it is not an object of {"missing":[strings]} objects.
struct MissingRevs
{
    QString id;
    QStringList revs;
};
std::optional<QList<MissingRevs>> parseRevsDiffAnswer(QByteArrayView answer);
// The _revs_diff request for a page's rows: {"id":["rev",…],…} from their bytes.
QByteArray revsDiffRequest(const QList<ChangeRow> &rows);

// What the replicator reads of a document's bytes before it passes them on.
struct DocHead
{
    QString id;
    QByteArrayView rev;         // `_rev` when a plain string
    bool deleted = false;       // `_deleted: true`
    QByteArrayView attachments; // the `_attachments` object's bytes, when there is one
};
std::optional<DocHead> docHead(QByteArrayView doc);

// The document with `_revisions` {start 1, ids [hash]} spliced in front: a first generation's
// history, as CouchDB's replicator sends it.
QByteArray withFirstRevision(QByteArrayView doc, QByteArrayView hash);

} // namespace repl::couchrepl
