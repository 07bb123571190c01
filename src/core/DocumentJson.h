#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace repl {

// Appends `text` (UTF-8) as a JSON string literal, quotes included.
void appendJsonString(QByteArray &out, QByteArrayView text);
QByteArray jsonString(QByteArrayView text);
// Parses any JSON value, not only an object or array ("12", "\"a\"", "null", …); nullopt
// (and why in `error`) when `text` is not exactly one value.
std::optional<QJsonValue> parseJsonValue(QByteArrayView text, QString *error = nullptr);
// The text of a string value a strict scan took (jsonscan, quotes included): plain bytes
// decoded directly, escapes through parseJsonValue; nullopt for a value of another kind.
std::optional<QString> jsonStringValue(QByteArrayView token);
// Any JSON value as compact JSON text ("null", "12", "\"a\"", "[1,\"x\"]").
QString jsonText(const QJsonValue &value);
// A CouchDB update sequence as text: a number, CouchDB 2+'s opaque string, or (older
// clusters) the compact JSON of an array; empty when there is none (null).
QString couchSeqText(const QJsonValue &seq);
// Its leading number, for people: "12-g1AAAA…" → "12".
inline QString couchSeqShort(const QString &seqText)
{
    return seqText.section(u'-', 0, 0);
}

// "[a,b,…]" of items that are JSON already.
QByteArray jsonArray(const QList<QByteArray> &items);
// "["x","y",…]": each text as a JSON string.
QByteArray jsonStringArray(const QList<QByteArray> &texts);
inline QByteArray jsonString(const QString &text)
{
    return jsonString(QByteArrayView(text.toUtf8()));
}

// Documents are stored as their user attributes only: one compact JSON object without
// _key, _id and _rev (those live in their own columns). This composes the document the
// client sees without parsing: {"_key":…,"_id":"coll/key","_rev":…, user attributes}.
QByteArray composeDocument(QByteArrayView collection, QByteArrayView key, QByteArrayView rev,
                           QByteArrayView userBody);
// {"_key":…,"_rev":…} — what a removal marker carries as data.
QByteArray composeKeyRev(QByteArrayView key, QByteArrayView rev);

// The stored form of a client's document: its attributes minus _key, _id and _rev.
QByteArray userBody(const QJsonObject &document);

// Splits a compact JSON object's text after "{", so more members can be spliced in front.
inline QByteArrayView objectMembers(QByteArrayView object)
{
    return object.size() >= 2 ? object.sliced(1, object.size() - 2) : QByteArrayView();
}

} // namespace repl
