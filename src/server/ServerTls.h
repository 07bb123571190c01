#pragma once

#include <QSslConfiguration>
#include <QString>
#include <QStringList>

#include <optional>

namespace repl::server {

// The TLS side of a listener: the server's certificate chain and private key, from PEM files.
struct ServerTls
{
    QSslConfiguration configuration; // for QSslServer
    QString fingerprint;             // SHA-256 of the leaf certificate, for the banner
    QStringList warnings;            // e.g. a certificate that expired or is not valid yet

    // `certFile`: the server's certificate first, then any intermediates. `keyFile`: its
    // unencrypted RSA, EC or DSA private key; empty: the key is in `certFile` too (ArangoDB's
    // --ssl.keyfile holds both). nullopt with `error` naming the file and what is wrong.
    static std::optional<ServerTls> load(const QString &certFile, const QString &keyFile,
                                         QString &error);
};

} // namespace repl::server
