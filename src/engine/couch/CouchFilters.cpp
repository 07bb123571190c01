#include "engine/couch/CouchService.h"

#include "core/Selector.h"
#include "storage/DocumentTable.h"

#include <QDateTime>
#include <QJSEngine>
#include <QJsonDocument>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

// The changes-feed filters of the CouchDB face: doc ids, Mango selectors, design documents'
// JavaScript filters and view maps.
namespace repl::CouchService {

namespace {} // namespace

// A design document's JavaScript, run in its own engine. A watchdog interrupts a function
// that runs longer than CouchDB's os_process_timeout (5 s) on one document, so a runaway
// filter cannot keep a request worker forever.
struct ChangesFilter::Js
{
    static constexpr qint64 TimeoutMs = 5000;
    QJSEngine engine;
    QJSValue fn;
    QJSValue guarded; // fn inside a try/catch (filters)
    QJSValue req;
    QJSValue parse;
    std::atomic<qint64> deadline{0};
    std::atomic<bool> timedOut{false};
    std::mutex mutex;
    std::condition_variable cv;
    bool stop = false;
    std::thread watchdog;

    Js()
        : watchdog([this] {
            std::unique_lock lock(mutex);
            while (!stop) {
                cv.wait_for(lock, std::chrono::milliseconds(50));
                const qint64 d = deadline.load();
                if (d && QDateTime::currentMSecsSinceEpoch() > d && !timedOut.exchange(true))
                    engine.setInterrupted(true);
            }
        })
    {}
    ~Js()
    {
        {
            std::lock_guard lock(mutex);
            stop = true;
        }
        cv.notify_all();
        watchdog.join();
    }
    QJSValue call(QJSValue &f, const QJSValueList &args, const QString &id)
    {
        deadline = QDateTime::currentMSecsSinceEpoch() + TimeoutMs;
        QJSValue r = f.call(args);
        deadline = 0;
        if (timedOut.exchange(false)) {
            engine.setInterrupted(false);
            throw CouchError(500, QStringLiteral("os_process_error"),
                             QStringLiteral("the design document's function ran longer than %1 "
                                            "ms on document %2 and was stopped")
                                 .arg(TimeoutMs)
                                 .arg(id));
        }
        return r;
    }
};

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
    f.m_selector = std::move(selector);
    return f;
}

ChangesFilter ChangesFilter::design()
{
    ChangesFilter f;
    f.m_kind = Kind::Design;
    return f;
}

ChangesFilter ChangesFilter::function(const QString &source, const QJsonObject &query)
{
    ChangesFilter f;
    f.m_kind = Kind::Function;
    f.m_source = source;
    f.m_query = query;
    return f;
}

ChangesFilter ChangesFilter::viewMap(const QString &source)
{
    ChangesFilter f;
    f.m_kind = Kind::View;
    f.m_source = source;
    return f;
}

namespace {
// Collects emit() calls of a view's map function.
class EmitSink : public QObject
{
    Q_OBJECT
public:
    bool emitted = false;
    Q_INVOKABLE void emitRow(const QJSValue &, const QJSValue &) { emitted = true; }
};
} // namespace

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
        return matchesSelector(m_selector, doc);
    case Kind::View:
    case Kind::Function:
        break;
    }
    if (!m_js) {
        m_js = std::make_unique<Js>();
        QJSEngine &e = m_js->engine;
        m_js->parse =
            e.globalObject().property(QStringLiteral("JSON")).property(QStringLiteral("parse"));
        if (m_kind == Kind::View) {
            auto *sink = new EmitSink;
            e.globalObject().setProperty(QStringLiteral("__sink"), e.newQObject(sink));
            e.evaluate(QStringLiteral("var emit = function(k, v) { __sink.emitRow(k, v); };"));
        }
        m_js->fn = e.evaluate(QStringLiteral("(") + m_source + QStringLiteral(")"));
        if (m_js->fn.isError() || !m_js->fn.isCallable())
            throw CouchError(
                500, QStringLiteral("compilation_error"), // CouchDB answers 500 too
                QStringLiteral("the %1 function does not compile: %2")
                    .arg(m_kind == Kind::View ? QStringLiteral("map") : QStringLiteral("filter"),
                         m_js->fn.toString()));
        QJsonObject req{{QStringLiteral("query"), m_query}};
        m_js->req = m_js->parse.call(
            {QString::fromUtf8(QJsonDocument(req).toJson(QJsonDocument::Compact))});
    }
    const QJSValue jsDoc =
        m_js->parse.call({QString::fromUtf8(QJsonDocument(doc).toJson(QJsonDocument::Compact))});
    if (m_kind == Kind::View) {
        auto *sink = qobject_cast<EmitSink *>(
            m_js->engine.globalObject().property(QStringLiteral("__sink")).toQObject());
        sink->emitted = false;
        const QJSValue r = m_js->call(m_js->fn, {jsDoc}, id);
        return !r.isError() && sink->emitted;
    }
    // The filter runs inside a try/catch of our own (QJSValue::call only reports thrown Error
    // objects): [true, result] or [false, thrown is an Error, thrown as text].
    if (m_js->guarded.isUndefined())
        m_js->guarded =
            m_js->engine
                .evaluate(QStringLiteral(
                    "(function(f) { return function(doc, req) { try { return [true, f(doc, req)]; "
                    "} catch (e) { return [false, e instanceof Error, String(e)]; } }; })"))
                .call({m_js->fn});
    const QJSValue r = m_js->call(m_js->guarded, {jsDoc, m_js->req}, id);
    // A filter that throws fails the feed (500), as CouchDB's query server does: "error" for
    // an Error object, "unnamed_error" for anything else thrown.
    if (r.isError() || !r.property(0).toBool()) {
        const bool isError = r.isError() || r.property(1).toBool();
        throw CouchError(500, isError ? QStringLiteral("error") : QStringLiteral("unnamed_error"),
                         QStringLiteral("the filter function threw on document %1: %2")
                             .arg(id, r.isError() ? r.toString() : r.property(2).toString()));
    }
    return r.property(1).toBool();
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

#include "CouchFilters.moc"
