#include "BenchSupport.h"

#include "support/ServerProcess.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <sqlite3.h>

#include <algorithm>
#include <memory>
#include <vector>

namespace bench {

namespace {
QByteArray authHeader()
{
    return "Basic " + ("root:" + repl::test::ServerProcess::password().toUtf8()).toBase64();
}
} // namespace

QByteArray documentBody(int i, const QByteArray &keyPrefix)
{
    return "{\"_key\":\"" + keyPrefix + QByteArray::number(i) + "\",\"name\":\"customer " +
           QByteArray::number(i) +
           "\",\"city\":\"Berlin\",\"score\":" + QByteArray::number(i % 997) +
           ",\"tags\":[\"a\",\"b\"],\"active\":true}";
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5))];
}

int docsWritten(const QByteArray &replicateAnswer)
{
    return QJsonDocument::fromJson(replicateAnswer)
        .object()
        .value(QStringLiteral("history"))
        .toArray()
        .first()
        .toObject()
        .value(QStringLiteral("docs_written"))
        .toInt();
}

QString listOf(const std::vector<double> &v, int decimals)
{
    QStringList parts;
    for (double x : v)
        parts.append(QString::number(x, 'f', decimals));
    return parts.join(QStringLiteral(" / "));
}

double rawSqliteRate(int n, bool withLog, int prefill)
{
    QTemporaryDir dir;
    sqlite3 *db = nullptr;
    sqlite3_open(dir.filePath(QStringLiteral("raw.sqlite")).toUtf8().constData(), &db);
    auto exec = [db](const char *sql) { sqlite3_exec(db, sql, nullptr, nullptr, nullptr); };
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=NORMAL");
    exec("PRAGMA cache_size=-65536"); // the engine's page cache
    exec("CREATE TABLE docs(id INTEGER PRIMARY KEY, cid INTEGER NOT NULL, key TEXT NOT NULL, rev "
         "TEXT NOT NULL, tick INTEGER NOT NULL, deleted INTEGER NOT NULL, body BLOB, revtree BLOB, "
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
    // The rows are made before the clock starts: the limit is SQLite's, not our formatting.
    struct Span
    {
        qsizetype keyAt, keyLength, bodyAt, bodyLength, lineAt, lineLength;
    };
    QByteArray text;
    std::vector<Span> spans;
    spans.reserve(size_t(prefill + n));
    for (int i = 0; i < prefill + n; ++i) {
        const QByteArray key = "d" + QByteArray::number(i);
        const QByteArray body = documentBody(i);
        // A log row: an event header's worth of bytes, then the document.
        const QByteArray line = withLog ? QByteArray(180, 'x') + body : QByteArray();
        const qsizetype at = text.size();
        spans.push_back({at, key.size(), at + key.size(), body.size(),
                         at + key.size() + body.size(), line.size()});
        text += key;
        text += body;
        text += line;
    }
    const char *base = text.constData();
    QElapsedTimer t;
    for (int round = prefill > 0 ? 0 : 1; round < 2; ++round) {
        const int first = round == 0 ? 0 : prefill;
        const int last = round == 0 ? prefill : prefill + n;
        if (round == 1)
            t.start();
        exec("BEGIN");
        for (int i = first; i < last; ++i) {
            const Span &sp = spans[size_t(i)];
            sqlite3_bind_int64(insDoc, 1, 7);
            sqlite3_bind_text(insDoc, 2, base + sp.keyAt, int(sp.keyLength), SQLITE_STATIC);
            sqlite3_bind_text(insDoc, 3, rev.constData(), int(rev.size()), SQLITE_STATIC);
            sqlite3_bind_int64(insDoc, 4, i + 1);
            sqlite3_bind_int64(insDoc, 5, 0);
            sqlite3_bind_blob(insDoc, 6, base + sp.bodyAt, int(sp.bodyLength), SQLITE_STATIC);
            sqlite3_bind_blob(insDoc, 7, tree.constData(), int(tree.size()), SQLITE_STATIC);
            sqlite3_step(insDoc);
            sqlite3_reset(insDoc);
            if (withLog) {
                sqlite3_bind_int64(insLog, 1, i + 1);
                sqlite3_bind_int64(insLog, 2, 1);
                sqlite3_bind_int64(insLog, 3, 0);
                sqlite3_bind_blob(insLog, 4, base + sp.lineAt, int(sp.lineLength), SQLITE_STATIC);
                sqlite3_step(insLog);
                sqlite3_reset(insLog);
            }
        }
        exec("COMMIT");
    }
    const double rate = n / (t.nsecsElapsed() / 1e9);
    sqlite3_finalize(insDoc);
    sqlite3_finalize(insLog);
    sqlite3_close(db);
    return rate;
}

double singleInserts(const QUrl &base, const QString &collection, int n, int connections,
                     const QByteArray &keyPrefix)
{
    const QByteArray auth = authHeader();
    const QByteArray path = "/_api/document/" + collection.toUtf8();
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
        const QByteArray body = documentBody(sent++, keyPrefix);
        c.socket.write("POST " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + auth +
                       "\r\nContent-Type: application/json\r\nContent-Length: " +
                       QByteArray::number(body.size()) + "\r\n\r\n" + body);
    };
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
                if (!cp->buffer.startsWith("HTTP/1.1 20"))
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
    QElapsedTimer t;
    t.start();
    for (auto &c : conns)
        sendNext(*c);
    loop.exec();
    if (failed)
        qWarning("single inserts: %d of %d failed", failed, n);
    return (n - failed) / (t.nsecsElapsed() / 1e9);
}

RawClient::RawClient(const QUrl &base, Auth auth)
    : m_base(base)
{
    if (auth == Auth::Root)
        m_auth = authHeader();
    else if (!base.userName().isEmpty())
        m_auth = "Basic " +
                 (base.userName(QUrl::FullyDecoded) + u':' + base.password(QUrl::FullyDecoded))
                     .toUtf8()
                     .toBase64();
}

RawClient::Reply RawClient::request(const QByteArray &method, const QString &pathAndQuery,
                                    const QByteArray &body)
{
    if (m_socket.state() != QAbstractSocket::ConnectedState) {
        m_socket.connectToHost(m_base.host(), quint16(m_base.port()));
        m_socket.waitForConnected(5000);
    }
    QByteArray head = method + ' ' + pathAndQuery.toUtf8() + " HTTP/1.1\r\nHost: x\r\n";
    if (!m_auth.isEmpty())
        head += "Authorization: " + m_auth + "\r\n";
    if (!body.isEmpty())
        head +=
            "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
            "\r\n";
    m_socket.write(head + "\r\n" + body);
    Reply r;
    QByteArray buf;
    // More of the answer into `into`; false when none came within a minute.
    auto more = [this](QByteArray &into) {
        if (!m_socket.bytesAvailable() && !m_socket.waitForReadyRead(60000))
            return false;
        into += m_socket.read(qMax<qint64>(1, m_socket.bytesAvailable()));
        return true;
    };
    while (!buf.contains("\r\n\r\n"))
        if (!more(buf))
            return r;
    const qsizetype end = buf.indexOf("\r\n\r\n");
    QByteArray rest = buf.mid(end + 4);
    const QList<QByteArray> lines = buf.left(end).split('\n');
    r.status = lines.value(0).split(' ').value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0)
            r.headers.insert(lines[i].left(colon).trimmed().toLower(),
                             lines[i].mid(colon + 1).trimmed());
    }
    if (r.headers.value("transfer-encoding").toLower().contains("chunked")) {
        // Chunks: a hex size line, that many bytes, CRLF; a zero size, trailers, an empty line.
        // A broken or stalled answer gives status 0.
        qsizetype at = 0;
        for (;;) {
            qsizetype eol;
            while ((eol = rest.indexOf("\r\n", at)) < 0)
                if (!more(rest))
                    return Reply{};
            bool ok = false;
            const qint64 size =
                rest.mid(at, eol - at).split(';').first().trimmed().toLongLong(&ok, 16);
            if (!ok || size < 0)
                return Reply{};
            at = eol + 2;
            if (size == 0) {
                while ((eol = rest.indexOf("\r\n", at)) != at) {
                    if (eol > at)
                        at = eol + 2; // a trailer line
                    else if (!more(rest))
                        return Reply{};
                }
                break;
            }
            while (rest.size() < at + size + 2)
                if (!more(rest))
                    return Reply{};
            r.body.append(rest.constData() + at, size);
            at += size + 2;
            if (at > (1 << 20)) { // what is read drops off, so big answers stay linear
                rest.remove(0, at);
                at = 0;
            }
        }
        return r;
    }
    const qint64 length = r.headers.value("content-length").toLongLong();
    r.body.resize(length);
    qint64 have = qMin<qint64>(rest.size(), length);
    memcpy(r.body.data(), rest.constData(), size_t(have));
    while (have < length) {
        if (!m_socket.bytesAvailable() && !m_socket.waitForReadyRead(60000))
            break;
        have += m_socket.read(r.body.data() + have, length - have);
    }
    return r;
}

} // namespace bench
