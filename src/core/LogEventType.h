#pragma once

#include <QString>

namespace repl {

// Replication log event types (ArangoDB's codes, spec §15).
enum class LogEventType : int
{
    LoggerStopped = 1000,
    LoggerStarted = 1001,
    CollectionCreate = 2000,
    CollectionDrop = 2001,
    CollectionRename = 2002,
    CollectionChange = 2003,
    CollectionTruncate = 2004,
    IndexCreate = 2100,
    IndexDrop = 2101,
    TransactionStart = 2200,
    TransactionCommit = 2201,
    TransactionAbort = 2202,
    DocumentUpsert = 2300,
    EdgeUpsert = 2301,
    DocumentRemove = 2302,
};

// A short human name ("document insert/update", …) for logs and the GUI.
QString logEventTypeName(int type);
bool isKnownLogEventType(int type);

} // namespace repl
