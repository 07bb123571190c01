#pragma once

#include "engine/Catalog.h"
#include "engine/Engine.h"
#include "server/Router.h"

#include <memory>

namespace repl::server {

inline constexpr int GET = int(Method::Get);
inline constexpr int PUT = int(Method::Put);
inline constexpr int POST = int(Method::Post);
inline constexpr int DELETE_ = int(Method::Delete);
inline constexpr int PATCH = int(Method::Patch);
inline constexpr int HEAD = int(Method::Head);

// The named collection of the request's database, from a fresh catalog snapshot; 404/1203
// naming the collection when there is none. The snapshot is kept alive by `holder`.
const CollectionInfo &requireCollection(Context &ctx, const QString &name,
                                        std::shared_ptr<const Catalog> &holder);

// Only the _system database may manage databases (403/1230 otherwise).
void requireSystemDatabase(Context &ctx);

} // namespace repl::server
