#pragma once

#include "events/event.h"
#include "metrics/visibilityrecorder.h"
#include "projections/changeset.h"
#include "projections/projectionboard.h"

#include <QFuture>
#include <QObject>
#include <QStringList>

#include <functional>
#include <mutex>
#include <memory>
#include <vector>

class QSqlDatabase;
class QThread;

namespace cqrs {

class Projector;
class ProjectorGroup;
class ReceiptRecorder;

/// The result of replaying the log into a scratch store (time travel).
struct ReplayResult
{
    bool ok = false;
    QString error;
    QString storePath;
    qint64 position = 0;
    qint64 eventsApplied = 0;
};

/// Owns the projectors, the projector threads they run on, and the knobs
/// that steer them. The projections are dealt round-robin to `threads`
/// projector threads (1 by default: on a small machine five threads only
/// fight over the cores and over the read store's write lock, and sharing
/// a thread lets them share one EventFeed, one read-store connection and
/// one transaction per wake: see ProjectorGroup). Every projector keeps its
/// own checkpoint, knobs, failure and rebuild, whatever thread it is on.
/// The knobs and queries may be called from any thread; start(), stop()
/// and switchReadStore() only from the engine's own thread (the Lab's).
/// Work happens on the projector threads. Signals are delivered in the
/// engine's thread.
class ProjectionEngine final : public QObject
{
    Q_OBJECT

public:
    /// `recordReceipts`: the projectors record when they applied each event.
    ProjectionEngine(QString writeDbPath, QString readDbPath, int threads = 1, QObject* parent = nullptr,
                     bool recordReceipts = true);
    ~ProjectionEngine() override;

    using Checkpoints = QHash<QString, qint64>;

    /// Creates the views' tables in the read store at `path` (when missing)
    /// and reads their checkpoints. Runs SQL and may wait for a lock: call it
    /// off the GUI thread (Lab does), then pass the answer to start().
    /// Preparing before the projectors start means that no query and no
    /// synchronous update aimed at the store finds its tables missing, and
    /// that read-your-writes waits for this store's checkpoints.
    static Checkpoints prepareStore(const QString& path);
    /// Starts the projector threads (the projectors open their own
    /// connections) on a store prepareStore() has prepared.
    void start(const Checkpoints& prepared);
    /// The same, preparing the store on the calling thread first.
    void start();
    /// Stops and joins the projector threads. Idempotent.
    void stop();

    QStringList projectionNames() const { return m_board.names(); }
    int threadCount() const { return int(m_threads.size()); }
    ProjectionBoard& board() { return m_board; }
    const ProjectionBoard& board() const { return m_board; }
    VisibilityRecorder& recorder() { return m_recorder; }
    /// The times every event passed through (ReceiptRecorder); thread-safe.
    ReceiptRecorder& receipts() { return *m_receipts; }
    QString readDbPath() const;

    /// New events up to `head` exist (records the head, wakes the
    /// projectors). Thread-safe and cheap. For events not handed over with
    /// offerCommitted(): the Lab calls it once, for the log it opens on.
    void notifyCommitted(qint64 head);
    /// The events of a commit as the command worker stored them, handed to
    /// every projector thread so they need not read them back from the log;
    /// it also records the head and wakes the projectors, as
    /// notifyCommitted() does. Thread-safe; called on the command worker
    /// (StoreConfig::onCommitted).
    void offerCommitted(std::shared_ptr<const CommittedBatch> batch);
    /// How often the projector threads read the event log itself (not the
    /// events offered to them), in all; any thread. A diagnostic: following
    /// the head, it stays flat.
    qint64 logReads() const;

    // Knobs. An empty name means every projection.
    void setDelay(const QString& projection, int delayMs, int jitterMs);
    void setBatchSize(const QString& projection, int batchSize);
    void setPaused(const QString& projection, bool paused);
    /// While synchronous update keeps the views current, no projector waits
    /// out the injected delay (the knob keeps its value for later).
    void setDelaySuspended(bool suspended);
    void retry(const QString& projection);
    void rebuild(const QString& projection);
    /// Moves every projector to another read store (architecture switch).
    /// Each resumes from that store's own checkpoint. Preparing the store
    /// (tables, stored checkpoints) runs SQL, so once started it happens on
    /// the thread pool: until it is done, readDbPath(), the board and the
    /// projectors stay on the old store, and `switched` runs on this
    /// object's thread once all three have moved. A later switch supersedes
    /// one still preparing (whose `switched` then never runs).
    void switchReadStore(const QString& readDbPath, std::function<void()> switched = {});

    /// Replays events 1..position into a scratch store at `scratchPath`
    /// (replaced if it exists), without disturbing the live views.
    QFuture<ReplayResult> replayTo(qint64 position, const QString& scratchPath) const;

    /// A hook for CommandBus::setInlineHook: folds a command's events into
    /// every view inside the command's own transaction (synchronous mode).
    /// `attachedStore`: the read store file the bus attaches to the write
    /// connection (physical separation); the hook then writes the views of
    /// that file, not any rv_* tables write.db itself may hold.
    std::function<bool(const QSqlDatabase&, const EventList&, QString*)>
    inlineHook(const QString& attachedStore = {});

    /// Test hook: `projection` fails when it reaches `position` (0 = off).
    void setPoisonPosition(const QString& projection, qint64 position);
    /// Test hook: each projector thread's next BEGIN fails with `error`.
    void injectStoreFailure(const QString& error);

Q_SIGNALS:
    void advanced(const cqrs::ProjectionAdvance& advance);
    void projectionFailed(const QString& projection, const QString& reason);

private:
    void forEach(const QString& projection, const std::function<void(Projector*)>& action);

    QString m_writeDbPath;
    mutable std::mutex m_pathMutex;
    QString m_readDbPath;
    ProjectionBoard m_board;
    VisibilityRecorder m_recorder;
    std::unique_ptr<ReceiptRecorder> m_receipts;
    std::vector<Projector*> m_projectors;
    std::vector<QThread*> m_threads;
    std::vector<ProjectorGroup*> m_groups; // one per thread, living there
    bool m_started = false;
    quint64 m_switches = 0; // switchReadStore() calls, to drop superseded ones
};

} // namespace cqrs

Q_DECLARE_METATYPE(cqrs::ReplayResult)
