#include "engine/ApplierConfig.h"

#include "client/Endpoint.h"
#include "client/Tls.h"
#include "core/Error.h"
#include "core/JsonPatch.h"

#include <QJsonArray>

namespace repl {

namespace {
Error invalid(const QString &field, const QString &why)
{
    return Error(
        400, ErrorNum::ReplicationInvalidApplierConfiguration,
        QStringLiteral("invalid replication applier configuration: <%1> %2").arg(field, why));
}
} // namespace

QJsonObject ApplierConfig::toJson() const
{
    QJsonObject o = toStored();
    o.remove(QStringLiteral("password"));
    for (const char *k : {"endpoint", "database", "username"})
        if (o.value(QLatin1String(k)).toString().isEmpty())
            o.remove(QLatin1String(k));
    return o;
}

QJsonObject ApplierConfig::toStored() const
{
    return {
        {QStringLiteral("endpoint"), endpoint},
        {QStringLiteral("database"), database},
        {QStringLiteral("username"), username},
        {QStringLiteral("password"), password},
        {QStringLiteral("requestTimeout"), requestTimeout},
        {QStringLiteral("connectTimeout"), connectTimeout},
        {QStringLiteral("ignoreErrors"), double(ignoreErrors)},
        {QStringLiteral("maxConnectRetries"), double(maxConnectRetries)},
        {QStringLiteral("sslProtocol"), double(sslProtocol)},
        {QStringLiteral("chunkSize"), double(chunkSize)},
        {QStringLiteral("autoStart"), autoStart},
        {QStringLiteral("adaptivePolling"), adaptivePolling},
        {QStringLiteral("autoResync"), autoResync},
        {QStringLiteral("autoResyncRetries"), double(autoResyncRetries)},
        {QStringLiteral("includeSystem"), includeSystem},
        {QStringLiteral("requireFromPresent"), requireFromPresent},
        {QStringLiteral("verbose"), verbose},
        {QStringLiteral("incremental"), incremental},
        {QStringLiteral("restrictType"), restrictType},
        {QStringLiteral("restrictCollections"), QJsonArray::fromStringList(restrictCollections)},
        {QStringLiteral("connectionRetryWaitTime"), connectionRetryWaitTime},
        {QStringLiteral("initialSyncMaxWaitTime"), initialSyncMaxWaitTime},
        {QStringLiteral("idleMinWaitTime"), idleMinWaitTime},
        {QStringLiteral("idleMaxWaitTime"), idleMaxWaitTime}};
}

ApplierConfig ApplierConfig::fromStored(const QJsonObject &o)
{
    try {
        // A value stored before it was checked must not cost the rest of the configuration.
        QJsonObject stored = o;
        if (!client::sslProtocolFromArango(
                qint64(stored.value(QStringLiteral("sslProtocol")).toDouble())))
            stored.remove(QStringLiteral("sslProtocol"));
        return merged(ApplierConfig{}, stored);
    } catch (const Error &) {
        return ApplierConfig{};
    }
}

ApplierConfig ApplierConfig::merged(const ApplierConfig &base, const QJsonObject &patch)
{
    ApplierConfig c = base;
    const JsonPatchReader read(patch, invalid);
    auto str = [&](const char *name, QString &out) { read.string(name, out); };
    auto boolean = [&](const char *name, bool &out) { read.boolean(name, out); };
    auto number = [&](const char *name, double &out) { read.number(name, out); };
    auto count = [&](const char *name, qint64 &out) { read.count(name, out); };
    QString endpoint;
    str("endpoint", endpoint);
    // "http://user:pw@host" works, but the credentials are kept apart: applier-config and
    // applier-state show the endpoint, never a password.
    endpoint = client::takeCredentials(endpoint, c.username, c.password);
    if (!endpoint.isEmpty()) {
        if (!client::normalizeEndpoint(endpoint).isValid())
            throw invalid(QStringLiteral("endpoint"),
                          QStringLiteral("must be a valid endpoint such as tcp://host:port or "
                                         "http://host:port, got '%1'")
                              .arg(endpoint.left(200)));
        c.endpoint = endpoint;
    }
    str("database", c.database);
    str("username", c.username);
    str("password", c.password);
    number("requestTimeout", c.requestTimeout);
    number("connectTimeout", c.connectTimeout);
    count("ignoreErrors", c.ignoreErrors);
    count("maxConnectRetries", c.maxConnectRetries);
    count("sslProtocol", c.sslProtocol);
    if (QString why; patch.contains(QStringLiteral("sslProtocol")) &&
                     !client::sslProtocolFromArango(c.sslProtocol, &why))
        throw invalid(QStringLiteral("sslProtocol"), why);
    count("chunkSize", c.chunkSize);
    boolean("autoStart", c.autoStart);
    boolean("adaptivePolling", c.adaptivePolling);
    boolean("autoResync", c.autoResync);
    count("autoResyncRetries", c.autoResyncRetries);
    boolean("includeSystem", c.includeSystem);
    boolean("requireFromPresent", c.requireFromPresent);
    boolean("verbose", c.verbose);
    boolean("incremental", c.incremental);
    str("restrictType", c.restrictType);
    if (c.restrictType != u"" && c.restrictType != u"include" && c.restrictType != u"exclude")
        throw invalid(QStringLiteral("restrictType"),
                      QStringLiteral("must be \"include\", \"exclude\" or \"\""));
    const QJsonValue rc = patch.value(QStringLiteral("restrictCollections"));
    if (!rc.isUndefined()) {
        if (!rc.isArray())
            throw invalid(QStringLiteral("restrictCollections"),
                          QStringLiteral("must be an array of collection names"));
        c.restrictCollections.clear();
        for (const QJsonValue &v : rc.toArray()) {
            if (!v.isString())
                throw invalid(QStringLiteral("restrictCollections"),
                              QStringLiteral("must contain only strings"));
            c.restrictCollections.append(v.toString());
        }
    }
    number("connectionRetryWaitTime", c.connectionRetryWaitTime);
    number("initialSyncMaxWaitTime", c.initialSyncMaxWaitTime);
    number("idleMinWaitTime", c.idleMinWaitTime);
    number("idleMaxWaitTime", c.idleMaxWaitTime);
    if (c.idleMaxWaitTime < c.idleMinWaitTime)
        throw invalid(QStringLiteral("idleMaxWaitTime"),
                      QStringLiteral("must not be below idleMinWaitTime"));
    return c;
}

bool ApplierConfig::hasValidEndpoint() const
{
    return client::normalizeEndpoint(endpoint).isValid();
}

bool ApplierConfig::includes(const QString &collection) const
{
    if (!includeSystem && collection.startsWith(u'_'))
        return false;
    if (restrictType == u"include")
        return restrictCollections.contains(collection);
    if (restrictType == u"exclude")
        return !restrictCollections.contains(collection);
    return true;
}

} // namespace repl
