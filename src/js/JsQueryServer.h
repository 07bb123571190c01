#pragma once

#include <QByteArray>
#include <QJSValue>

#include <memory>

class QJSEngine;

namespace repl::js {

// The query server inside `repldesk-js`: answers the server's requests, one JSON array per
// line in, one JSON object per line out (see JsSandbox, which writes them):
//   ["compile", "filter"|"map", source]  → {"ok":true} | {"error":"compilation_error","reason"}
//   ["filter", [doc…], req]              → {"ok":[bool…]} | {"error","reason","id"} (it threw)
//   ["map", [doc…]]                      → {"ok":[bool…]} (whether the map emitted; a map that
//                                          throws on a document emits nothing, as CouchDB)
// Each compile starts a fresh QJSEngine, so one design document's globals never reach
// another's. Answers carry "retire":true once the process has used half its CPU limit.
//
// Nothing here is trusted to stop: the source may loop or allocate forever. The server times
// every answer and kills the process; the rlimits it set before exec bound memory and CPU.
class JsQueryServer final
{
public:
    JsQueryServer();
    ~JsQueryServer();
    JsQueryServer(const JsQueryServer &) = delete;
    JsQueryServer &operator=(const JsQueryServer &) = delete;

    // Answers requests from file descriptor `in` on `out` until `in` ends; the exit code.
    int run(int in, int out);
    // One request line (without its newline) → its answer (without newline).
    QByteArray handle(const QByteArray &line);

private:
    QByteArray compile(const QByteArray &line);

    std::unique_ptr<QJSEngine> m_engine;
    QJSValue m_run; // the compiled function bound into the driver: line → answer text
};

} // namespace repl::js
