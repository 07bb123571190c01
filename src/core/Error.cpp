#include "core/Error.h"

namespace repl {

QString defaultErrorMessage(int errorNum)
{
    switch (errorNum) {
    case ErrorNum::OutOfMemory:
        return QStringLiteral("out of memory");
    case ErrorNum::Internal:
        return QStringLiteral("internal error");
    case ErrorNum::Forbidden:
        return QStringLiteral("forbidden");
    case ErrorNum::BadParameter:
        return QStringLiteral("bad parameter");
    case ErrorNum::Unauthorized:
        return QStringLiteral("not authorized to execute this request");
    case ErrorNum::HttpNotFound:
        return QStringLiteral("not found");
    case ErrorNum::MethodNotAllowed:
        return QStringLiteral("method not supported");
    case ErrorNum::CursorNotFound:
        return QStringLiteral("cursor not found");
    case ErrorNum::CorruptedJson:
        return QStringLiteral("invalid JSON object");
    case ErrorNum::SuperfluousSuffices:
        return QStringLiteral("superfluous URL suffices");
    case ErrorNum::Conflict:
        return QStringLiteral("conflict");
    case ErrorNum::DocumentNotFound:
        return QStringLiteral("document not found");
    case ErrorNum::CollectionNotFound:
        return QStringLiteral("collection or view not found");
    case ErrorNum::CollectionParameterMissing:
        return QStringLiteral("collection parameter missing");
    case ErrorNum::DocumentHandleBad:
        return QStringLiteral("illegal document handle");
    case ErrorNum::DuplicateName:
        return QStringLiteral("duplicate name");
    case ErrorNum::IllegalName:
        return QStringLiteral("illegal name");
    case ErrorNum::UniqueConstraintViolated:
        return QStringLiteral("unique constraint violated");
    case ErrorNum::IndexNotFound:
        return QStringLiteral("index not found");
    case ErrorNum::IndexHandleBad:
        return QStringLiteral("illegal index identifier");
    case ErrorNum::CannotDropSystemCollection:
        return QStringLiteral("cannot drop system collection");
    case ErrorNum::CollectionTypeInvalid:
        return QStringLiteral("invalid collection type");
    case ErrorNum::DocumentKeyBad:
        return QStringLiteral("illegal document key");
    case ErrorNum::DocumentKeyUnexpected:
        return QStringLiteral("unexpected document key");
    case ErrorNum::DocumentTypeInvalid:
        return QStringLiteral("invalid document type");
    case ErrorNum::DatabaseNotFound:
        return QStringLiteral("database not found");
    case ErrorNum::DatabaseNameInvalid:
        return QStringLiteral("database name invalid");
    case ErrorNum::UseSystemDatabase:
        return QStringLiteral("operation only allowed in system database");
    case ErrorNum::ReplicationNoResponse:
        return QStringLiteral("no response");
    case ErrorNum::ReplicationInvalidResponse:
        return QStringLiteral("invalid response");
    case ErrorNum::ReplicationLeaderError:
        return QStringLiteral("leader error");
    case ErrorNum::ReplicationLeaderIncompatible:
        return QStringLiteral("leader incompatible");
    case ErrorNum::ReplicationLeaderChange:
        return QStringLiteral("leader change");
    case ErrorNum::ReplicationLoop:
        return QStringLiteral("loop detected");
    case ErrorNum::ReplicationUnexpectedMarker:
        return QStringLiteral("unexpected marker");
    case ErrorNum::ReplicationInvalidApplierState:
        return QStringLiteral("invalid applier state");
    case ErrorNum::ReplicationUnexpectedTransaction:
        return QStringLiteral("invalid transaction");
    case ErrorNum::ReplicationInvalidLoggerConfiguration:
        return QStringLiteral("invalid replication logger configuration");
    case ErrorNum::ReplicationInvalidApplierConfiguration:
        return QStringLiteral("invalid replication applier configuration");
    case ErrorNum::ReplicationRunning:
        return QStringLiteral("cannot perform operation while applier is running");
    case ErrorNum::ReplicationApplierStopped:
        return QStringLiteral("replication stopped");
    case ErrorNum::ReplicationNoStartTick:
        return QStringLiteral("no start tick");
    case ErrorNum::ReplicationStartTickNotPresent:
        return QStringLiteral("start tick not present");
    default:
        return QStringLiteral("error %1").arg(errorNum);
    }
}

Error::Error(int httpStatus, int errorNum, QString message)
    : m_httpStatus(httpStatus)
    , m_errorNum(errorNum)
    , m_message(message.isEmpty() ? defaultErrorMessage(errorNum) : std::move(message))
    , m_utf8(m_message.toUtf8())
{}

} // namespace repl
