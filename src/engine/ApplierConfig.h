#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace repl {

// The applier's configuration (spec §9, 2.8 fields plus requireFromPresent, default true).
struct ApplierConfig
{
    QString endpoint;
    QString database;
    QString username;
    QString password; // write-only: stored for autoStart, never returned
    double requestTimeout = 600;
    double connectTimeout = 10;
    qint64 ignoreErrors = 0;
    qint64 maxConnectRetries = 100;
    qint64 sslProtocol = 0;
    qint64 chunkSize = 0; // bytes; 0 = our default
    bool autoStart = false;
    bool adaptivePolling = true;
    bool autoResync = false;
    qint64 autoResyncRetries = 2;
    bool includeSystem = true;
    bool requireFromPresent = true;
    bool verbose = false;
    bool incremental = false;
    QString restrictType; // "", "include", "exclude"
    QStringList restrictCollections;
    double connectionRetryWaitTime = 15;
    double initialSyncMaxWaitTime = 300;
    double idleMinWaitTime = 1;
    double idleMaxWaitTime = 2.5;

    // As applier-config answers it: never the password; endpoint/database/username only
    // when set.
    QJsonObject toJson() const;
    // Stored form, password included (the data directory is the operator's).
    QJsonObject toStored() const;
    static ApplierConfig fromStored(const QJsonObject &o);

    // Merges the fields present in `patch` (spec §10): wrong types or values throw 400/1410
    // naming the field; an empty endpoint string keeps the old one.
    static ApplierConfig merged(const ApplierConfig &base, const QJsonObject &patch);

    bool hasValidEndpoint() const;
    // Whether an operation on this collection passes includeSystem and the restriction.
    bool includes(const QString &collection) const;
};

} // namespace repl
