#include "core/Names.h"

namespace repl {

namespace {
bool isAsciiLetter(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}
bool isAsciiDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}
bool isNameChar(QChar c)
{
    return isAsciiLetter(c) || isAsciiDigit(c) || c == u'_' || c == u'-';
}
} // namespace

bool isValidCollectionName(QStringView name)
{
    if (name.isEmpty() || name.size() > 256)
        return false;
    if (!isAsciiLetter(name[0]) && name[0] != u'_')
        return false;
    for (QChar c : name)
        if (!isNameChar(c))
            return false;
    return true;
}

bool isValidDatabaseName(QStringView name)
{
    if (name == u"_system")
        return true;
    if (name.isEmpty() || name.size() > 64 || !isAsciiLetter(name[0]))
        return false;
    for (QChar c : name)
        if (!isNameChar(c))
            return false;
    return true;
}

bool isValidDocumentKey(QStringView key)
{
    if (key.isEmpty() || key.size() > 254)
        return false;
    static constexpr char16_t extra[] = u"_-:.@()+,=;$!*'%";
    for (QChar c : key) {
        if (isAsciiLetter(c) || isAsciiDigit(c))
            continue;
        bool ok = false;
        for (char16_t e : extra)
            if (e && c == QChar(e))
                ok = true;
        if (!ok)
            return false;
    }
    return true;
}

} // namespace repl
