#pragma once

#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>

namespace repl {

// Secrets in the system keychain (QtKeychain, Secret Service on Linux), never in files.
// Jobs are asynchronous; a callback runs on the caller's thread unless its context is gone.
// Shared by the app and repldeskctl (--server NAME), so both find the same entries.
// No insecure fallback: without a keychain the caller is told so and asks the user.
class CredentialStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CredentialStore)

public:
    struct Result
    {
        bool ok = false;
        bool notFound = false;
        bool noBackend = false; // no keychain service here: ask for the password this session
        QString secret;
        QString error;
    };
    using Callback = std::function<void(const Result &)>;

    explicit CredentialStore(QString service = QStringLiteral("ReplDesk"),
                             QObject *parent = nullptr);

    // Keys: endpoint URL (without credentials) + user (+ database).
    static QString keyFor(const QString &endpoint, const QString &user,
                          const QString &database = {});

    void read(const QString &key, QObject *context, Callback callback);
    void write(const QString &key, const QString &secret, QObject *context, Callback callback);
    void remove(const QString &key, QObject *context, Callback callback);

private:
    QString m_service;
};

} // namespace repl
