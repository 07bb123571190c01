#include "ops/ByteSize.h"

#include <QRegularExpression>

#include <array>
#include <cmath>

namespace repl::ops {

namespace {

struct Unit
{
    const char *name; // as byteSizeText writes it
    qint64 factor;
};

constexpr qint64 KiB = 1024;
// Largest first, each binary unit before the decimal one just below it.
constexpr std::array<Unit, 8> Units{{{"TiB", KiB *KiB *KiB *KiB},
                                     {"TB", 1'000'000'000'000},
                                     {"GiB", KiB *KiB *KiB},
                                     {"GB", 1'000'000'000},
                                     {"MiB", KiB *KiB},
                                     {"MB", 1'000'000},
                                     {"KiB", KiB},
                                     {"KB", 1'000}}};

// The factor of a unit as typed (lower-cased): 0 when it is none of the grammar's.
qint64 factorOf(const QString &unit)
{
    if (unit.isEmpty() || unit == u"b")
        return 1;
    const qsizetype power = QStringView(u"kmgt").indexOf(unit.at(0));
    if (power < 0)
        return 0;
    const QStringView rest = QStringView(unit).mid(1);
    const bool binary = rest.isEmpty() || rest == u"ib";
    if (!binary && rest != u"b")
        return 0;
    qint64 f = 1;
    for (qsizetype i = 0; i <= power; ++i)
        f *= binary ? 1024 : 1000;
    return f;
}

} // namespace

std::optional<qint64> parseByteSize(QStringView text)
{
    static const QRegularExpression grammar(
        QStringLiteral("^\\s*([0-9]{1,16})(?:\\.([0-9]{1,12}))?\\s*([A-Za-z]{0,3})\\s*$"));
    const QRegularExpressionMatch m = grammar.match(text.toString());
    if (!m.hasMatch())
        return std::nullopt;
    const QString unit = m.captured(3).toLower();
    const qint64 factor = factorOf(unit);
    const QString fraction = m.captured(2);
    if (factor == 0 || (!fraction.isEmpty() && factor == 1))
        return std::nullopt;
    const qint64 whole = m.captured(1).toLongLong();
    if (whole > MaxByteSize / factor)
        return std::nullopt;
    qint64 bytes = whole * factor;
    if (!fraction.isEmpty()) {
        // Below one unit, so the double is exact enough to round to the nearest byte.
        const double part = (QStringLiteral("0.") + fraction).toDouble() * double(factor);
        bytes += std::llround(part);
    }
    if (bytes > MaxByteSize)
        return std::nullopt;
    return bytes;
}

QString byteSizeText(qint64 bytes)
{
    if (bytes == 0)
        return QStringLiteral("0");
    for (const Unit &u : Units) {
        // Whole hundredths of the unit: two decimals say it exactly.
        if (bytes < u.factor || (bytes % u.factor) * 100 % u.factor != 0)
            continue;
        const qint64 hundredths = bytes / u.factor * 100 + (bytes % u.factor) * 100 / u.factor;
        QString n = QString::number(hundredths / 100);
        if (const qint64 cents = hundredths % 100; cents != 0)
            n += (cents % 10 == 0 ? QStringLiteral(".%1").arg(cents / 10)
                                  : QStringLiteral(".%1").arg(cents, 2, 10, QLatin1Char('0')));
        return n + u' ' + QLatin1String(u.name);
    }
    return QStringLiteral("%1 B").arg(bytes);
}

} // namespace repl::ops
