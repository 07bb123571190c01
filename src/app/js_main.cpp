// repldesk-js: the JavaScript query server that repldesk-server starts for design documents'
// filters and view maps (JsSandbox). Speaks on stdin/stdout; not meant to be run by hand.
#include "js/JsQueryServer.h"

#include <QCoreApplication>

#include <cstdlib>
#include <exception>
#include <new>
#include <unistd.h>

namespace {
// Out of memory (the server's RLIMIT_AS): exit with a code the server reports as such.
constexpr int ExitOutOfMemory = 3;
} // namespace

int main(int argc, char *argv[])
{
    std::set_new_handler([] { ::_exit(ExitOutOfMemory); });
    std::set_terminate([] { // Qt throws std::bad_alloc itself (q_check_ptr)
        try {
            if (const auto e = std::current_exception())
                std::rethrow_exception(e);
        } catch (const std::bad_alloc &) {
            ::_exit(ExitOutOfMemory);
        } catch (...) {
        }
        std::abort();
    });
    QCoreApplication app(argc, argv);
    return repl::js::JsQueryServer().run(STDIN_FILENO, STDOUT_FILENO);
}
