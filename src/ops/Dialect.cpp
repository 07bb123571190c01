#include "ops/Dialect.h"

#include "client/ServerProbe.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QStringList>

#include <array>

namespace repl::ops {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("repl::ops::Dialect", text);
}

// The numeric prefix of each dotted part: "3.12.10-rc.1" → {3, 12, 10}.
std::array<int, 3> versionParts(const QString &version)
{
    std::array<int, 3> parts{0, 0, 0};
    const QStringList dotted = version.split(u'.');
    for (int i = 0; i < 3 && i < dotted.size(); ++i) {
        int n = 0;
        for (QChar c : dotted[i]) {
            if (!c.isDigit())
                break;
            n = n * 10 + c.digitValue();
        }
        parts[size_t(i)] = n;
    }
    return parts;
}
} // namespace

bool Dialect::versionAtLeast(const QString &version, int major, int minor, int patch)
{
    const std::array<int, 3> v = versionParts(version);
    const std::array<int, 3> want{major, minor, patch};
    return v >= want;
}

Dialect Dialect::fromVersion(const QJsonObject &o)
{
    Dialect d;
    const QString server = o.value(QStringLiteral("server")).toString();
    d.m_version = o.value(QStringLiteral("version")).toString();
    if (server == u"repldesk") {
        d.m_kind = ServerKind::ReplDesk;
        d.m_product = QStringLiteral("ReplDesk");
    } else if (server == u"arango") {
        d.m_product = QStringLiteral("ArangoDB");
        d.m_kind = versionAtLeast(d.m_version, 3, 12, 10) ? ServerKind::ArangoDBNoLfr
                                                          : ServerKind::ArangoDB;
    } else {
        d.m_product = server;
    }
    return d;
}

Dialect Dialect::fromProbe(const client::ServerProbe &p)
{
    Dialect d;
    switch (p.flavor) {
    case client::ServerFlavor::ArangoApi:
        d = fromVersion(QJsonObject{{QStringLiteral("server"), p.product},
                                    {QStringLiteral("version"), p.version}});
        break;
    case client::ServerFlavor::CouchDb:
        d.m_product = p.product;
        d.m_version = p.version;
        d.m_serverId = p.serverId;
        d.m_kind = p.product == u"CouchDB" ? ServerKind::CouchDB : ServerKind::PouchDBServer;
        break;
    case client::ServerFlavor::Unknown:
        break;
    }
    return d;
}

bool Dialect::isArangoApi() const
{
    return m_kind == ServerKind::ReplDesk || m_kind == ServerKind::ArangoDB ||
           m_kind == ServerKind::ArangoDBNoLfr;
}

bool Dialect::isCouchApi() const
{
    return m_kind == ServerKind::CouchDB || m_kind == ServerKind::PouchDBServer;
}

bool Dialect::needsBatch() const
{
    return m_kind == ServerKind::ArangoDB || m_kind == ServerKind::ArangoDBNoLfr;
}

bool Dialect::tailsWal() const
{
    return needsBatch();
}

QString Dialect::metricsPath() const
{
    switch (m_kind) {
    case ServerKind::ReplDesk:
        return QStringLiteral("/_admin/metrics/v2");
    case ServerKind::ArangoDB:
    case ServerKind::ArangoDBNoLfr:
        // ArangoDB added the Prometheus endpoint "v2" in 3.8 (its 3.8 release notes).
        return versionAtLeast(m_version, 3, 8, 0) ? QStringLiteral("/_admin/metrics/v2")
                                                  : QString();
    case ServerKind::CouchDB:
        // CouchDB 3.2.0's release notes: GET /_node/{node-name}/_prometheus; _local names the
        // node answering.
        return versionAtLeast(m_version, 3, 2, 0) ? QStringLiteral("/_node/_local/_prometheus")
                                                  : QString();
    case ServerKind::PouchDBServer:
    case ServerKind::Unknown:
        break;
    }
    return {};
}

QString Dialect::describe() const
{
    if (m_product.isEmpty())
        return tr("an unknown server");
    return m_version.isEmpty() ? m_product : m_product + u' ' + m_version;
}

QString Dialect::kindName(ServerKind kind)
{
    switch (kind) {
    case ServerKind::Unknown:
        return tr("unknown");
    case ServerKind::ReplDesk:
        return QStringLiteral("ReplDesk");
    case ServerKind::ArangoDB:
        return QStringLiteral("ArangoDB");
    case ServerKind::ArangoDBNoLfr:
        return tr("ArangoDB ≥ 3.12.10");
    case ServerKind::CouchDB:
        return QStringLiteral("CouchDB");
    case ServerKind::PouchDBServer:
        return QStringLiteral("PouchDB Server");
    }
    return {};
}

QString Dialect::missing(Feature f) const
{
    if (m_kind == ServerKind::Unknown)
        return tr("The server has not been reached yet, so what it can do is not known.");
    if (isCouchApi()) {
        switch (f) {
        case Feature::Databases:
        case Feature::Inventory:
        case Feature::CouchReplicate:
            return {};
        case Feature::LoggerFollow:
            return tr("%1 has no replication log to tail: follow one database's changes "
                      "(_changes) in the app's Live log instead.")
                .arg(describe());
        case Feature::Metrics:
            if (!metricsPath().isEmpty())
                return {};
            return m_kind == ServerKind::CouchDB
                       ? tr("%1 has no metrics in Prometheus' format: CouchDB serves them at "
                            "/_node/_local/_prometheus from 3.2 on (its other figures are in "
                            "/_node/_local/_stats).")
                             .arg(describe())
                       : tr("%1 serves no metrics in Prometheus' format.").arg(describe());
        default:
            return tr("%1 speaks CouchDB's replication protocol: it has no ArangoDB logger, "
                      "applier or sync; use Replications (_replicator, /_replicate) instead.")
                .arg(describe());
        }
    }
    switch (f) {
    case Feature::Databases:
    case Feature::Inventory:
    case Feature::LoggerState:
    case Feature::LoggerFollow:
        return {};
    case Feature::Metrics:
        return !metricsPath().isEmpty()
                   ? QString()
                   : tr("%1 has no metrics in Prometheus' format: ArangoDB serves them at "
                        "/_admin/metrics/v2 from 3.8 on.")
                         .arg(describe());
    case Feature::CouchReplicate:
        return m_kind == ServerKind::ReplDesk
                   ? QString()
                   : tr("%1 has no CouchDB replication protocol (/_replicate); use its "
                        "inventory, dump and log instead.")
                         .arg(describe());
    case Feature::LoggerControl:
        return m_kind == ServerKind::ReplDesk
                   ? QString()
                   : tr("%1 writes every change to its write-ahead log by itself (since 3.0): "
                        "its logger cannot be started, stopped or configured.")
                         .arg(describe());
    case Feature::RestorePoints:
        return m_kind == ServerKind::ReplDesk
                   ? QString()
                   : tr("%1 keeps no restore points: what a sync purges there is gone; back the "
                        "database up first.")
                         .arg(describe());
    case Feature::ServerDryRun:
        return m_kind == ServerKind::ReplDesk
                   ? QString()
                   : tr("%1 has no dry run: a sync there purges and copies at once, so the "
                        "preview is computed here from both inventories.")
                         .arg(describe());
    case Feature::GlobalApplier:
    case Feature::Applier:
    case Feature::Sync:
        return m_kind == ServerKind::ArangoDBNoLfr
                   ? tr("%1 removed leader/follower replication (applier, sync, logger-follow "
                        "and server-id answer \"invalid command\"): it can still lead a "
                        "ReplDesk follower through /_api/wal/tail, but to follow another server "
                        "use a cluster, or copy data in with arangodump/arangorestore or a "
                        "ReplDesk backup.")
                         .arg(describe())
                   : QString();
    }
    return {};
}

QString Dialect::syncFailureNote() const
{
    if (m_kind == ServerKind::ReplDesk)
        return tr("The sync failed; the database is as it was.");
    return tr("The sync failed. %1 purges each collection before copying it, so some "
              "collections may now be empty or partly copied: check the Inventory and run the "
              "sync again.")
        .arg(describe());
}

} // namespace repl::ops
