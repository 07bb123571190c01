// The Replications list's model: ReplDesk's job shape, CouchDB 3's scheduler shape and
// _active_tasks entries end up as the same rows.
#include "gui/ReplicationJobModel.h"

#include <QJsonDocument>
#include <QTest>

using namespace repl::gui;

class TestReplicationJobModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void couchDb3SchedulerJobIsNormalized()
    {
        // The shape CouchDB 3.x documents for GET /_scheduler/jobs.
        const QJsonObject job =
            QJsonDocument::fromJson(
                "{ \"database\": \"_replicator\", \"doc_id\": \"cdyno-0000001-0000003\", "
                "\"history\": [{\"timestamp\": \"2017-04-29T05:01:37Z\", \"type\": \"started\"}, "
                "{\"timestamp\": \"2017-04-29T05:01:37Z\", \"type\": \"added\"}], \"id\": "
                "\"8f5b1bd0be6f9166ccfd36fc8be8fc22+continuous\", \"info\": {\"changes_pending\": "
                "0, \"checkpointed_source_seq\": \"113-g1AAAAA\", \"doc_write_failures\": 0, "
                "\"docs_read\": 113, \"docs_written\": 113, \"missing_revisions_found\": 113, "
                "\"revisions_checked\": 113, \"source_seq\": \"113-g1AAAAA\", \"through_seq\": "
                "\"113-g1AAAAA\"}, \"node\": \"node1@127.0.0.1\", \"pid\": \"<0.1850.0>\", "
                "\"source\": \"http://myserver.com/foo\", \"start_time\": "
                "\"2017-04-29T05:01:37Z\", \"target\": "
                "\"http://adm:*****@localhost:15984/cdyno-0000003/\", \"user\": null}")
                .object();
        const QJsonObject n = ReplicationJobModel::normalized(job);
        QCOMPARE(n.value(QStringLiteral("replication_id")).toString(),
                 QStringLiteral("8f5b1bd0be6f9166ccfd36fc8be8fc22+continuous"));
        QCOMPARE(n.value(QStringLiteral("state")).toString(), QStringLiteral("running"));
        QCOMPARE(n.value(QStringLiteral("docs_written")).toInt(), 113);
        QCOMPARE(n.value(QStringLiteral("started_on")).toInteger(), qint64(1493442097));
        QCOMPARE(ReplicationJobModel::progressOf(n), 100);

        ReplicationJobModel model;
        model.setJobs(QJsonArray{job});
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.data(model.index(0, ReplicationJobModel::Written), Qt::DisplayRole).toInt(),
                 113);
        QVERIFY(model.data(model.index(0, ReplicationJobModel::Checkpointed), Qt::DisplayRole)
                    .toString()
                    .startsWith(QStringLiteral("113-g1")));
    }

    // The states CouchDB 3's scheduler reports through a job's newest history event, the
    // crash reason, continuous from the id, and a _replicator document's own state.
    void schedulerStatesAndReasons_data()
    {
        QTest::addColumn<QString>("event");
        QTest::addColumn<QString>("state");
        QTest::newRow("started") << QStringLiteral("started") << QStringLiteral("running");
        QTest::newRow("added: waiting for a slot")
            << QStringLiteral("added") << QStringLiteral("pending");
        QTest::newRow("stopped") << QStringLiteral("stopped") << QStringLiteral("stopped");
        QTest::newRow("crashed") << QStringLiteral("crashed") << QStringLiteral("crashing");
    }
    void schedulerStatesAndReasons()
    {
        QFETCH(QString, event);
        QFETCH(QString, state);
        QJsonObject newest{{QStringLiteral("timestamp"), QStringLiteral("2026-12-06T22:13:29Z")},
                           {QStringLiteral("type"), event}};
        if (event == u"crashed")
            newest.insert(QStringLiteral("reason"),
                          QStringLiteral("db_not_found: could not open http://h/nosuch/"));
        const QJsonObject job{
            {QStringLiteral("id"), QStringLiteral("31313bcc+continuous+create_target")},
            {QStringLiteral("doc_id"), QJsonValue(QJsonValue::Null)},
            {QStringLiteral("info"), QJsonValue(QJsonValue::Null)},
            {QStringLiteral("history"),
             QJsonArray{newest, QJsonObject{{QStringLiteral("type"), QStringLiteral("added")}}}}};
        const QJsonObject n = ReplicationJobModel::normalized(job);
        QCOMPARE(n.value(QStringLiteral("state")).toString(), state);
        QVERIFY(n.value(QStringLiteral("continuous")).toBool()); // "+continuous" in the id
        QCOMPARE(ReplicationJobModel::isDocument(n), false);
        if (event == u"crashed") {
            QVERIFY(n.value(QStringLiteral("last_error"))
                        .toString()
                        .startsWith(QStringLiteral("db_not_found")));
            QCOMPARE(n.value(QStringLiteral("error_name")).toString(),
                     QStringLiteral("db_not_found"));
        }
        QCOMPARE(ReplicationJobModel::isActive(n), state != u"stopped");
    }

    void schedulerDocKeepsItsStateAndReason()
    {
        const QJsonObject doc{
            {QStringLiteral("database"), QStringLiteral("_replicator")},
            {QStringLiteral("doc_id"), QStringLiteral("bad")},
            {QStringLiteral("id"), QJsonValue(QJsonValue::Null)},
            {QStringLiteral("state"), QStringLiteral("error")},
            {QStringLiteral("info"),
             QJsonObject{{QStringLiteral("error"),
                          QStringLiteral("Couldn't open document `_design/nope`")}}},
            {QStringLiteral("error_count"), 1},
            {QStringLiteral("start_time"), QStringLiteral("2026-12-06T22:13:40Z")}};
        const QJsonObject n = ReplicationJobModel::normalized(doc);
        QCOMPARE(n.value(QStringLiteral("state")).toString(), QStringLiteral("error"));
        QVERIFY(n.value(QStringLiteral("last_error")).toString().contains(u"_design/nope"));
        QVERIFY(ReplicationJobModel::isDocument(n));
        ReplicationJobModel model;
        model.setJobs(QJsonArray{doc});
        QCOMPARE(
            model.data(model.index(0, ReplicationJobModel::Document), Qt::DisplayRole).toString(),
            QStringLiteral("bad"));
        QCOMPARE(model.data(model.index(0, 0), ReplicationJobModel::DocIdRole).toString(),
                 QStringLiteral("bad"));
    }

    void progressNeedsAKnownTotal()
    {
        QJsonObject job{{QStringLiteral("docs_written"), 300},
                        {QStringLiteral("changes_pending"), 100}};
        QCOMPARE(ReplicationJobModel::progressOf(job), 75);
        job.insert(QStringLiteral("changes_pending"), QJsonValue(QJsonValue::Null));
        QCOMPARE(ReplicationJobModel::progressOf(job), -1); // unknown: a busy bar, no figure
        job.insert(QStringLiteral("state"), QStringLiteral("completed"));
        QCOMPARE(ReplicationJobModel::progressOf(job), 100);
    }

    void rowsKeepTheirPlaceAcrossRefreshes()
    {
        ReplicationJobModel model;
        const QJsonArray jobs{QJsonObject{{QStringLiteral("replication_id"), QStringLiteral("a")},
                                          {QStringLiteral("started_on"), 10}},
                              QJsonObject{{QStringLiteral("replication_id"), QStringLiteral("b")},
                                          {QStringLiteral("started_on"), 20}}};
        model.setJobs(jobs);
        QCOMPARE(model.data(model.index(0, 0), ReplicationJobModel::IdRole).toString(),
                 QStringLiteral("b")); // newest first
        int resets = 0;
        connect(&model, &QAbstractItemModel::modelReset, this, [&] { ++resets; });
        model.setJobs(jobs);
        QCOMPARE(resets, 0); // same jobs: updated in place, the selection survives
    }

    void everyKnownErrorHasItsOwnRemedy()
    {
        const QString generic = replicationRemedy(QStringLiteral("something_else"));
        for (const char *e : {"db_not_found", "unauthorized", "not_found", "worker_died",
                              "cancelled", "bad_request"})
            QVERIFY2(replicationRemedy(QLatin1String(e)) != generic, e);
    }
};

QTEST_MAIN(TestReplicationJobModel)
#include "tst_replicationjobmodel.moc"
