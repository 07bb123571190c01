#pragma once

#include "core/Revision.h"
#include "engine/couch/CouchService.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

// Internal to the CouchDB face (CouchIncoming reads, CouchWrites writes): a document a client
// or a replicator sends, read and checked before anything is written.
namespace repl::CouchService::detail {

inline const QString LocalPrefix = QStringLiteral("_local/");

struct Incoming
{
    QString id;
    QByteArray body; // what is stored: every member but the special ones
    bool deleted = false;
    std::optional<RevisionId> rev;
    int start = 0;
    QList<QByteArray> ids; // _revisions.ids
    QJsonObject local;     // a _local document of a _bulk_docs: as given
};

// Rev hashes go into the stored tree encoding, so only plain characters are taken.
bool isPlainHash(QByteArrayView hash);
// A revision "N-hash" with a plain hash, else 400 "Invalid rev format".
RevisionId checkedRevision(QByteArrayView text);
// CouchDB's rules for ids (400 illegal_docid).
void checkDocId(const QString &id);
CouchError badSpecialMember(const QString &key);
// Reads a document as CouchDB's couch_doc:from_json_obj does; every problem is a CouchError
// that fails the whole request (400), before anything is written.
Incoming parseIncoming(const QJsonObject &doc, bool newEdits);
// With new_edits=false a document needs a rev.
void requireRev(const Incoming &in, bool newEdits);
// A _local document's body: what CouchDB keeps of it (no revision history of any kind).
QByteArray localBody(QJsonObject doc);

} // namespace repl::CouchService::detail

namespace repl::CouchService {

struct BulkDocsInput
{
    QList<detail::Incoming> parsed; // one per document, in order
    bool newEdits = true;
};

} // namespace repl::CouchService
