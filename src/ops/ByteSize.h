#pragma once

#include <QString>
#include <QStringView>

#include <optional>

// Sizes as an operator types them ("500M", "2 GB", "1.5GiB") and as ReplDesk shows them back:
// one grammar for repldeskctl and the app. Pure functions, any thread.
namespace repl::ops {

// The largest size accepted: JSON numbers stay exact up to 2^53, the server takes up to 9e15.
inline constexpr qint64 MaxByteSize = 9'000'000'000'000'000;

// SIZE = NUMBER [UNIT], blanks allowed around and between; letters in any case.
//   NUMBER  digits; a fraction ("1.5") only before a unit larger than B
//   UNIT    B                                   bytes
//           K, M, G, T  or  KiB, MiB, GiB, TiB  powers of 1024 (K = KiB = 1024)
//           KB, MB, GB, TB                      powers of 1000 (KB = 1000)
// The result is rounded to the nearest byte. Nothing (nullopt) when `text` is not a SIZE or
// is above MaxByteSize.
std::optional<qint64> parseByteSize(QStringView text);

// `bytes` written back in that grammar, exactly (parseByteSize gives `bytes` again): in the
// largest unit that says it with at most two decimals, a binary one before the decimal one
// below it ("1.5 GiB", "500 MiB", "2.5 GB"), else in bytes ("123457 B"); 0 is "0".
QString byteSizeText(qint64 bytes);

} // namespace repl::ops
