#pragma once

#include "core/Tick.h"

#include <QByteArray>
#include <QByteArrayView>

namespace repl {

// Builds one compact JSON object byte by byte, in the order fields are added (ArangoDB's
// order on the wire), without going through QJsonObject (which sorts keys and is slow).
class JsonLineBuilder
{
public:
    explicit JsonLineBuilder(qsizetype reserve = 256);

    JsonLineBuilder &tick(const char *name, Tick value);            // "name":"123"
    JsonLineBuilder &number(const char *name, qint64 value);        // "name":123
    JsonLineBuilder &string(const char *name, QByteArrayView utf8); // "name":"…"
    JsonLineBuilder &raw(const char *name, QByteArrayView json);    // "name":<json>
    JsonLineBuilder &boolean(const char *name, bool value);
    // The finished object; with `newline` a trailing '\n' as the dump format wants.
    QByteArray finish(bool newline = false);

private:
    void key(const char *name);
    QByteArray m_out;
};

struct DocumentEvent
{
    Tick tick = 0;
    int type = 2300;
    Tick databaseId = 0;
    Tick cid = 0;
    QByteArrayView collection;
    Tick tid = 0;
    QByteArrayView key;
    QByteArrayView rev;
    QByteArrayView oldRev; // empty for an insert
    QByteArrayView data;   // the whole document after the change, or {_key,_rev} for 2302
};

// A logger-follow line for a document event (2300/2302), '\n' included:
// {"tick","type","database","cid","cname","tid","key","rev"[,"oldRev"],"data"}
QByteArray documentEventLine(const DocumentEvent &e);

// A dump line ('\n' included): {["tick",]"type","key","rev","data"}.
QByteArray dumpLine(Tick tick, bool withTick, int type, QByteArrayView key, QByteArrayView rev,
                    QByteArrayView data);

} // namespace repl
