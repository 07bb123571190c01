// POST /{db}/_revs_diff: which of the given revisions this database lacks. Read from the
// request's bytes and answered as bytes: a replicator sends one per batch, thousands of ids.
#include "engine/couch/CouchService.h"

#include "core/DocumentJson.h"
#include "core/JsonScan.h"
#include "core/RevTree.h"
#include "core/Revision.h"
#include "storage/Connection.h"
#include "storage/DocumentTable.h"

#include <QHash>

namespace repl::CouchService {

namespace {

CouchError notAnArray(const QString &id)
{
    return CouchError::badRequest(QStringLiteral("revs for %1 must be an array").arg(id));
}

CouchError notStrings(const QString &id)
{
    return CouchError::badRequest(QStringLiteral("revs for %1 must be strings").arg(id));
}

// A later entry for the same id replaces the earlier one (and what was wrong with it), as a
// JSON object reads it.
void add(QList<RevsDiffEntry> &out, QList<std::optional<CouchError>> &wrong,
         QHash<QString, qsizetype> &index, RevsDiffEntry entry, std::optional<CouchError> error)
{
    const auto it = index.constFind(entry.id);
    if (it != index.constEnd()) {
        out[it.value()] = std::move(entry);
        wrong[it.value()] = std::move(error);
        return;
    }
    index.insert(entry.id, out.size());
    out.append(std::move(entry));
    wrong.append(std::move(error));
}

// A JSON string's text: plain bytes as they are, escapes decoded.
std::optional<QByteArray> stringText(QByteArrayView value)
{
    QByteArrayView plain;
    if (jsonscan::plainStringValue(value, plain))
        return plain.toByteArray(); // no round trip through UTF-16 for the common case
    const std::optional<QString> text = jsonStringValue(value);
    return text ? std::optional<QByteArray>(text->toUtf8()) : std::nullopt;
}

} // namespace

std::optional<QList<RevsDiffEntry>> readRevsDiff(QByteArrayView body)
{
    QList<RevsDiffEntry> out;
    QHash<QString, qsizetype> index;
    // A wrong type is answered only once the whole text is known to be JSON (broken text gets
    // the parser's message instead), and only for an entry no later one replaces.
    QList<std::optional<CouchError>> wrong;
    const bool scanned = jsonscan::wholeObject(body, [&](const jsonscan::Member &m) {
        RevsDiffEntry entry;
        const std::optional<QByteArray> id =
            m.escaped ? stringText(body.sliced(m.begin, m.name.size() + 2)) : m.name.toByteArray();
        if (!id)
            return false;
        entry.id = QString::fromUtf8(*id);
        std::optional<CouchError> error;
        if (!m.value.startsWith('[')) {
            error = notAnArray(entry.id);
        } else {
            qsizetype at = 0;
            jsonscan::elements(m.value, at, [&](QByteArrayView rev) {
                std::optional<QByteArray> text = stringText(rev);
                if (!text && !error)
                    error = notStrings(entry.id);
                if (text)
                    entry.revs.append(std::move(*text));
                return true;
            });
        }
        add(out, wrong, index, std::move(entry), std::move(error));
        return true;
    });
    if (!scanned)
        return std::nullopt;
    for (const std::optional<CouchError> &error : wrong)
        if (error)
            throw *error;
    return out;
}

QList<RevsDiffEntry> readRevsDiff(const QJsonObject &body)
{
    QList<RevsDiffEntry> out;
    out.reserve(body.size());
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (!it.value().isArray())
            throw notAnArray(it.key());
        RevsDiffEntry entry{it.key(), {}};
        for (const QJsonValue &v : it.value().toArray()) {
            if (!v.isString())
                throw notStrings(it.key());
            entry.revs.append(v.toString().toUtf8());
        }
        out.append(std::move(entry));
    }
    return out;
}

QByteArray revsDiff(storage::Connection &reader, const CollectionInfo &c,
                    const QList<RevsDiffEntry> &request)
{
    QByteArray out;
    out.reserve(request.size() * 64 + 2);
    out.append('{');
    const storage::ReadSnapshot snapshot(reader);
    storage::DocumentTable docs(reader);
    QList<QByteArrayView> missing;
    for (const RevsDiffEntry &entry : request) {
        const auto row = docs.get(c.cid, entry.id);
        const RevTree tree = row ? RevTree::fromBytes(row->revtree) : RevTree();
        missing.clear();
        int maxMissing = 0;
        for (const QByteArray &rev : entry.revs) {
            const RevisionId r = parseRevision(rev);
            if (row && (row->rev == rev || tree.find(r) >= 0))
                continue;
            if (!missing.contains(QByteArrayView(rev)))
                missing.append(rev);
            maxMissing = qMax(maxMissing, r.generation);
        }
        if (missing.isEmpty())
            continue;
        if (out.size() > 1)
            out.append(',');
        appendJsonString(out, entry.id.toUtf8());
        out.append(":{\"missing\":[");
        for (qsizetype i = 0; i < missing.size(); ++i) {
            if (i > 0)
                out.append(',');
            appendJsonString(out, missing[i]);
        }
        out.append(']');
        bool ancestors = false;
        for (int leaf : tree.leaves()) {
            if (tree.nodes()[leaf].generation >= maxMissing)
                continue;
            out.append(ancestors ? "," : ",\"possible_ancestors\":[");
            ancestors = true;
            appendJsonString(out, tree.revision(leaf).toBytes());
        }
        out.append(ancestors ? "]}" : "}");
    }
    out.append('}');
    return out;
}

} // namespace repl::CouchService
