#pragma once

#include "core/Tick.h"
#include "engine/ApplierConfig.h"

#include <QObject>
#include <QSet>
#include <QStringList>
#include <QTimer>

#include <optional>

namespace repl {

class ApplierManager;
namespace client {
class ReplicationClient;
struct HttpResult;
} // namespace client

// The server-level applier (applier-*?global=true on _system): follows every database of one
// leader. Our log is per database, so it runs one database applier per leader database,
// creates the local database when it is missing, and asks the leader for its databases again
// while it runs, so a database created there later is followed too. A database dropped on the
// leader has its applier stopped; its local data is kept (an operator drops data, not us).
// Lives on the applier thread, like the appliers it drives.
class GlobalApplier final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GlobalApplier)

public:
    GlobalApplier(ApplierManager &manager, ApplierConfig config, std::optional<Tick> from,
                  QObject *parent);
    ~GlobalApplier() override;

    void start();
    // Stops the database appliers it started, recording why.
    void stop(int errorNum, const QString &message);
    // Database ids whose appliers this one started (read on the applier thread).
    const QSet<qint64> &members() const { return m_members; }

    static constexpr qint64 Id = 0; // the key of its configuration, state and status

Q_SIGNALS:
    void stopped();

private:
    void discover();
    void onDatabases(const client::HttpResult &r);
    void adopt(const QStringList &names);
    void retryLater(const QString &why);

    ApplierManager &m_manager;
    ApplierConfig m_config;
    std::optional<Tick> m_from;
    client::ReplicationClient *m_client;
    QTimer m_timer;
    bool m_running = false;
    qint64 m_failedConnects = 0;
    QSet<qint64> m_members;
    QStringList m_leaderDatabases;
};

} // namespace repl
