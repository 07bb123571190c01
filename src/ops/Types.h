#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace repl::ops {

// One event of a server's replication log, from logger-follow (ReplDesk) or /_api/wal/tail
// (ArangoDB 3.x: the collection name is looked up from the line's cuid).
struct LogEvent
{
    quint64 tick = 0;
    int type = 0;       // 2300 document, 2302 removal, 2200/2201/2202 transaction, 2000s schema
    QString database;   // the line's `db` (wal/tail) or the followed database
    QString collection; // name; empty for transaction markers
    QString cuid;       // wal/tail: the collection's globallyUniqueId
    QString key;
    QString rev;
    QString tid;
    int size = 0; // bytes of the line as the server sent it
};

// One answer of the log tail, with its headers.
struct LogChunk
{
    QList<LogEvent> events;
    quint64 lastIncluded = 0; // where the next request starts (0: nothing new)
    quint64 lastScanned = 0;
    quint64 lastTick = 0; // the server's newest tick
    bool checkMore = false;
    bool fromPresent = true; // false: ticks before `from` were pruned, events were lost
};

// Restrictions of a sync, the same fields as ArangoDB's sync and applier-config.
struct SyncOptions
{
    QString leaderEndpoint; // tcp://, ssl://, http(s)://
    QString leaderDatabase; // empty: the target's database name
    QString leaderUser = QStringLiteral("root");
    QString leaderPassword;
    QString leaderPin;    // the leader's pinned TLS certificate (SHA-256), for the preview's reads
    QString restrictType; // "", "include", "exclude"
    QStringList restrictCollections;
    bool includeSystem = false;

    // The body of PUT /_api/replication/sync (never a dry-run field: real servers ignore it).
    QJsonObject syncBody(const QString &targetDatabase) const;
    // Whether a collection of the leader takes part under these restrictions.
    bool takesPart(const QString &name, bool isSystem) const;
};

// What a sync would do, computed from both sides' inventories and counts.
struct SyncPlan
{
    struct Entry
    {
        enum class Action
        {
            DropAndCopy, // exists here: purged, then copied from the leader
            Create,      // new here: copied
            Keep         // not on the leader (or excluded): left alone
        };
        QString name;
        Action action = Action::Keep;
        qint64 purged = 0; // local documents that are deleted
        qint64 copied = 0; // leader documents that are copied
    };
    QList<Entry> collections;
    qint64 purged = 0;
    qint64 copied = 0;
    QString leaderTick; // the leader's log position when the inventories were read
    QString note;       // e.g. why this plan is computed on the client

    static QString actionName(Entry::Action a); // "drop-and-copy", "create", "keep"
    QJsonObject toJson() const;
};

} // namespace repl::ops
