#pragma once

#include <QByteArrayView>

namespace repl::jsonscan {

// A strict JSON scanner over bytes (RFC 8259): it finds where values start and end without
// building anything, for the fast paths that splice documents instead of parsing them. It
// checks structure, strings' escapes and control characters, and numbers as QJsonDocument
// would take them; it does not check UTF-8 (callers that take text from outside run
// jsonTextProblemAt on it first, or keep the bytes as they came). Every function reads at
// `pos` and, when it succeeds, leaves `pos` just after what it read.

// Containers nest at most this deep (well inside what QJsonDocument reads).
constexpr int MaxDepth = 256;

// Consumes `literal`; false when the text differs.
bool expect(QByteArrayView s, qsizetype &pos, QByteArrayView literal);
// Skips white space; true when there was any.
inline bool skipSpace(QByteArrayView s, qsizetype &pos)
{
    // Compact text has none: one comparison for the common case.
    if (pos >= s.size() || static_cast<unsigned char>(s[pos]) > ' ')
        return false;
    const qsizetype from = pos;
    while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n' || s[pos] == '\r'))
        ++pos;
    return pos > from;
}
// A string from its opening quote; `escaped` tells whether it holds any escape.
bool string(QByteArrayView s, qsizetype &pos, bool &escaped);
// true, false, null or a number.
bool scalar(QByteArrayView s, qsizetype &pos);
// One value of any kind (white space before it is skipped). `spaced` (when given) is set
// when white space stands anywhere inside it outside strings, so the caller knows whether the
// bytes are compact JSON.
bool value(QByteArrayView s, qsizetype &pos, bool *spaced = nullptr);

// A member of an object as the scanner found it: the name's bytes between its quotes (raw:
// escapes not decoded; `escaped` says whether there are any) and the value's bytes.
struct Member
{
    QByteArrayView name;
    bool escaped = false;
    QByteArrayView value;
    qsizetype begin = 0; // where the member's name starts in the text (its quote)
};

// Walks the object at `pos` (white space before it skipped): `each(const Member &)` is called
// for every member in order and returns false to give up (then so does members). False too
// when the text is not an object. `spaced` as for value().
template<typename Each>
bool members(QByteArrayView s, qsizetype &pos, Each &&each, bool *spaced = nullptr);
// The same for the elements of an array: `each(QByteArrayView element)`.
template<typename Each>
bool elements(QByteArrayView s, qsizetype &pos, Each &&each, bool *spaced = nullptr);
// members() of an object that is all of `s` (white space around it allowed).
template<typename Each> bool wholeObject(QByteArrayView s, Each &&each, bool *spaced = nullptr);

// The bytes of a string value the scanner took, without its quotes, when it has no escapes
// (else false): the common case, read without decoding.
inline bool plainStringValue(QByteArrayView value, QByteArrayView &out)
{
    if (value.size() < 2 || value.front() != '"' || value.contains('\\'))
        return false;
    out = value.sliced(1, value.size() - 2);
    return true;
}

// ---- implementation of the templates

namespace detail {
inline bool space(QByteArrayView s, qsizetype &pos, bool *spaced)
{
    const bool any = skipSpace(s, pos);
    if (any && spaced)
        *spaced = true;
    return any;
}

enum class Step
{
    Bad,
    More,
    Done
};

// Into the container opening at `pos` with `open`: Done when it closes at once.
inline Step enter(QByteArrayView s, qsizetype &pos, char open, char close, bool *spaced)
{
    space(s, pos, spaced);
    if (pos >= s.size() || s[pos] != open)
        return Step::Bad;
    ++pos;
    space(s, pos, spaced);
    if (pos < s.size() && s[pos] == close) {
        ++pos;
        return Step::Done;
    }
    return Step::More;
}

// After an element: a ',' goes on to the next, `close` ends the container.
inline Step next(QByteArrayView s, qsizetype &pos, char close, bool *spaced)
{
    space(s, pos, spaced);
    if (pos >= s.size())
        return Step::Bad;
    const char c = s[pos++];
    if (c == close)
        return Step::Done;
    if (c != ',')
        return Step::Bad;
    space(s, pos, spaced);
    return Step::More;
}
} // namespace detail

template<typename Each> bool members(QByteArrayView s, qsizetype &pos, Each &&each, bool *spaced)
{
    using detail::Step;
    Step step = detail::enter(s, pos, '{', '}', spaced);
    while (step == Step::More) {
        Member m;
        m.begin = pos;
        if (pos >= s.size() || s[pos] != '"' || !string(s, pos, m.escaped))
            return false;
        m.name = s.sliced(m.begin + 1, pos - m.begin - 2);
        detail::space(s, pos, spaced);
        if (pos >= s.size() || s[pos++] != ':')
            return false;
        detail::space(s, pos, spaced);
        const qsizetype valueStart = pos;
        if (!value(s, pos, spaced))
            return false;
        m.value = s.sliced(valueStart, pos - valueStart);
        if (!each(std::as_const(m)))
            return false;
        step = detail::next(s, pos, '}', spaced);
    }
    return step == Step::Done;
}

template<typename Each> bool elements(QByteArrayView s, qsizetype &pos, Each &&each, bool *spaced)
{
    using detail::Step;
    Step step = detail::enter(s, pos, '[', ']', spaced);
    while (step == Step::More) {
        const qsizetype start = pos;
        if (!value(s, pos, spaced) || !each(s.sliced(start, pos - start)))
            return false;
        step = detail::next(s, pos, ']', spaced);
    }
    return step == Step::Done;
}

template<typename Each> bool wholeObject(QByteArrayView s, Each &&each, bool *spaced)
{
    qsizetype pos = 0;
    if (!members(s, pos, std::forward<Each>(each), spaced))
        return false;
    detail::space(s, pos, spaced);
    return pos == s.size();
}

} // namespace repl::jsonscan
