// PouchDB 9 as the client of our CouchDB face (issue 11): the real PouchDB 9.0.0 from npm
// (memory adapter, run by node) replicates to and from repldesk-server, syncs live both ways
// and runs again from its checkpoints. tests/interop/pouch_client.js is PouchDB's side and
// reports what it saw as JSON; this test prepares the server's data over HTTP and checks the
// server's side over HTTP. Every check runs first against the real Apache CouchDB 3.4.3 when
// ../shared/peers/couchdb is here (proof that the expectation is CouchDB's), then against
// repldesk-server.
#include "support/HttpClient.h"
#include "support/RealCouchDb.h"
#include "support/ServerProcess.h"

#include <QCryptographicHash>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>

using namespace repl::test;
using namespace Qt::StringLiterals;

namespace {

const QByteArray kFolderText = "hello from a folder"; // dir/file.txt (file.txt on "served")
const QByteArray kKeptText = "kept across revisions"; // attkept's note.txt (revpos 1)
const QByteArray kAddedText = "added with a slash";   // PUT /db/attput/dir/added.txt
const QList<QPair<QByteArray, QByteArray>> kJson{{"Accept", "application/json"}};

QByteArray binaryBytes() // bin.dat: every byte value once
{
    QByteArray out;
    for (int i = 0; i < 256; ++i)
        out.append(char(i));
    return out;
}

// CouchDB's digest of an attachment it stores as sent (not a compressible type).
QString md5Digest(const QByteArray &data)
{
    return u"md5-"_s +
           QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Md5).toBase64());
}

QString base64(const QByteArray &data)
{
    return QString::fromLatin1(data.toBase64());
}

QString compact(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QString modulesDir()
{
    const QString env = qEnvironmentVariable("REPLDESK_POUCHDB9_MODULES");
    return env.isEmpty() ? QStringLiteral(REPLDESK_POUCHDB9_MODULES) : env;
}

QJsonArray strings(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

} // namespace

class TestPouchClient : public QObject
{
    Q_OBJECT

    struct Peer
    {
        QString name;
        QUrl base; // without credentials
        QString user;
        QString password;
        HttpClient *http = nullptr;
    };

    QString m_node;
    QString m_modules;
    std::unique_ptr<ServerProcess> m_server;
    std::unique_ptr<HttpClient> m_ours;
    std::unique_ptr<RealCouchDb> m_couch;
    std::unique_ptr<HttpClient> m_couchHttp;
    QHash<QString, QJsonObject> m_push; // PouchDB's reports, by peer
    QHash<QString, QJsonObject> m_pull;

    // The real CouchDB first (when it runs), then repldesk-server.
    QList<Peer> peers() const
    {
        QList<Peer> out;
        if (m_couchHttp)
            out.append({u"couchdb"_s, m_couch->baseUrl(), u"admin"_s, RealCouchDb::password(),
                        m_couchHttp.get()});
        out.append({u"repldesk"_s, m_server->baseUrl(), u"root"_s, ServerProcess::password(),
                    m_ours.get()});
        return out;
    }

    // Data rows: one per peer, so a failure names the server it is about.
    void peerRows() const
    {
        QTest::addColumn<QString>("peer");
        for (const Peer &p : peers())
            QTest::newRow(qPrintable(p.name)) << p.name;
    }
    Peer fetchPeer() const
    {
        QFETCH(QString, peer);
        for (const Peer &p : peers())
            if (p.name == peer)
                return p;
        return {};
    }

    static QString describe(const Peer &p, const QByteArray &method, const QString &path,
                            const HttpReply &r)
    {
        return p.name + u": "_s + QString::fromLatin1(method) + u' ' + path + u" -> "_s +
               QString::number(r.status) + u' ' + QString::fromUtf8(r.body.left(600));
    }

    // Runs pouch_client.js with `scenario` against the peer; empty on success (report set),
    // else what went wrong.
    QString runClient(const Peer &p, QJsonObject scenario, QJsonObject &report,
                      int timeoutMs = 40000) const
    {
        scenario.insert(u"url"_s, p.base.toString(QUrl::StripTrailingSlash));
        scenario.insert(u"user"_s, p.user);
        scenario.insert(u"password"_s, p.password);
        QProcess node;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"NODE_PATH"_s, m_modules);
        node.setProcessEnvironment(env);
        node.start(m_node, {QStringLiteral(REPLDESK_POUCH_CLIENT_SCRIPT)});
        if (!node.waitForStarted())
            return u"node did not start: "_s + node.errorString();
        node.write(QJsonDocument(scenario).toJson(QJsonDocument::Compact));
        node.closeWriteChannel();
        if (!node.waitForFinished(timeoutMs)) {
            node.kill();
            node.waitForFinished();
            return u"pouch_client.js did not finish within %1 ms: "_s.arg(timeoutMs) +
                   QString::fromUtf8(node.readAllStandardError());
        }
        const QByteArray out = node.readAllStandardOutput().trimmed();
        const QByteArray err = node.readAllStandardError();
        const QByteArray last = out.mid(out.lastIndexOf('\n') + 1); // the report is one line
        const QJsonDocument doc = QJsonDocument::fromJson(last);
        if (!doc.isObject() || doc.object().contains(u"fatal"_s))
            return u"pouch_client.js failed (exit %1): "_s.arg(node.exitCode()) +
                   QString::fromUtf8(out + '\n' + err);
        report = doc.object();
        return {};
    }

    static QJsonObject runOf(const QJsonObject &report, int i)
    {
        return report.value(u"runs"_s).toArray().at(i).toObject();
    }

    // One request; its answer's JSON, or an empty object (and the request with the answer
    // appended to `problems`) when the status is not `status`.
    static QJsonObject send(const Peer &p, const QByteArray &method, const QString &path,
                            const QJsonValue &body, int status, QStringList &problems,
                            const QList<QPair<QByteArray, QByteArray>> &headers = {})
    {
        const QByteArray raw = body.isString() ? body.toString().toUtf8()
                               : body.isObject()
                                   ? QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact)
                                   : QByteArray();
        const HttpReply r = p.http->request(method, path, raw, headers);
        if (r.status == status)
            return r.json().isEmpty() ? QJsonObject{{"ok", true}} : r.json();
        problems.append(describe(p, method, path, r));
        return {};
    }

    // A database on the peer with plain docs, conflicts, deletions and attachments, written
    // the way a CouchDB client does; the requests that failed.
    static QStringList seedServer(const Peer &p, const QString &db)
    {
        QStringList problems;
        const QString base = u'/' + db;
        send(p, "PUT", base, {}, 201, problems);
        QJsonArray plain;
        for (int i = 0; i < 10; ++i)
            plain.append(
                QJsonObject{{"_id", u"doc%1"_s.arg(i, 4, 10, QLatin1Char('0'))}, {"n", i}});
        send(p, "POST", base + u"/_bulk_docs"_s, QJsonObject{{"docs", plain}}, 201, problems);

        auto branch = [](const QString &id, const QStringList &revs, QJsonObject body) {
            body.insert(u"_id"_s, id);
            body.insert(u"_rev"_s, u"%1-%2"_s.arg(revs.size()).arg(revs.first()));
            body.insert(u"_revisions"_s,
                        QJsonObject{{"start", int(revs.size())}, {"ids", strings(revs)}});
            return body;
        };
        const QJsonArray branches{
            branch(u"conflicted"_s, {u"aaaa"_s, u"1111"_s}, {{"side", "a"}}),
            branch(u"conflicted"_s, {u"bbbb"_s, u"1111"_s}, {{"side", "b"}}),
            branch(u"deadbranch"_s, {u"cccc"_s, u"bbbb"_s, u"aaaa"_s}, {{"alive", true}}),
            branch(u"deadbranch"_s, {u"dddd"_s, u"bbbb"_s, u"aaaa"_s}, {{"_deleted", true}})};
        send(p, "POST", base + u"/_bulk_docs"_s,
             QJsonObject{{"docs", branches}, {"new_edits", false}}, 201, problems);

        const QJsonObject gone =
            send(p, "PUT", base + u"/gone"_s, QJsonObject{{"v", 1}}, 201, problems);
        send(p, "DELETE", base + u"/gone?rev="_s + gone.value(u"rev"_s).toString(), {}, 200,
             problems);
        // A new doc PUT deleted (CouchDB: 200, rev 1-…), and one replicated with _rev alone.
        send(p, "PUT", base + u"/deadborn"_s, QJsonObject{{"_deleted", true}}, 200, problems);
        send(p, "POST", base + u"/_bulk_docs"_s,
             QJsonObject{
                 {"docs", QJsonArray{QJsonObject{{"_id", "revonly"}, {"_rev", "3-abc"}, {"v", 3}}}},
                 {"new_edits", false}},
             201, problems);

        const QJsonObject atts{{"file.txt", QJsonObject{{"content_type", "text/plain"},
                                                        {"data", base64(kFolderText)}}},
                               {"bin.dat", QJsonObject{{"content_type", "application/octet-stream"},
                                                       {"data", base64(binaryBytes())}}}};
        send(p, "PUT", base + u"/withatt"_s,
             QJsonObject{{"kind", "attachments"}, {"_attachments", atts}}, 201, problems);

        // An attachment kept as a stub by a later revision: revpos 1 at rev 2.
        const QJsonObject note{{"content_type", "text/plain"}, {"data", base64(kKeptText)}};
        const QJsonObject kept1 =
            send(p, "PUT", base + u"/attkept"_s,
                 QJsonObject{{"v", 1}, {"_attachments", QJsonObject{{"note.txt", note}}}}, 201,
                 problems);
        send(p, "PUT", base + u"/attkept"_s,
             QJsonObject{{"_rev", kept1.value(u"rev"_s)},
                         {"v", 2},
                         {"_attachments", QJsonObject{{"note.txt", QJsonObject{{"stub", true}}}}}},
             201, problems);
        return problems;
    }

    // Attachment names with a slash: one sent inline, one PUT on its own (revpos 2).
    static QStringList seedSlashes(const Peer &p, const QString &db)
    {
        QStringList problems;
        const QString base = u'/' + db;
        send(p, "PUT", base, {}, 201, problems);
        const QJsonObject folder{{"content_type", "text/plain"}, {"data", base64(kFolderText)}};
        send(p, "PUT", base + u"/withatt"_s,
             QJsonObject{{"_attachments", QJsonObject{{"dir/file.txt", folder}}}}, 201, problems);
        const QJsonObject put1 =
            send(p, "PUT", base + u"/attput"_s, QJsonObject{{"v", 1}}, 201, problems);
        send(p, "PUT", base + u"/attput/dir/added.txt?rev="_s + put1.value(u"rev"_s).toString(),
             QString::fromUtf8(kAddedText), 201, problems, {{"Content-Type", "text/plain"}});
        return problems;
    }

    // GET with a path sent exactly as given (HttpClient would encode a '%').
    static HttpReply getEncoded(const Peer &p, const QByteArray &encodedPath)
    {
        QNetworkAccessManager nam;
        QNetworkRequest req(QUrl::fromEncoded(p.base.toEncoded() + encodedPath));
        req.setRawHeader("Authorization",
                         "Basic " + (p.user + u':' + p.password).toUtf8().toBase64());
        QNetworkReply *reply = nam.get(req);
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(30000, &loop, &QEventLoop::quit);
        if (!reply->isFinished())
            loop.exec();
        HttpReply out;
        out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        out.body = reply->readAll();
        delete reply;
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_node = QStandardPaths::findExecutable(u"node"_s);
        if (m_node.isEmpty())
            QSKIP("node is not installed: ./scripts/test installs it with PouchDB 9 (or: "
                  "apt-get install nodejs npm, then . scripts/deps.sh && "
                  "repldesk_install_peers build)");
        m_modules = modulesDir();
        if (!QFileInfo::exists(m_modules + u"/pouchdb/package.json"_s) ||
            !QFileInfo::exists(m_modules + u"/pouchdb-adapter-memory/package.json"_s)) {
            const QString why = u"PouchDB 9 is not installed in %1: ./scripts/test installs it "
                                u"(or: . scripts/deps.sh && repldesk_install_peers build, which "
                                u"runs npm install pouchdb@9.0.0 pouchdb-adapter-memory@9.0.0 "
                                u"--ignore-scripts in build/peers-pouchdb9)"_s.arg(m_modules);
            QSKIP(qPrintable(why));
        }
        m_server = std::make_unique<ServerProcess>();
        QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
        m_ours = std::make_unique<HttpClient>(m_server->baseUrl());
        const QString couchMissing = RealCouchDb::unavailableReason();
        if (couchMissing.isEmpty()) {
            m_couch = std::make_unique<RealCouchDb>();
            QVERIFY2(m_couch->start(), qPrintable(m_couch->errorString()));
            m_couchHttp = std::make_unique<HttpClient>(m_couch->baseUrl(), u"admin"_s,
                                                       RealCouchDb::password());
        } else {
            qWarning("checked against our own expectations only: %s", qPrintable(couchMissing));
        }
    }

    void cleanupTestCase()
    {
        m_couchHttp.reset();
        m_couch.reset(); // stops CouchDB
    }

    // (a) PouchDB pushes a database with a conflict, a deleted conflict branch, a deleted doc
    // and attachments: replicate.to(server).
    void pushToServer_data() { peerRows(); }
    void pushToServer()
    {
        const Peer p = fetchPeer();
        QJsonObject report;
        const QString problem =
            runClient(p, {{"scenario", "push"}, {"db", "pushed"}, {"docs", 20}}, report);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        m_push.insert(p.name, report);

        const QJsonObject run = runOf(report, 0);
        const QString what = u"first push: "_s + compact(run) + u"\nanswers not 2xx: "_s +
                             compact({{"http", report.value(u"http_failures"_s)}});
        QVERIFY2(run.value(u"ok"_s).toBool(), qPrintable(what));
        // 20 plain, conflicted (2 leaves), deadbranch (2), gone, deadborn, withatt, attkept
        QVERIFY2(run.value(u"docs_written"_s).toInt() == 28, qPrintable(what));
        QVERIFY2(run.value(u"doc_write_failures"_s).toInt() == 0, qPrintable(what));
        QVERIFY2(run.value(u"errors"_s).toArray().isEmpty(), qPrintable(what));

        const HttpReply info = p.http->get(u"/pushed"_s);
        const QString infoWhat = describe(p, "GET", u"/pushed"_s, info);
        QVERIFY2(info.json().value(u"doc_count"_s).toInt() == 26, qPrintable(infoWhat));
        QVERIFY2(info.json().value(u"doc_del_count"_s).toInt() == 2, qPrintable(infoWhat));
    }

    void pushedConflictsAndDeletions_data() { peerRows(); }
    void pushedConflictsAndDeletions()
    {
        const Peer p = fetchPeer();
        QVERIFY2(m_push.contains(p.name), "the push did not run");
        QString path;
        HttpReply r;
        auto get = [&](const QString &at) {
            path = at;
            r = p.http->request("GET", path, {}, kJson);
        };
        auto what = [&] { return describe(p, "GET", path, r).toUtf8(); };
        get(u"/pushed/conflicted?conflicts=true"_s);
        QVERIFY2(r.status == 200, what().constData());
        QVERIFY2(r.json().value(u"_rev"_s).toString() == u"2-bbbb"_s, what().constData());
        QVERIFY2(r.json().value(u"side"_s).toString() == u"b"_s, what().constData());
        QVERIFY2(r.json().value(u"_conflicts"_s).toArray() == strings({u"2-aaaa"_s}),
                 what().constData());
        get(u"/pushed/conflicted?rev=2-aaaa"_s);
        QVERIFY2(r.status == 200, what().constData());
        QVERIFY2(r.json().value(u"side"_s).toString() == u"a"_s, what().constData());
        get(u"/pushed/conflicted?open_revs=all"_s);
        QVERIFY2(r.status == 200, what().constData());
        QStringList leaves;
        for (const QJsonValue &v : r.jsonArray())
            leaves.append(v[u"ok"_s][u"_rev"_s].toString());
        leaves.sort();
        QVERIFY2(leaves == QStringList({u"2-aaaa"_s, u"2-bbbb"_s}), what().constData());

        get(u"/pushed/deadbranch?deleted_conflicts=true"_s);
        QVERIFY2(r.status == 200, what().constData());
        QVERIFY2(r.json().value(u"_rev"_s).toString() == u"3-cccc"_s, what().constData());
        QVERIFY2(r.json().value(u"_deleted_conflicts"_s).toArray() == strings({u"3-dddd"_s}),
                 what().constData());
        get(u"/pushed/deadbranch?rev=3-dddd"_s);
        QVERIFY2(r.status == 200, what().constData());
        QVERIFY2(r.json().value(u"_deleted"_s).toBool(), what().constData());

        get(u"/pushed/gone"_s);
        QVERIFY2(r.status == 404, what().constData());
        QVERIFY2(r.json().value(u"reason"_s).toString() == u"deleted"_s, what().constData());
        get(u"/pushed/gone?open_revs=all"_s);
        QVERIFY2(r.status == 200, what().constData());
        QVERIFY2(r.jsonArray().size() == 1, what().constData());
        const QJsonObject tomb = r.jsonArray().at(0)[u"ok"_s].toObject();
        QVERIFY2(tomb.value(u"_rev"_s).toString().startsWith(u"2-"_s), what().constData());
        QVERIFY2(tomb.value(u"_deleted"_s).toBool(), what().constData());

        // Deleted from its first revision on.
        get(u"/pushed/deadborn"_s);
        QVERIFY2(r.status == 404, what().constData());
        QVERIFY2(r.json().value(u"reason"_s).toString() == u"deleted"_s, what().constData());
        get(u"/pushed/deadborn?open_revs=all"_s);
        QVERIFY2(r.jsonArray().size() == 1, what().constData());
        QVERIFY2(r.jsonArray().at(0)[u"ok"_s][u"_rev"_s].toString().startsWith(u"1-"_s),
                 what().constData());
        QVERIFY2(r.jsonArray().at(0)[u"ok"_s][u"_deleted"_s].toBool(), what().constData());
    }

    void pushedAttachments_data() { peerRows(); }
    void pushedAttachments()
    {
        const Peer p = fetchPeer();
        QVERIFY2(m_push.contains(p.name), "the push did not run");
        QString path = u"/pushed/withatt"_s;
        HttpReply r = p.http->request("GET", path, {}, kJson);
        QVERIFY2(r.status == 200, qPrintable(describe(p, "GET", path, r)));
        const QJsonObject stubs = r.json().value(u"_attachments"_s).toObject();
        QCOMPARE(stubs.keys(), QStringList({u"bin.dat"_s, u"dir/file.txt"_s, u"plain.txt"_s}));
        const QJsonObject folder = stubs.value(u"dir/file.txt"_s).toObject();
        QCOMPARE(folder.value(u"stub"_s).toBool(), true);
        QCOMPARE(folder.value(u"content_type"_s).toString(), u"text/plain"_s);
        QCOMPARE(folder.value(u"length"_s).toInt(), kFolderText.size());
        QCOMPARE(folder.value(u"revpos"_s).toInt(), 1);
        QVERIFY(folder.value(u"digest"_s).toString().startsWith(u"md5-"_s));
        QCOMPARE(stubs.value(u"bin.dat"_s)[u"digest"_s].toString(), md5Digest(binaryBytes()));

        path = u"/pushed/withatt/bin.dat"_s;
        r = p.http->get(path);
        QVERIFY2(r.status == 200, qPrintable(describe(p, "GET", path, r)));
        QCOMPARE(r.body, binaryBytes());

        path = u"/pushed/withatt?attachments=true"_s;
        r = p.http->request("GET", path, {}, kJson);
        const QString what = describe(p, "GET", path, r);
        QVERIFY2(r.status == 200, qPrintable(what));
        const QJsonObject full = r.json().value(u"_attachments"_s).toObject();
        const QJsonObject folderFull = full.value(u"dir/file.txt"_s).toObject();
        QVERIFY2(folderFull.value(u"data"_s).toString() == base64(kFolderText), qPrintable(what));
        QVERIFY2(folderFull.value(u"revpos"_s).toInt() == 1, qPrintable(what));
        QVERIFY2(folderFull.value(u"digest"_s).toString().startsWith(u"md5-"_s), qPrintable(what));
        QVERIFY2(!folderFull.contains(u"stub"_s), qPrintable(what));
        QVERIFY2(full.value(u"bin.dat"_s)[u"data"_s].toString() == base64(binaryBytes()),
                 qPrintable(what));

        // Carried over to rev 2: still revpos 1.
        path = u"/pushed/attkept?attachments=true"_s;
        r = p.http->request("GET", path, {}, kJson);
        const QString keptWhat = describe(p, "GET", path, r);
        QVERIFY2(r.status == 200, qPrintable(keptWhat));
        QVERIFY2(r.json().value(u"_rev"_s).toString().startsWith(u"2-"_s), qPrintable(keptWhat));
        const QJsonObject note = r.json().value(u"_attachments"_s)[u"note.txt"_s].toObject();
        QVERIFY2(note.value(u"data"_s).toString() == base64(kKeptText), qPrintable(keptWhat));
        QVERIFY2(note.value(u"revpos"_s).toInt() == 1, qPrintable(keptWhat));
        QVERIFY2(note.value(u"digest"_s).toString().startsWith(u"md5-"_s), qPrintable(keptWhat));
    }

    // The attachment PouchDB pushed as dir/file.txt, read by name: the way PouchDB asks for it
    // (the slash as is) and with the slash encoded; CouchDB answers both.
    void pushedAttachmentNamesWithSlash_data() { peerRows(); }
    void pushedAttachmentNamesWithSlash()
    {
        const Peer p = fetchPeer();
        QVERIFY2(m_push.contains(p.name), "the push did not run");
        const QString path = u"/pushed/withatt/dir/file.txt"_s;
        HttpReply r = p.http->get(path);
        QVERIFY2(r.status == 200, qPrintable(describe(p, "GET", path, r)));
        QCOMPARE(r.body, kFolderText);
        QVERIFY2(r.header("content-type").startsWith("text/plain"),
                 r.header("content-type").constData());
        r = getEncoded(p, "/pushed/withatt/dir%2Ffile.txt");
        QVERIFY2(r.status == 200,
                 qPrintable(describe(p, "GET", u"/pushed/withatt/dir%2Ffile.txt"_s, r)));
        QCOMPARE(r.body, kFolderText);
    }

    // (d) A second run finds its checkpoint on both sides and transfers nothing; a third run
    // after two new docs reads just those.
    void pushReusesItsCheckpoint_data() { peerRows(); }
    void pushReusesItsCheckpoint()
    {
        const Peer p = fetchPeer();
        QVERIFY2(m_push.contains(p.name), "the push did not run");
        const QJsonObject report = m_push.value(p.name);
        const QJsonObject cp = report.value(u"checkpoint"_s).toObject();
        const QString what = compact({{"runs", report.value(u"runs"_s)}, {"checkpoint", cp}});
        QVERIFY2(runOf(report, 1).value(u"ok"_s).toBool(), qPrintable(what));
        QVERIFY2(runOf(report, 1).value(u"docs_read"_s).toInt() == 0, qPrintable(what));
        QVERIFY2(runOf(report, 1).value(u"docs_written"_s).toInt() == 0, qPrintable(what));
        QVERIFY2(runOf(report, 2).value(u"docs_read"_s).toInt() == 2, qPrintable(what));
        QVERIFY2(runOf(report, 2).value(u"docs_written"_s).toInt() == 2, qPrintable(what));

        const QJsonObject mine = cp.value(u"source"_s).toObject(); // PouchDB's own
        const QJsonObject theirs = cp.value(u"target"_s).toObject();
        QVERIFY2(!mine.contains(u"error"_s) && !theirs.contains(u"error"_s), qPrintable(what));
        QVERIFY2(theirs.value(u"session_id"_s) == mine.value(u"session_id"_s), qPrintable(what));
        QVERIFY2(theirs.value(u"last_seq"_s) == mine.value(u"last_seq"_s), qPrintable(what));

        // The checkpoint doc as the server keeps it.
        const QString path = u"/pushed/"_s + cp.value(u"id"_s).toString();
        const HttpReply r = p.http->get(path);
        const QString got = describe(p, "GET", path, r);
        QVERIFY2(r.status == 200, qPrintable(got));
        QVERIFY2(r.json().value(u"session_id"_s) == mine.value(u"session_id"_s), qPrintable(got));
        QVERIFY2(r.json().value(u"replicator"_s).toString() == u"pouchdb"_s, qPrintable(got));
        QVERIFY2(!r.json().value(u"history"_s).toArray().isEmpty(), qPrintable(got));
        QVERIFY2(r.json().value(u"_rev"_s).toString().startsWith(u"0-"_s), qPrintable(got));
    }

    // (b) PouchDB pulls a database the server holds: replicate.from(server), then reads its
    // copy back with conflicts and attachments.
    void pullFromServer_data() { peerRows(); }
    void pullFromServer()
    {
        const Peer p = fetchPeer();
        // A request of the seeding that fails is reported here, after the pull, so the
        // checks of what did arrive still run.
        const QStringList problems = seedServer(p, u"served"_s);
        QJsonObject report;
        const QJsonArray inspect =
            strings({u"doc0000"_s, u"conflicted"_s, u"deadbranch"_s, u"gone"_s, u"deadborn"_s,
                     u"revonly"_s, u"withatt"_s, u"attkept"_s});
        const QString problem =
            runClient(p, {{"scenario", "pull"}, {"db", "served"}, {"inspect", inspect}}, report);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        m_pull.insert(p.name, report);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));

        const QJsonObject run = runOf(report, 0);
        const QString what = u"first pull: "_s + compact(run) + u"\nanswers not 2xx: "_s +
                             compact({{"http", report.value(u"http_failures"_s)}});
        QVERIFY2(run.value(u"ok"_s).toBool(), qPrintable(what));
        // 10 plain, conflicted (2), deadbranch (2), gone, deadborn, revonly, withatt, attkept
        QVERIFY2(run.value(u"docs_written"_s).toInt() == 19, qPrintable(what));
        QVERIFY2(run.value(u"doc_write_failures"_s).toInt() == 0, qPrintable(what));
        QVERIFY2(run.value(u"errors"_s).toArray().isEmpty(), qPrintable(what));
        QStringList ids;
        for (int i = 0; i < 10; ++i)
            ids.append(u"doc%1"_s.arg(i, 4, 10, QLatin1Char('0')));
        ids += {u"attkept"_s, u"conflicted"_s, u"deadbranch"_s, u"late0"_s,
                u"late1"_s,   u"revonly"_s,    u"withatt"_s};
        ids.sort();
        QCOMPARE(report.value(u"ids"_s).toArray(), strings(ids));
    }

    void pulledConflictsAndDeletions_data() { peerRows(); }
    void pulledConflictsAndDeletions()
    {
        const Peer p = fetchPeer();
        QVERIFY2(m_pull.contains(p.name), "the pull did not run");
        const QJsonObject docs = m_pull.value(p.name).value(u"docs"_s).toObject();
        const QByteArray what = compact(docs).toUtf8();
        const QJsonObject conflicted = docs.value(u"conflicted"_s)[u"doc"_s].toObject();
        QVERIFY2(conflicted.value(u"_rev"_s).toString() == u"2-bbbb"_s, what);
        QVERIFY2(conflicted.value(u"_conflicts"_s).toArray() == strings({u"2-aaaa"_s}), what);
        QVERIFY2(docs.value(u"conflicted"_s)[u"leaves"_s].toArray().size() == 2, what);
        QVERIFY2(docs.value(u"doc0000"_s)[u"doc"_s][u"n"_s].toInt() == 0, what);

        // PouchDB has no deleted_conflicts: the deleted branch is a deleted leaf.
        const QJsonObject dead = docs.value(u"deadbranch"_s).toObject();
        QVERIFY2(dead[u"doc"_s][u"_rev"_s].toString() == u"3-cccc"_s, what);
        const QJsonArray deadLeaves{QJsonObject{{"rev", "3-cccc"}, {"deleted", false}},
                                    QJsonObject{{"rev", "3-dddd"}, {"deleted", true}}};
        QJsonArray gotLeaves = dead.value(u"leaves"_s).toArray();
        if (gotLeaves.size() == 2 && gotLeaves.at(0)[u"rev"_s].toString() == u"3-dddd"_s)
            gotLeaves = {gotLeaves.at(1), gotLeaves.at(0)};
        QVERIFY2(gotLeaves == deadLeaves, what);

        const QJsonObject gone = docs.value(u"gone"_s).toObject();
        QVERIFY2(gone[u"doc"_s][u"error"_s][u"status"_s].toInt() == 404, what);
        QVERIFY2(gone[u"doc"_s][u"error"_s][u"reason"_s].toString() == u"deleted"_s, what);
        const QJsonArray tomb = gone.value(u"leaves"_s).toArray();
        QVERIFY2(tomb.size() == 1, what);
        QVERIFY2(tomb.at(0)[u"rev"_s].toString().startsWith(u"2-"_s), what);
        QVERIFY2(tomb.at(0)[u"deleted"_s].toBool(), what);

        const QJsonObject deadborn = docs.value(u"deadborn"_s).toObject();
        QVERIFY2(deadborn[u"doc"_s][u"error"_s][u"reason"_s].toString() == u"deleted"_s, what);
        QVERIFY2(deadborn[u"leaves"_s].toArray().size() == 1, what);
        QVERIFY2(deadborn[u"leaves"_s][0][u"rev"_s].toString().startsWith(u"1-"_s), what);
        QVERIFY2(deadborn[u"leaves"_s][0][u"deleted"_s].toBool(), what);

        // Replicated to the server with _rev alone: one revision, 3-abc.
        const QJsonObject revonly = docs.value(u"revonly"_s)[u"doc"_s].toObject();
        QVERIFY2(revonly.value(u"_rev"_s).toString() == u"3-abc"_s, what);
        QVERIFY2(revonly.value(u"v"_s).toInt() == 3, what);
        QVERIFY2(revonly.value(u"_revisions"_s).toObject() ==
                     QJsonObject({{"start", 3}, {"ids", strings({u"abc"_s})}}),
                 what);
    }

    void pulledAttachments_data() { peerRows(); }
    void pulledAttachments()
    {
        const Peer p = fetchPeer();
        // The server's own view first: attachments=true carries data, digest and revpos.
        QString path = u"/served/attkept?attachments=true"_s;
        HttpReply r = p.http->request("GET", path, {}, kJson);
        QString got = describe(p, "GET", path, r);
        QVERIFY2(r.status == 200, qPrintable(got));
        QJsonObject att = r.json().value(u"_attachments"_s)[u"note.txt"_s].toObject();
        QVERIFY2(att.value(u"data"_s).toString() == base64(kKeptText), qPrintable(got));
        QVERIFY2(att.value(u"revpos"_s).toInt() == 1, qPrintable(got));
        QVERIFY2(att.value(u"digest"_s).toString().startsWith(u"md5-"_s), qPrintable(got));

        // PouchDB's copy (its adapter sets revpos to the revision that stored the data, so
        // revpos is not compared there).
        QVERIFY2(m_pull.contains(p.name), "the pull did not run");
        const QJsonObject docs = m_pull.value(p.name).value(u"docs"_s).toObject();
        const QByteArray what = compact(docs).toUtf8();
        const QJsonObject atts = docs.value(u"withatt"_s)[u"doc"_s][u"_attachments"_s].toObject();
        const QJsonObject text = atts.value(u"file.txt"_s).toObject();
        QVERIFY2(text.value(u"data"_s).toString() == base64(kFolderText), what);
        QVERIFY2(text.value(u"content_type"_s).toString() == u"text/plain"_s, what);
        const QJsonObject bin = atts.value(u"bin.dat"_s).toObject();
        QVERIFY2(bin.value(u"data"_s).toString() == base64(binaryBytes()), what);
        QVERIFY2(bin.value(u"digest"_s).toString() == md5Digest(binaryBytes()), what);

        const QJsonObject kept = docs.value(u"attkept"_s)[u"doc"_s].toObject();
        QVERIFY2(kept.value(u"_rev"_s).toString().startsWith(u"2-"_s), what);
        QVERIFY2(kept.value(u"_attachments"_s)[u"note.txt"_s][u"data"_s].toString() ==
                     base64(kKeptText),
                 what);
    }

    // Attachment names with a slash pulled by PouchDB (it fetches each attachment by name,
    // GET /db/doc/dir/file.txt?rev=…), after the server took them inline and by PUT.
    void pullAttachmentNamesWithSlash_data() { peerRows(); }
    void pullAttachmentNamesWithSlash()
    {
        const Peer p = fetchPeer();
        const QStringList problems = seedSlashes(p, u"slashes"_s);
        QJsonObject report;
        const QString problem = runClient(p,
                                          {{"scenario", "pull"},
                                           {"db", "slashes"},
                                           {"inspect", strings({u"withatt"_s, u"attput"_s})}},
                                          report);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        const QByteArray what = compact(report).toUtf8();
        QVERIFY2(runOf(report, 0).value(u"ok"_s).toBool(), what);
        const QJsonObject docs = report.value(u"docs"_s).toObject();
        QVERIFY2(docs.value(u"withatt"_s)[u"doc"_s][u"_attachments"_s][u"dir/file.txt"_s][u"data"_s]
                         .toString() == base64(kFolderText),
                 what);

        // The one PUT on its own: the server's view, then PouchDB's copy.
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        const QString path = u"/slashes/attput?attachments=true"_s;
        const HttpReply r = p.http->request("GET", path, {}, kJson);
        const QString got = describe(p, "GET", path, r);
        QVERIFY2(r.status == 200, qPrintable(got));
        const QJsonObject att = r.json().value(u"_attachments"_s)[u"dir/added.txt"_s].toObject();
        QVERIFY2(att.value(u"data"_s).toString() == base64(kAddedText), qPrintable(got));
        QVERIFY2(att.value(u"revpos"_s).toInt() == 2, qPrintable(got));
        QVERIFY2(att.value(u"digest"_s).toString().startsWith(u"md5-"_s), qPrintable(got));
        const QJsonObject added = docs.value(u"attput"_s)[u"doc"_s].toObject();
        QVERIFY2(added.value(u"_rev"_s).toString().startsWith(u"2-"_s), what);
        QVERIFY2(added.value(u"_attachments"_s)[u"dir/added.txt"_s][u"data"_s].toString() ==
                     base64(kAddedText),
                 what);
    }

    void pullReusesItsCheckpoint_data() { peerRows(); }
    void pullReusesItsCheckpoint()
    {
        const Peer p = fetchPeer();
        QVERIFY2(m_pull.contains(p.name), "the pull did not run");
        const QJsonObject report = m_pull.value(p.name);
        const QJsonObject cp = report.value(u"checkpoint"_s).toObject();
        const QString what = compact({{"runs", report.value(u"runs"_s)}, {"checkpoint", cp}});
        QVERIFY2(runOf(report, 1).value(u"ok"_s).toBool(), qPrintable(what));
        QVERIFY2(runOf(report, 1).value(u"docs_read"_s).toInt() == 0, qPrintable(what));
        QVERIFY2(runOf(report, 1).value(u"docs_written"_s).toInt() == 0, qPrintable(what));
        QVERIFY2(runOf(report, 2).value(u"docs_read"_s).toInt() == 2, qPrintable(what));
        QVERIFY2(runOf(report, 2).value(u"docs_written"_s).toInt() == 2, qPrintable(what));

        const QJsonObject mine = cp.value(u"target"_s).toObject(); // PouchDB's own
        const QJsonObject theirs = cp.value(u"source"_s).toObject();
        QVERIFY2(!mine.contains(u"error"_s) && !theirs.contains(u"error"_s), qPrintable(what));
        QVERIFY2(theirs.value(u"session_id"_s) == mine.value(u"session_id"_s), qPrintable(what));
        const QString path = u"/served/"_s + cp.value(u"id"_s).toString();
        const HttpReply r = p.http->get(path);
        const QString got = describe(p, "GET", path, r);
        QVERIFY2(r.status == 200, qPrintable(got));
        QVERIFY2(r.json().value(u"session_id"_s) == mine.value(u"session_id"_s), qPrintable(got));
        QVERIFY2(r.json().value(u"last_seq"_s) == theirs.value(u"last_seq"_s), qPrintable(got));
    }

    // (c) db.sync(server, {live, retry}): a conflict made before it shows on both sides, a
    // write on each side reaches the other, then an edit of each on the other side comes back;
    // cancel ends it.
    void liveSyncBothWays_data() { peerRows(); }
    void liveSyncBothWays()
    {
        const Peer p = fetchPeer();
        QString path = u"/live"_s;
        HttpReply r = p.http->put(path);
        QVERIFY2(r.status == 201, qPrintable(describe(p, "PUT", path, r)));
        path = u"/live/from_server_before"_s;
        r = p.http->put(path, QJsonObject{{"v", 0}});
        QVERIFY2(r.status == 201, qPrintable(describe(p, "PUT", path, r)));
        path = u"/live/both"_s; // PouchDB writes its own 'both' before the sync: a conflict
        r = p.http->put(path, QJsonObject{{"side", "server"}});
        QVERIFY2(r.status == 201, qPrintable(describe(p, "PUT", path, r)));

        QJsonObject report;
        const QString problem =
            runClient(p, {{"scenario", "sync"}, {"db", "live"}, {"timeout_ms", 15000}}, report);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        const QByteArray what = compact(report).toUtf8();
        QVERIFY2(report.value(u"ok"_s).toBool(), what);
        QVERIFY2(report.value(u"events"_s)[u"error"_s].toArray().isEmpty(), what);
        QVERIFY2(report.value(u"events"_s)[u"denied"_s].toArray().isEmpty(), what);
        QVERIFY2(report.value(u"complete"_s).isObject(), what); // cancel ended it
        const QJsonObject state = report.value(u"state"_s).toObject();
        QVERIFY2(state.size() == 5, what);
        for (auto it = state.begin(); it != state.end(); ++it) {
            const QJsonObject sides = it.value().toObject();
            QVERIFY2(!sides.value(u"local"_s).toString().isEmpty(), what);
            QVERIFY2(sides.value(u"local"_s) == sides.value(u"server"_s), what);
            QVERIFY2(sides.value(u"local_conflicts"_s) == sides.value(u"server_conflicts"_s), what);
        }
        // The conflict is on both sides, with the same winner (CouchDB's rule).
        QVERIFY2(state.value(u"both"_s)[u"server_conflicts"_s].toArray().size() == 1, what);

        // The server's copies: both edits are the winners, no conflict left behind.
        for (const QString &id : {u"from_pouch_live"_s, u"from_server_live"_s}) {
            path = u"/live/"_s + id + u"?conflicts=true"_s;
            r = p.http->get(path);
            const QString got = describe(p, "GET", path, r);
            QVERIFY2(r.status == 200, qPrintable(got));
            QVERIFY2(r.json().value(u"v"_s).toInt() == 2, qPrintable(got));
            QVERIFY2(r.json().value(u"_rev"_s).toString().startsWith(u"2-"_s), qPrintable(got));
            QVERIFY2(!r.json().contains(u"_conflicts"_s), qPrintable(got));
        }
    }
};

QTEST_GUILESS_MAIN(TestPouchClient)
#include "tst_pouchdb_client.moc"
