#pragma once

#include <QJsonObject>
#include <QString>

#include <memory>

namespace repl {

// CouchDB Mango selectors: field conditions (dotted paths, implicit $eq and $and), the
// combination operators $and, $or, $nor, $not and the condition operators $eq, $ne, $gt, $gte,
// $lt, $lte, $in, $nin, $exists, $type, $size, $mod, $regex, $all, $elemMatch, $allMatch.
// Returns an empty string when `selector` is valid, else what is wrong with it.
QString validateSelector(const QJsonObject &selector);
bool matchesSelector(const QJsonObject &selector, const QJsonObject &doc);

// A valid selector ready to match the documents of one request. Each $regex is compiled once
// (PCRE2, JIT), and regex work is bounded: a match may take at most RegexMatchSteps steps
// (PCRE2's match limit, set in the pattern), and all matches of the request together at most
// RegexBudgetMs. When either is hit, matches() throws Error 400 naming $regex; a document is
// never silently counted as "no match" because its pattern gave up. One thread at a time.
class SelectorMatcher final
{
public:
    static constexpr int RegexMatchSteps = 1000000; // ~2 ms of backtracking with the JIT
    static constexpr qint64 RegexBudgetMs = 2000;

    explicit SelectorMatcher(QJsonObject selector);
    ~SelectorMatcher();
    SelectorMatcher(SelectorMatcher &&) noexcept;
    SelectorMatcher &operator=(SelectorMatcher &&) noexcept;

    bool matches(const QJsonObject &doc);

private:
    struct Regexes;
    QJsonObject m_selector;
    std::unique_ptr<Regexes> m_regexes;
};

} // namespace repl
