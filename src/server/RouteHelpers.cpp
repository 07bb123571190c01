#include "server/RouteHelpers.h"

namespace repl::server {

const CollectionInfo &requireCollection(Context &ctx, const QString &name,
                                        std::shared_ptr<const Catalog> &holder)
{
    holder = ctx.engine.catalog();
    if (name.isEmpty())
        throw Error(400, ErrorNum::BadParameter,
                    QStringLiteral("invalid collection parameter: "
                                   "<collection> is missing"));
    const CollectionInfo *c = holder->collection(ctx.database.id, name);
    if (!c)
        throw Error(404, ErrorNum::CollectionNotFound,
                    QStringLiteral("collection or view not found: %1").arg(name));
    return *c;
}

void requireSystemDatabase(Context &ctx)
{
    if (ctx.database.name != u"_system")
        throw Error(403, ErrorNum::UseSystemDatabase);
}

} // namespace repl::server
