#pragma once

#include "core/DumpLine.h"
#include "core/Tick.h"
#include "engine/ApplierConfig.h"
#include "engine/ApplierState.h"
#include "engine/ApplyService.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>
#include <optional>

namespace repl {

class ApplierManager;
class Engine;
namespace client {
class ReplicationClient;
struct HttpResult;
} // namespace client

// One database's continuous applier: follows the leader's log and applies it in batched
// transactions, the applied tick stored with the data. Event-driven on the applier thread:
// one HTTP call or one write job in flight at a time, never a blocking wait.
class Applier final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Applier)

public:
    Applier(ApplierManager &manager, qint64 db, QString databaseName, ApplierConfig config,
            ApplierState state, std::optional<Tick> from, QObject *parent);
    ~Applier() override;

    void start();
    // Stops with the reason recorded in lastError (1412 when the operator stopped it).
    void stop(int errorNum, const QString &message);

Q_SIGNALS:
    void stopped();

private:
    void checkLeader();
    void fetch();
    void onFollow(const client::HttpResult &r);
    // One event of the leader's log: document events read by the fast path, others parsed.
    struct Event
    {
        Tick tick = 0;
        int type = 0;
        Tick tid = 0;
        std::optional<LogDocumentRecord> doc;
        QJsonObject json;
    };
    void applyBatch(QList<Event> ready, Tick processed, bool more);
    void continueAfter(bool more);
    void connectionFailed(const client::HttpResult &r, const std::function<void()> &retry);
    void leaderError(const client::HttpResult &r, const QString &what);
    void resync();
    QString leaderName() const;

    ApplierManager &m_manager;
    Engine &m_engine;
    qint64 m_db;
    QString m_dbName;
    ApplierConfig m_config;
    ApplierState m_state;
    std::optional<Tick> m_startFrom;
    client::ReplicationClient *m_client;
    QTimer m_timer;
    bool m_running = false;
    // Pipelining: the next chunk is fetched while the previous one is being written.
    Tick m_fetchFrom = 0;
    bool m_fetching = false;
    int m_jobsInFlight = 0;
    std::shared_ptr<ApplyService::Mapping> m_mapping;
    bool m_longPoll = false;
    int m_idleMs = 0;
    qint64 m_failedConnects = 0;
    qint64 m_resyncs = 0;
    Tick m_replayUpTo = 0;
    bool m_resyncing = false;
    std::shared_ptr<std::atomic<bool>> m_chainFailed = std::make_shared<std::atomic<bool>>(
        false); // applier-start?from= an older tick: up to here we replay
    // Events of a leader transaction not yet committed (2200 seen, 2201 not yet).
    Tick m_openTid = 0;
    QList<Event> m_openEvents;
    QList<Event> m_pending; // complete units not yet applied (before the open trx)
};

} // namespace repl
