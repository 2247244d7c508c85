#pragma once

#include "util/workerthread.h"

#include <QObject>

#include <atomic>

namespace cqrs {

/// Keeps a store's WAL file bounded without making commits pay for it: a
/// thread of its own runs PASSIVE checkpoints every 50 ms (they never block
/// the writer) and, past ~16 MiB of log, a PASSIVE and then a RESTART that
/// waits at most 2 ms for a lock (see the .cpp), while the writers' connections have
/// wal_autocheckpoint turned off. SQLite's default instead checkpoints
/// inside whichever commit crosses 1,000 pages, and a reader that never
/// pauses starves those checkpoints so the WAL grows without bound. The Lab
/// runs one for the write store (the command worker's commits) and one for
/// the read store (the projectors' commits: a checkpoint inside a
/// projector's commit syncs both files, and every event of that batch became
/// visible that much later).
class WalCheckpointer final : public QObject
{
    Q_OBJECT

public:
    explicit WalCheckpointer(QString dbPath, int intervalMs = 50, QObject* parent = nullptr);
    ~WalCheckpointer() override;

    void start();
    void stop();
    const QString& path() const { return m_path; }
    bool isRunning() const { return m_thread.isRunning(); }
    /// Thread-safe and non-blocking: an inactive checkpointer skips its turns.
    void setActive(bool active) { m_active.store(active); }
    bool isActive() const { return m_active.load(); }
    /// Checkpoints run, and WAL frames left over after the last one.
    qint64 checkpoints() const { return m_checkpoints.load(); }
    qint64 lastWalFrames() const { return m_lastWalFrames.load(); }
    /// Checkpoints that restarted the log (the next commit writes it from the top).
    qint64 restarts() const { return m_restarts.load(); }

private:
    class Worker;
    QString m_path;
    int m_intervalMs;
    WorkerThread<Worker> m_thread;
    std::atomic<bool> m_active{true};
    std::atomic<qint64> m_checkpoints{0};
    std::atomic<qint64> m_lastWalFrames{0};
    std::atomic<qint64> m_restarts{0};
    friend class Worker;
};

} // namespace cqrs
