#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

#include <optional>

// What a ReplDesk server keeps of its syncs' purged collections, read and reasoned about on
// the client: pure functions, any thread.
namespace repl::ops {

// How many restore points a database keeps: the newest `keep` (0–1000), and at most
// `maxBytes` in all (0: no size limit). The server drops the oldest beyond either.
struct RestorePointRetention
{
    static constexpr int DefaultKeep = 3;
    static constexpr int MaxKeep = 1000;

    int keep = DefaultKeep;
    qint64 maxBytes = 0;

    bool operator==(const RestorePointRetention &) const = default;
    // {"keep":N,"maxBytes":B}, the body and answer of …/restore-points/retention.
    QJsonObject toJson() const;
    // Nothing when either field is missing or not a whole number >= 0.
    static std::optional<RestorePointRetention> fromJson(const QJsonObject &o);
};

// The ids of `points` (GET …/restore-points: oldest first, each with `id` and `bytes`) that
// `r` drops, oldest first, as the server applies it.
QStringList droppedByRetention(const QJsonArray &points, const RestorePointRetention &r);

// The total `bytes` of `points`.
qint64 totalBytes(const QJsonArray &points);

} // namespace repl::ops
