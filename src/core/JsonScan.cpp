#include "core/JsonScan.h"

#include <QVarLengthArray>

#include <array>

#include <charconv>
#include <cmath>

namespace repl::jsonscan {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isHexDigit(char c)
{
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

} // namespace

bool expect(QByteArrayView s, qsizetype &pos, QByteArrayView literal)
{
    if (s.size() - pos < literal.size() || s.sliced(pos, literal.size()) != literal)
        return false;
    pos += literal.size();
    return true;
}

bool string(QByteArrayView s, qsizetype &pos, bool &escaped)
{
    // Bytes that end a run of plain text: the quote, a backslash, a control character.
    static constexpr auto Special = [] {
        std::array<bool, 256> t{};
        for (int c = 0; c < 0x20; ++c)
            t[c] = true;
        t['"'] = t['\\'] = true;
        return t;
    }();
    escaped = false;
    const auto *const bytes = reinterpret_cast<const unsigned char *>(s.data());
    const qsizetype n = s.size();
    for (++pos; pos < n;) {
        while (pos + 4 <= n && !Special[bytes[pos]] && !Special[bytes[pos + 1]] &&
               !Special[bytes[pos + 2]] && !Special[bytes[pos + 3]])
            pos += 4;
        while (pos < n && !Special[bytes[pos]])
            ++pos;
        if (pos >= n)
            return false;
        const unsigned char c = bytes[pos++];
        if (c == '"')
            return true;
        if (c != '\\')
            return false; // a control character
        escaped = true;
        if (pos >= s.size())
            return false;
        switch (s[pos++]) {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
            break;
        case 'u':
            for (int i = 0; i < 4; ++i, ++pos)
                if (pos >= s.size() || !isHexDigit(s[pos]))
                    return false;
            break;
        default:
            return false;
        }
    }
    return false;
}

bool scalar(QByteArrayView s, qsizetype &pos)
{
    switch (pos < s.size() ? s[pos] : 0) {
    case 't':
        return expect(s, pos, "true");
    case 'f':
        return expect(s, pos, "false");
    case 'n':
        return expect(s, pos, "null");
    default:
        break;
    }
    const auto digits = [&] {
        const qsizetype from = pos;
        while (pos < s.size() && isDigit(s[pos]))
            ++pos;
        return pos > from;
    };
    const qsizetype start = pos;
    if (pos < s.size() && s[pos] == '-')
        ++pos;
    if (pos < s.size() && s[pos] == '0')
        ++pos;
    else if (!digits())
        return false;
    if (pos < s.size() && s[pos] == '.' && (++pos, !digits()))
        return false;
    bool exponent = false;
    if (pos < s.size() && (s[pos] == 'e' || s[pos] == 'E')) {
        exponent = true;
        ++pos;
        if (pos < s.size() && (s[pos] == '+' || s[pos] == '-'))
            ++pos;
        if (!digits())
            return false;
    }
    if (!exponent && pos - start <= 15)
        return true;
    // QJsonDocument refuses a number beyond a double's range, and one that rounds to zero.
    double value = 0;
    const char *end = s.data() + pos;
    const auto [parsed, error] = std::from_chars(s.data() + start, end, value);
    return error == std::errc() && parsed == end && std::isfinite(value);
}

bool value(QByteArrayView s, qsizetype &pos, bool *spaced)
{
    QVarLengthArray<char, 32> open; // the containers we are in: '{' or '['
    const auto space = [&] { detail::space(s, pos, spaced); };
    space();
    for (;;) {
        // At an element of the innermost container (or the value itself): in an object, a
        // member's name comes first.
        if (!open.isEmpty() && open.last() == '{') {
            bool escaped = false;
            if (pos >= s.size() || s[pos] != '"' || !string(s, pos, escaped))
                return false;
            space();
            if (pos >= s.size() || s[pos++] != ':')
                return false;
            space();
        }
        if (pos >= s.size())
            return false;
        if (const char c = s[pos]; c == '{' || c == '[') {
            if (open.size() >= MaxDepth)
                return false;
            ++pos;
            space();
            if (pos >= s.size())
                return false;
            if (s[pos] != (c == '{' ? '}' : ']')) {
                open.append(c);
                continue;
            }
            ++pos; // empty
        } else if (c == '"') {
            bool escaped = false;
            if (!string(s, pos, escaped))
                return false;
        } else if (!scalar(s, pos)) {
            return false;
        }
        // After a value: a ',' goes on in its container, a closing bracket ends it.
        for (;;) {
            if (open.isEmpty())
                return true;
            space();
            if (pos >= s.size())
                return false;
            if (s[pos] == ',') {
                ++pos;
                space();
                break;
            }
            if (s[pos] != (open.last() == '{' ? '}' : ']'))
                return false;
            ++pos;
            open.removeLast();
        }
    }
}

} // namespace repl::jsonscan
