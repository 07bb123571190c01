#include "server/couch/CouchMultipart.h"

#include "core/DocumentJson.h"
#include "server/Http.h"

#include <QJsonDocument>
#include <QList>
#include <QSet>
#include <QUuid>
#include <QVarLengthArray>

namespace repl::server::couch {

namespace {
// Text for a part's header: a line break (or another control character) would end the header
// early, and what follows would read as more headers or as the attachment's bytes.
QByteArray headerText(QByteArray text)
{
    for (char &c : text)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            c = ' ';
    return text;
}

// The names in the top-level object's "_attachments" object of `json`, in the order the text
// lists them (QJsonObject sorts its keys). `json` is valid JSON (QJsonDocument read it); when
// "_attachments" is there twice, the last one counts, as in QJsonDocument.
QStringList attachmentNamesInOrder(QByteArrayView json)
{
    QStringList names, current;
    QVarLengthArray<char, 32> open; // '{' or '[' of the containers around the position
    QString topKey;                 // the top-level member being read
    qsizetype inAttachments = -1;   // open.size() while inside "_attachments"
    bool key = false;               // a string here is a member name
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (c == '"') {
            const qsizetype start = i;
            for (++i; i < json.size() && json[i] != '"'; ++i)
                if (json[i] == '\\')
                    ++i;
            if (!key)
                continue;
            key = false;
            const QString name =
                parseJsonValue(json.sliced(start, i + 1 - start)).value_or(QJsonValue()).toString();
            if (open.size() == 1)
                topKey = name;
            else if (open.size() == inAttachments)
                current.append(name);
            continue;
        }
        switch (c) {
        case '{':
        case '[':
            open.append(c);
            key = c == '{';
            if (c == '{' && open.size() == 2 && topKey == u"_attachments") {
                inAttachments = open.size();
                current.clear();
            }
            break;
        case '}':
        case ']':
            if (open.size() == inAttachments) {
                names = current;
                inAttachments = -1;
            }
            if (!open.isEmpty())
                open.removeLast();
            key = false;
            break;
        case ',':
            key = !open.isEmpty() && open.last() == '{';
            break;
        default:
            break;
        }
    }
    return names;
}
} // namespace

// The JSON first, then one part per attachment marked "follows", in _attachments order. The
// bodies are stored inline (base64), like attachments written as JSON.
std::optional<QJsonObject> multipartRelatedDocument(QByteArrayView contentType,
                                                    const QByteArray &body, QString &why)
{
    const qsizetype at = contentType.indexOf("boundary=");
    QByteArray boundary = at < 0 ? QByteArray() : contentType.sliced(at + 9).toByteArray();
    if (const qsizetype semi = boundary.indexOf(';'); semi >= 0)
        boundary.truncate(semi);
    boundary = boundary.trimmed();
    if (boundary.startsWith('"') && boundary.endsWith('"') && boundary.size() >= 2)
        boundary = boundary.mid(1, boundary.size() - 2);
    const auto bad = [&why](const QString &what) {
        why = what;
        return std::nullopt;
    };
    if (boundary.isEmpty())
        return bad(QStringLiteral("no boundary in Content-Type"));
    const QByteArray delimiter = "--" + boundary;
    QList<QByteArray> parts;
    qsizetype pos = body.indexOf(delimiter);
    while (pos >= 0) {
        pos += delimiter.size();
        if (body.mid(pos, 2) == "--")
            break; // the closing delimiter
        const qsizetype next = body.indexOf("\r\n" + delimiter, pos);
        if (next < 0)
            return bad(QStringLiteral("a part is not closed by the boundary"));
        const QByteArray part = body.mid(pos, next - pos);
        const qsizetype headersEnd = part.indexOf("\r\n\r\n");
        parts.append(headersEnd < 0 ? QByteArray() : part.mid(headersEnd + 4));
        pos = next + 2;
    }
    if (parts.isEmpty())
        return bad(QStringLiteral("no parts"));
    QJsonParseError err{};
    QJsonObject doc = QJsonDocument::fromJson(parts.first(), &err).object();
    if (err.error != QJsonParseError::NoError)
        return bad(
            QStringLiteral("the first part is not a JSON document: %1").arg(err.errorString()));
    if (const qsizetype at = jsonTextProblemAt(parts.first()); at >= 0)
        return bad(jsonTextProblemMessage(parts.first(), at));
    QJsonObject atts = doc.value(QStringLiteral("_attachments")).toObject();
    // Parts follow the attachments in the order the JSON text lists them (QJsonObject sorts
    // its keys, so the order comes from the text).
    QStringList following;
    QSet<QString> seen;
    for (const QString &name : attachmentNamesInOrder(parts.first()))
        if (!seen.contains(name) &&
            atts.value(name).toObject().value(QStringLiteral("follows")).toBool()) {
            seen.insert(name);
            following.append(name);
        }
    qsizetype next = 1;
    for (const QString &name : std::as_const(following)) {
        if (next >= parts.size())
            return bad(QStringLiteral("attachment %1 has no part").arg(name));
        QJsonObject a = atts.value(name).toObject();
        a.remove(QStringLiteral("follows"));
        a.insert(QStringLiteral("data"), QString::fromLatin1(parts[next++].toBase64()));
        atts.insert(name, a);
    }
    doc.insert(QStringLiteral("_attachments"), atts);
    if (atts.isEmpty())
        doc.remove(QStringLiteral("_attachments"));
    return doc;
}

// One part per revision: a document with attachments as multipart/related (its JSON with
// "follows" stubs, then each attachment's bytes in that order), a missing revision as
// {"missing": rev} marked error="true".
QByteArray openRevsMultipartBody(const QByteArray &jsonAnswer, QByteArray &contentType)
{
    const QByteArray outer = QUuid::createUuid().toByteArray(QUuid::Id128);
    QByteArray body;
    for (const QJsonValue &entry : QJsonDocument::fromJson(jsonAnswer).array()) {
        body += "--" + outer + "\r\n";
        const QJsonObject e = entry.toObject();
        if (!e.contains(QStringLiteral("ok"))) {
            body += "Content-Type: application/json; error=\"true\"\r\n\r\n" +
                    QJsonDocument(e).toJson(QJsonDocument::Compact) + "\r\n";
            continue;
        }
        QJsonObject doc = e.value(QStringLiteral("ok")).toObject();
        QJsonObject atts = doc.value(QStringLiteral("_attachments")).toObject();
        if (atts.isEmpty()) {
            body += "Content-Type: application/json\r\n\r\n" +
                    QJsonDocument(doc).toJson(QJsonDocument::Compact) + "\r\n";
            continue;
        }
        // The JSON lists the attachments in QJsonObject's (sorted) key order; the parts
        // follow in the same order.
        QList<QPair<QString, QByteArray>> data;
        for (auto it = atts.begin(); it != atts.end(); ++it) {
            QJsonObject a = it.value().toObject();
            const QByteArray bytes =
                QByteArray::fromBase64(a.take(QStringLiteral("data")).toString().toLatin1());
            a.remove(QStringLiteral("stub"));
            a.insert(QStringLiteral("length"), bytes.size());
            a.insert(QStringLiteral("follows"), true);
            data.append({it.key(), bytes});
            it.value() = a;
        }
        doc.insert(QStringLiteral("_attachments"), atts);
        const QByteArray inner = QUuid::createUuid().toByteArray(QUuid::Id128);
        body += "Content-Type: multipart/related; boundary=\"" + inner + "\"\r\n\r\n";
        body += "--" + inner + "\r\nContent-Type: application/json\r\n\r\n" +
                QJsonDocument(doc).toJson(QJsonDocument::Compact) + "\r\n";
        for (const auto &[name, bytes] : std::as_const(data)) {
            const QString type = atts.value(name)[QStringLiteral("content_type")].toString(
                QStringLiteral("application/octet-stream"));
            body += "--" + inner + "\r\nContent-Disposition: attachment; filename=\"" +
                    headerText(name.toUtf8()).replace('\\', "\\\\").replace('"', "\\\"") +
                    "\"\r\nContent-Type: " + headerText(type.toUtf8()) +
                    "\r\nContent-Length: " + QByteArray::number(bytes.size()) + "\r\n\r\n" + bytes +
                    "\r\n";
        }
        body += "--" + inner + "--\r\n";
    }
    body += "--" + outer + "--";
    contentType = "multipart/mixed; boundary=\"" + outer + "\"";
    return body;
}

} // namespace repl::server::couch
