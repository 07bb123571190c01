// bench_engine: repldesk-server's write and read paths over real loopback HTTP, beside the
// raw SQLite insert rate of the same row shapes measured in the same run (the limit).
//
//   bench_engine [--docs N] [--singles N] [--json FILE]
#include "BenchTable.h"
#include "support/HttpClient.h"
#include "support/ServerProcess.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QVariant>

#include <sqlite3.h>

using repl::test::HttpClient;
using repl::test::HttpReply;
using repl::test::ServerProcess;

namespace {

QByteArray documentBody(int i)
{
    return QStringLiteral(
               "{\"_key\":\"d%1\",\"name\":\"customer %1\",\"city\":\"Berlin\",\"score\":%2,"
               "\"tags\":[\"a\",\"b\"],\"active\":true}")
        .arg(i)
        .arg(i % 997)
        .toUtf8();
}

// The limit: SQLite's own C API with our row shapes (document row + log row, same indexes,
// WAL, synchronous=NORMAL) in one transaction with prepared statements — nothing faster
// can store the same data, so the engine's rates are reported against it.
double rawSqliteRate(int n)
{
    QTemporaryDir dir;
    sqlite3 *db = nullptr;
    sqlite3_open(dir.filePath(QStringLiteral("raw.sqlite")).toUtf8().constData(), &db);
    auto exec = [db](const char *sql) { sqlite3_exec(db, sql, nullptr, nullptr, nullptr); };
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=NORMAL");
    exec("CREATE TABLE docs(id INTEGER PRIMARY KEY, cid INTEGER NOT NULL, key TEXT NOT NULL, rev "
         "TEXT "
         "NOT NULL, tick INTEGER NOT NULL, deleted INTEGER NOT NULL, body BLOB, revtree BLOB, "
         "UNIQUE(cid, key))");
    exec("CREATE INDEX docs_by_tick ON docs(cid, tick)");
    exec("CREATE TABLE log(tick INTEGER PRIMARY KEY, db INTEGER NOT NULL, sys INTEGER NOT NULL, "
         "line BLOB NOT NULL)");
    exec("CREATE INDEX log_by_db ON log(db, tick)");
    sqlite3_stmt *insDoc = nullptr, *insLog = nullptr;
    sqlite3_prepare_v2(
        db, "INSERT INTO docs(cid,key,rev,tick,deleted,body,revtree) VALUES(?,?,?,?,?,?,?)", -1,
        &insDoc, nullptr);
    sqlite3_prepare_v2(db, "INSERT INTO log(tick,db,sys,line) VALUES(?,?,?,?)", -1, &insLog,
                       nullptr);
    const QByteArray rev = "1-0123456789abcdef0123456789abcdef";
    const QByteArray tree = "-1:1:0123456789abcdef0123456789abcdef:0";
    QElapsedTimer t;
    t.start();
    exec("BEGIN");
    for (int i = 0; i < n; ++i) {
        const QByteArray body = documentBody(i);
        const QByteArray key = "d" + QByteArray::number(i);
        const QByteArray line = QByteArray(180, 'x') + body;
        sqlite3_bind_int64(insDoc, 1, 7);
        sqlite3_bind_text(insDoc, 2, key.constData(), int(key.size()), SQLITE_TRANSIENT);
        sqlite3_bind_text(insDoc, 3, rev.constData(), int(rev.size()), SQLITE_TRANSIENT);
        sqlite3_bind_int64(insDoc, 4, i + 1);
        sqlite3_bind_int64(insDoc, 5, 0);
        sqlite3_bind_blob(insDoc, 6, body.constData(), int(body.size()), SQLITE_TRANSIENT);
        sqlite3_bind_blob(insDoc, 7, tree.constData(), int(tree.size()), SQLITE_TRANSIENT);
        sqlite3_step(insDoc);
        sqlite3_reset(insDoc);
        sqlite3_bind_int64(insLog, 1, i + 1);
        sqlite3_bind_int64(insLog, 2, 1);
        sqlite3_bind_int64(insLog, 3, 0);
        sqlite3_bind_blob(insLog, 4, line.constData(), int(line.size()), SQLITE_TRANSIENT);
        sqlite3_step(insLog);
        sqlite3_reset(insLog);
    }
    exec("COMMIT");
    const double rate = n / (t.nsecsElapsed() / 1e9);
    sqlite3_finalize(insDoc);
    sqlite3_finalize(insLog);
    sqlite3_close(db);
    return rate;
}

// Single-document POSTs over `connections` keep-alive connections, each sending its next
// request when the previous answer arrived (like wrk): a lean client, so the figure is the
// server's, not QNetworkAccessManager's.
double singleInserts(const QUrl &base, int n, int connections)
{
    const QByteArray auth = "Basic " + ("root:" + ServerProcess::password().toUtf8()).toBase64();
    int sent = 0, done = 0, failed = 0;
    QEventLoop loop;
    struct Conn
    {
        QTcpSocket socket;
        QByteArray buffer;
    };
    std::vector<std::unique_ptr<Conn>> conns;
    auto sendNext = [&](Conn &c) {
        if (sent >= n)
            return;
        const QByteArray body = documentBody(sent++);
        c.socket.write("POST /_api/document/singles HTTP/1.1\r\nHost: x\r\nAuthorization: " + auth +
                       "\r\nContent-Type: application/json\r\nContent-Length: " +
                       QByteArray::number(body.size()) + "\r\n\r\n" + body);
    };
    QElapsedTimer t;
    for (int i = 0; i < connections; ++i) {
        auto c = std::make_unique<Conn>();
        Conn *cp = c.get();
        QObject::connect(&cp->socket, &QTcpSocket::readyRead, &loop, [&, cp] {
            cp->buffer += cp->socket.readAll();
            for (;;) {
                const qsizetype end = cp->buffer.indexOf("\r\n\r\n");
                if (end < 0)
                    return;
                const qsizetype cl = cp->buffer.indexOf("Content-Length: ");
                const qint64 length =
                    cl >= 0 && cl < end
                        ? cp->buffer.mid(cl + 16, cp->buffer.indexOf("\r\n", cl) - cl - 16)
                              .toLongLong()
                        : 0;
                if (cp->buffer.size() < end + 4 + length)
                    return;
                if (!cp->buffer.startsWith("HTTP/1.1 202"))
                    ++failed;
                cp->buffer.remove(0, end + 4 + length);
                if (++done == n) {
                    loop.quit();
                    return;
                }
                sendNext(*cp);
            }
        });
        cp->socket.connectToHost(base.host(), quint16(base.port()));
        cp->socket.waitForConnected(5000);
        conns.push_back(std::move(c));
    }
    t.start();
    for (auto &c : conns)
        sendNext(*c);
    loop.exec();
    if (failed)
        qWarning("single inserts: %d failed", failed);
    return n / (t.nsecsElapsed() / 1e9);
}

// A lean keep-alive HTTP/1.1 GET client (one connection), so the figure measures the
// server, not QNetworkAccessManager's buffering.
class RawClient
{
public:
    explicit RawClient(const QUrl &base)
        : m_base(base)
    {}

    struct Reply
    {
        int status = 0;
        QHash<QByteArray, QByteArray> headers;
        QByteArray body;
    };

    Reply get(const QString &pathAndQuery)
    {
        if (m_socket.state() != QAbstractSocket::ConnectedState) {
            m_socket.connectToHost(m_base.host(), quint16(m_base.port()));
            m_socket.waitForConnected(5000);
        }
        const QByteArray auth = ("root:" + ServerProcess::password().toUtf8()).toBase64();
        m_socket.write("GET " + pathAndQuery.toUtf8() + " HTTP/1.1\r\nHost: " +
                       m_base.host().toUtf8() + "\r\nAuthorization: Basic " + auth + "\r\n\r\n");
        Reply r;
        QByteArray head;
        while (!head.contains("\r\n\r\n")) {
            if (!m_socket.bytesAvailable() && !m_socket.waitForReadyRead(30000))
                return r;
            head += m_socket.read(qMax<qint64>(1, m_socket.bytesAvailable()));
        }
        const qsizetype end = head.indexOf("\r\n\r\n");
        QByteArray rest = head.mid(end + 4);
        const QList<QByteArray> lines = head.left(end).split('\n');
        r.status = lines.value(0).split(' ').value(1).toInt();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0)
                r.headers.insert(lines[i].left(colon).trimmed().toLower(),
                                 lines[i].mid(colon + 1).trimmed());
        }
        const qint64 length = r.headers.value("content-length").toLongLong();
        r.body.resize(length);
        qint64 have = qMin<qint64>(rest.size(), length);
        memcpy(r.body.data(), rest.constData(), size_t(have));
        while (have < length) {
            if (!m_socket.bytesAvailable() && !m_socket.waitForReadyRead(30000))
                break;
            have += m_socket.read(r.body.data() + have, length - have);
        }
        return r;
    }

private:
    QUrl m_base;
    QTcpSocket m_socket;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    QCommandLineOption docsOpt(QStringLiteral("docs"),
                               QStringLiteral("Documents for bulk/raw/follow/dump."),
                               QStringLiteral("N"), QStringLiteral("200000"));
    QCommandLineOption singlesOpt(QStringLiteral("singles"),
                                  QStringLiteral("Single-document inserts."), QStringLiteral("N"),
                                  QStringLiteral("20000"));
    QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Write results as JSON."),
                               QStringLiteral("FILE"));
    p.addOptions({docsOpt, singlesOpt, jsonOpt});
    p.process(app);
    const int n = p.value(docsOpt).toInt();
    const int singles = p.value(singlesOpt).toInt();

    QList<BenchRow> rows;
    const double raw = rawSqliteRate(n);
    rows.append({QStringLiteral("raw SQLite insert (C API, doc+log)"), raw,
                 QStringLiteral("docs/s"), QStringLiteral("the limit, same run")});

    ServerProcess server;
    if (!server.start()) {
        qCritical("cannot start repldesk-server: %s", qPrintable(server.errorString()));
        return 1;
    }
    HttpClient http(server.baseUrl());
    http.put(QStringLiteral("/_api/replication/logger-start"));
    http.post(QStringLiteral("/_api/collection"),
              QJsonObject{{QStringLiteral("name"), QStringLiteral("singles")}});
    http.post(QStringLiteral("/_api/collection"),
              QJsonObject{{QStringLiteral("name"), QStringLiteral("bulk")}});

    const double single1 = singleInserts(server.baseUrl(), singles / 4, 1);
    rows.append({QStringLiteral("single-document inserts, 1 client"), single1,
                 QStringLiteral("docs/s"),
                 QStringLiteral("%1 us per request").arg(1e6 / single1, 0, 'f', 0)});
    const double single = singleInserts(server.baseUrl(), singles, 16);
    rows.append({QStringLiteral("single-document inserts, 16 clients"), single,
                 QStringLiteral("docs/s"), QStringLiteral("keep-alive, logger on")});

    // Bulk import: JSON lines, 50k documents per request, one transaction each.
    const int batch = 50000;
    QElapsedTimer t;
    qint64 importNs = 0;
    for (int start = 0; start < n; start += batch) {
        QByteArray body;
        body.reserve(batch * 130);
        for (int i = start; i < qMin(n, start + batch); ++i) {
            body += documentBody(i);
            body += '\n';
        }
        t.start();
        const HttpReply r =
            http.post(QStringLiteral("/_api/import?collection=bulk&type=documents"), body);
        importNs += t.nsecsElapsed();
        if (r.status != 201) {
            qCritical("import failed: %d %s", r.status, r.body.constData());
            return 1;
        }
    }
    const double bulk = n / (importNs / 1e9);
    rows.append({QStringLiteral("bulk import over HTTP"), bulk, QStringLiteral("docs/s"),
                 QStringLiteral("%1% of raw SQLite").arg(100.0 * bulk / raw, 0, 'f', 0)});

    // Follow the whole log with large chunks.
    RawClient lean(server.baseUrl());
    auto followAll = [&](qint64 &bytes, qint64 &events) {
        bytes = events = 0;
        QString from = QStringLiteral("0");
        QElapsedTimer ft;
        ft.start();
        for (;;) {
            const auto r = lean.get(
                QStringLiteral("/_api/replication/logger-follow?chunkSize=16777216&from=") + from);
            if (r.status != 200)
                break;
            bytes += r.body.size();
            events += r.body.count('\n');
            from = QString::fromUtf8(r.headers.value("x-arango-replication-lastincluded"));
        }
        return ft.nsecsElapsed() / 1e9;
    };
    qint64 bytes = 0, events = 0;
    double best = 1e9;
    for (int i = 0; i < 3; ++i)
        best = qMin(best, followAll(bytes, events));
    rows.append({QStringLiteral("logger-follow throughput"), bytes / best / 1e6,
                 QStringLiteral("MB/s"),
                 QStringLiteral("%1 MB, chunkSize 16 MiB").arg(bytes / 1e6, 0, 'f', 1)});
    rows.append({QStringLiteral("logger-follow events"), events / best, QStringLiteral("events/s"),
                 QStringLiteral("%1 events").arg(events)});

    // Dump the bulk collection.
    auto dumpAll = [&](qint64 &docs) {
        docs = 0;
        QString from = QStringLiteral("0");
        QElapsedTimer dt;
        dt.start();
        for (;;) {
            const auto r = lean.get(
                QStringLiteral("/_api/replication/dump?collection=bulk&chunkSize=16777216&from=") +
                from);
            if (r.status != 200)
                break;
            docs += r.body.count('\n');
            from = QString::fromUtf8(r.headers.value("x-arango-replication-lastincluded"));
        }
        return dt.nsecsElapsed() / 1e9;
    };
    qint64 dumped = 0;
    double bestDump = 1e9;
    for (int i = 0; i < 3; ++i)
        bestDump = qMin(bestDump, dumpAll(dumped));
    rows.append({QStringLiteral("dump"), dumped / bestDump, QStringLiteral("docs/s"),
                 QStringLiteral("%1 docs").arg(dumped)});

    server.stop();
    const QString title = QStringLiteral("bench_engine (%1 docs, 2 cores, loopback)").arg(n);
    printTable(title, rows);
    if (p.isSet(jsonOpt))
        writeJson(p.value(jsonOpt), rowsToJson(title, rows));
    return 0;
}
