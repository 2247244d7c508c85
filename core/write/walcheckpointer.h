#pragma once

#include "util/workerthread.h"

#include <QObject>

#include <atomic>
#include <mutex>

namespace cqrs {

/// Keeps a store's WAL file bounded without making commits pay for it: a
/// thread of its own runs PASSIVE checkpoints every interval (they never
/// block the writer) and, past ~16 MiB of log, a RESTART that waits at most
/// a few ms for the lock, while the writers run with wal_autocheckpoint off.
/// A checkpointer that cannot open its file or checkpoint keeps trying, and
/// says so (starvation()): nobody else copies that WAL back.
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
    /// Why the last turn failed (cannot open, checkpoint error), or empty.
    QString problem() const;
    /// A sentence for people when no checkpoint succeeded for over a
    /// second while active, naming the file and the cause; else empty.
    QString starvation() const;

private:
    class Worker;
    void setProblem(const QString& problem);

    QString m_path;
    int m_intervalMs;
    WorkerThread<Worker> m_thread;
    std::atomic<bool> m_active{true};
    std::atomic<qint64> m_checkpoints{0};
    std::atomic<qint64> m_lastWalFrames{0};
    std::atomic<qint64> m_restarts{0};
    std::atomic<qint64> m_lastCheckpointNs{0};
    std::atomic<bool> m_running{false}; // for starvation(), read on other threads
    mutable std::mutex m_problemMutex;
    QString m_problem;
    qint64 m_problemSinceNs = 0;
    friend class Worker;
};

} // namespace cqrs
