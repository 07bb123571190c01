#include "storage/Schema.h"

#include "core/Error.h"
#include "storage/Connection.h"

#include <QSqlQuery>
#include <QVariant>

namespace repl::storage {

static void createVersion1(Connection &conn);

void ensureSchema(Connection &conn)
{
    conn.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value BLOB)"));
    QSqlQuery &q = conn.prepared("SELECT value FROM meta WHERE key='schema'");
    execOrThrow(q);
    const int version = q.next() ? q.value(0).toInt() : 0;
    q.finish();
    if (version > SchemaVersion)
        throw Error::internal(QStringLiteral("data directory was written by a newer ReplDesk "
                                             "(schema %1, this build knows %2)")
                                  .arg(version)
                                  .arg(SchemaVersion));
    if (version == SchemaVersion)
        return;
    conn.begin(true);
    if (version < 1)
        createVersion1(conn);
    if (version < 2) {
        // applier: per database, its configuration and its state (the applied tick is
        // written in the same transaction as the data it covers).
        conn.exec(QStringLiteral("CREATE TABLE applier(db INTEGER PRIMARY KEY, config BLOB, state "
                                 "BLOB)"));
    }
    if (version < 3) {
        // CouchDB face: _local documents (never replicated, no revision tree) and the
        // persisted /_replicate jobs (continuous ones resume after a restart).
        conn.exec(QStringLiteral("CREATE TABLE local_docs(cid INTEGER NOT NULL, id TEXT NOT NULL, "
                                 "rev INTEGER NOT NULL, body BLOB NOT NULL, PRIMARY KEY(cid, id)) "
                                 "WITHOUT ROWID"));
        conn.exec(QStringLiteral("CREATE TABLE couch_jobs(id TEXT PRIMARY KEY, request BLOB NOT "
                                 "NULL, state BLOB)"));
    }
    if (version < 4) {
        // Restore points: what a sync purged, kept aside per database ({time, leader,
        // collections:[{name, kept, count}], bytes}); their collections are renamed, not dropped.
        conn.exec(QStringLiteral("CREATE TABLE restore_points(id INTEGER PRIMARY KEY, db INTEGER "
                                 "NOT NULL, info BLOB NOT NULL)"));
    }
    if (version < 5) {
        // Rows of dropped collections still to delete, a slice at a time (ReclaimTable).
        conn.exec(QStringLiteral("CREATE TABLE reclaim(id INTEGER PRIMARY KEY, kind INTEGER NOT "
                                 "NULL, owner INTEGER NOT NULL)"));
    }
    QSqlQuery &set = conn.prepared("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
    set.bindValue(0, QStringLiteral("schema"));
    set.bindValue(1, SchemaVersion);
    execOrThrow(set);
    conn.commit();
}

void createVersion1(Connection &conn)
{
    // databases: one row per database; logger config/state persisted with it.
    conn.exec(QStringLiteral("CREATE TABLE databases(id INTEGER PRIMARY KEY, name TEXT NOT NULL "
                             "UNIQUE, logger_config BLOB, logger_running INTEGER NOT NULL DEFAULT "
                             "0, pruned_upto INTEGER NOT NULL DEFAULT 0)"));
    conn.exec(QStringLiteral("CREATE TABLE collections(cid INTEGER PRIMARY KEY, db INTEGER NOT "
                             "NULL, name TEXT NOT NULL, type INTEGER NOT NULL, props BLOB, count "
                             "INTEGER NOT NULL DEFAULT 0, UNIQUE(db, name))"));
    conn.exec(QStringLiteral("CREATE TABLE indexes(id INTEGER PRIMARY KEY, cid INTEGER NOT NULL, "
                             "def BLOB NOT NULL)"));
    // docs: the winning revision of every document (tombstones included) with its tree.
    conn.exec(QStringLiteral("CREATE TABLE docs(id INTEGER PRIMARY KEY, cid INTEGER NOT NULL, key "
                             "TEXT NOT NULL, rev TEXT NOT NULL, tick INTEGER NOT NULL, deleted "
                             "INTEGER NOT NULL, body BLOB, revtree BLOB, UNIQUE(cid, key))"));
    conn.exec(QStringLiteral("CREATE INDEX docs_by_tick ON docs(cid, tick)"));
    // Non-winning leaf revisions (conflicts), kept for the CouchDB face.
    conn.exec(QStringLiteral("CREATE TABLE leaves(cid INTEGER NOT NULL, key TEXT NOT NULL, rev "
                             "TEXT NOT NULL, deleted INTEGER NOT NULL, body BLOB, PRIMARY KEY(cid, "
                             "key, rev)) WITHOUT ROWID"));
    // unique index entries: value = compact JSON array of the indexed attribute values.
    conn.exec(QStringLiteral("CREATE TABLE unique_entries(iid INTEGER NOT NULL, value BLOB NOT "
                             "NULL, key TEXT NOT NULL, PRIMARY KEY(iid, value)) WITHOUT ROWID"));
    // log: the replication log, one ready-to-send line per event.
    conn.exec(QStringLiteral("CREATE TABLE log(tick INTEGER PRIMARY KEY, db INTEGER NOT NULL, sys "
                             "INTEGER NOT NULL, line BLOB NOT NULL)"));
    conn.exec(QStringLiteral("CREATE INDEX log_by_db ON log(db, tick)"));
}

} // namespace repl::storage
