#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QTcpSocket>
#include <QUrl>

#include <vector>

// Shared pieces of the benchmark programs: the document shape, the raw SQLite limit and lean
// loopback clients (so figures measure the server, not QNetworkAccessManager).
namespace bench {

QByteArray documentBody(int i, const QByteArray &keyPrefix = "d");

// The p-quantile (0..1) of `v`, nearest rank; 0 for none.
double percentile(std::vector<double> v, double p);
inline double median(const std::vector<double> &v)
{
    return percentile(v, 0.5);
}
// docs_written of a one-shot /_replicate answer (its newest history entry); 0 when absent.
int docsWritten(const QByteArray &replicateAnswer);

// "0.93 / 1.02 / 0.88": the single rounds behind a median.
QString listOf(const std::vector<double> &v, int decimals);

// SQLite's own C API with our row shapes in one transaction with prepared statements:
// document rows, plus one log row each when `withLog`. Nothing faster can store the same data:
// the rows are made before the clock starts, so the rate is SQLite's alone.
// `prefill` rows are inserted first, untimed, so the rate is that of a table that size.
double rawSqliteRate(int n, bool withLog, int prefill = 0);

// Single-document POSTs over `connections` keep-alive connections (like wrk); keys are
// `keyPrefix` + a number, so calls with different prefixes never collide. A failed insert is
// reported, and the rate counts only the ones that succeeded.
double singleInserts(const QUrl &base, const QString &collection, int n, int connections,
                     const QByteArray &keyPrefix);

// A keep-alive HTTP/1.1 client on one blocking socket (use it from one thread). Answers with
// Content-Length or chunked. By default every request carries Basic auth for our servers'
// root; Auth::FromUrl takes the credentials from the URL's userinfo instead, and sends none
// when it has none (pouchdb-server -m answers 401 to a user it does not know).
class RawClient
{
public:
    enum class Auth
    {
        Root,
        FromUrl
    };
    explicit RawClient(const QUrl &base, Auth auth = Auth::Root);
    struct Reply
    {
        int status = 0;
        QHash<QByteArray, QByteArray> headers;
        QByteArray body;
    };
    Reply get(const QString &pathAndQuery) { return request("GET", pathAndQuery, {}); }
    Reply request(const QByteArray &method, const QString &pathAndQuery, const QByteArray &body);

private:
    QUrl m_base;
    QByteArray m_auth; // the Authorization header's value, none when empty
    QTcpSocket m_socket;
};

} // namespace bench
