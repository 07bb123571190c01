#pragma once

#include "server/Http.h"

#include <QHash>
#include <QList>
#include <QString>

#include <functional>

namespace repl {
class Engine;
struct DatabaseInfo;
namespace storage {
class Connection;
}
} // namespace repl

namespace repl::server {

// Everything a route handler gets. Runs on a request worker.
struct Context
{
    const Request &request;
    Engine &engine;
    storage::Connection &reader;
    const DatabaseInfo &database;
    QHash<QString, QString> params; // ":name" segments of the route

    QString param(const QString &name) const { return params.value(name); }
};

using Handler = std::function<Response(Context &)>;

// Matches decoded path segments against patterns such as "_api/document/:collection/:key";
// a last segment "*name" takes the rest of the path (one or more segments, joined by '/').
// A path that matches with another method answers 405; no match answers 404.
class Router final
{
public:
    void add(int methods, const QString &pattern, Handler handler);
    Response dispatch(const Request &request, Engine &engine, storage::Connection &reader,
                      const DatabaseInfo &database) const;

private:
    struct Route
    {
        int methods;
        QStringList segments;
        Handler handler;
    };
    QList<Route> m_routes;
};

} // namespace repl::server
