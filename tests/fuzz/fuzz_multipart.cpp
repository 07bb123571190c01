// Multipart bodies of the CouchDB face (server/couch/CouchMultipart): multipart/related
// documents as CouchDB's replicator PUTs them, read by multipartRelatedDocument, and the
// multipart/mixed answers to GET ?open_revs written by openRevsMultipartBody. By the input's
// first byte:
// - a body (after a Content-Type line, or with a fixed boundary) is read: a document comes
//   out with every "follows" attachment's bytes inline, or a reason; no raw control character
//   in its JSON; written out again as the open_revs answer does, it reads back the same;
// - a document (JSON) with attachments goes through openRevsMultipartBody and back through the
//   reader: the same document and the same attachment bytes come out.
#include "FuzzSupport.h"

#include "server/Http.h"
#include "server/couch/CouchMultipart.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace repl;
using namespace repl::fuzz;
using namespace repl::server::couch;

namespace {

// The document as openRevsMultipartBody and the reader leave it: attachments as objects
// without "stub" and "follows", with "length" and canonical base64 "data".
QJsonObject normalized(QJsonObject doc)
{
    if (!doc.contains(QStringLiteral("_attachments")))
        return doc;
    QJsonObject atts = doc.value(QStringLiteral("_attachments")).toObject();
    for (auto it = atts.begin(); it != atts.end(); ++it) {
        QJsonObject a = it.value().toObject();
        const QByteArray bytes =
            QByteArray::fromBase64(a.value(QStringLiteral("data")).toString().toLatin1());
        a.remove(QStringLiteral("stub"));
        a.remove(QStringLiteral("follows"));
        a.insert(QStringLiteral("length"), bytes.size());
        a.insert(QStringLiteral("data"), QString::fromLatin1(bytes.toBase64()));
        it.value() = a;
    }
    if (atts.isEmpty())
        doc.remove(QStringLiteral("_attachments"));
    else
        doc.insert(QStringLiteral("_attachments"), atts);
    return doc;
}

// The boundary parameter of a Content-Type the writer made: boundary="…".
QByteArray boundaryOf(const QByteArray &contentType)
{
    const qsizetype at = contentType.indexOf("boundary=\"");
    FUZZ_CHECK(at >= 0 && contentType.endsWith('"'), contentType);
    return contentType.mid(at + 10, contentType.size() - at - 11);
}

// The documents of an open_revs answer, read back: each multipart/related part through the
// reader under test, each JSON part as JSON.
QList<QJsonObject> readMixed(const QByteArray &body, const QByteArray &contentType)
{
    FUZZ_CHECK(contentType.startsWith("multipart/mixed; "), contentType);
    const QByteArray delimiter = "--" + boundaryOf(contentType);
    FUZZ_CHECK(body.startsWith(delimiter) && body.endsWith(delimiter + "--"), shown(body));
    QList<QJsonObject> out;
    const QByteArray rest = body.left(body.size() - delimiter.size() - 2);
    qsizetype pos = 0;
    while (pos < rest.size()) {
        FUZZ_CHECK(rest.mid(pos, delimiter.size() + 2) == delimiter + "\r\n", shown(rest));
        pos += delimiter.size() + 2;
        qsizetype next = rest.indexOf("\r\n" + delimiter + "\r\n", pos);
        if (next < 0)
            next = rest.size() - 2;
        const QByteArray part = rest.mid(pos, next - pos);
        pos = next + 2;
        const qsizetype headersEnd = part.indexOf("\r\n\r\n");
        FUZZ_CHECK(headersEnd > 0, shown(part));
        const QByteArray headers = part.left(headersEnd);
        const QByteArray content = part.mid(headersEnd + 4);
        if (headers.startsWith("Content-Type: multipart/related; ")) {
            QString why;
            const std::optional<QJsonObject> doc =
                multipartRelatedDocument(headers.mid(14), content, why);
            FUZZ_CHECK(doc,
                       "our own multipart/related not read: " + shown(why) + " in " + shown(part));
            out.append(*doc);
        } else {
            out.append(QJsonDocument::fromJson(content).object());
        }
    }
    return out;
}

// openRevsMultipartBody and back: the same document.
void throughOpenRevs(const QJsonObject &doc)
{
    // QJsonDocument writes U+FEFF raw and drops it when it starts a string it reads (so the
    // server refuses it there): such a document cannot make the trip through Qt's text.
    if (QJsonDocument(doc).toJson(QJsonDocument::Compact).contains("\"\xef\xbb\xbf"))
        return;
    const QByteArray answer =
        QJsonDocument(QJsonArray{QJsonObject{{QStringLiteral("ok"), doc}}}).toJson();
    QByteArray contentType;
    const QByteArray body = openRevsMultipartBody(answer, contentType);
    const QList<QJsonObject> back = readMixed(body, contentType);
    FUZZ_CHECK(back.size() == 1, shown(body));
    const QJsonObject expected = normalized(doc), got = normalized(back.first());
    FUZZ_CHECK(got == expected,
               "written " + QJsonDocument(expected).toJson(QJsonDocument::Compact) +
                   "\n  read    " + QJsonDocument(got).toJson(QJsonDocument::Compact));
}

void readBody(QByteArrayView contentType, const QByteArray &body)
{
    QString why;
    const std::optional<QJsonObject> doc = multipartRelatedDocument(contentType, body, why);
    if (!doc) {
        FUZZ_CHECK(!why.isEmpty());
        return;
    }
    const QJsonObject atts = doc->value(QStringLiteral("_attachments")).toObject();
    for (auto it = atts.begin(); it != atts.end(); ++it)
        FUZZ_CHECK(!it.value().toObject().value(QStringLiteral("follows")).toBool(),
                   shown(it.key()));
    const QByteArray json = QJsonDocument(*doc).toJson(QJsonDocument::Compact);
    FUZZ_CHECK(server::jsonTextProblemAt(json) < 0);
    throughOpenRevs(*doc);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Input in(data, size);
    const quint8 mode = in.byte();
    const QByteArray rest = in.rest().toByteArray();
    switch (mode % 3) {
    case 0: // a body with a fixed boundary
        readBody("multipart/related; boundary=\"b0\"", rest);
        break;
    case 1: { // a Content-Type line, then the body
        const qsizetype newline = rest.indexOf('\n');
        if (newline >= 0)
            readBody(QByteArrayView(rest).first(newline), rest.mid(newline + 1));
        break;
    }
    case 2: { // a document to write and read back, as the server would have taken it
        if (server::jsonTextProblemAt(rest) >= 0)
            break;
        const QJsonDocument d = QJsonDocument::fromJson(rest);
        if (d.isObject())
            throughOpenRevs(d.object());
        break;
    }
    }
    return 0;
}
