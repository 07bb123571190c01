#pragma once

#include "ops/ServerOps.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>
#include <memory>

// Backup and restore of one database, on any server, GUI-free.
//
// Two formats, chosen by the server's kind (backup) or by the folder's contents (restore):
// - ArangoDB-kind servers (ReplDesk, ArangoDB 3.x): arangodump's layout. `dump.json`
//   ({database, lastTickAtDumpStart[, properties]}) and per collection
//   `<name>_<md5 hex of name>.structure.json` ({parameters, indexes}, the inventory's entry)
//   and `<name>_<md5 hex of name>.data.json` (one document per line, no envelope, as
//   arangodump 3.8+ writes). Read through one replication batch (inventory + dump).
// - CouchDB-kind servers (CouchDB, pouchdb-server): `couchdb.json` (the manifest) and one
//   JSON-lines file `<safe name>_<md5 hex of name>.couchdb.jsonl` holding every leaf revision
//   of every document, deleted leaves included, each with `_revisions` and its attachments
//   inline (base64); `_local` documents are not part of it.
//
// A backup is written into a sibling folder `.<name>.partial-<random>` and renamed to DIR
// when everything is on disk, so a folder named DIR is always complete; a cancelled or failed
// backup removes its partial folder (one left by a killed process keeps its `.partial` name).
// DIR must not exist, or be an empty folder.
namespace repl::ops {

enum class BackupFormat
{
    ArangoDump,     // arangodump's layout
    CouchJsonLines, // one JSON-lines file of leaf revisions
};

struct TransferProgress
{
    QString collection; // the collection (CouchDB: the database) being copied
    qint64 done = 0;    // documents (CouchDB: document ids) done, in all collections
    qint64 total = 0;   // of all collections; an estimate while a CouchDB feed is read
};

struct BackupSummary
{
    BackupFormat format = BackupFormat::ArangoDump;
    QString database;
    QString folder;
    QStringList collections;
    qint64 documents = 0; // ArangoDB: documents; CouchDB: leaf revisions written
    QString lastTick;     // ArangoDB: the log position the inventory was read at
    QJsonObject toJson() const;
};

// What a restore would do on the target, from the backup folder and the target's state.
struct RestorePlan
{
    struct Entry
    {
        QString name;
        bool exists = false; // on the target: dropped and created again from the backup
        qint64 existing = 0; // documents on the target that are dropped with it
        qint64 restored = 0; // documents (CouchDB: leaf revisions) in the backup
    };
    BackupFormat format = BackupFormat::ArangoDump;
    QString backupDatabase; // the database the backup was taken of
    QString targetDatabase;
    bool databaseExists = false;
    QList<Entry> collections; // CouchDB: one entry, the database itself
    QStringList kept;         // target collections the backup lacks: left alone
    qint64 dropped = 0;
    qint64 restored = 0;

    QJsonObject toJson() const;
};

QString formatName(BackupFormat f); // "arangodump", "couchdb-jsonl"

// One backup of `database` into `folder`. Owned by its caller; deleting it cancels.
class BackupJob final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BackupJob)

public:
    using Progress = std::function<void(const TransferProgress &)>;
    BackupJob(ServerOps &ops, QString database, QString folder, QObject *parent = nullptr);
    ~BackupJob() override;

    // `done` is called once (empty error: the folder is complete), on this object's thread,
    // and dropped when `context` is gone.
    void start(QObject *context, Progress progress, ServerOps::Done<BackupSummary> done);
    // Stops at once: `done` gets an error saying so; the partial folder is removed.
    void cancel();

private:
    struct State;
    std::shared_ptr<State> m_state;
};

// A restore of a backup folder into `targetDatabase` (empty: the backup's own database) of
// the server behind `ops`. ArangoDB backups go to ArangoDB-kind servers; CouchDB backups go
// to CouchDB-kind servers and to a ReplDesk server's CouchDB face.
class RestoreJob final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RestoreJob)

public:
    using Progress = std::function<void(const TransferProgress &)>;
    RestoreJob(ServerOps &ops, QString folder, QString targetDatabase, QObject *parent = nullptr);
    ~RestoreJob() override;

    // Reads the folder and the target; changes nothing anywhere.
    void preview(QObject *context, ServerOps::Done<RestorePlan> done);
    // Refused unless `confirmDatabase` is the target database's exact name. Creates the
    // database when missing, drops and recreates the backup's collections (CouchDB: the
    // database) that exist, then writes every document. `done` gets the plan it carried out.
    void start(const QString &confirmDatabase, QObject *context, Progress progress,
               ServerOps::Done<RestorePlan> done);
    // Stops after the request in flight; what was written stays (run the restore again).
    void cancel();

private:
    struct State;
    std::shared_ptr<State> m_state;
};

} // namespace repl::ops
