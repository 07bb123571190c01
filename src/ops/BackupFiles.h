#pragma once

// The backup folder's layout, shared by BackupJob and RestoreJob (not part of the library's
// API). See Backup.h for the formats.
#include "ops/Backup.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace repl::ops::detail {

inline QString md5Hex(const QString &name)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(name.toUtf8(), QCryptographicHash::Md5).toHex());
}

// arangodump's base name of a collection's files (single server): "<name>_<md5 of name>".
inline QString arangoBaseName(const QString &collection)
{
    return collection + u'_' + md5Hex(collection);
}

// A CouchDB database name as a file name: [a-z0-9_-] kept, anything else (e.g. '/') as '-',
// then "_<md5 of the real name>" so that two names never share a file.
inline QString couchFileName(const QString &database)
{
    QString safe;
    for (const QChar c : database)
        safe += (c.isLetterOrNumber() && c.unicode() < 128) || c == u'_' || c == u'-' ? c : u'-';
    return safe + u'_' + md5Hex(database) + QStringLiteral(".couchdb.jsonl");
}

inline const QString &dumpJsonName()
{
    static const QString n = QStringLiteral("dump.json");
    return n;
}

inline const QString &couchManifestName()
{
    static const QString n = QStringLiteral("couchdb.json");
    return n;
}

inline const QString &couchFormatTag()
{
    static const QString n = QStringLiteral("repldesk-couchdb-backup");
    return n;
}

// A backup folder as read from disk (RestoreJob): what is in it and how much.
struct BackupFolder
{
    struct Collection
    {
        QString name;
        QJsonObject structure; // {parameters, indexes}
        QString dataPath;      // may not exist: no documents
        qint64 documents = 0;  // non-empty lines of the data file
    };
    BackupFormat format = BackupFormat::ArangoDump;
    QString database;
    QList<Collection> collections; // CouchDB: one, the database (dataPath: the JSON lines)
    QString error;
};

BackupFolder readBackupFolder(const QString &folder);

// Non-empty lines of a file (-1: cannot be read).
qint64 countLines(const QString &path);

} // namespace repl::ops::detail
