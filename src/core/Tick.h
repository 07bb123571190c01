#pragma once

#include <QByteArray>
#include <QString>
#include <QtGlobal>

#include <limits>
#include <optional>

namespace repl {

// One server-wide 64-bit counter; every change takes the next value. On the wire a tick
// is a decimal string in JSON and a plain decimal in headers and query parameters.
using Tick = quint64;
inline constexpr Tick MaxTick = std::numeric_limits<Tick>::max();

inline QByteArray tickBytes(Tick t)
{
    return QByteArray::number(t);
}
inline QString tickString(Tick t)
{
    return QString::number(t);
}

// Strict parse of a decimal uint64 (no sign, no spaces); nullopt when it is not one.
inline std::optional<Tick> parseTick(QStringView text)
{
    if (text.isEmpty())
        return std::nullopt;
    for (QChar c : text)
        if (c < u'0' || c > u'9')
            return std::nullopt;
    bool ok = false;
    const Tick v = text.toULongLong(&ok);
    return ok ? std::optional<Tick>(v) : std::nullopt;
}

} // namespace repl
