// Dump lines and logger-follow lines as a leader sends them (the sync's and the applier's fast
// paths: sliceOwnDumpLine, parseOwnLogLine). Checked on any line: when the fast path takes a
// line, the JSON parse the slow path would do reads the same line to the same document (key,
// revision, tick, removal, and the stored body as an object), and the line is untouched but for
// the one byte the slice rewrites; when it declines, the line is untouched. And every line
// repldesk writes (dumpLine, documentEventLine) is taken by the fast path with the values it
// was written from (unless a top-level attribute name needs escapes or a number is subnormal:
// those go the slow way).
#include "FuzzSupport.h"

#include "core/DocumentJson.h"
#include "core/DumpLine.h"
#include "core/LogEventType.h"
#include "core/LogLine.h"
#include "core/Names.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

using namespace repl;
using namespace repl::fuzz;

namespace {

// The line as the slow paths parse it: an object, or nothing.
std::optional<QJsonObject> slowParse(QByteArrayView line)
{
    QJsonParseError err{};
    const QJsonDocument d = QJsonDocument::fromJson(line.toByteArray(), &err);
    if (err.error != QJsonParseError::NoError || !d.isObject())
        return std::nullopt;
    return d.object();
}

// What the slow path stores as a document's body (ApplyService::storeVersion).
QJsonObject storedForm(const QJsonObject &data, bool deleted)
{
    if (deleted)
        return {};
    QJsonObject body = data;
    body.remove(QStringLiteral("_key"));
    body.remove(QStringLiteral("_id"));
    body.remove(QStringLiteral("_rev"));
    return body;
}

QJsonObject objectOf(QByteArrayView json)
{
    QJsonParseError err{};
    const QJsonDocument d = QJsonDocument::fromJson(json.toByteArray(), &err);
    FUZZ_CHECK(err.error == QJsonParseError::NoError && d.isObject(),
               "stored body is not a JSON object: " + shown(json));
    return d.object();
}

Tick tickOf(const QJsonValue &v)
{
    return parseTick(v.toString()).value_or(0);
}

void dumpLineFastPath(QByteArrayView input)
{
    QByteArray line = input.toByteArray();
    const QByteArray before = line;
    const std::optional<DumpRecord> r = sliceOwnDumpLine(line.data(), line.size());
    if (!r) {
        FUZZ_CHECK(line == before, "declined line was changed");
        return;
    }
    qsizetype changed = 0;
    for (qsizetype i = 0; i < line.size(); ++i)
        changed += line[i] != before[i];
    FUZZ_CHECK(changed <= 1);
    QByteArrayView trimmed = before;
    while (trimmed.endsWith('\n') || trimmed.endsWith('\r'))
        trimmed.chop(1);
    const std::optional<QJsonObject> e = slowParse(trimmed);
    FUZZ_CHECK(e, "the fast path took a line that is not a JSON object: " + shown(before));
    const QJsonObject data = e->value(QStringLiteral("data")).toObject();
    const QByteArray what = shown(before);
    FUZZ_CHECK(r->key == e->value(QStringLiteral("key")).toString().toUtf8(), what);
    FUZZ_CHECK(!r->key.isEmpty() && !r->rev.isEmpty(), what);
    FUZZ_CHECK(r->rev == e->value(QStringLiteral("rev")).toString().toUtf8(), what);
    FUZZ_CHECK(r->deleted ==
                   (e->value(QStringLiteral("type")).toInt() == int(LogEventType::DocumentRemove)),
               what);
    FUZZ_CHECK(r->tick == tickOf(e->value(QStringLiteral("tick"))), what);
    FUZZ_CHECK(objectOf(r->body) == storedForm(data, r->deleted), what);

    // Written again from what was read, it reads the same.
    QByteArray again = dumpLine(
        r->tick, true,
        int(r->deleted ? LogEventType::DocumentRemove : LogEventType::DocumentUpsert), r->key,
        r->rev,
        r->deleted ? composeKeyRev(r->key, r->rev) : composeDocument("c", r->key, r->rev, r->body));
    const QByteArray body = r->body.toByteArray();
    const std::optional<DumpRecord> r2 = sliceOwnDumpLine(again.data(), again.size());
    FUZZ_CHECK(r2, "written again, not taken: " + shown(again));
    FUZZ_CHECK(r2->key == r->key && r2->rev == r->rev && r2->tick == r->tick &&
                   r2->deleted == r->deleted && r2->body == body,
               shown(again));
}

void logLineFastPath(QByteArrayView line)
{
    const std::optional<LogDocumentRecord> r = parseOwnLogLine(line);
    if (!r)
        return;
    QByteArrayView trimmed = line;
    while (trimmed.endsWith('\n') || trimmed.endsWith('\r'))
        trimmed.chop(1);
    const std::optional<QJsonObject> e = slowParse(trimmed);
    const QByteArray what = shown(line);
    FUZZ_CHECK(e, "the fast path took a line that is not a JSON object: " + what);
    const QJsonObject data = e->value(QStringLiteral("data")).toObject();
    FUZZ_CHECK(r->type == e->value(QStringLiteral("type")).toInt(), what);
    FUZZ_CHECK(r->deleted == (r->type == int(LogEventType::DocumentRemove)), what);
    FUZZ_CHECK(r->tick == tickOf(e->value(QStringLiteral("tick"))), what);
    FUZZ_CHECK(r->tid == tickOf(e->value(QStringLiteral("tid"))), what);
    FUZZ_CHECK(r->cid == e->value(QStringLiteral("cid")).toString().toUtf8(), what);
    FUZZ_CHECK(r->cname == e->value(QStringLiteral("cname")).toString().toUtf8(), what);
    FUZZ_CHECK(!r->key.isEmpty() && !r->rev.isEmpty(), what);
    FUZZ_CHECK(r->key == e->value(QStringLiteral("key")).toString().toUtf8(), what);
    FUZZ_CHECK(r->rev == e->value(QStringLiteral("rev")).toString().toUtf8(), what);
    FUZZ_CHECK(r->oldRev == e->value(QStringLiteral("oldRev")).toString().toUtf8(), what);
    FUZZ_CHECK(objectOf(r->body) == storedForm(data, r->deleted), what);
}

bool hasSubnormal(const QJsonValue &v)
{
    if (v.isDouble())
        return std::fpclassify(v.toDouble()) == FP_SUBNORMAL;
    if (v.isArray()) {
        for (const QJsonValue &x : v.toArray())
            if (hasSubnormal(x))
                return true;
    } else if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            if (hasSubnormal(it.value()))
                return true;
    }
    return false;
}

// Lines repldesk writes, from values taken from the input: the fast paths take them.
void writtenLines(QByteArrayView input)
{
    Input in(reinterpret_cast<const uint8_t *>(input.data()), size_t(input.size()));
    const quint8 flags = in.byte();
    const Tick tick = Tick(in.byte()) << (in.byte() % 57);
    QByteArray key = in.bytes(1 + in.byte() % 12).toByteArray();
    if (!isValidDocumentKey(QString::fromUtf8(key)))
        key = "k" + key.toHex();
    const QByteArray rev =
        QByteArray::number(1 + in.byte()) + '-' + in.bytes(4).toByteArray().toHex();
    QJsonObject doc = QJsonDocument::fromJson(in.rest().toByteArray()).object();
    const bool deleted = flags & 1;
    const QByteArray body = deleted ? QByteArray("{}") : userBody(doc);
    const QByteArray collection = (flags & 2) ? "orders" : "_system_like-name";

    QByteArray dump = dumpLine(
        tick, true, int(deleted ? LogEventType::DocumentRemove : LogEventType::DocumentUpsert), key,
        rev, deleted ? composeKeyRev(key, rev) : composeDocument(collection, key, rev, body));
    // Left to the slow path: a top-level attribute name with escapes (it might spell _key),
    // and a subnormal number (the fast path's range check declines those).
    bool plain = !hasSubnormal(doc);
    for (auto it = doc.begin(); it != doc.end(); ++it)
        plain = plain && !jsonString(it.key()).contains('\\');
    const std::optional<DumpRecord> d = sliceOwnDumpLine(dump.data(), dump.size());
    if (!plain && !d)
        return;
    FUZZ_CHECK(d, "own dump line not taken: " + shown(dump));
    FUZZ_CHECK(d->tick == tick && d->key == key && d->rev == rev && d->deleted == deleted &&
                   d->body == body,
               shown(dump));

    DocumentEvent ev;
    ev.tick = tick;
    ev.type = int(deleted ? LogEventType::DocumentRemove : LogEventType::DocumentUpsert);
    ev.databaseId = 1;
    ev.cid = 42 + flags;
    ev.collection = collection;
    ev.tid = (flags & 4) ? tick : 0;
    ev.key = key;
    ev.rev = rev;
    const QByteArray oldRev = (flags & 8) ? QByteArray("1-00") : QByteArray();
    ev.oldRev = oldRev;
    const QByteArray data =
        deleted ? composeKeyRev(key, rev) : composeDocument(collection, key, rev, body);
    ev.data = data;
    const QByteArray log = documentEventLine(ev);
    const std::optional<LogDocumentRecord> l = parseOwnLogLine(log);
    FUZZ_CHECK(l, "own log line not taken: " + shown(log));
    FUZZ_CHECK(l->tick == tick && l->type == ev.type && l->tid == ev.tid &&
                   l->cid == QByteArray::number(ev.cid) && l->cname == collection &&
                   l->key == key && l->rev == rev && l->oldRev == oldRev && l->body == body &&
                   l->deleted == deleted,
               shown(log));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    dumpLineFastPath(input);
    logLineFastPath(input);
    writtenLines(input);
    return 0;
}
