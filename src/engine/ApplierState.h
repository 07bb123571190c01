#pragma once

#include "core/Tick.h"
#include "engine/ApplyService.h"

#include <QJsonObject>
#include <QString>

namespace repl {

// What the applier persists per database, written in the same transaction as the data it
// covers: after any crash the follower resumes exactly where its data ends.
struct ApplierState
{
    bool valid = false;
    Tick lastApplied = 0; // every event up to here is applied (safe resume point)
    Tick lastProcessed = 0;
    QString leaderServerId;
    QString endpoint;
    ApplyService::Mapping mapping;

    QJsonObject toJson() const;
    static ApplierState fromJson(const QJsonObject &o);
};

} // namespace repl
