#include "gui/InventoryModel.h"

#include "core/DocumentJson.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace repl::gui {

InventoryModel::InventoryModel(QObject *parent)
    : QStandardItemModel(0, 4, parent)
{
    setHorizontalHeaderLabels({tr("Name"), tr("Type"), tr("Documents"), tr("Details")});
}

namespace {
QString shapeOf(const QJsonArray &cols)
{
    QString shape;
    for (const QJsonValue &c : cols) {
        shape += c[QStringLiteral("parameters")][QStringLiteral("name")].toString() + u';';
        for (const QJsonValue &i : c[QStringLiteral("indexes")].toArray())
            shape += i[QStringLiteral("id")].toString() + u',';
    }
    return shape;
}

QList<QStandardItem *> readOnlyRow(std::initializer_list<QStandardItem *> items)
{
    for (QStandardItem *i : items)
        i->setEditable(false);
    return QList<QStandardItem *>(items);
}
} // namespace

void InventoryModel::apply(const QJsonObject &inventory)
{
    const bool perDatabase = inventory.contains(QStringLiteral("databases"));
    const QJsonArray dbs = inventory.value(QStringLiteral("databases")).toArray();
    QString shape;
    if (perDatabase)
        for (const QJsonValue &d : dbs)
            shape += u'[' + d[QStringLiteral("name")].toString() + u']' +
                     shapeOf(d[QStringLiteral("collections")].toArray());
    else
        shape = shapeOf(inventory.value(QStringLiteral("collections")).toArray());

    if (shape == m_shape && !shape.isEmpty()) {
        // Same databases and collections: counts, details and definitions move. Rows are found
        // by name: the view may have sorted them differently from the server's order.
        bool changed = false;
        if (!perDatabase) {
            changed = updateCollections(invisibleRootItem(),
                                        inventory.value(QStringLiteral("collections")).toArray());
        } else {
            QHash<QString, int> rowOf;
            for (int row = 0; row < rowCount(); ++row)
                rowOf.insert(item(row, Name)->text(), row);
            for (const QJsonValue &d : dbs) {
                const int row = rowOf.value(d[QStringLiteral("name")].toString(), -1);
                if (row < 0)
                    continue;
                changed |=
                    updateCollections(item(row, Name), d[QStringLiteral("collections")].toArray());
                const QString before = item(row, Documents)->text() + item(row, Details)->text();
                setDatabaseFigures(
                    {item(row, Name), item(row, Type), item(row, Documents), item(row, Details)},
                    d.toObject());
                changed |= before != item(row, Documents)->text() + item(row, Details)->text();
            }
        }
        if (changed && (m_sortColumn == Documents || m_sortColumn == Details))
            QStandardItemModel::sort(m_sortColumn, m_sortOrder);
        return;
    }
    m_shape = shape;
    removeRows(0, rowCount());
    if (!perDatabase) {
        appendCollections(invisibleRootItem(), {},
                          inventory.value(QStringLiteral("collections")).toArray());
    } else {
        for (const QJsonValue &d : dbs) {
            const QString name = d[QStringLiteral("name")].toString();
            auto *dbItem = new QStandardItem(name);
            dbItem->setData(name, DatabaseRole);
            dbItem->setData(QStringLiteral("database"), KindRole);
            auto *count = new QStandardItem;
            count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            const QList<QStandardItem *> row =
                readOnlyRow({dbItem, new QStandardItem(tr("database")), count, new QStandardItem});
            setDatabaseFigures(row, d.toObject());
            appendCollections(dbItem, name, d[QStringLiteral("collections")].toArray());
            appendRow(row);
        }
    }
    if (m_sortColumn >= 0) // rebuilt rows come in the server's order: keep the view's
        QStandardItemModel::sort(m_sortColumn, m_sortOrder);
}

void InventoryModel::setDatabaseFigures(QList<QStandardItem *> row, const QJsonObject &db)
{
    const QJsonArray cols = db.value(QStringLiteral("collections")).toArray();
    qint64 documents = 0;
    int user = 0;
    for (const QJsonValue &c : cols) {
        const QJsonObject p = c[QStringLiteral("parameters")].toObject();
        documents += qint64(p.value(QStringLiteral("count")).toDouble());
        user += p.value(QStringLiteral("name")).toString().startsWith(u'_') ? 0 : 1;
    }
    const QString problem = db.value(QStringLiteral("problem")).toString();
    row[Documents]->setData(documents, Qt::DisplayRole);
    row[Details]->setText(
        problem.isEmpty()
            ? tr("%n collection(s)", nullptr, user) +
                  (cols.size() > user ? tr(" + %1 system").arg(cols.size() - user) : QString())
            : problem);
    // A summary, not the whole database's JSON: cheap on every refresh, and each collection
    // row has its own definition.
    row[Name]->setData(
        problem.isEmpty()
            ? tr("Database %1: %2, %3 documents. Select a collection to see its definition and "
                 "documents.")
                  .arg(db.value(QStringLiteral("name")).toString(), row[Details]->text())
                  .arg(documents)
            : tr("Database %1: %2").arg(db.value(QStringLiteral("name")).toString(), problem),
        JsonRole);
}

bool InventoryModel::updateCollections(QStandardItem *parent, const QJsonArray &cols)
{
    QHash<QString, int> rowOf;
    for (int row = 0; row < parent->rowCount(); ++row)
        rowOf.insert(parent->child(row, Name)->text(), row);
    bool changed = false;
    const auto set = [&changed](QStandardItem *i, const QVariant &v, int role) {
        if (i && i->data(role) != v) {
            i->setData(v, role);
            changed = true;
        }
    };
    for (const QJsonValue &c : cols) {
        const QJsonObject o = c.toObject();
        const QJsonObject p = o.value(QStringLiteral("parameters")).toObject();
        const int row = rowOf.value(p.value(QStringLiteral("name")).toString(), -1);
        if (row < 0 || parent->child(row, Name)->data(ObjectRole).toJsonObject() == o)
            continue; // unchanged: nothing to format again
        parent->child(row, Name)->setData(o, ObjectRole);
        set(parent->child(row, Documents), qint64(p.value(QStringLiteral("count")).toDouble()),
            Qt::DisplayRole);
        set(parent->child(row, Details), detailsOf(p), Qt::DisplayRole);
        set(parent->child(row, Name), QJsonDocument(o).toJson(QJsonDocument::Indented), JsonRole);
    }
    return changed;
}

void InventoryModel::appendCollections(QStandardItem *parent, const QString &database,
                                       const QJsonArray &cols)
{
    for (const QJsonValue &c : cols) {
        const QJsonObject p = c[QStringLiteral("parameters")].toObject();
        auto *name = new QStandardItem(p.value(QStringLiteral("name")).toString());
        name->setData(QJsonDocument(c.toObject()).toJson(QJsonDocument::Indented), JsonRole);
        name->setData(c.toObject(), ObjectRole);
        const bool couch = p.value(QStringLiteral("couchdb")).toBool();
        name->setData(couch ? name->text() : database, DatabaseRole);
        name->setData(couch ? QStringLiteral("database") : QStringLiteral("collection"), KindRole);
        auto *type =
            new QStandardItem(couch                                          ? tr("database")
                              : p.value(QStringLiteral("type")).toInt() == 3 ? tr("edge")
                                                                             : tr("document"));
        auto *count = new QStandardItem;
        count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        count->setData(qint64(p.value(QStringLiteral("count")).toDouble()), Qt::DisplayRole);
        auto *details = new QStandardItem(detailsOf(p));
        for (const QJsonValue &idx : c[QStringLiteral("indexes")].toArray()) {
            const QJsonObject o = idx.toObject();
            QStringList fields;
            for (const QJsonValue &f : o.value(QStringLiteral("fields")).toArray())
                fields << f.toString();
            auto *iname = new QStandardItem(o.value(QStringLiteral("id")).toString());
            iname->setData(QJsonDocument(o).toJson(QJsonDocument::Indented), JsonRole);
            iname->setData(QStringLiteral("index"), KindRole);
            auto *itype =
                new QStandardItem(tr("%1 index").arg(o.value(QStringLiteral("type")).toString()));
            QStringList flags{fields.join(QStringLiteral(", "))};
            if (o.value(QStringLiteral("unique")).toBool())
                flags << tr("unique");
            if (o.value(QStringLiteral("sparse")).toBool())
                flags << tr("sparse");
            name->appendRow(readOnlyRow({iname, itype, new QStandardItem,
                                         new QStandardItem(flags.join(QStringLiteral(" · ")))}));
        }
        parent->appendRow(readOnlyRow({name, type, count, details}));
    }
}

QString InventoryModel::detailsOf(const QJsonObject &p)
{
    const bool system = p.value(QStringLiteral("isSystem")).toBool() ||
                        p.value(QStringLiteral("name")).toString().startsWith(u'_');
    if (!p.value(QStringLiteral("couchdb")).toBool())
        return system ? tr("system, id %1").arg(p.value(QStringLiteral("cid")).toString())
                      : tr("id %1").arg(p.value(QStringLiteral("cid")).toString());
    if (p.contains(QStringLiteral("problem"))) // its info could not be read
        return p.value(QStringLiteral("problem")).toString();
    // CouchDB: the update sequence (a number or an opaque string) and the tombstones.
    const QJsonValue seq = p.value(QStringLiteral("updateSeq"));
    QString details =
        tr("%1update seq %2")
            .arg(system ? tr("system, ") : QString(), couchSeqShort(couchSeqText(seq)));
    if (p.contains(QStringLiteral("deletedCount"))) // CouchDB says; pouchdb-server not
        details += tr(" · %1 deleted").arg(p.value(QStringLiteral("deletedCount")).toInteger());
    return details;
}

void InventoryModel::sort(int column, Qt::SortOrder order)
{
    m_sortColumn = column;
    m_sortOrder = order;
    QStandardItemModel::sort(column, order);
}

} // namespace repl::gui
