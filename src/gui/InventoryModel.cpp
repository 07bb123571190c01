#include "gui/InventoryModel.h"

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
        // Same collections: only counts move. Rows are found by name: the view may have
        // sorted them differently from the server's order.
        QHash<QString, int> rowOf;
        for (int row = 0; row < rowCount(); ++row)
            rowOf.insert(item(row, Name)->text(), row);
        for (const QJsonValue &c : cols) {
            const QJsonObject p = c[QStringLiteral("parameters")].toObject();
            QStandardItem *countItem =
                item(rowOf.value(p.value(QStringLiteral("name")).toString(), -1), Documents);
            const qint64 count = qint64(p.value(QStringLiteral("count")).toDouble());
            if (countItem && countItem->data(Qt::DisplayRole).toLongLong() != count)
                countItem->setData(count, Qt::DisplayRole);
        }
        return;
    }
    m_shape = shape;
    removeRows(0, rowCount());
    for (const QJsonValue &c : cols) {
        const QJsonObject p = c[QStringLiteral("parameters")].toObject();
        const bool system = p.value(QStringLiteral("isSystem")).toBool() ||
                            p.value(QStringLiteral("name")).toString().startsWith(u'_');
        auto *name = new QStandardItem(p.value(QStringLiteral("name")).toString());
        name->setData(QJsonDocument(c.toObject()).toJson(QJsonDocument::Indented), JsonRole);
        const bool couch = p.value(QStringLiteral("couchdb")).toBool();
        auto *type =
            new QStandardItem(couch                                          ? tr("database")
                              : p.value(QStringLiteral("type")).toInt() == 3 ? tr("edge")
                                                                             : tr("document"));
        auto *count = new QStandardItem;
        count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        count->setData(qint64(p.value(QStringLiteral("count")).toDouble()), Qt::DisplayRole);
        // CouchDB: the update sequence (a number or an opaque string) and the tombstones.
        const QJsonValue seq = p.value(QStringLiteral("updateSeq"));
        const QString seqText =
            seq.isString() ? seq.toString().section(u'-', 0, 0) : QString::number(seq.toInteger());
        QString couchDetails =
            tr("%1update seq %2").arg(system ? tr("system, ") : QString(), seqText);
        if (p.contains(QStringLiteral("deletedCount"))) // CouchDB says; pouchdb-server not
            couchDetails +=
                tr(" · %1 deleted").arg(p.value(QStringLiteral("deletedCount")).toInteger());
        auto *details = new QStandardItem(
            couch    ? couchDetails
            : system ? tr("system, id %1").arg(p.value(QStringLiteral("cid")).toString())
                     : tr("id %1").arg(p.value(QStringLiteral("cid")).toString()));
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

void InventoryModel::sort(int column, Qt::SortOrder order)
{
    m_sortColumn = column;
    m_sortOrder = order;
    QStandardItemModel::sort(column, order);
}

} // namespace repl::gui
