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

void InventoryModel::apply(const QJsonObject &inventory)
{
    const QJsonArray cols = inventory.value(QStringLiteral("collections")).toArray();
    QString shape;
    for (const QJsonValue &c : cols) {
        shape += c[QStringLiteral("parameters")][QStringLiteral("name")].toString() + u';';
        for (const QJsonValue &i : c[QStringLiteral("indexes")].toArray())
            shape += i[QStringLiteral("id")].toString() + u',';
    }
    if (shape == m_shape && rowCount() == cols.size()) {
        // Same collections: counts, details and definitions move. Rows are found by name:
        // the view may have sorted them differently from the server's order.
        QHash<QString, int> rowOf;
        for (int row = 0; row < rowCount(); ++row)
            rowOf.insert(item(row, Name)->text(), row);
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
            if (row < 0 || item(row, Name)->data(ObjectRole).toJsonObject() == o)
                continue; // unchanged: nothing to format again
            item(row, Name)->setData(o, ObjectRole);
            set(item(row, Documents), qint64(p.value(QStringLiteral("count")).toDouble()),
                Qt::DisplayRole);
            set(item(row, Details), detailsOf(p), Qt::DisplayRole);
            set(item(row, Name), QJsonDocument(o).toJson(QJsonDocument::Indented), JsonRole);
        }
        if (changed && (m_sortColumn == Documents || m_sortColumn == Details))
            QStandardItemModel::sort(m_sortColumn, m_sortOrder);
        return;
    }
    m_shape = shape;
    removeRows(0, rowCount());
    for (const QJsonValue &c : cols) {
        const QJsonObject p = c[QStringLiteral("parameters")].toObject();
        auto *name = new QStandardItem(p.value(QStringLiteral("name")).toString());
        name->setData(QJsonDocument(c.toObject()).toJson(QJsonDocument::Indented), JsonRole);
        name->setData(c.toObject(), ObjectRole);
        const bool couch = p.value(QStringLiteral("couchdb")).toBool();
        auto *type =
            new QStandardItem(couch                                          ? tr("database")
                              : p.value(QStringLiteral("type")).toInt() == 3 ? tr("edge")
                                                                             : tr("document"));
        auto *count = new QStandardItem;
        count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        count->setData(qint64(p.value(QStringLiteral("count")).toDouble()), Qt::DisplayRole);
        auto *details = new QStandardItem(detailsOf(p));
        for (QStandardItem *i : {name, type, count, details})
            i->setEditable(false);
        for (const QJsonValue &idx : c[QStringLiteral("indexes")].toArray()) {
            const QJsonObject o = idx.toObject();
            QStringList fields;
            for (const QJsonValue &f : o.value(QStringLiteral("fields")).toArray())
                fields << f.toString();
            auto *iname = new QStandardItem(o.value(QStringLiteral("id")).toString());
            iname->setData(QJsonDocument(o).toJson(QJsonDocument::Indented), JsonRole);
            auto *itype =
                new QStandardItem(tr("%1 index").arg(o.value(QStringLiteral("type")).toString()));
            auto *iempty = new QStandardItem;
            QStringList flags{fields.join(QStringLiteral(", "))};
            if (o.value(QStringLiteral("unique")).toBool())
                flags << tr("unique");
            if (o.value(QStringLiteral("sparse")).toBool())
                flags << tr("sparse");
            auto *idetails = new QStandardItem(flags.join(QStringLiteral(" · ")));
            for (QStandardItem *i : {iname, itype, iempty, idetails})
                i->setEditable(false);
            name->appendRow({iname, itype, iempty, idetails});
        }
        appendRow({name, type, count, details});
    }
    if (m_sortColumn >= 0) // rebuilt rows come in the server's order: keep the view's
        QStandardItemModel::sort(m_sortColumn, m_sortOrder);
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
