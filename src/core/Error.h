#pragma once

#include <QString>

#include <exception>

namespace repl {

// ArangoDB error numbers used by ReplDesk (numbers are ArangoDB's, see spec §0.4).
namespace ErrorNum {
inline constexpr int None = 0;
inline constexpr int OutOfMemory = 3;
inline constexpr int Internal = 4;
inline constexpr int Forbidden = 11;
inline constexpr int BadParameter = 400;
inline constexpr int Unauthorized = 401;
inline constexpr int HttpNotFound = 404;
inline constexpr int MethodNotAllowed = 405;
inline constexpr int CorruptedJson = 600;
inline constexpr int SuperfluousSuffices = 601;
inline constexpr int Conflict = 1200;
inline constexpr int DocumentNotFound = 1202;
inline constexpr int CollectionNotFound = 1203;
inline constexpr int CollectionParameterMissing = 1204;
inline constexpr int DocumentHandleBad = 1205;
inline constexpr int DuplicateName = 1207;
inline constexpr int IllegalName = 1208;
inline constexpr int UniqueConstraintViolated = 1210;
inline constexpr int IndexNotFound = 1212;
inline constexpr int IndexHandleBad = 1214;
inline constexpr int CollectionTypeInvalid = 1218;
inline constexpr int DocumentKeyBad = 1221;
inline constexpr int DocumentKeyUnexpected = 1222;
inline constexpr int DocumentTypeInvalid = 1227;
inline constexpr int DatabaseNotFound = 1228;
inline constexpr int DatabaseNameInvalid = 1229;
inline constexpr int UseSystemDatabase = 1230;
inline constexpr int CannotDropSystemCollection = 1217;
inline constexpr int ReplicationNoResponse = 1400;
inline constexpr int ReplicationInvalidResponse = 1401;
inline constexpr int ReplicationLeaderError = 1402;
inline constexpr int ReplicationLeaderIncompatible = 1403;
inline constexpr int ReplicationLeaderChange = 1404;
inline constexpr int ReplicationLoop = 1405;
inline constexpr int ReplicationUnexpectedMarker = 1406;
inline constexpr int ReplicationInvalidApplierState = 1407;
inline constexpr int ReplicationUnexpectedTransaction = 1408;
inline constexpr int ReplicationInvalidLoggerConfiguration = 1409;
inline constexpr int ReplicationInvalidApplierConfiguration = 1410;
inline constexpr int ReplicationRunning = 1411;
inline constexpr int ReplicationApplierStopped = 1412;
inline constexpr int ReplicationNoStartTick = 1413;
inline constexpr int ReplicationStartTickNotPresent = 1414;
inline constexpr int CursorNotFound = 1600; // also: a replication batch that does not exist
} // namespace ErrorNum

// The default text ArangoDB gives an error number.
QString defaultErrorMessage(int errorNum);

// An error that maps to an HTTP answer. Thrown inside the engine and the server's
// controllers, caught at the request boundary and turned into an error body.
class Error : public std::exception
{
public:
    Error(int httpStatus, int errorNum, QString message = {});

    int httpStatus() const noexcept { return m_httpStatus; }
    int errorNum() const noexcept { return m_errorNum; }
    const QString &message() const noexcept { return m_message; }
    const char *what() const noexcept override { return m_utf8.constData(); }

    // A new exception object equal to this one, of the same type: for handing an error to
    // another thread without sharing the object (an exception_ptr's count is kept inside
    // libstdc++, where ThreadSanitizer cannot see it).
    virtual std::exception_ptr clone() const { return std::make_exception_ptr(*this); }

    static Error badParameter(const QString &message)
    {
        return {400, ErrorNum::BadParameter, message};
    }
    static Error internal(const QString &message) { return {500, ErrorNum::Internal, message}; }

private:
    int m_httpStatus;
    int m_errorNum;
    QString m_message;
    QByteArray m_utf8;
};

} // namespace repl
