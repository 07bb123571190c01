#pragma once

#include "client/Tls.h"

#include <QDialog>

namespace repl::gui {

// Shows a server certificate that was refused (not trusted, or not the one pinned) with what
// an operator compares before trusting it: SHA-256 fingerprint, subject, issuer, validity and
// the reasons. Accepted ("Trust this certificate"): the caller pins `failure().fingerprint`
// for that server. Open it with open(), never exec(): it answers through accepted().
class TlsTrustDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TlsTrustDialog)

public:
    TlsTrustDialog(const QString &serverName, const QString &endpoint,
                   const client::TlsFailure &failure, QWidget *parent = nullptr);

    const client::TlsFailure &failure() const { return m_failure; }
    // "AB:CD:…:EF" in two lines of 16 bytes, for a monospace label.
    static QString twoLineFingerprint(const QString &fingerprint);

private:
    client::TlsFailure m_failure;
};

} // namespace repl::gui
