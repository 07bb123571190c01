#pragma once

#include <QJsonObject>
#include <QStandardItemModel>

namespace repl::gui {

// The inventory as a tree: databases → collections (type, documents, system flag) → their
// indexes (ArangoDB-kind servers), or CouchDB databases → their Mango indexes. apply()
// updates counts in place and rebuilds only when databases, collections or indexes changed,
// so selection and expansion survive the periodic refresh.
class InventoryModel final : public QStandardItemModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InventoryModel)

public:
    enum Column
    {
        Name = 0,
        Type = 1,
        Documents = 2,
        Details = 3
    };
    enum Role
    {
        JsonRole = Qt::UserRole + 1,
        ObjectRole,   // the collection's inventory entry, to see whether a refresh changed it
        DatabaseRole, // on a collection: its database; on a database row: its name
        KindRole      // "database", "collection" or "index"
    };

    explicit InventoryModel(QObject *parent = nullptr);
    void apply(const QJsonObject &inventory);
    // Remembered, so a rebuilt inventory comes back in the order the view shows.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

private:
    // Collection rows under `parent` (the root for a CouchDB server's databases).
    void appendCollections(QStandardItem *parent, const QString &database, const QJsonArray &cols);
    bool updateCollections(QStandardItem *parent, const QJsonArray &cols);
    void setDatabaseFigures(QList<QStandardItem *> row, const QJsonObject &db);
    // The Details column of a collection (or a CouchDB database) from its parameters.
    static QString detailsOf(const QJsonObject &parameters);

    QString m_shape; // names + index ids of the last build
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
};

} // namespace repl::gui
