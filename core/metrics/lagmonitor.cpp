#include "metrics/lagmonitor.h"

#include "events/eventlogreader.h"
#include "metrics/visibilityrecorder.h"
#include "projections/projectionboard.h"
#include "util/monotonicclock.h"
#include "util/threadpolicy.h"

#include <QThread>

#include <algorithm>

#include <cmath>

namespace cqrs {

double LagSnapshot::worstTimeBehindMs() const
{
    double worst = 0;
    for (const ProjectionLag& lag : projections) {
        if (std::isfinite(lag.timeBehindMs))
            worst = std::max(worst, lag.timeBehindMs);
    }
    return worst;
}

bool LagSnapshot::caughtUp() const
{
    for (const ProjectionLag& lag : projections) {
        if (lag.eventsBehind > 0)
            return false;
    }
    return true;
}

/// Lives on the monitor thread: owns the timer and the event-log reader.
class LagMonitor::Worker final : public QObject
{
public:
    explicit Worker(LagMonitor* monitor)
        : m_monitor(monitor)
        , m_timer(this)
    {
        connect(&m_timer, &QTimer::timeout, this, &Worker::tick);
    }

    void begin(int intervalMs)
    {
        runAsBackgroundThread();
        m_log = std::make_unique<EventLogReader>(m_monitor->m_writeDbPath);
        m_startedNs = monotonicNowNs();
        m_timer.start(intervalMs);
        tick();
    }

    void end()
    {
        m_timer.stop();
        m_log.reset();
        QThread::currentThread()->quit();
    }

    void tick()
    {
        const LagSnapshot snapshot = compute();
        {
            std::lock_guard lock(m_monitor->m_mutex);
            m_monitor->m_latest = snapshot;
        }
        Q_EMIT m_monitor->snapshotReady(snapshot);
    }

private:
    /// NaN (and *problem) when the commit time cannot be read.
    double timeBehindMs(const ProjectionStatus& status, qint64 nowNs, qint64 nowMs, QString* problem)
    {
        const qint64 position = status.checkpoint + 1;
        // A projection that is behind for a long time asks about the same
        // event every tick: remember the answer.
        if (position != m_cachedPosition) {
            QString error;
            if (!m_log->commitTime(position, &m_cachedWallMs, &m_cachedMonoNs, &error)) {
                *problem = error.isEmpty()
                               ? QStringLiteral("Event %1 is not in the log, so its commit time is unknown.").arg(position)
                               : QStringLiteral("The commit time of event %1 could not be read: %2").arg(position).arg(error);
                return std::nan("");
            }
            m_cachedPosition = position;
        }
        const double monoAgeMs = (nowNs - m_cachedMonoNs) / 1e6;
        const double wallAgeMs = double(nowMs - m_cachedWallMs);
        // Trust the monotonic stamp only if it was taken on this boot.
        const double age = (monoAgeMs >= 0 && std::abs(monoAgeMs - wallAgeMs) < 2000) ? monoAgeMs : wallAgeMs;
        // A backlog from before this run (the app was closed with events
        // not yet folded in) counts from the moment the monitor started: the
        // hours the lab was closed say nothing about the read side. Events a
        // rebuild or a store switch replays count from when it began.
        double limitMs = (nowNs - m_startedNs) / 1e6;
        if (status.replayStartedNs > 0 && position <= status.replayUpTo)
            limitMs = std::min(limitMs, (nowNs - status.replayStartedNs) / 1e6);
        return std::clamp(age, 0.0, std::max(0.0, limitMs));
    }

    /// OrderPlaced events in (checkpoint, head]: counted once, then only
    /// the ranges the checkpoint and the head moved by. -1 when unknown.
    qint64 ordersNotVisible(qint64 checkpoint, qint64 head)
    {
        QString error;
        if (checkpoint >= head)
            return 0;
        if (m_countValid && checkpoint >= m_countFrom && head >= m_countTo && checkpoint <= m_countTo) {
            const qint64 added = m_log->countOfType(m_countTo, head, EventType::OrderPlaced, &error);
            const qint64 applied = m_log->countOfType(m_countFrom, checkpoint, EventType::OrderPlaced, &error);
            if (added >= 0 && applied >= 0) {
                m_count += added - applied;
                m_countFrom = checkpoint;
                m_countTo = head;
                return m_count;
            }
        }
        const qint64 count = m_log->countOfType(checkpoint, head, EventType::OrderPlaced, &error);
        m_countValid = count >= 0;
        m_count = count;
        m_countFrom = checkpoint;
        m_countTo = head;
        return count;
    }

    LagSnapshot compute()
    {
        LagSnapshot snapshot;
        const qint64 nowNs = monotonicNowNs();
        const qint64 nowMs = wallNowMs();
        snapshot.takenAtNs = nowNs;
        if (m_monitor->m_writeCounters)
            snapshot.write = m_monitor->m_writeCounters();
        if (m_monitor->m_storeWarnings)
            snapshot.storeWarnings = m_monitor->m_storeWarnings();
        snapshot.head = std::max(snapshot.write.headPosition, m_monitor->m_board->head());
        const VisibilityRecorder::Snapshot all = m_monitor->m_recorder->snapshot({}, nowNs);
        snapshot.p50Ms = all.window.quantileMs(0.50);
        snapshot.p95Ms = all.window.quantileMs(0.95);
        snapshot.p99Ms = all.window.quantileMs(0.99);
        snapshot.maxMs = all.window.maxMs();
        snapshot.windowSamples = all.window.count();
        snapshot.cumulative = all.cumulative;
        snapshot.ordersNotVisible = -1;
        for (const ProjectionStatus& status : m_monitor->m_board->statuses()) {
            ProjectionLag lag;
            lag.status = status;
            lag.eventsBehind = std::max<qint64>(0, snapshot.head - status.checkpoint);
            if (lag.eventsBehind > 0)
                lag.timeBehindMs = timeBehindMs(status, nowNs, nowMs, &lag.timeBehindProblem);
            const VisibilityRecorder::Snapshot own = m_monitor->m_recorder->snapshot(status.name, nowNs);
            lag.p50Ms = own.window.quantileMs(0.50);
            lag.p99Ms = own.window.quantileMs(0.99);
            if (status.name == QStringLiteral("order_summary"))
                snapshot.ordersNotVisible = ordersNotVisible(status.checkpoint, snapshot.write.headPosition);
            snapshot.projections.append(lag);
        }
        return snapshot;
    }

    LagMonitor* m_monitor;
    QTimer m_timer;
    std::unique_ptr<EventLogReader> m_log;
    qint64 m_cachedPosition = -1;
    qint64 m_cachedWallMs = 0;
    qint64 m_cachedMonoNs = 0;
    qint64 m_startedNs = 0;
    bool m_countValid = false;
    qint64 m_countFrom = 0;
    qint64 m_countTo = 0;
    qint64 m_count = 0;
};

LagMonitor::LagMonitor(QString writeDbPath, const ProjectionBoard* board,
                       VisibilityRecorder* recorder, std::function<WriteCounters()> writeCounters,
                       QObject* parent)
    : QObject(parent)
    , m_writeDbPath(std::move(writeDbPath))
    , m_board(board)
    , m_recorder(recorder)
    , m_writeCounters(std::move(writeCounters))
{
    qRegisterMetaType<LagSnapshot>();
}

LagMonitor::~LagMonitor() { stop(); }

void LagMonitor::start(int intervalMs)
{
    m_thread.start(
        QStringLiteral("lag-monitor"), [this] { return std::make_unique<Worker>(this); },
        [intervalMs](Worker* worker) { worker->begin(intervalMs); });
}

void LagMonitor::stop()
{
    m_thread.stop();
}

void LagMonitor::setStoreWarnings(std::function<QStringList()> warnings)
{
    m_storeWarnings = std::move(warnings);
}

LagSnapshot LagMonitor::latest() const
{
    std::lock_guard lock(m_mutex);
    return m_latest;
}

} // namespace cqrs
