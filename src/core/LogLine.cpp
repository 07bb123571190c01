#include "core/LogLine.h"

#include "core/DocumentJson.h"

namespace repl {

JsonLineBuilder::JsonLineBuilder(qsizetype reserve)
{
    m_out.reserve(reserve);
    m_out += '{';
}

void JsonLineBuilder::key(const char *name)
{
    if (m_out.size() > 1)
        m_out += ',';
    m_out += '"';
    m_out += name;
    m_out += "\":";
}

JsonLineBuilder &JsonLineBuilder::tick(const char *name, Tick value)
{
    key(name);
    m_out += '"';
    m_out += QByteArray::number(value);
    m_out += '"';
    return *this;
}

JsonLineBuilder &JsonLineBuilder::number(const char *name, qint64 value)
{
    key(name);
    m_out += QByteArray::number(value);
    return *this;
}

JsonLineBuilder &JsonLineBuilder::string(const char *name, QByteArrayView utf8)
{
    key(name);
    appendJsonString(m_out, utf8);
    return *this;
}

JsonLineBuilder &JsonLineBuilder::raw(const char *name, QByteArrayView json)
{
    key(name);
    m_out.append(json.data(), json.size());
    return *this;
}

JsonLineBuilder &JsonLineBuilder::boolean(const char *name, bool value)
{
    key(name);
    m_out += value ? "true" : "false";
    return *this;
}

QByteArray JsonLineBuilder::finish(bool newline)
{
    m_out += '}';
    if (newline)
        m_out += '\n';
    return std::move(m_out);
}

QByteArray documentEventLine(const DocumentEvent &e)
{
    JsonLineBuilder b(e.data.size() + e.collection.size() + 2 * e.key.size() + 180);
    b.tick("tick", e.tick).number("type", e.type).tick("database", e.databaseId).tick("cid", e.cid);
    b.string("cname", e.collection).tick("tid", e.tid).string("key", e.key).string("rev", e.rev);
    if (!e.oldRev.isEmpty())
        b.string("oldRev", e.oldRev);
    b.raw("data", e.data);
    return b.finish(true);
}

QByteArray dumpLine(Tick tick, bool withTick, int type, QByteArrayView key, QByteArrayView rev,
                    QByteArrayView data)
{
    JsonLineBuilder b(data.size() + key.size() + rev.size() + 64);
    if (withTick)
        b.tick("tick", tick);
    b.number("type", type).string("key", key).string("rev", rev).raw("data", data);
    return b.finish(true);
}

} // namespace repl
