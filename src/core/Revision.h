#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace repl {

// Revision ids follow CouchDB: "N-<32 lowercase hex>", N = generation (depth in the tree).
struct RevisionId
{
    int generation = 0;
    QByteArray hash;

    QByteArray toBytes() const
    {
        QByteArray out = QByteArray::number(generation);
        out += '-';
        out += hash;
        return out;
    }
    bool isValid() const { return generation > 0 && !hash.isEmpty(); }
    friend bool operator==(const RevisionId &, const RevisionId &) = default;
};

// "N-hash" split without copying: the generation and a view of the hash (into `text`);
// generation 0 when the text is not of that form or N is 2^31 - 1 (it could not be edited).
struct RevisionView
{
    int generation = 0;
    QByteArrayView hash;
};
RevisionView splitRevision(QByteArrayView text);

// Parses "N-hash"; an invalid RevisionId when the text is not of that form.
RevisionId parseRevision(QByteArrayView text);

// A new revision after `parentRev` (empty for a first revision): md5 over the parent,
// the deleted flag and the body. Deterministic, so the same edit gives the same id everywhere.
RevisionId makeRevision(const RevisionId &parent, bool deleted, QByteArrayView body);

} // namespace repl
