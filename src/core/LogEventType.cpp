#include "core/LogEventType.h"

namespace repl {

QString logEventTypeName(int type)
{
    switch (static_cast<LogEventType>(type)) {
    case LogEventType::LoggerStopped:
        return QStringLiteral("logger stopped");
    case LogEventType::LoggerStarted:
        return QStringLiteral("logger started");
    case LogEventType::CollectionCreate:
        return QStringLiteral("collection create");
    case LogEventType::CollectionDrop:
        return QStringLiteral("collection drop");
    case LogEventType::CollectionRename:
        return QStringLiteral("collection rename");
    case LogEventType::CollectionChange:
        return QStringLiteral("collection change");
    case LogEventType::CollectionTruncate:
        return QStringLiteral("collection truncate");
    case LogEventType::IndexCreate:
        return QStringLiteral("index create");
    case LogEventType::IndexDrop:
        return QStringLiteral("index drop");
    case LogEventType::TransactionStart:
        return QStringLiteral("transaction start");
    case LogEventType::TransactionCommit:
        return QStringLiteral("transaction commit");
    case LogEventType::TransactionAbort:
        return QStringLiteral("transaction abort");
    case LogEventType::DocumentUpsert:
        return QStringLiteral("document insert/update");
    case LogEventType::EdgeUpsert:
        return QStringLiteral("edge insert/update");
    case LogEventType::DocumentRemove:
        return QStringLiteral("document remove");
    }
    return QStringLiteral("unknown (%1)").arg(type);
}

bool isKnownLogEventType(int type)
{
    return !logEventTypeName(type).startsWith(u"unknown");
}

} // namespace repl
