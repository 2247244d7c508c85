#pragma once

#include "metrics/lagsnapshot.h"
#include "util/workerthread.h"

#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>
#include <mutex>

namespace cqrs {

class EventLogReader;
class ProjectionBoard;
class VisibilityRecorder;

/// Publishes a LagSnapshot ten times a second (or at the set interval) from
/// a thread of its own: head position, per projection checkpoint, events and
/// time behind, state, visibility latency percentiles, the orders not
/// visible yet and the stores' warnings. One monotonic clock for all latencies.
class LagMonitor final : public QObject
{
    Q_OBJECT

public:
    LagMonitor(QString writeDbPath, const ProjectionBoard* board, VisibilityRecorder* recorder,
               std::function<WriteCounters()> writeCounters, QObject* parent = nullptr);
    ~LagMonitor() override;

    /// Sentences about the stores for every snapshot (set before start()).
    void setStoreWarnings(std::function<QStringList()> warnings);
    void start(int intervalMs = 100);
    void stop();
    bool isRunning() const { return m_thread.isRunning(); }
    /// The newest snapshot; thread-safe.
    LagSnapshot latest() const;

Q_SIGNALS:
    void snapshotReady(const cqrs::LagSnapshot& snapshot);

private:
    class Worker;
    QString m_writeDbPath;
    const ProjectionBoard* m_board;
    VisibilityRecorder* m_recorder;
    std::function<WriteCounters()> m_writeCounters;
    std::function<QStringList()> m_storeWarnings;
    WorkerThread<Worker> m_thread;
    mutable std::mutex m_mutex;
    LagSnapshot m_latest;
    friend class Worker;
};

} // namespace cqrs
