#include "engine/ReadService.h"
#include "engine/SchemaService.h"
#include "engine/WriteTxn.h"
#include "server/RouteHelpers.h"
#include "server/Routes.h"

namespace repl::server {

namespace {

QJsonObject info(const Engine &engine, const CollectionInfo &c)
{
    return {{QStringLiteral("id"), QString::number(c.cid)},
            {QStringLiteral("name"), c.name},
            {QStringLiteral("status"), 3},
            {QStringLiteral("type"), c.type},
            {QStringLiteral("isSystem"), c.isSystem()},
            {QStringLiteral("globallyUniqueId"),
             QStringLiteral("h%1/%2").arg(engine.serverId()).arg(c.cid)}};
}

QJsonObject properties(const Engine &engine, const CollectionInfo &c)
{
    QJsonObject o = info(engine, c);
    o.insert(QStringLiteral("waitForSync"), c.waitForSync);
    o.insert(QStringLiteral("isVolatile"), false);
    o.insert(QStringLiteral("doCompact"), true);
    o.insert(QStringLiteral("keyOptions"),
             QJsonObject{{QStringLiteral("type"), QStringLiteral("traditional")},
                         {QStringLiteral("allowUserKeys"), true}});
    return o;
}

Response ok(QJsonObject o)
{
    return Response::json(200, withCode(std::move(o), 200));
}

} // namespace

void registerCollectionRoutes(Router &router)
{
    router.add(POST, QStringLiteral("_api/collection"), [](Context &ctx) {
        const QJsonObject body = ctx.request.jsonObject();
        const QJsonValue name = body.value(QStringLiteral("name"));
        if (!name.isString())
            throw Error(400, ErrorNum::IllegalName,
                        QStringLiteral("illegal name: <name> must be a string"));
        const QJsonValue type = body.value(QStringLiteral("type"));
        if (!type.isUndefined() && !type.isDouble())
            throw Error(400, ErrorNum::CollectionTypeInvalid,
                        QStringLiteral("invalid collection type: <type> must be 2 or 3"));
        const QJsonValue wfs = body.value(QStringLiteral("waitForSync"));
        if (!wfs.isUndefined() && !wfs.isBool())
            throw Error::badParameter(QStringLiteral("<waitForSync> must be a boolean"));
        const CollectionInfo c = ctx.engine.write([&](WriteTxn &t) {
            return SchemaService::createCollection(t, ctx.database.id, name.toString(),
                                                   type.isUndefined() ? 2 : type.toInt(),
                                                   wfs.toBool());
        });
        return ok(properties(ctx.engine, c));
    });

    router.add(GET, QStringLiteral("_api/collection"), [](Context &ctx) {
        const bool excludeSystem = ctx.request.boolParam(QStringLiteral("excludeSystem"), false);
        QJsonArray result;
        const auto catalog = ctx.engine.catalog();
        for (const CollectionInfo *c : catalog->collections(ctx.database.id))
            // A restore point's kept copies are the server's own business.
            if (!(excludeSystem && c->isSystem()) && !CollectionInfo::isKeptName(c->name))
                result.append(info(ctx.engine, *c));
        return ok({{QStringLiteral("result"), result}});
    });

    router.add(GET, QStringLiteral("_api/collection/:name"), [](Context &ctx) {
        std::shared_ptr<const Catalog> hold;
        return ok(
            info(ctx.engine, requireCollection(ctx, ctx.param(QStringLiteral("name")), hold)));
    });
    router.add(GET, QStringLiteral("_api/collection/:name/count"), [](Context &ctx) {
        std::shared_ptr<const Catalog> hold;
        const CollectionInfo &c = requireCollection(ctx, ctx.param(QStringLiteral("name")), hold);
        QJsonObject o = properties(ctx.engine, c);
        o.insert(QStringLiteral("count"), double(ReadService::count(ctx.reader, c.cid)));
        return ok(o);
    });
    router.add(GET, QStringLiteral("_api/collection/:name/properties"), [](Context &ctx) {
        std::shared_ptr<const Catalog> hold;
        return ok(properties(ctx.engine,
                             requireCollection(ctx, ctx.param(QStringLiteral("name")), hold)));
    });
    router.add(PUT, QStringLiteral("_api/collection/:name/properties"), [](Context &ctx) {
        std::shared_ptr<const Catalog> hold;
        const qint64 cid = requireCollection(ctx, ctx.param(QStringLiteral("name")), hold).cid;
        const QJsonObject body = ctx.request.jsonObject();
        const CollectionInfo c = ctx.engine.write(
            [&](WriteTxn &t) { return SchemaService::setProperties(t, cid, body); });
        return ok(properties(ctx.engine, c));
    });
    router.add(PUT, QStringLiteral("_api/collection/:name/rename"), [](Context &ctx) {
        std::shared_ptr<const Catalog> hold;
        const qint64 cid = requireCollection(ctx, ctx.param(QStringLiteral("name")), hold).cid;
        const QJsonValue name = ctx.request.jsonObject().value(QStringLiteral("name"));
        if (!name.isString())
            throw Error(400, ErrorNum::IllegalName,
                        QStringLiteral("illegal name: <name> must be a string"));
        const CollectionInfo c = ctx.engine.write(
            [&](WriteTxn &t) { return SchemaService::renameCollection(t, cid, name.toString()); });
        return ok(info(ctx.engine, c));
    });
    router.add(PUT, QStringLiteral("_api/collection/:name/truncate"), [](Context &ctx) {
        std::shared_ptr<const Catalog> hold;
        const CollectionInfo c = requireCollection(ctx, ctx.param(QStringLiteral("name")), hold);
        ctx.engine.write([&](WriteTxn &t) { SchemaService::truncateCollection(t, c.cid); });
        return ok(info(ctx.engine, c));
    });
    router.add(DELETE_, QStringLiteral("_api/collection/:name"), [](Context &ctx) {
        std::shared_ptr<const Catalog> hold;
        const CollectionInfo c = requireCollection(ctx, ctx.param(QStringLiteral("name")), hold);
        if (c.isSystem() && !ctx.request.boolParam(QStringLiteral("isSystem"), false))
            throw Error(403, ErrorNum::Forbidden,
                        QStringLiteral("%1 is a system collection: pass isSystem=true to drop it")
                            .arg(c.name));
        ctx.engine.write([&](WriteTxn &t) { SchemaService::dropCollection(t, c.cid); });
        return ok({{QStringLiteral("id"), QString::number(c.cid)}});
    });
}

} // namespace repl::server
