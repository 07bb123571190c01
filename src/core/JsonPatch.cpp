#include "core/JsonPatch.h"

namespace repl {

void JsonPatchReader::boolean(const char *name, bool &out) const
{
    const QJsonValue v = m_patch.value(QLatin1String(name));
    if (v.isUndefined())
        return;
    if (!v.isBool())
        throw m_invalid(QLatin1String(name), QStringLiteral("must be a boolean"));
    out = v.toBool();
}

void JsonPatchReader::string(const char *name, QString &out) const
{
    const QJsonValue v = m_patch.value(QLatin1String(name));
    if (v.isUndefined() || v.isNull())
        return;
    if (!v.isString())
        throw m_invalid(QLatin1String(name), QStringLiteral("must be a string"));
    out = v.toString();
}

void JsonPatchReader::number(const char *name, double &out) const
{
    const QJsonValue v = m_patch.value(QLatin1String(name));
    if (v.isUndefined())
        return;
    if (!v.isDouble() || v.toDouble() < 0)
        throw m_invalid(QLatin1String(name), QStringLiteral("must be a non-negative number"));
    out = v.toDouble();
}

void JsonPatchReader::count(const char *name, qint64 &out, const QString &hint) const
{
    const QJsonValue v = m_patch.value(QLatin1String(name));
    if (v.isUndefined())
        return;
    const double d = v.toDouble(-1);
    // Range first: converting an out-of-range double to an integer is undefined.
    if (!v.isDouble() || d < 0 || d > 9.0e15 || d != double(qint64(d)))
        throw m_invalid(QLatin1String(name),
                        QStringLiteral("must be a non-negative integer") +
                            (hint.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(hint)));
    out = qint64(d);
}

} // namespace repl
