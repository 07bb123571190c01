#pragma once

#include <QString>

class QJsonObject;

namespace repl::client {
struct ServerProbe;
}

namespace repl::ops {

// What a server is, as its probe says (`/_api/version`, else CouchDB's welcome at `GET /`).
enum class ServerKind
{
    Unknown,
    ReplDesk,      // repldesk-server or the embedded engine
    ArangoDB,      // ArangoDB 3.x with leader/follower replication (up to 3.12.9)
    ArangoDBNoLfr, // ArangoDB 3.12.10 and later: leader/follower replication removed
    CouchDB,       // Apache CouchDB (and compatible servers that answer its welcome)
    PouchDBServer, // pouchdb-server / express-pouchdb
};

// Things an operation may need from a server. A dialect says which it has, and for each one
// it lacks, one sentence the GUI and the CLI show as they are.
enum class Feature
{
    Databases,      // list databases and browse their collections
    Inventory,      // collections and indexes with counts
    LoggerState,    // the leader's log position (logger-state)
    LoggerControl,  // start/stop/configure the logger (ArangoDB 1.4 semantics: ours only)
    LoggerFollow,   // tail the log (logger-follow or /_api/wal/tail)
    Applier,        // applier-config/-start/-stop/-state of a database
    GlobalApplier,  // ArangoDB's server-level applier (?global=true on _system)
    Sync,           // PUT /_api/replication/sync (a full copy that purges first)
    ServerDryRun,   // a sync preview the server computes (ours only; never sent elsewhere)
    CouchReplicate, // POST /_replicate, /_scheduler
    RestorePoints,  // a sync's purged collections kept per database (ours only)
    Metrics,        // the server's figures in Prometheus' text format (metricsPath())
};

// The way to talk to one kind of server, chosen once from its probe. Views and commands ask
// it what a server can do; they never branch on the product name themselves.
class Dialect
{
public:
    Dialect() = default;
    static Dialect fromProbe(const client::ServerProbe &probe);
    // From an `/_api/version` body (ArangoDB or repldesk-server).
    static Dialect fromVersion(const QJsonObject &version);

    ServerKind kind() const { return m_kind; }
    QString product() const { return m_product; }
    QString version() const { return m_version; }
    QString serverId() const { return m_serverId; } // CouchDB's uuid (ArangoDB: logger-state)
    bool isArangoApi() const; // ReplDesk or ArangoDB: /_api/…, /_db/{db}/…
    bool isCouchApi() const;  // CouchDB or pouchdb-server: /{db}/_changes, …
    bool isKnown() const { return m_kind != ServerKind::Unknown; }

    bool has(Feature f) const { return missing(f).isEmpty(); }
    // Empty when the server has `f`; else why not and what to do instead, in one sentence.
    QString missing(Feature f) const;

    // inventory and dump need a batch (POST /_api/replication/batch) on ArangoDB 3.x.
    bool needsBatch() const;
    // The log is tailed through /_api/wal/tail (ArangoDB 3.x) rather than logger-follow.
    bool tailsWal() const;
    // The tail holds an empty answer until an event arrives (logger-follow?waitMs, ours):
    // callers ask again at once instead of pausing between empty answers.
    bool longPollsTail() const { return m_kind == ServerKind::ReplDesk; }
    // Where the server serves its metrics in Prometheus' text format: /_admin/metrics/v2
    // (ReplDesk; ArangoDB from 3.8 on), /_node/_local/_prometheus (CouchDB from 3.2 on);
    // empty where it has none (missing(Feature::Metrics) says why).
    QString metricsPath() const;
    // What a failed sync leaves behind, in one sentence (only our engine promises "as it was").
    QString syncFailureNote() const;

    // "ArangoDB 3.11.14", "ReplDesk 0.1.0", "CouchDB 3.4.3".
    QString describe() const;
    // A short role-free name of the kind for tables ("ArangoDB ≥ 3.12.10").
    static QString kindName(ServerKind kind);

    // Version as numbers for comparisons ("3.12.10" → {3, 12, 10}; missing parts are 0).
    static bool versionAtLeast(const QString &version, int major, int minor, int patch);

private:
    ServerKind m_kind = ServerKind::Unknown;
    QString m_product;
    QString m_version;
    QString m_serverId;
};

} // namespace repl::ops
