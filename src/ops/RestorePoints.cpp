#include "ops/RestorePoints.h"

#include "ops/ByteSize.h"

#include <cmath>

namespace repl::ops {

namespace {
qint64 bytesOf(const QJsonValue &point)
{
    return qint64(point[QStringLiteral("bytes")].toDouble());
}
} // namespace

QJsonObject RestorePointRetention::toJson() const
{
    return {{QStringLiteral("keep"), keep}, {QStringLiteral("maxBytes"), double(maxBytes)}};
}

std::optional<RestorePointRetention> RestorePointRetention::fromJson(const QJsonObject &o)
{
    const QJsonValue keep = o.value(QStringLiteral("keep"));
    const QJsonValue maxBytes = o.value(QStringLiteral("maxBytes"));
    const auto whole = [](const QJsonValue &v, double max) {
        const double d = v.toDouble(-1);
        return v.isDouble() && d >= 0 && d <= max && d == std::floor(d);
    };
    if (!whole(keep, MaxKeep) || !whole(maxBytes, double(MaxByteSize)))
        return std::nullopt;
    return RestorePointRetention{keep.toInt(), qint64(maxBytes.toDouble())};
}

QStringList droppedByRetention(const QJsonArray &points, const RestorePointRetention &r)
{
    QStringList dropped;
    qint64 total = totalBytes(points);
    qsizetype left = points.size();
    for (const QJsonValue &p : points) {
        if (left <= r.keep && (r.maxBytes <= 0 || total <= r.maxBytes))
            break;
        dropped.append(p[QStringLiteral("id")].toString());
        total -= bytesOf(p);
        --left;
    }
    return dropped;
}

qint64 totalBytes(const QJsonArray &points)
{
    qint64 total = 0;
    for (const QJsonValue &p : points)
        total += bytesOf(p);
    return total;
}

} // namespace repl::ops
