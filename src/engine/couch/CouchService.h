#pragma once

#include "core/Error.h"
#include "core/Tick.h"
#include "engine/Catalog.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace repl {

class Engine;
class JsFunction;
class JsSandbox;
class SelectorMatcher;
class WriteTxn;
class RevTree;
namespace storage {
class Connection;
struct DocumentRow;
} // namespace storage

// An error on the CouchDB face: answered as {"error": error, "reason": reason}.
class CouchError : public Error
{
public:
    CouchError(int status, QString error, QString reason);
    const QString &error() const { return m_error; }
    std::exception_ptr clone() const override { return std::make_exception_ptr(*this); }

    static CouchError badRequest(const QString &reason)
    {
        return {400, QStringLiteral("bad_request"), reason};
    }
    static CouchError notFound(const QString &reason = QStringLiteral("missing"))
    {
        return {404, QStringLiteral("not_found"), reason};
    }
    static CouchError conflict()
    {
        return {409, QStringLiteral("conflict"), QStringLiteral("Document update conflict.")};
    }

private:
    QString m_error;
};

// The CouchDB face of the store: each CouchDB database is the collection of the same name in
// the _system database, so both faces see (and log, dump and apply) one data set. Reads run
// on a request worker's connection, writes inside a write job.
namespace CouchService {

// Ids of design documents start with this.
inline const QString DesignPrefix = QStringLiteral("_design/");

// Database names CouchDB allows that a collection can hold; 400 illegal_database_name else.
void checkDatabaseName(const QString &name);
// The collection behind a CouchDB database; 404 not_found "Database does not exist." else.
const CollectionInfo &requireDatabase(const Catalog &catalog, const QString &name);

// GET /{db}. instance_start_time is "0" as in CouchDB 2+: nothing acknowledged is ever lost,
// so a replicator never has to redo work after our restart.
QJsonObject databaseInfo(storage::Connection &reader, const CollectionInfo &c);

// Document reads (GET /{db}/{docid}).
struct DocQuery
{
    std::optional<QByteArray> rev;
    bool revs = false;
    bool revsInfo = false;
    bool conflicts = false;
    bool deletedConflicts = false;
    bool latest = false;
    bool attachments = false; // data inline; else stubs, as CouchDB answers
    bool openRevsAll = false;
    std::optional<QList<QByteArray>> openRevs;
};
// The document as JSON bytes (an object, or the open_revs array).
QByteArray getDocument(storage::Connection &reader, const CollectionInfo &c, const QString &id,
                       const DocQuery &q);

// POST /{db}/_revs_diff, in two steps: the request read (from its bytes, or from an object a
// caller parsed), then the answer {"id":{"missing":[…],"possible_ancestors":[…]}} for the ids
// with revisions this database lacks. A value that is not an array of strings is a 400.
struct RevsDiffEntry
{
    QString id;
    QList<QByteArray> revs;
};
// nullopt when the bytes are not a JSON object (strict; the text must have passed
// jsonTextProblemAt): the caller then parses it for the error to answer.
std::optional<QList<RevsDiffEntry>> readRevsDiff(QByteArrayView body);
QList<RevsDiffEntry> readRevsDiff(const QJsonObject &body);
QByteArray revsDiff(storage::Connection &reader, const CollectionInfo &c,
                    const QList<RevsDiffEntry> &request);
// POST /{db}/_bulk_get: {"results":[{"id","docs":[{"ok":…}|{"error":…}]}]}
QByteArray bulkGet(storage::Connection &reader, const CollectionInfo &c, const QJsonArray &docs,
                   bool revs, bool latest, bool attachments);

struct AllDocsQuery
{
    std::optional<QStringList> keys;
    QString startKey;
    std::optional<QString> endKey;
    bool descending = false;
    bool includeDocs = false;
    bool conflicts = false;
    bool attachments = false;
    qint64 limit = -1;
    qint64 skip = 0;
    bool inclusiveEnd = true;
    bool updateSeq = false; // "update_seq" in the answer (null with keys, as CouchDB)
};
QByteArray allDocs(storage::Connection &reader, const CollectionInfo &c, const AllDocsQuery &q);
// GET /{db}/_local_docs (CouchDB 2.2+): the _local documents (checkpoints) in id order; keys,
// limit, skip, descending and include_docs; total_rows and offset null, as CouchDB answers.
QByteArray localDocs(storage::Connection &reader, const CollectionInfo &c, const AllDocsQuery &q);

// A changes-feed filter. JavaScript filters and view maps run in the JsSandbox's helper
// processes, compiled on first use and fed whole batches (acceptsAll); a selector's regexes
// are compiled once, with a cost limit for the request (SelectorMatcher).
class ChangesFilter
{
public:
    enum class Kind
    {
        None,
        DocIds,
        Selector,
        Design,
        View,
        Function
    };
    ChangesFilter();
    ~ChangesFilter();
    ChangesFilter(ChangesFilter &&) noexcept;
    ChangesFilter &operator=(ChangesFilter &&) noexcept;

    static ChangesFilter docIds(QSet<QString> ids);
    static ChangesFilter selector(QJsonObject selector);
    static ChangesFilter design();
    // `function(doc, req)` of `ddoc/name`, run in `sandbox`; `req.query` = query.
    static ChangesFilter function(JsSandbox &sandbox, const QString &name, const QString &source,
                                  const QJsonObject &query);
    // The map function of view `ddoc/name`: a document passes when the map emits for it.
    static ChangesFilter viewMap(JsSandbox &sandbox, const QString &name, const QString &source);

    Kind kind() const { return m_kind; }
    bool needsBody() const { return m_kind >= Kind::Selector && m_kind != Kind::Design; }
    bool runsJavaScript() const { return m_kind == Kind::View || m_kind == Kind::Function; }
    const QSet<QString> &ids() const { return m_ids; }
    // Throws CouchError: 400 when a selector's $regex exceeds its limits, and what acceptsAll
    // throws for JavaScript.
    bool accepts(const QString &id, const QJsonObject &doc);
    // JavaScript kinds: each document (its JSON text, as CouchDB shows it) through the filter
    // or map in one exchange with the sandbox. Throws CouchError naming the function when it
    // does not compile, throws, times out or is killed (see JsSandbox).
    QList<bool> acceptsAll(const QList<QByteArray> &docs);

private:
    Kind m_kind = Kind::None;
    QSet<QString> m_ids;
    std::unique_ptr<SelectorMatcher> m_selector;
    JsSandbox *m_sandbox = nullptr;
    QString m_name;
    QString m_source;
    QByteArray m_req; // {"query":…} as JSON
    std::unique_ptr<JsFunction> m_js;
};

// The design document `_design/{ddoc}`'s function at `section.name` (filters, views); 404
// not_found when there is none.
QString designFunction(storage::Connection &reader, const CollectionInfo &c, const QString &ddoc,
                       const QString &section, const QString &name);

struct ChangesQuery
{
    Tick since = 0;
    qint64 limit = -1;
    bool allLeaves = false; // style=all_docs
    bool includeDocs = false;
    bool conflicts = false;
    bool attachments = false;
};
struct ChangesResult
{
    QList<QByteArray> rows; // one JSON object each
    Tick lastSeq = 0;
    qint64 pending = 0;
};
ChangesResult changes(storage::Connection &reader, const CollectionInfo &c, const ChangesQuery &q,
                      ChangesFilter &filter);
// {"results":[…],"last_seq":…,"pending":…}
QByteArray changesBody(const ChangesResult &r);

QByteArray getLocal(storage::Connection &reader, const CollectionInfo &c, const QString &id);

// Writes (inside a write job).
// POST /{db}/_bulk_docs, in two steps. readBulkDocs reads and checks every document before
// any is written (a malformed one fails the whole request, as in CouchDB), and makes the
// bodies to store: on the request's worker, not on the one writer thread (it was a quarter of
// the writer's time in a pull). bulkDocs then writes them inside a write job: per-document
// results; new_edits=false answers failures only.
struct BulkDocsInput;
std::shared_ptr<const BulkDocsInput> readBulkDocs(const QJsonArray &docs, bool newEdits);
// The same for a whole new_edits=false request body, read as bytes: what replicators send
// (compact documents with plain ids and revisions) is spliced into the bodies to store
// without a JSON parse; any other document is parsed as readBulkDocs does, with the same
// errors. nullptr when the body is not such a request (new_edits true or absent, no `docs`
// array, a member named twice…): the caller then parses it. The text must have
// passed jsonTextProblemAt (the scan does not check UTF-8).
std::shared_ptr<const BulkDocsInput> readReplicatedBulkDocs(QByteArrayView body);
QJsonArray bulkDocs(WriteTxn &txn, const CollectionInfo &c, const BulkDocsInput &input);
// What was read, per document (id, rev, start, ids, deleted, body as an object and as the
// bytes to store): for tests and the fuzzer, which hold both readers to the same result.
QJsonArray describeBulkDocsInput(const BulkDocsInput &input);
// PUT /{db}/{docid} (and DELETE as a tombstone write); throws CouchError (409, 400).
QJsonObject putDocument(WriteTxn &txn, const CollectionInfo &c, const QString &id, QJsonObject doc,
                        bool newEdits);
// DELETE /{db}/{docid}: 404 when there is no live document (as CouchDB, which opens it first),
// 409 without a rev, else a tombstone after `rev`.
QJsonObject deleteDocument(WriteTxn &txn, const CollectionInfo &c, const QString &id,
                           const QByteArray &rev);
// PUT /{db}/{docid}/{name} (content) and DELETE (nullopt): a new revision after `rev` (a new
// document when PUT has no rev) with the attachment set or removed; the other attachments
// carry over. 409 for a rev that is not a leaf, 404 deleting an attachment that is not there.
struct AttachmentContent
{
    QByteArray contentType;
    QByteArray data;
};
QJsonObject updateAttachment(WriteTxn &txn, const CollectionInfo &c, const QString &id,
                             const QString &name, const QByteArray &rev,
                             const std::optional<AttachmentContent> &content);
QJsonObject putLocal(WriteTxn &txn, const CollectionInfo &c, const QString &id,
                     const QJsonObject &doc);
QJsonObject deleteLocal(WriteTxn &txn, const CollectionInfo &c, const QString &id,
                        const QByteArray &rev);

// Rules for the documents of one database (its validate_doc_update): called with each new
// body (without _id/_rev) before it is written; throws CouchError 403 forbidden to refuse.
// Set once at start (the replicator sets _replicator's).
using DocumentValidator = std::function<void(const QJsonObject &body)>;
void setDocumentValidator(const QString &database, DocumentValidator validator);
DocumentValidator documentValidator(const QString &database);

// Seq values are ticks; "now" is the collection's current update_seq. 400 bad_request else.
Tick parseSeq(storage::Connection &reader, const CollectionInfo &c, const QJsonValue &v);

} // namespace CouchService
} // namespace repl
