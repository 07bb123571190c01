#include "server/Router.h"

namespace repl::server {

void Router::add(int methods, const QString &pattern, Handler handler)
{
    m_routes.append({methods, pattern.split(u'/', Qt::SkipEmptyParts), std::move(handler)});
}

Response Router::dispatch(const Request &request, Engine &engine, storage::Connection &reader,
                          const DatabaseInfo &database) const
{
    bool pathMatched = false;
    for (const Route &route : m_routes) {
        // A last segment "*name" takes one or more segments, joined with '/'.
        const bool rest = !route.segments.isEmpty() && route.segments.last().startsWith(u'*');
        if (rest ? request.path.size() < route.segments.size()
                 : route.segments.size() != request.path.size())
            continue;
        QHash<QString, QString> params;
        bool ok = true;
        for (qsizetype i = 0; i < route.segments.size() && ok; ++i) {
            const QString &seg = route.segments[i];
            if (seg.startsWith(u'*'))
                params.insert(seg.mid(1), request.path.sliced(i).join(u'/'));
            else if (seg.startsWith(u':'))
                params.insert(seg.mid(1), request.path[i]);
            else
                ok = seg == request.path[i];
        }
        if (!ok)
            continue;
        pathMatched = true;
        const int method = request.method == Method::Head ? int(Method::Get) | int(Method::Head)
                                                          : int(request.method);
        if (!(route.methods & method))
            continue;
        Context ctx{request, engine, reader, database, std::move(params)};
        return route.handler(ctx);
    }
    if (request.couch)
        return pathMatched ? Response::couchError(405, QStringLiteral("method_not_allowed"),
                                                  QStringLiteral("method not allowed"))
                           : Response::couchError(404, QStringLiteral("not_found"),
                                                  QStringLiteral("missing"));
    if (pathMatched)
        return Response::error(405, ErrorNum::MethodNotAllowed);
    return Response::error(404, ErrorNum::HttpNotFound,
                           QStringLiteral("unknown path '%1'").arg(request.rawPath));
}

} // namespace repl::server
