// The CouchDB face answers as the real Apache CouchDB 3.4.3 does. Every check sends the same
// request to repldesk-server and, when ../shared/peers/couchdb is here, to the real CouchDB,
// and holds both answers to what CouchDB answers (status, error, reason and the fields that
// matter; never rev hashes or seqs). Without the real CouchDB the checks of our own server
// still run.
#include "support/HttpClient.h"
#include "support/RealCouchDb.h"
#include "support/ServerProcess.h"

#include <QJsonDocument>
#include <QTest>

using namespace repl::test;
using namespace Qt::StringLiterals;

class TestCouchProtocol : public QObject
{
    Q_OBJECT

private:
    struct Peer
    {
        QString name;
        HttpClient *http = nullptr;
    };

    std::unique_ptr<ServerProcess> m_server;
    std::unique_ptr<HttpClient> m_ours;
    std::unique_ptr<RealCouchDb> m_couch;
    std::unique_ptr<HttpClient> m_couchHttp;
    QString m_couchMissing; // why the comparison with CouchDB is skipped

    // repldesk-server first, then the real CouchDB when it runs.
    QList<Peer> peers() const
    {
        QList<Peer> out{{u"repldesk"_s, m_ours.get()}};
        if (m_couchHttp)
            out.append({u"couchdb"_s, m_couchHttp.get()});
        return out;
    }

    void createDb(const QString &name)
    {
        for (const Peer &p : peers()) {
            const HttpReply r = p.http->put(u'/' + name);
            QVERIFY2(r.status == 201, qPrintable(p.name + u' ' + QString::fromUtf8(r.body)));
        }
    }

    static QByteArray json(const QJsonObject &o)
    {
        return QJsonDocument(o).toJson(QJsonDocument::Compact);
    }
    static QString describe(const Peer &p, const HttpReply &r)
    {
        return p.name + u": "_s + QString::number(r.status) + u' ' + QString::fromUtf8(r.body);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<ServerProcess>();
        QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
        m_ours = std::make_unique<HttpClient>(m_server->baseUrl());
        m_couchMissing = RealCouchDb::unavailableReason();
        if (m_couchMissing.isEmpty()) {
            m_couch = std::make_unique<RealCouchDb>();
            QVERIFY2(m_couch->start(), qPrintable(m_couch->errorString()));
            m_couchHttp = std::make_unique<HttpClient>(m_couch->baseUrl(), u"admin"_s,
                                                       RealCouchDb::password());
        } else {
            qWarning("compared with our own expectations only: %s", qPrintable(m_couchMissing));
        }
    }

    void cleanupTestCase()
    {
        m_couchHttp.reset();
        m_couch.reset(); // stops CouchDB
    }

    // Item 8: the replicator's special members are kept on any document, as CouchDB does.
    void replicationMembersAreKept()
    {
        createDb(u"members"_s);
        const QJsonObject doc{{"_replication_id", "r1"},
                              {"_replication_state", "triggered"},
                              {"_replication_state_time", "2024-01-01T00:00:00Z"},
                              {"_replication_state_reason", "none"},
                              {"_replication_stats", QJsonObject{{"docs_read", 1}}},
                              {"v", 1}};
        for (const Peer &p : peers()) {
            HttpReply r = p.http->put(u"/members/d"_s, json(doc));
            QVERIFY2(r.status == 201, qPrintable(describe(p, r)));
            r = p.http->get(u"/members/d"_s);
            QVERIFY2(r.status == 200, qPrintable(describe(p, r)));
            QJsonObject got = r.json();
            got.remove(u"_id"_s);
            got.remove(u"_rev"_s);
            QCOMPARE(got, doc);

            const QByteArray bulk = "{\"docs\":[{\"_id\":\"b\",\"_replication_state\":\"error\"}]}";
            r = p.http->post(u"/members/_bulk_docs"_s, bulk);
            QVERIFY2(r.status == 201, qPrintable(describe(p, r)));
            QVERIFY2(r.jsonArray().at(0)[u"ok"_s].toBool(), qPrintable(describe(p, r)));
            QCOMPARE(p.http->get(u"/members/b"_s).json()[u"_replication_state"_s].toString(),
                     u"error"_s);

            // Any other special member is still refused, naming it.
            r = p.http->put(u"/members/e"_s, "{\"_foo\":1}");
            QVERIFY2(r.status == 400, qPrintable(describe(p, r)));
            QCOMPARE(r.json()[u"error"_s].toString(), u"doc_validation"_s);
            QCOMPARE(r.json()[u"reason"_s].toString(), u"Bad special document member: _foo"_s);
        }
    }
};

QTEST_GUILESS_MAIN(TestCouchProtocol)
#include "tst_couch_protocol.moc"
