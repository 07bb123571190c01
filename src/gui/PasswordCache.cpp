#include "gui/PasswordCache.h"

#include "credentials/CredentialStore.h"
#include "gui/ServerList.h"

#include <QInputDialog>
#include <QWidget>

namespace repl::gui {

PasswordCache::PasswordCache(ServerListModel &servers, CredentialStore &credentials,
                             QWidget *dialogParent)
    : QObject(dialogParent)
    , m_servers(servers)
    , m_credentials(credentials)
    , m_dialogParent(dialogParent)
{}

void PasswordCache::remember(const QString &serverId, const QString &password)
{
    m_passwords.insert(serverId, password);
}

void PasswordCache::forget(const QString &serverId)
{
    m_passwords.remove(serverId);
}

void PasswordCache::get(const QString &serverId, Done done)
{
    if (m_passwords.contains(serverId))
        return done(m_passwords.value(serverId));
    const ServerEntry *e = m_servers.entry(serverId);
    if (!e)
        return done(QString());
    if (e->user.isEmpty()) { // a server without authentication
        m_passwords.insert(serverId, QString());
        return done(QString());
    }
    const ServerEntry entry = *e;
    m_credentials.read(
        CredentialStore::keyFor(entry.endpoint, entry.user, entry.database), this,
        [this, entry, done](const CredentialStore::Result &r) {
            QString password = r.secret;
            if (!r.ok) {
                const QString why =
                    r.noBackend ? tr("No system keychain is available, so ReplDesk cannot keep "
                                     "the password. It is asked once per session.")
                                : tr("No password is stored for %1.").arg(entry.name);
                bool ok = false;
                password = QInputDialog::getText(
                    m_dialogParent, tr("Password for %1").arg(entry.name),
                    why + QStringLiteral("\n\n") + tr("Password of %1:").arg(entry.user),
                    QLineEdit::Password, {}, &ok);
                if (!ok)
                    return;
            }
            m_passwords.insert(entry.id, password);
            done(password);
        });
}

void PasswordCache::peek(const QString &serverId, std::function<void(bool, const QString &)> done)
{
    if (m_passwords.contains(serverId))
        return done(true, m_passwords.value(serverId));
    const ServerEntry *e = m_servers.entry(serverId);
    if (!e)
        return done(false, QString());
    if (e->user.isEmpty())
        return done(true, QString());
    const QString id = e->id;
    m_credentials.read(CredentialStore::keyFor(e->endpoint, e->user, e->database), this,
                       [this, id, done](const CredentialStore::Result &r) {
                           if (r.ok)
                               m_passwords.insert(id, r.secret);
                           done(r.ok, r.secret);
                       });
}

PasswordCache::Lookup PasswordCache::lookup()
{
    return [this](const QString &id, Done done) { get(id, std::move(done)); };
}

} // namespace repl::gui
