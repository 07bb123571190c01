#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QThreadPool>

namespace repl::gui {

// Who did what, when, on which server: every sync and applier start/stop from this app.
// A model for the Audit tab, appended to a JSON-lines file off the GUI thread.
class AuditLog final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AuditLog)

public:
    struct Entry
    {
        QDateTime time;
        QString user;
        QString server;
        QString action;
        QString detail;
    };
    enum Column
    {
        Time = 0,
        User,
        Server,
        Action,
        Detail,
        ColumnCount
    };

    explicit AuditLog(QString filePath, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

    void record(const QString &server, const QString &action, const QString &detail);
    void load(); // reads the file on a pool thread, then fills the model

private:
    QString m_path;
    QList<Entry> m_entries;
    QThreadPool m_io;
};

} // namespace repl::gui
