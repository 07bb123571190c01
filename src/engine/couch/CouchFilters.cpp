#include "engine/couch/CouchService.h"

#include "core/Selector.h"
#include "engine/couch/JsSandbox.h"
#include "storage/DocumentTable.h"

#include <QJsonDocument>

// The changes-feed filters of the CouchDB face: doc ids, Mango selectors, design documents'
// JavaScript filters and view maps (run in the JsSandbox's processes, never here).
namespace repl::CouchService {

ChangesFilter::ChangesFilter() = default;
ChangesFilter::~ChangesFilter() = default;
ChangesFilter::ChangesFilter(ChangesFilter &&) noexcept = default;
ChangesFilter &ChangesFilter::operator=(ChangesFilter &&) noexcept = default;

ChangesFilter ChangesFilter::docIds(QSet<QString> ids)
{
    ChangesFilter f;
    f.m_kind = Kind::DocIds;
    f.m_ids = std::move(ids);
    return f;
}

ChangesFilter ChangesFilter::selector(QJsonObject selector)
{
    const QString problem = validateSelector(selector);
    if (!problem.isEmpty())
        throw CouchError::badRequest(problem);
    ChangesFilter f;
    f.m_kind = Kind::Selector;
    f.m_selector = std::make_unique<SelectorMatcher>(std::move(selector));
    return f;
}

ChangesFilter ChangesFilter::design()
{
    ChangesFilter f;
    f.m_kind = Kind::Design;
    return f;
}

ChangesFilter ChangesFilter::function(JsSandbox &sandbox, const QString &name,
                                      const QString &source, const QJsonObject &query)
{
    ChangesFilter f;
    f.m_kind = Kind::Function;
    f.m_sandbox = &sandbox;
    f.m_name = QStringLiteral("filter ") + name;
    f.m_source = source;
    f.m_req =
        QJsonDocument(QJsonObject{{QStringLiteral("query"), query}}).toJson(QJsonDocument::Compact);
    return f;
}

ChangesFilter ChangesFilter::viewMap(JsSandbox &sandbox, const QString &name, const QString &source)
{
    ChangesFilter f;
    f.m_kind = Kind::View;
    f.m_sandbox = &sandbox;
    f.m_name = QStringLiteral("map function of view ") + name;
    f.m_source = source;
    return f;
}

bool ChangesFilter::accepts(const QString &id, const QJsonObject &doc)
{
    switch (m_kind) {
    case Kind::None:
        return true;
    case Kind::DocIds:
        return m_ids.contains(id);
    case Kind::Design:
        return id.startsWith(DesignPrefix);
    case Kind::Selector:
        try {
            return m_selector->matches(doc);
        } catch (const CouchError &) {
            throw;
        } catch (const Error &e) { // $regex over its limits
            throw CouchError::badRequest(e.message());
        }
    case Kind::View:
    case Kind::Function:
        break;
    }
    return acceptsAll({QJsonDocument(doc).toJson(QJsonDocument::Compact)}).value(0);
}

QList<bool> ChangesFilter::acceptsAll(const QList<QByteArray> &docs)
{
    if (!runsJavaScript() || docs.isEmpty())
        return {};
    if (!m_js)
        m_js = m_sandbox->compile(m_kind == Kind::View ? JsSandbox::Kind::Map
                                                       : JsSandbox::Kind::Filter,
                                  m_name, m_source);
    return m_js->run(docs, m_req);
}

QString designFunction(storage::Connection &reader, const CollectionInfo &c, const QString &ddoc,
                       const QString &section, const QString &name)
{
    const auto row = storage::DocumentTable(reader).get(c.cid, DesignPrefix + ddoc);
    if (!row || row->deleted)
        throw CouchError::notFound(QStringLiteral("missing design document _design/%1").arg(ddoc));
    const QJsonValue fn =
        QJsonDocument::fromJson(row->body).object().value(section).toObject().value(name);
    const QString source =
        fn.isObject() ? fn.toObject().value(QStringLiteral("map")).toString() : fn.toString();
    if (source.isEmpty())
        throw CouchError::notFound(
            QStringLiteral("missing json key: %1 in _design/%2 %3").arg(name, ddoc, section));
    return source;
}
} // namespace repl::CouchService
