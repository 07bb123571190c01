#include "engine/SchemaService.h"
#include "engine/WriteTxn.h"
#include "server/RouteHelpers.h"
#include "server/Routes.h"

#include <QJsonArray>

namespace repl::server {

void registerAdminRoutes(Router &router)
{
    router.add(GET, QStringLiteral("_api/version"), [](Context &) {
        return Response::json(
            200, QJsonObject{{QStringLiteral("server"), QStringLiteral("repldesk")},
                             {QStringLiteral("version"), QStringLiteral(REPLDESK_VERSION)},
                             {QStringLiteral("license"), QStringLiteral("community")}});
    });

    router.add(GET, QStringLiteral("_api/database"), [](Context &ctx) {
        requireSystemDatabase(ctx);
        return Response::json(
            200, withCode({{QStringLiteral("result"),
                            QJsonArray::fromStringList(ctx.engine.catalog()->databaseNames())}},
                          200));
    });
    router.add(GET, QStringLiteral("_api/database/user"), [](Context &ctx) {
        return Response::json(
            200, withCode({{QStringLiteral("result"),
                            QJsonArray::fromStringList(ctx.engine.catalog()->databaseNames())}},
                          200));
    });
    router.add(GET, QStringLiteral("_api/database/current"), [](Context &ctx) {
        const QJsonObject info{{QStringLiteral("name"), ctx.database.name},
                               {QStringLiteral("id"), QString::number(ctx.database.id)},
                               {QStringLiteral("path"), ctx.engine.databasePath()},
                               {QStringLiteral("isSystem"), ctx.database.name == u"_system"}};
        return Response::json(200, withCode({{QStringLiteral("result"), info}}, 200));
    });
    router.add(POST, QStringLiteral("_api/database"), [](Context &ctx) {
        requireSystemDatabase(ctx);
        const QJsonObject body = ctx.request.jsonObject();
        const QJsonValue name = body.value(QStringLiteral("name"));
        if (!name.isString())
            throw Error(400, ErrorNum::DatabaseNameInvalid,
                        QStringLiteral("database name invalid: <name> must be a string"));
        ctx.engine.write(
            [&](WriteTxn &t) { return SchemaService::createDatabase(t, name.toString()); });
        return Response::json(201, withCode({{QStringLiteral("result"), true}}, 201));
    });
    router.add(DELETE_, QStringLiteral("_api/database/:name"), [](Context &ctx) {
        requireSystemDatabase(ctx);
        const QString name = ctx.param(QStringLiteral("name"));
        ctx.engine.write([&](WriteTxn &t) { SchemaService::dropDatabase(t, name); });
        return Response::json(200, withCode({{QStringLiteral("result"), true}}, 200));
    });
}

} // namespace repl::server
