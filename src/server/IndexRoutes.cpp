#include "engine/SchemaService.h"
#include "engine/WriteTxn.h"
#include "server/RouteHelpers.h"
#include "server/Routes.h"

namespace repl::server {

namespace {

QJsonObject primaryIndex(const QString &collection)
{
    return {{QStringLiteral("id"), collection + QStringLiteral("/0")},
            {QStringLiteral("type"), QStringLiteral("primary")},
            {QStringLiteral("fields"), QJsonArray{QStringLiteral("_key")}},
            {QStringLiteral("unique"), true},
            {QStringLiteral("sparse"), false}};
}

// "coll/123" or "123" → 123; 400/1214 otherwise.
qint64 indexId(const QString &text)
{
    bool ok = false;
    const qint64 id = text.section(u'/', -1).toLongLong(&ok);
    if (!ok || id < 0)
        throw Error(400, ErrorNum::IndexHandleBad,
                    QStringLiteral("illegal index identifier: '%1'").arg(text.left(200)));
    return id;
}

Response dropIndex(Context &ctx, const QString &collection, const QString &id)
{
    std::shared_ptr<const Catalog> hold;
    const CollectionInfo c = requireCollection(ctx, collection, hold);
    const qint64 iid = indexId(id);
    if (iid == 0)
        throw Error(403, ErrorNum::Forbidden,
                    QStringLiteral("the primary index cannot be dropped"));
    ctx.engine.write([&](WriteTxn &t) { SchemaService::dropIndex(t, c.cid, iid); });
    return Response::json(
        200, withCode({{QStringLiteral("id"), QStringLiteral("%1/%2").arg(c.name).arg(iid)}}, 200));
}

} // namespace

void registerIndexRoutes(Router &router)
{
    router.add(POST, QStringLiteral("_api/index"), [](Context &ctx) {
        std::shared_ptr<const Catalog> hold;
        const CollectionInfo c =
            requireCollection(ctx, ctx.request.queryValue(QStringLiteral("collection")), hold);
        const QJsonObject definition = ctx.request.jsonObject();
        const SchemaService::IndexResult r = ctx.engine.write(
            [&](WriteTxn &t) { return SchemaService::createIndex(t, c.cid, definition); });
        QJsonObject o = r.index.toJson(c.name);
        o.insert(QStringLiteral("isNewlyCreated"), r.created);
        const int status = r.created ? 201 : 200;
        return Response::json(status, withCode(o, status));
    });
    router.add(GET, QStringLiteral("_api/index"), [](Context &ctx) {
        std::shared_ptr<const Catalog> hold;
        const CollectionInfo &c =
            requireCollection(ctx, ctx.request.queryValue(QStringLiteral("collection")), hold);
        QJsonArray indexes{primaryIndex(c.name)};
        QJsonObject identifiers{{c.name + QStringLiteral("/0"), primaryIndex(c.name)}};
        for (const IndexInfo &i : c.indexes) {
            indexes.append(i.toJson(c.name));
            identifiers.insert(c.name + u'/' + QString::number(i.id), i.toJson(c.name));
        }
        return Response::json(200, withCode({{QStringLiteral("indexes"), indexes},
                                             {QStringLiteral("identifiers"), identifiers}},
                                            200));
    });
    router.add(GET, QStringLiteral("_api/index/:collection/:id"), [](Context &ctx) {
        std::shared_ptr<const Catalog> hold;
        const CollectionInfo &c =
            requireCollection(ctx, ctx.param(QStringLiteral("collection")), hold);
        const qint64 iid = indexId(ctx.param(QStringLiteral("id")));
        if (iid == 0)
            return Response::json(200, withCode(primaryIndex(c.name), 200));
        for (const IndexInfo &i : c.indexes)
            if (i.id == iid)
                return Response::json(200, withCode(i.toJson(c.name), 200));
        throw Error(404, ErrorNum::IndexNotFound);
    });
    router.add(DELETE_, QStringLiteral("_api/index/:id"), [](Context &ctx) {
        // A bare numeric id: find its collection.
        const qint64 iid = indexId(ctx.param(QStringLiteral("id")));
        const auto catalog = ctx.engine.catalog();
        for (const CollectionInfo *c : catalog->collections(ctx.database.id))
            for (const IndexInfo &i : c->indexes)
                if (i.id == iid)
                    return dropIndex(ctx, c->name, QString::number(iid));
        throw Error(404, ErrorNum::IndexNotFound);
    });
    router.add(DELETE_, QStringLiteral("_api/index/:collection/:id"), [](Context &ctx) {
        return dropIndex(ctx, ctx.param(QStringLiteral("collection")),
                         ctx.param(QStringLiteral("id")));
    });
}

} // namespace repl::server
