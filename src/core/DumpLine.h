#pragma once

#include "core/Tick.h"

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace repl {

// One document marker of a dump, as views into the line it was read from; `body` is the
// stored form (attributes without _key/_id/_rev).
struct DumpRecord
{
    Tick tick = 0;
    bool deleted = false;
    QByteArrayView key;
    QByteArrayView rev;
    QByteArrayView body;
};

// A document event (2300/2302) of the replication log as repldesk writes it.
struct LogDocumentRecord
{
    Tick tick = 0;
    int type = 0;
    Tick tid = 0;
    QByteArray cid;
    QByteArray cname;
    QByteArray key;
    QByteArray rev;
    QByteArray oldRev;
    QByteArray body; // stored form
    bool deleted = false;
};

// The same for logger-follow lines of document events; nullopt for other events or layouts.
std::optional<LogDocumentRecord> parseOwnLogLine(QByteArrayView line);

// Reads a dump line in exactly the layout repldesk writes (see dumpLine/composeDocument)
// by slicing bytes, without a JSON parse or a copy; nullopt for any other layout, which
// callers then parse the slow way. Keys and revisions in that layout never need escaping.
// The attributes are checked in one scan to be JSON as userBody writes them, so what is stored
// is what the slow way would store.
// The stored body is a view into the line itself: on success the ',' in front of the
// attributes is rewritten to '{' in place. So the line must be writable, and the record is
// valid while the line's bytes are.
std::optional<DumpRecord> sliceOwnDumpLine(char *line, qsizetype size);

} // namespace repl
