#include "support/CtlProcess.h"

#include <QProcess>
#include <QTest>

namespace repl::test {

QString ctlBinary()
{
    return QStringLiteral(REPLDESK_CTL_BINARY);
}

CtlRun runCtlWith(const QStringList &args, const QHash<QString, QString> &env, int timeoutMs)
{
    QProcess p;
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    for (auto it = env.begin(); it != env.end(); ++it)
        e.insert(it.key(), it.value());
    p.setProcessEnvironment(e);
    p.start(ctlBinary(), args);
    CtlRun r;
    if (!QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = "timed out";
        return r;
    }
    r.exitCode = p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace repl::test
