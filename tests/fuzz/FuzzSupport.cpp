// libFuzzer's optional initializer, linked into every target: Qt's warnings (an invalid
// regular expression, a QUrl it will not parse) are expected for most inputs, so they are
// not printed. qFatal still aborts after the handler returns.
#include <QtGlobal>

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    qInstallMessageHandler([](QtMsgType, const QMessageLogContext &, const QString &) {});
    return 0;
}
