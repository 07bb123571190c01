#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

namespace repl::test {

// repldeskctl run to its end as a child process (REPLDESK_CTL_BINARY, the build's own).
struct CtlRun
{
    int exitCode = -1;
    QByteArray out, err;
};

// Keeps this thread's event loop turning while the tool runs, so servers that live here (the
// FAKE ArangoDB) can answer it. `env` is added to this process's environment.
CtlRun runCtlWith(const QStringList &args, const QHash<QString, QString> &env = {},
                  int timeoutMs = 30000);
QString ctlBinary();

} // namespace repl::test
