#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QString>

#include <optional>

// The CouchDB face's multipart bodies, as pure functions (tests/fuzz/fuzz_multipart).
namespace repl::server::couch {

// A document with its attachments as CouchDB's replicator PUTs it (multipart/related, with
// the request's Content-Type): the JSON first, then one part per attachment marked "follows",
// in the order the JSON text lists them. Their bytes go inline (base64, "data"), like
// attachments written as JSON. nullopt and what is wrong (for a 400) when it is not that.
std::optional<QJsonObject> multipartRelatedDocument(QByteArrayView contentType,
                                                    const QByteArray &body, QString &why);

// GET ?open_revs=… with Accept: multipart/mixed from the JSON answer (an array of {"ok": doc}
// and {"missing": rev}): the body, and its Content-Type in `contentType`.
QByteArray openRevsMultipartBody(const QByteArray &jsonAnswer, QByteArray &contentType);

} // namespace repl::server::couch
