#pragma once

#include "events/event.h"
#include "projections/changeset.h"
#include "projections/projection.h"
#include "projections/projectionstatus.h"
#include "projections/readstore.h"

#include <QObject>
#include <QTimer>

#include <atomic>
#include <deque>
#include <memory>

namespace cqrs {

class EventFeed;
class ProjectionBoard;
class SqlConnection;
class VisibilityRecorder;

/// Runs one projection on a projector thread (a worker object moved to a
/// QThread; the projectors sharing a thread share its EventFeed, so an event
/// is read and parsed once for all of them). It opens its own connection to
/// the read store. It wakes on new commits (and on a slow poll as a
/// fallback), reads the events after its checkpoint in batches, and writes
/// view rows and the new checkpoint in one read-store transaction.
///
/// Injected delay: an event becomes applicable delay (+ jitter) after its
/// commit, so the visibility latency it causes is exactly measurable.
/// All slots are invoked queued by ProjectionEngine.
class Projector final : public QObject
{
    Q_OBJECT

public:
    /// `feed` belongs to the projector's thread and outlives the projector's
    /// use of it (the engine closes it after shutdown()).
    Projector(std::unique_ptr<Projection> projection, EventFeed* feed, QString readDbPath,
              ProjectionBoard* board, VisibilityRecorder* recorder);
    ~Projector() override;

    QString name() const { return m_name; }

    /// Test hook, any thread: fail when applying this position (0 = off).
    void setPoisonPosition(qint64 position) { m_poison.store(position); }

public Q_SLOTS:
    void start();
    void wake();
    void retry();
    void rebuild();
    void switchReadStore(const QString& readDbPath);
    /// Closes the read-store connection; call on the projector thread.
    void shutdown();

Q_SIGNALS:
    void advanced(const cqrs::ProjectionAdvance& advance);
    void failed(const QString& projection, const QString& reason);

private:
    bool openStore(QString* error);
    void closeStore();
    void scheduleStep();
    void step();
    void adoptStoredCheckpoint();
    void fail(qint64 position, const QString& reason);
    void setState(ProjectionState state);
    qint64 dueNs(const Event& event, const ProjectorKnobs& knobs) const;
    bool commitTimeIsComparable(const Event& event) const;

    std::unique_ptr<Projection> m_projection;
    const QString m_name;
    EventFeed* m_feed;
    QString m_readDbPath;
    ProjectionBoard* m_board;
    VisibilityRecorder* m_recorder;

    // Connections before the contexts that use them, so they outlive them.
    std::unique_ptr<SqlConnection> m_readStore;
    std::unique_ptr<SqlContext> m_sql;

    std::deque<Event> m_buffer; // fetched, not yet applied, in order
    qint64 m_checkpoint = 0;
    qint64 m_fetchedUpTo = 0;
    bool m_stepQueued = false;
    bool m_moreInLog = false;
    bool m_failed = false;
    bool m_rebuilding = false;
    bool m_open = false;
    qint64 m_startedNs = 0;
    std::atomic<qint64> m_poison{0};
    QTimer m_poll;
    QTimer m_due;
};

} // namespace cqrs
