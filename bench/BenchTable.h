#pragma once

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QTextStream>

// One measured figure of a benchmark run, printed as a table row and a JSON object.
struct BenchRow
{
    QString name;
    double value = 0;
    QString unit;
    QString note;
};

inline void printTable(const QString &title, const QList<BenchRow> &rows)
{
    QTextStream out(stdout);
    qsizetype width = 34; // the measure column fits its longest name
    for (const BenchRow &r : rows)
        width = qMax(width, r.name.size());
    const int w = int(width);
    out << "\n" << title << "\n";
    out << QStringLiteral("%1 | %2 | %3 | %4\n")
               .arg(QStringLiteral("measure"), -w)
               .arg(QStringLiteral("value"), 14)
               .arg(QStringLiteral("unit"), -10)
               .arg(QStringLiteral("note"));
    out << QString(w, u'-') << "-+-" << QString(14, u'-') << "-+-" << QString(10, u'-') << "-+-"
        << QString(30, u'-') << "\n";
    for (const BenchRow &r : rows)
        out << QStringLiteral("%1 | %2 | %3 | %4\n")
                   .arg(r.name, -w)
                   .arg(r.value, 14, 'f', 1)
                   .arg(r.unit, -10)
                   .arg(r.note);
    out.flush();
}

inline QJsonObject rowsToJson(const QString &title, const QList<BenchRow> &rows)
{
    QJsonArray arr;
    for (const BenchRow &r : rows)
        arr.append(QJsonObject{{QStringLiteral("name"), r.name},
                               {QStringLiteral("value"), r.value},
                               {QStringLiteral("unit"), r.unit},
                               {QStringLiteral("note"), r.note}});
    return {{QStringLiteral("benchmark"), title}, {QStringLiteral("rows"), arr}};
}

inline void writeJson(const QString &path, const QJsonObject &o)
{
    QFile f(path);
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        f.write(QJsonDocument(o).toJson());
}
