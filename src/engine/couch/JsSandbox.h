#pragma once

#include "engine/Engine.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

namespace repl {

class JsFunction;

// Design documents' JavaScript (changes filters, `_view` maps), run the way CouchDB runs it:
// in helper processes (`repldesk-js`, the query server in src/js), never on a server thread.
// - Helpers are started on demand, up to Limits::processes, and reused across requests (one
//   that still holds the same source skips compiling). One that timed out, crashed or was
//   killed is replaced by a fresh one at the next request.
// - Every exchange — compiling the source, which may run code outside the function, and each
//   batch of documents — must be answered within Limits::timeoutMs, or the helper is killed.
// - Each helper runs under rlimits set between fork and exec: address space (memoryBytes),
//   CPU seconds over its life (it asks to be replaced at half), no core files; at nice 10,
//   so a spinning filter leaves the CPU to requests; with no inherited descriptors besides
//   its socket and stderr, and no environment (the server's holds the root password).
// - A request that finds every helper busy may wait for one (Limits::waiting of them at a
//   time, up to waitMs); the others get 503 at once. So JavaScript never holds more than
//   processes + waiting request workers, and the server keeps answering.
// Thread-safe. Attached to the engine (of()); close() kills the helpers, so a worker in the
// middle of a call returns at once and the engine's shutdown never waits for JavaScript.
class JsSandbox final : public Engine::Service
{
public:
    struct Limits
    {
        int timeoutMs = 5000;                   // CouchDB's os_process_timeout
        qint64 memoryBytes = qint64(512) << 20; // RLIMIT_AS; 0: none (sanitizer builds)
        int cpuSeconds = 60;                    // RLIMIT_CPU, over a helper's whole life
        int processes = 3;
        int waiting = 1;
        int waitMs = 1000;
    };
    enum class Kind
    {
        Filter,
        Map
    };

    // The engine's sandbox, attached on first use. The helper is REPLDESK_JS_BINARY when set,
    // else `repldesk-js` beside the running executable.
    static JsSandbox &of(Engine &engine);
    static QString defaultProgram();
    static Limits defaultLimits();

    JsSandbox(QString program, Limits limits);
    ~JsSandbox() override;
    JsSandbox(const JsSandbox &) = delete;
    JsSandbox &operator=(const JsSandbox &) = delete;

    void close() override;
    const Limits &limits() const { return m_limits; }

    // `source` (a function expression) compiled in a helper that the returned function holds
    // until it is destroyed. `name` is how errors name it ("filter ddoc/f"). Throws CouchError:
    // 500 compilation_error, 500 os_process_error (timed out, killed, helper missing), 503
    // os_process_error when every helper is busy or the server is stopping.
    std::unique_ptr<JsFunction> compile(Kind kind, const QString &name, const QString &source);

private:
    friend class JsFunction;
    struct Helper;
    enum class Failure
    {
        Timeout,
        Died,
        Garbled
    };

    std::unique_ptr<Helper> acquire(const QByteArray &key, const QString &name);
    std::unique_ptr<Helper> spawn(const QString &name);
    void release(std::unique_ptr<Helper> helper);
    // One line out, one answer line back within the time limit; throws CouchError naming
    // `name` (and `doing`) after killing the helper when it did not answer.
    QByteArray exchange(Helper &helper, const QByteArray &line, const QString &name,
                        const QString &doing);
    // Kills and reaps it (no longer counted), then throws the error that says why it stopped.
    [[noreturn]] void fail(Helper &helper, Failure failure, const QString &name,
                           const QString &doing);

    const QString m_program;
    const Limits m_limits;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::vector<std::unique_ptr<Helper>> m_idle;
    std::set<Helper *> m_busy; // killed by close(); never reaped while listed here
    int m_live = 0;            // helpers idle, busy or being started
    int m_waiting = 0;
    bool m_closed = false;
};

// A compiled filter or map function, holding its helper (see JsSandbox::compile).
class JsFunction final
{
public:
    ~JsFunction(); // gives the helper back (or has it replaced after a failure)
    JsFunction(const JsFunction &) = delete;
    JsFunction &operator=(const JsFunction &) = delete;

    // Whether each document (a JSON object's text) passes: the filter's answer for
    // (doc, req) taken as a boolean, or whether the map emitted. One exchange for the batch.
    // Throws CouchError naming the function: 500 error/unnamed_error when it throws (with
    // the document), 500 os_process_error when it times out or its helper dies.
    QList<bool> run(const QList<QByteArray> &docs, const QByteArray &req = {});

private:
    friend class JsSandbox;
    JsFunction(JsSandbox &sandbox, std::unique_ptr<JsSandbox::Helper> helper, JsSandbox::Kind kind,
               QString name);

    JsSandbox &m_sandbox;
    std::unique_ptr<JsSandbox::Helper> m_helper;
    JsSandbox::Kind m_kind;
    QString m_name;
};

} // namespace repl
