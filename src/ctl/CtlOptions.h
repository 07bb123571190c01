#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace repl::ctl {

// What one repldeskctl invocation asks for, parsed and checked (no I/O).
struct CtlOptions
{
    QString server = QStringLiteral("http://127.0.0.1:8529"); // URL, or a saved server's name
    QString user = QStringLiteral("root");
    bool userGiven = false;
    QString passwordEnv;
    bool passwordStdin = false;
    QString database = QStringLiteral("_system");
    bool databaseGiven = false;
    bool json = false;
    double timeoutSeconds = 30;
    QString caFile;        // PEM CAs trusted beyond the system's
    QString pinnedSha256;  // the one certificate accepted (normalized), "" none
    bool pinGiven = false; // --pin given: it overrides the app's pin for --server NAME

    QStringList command; // e.g. {"applier", "start"}
    bool global = false;
    QString from;
    qint64 limit = -1;
    // sync
    QString leader;
    QString leaderUser = QStringLiteral("root");
    QString leaderPasswordEnv;
    QString leaderDatabase;
    QStringList collections;
    QStringList exclude;
    bool includeSystem = false;
    bool preview = false; // sync, restore
    std::optional<QString> confirm;
    // backup, restore
    QString folder;
    QString pointId; // restore-points restore|discard ID
    // restore-points retention: what to change (neither: print it)
    std::optional<int> keep;
    std::optional<qint64> maxBytes;
};

// Parses argv (without the program name). On --help, `helpText` is set and nothing else is
// needed; on a usage error, `error` names the problem (exit 2).
struct ParseResult
{
    CtlOptions options;
    QString helpText;
    QString error;
};
ParseResult parseCtlArguments(const QStringList &args);

// The usage of one command ("sync", "applier", …) or of the whole tool (empty).
QString usageText(const QString &command);

} // namespace repl::ctl
