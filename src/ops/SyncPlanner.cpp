#include "ops/SyncPlanner.h"

#include <QJsonArray>

namespace repl::ops {

namespace {
QStringList namesOf(const QJsonObject &inventory)
{
    QStringList names;
    for (const QJsonValue &c : inventory.value(QStringLiteral("collections")).toArray()) {
        const QJsonObject p = c[QStringLiteral("parameters")].toObject();
        if (p.value(QStringLiteral("deleted")).toBool())
            continue;
        names.append(p.value(QStringLiteral("name")).toString());
    }
    return names;
}
} // namespace

QJsonObject SyncOptions::syncBody(const QString &targetDatabase) const
{
    QJsonObject body{
        {QStringLiteral("endpoint"), leaderEndpoint},
        {QStringLiteral("database"), leaderDatabase.isEmpty() ? targetDatabase : leaderDatabase},
        {QStringLiteral("username"), leaderUser},
        {QStringLiteral("password"), leaderPassword},
        {QStringLiteral("includeSystem"), includeSystem}};
    if (!restrictType.isEmpty()) {
        body.insert(QStringLiteral("restrictType"), restrictType);
        body.insert(QStringLiteral("restrictCollections"),
                    QJsonArray::fromStringList(restrictCollections));
    }
    return body;
}

bool SyncOptions::takesPart(const QString &name, bool isSystem) const
{
    if (isSystem && !includeSystem)
        return false;
    if (restrictType == u"include")
        return restrictCollections.contains(name);
    if (restrictType == u"exclude")
        return !restrictCollections.contains(name);
    return true;
}

QString SyncPlan::actionName(Entry::Action a)
{
    switch (a) {
    case Entry::Action::DropAndCopy:
        return QStringLiteral("drop-and-copy");
    case Entry::Action::Create:
        return QStringLiteral("create");
    case Entry::Action::Keep:
        return QStringLiteral("keep");
    }
    return {};
}

QJsonObject SyncPlan::toJson() const
{
    QJsonArray cols;
    for (const Entry &e : collections)
        cols.append(QJsonObject{{QStringLiteral("name"), e.name},
                                {QStringLiteral("action"), actionName(e.action)},
                                {QStringLiteral("purged"), e.purged},
                                {QStringLiteral("copied"), e.copied}});
    return QJsonObject{{QStringLiteral("collections"), cols},
                       {QStringLiteral("documentsPurged"), purged},
                       {QStringLiteral("documentsCopied"), copied},
                       {QStringLiteral("leaderTick"), leaderTick}};
}

void SyncPlanner::setLeaderInventory(const QJsonObject &inventory)
{
    m_leaderNames.clear();
    for (const QString &name : namesOf(inventory))
        if (m_options.takesPart(name, name.startsWith(u'_')))
            m_leaderNames.append(name);
    // The log position of the snapshot (state.lastLogTick); the top-level "tick" is the
    // server's clock at the call, which batch bookkeeping may already have moved.
    m_leaderTick = inventory[QStringLiteral("state")][QStringLiteral("lastLogTick")].toString();
    if (m_leaderTick.isEmpty())
        m_leaderTick = inventory.value(QStringLiteral("tick")).toString();
}

void SyncPlanner::setLocalInventory(const QJsonObject &inventory)
{
    m_localNames = namesOf(inventory);
}

QStringList SyncPlanner::localCollectionsToCount() const
{
    QStringList out;
    for (const QString &n : m_leaderNames)
        if (m_localNames.contains(n))
            out.append(n);
    return out;
}

SyncPlan SyncPlanner::plan() const
{
    using Action = SyncPlan::Entry::Action;
    SyncPlan p;
    p.leaderTick = m_leaderTick;
    for (const QString &n : m_leaderNames) {
        SyncPlan::Entry e;
        e.name = n;
        e.action = m_localNames.contains(n) ? Action::DropAndCopy : Action::Create;
        e.purged = e.action == Action::DropAndCopy ? m_localCounts.value(n) : 0;
        e.copied = m_leaderCounts.value(n);
        p.purged += e.purged;
        p.copied += e.copied;
        p.collections.append(e);
    }
    for (const QString &n : m_localNames) // system ones only when they could take part
        if (!m_leaderNames.contains(n) && (m_options.includeSystem || !n.startsWith(u'_')))
            p.collections.append(SyncPlan::Entry{n, Action::Keep, 0, 0});
    return p;
}

} // namespace repl::ops
