#include "credentials/CredentialStore.h"

#include <QPointer>
#include <QTimer>
#include <qt6keychain/keychain.h>

namespace repl {

namespace {

CredentialStore::Result resultOf(QKeychain::Job *job)
{
    CredentialStore::Result r;
    r.ok = job->error() == QKeychain::NoError;
    r.notFound = job->error() == QKeychain::EntryNotFound;
    r.noBackend =
        job->error() == QKeychain::NoBackendAvailable || job->error() == QKeychain::NotImplemented;
    if (!r.ok)
        r.error = job->errorString();
    if (auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(job))
        r.secret = read->textData();
    return r;
}

// Runs a job; on "no backend" it tries once more after a short delay (the Secret Service
// may still be starting with the session) before reporting.
void run(const std::function<QKeychain::Job *()> &make, QObject *context,
         const CredentialStore::Callback &callback, bool retried = false)
{
    QPointer<QObject> guard(context);
    QKeychain::Job *job = make();
    job->setAutoDelete(true);
    QObject::connect(job, &QKeychain::Job::finished, job, [=](QKeychain::Job *j) {
        const CredentialStore::Result r = resultOf(j);
        if (r.noBackend && !retried) {
            QTimer::singleShot(500, [=] { run(make, guard, callback, true); });
            return;
        }
        if (guard)
            callback(r);
    });
    job->start();
}

} // namespace

CredentialStore::CredentialStore(QString service, QObject *parent)
    : QObject(parent)
    , m_service(std::move(service))
{}

QString CredentialStore::keyFor(const QString &endpoint, const QString &user,
                                const QString &database)
{
    QUrl url(endpoint);
    url.setUserInfo(QString());
    QString key = url.toString(QUrl::RemoveUserInfo | QUrl::StripTrailingSlash) + u'|' + user;
    if (!database.isEmpty())
        key += u'|' + database;
    return key;
}

void CredentialStore::read(const QString &key, QObject *context, Callback callback)
{
    const QString service = m_service;
    run(
        [service, key] {
            auto *job = new QKeychain::ReadPasswordJob(service);
            job->setInsecureFallback(false);
            job->setKey(key);
            return job;
        },
        context, callback);
}

void CredentialStore::write(const QString &key, const QString &secret, QObject *context,
                            Callback callback)
{
    const QString service = m_service;
    run(
        [service, key, secret] {
            auto *job = new QKeychain::WritePasswordJob(service);
            job->setInsecureFallback(false);
            job->setKey(key);
            job->setTextData(secret);
            return job;
        },
        context, callback);
}

void CredentialStore::remove(const QString &key, QObject *context, Callback callback)
{
    const QString service = m_service;
    run(
        [service, key] {
            auto *job = new QKeychain::DeletePasswordJob(service);
            job->setInsecureFallback(false);
            job->setKey(key);
            return job;
        },
        context, callback);
}

} // namespace repl
