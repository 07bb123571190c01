#include "js/JsQueryServer.h"

#include <QJSEngine>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cerrno>
#include <sys/resource.h>
#include <unistd.h>

namespace repl::js {

namespace {

// Made before any user code runs, so the JSON functions it keeps are the real ones whatever
// the source does to the globals. bind(kind, fn) gives the function that answers one batch:
// it parses the request line, calls fn on each document and returns the answer's text.
const char *const Driver = R"JS(
(function (parse, stringify) {
    var state = { emitted: false };
    function text(e) {
        try { return String(e); } catch (x) { return "(an exception that cannot be shown)"; }
    }
    return {
        emit: function (key, value) { state.emitted = true; },
        log: function () {},
        bind: function (kind, fn) {
            return function (line) {
                var msg = parse(line);
                var docs = msg[1];
                var out = new Array(docs.length);
                var i;
                if (kind === "map") {
                    for (i = 0; i < docs.length; ++i) {
                        state.emitted = false;
                        try { fn(docs[i]); out[i] = state.emitted; } catch (e) { out[i] = false; }
                    }
                    return stringify({ ok: out });
                }
                var req = msg[2];
                for (i = 0; i < docs.length; ++i) {
                    try {
                        out[i] = fn(docs[i], req) ? true : false;
                    } catch (e) {
                        return stringify({ error: e instanceof Error ? "error" : "unnamed_error",
                                           reason: text(e), id: String(docs[i]._id) });
                    }
                }
                return stringify({ ok: out });
            };
        }
    };
})(JSON.parse, JSON.stringify)
)JS";

QByteArray errorAnswer(const QString &error, const QString &reason)
{
    return QJsonDocument(
               QJsonObject{{QStringLiteral("error"), error}, {QStringLiteral("reason"), reason}})
        .toJson(QJsonDocument::Compact);
}

// Half the CPU limit the server set (RLIMIT_CPU): past it the server replaces this process
// before the kernel kills it in the middle of someone's request.
bool shouldRetire()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_CPU, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return false;
    rusage used{};
    ::getrusage(RUSAGE_SELF, &used);
    const double seconds = double(used.ru_utime.tv_sec + used.ru_stime.tv_sec) +
                           double(used.ru_utime.tv_usec + used.ru_stime.tv_usec) / 1e6;
    return seconds * 2 > double(limit.rlim_cur);
}

bool writeAll(int fd, const QByteArray &data)
{
    qsizetype done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.constData() + done, size_t(data.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += n;
    }
    return true;
}

} // namespace

JsQueryServer::JsQueryServer() = default;
JsQueryServer::~JsQueryServer() = default;

int JsQueryServer::run(int in, int out)
{
    QByteArray buffer;
    char chunk[65536];
    for (;;) {
        qsizetype newline;
        while ((newline = buffer.indexOf('\n')) < 0) {
            const ssize_t n = ::read(in, chunk, sizeof chunk);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return 0; // the server closed its end
            buffer.append(chunk, n);
        }
        QByteArray answer = handle(buffer.left(newline));
        buffer.remove(0, newline + 1);
        if (shouldRetire() && answer.endsWith('}')) {
            answer.chop(1);
            answer += ",\"retire\":true}";
        }
        answer += '\n';
        if (!writeAll(out, answer))
            return 1;
    }
}

QByteArray JsQueryServer::handle(const QByteArray &line)
{
    if (line.startsWith("[\"compile\""))
        return compile(line);
    if (!m_run.isCallable())
        return errorAnswer(QStringLiteral("error"), QStringLiteral("no function compiled"));
    const QJSValue answer = m_run.call({QString::fromUtf8(line)});
    if (m_engine->hasError()) { // the driver catches the function's throws; this is ours
        const QJSValue e = m_engine->catchError();
        return errorAnswer(QStringLiteral("error"), e.toString());
    }
    if (answer.isError())
        return errorAnswer(QStringLiteral("error"), answer.toString());
    return answer.toString().toUtf8();
}

QByteArray JsQueryServer::compile(const QByteArray &line)
{
    const QJsonArray request = QJsonDocument::fromJson(line).array();
    const QString kind = request.at(1).toString();
    const QString source = request.at(2).toString();
    m_run = QJSValue();
    m_engine = std::make_unique<QJSEngine>();
    QJSEngine &e = *m_engine;
    const QJSValue driver = e.evaluate(QString::fromUtf8(Driver));
    e.globalObject().setProperty(QStringLiteral("emit"), driver.property(QStringLiteral("emit")));
    e.globalObject().setProperty(QStringLiteral("log"), driver.property(QStringLiteral("log")));
    // The source is an expression (CouchDB evaluates it the same way); whatever else it runs
    // runs here, under the server's clock.
    QStringList thrown;
    const QJSValue fn = e.evaluate(u'(' + source + u')', {}, 1, &thrown);
    if (!thrown.isEmpty() || fn.isError() || !fn.isCallable()) {
        const QString why = !thrown.isEmpty() || fn.isError()
                                ? fn.toString()
                                : QStringLiteral("the source does not evaluate to a function");
        return errorAnswer(QStringLiteral("compilation_error"), why);
    }
    m_run = driver.property(QStringLiteral("bind")).call({kind, fn});
    if (e.hasError() || !m_run.isCallable())
        return errorAnswer(QStringLiteral("compilation_error"), QStringLiteral("cannot bind"));
    return QByteArrayLiteral("{\"ok\":true}");
}

} // namespace repl::js
