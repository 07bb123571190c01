#include "gui/TlsTrustDialog.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace repl::gui {

namespace {

QLabel *valueLabel(const QString &text, const char *objectName, QWidget *parent)
{
    // One line each (a wrapped label in a form row is cut to its first line): the dialog
    // grows to the longest subject instead.
    auto *l = new QLabel(text, parent);
    l->setObjectName(QLatin1String(objectName));
    l->setTextFormat(Qt::PlainText);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
}

QLabel *fingerprintLabel(const QString &fingerprint, const char *objectName, QWidget *parent)
{
    auto *l = valueLabel(TlsTrustDialog::twoLineFingerprint(fingerprint), objectName, parent);
    l->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    l->setToolTip(fingerprint);
    return l;
}

} // namespace

QString TlsTrustDialog::twoLineFingerprint(const QString &fingerprint)
{
    // 32 bytes as "AB:" groups: 16 a line, so a reader compares them in halves.
    const qsizetype half = 16 * 3;
    if (fingerprint.size() <= half)
        return fingerprint;
    return fingerprint.left(half - 1) + u'\n' + fingerprint.mid(half);
}

TlsTrustDialog::TlsTrustDialog(const QString &serverName, const QString &endpoint,
                               const client::TlsFailure &failure, QWidget *parent)
    : QDialog(parent)
    , m_failure(failure)
{
    setObjectName(QStringLiteral("tlsTrustDialog"));
    const bool changed = failure.kind == client::TlsFailure::Kind::CertificateChanged;
    setWindowTitle(changed ? tr("Certificate changed — %1").arg(serverName)
                           : tr("Untrusted certificate — %1").arg(serverName));

    auto *icon = new QLabel(this);
    icon->setPixmap(
        style()
            ->standardIcon(changed ? QStyle::SP_MessageBoxCritical : QStyle::SP_MessageBoxWarning)
            .pixmap(48, 48));
    icon->setAlignment(Qt::AlignTop);
    auto *headline = new QLabel(
        changed ? tr("The certificate of %1 has changed since you trusted it.").arg(serverName)
                : tr("ReplDesk cannot verify the certificate of %1.").arg(serverName),
        this);
    headline->setObjectName(QStringLiteral("headlineLabel"));
    headline->setWordWrap(true);
    QFont bold = headline->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    headline->setFont(bold);
    auto *explanation = new QLabel(
        changed ? tr("ReplDesk refuses to connect: someone may be intercepting the connection, "
                     "or the server was given a new certificate. Trust the new certificate only "
                     "if you know it was replaced and its fingerprint is the one below.")
                : tr("No certificate authority this computer trusts vouches for it. If it is "
                     "the server's own certificate (compare the fingerprint with the one the "
                     "server shows), you can trust it: ReplDesk then accepts exactly this "
                     "certificate from this server and refuses any other."),
        this);
    explanation->setObjectName(QStringLiteral("explanationLabel"));
    explanation->setWordWrap(true);

    auto *form = new QFormLayout;
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignTop);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    form->addRow(tr("Server:"),
                 valueLabel(tr("%1 (%2)").arg(serverName, endpoint), "serverValue", this));
    form->addRow(tr("Subject:"), valueLabel(failure.subject, "subjectValue", this));
    form->addRow(tr("Issuer:"), valueLabel(failure.issuer, "issuerValue", this));
    const QSslCertificate &c = failure.certificate;
    if (!c.isNull()) {
        const QLocale locale;
        const QString from = locale.toString(c.effectiveDate().toLocalTime(), QLocale::ShortFormat);
        const QString until = locale.toString(c.expiryDate().toLocalTime(), QLocale::ShortFormat);
        auto *validity = valueLabel(tr("%1 to %2").arg(from, until), "validityValue", this);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        if (c.expiryDate() < now || c.effectiveDate() > now)
            validity->setStyleSheet(QStringLiteral("color: #c62828;"));
        form->addRow(tr("Valid:"), validity);
    }
    if (!failure.errors.isEmpty())
        form->addRow(tr("Problem:"), valueLabel(failure.errors.join(u'\n'), "problemValue", this));
    if (changed) {
        form->addRow(tr("Trusted before:"), fingerprintLabel(failure.pinned, "pinnedValue", this));
        form->addRow(tr("Presented now:"),
                     fingerprintLabel(failure.fingerprint, "fingerprintValue", this));
    } else {
        form->addRow(tr("SHA-256 fingerprint:"),
                     fingerprintLabel(failure.fingerprint, "fingerprintValue", this));
    }

    auto *hint = new QLabel(
        tr("repldesk-server prints its fingerprint when it starts. From a certificate file:") +
            QStringLiteral("<br><tt style=\"white-space: pre\">openssl x509 -noout -fingerprint "
                           "-sha256 -in FILE</tt>"),
        this);
    hint->setTextFormat(Qt::RichText);
    hint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    hint->setObjectName(QStringLiteral("hintLabel"));
    hint->setWordWrap(true);
    QPalette muted = hint->palette();
    muted.setColor(QPalette::WindowText, muted.color(QPalette::PlaceholderText));
    hint->setPalette(muted);

    auto *buttons = new QDialogButtonBox(this);
    auto *trust = buttons->addButton(changed ? tr("&Trust the new certificate")
                                             : tr("&Trust this certificate"),
                                     QDialogButtonBox::AcceptRole);
    trust->setObjectName(QStringLiteral("trustButton"));
    auto *cancel = buttons->addButton(changed ? tr("&Keep refusing") : tr("&Do not trust"),
                                      QDialogButtonBox::RejectRole);
    cancel->setObjectName(QStringLiteral("cancelTrustButton"));
    // Nothing is trusted by a stray Enter: the safe choice is the default.
    trust->setAutoDefault(false);
    cancel->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    // Everything but the buttons in one column beside the icon, aligned under the headline.
    auto *text = new QVBoxLayout;
    text->addWidget(headline);
    text->addWidget(explanation);
    text->addSpacing(8);
    text->addLayout(form);
    text->addSpacing(4);
    text->addWidget(hint);
    auto *top = new QHBoxLayout;
    top->addWidget(icon, 0, Qt::AlignTop);
    top->addSpacing(10);
    top->addLayout(text, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addSpacing(8);
    layout->addWidget(buttons);
    setMinimumWidth(600);
}

} // namespace repl::gui
