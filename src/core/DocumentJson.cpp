#include "core/DocumentJson.h"

#include "core/JsonScan.h"

#include <QJsonArray>

#include <QJsonDocument>

namespace repl {

void appendJsonString(QByteArray &out, QByteArrayView text)
{
    static constexpr char hex[] = "0123456789abcdef";
    out.reserve(out.size() + text.size() + 2);
    out += '"';
    qsizetype runStart = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(text.data() + runStart, i - runStart);
        runStart = i + 1;
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        default:
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 0xf];
        }
    }
    out.append(text.data() + runStart, text.size() - runStart);
    out += '"';
}

QByteArray jsonString(QByteArrayView text)
{
    QByteArray out;
    appendJsonString(out, text);
    return out;
}

QString couchSeqText(const QJsonValue &seq)
{
    if (seq.isDouble())
        return QString::number(seq.toInteger());
    if (seq.isString())
        return seq.toString();
    if (seq.isUndefined() || seq.isNull())
        return {};
    return jsonText(seq);
}

std::optional<QJsonValue> parseJsonValue(QByteArrayView text, QString *error)
{
    // QJsonDocument wants an object or array at the top: wrap the text in one.
    QByteArray wrapped;
    wrapped.reserve(text.size() + 2);
    wrapped += '[';
    wrapped += text;
    wrapped += ']';
    QJsonParseError err{};
    const QJsonDocument d = QJsonDocument::fromJson(wrapped, &err);
    if (err.error != QJsonParseError::NoError || d.array().size() != 1) {
        if (error)
            *error = err.error != QJsonParseError::NoError
                         ? err.errorString()
                         : QStringLiteral("expecting exactly one JSON value");
        return std::nullopt;
    }
    return d.array().first();
}

std::optional<QString> jsonStringValue(QByteArrayView token)
{
    QByteArrayView plain;
    if (jsonscan::plainStringValue(token, plain))
        return QString::fromUtf8(plain);
    const std::optional<QJsonValue> v = parseJsonValue(token);
    if (!v || !v->isString())
        return std::nullopt;
    return v->toString();
}

QString jsonText(const QJsonValue &value)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact))
        .mid(1)
        .chopped(1);
}

QByteArray jsonArray(const QList<QByteArray> &items)
{
    QByteArray out = "[";
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (i)
            out += ',';
        out += items[i];
    }
    out += ']';
    return out;
}

QByteArray jsonStringArray(const QList<QByteArray> &texts)
{
    QByteArray out = "[";
    for (qsizetype i = 0; i < texts.size(); ++i) {
        if (i)
            out += ',';
        appendJsonString(out, texts[i]);
    }
    out += ']';
    return out;
}

QByteArray composeDocument(QByteArrayView collection, QByteArrayView key, QByteArrayView rev,
                           QByteArrayView userBody)
{
    const QByteArrayView members = objectMembers(userBody);
    QByteArray out;
    out.reserve(collection.size() + 2 * key.size() + rev.size() + userBody.size() + 32);
    out += "{\"_key\":";
    appendJsonString(out, key);
    out += ",\"_id\":";
    QByteArray id;
    id.reserve(collection.size() + key.size() + 1);
    id.append(collection.data(), collection.size()).append('/').append(key.data(), key.size());
    appendJsonString(out, id);
    out += ",\"_rev\":";
    appendJsonString(out, rev);
    if (!members.isEmpty()) {
        out += ',';
        out.append(members.data(), members.size());
    }
    out += '}';
    return out;
}

QByteArray composeKeyRev(QByteArrayView key, QByteArrayView rev)
{
    QByteArray out = "{\"_key\":";
    appendJsonString(out, key);
    out += ",\"_rev\":";
    appendJsonString(out, rev);
    out += '}';
    return out;
}

QByteArray userBody(const QJsonObject &document)
{
    QJsonObject copy = document;
    copy.remove(QStringLiteral("_key"));
    copy.remove(QStringLiteral("_id"));
    copy.remove(QStringLiteral("_rev"));
    return QJsonDocument(copy).toJson(QJsonDocument::Compact);
}

} // namespace repl
