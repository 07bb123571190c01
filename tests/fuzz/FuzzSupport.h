#pragma once

// Shared by the libFuzzer targets (tests/fuzz/README.md): invariant checks that abort with
// what broke, so libFuzzer keeps the input as a crash, and printable forms of the values.

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace repl::fuzz {

// `bytes` with everything outside printable ASCII as \xNN, cut at 300 bytes.
inline QByteArray shown(QByteArrayView bytes)
{
    QByteArray out;
    for (qsizetype i = 0; i < bytes.size() && i < 300; ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            out += char(c);
        } else {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            out += hex;
        }
    }
    if (bytes.size() > 300)
        out += "…";
    return out;
}
inline QByteArray shown(const QByteArray &bytes)
{
    return shown(QByteArrayView(bytes));
}
inline QByteArray shown(const QString &text)
{
    return shown(QByteArrayView(text.toUtf8()));
}

// Reads a fuzz input piece by piece; past its end every read gives zeros or nothing.
class Input
{
public:
    Input(const uint8_t *data, size_t size)
        : m_data(reinterpret_cast<const char *>(data), qsizetype(size))
    {}
    bool atEnd() const { return m_pos >= m_data.size(); }
    quint8 byte() { return atEnd() ? 0 : quint8(m_data[m_pos++]); }
    QByteArrayView bytes(qsizetype n)
    {
        n = qMin(n, m_data.size() - m_pos);
        const QByteArrayView out = m_data.sliced(m_pos, n);
        m_pos += n;
        return out;
    }
    QByteArrayView rest() { return bytes(m_data.size() - m_pos); }

private:
    QByteArrayView m_data;
    qsizetype m_pos = 0;
};

[[noreturn]] inline void fail(const char *condition, const char *file, int line,
                              const QByteArray &detail)
{
    std::fprintf(stderr, "\nfuzz invariant broken: %s\n  at %s:%d\n", condition, file, line);
    if (!detail.isEmpty())
        std::fprintf(stderr, "  %s\n", detail.constData());
    std::abort();
}

} // namespace repl::fuzz

// FUZZ_CHECK(condition[, detail]): abort with the condition (and `detail`, a QByteArray) when
// it does not hold.
#define FUZZ_CHECK(condition, ...)                                                                 \
    do {                                                                                           \
        if (!(condition))                                                                          \
            ::repl::fuzz::fail(#condition, __FILE__, __LINE__, QByteArray(__VA_ARGS__));           \
    } while (false)
