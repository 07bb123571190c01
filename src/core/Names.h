#pragma once

#include <QString>

namespace repl {

// Name rules (ArangoDB's "traditional" naming).
// Collections: a letter or '_' first, then letters, digits, '_' or '-'; at most 256 chars.
bool isValidCollectionName(QStringView name);
// Databases: "_system", or a letter first, then letters, digits, '_' or '-'; at most 64 chars.
bool isValidDatabaseName(QStringView name);
// Document keys: 1–254 bytes of [a-zA-Z0-9_-:.@()+,=;$!*'%]. Such keys never need JSON escaping.
bool isValidDocumentKey(QStringView key);
inline bool isSystemName(QStringView name)
{
    return name.startsWith(u'_');
}

} // namespace repl
