// CouchReplication, part three: the bodies of missing revisions — from the changes feed
// when it carried them, else _all_docs (first revisions), _bulk_get, and open_revs one by
// one — and their upload with _bulk_docs new_edits=false.
#include "client/Endpoint.h"

#include "engine/couch/replicator/CouchReplication.h"
#include "engine/couch/replicator/CouchReplicationSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace repl {

using couchrepl::describeFailure;
using couchrepl::parseObject;

namespace {

// Attachments the changes feed only described (stubs): their data comes with _bulk_get.
bool hasStubs(const QJsonObject &atts)
{
    for (auto it = atts.begin(); it != atts.end(); ++it)
        if (it.value().toObject().value(QStringLiteral("stub")).toBool())
            return true;
    return false;
}

bool hasAttachmentStubs(const QJsonObject &doc)
{
    return hasStubs(doc.value(QStringLiteral("_attachments")).toObject());
}

} // namespace

void CouchReplication::fetchMissing(Batch batch, const QList<couchrepl::MissingRevs> &missing)
{
    // Generation-1 revisions that are a document's only missing one come cheapest from
    // _all_docs (their _revisions is just their own hash); the rest from _bulk_get.
    QStringList firstGen;
    QList<QPair<QString, QStringList>> rest;
    auto docs = std::make_shared<Docs>();
    docs->json.reserve(batch.page.size() + missing.size() * 48);
    auto wanted = std::make_shared<QHash<QString, QString>>();
    wanted->reserve(missing.size());
    for (const couchrepl::MissingRevs &m : missing) {
        m_status.missingFound += m.revs.size();
        if (m.revs.size() == 1 && m.revs.first().startsWith(QStringLiteral("1-"))) {
            firstGen.append(m.id);
            wanted->insert(m.id, m.revs.first());
        } else if (!m.revs.isEmpty()) {
            rest.append({m.id, m.revs});
        }
    }
    // The changes feed already carried the bodies (include_docs): a generation-1 winner that
    // is the missing revision needs no further request, and its bytes go on as they came.
    if (m_includeDocs) {
        qint64 used = 0;
        for (const couchrepl::ChangeRow &row : batch.rows) {
            const std::optional<couchrepl::DocHead> head =
                row.doc.isEmpty() ? std::nullopt : couchrepl::docHead(row.doc);
            if (!head || head->deleted || head->rev.isEmpty() ||
                (!head->attachments.isEmpty() &&
                 hasStubs(QJsonDocument::fromJson(head->attachments.toByteArray()).object())))
                continue;
            const auto it = wanted->constFind(head->id);
            if (it == wanted->constEnd() || it.value() != QLatin1StringView(head->rev))
                continue;
            // A first generation's history is its own rev: new_edits=false reads `_rev` as
            // exactly that. Our own server is told so; other servers get `_revisions`, as
            // CouchDB's replicator sends it.
            if (m_target->isLocal())
                docs->append(row.doc);
            else
                docs->append(couchrepl::withFirstRevision(row.doc, head->rev.sliced(2)));
            wanted->erase(it);
            ++used;
        }
        // Mostly bodies the target already had or could not use: stop asking for them.
        if (batch.rows.size() >= 50 && used * 4 < batch.rows.size())
            m_includeDocs = false;
        firstGen = wanted->keys();
    }

    auto viaBulkGet = [this, docs, batch](QList<QPair<QString, QStringList>> list) {
        auto write = [this, docs, batch] {
            m_status.docsRead += docs->count;
            writeDocs(*docs, [this, batch] { completeBatch(batch); });
        };
        if (list.isEmpty()) {
            write();
            return;
        }
        if (!m_spec.useBulkGet || m_bulkGetBroken) {
            fetchOpenRevs(list, 0, docs, write);
            return;
        }
        QJsonArray req;
        for (const auto &[id, revs] : list)
            for (const QString &rev : revs)
                req.append(QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("rev"), rev}});
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("revs"), QStringLiteral("true"));
        q.addQueryItem(QStringLiteral("latest"), QStringLiteral("true"));
        q.addQueryItem(QStringLiteral("attachments"), QStringLiteral("true"));
        m_bulkGetAttempts += req.size();
        call(*m_source, "POST", QStringLiteral("/_bulk_get"), q,
             QJsonObject{{QStringLiteral("docs"), req}},
             [this, list, docs, write](const client::HttpResult &r) {
                 if (r.status == 400 || r.status == 404 || r.status == 405 || r.status == 501) {
                     m_bulkGetBroken = true; // an older server: per-document open_revs
                     fetchOpenRevs(list, 0, docs, write);
                     return;
                 }
                 if (!r.ok()) {
                     transientFailure(QStringLiteral("_bulk_get on %1 failed: %2")
                                          .arg(m_spec.source.describe(), describeFailure(r)));
                     return;
                 }
                 // What _bulk_get could not give is asked again one by one (open_revs);
                 // what is still missing then counts as a failure, never as written.
                 QList<QPair<QString, QStringList>> retry;
                 QSet<QString> answered;
                 for (const QJsonValue &res :
                      parseObject(r.body).value(QStringLiteral("results")).toArray()) {
                     const QString id = res.toObject().value(QStringLiteral("id")).toString();
                     bool gotAll = true;
                     for (const QJsonValue &d :
                          res.toObject().value(QStringLiteral("docs")).toArray()) {
                         const QJsonObject ok = d.toObject().value(QStringLiteral("ok")).toObject();
                         if (!ok.isEmpty()) {
                             docs->append(ok);
                             ++m_bulkGetDocs;
                         } else {
                             gotAll = false;
                         }
                     }
                     if (gotAll)
                         answered.insert(id);
                 }
                 for (const auto &entry : list)
                     if (!answered.contains(entry.first))
                         retry.append(entry);
                 if (retry.isEmpty())
                     write();
                 else
                     fetchOpenRevs(retry, 0, docs, write);
             });
    };
    if (firstGen.isEmpty()) {
        viaBulkGet(rest);
        return;
    }
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("include_docs"), QStringLiteral("true"));
    q.addQueryItem(QStringLiteral("conflicts"), QStringLiteral("true"));
    q.addQueryItem(QStringLiteral("attachments"), QStringLiteral("true"));
    call(*m_source, "POST", QStringLiteral("/_all_docs"), q,
         QJsonObject{{QStringLiteral("keys"), QJsonArray::fromStringList(firstGen)}},
         [this, rest, docs, wanted, viaBulkGet](const client::HttpResult &r) mutable {
             if (!r.ok()) { // fall back to _bulk_get for all of them
                 for (auto it = wanted->begin(); it != wanted->end(); ++it)
                     rest.append({it.key(), {it.value()}});
                 viaBulkGet(rest);
                 return;
             }
             QSet<QString> got;
             for (const QJsonValue &row :
                  parseObject(r.body).value(QStringLiteral("rows")).toArray()) {
                 QJsonObject doc = row.toObject().value(QStringLiteral("doc")).toObject();
                 const QString id = doc.value(QStringLiteral("_id")).toString();
                 const QString rev = doc.value(QStringLiteral("_rev")).toString();
                 if (doc.isEmpty() || wanted->value(id) != rev || hasAttachmentStubs(doc))
                     continue;
                 doc.remove(QStringLiteral("_conflicts"));
                 doc.insert(QStringLiteral("_revisions"),
                            QJsonObject{{QStringLiteral("start"), 1},
                                        {QStringLiteral("ids"), QJsonArray{rev.mid(2)}}});
                 docs->append(doc);
                 got.insert(id);
             }
             for (auto it = wanted->begin(); it != wanted->end(); ++it)
                 if (!got.contains(it.key()))
                     rest.append({it.key(), {it.value()}});
             viaBulkGet(rest);
         });
}

void CouchReplication::fetchOpenRevs(const QList<QPair<QString, QStringList>> &wanted, int index,
                                     std::shared_ptr<Docs> docs, std::function<void()> done)
{
    if (index >= wanted.size()) {
        done();
        return;
    }
    const auto &[id, revs] = wanted[index];
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("revs"), QStringLiteral("true"));
    q.addQueryItem(QStringLiteral("latest"), QStringLiteral("true"));
    q.addQueryItem(QStringLiteral("attachments"), QStringLiteral("true"));
    q.addQueryItem(
        QStringLiteral("open_revs"),
        client::percentEncoded(QString::fromUtf8(
            QJsonDocument(QJsonArray::fromStringList(revs)).toJson(QJsonDocument::Compact))));
    call(*m_source, "GET", u'/' + client::percentEncoded(id), q, {},
         [this, wanted, index, docs, done](const client::HttpResult &r) {
             if (!r.ok() && r.status != 404) {
                 transientFailure(QStringLiteral("open_revs on %1 failed: %2")
                                      .arg(m_spec.source.describe(), describeFailure(r)));
                 return;
             }
             const QJsonArray entries = QJsonDocument::fromJson(r.body).array();
             qint64 got = 0;
             for (const QJsonValue &e : entries) {
                 const QJsonObject ok = e.toObject().value(QStringLiteral("ok")).toObject();
                 if (!ok.isEmpty()) {
                     docs->append(ok);
                     ++got;
                 }
             }
             // A revision the source no longer has (compacted, purged) is a failure, counted.
             m_status.docWriteFailures += qMax<qint64>(0, wanted[index].second.size() - got);
             fetchOpenRevs(wanted, index + 1, docs, done);
         });
}

void CouchReplication::Docs::append(QByteArrayView doc)
{
    if (count++ > 0)
        json.append(',');
    json.append(doc);
}

void CouchReplication::Docs::append(const QJsonObject &doc)
{
    append(QJsonDocument(doc).toJson(QJsonDocument::Compact));
}

void CouchReplication::writeDocs(const Docs &docs, std::function<void()> done)
{
    if (docs.count == 0) {
        done();
        return;
    }
    QByteArray body;
    body.reserve(docs.json.size() + 40);
    body.append("{\"new_edits\":false,\"docs\":[");
    body.append(docs.json);
    body.append("]}");
    const qint64 count = docs.count;
    call(*m_target, "POST", QStringLiteral("/_bulk_docs"), {}, body,
         [this, count, done](const client::HttpResult &r) {
             if (r.status == 401 || r.status == 403) {
                 fail(r.status == 401 ? QStringLiteral("unauthorized")
                                      : QStringLiteral("forbidden"),
                      QStringLiteral("_bulk_docs on %1 refused: %2")
                          .arg(m_spec.target.describe(), describeFailure(r)),
                      r.status);
                 return;
             }
             if (!r.ok() && r.status != 417) {
                 transientFailure(QStringLiteral("_bulk_docs on %1 failed: %2")
                                      .arg(m_spec.target.describe(), describeFailure(r)));
                 return;
             }
             qint64 failures = 0;
             for (const QJsonValue &e : QJsonDocument::fromJson(r.body).array())
                 if (e.toObject().contains(QStringLiteral("error")))
                     ++failures;
             m_status.docWriteFailures += failures;
             m_status.docsWritten += count - failures;
             done();
         });
}

} // namespace repl
