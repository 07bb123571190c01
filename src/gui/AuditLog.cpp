#include "gui/AuditLog.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QThreadPool>

namespace repl::gui {

namespace {
QString currentUser()
{
    QString u = qEnvironmentVariable("USER");
    if (u.isEmpty())
        u = qEnvironmentVariable("USERNAME");
    return u.isEmpty() ? QStringLiteral("unknown") : u;
}
} // namespace

AuditLog::AuditLog(QString filePath, QObject *parent)
    : QAbstractTableModel(parent)
    , m_path(std::move(filePath))
{
    m_io.setMaxThreadCount(1); // the file is read and appended in the order asked
}

int AuditLog::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}
int AuditLog::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuditLog::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return tr("When");
    case User:
        return tr("Who");
    case Server:
        return tr("Server");
    case Action:
        return tr("What");
    case Detail:
        return tr("Details");
    }
    return {};
}

QVariant AuditLog::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || role != Qt::DisplayRole)
        return {};
    const Entry &e = m_entries.at(m_entries.size() - 1 - index.row()); // newest first
    switch (index.column()) {
    case Time:
        return e.time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case User:
        return e.user;
    case Server:
        return e.server;
    case Action:
        return e.action;
    case Detail:
        return e.detail;
    }
    return {};
}

void AuditLog::record(const QString &server, const QString &action, const QString &detail)
{
    Entry e{QDateTime::currentDateTimeUtc(), currentUser(), server, action, detail};
    beginInsertRows({}, 0, 0);
    m_entries.append(e);
    endInsertRows();
    const QByteArray line =
        QJsonDocument(QJsonObject{{QStringLiteral("time"), e.time.toString(Qt::ISODate)},
                                  {QStringLiteral("user"), e.user},
                                  {QStringLiteral("server"), e.server},
                                  {QStringLiteral("action"), e.action},
                                  {QStringLiteral("detail"), e.detail}})
            .toJson(QJsonDocument::Compact) +
        '\n';
    const QString path = m_path;
    m_io.start([path, line] {
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        if (f.open(QIODevice::Append))
            f.write(line);
    });
}

void AuditLog::load()
{
    QPointer<AuditLog> self(this);
    const QString path = m_path;
    m_io.start([self, path] {
        QList<Entry> loaded;
        QFile f(path);
        if (f.open(QIODevice::ReadOnly)) {
            while (!f.atEnd()) {
                const QJsonObject o = QJsonDocument::fromJson(f.readLine()).object();
                if (o.isEmpty())
                    continue;
                loaded.append(
                    {QDateTime::fromString(o.value(QStringLiteral("time")).toString(), Qt::ISODate),
                     o.value(QStringLiteral("user")).toString(),
                     o.value(QStringLiteral("server")).toString(),
                     o.value(QStringLiteral("action")).toString(),
                     o.value(QStringLiteral("detail")).toString()});
            }
        }
        QMetaObject::invokeMethod(qApp, [self, loaded] {
            if (!self || loaded.isEmpty())
                return;
            self->beginResetModel();
            self->m_entries = loaded + self->m_entries;
            self->endResetModel();
        });
    });
}

} // namespace repl::gui
