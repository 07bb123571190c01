#pragma once

#include <QJsonObject>
#include <QString>

namespace repl {

// CouchDB Mango selectors: field conditions (dotted paths, implicit $eq and $and), the
// combination operators $and, $or, $nor, $not and the condition operators $eq, $ne, $gt, $gte,
// $lt, $lte, $in, $nin, $exists, $type, $size, $mod, $regex, $all, $elemMatch, $allMatch.
// Returns an empty string when `selector` is valid, else what is wrong with it.
QString validateSelector(const QJsonObject &selector);
bool matchesSelector(const QJsonObject &selector, const QJsonObject &doc);

} // namespace repl
