#include "engine/Auth.h"

#include <QCryptographicHash>
#include <QPasswordDigestor>
#include <QRandomGenerator>

namespace repl {

namespace {
QByteArray derive(const QString &password, const QByteArray &salt, int iterations)
{
    return QPasswordDigestor::deriveKeyPbkdf2(QCryptographicHash::Sha256, password.toUtf8(), salt,
                                              iterations, 32);
}

// Constant-time comparison, so a wrong guess tells nothing about how wrong it was.
bool sameBytes(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}
} // namespace

QByteArray Auth::hashPassword(const QString &password)
{
    QByteArray salt(16, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(salt.data()), 4);
    return "pbkdf2-sha256$" + QByteArray::number(Iterations) + '$' + salt.toHex() + '$' +
           derive(password, salt, Iterations).toHex();
}

bool Auth::verifyPassword(const QString &password, const QByteArray &record)
{
    const QList<QByteArray> parts = record.split('$');
    if (parts.size() != 4 || parts[0] != "pbkdf2-sha256")
        return false;
    const int iterations = parts[1].toInt();
    if (iterations <= 0)
        return false;
    return sameBytes(derive(password, QByteArray::fromHex(parts[2]), iterations),
                     QByteArray::fromHex(parts[3]));
}

void Auth::setRecord(const QByteArray &record)
{
    QMutexLocker lock(&m_mutex);
    m_record = record;
    m_accepted.clear();
}

bool Auth::isCached(const QByteArray &authorizationHeader)
{
    QMutexLocker lock(&m_mutex);
    return m_accepted.contains(authorizationHeader);
}

bool Auth::check(const QByteArray &authorizationHeader)
{
    QByteArray record;
    {
        QMutexLocker lock(&m_mutex);
        if (m_accepted.contains(authorizationHeader))
            return true;
        record = m_record;
    }
    const QByteArray trimmed = authorizationHeader.trimmed();
    if (!trimmed.startsWith("Basic ") && !trimmed.startsWith("basic "))
        return false;
    const QByteArray decoded = QByteArray::fromBase64(trimmed.mid(6).trimmed());
    const qsizetype colon = decoded.indexOf(':');
    if (colon < 0 || decoded.left(colon) != "root")
        return false;
    if (!verifyPassword(QString::fromUtf8(decoded.mid(colon + 1)), record))
        return false;
    QMutexLocker lock(&m_mutex);
    if (m_record == record && m_accepted.size() < 1024)
        m_accepted.insert(authorizationHeader);
    return true;
}

} // namespace repl
