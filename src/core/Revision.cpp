#include "core/Revision.h"

#include <QCryptographicHash>

#include <limits>

namespace repl {

RevisionView splitRevision(QByteArrayView text)
{
    const qsizetype dash = text.indexOf('-');
    if (dash <= 0 || dash + 1 >= text.size())
        return {};
    for (char c : text.first(dash))
        if (c < '0' || c > '9')
            return {};
    bool ok = false;
    const int gen = text.first(dash).toInt(&ok);
    // 2^31 - 1 has no successor: an edit of it would overflow (CouchDB has no such bound).
    if (!ok || gen <= 0 || gen == std::numeric_limits<int>::max())
        return {};
    return {gen, text.sliced(dash + 1)};
}

RevisionId parseRevision(QByteArrayView text)
{
    const RevisionView v = splitRevision(text);
    if (v.generation == 0)
        return {};
    return {v.generation, v.hash.toByteArray()};
}

RevisionId makeRevision(const RevisionId &parent, bool deleted, QByteArrayView body)
{
    QCryptographicHash md5(QCryptographicHash::Md5);
    md5.addData(parent.toBytes());
    md5.addData(deleted ? QByteArrayView("\1") : QByteArrayView("\0", 1));
    md5.addData(body);
    return {parent.generation + 1, md5.result().toHex()};
}

} // namespace repl
