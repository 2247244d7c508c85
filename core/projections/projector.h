#pragma once

#include "events/event.h"
#include "projections/changeset.h"
#include "projections/projection.h"
#include "projections/projectionstatus.h"
#include "projections/readstore.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <deque>
#include <memory>
#include <vector>

namespace cqrs {

class EventFeed;
class ProjectionBoard;
class ProjectorGroup;
class ReceiptRecorder;
class SqlConnection;
class VisibilityRecorder;

/// Runs one projection on a projector thread. The projectors of one thread
/// form a ProjectorGroup, which owns what they share: the EventFeed (an
/// event is read and parsed once for all of them), one connection to the
/// read store, and the step that folds them. The projector keeps what is
/// its own: its checkpoint, its buffer of fetched events, its knobs (delay,
/// pause, batch size), its failure state and its rebuild.
///
/// Injected delay: an event becomes applicable delay (+ jitter) after its
/// commit, so the visibility latency it causes is exactly measurable.
/// The slots are invoked queued by ProjectionEngine; the step methods are
/// called by the group, on the same thread.
class Projector final : public QObject
{
    Q_OBJECT

public:
    /// `receipts` may be null (times not recorded).
    Projector(std::unique_ptr<Projection> projection, ProjectorGroup* group,
              ProjectionBoard* board, VisibilityRecorder* recorder, ReceiptRecorder* receipts = nullptr);
    ~Projector() override;

    QString name() const { return m_name; }
    /// Its view commits in a transaction of its own (Projection::commitsAlone()).
    bool commitsAlone() const { return m_projection->commitsAlone(); }

    /// Test hook, any thread: fail when applying this position (0 = off).
    void setPoisonPosition(qint64 position) { m_poison.store(position); }

    /// Called by the group when the thread starts: attach to its store.
    void start();
    bool isAttached() const { return m_sql != nullptr; }

    // The group's step, in three phases around one read-store transaction.
    /// Outside the transaction: fetches, and chooses the events that are due
    /// now (none when paused, failed or caught up; then it may arm its delay
    /// timer). `stored`: the checkpoints stored in the read store, read by
    /// the group for all its projectors at once (empty when unreadable).
    bool plan(const QHash<QString, qint64>& stored);
    /// Inside the shared transaction: applies the planned events in a
    /// SAVEPOINT of its own, released on success and rolled back on failure,
    /// so a failing view never takes the others' work with it. `stored`: the
    /// checkpoints read inside this transaction (a missing name is read
    /// here). Returns false only when the transaction itself was lost (the
    /// savepoint could not be rolled back or released): the caller must
    /// then roll back.
    bool applyPlanned(SqlContext& sql, const QHash<QString, qint64>& stored);
    /// After the transaction: `committedNs` is the commit time (success), or
    /// 0 when the transaction was rolled back, with `error` when that was a
    /// failure of the commit. Publishes, fails, or forgets the plan. Returns
    /// true when another step is wanted at once.
    bool finishPlanned(qint64 committedNs, const QString& commitError);
    /// After the step's transactions: the view's upkeep (Projection::tidy),
    /// in a statement of its own. A failure is said once, not raised: the
    /// view is intact and the next step tries again.
    void tidy(SqlContext& sql);

    /// The group's store stayed locked by another connection (`notice`, a
    /// sentence for people), or is free again (empty).
    void noteStoreBusy(const QString& notice);
    /// The group's store failed in a way waiting will not mend: stop with
    /// `reason` until retry() (which opens the store again).
    void failStore(const QString& reason);

    /// The group's store is open (again): create the tables when missing and
    /// adopt the stored checkpoint. Returns false (and fails) on an error.
    bool attach();
    /// The group is about to close its connection.
    void detach();
    /// The group moved to another read store: resume from its checkpoint.
    void storeSwitched();

public Q_SLOTS:
    void wake();
    void retry();
    void rebuild();

Q_SIGNALS:
    void advanced(const cqrs::ProjectionAdvance& advance);
    void failed(const QString& projection, const QString& reason);

private:
    void adoptStoredCheckpoint(qint64 stored);
    void fail(qint64 position, const QString& reason);
    void setState(ProjectionState state);
    qint64 dueNs(const Event& event, const ProjectorKnobs& knobs) const;
    bool commitTimeIsComparable(const Event& event) const;

    std::unique_ptr<Projection> m_projection;
    const QString m_name;
    ProjectorGroup* m_group;
    ProjectionBoard* m_board;
    VisibilityRecorder* m_recorder;
    ReceiptRecorder* m_receipts;
    int m_receiptIndex;
    SqlContext* m_sql = nullptr; // the group's, while attached
    // The SAVEPOINT, RELEASE and ROLLBACK TO statements, built once.
    const QString m_savepoint;
    const QString m_release;
    const QString m_rollbackTo;
    const quint64 m_jitterSalt; // the view's share of the deterministic jitter

    std::deque<Event> m_buffer; // fetched, not yet applied, in order
    qint64 m_checkpoint = 0;
    qint64 m_fetchedUpTo = 0;
    bool m_moreInLog = false;
    bool m_failed = false;
    bool m_rebuilding = false;
    qint64 m_startedNs = 0;
    qint64 m_samplesAfter = 0; // replayed up to here: not visibility samples
    std::atomic<qint64> m_poison{0};
    bool m_tidyFailing = false; // said once until it works again
    QTimer m_due;

    // The step in progress (between plan() and finishPlanned()).
    struct Planned
    {
        EventList events;
        ProjectorKnobs knobs;
        bool applied = false; // in the transaction, savepoint released
        bool failed = false;  // its savepoint was rolled back (or could not be set)
        qint64 base = 0;      // the checkpoint the batch started from
        qint64 newCheckpoint = 0;
        qint64 failedAt = 0;  // set when the batch failed
        QString error;
        ChangeSet changes;
    };
    Planned m_planned;
};

/// The projectors of one projector thread and what they share: the
/// thread's EventFeed and one connection to the read store. On each wake it
/// folds every projector that has due events in ONE read-store transaction
/// (one BEGIN, one COMMIT, each view's checkpoint written inside it), each
/// view in a SAVEPOINT of its own so that a failing view is rolled back
/// alone. One commit per wake instead of one per view is what makes the
/// last view visible as soon as the first. A projection that is costly per
/// batch (Projection::commitsAlone(): the search index) commits after the
/// others in a transaction of its own, so they do not wait for it. It does
/// not own the projectors.
class ProjectorGroup final : public QObject
{
    Q_OBJECT

public:
    ProjectorGroup(QString writeDbPath, QString readDbPath);
    ~ProjectorGroup() override;

    void add(Projector* projector) { m_projectors.push_back(projector); }
    EventFeed& feed() { return *m_feed; }
    const EventFeed& feed() const { return *m_feed; }
    QString readDbPath() const { return m_readDbPath; }
    /// The open store (opening it when closed), or null with *error.
    SqlContext* store(QString* error);

    /// The events of a commit, handed over by the command worker: into the
    /// feed (no log read for them), and a step.
    void offer(const CommittedBatch& batch);

public Q_SLOTS:
    void start();
    void scheduleStep();
    void switchReadStore(const QString& readDbPath);
    /// Closes the read-store connection and the feed; on the group's thread.
    void shutdown();
    /// Test hook: the next BEGIN fails with `error`, as SQLite would with
    /// an error that waiting does not mend.
    void injectBeginFailure(const QString& error);

private:
    void step();
    /// Applies the planned projectors in one read-store transaction (each in
    /// a savepoint of its own) and finishes them; `again` is set when one
    /// wants another step. False when the store stayed busy (the projectors
    /// are finished as not tried, and a retry is armed).
    bool commit(const std::vector<Projector*>& planned, bool* again);
    void closeStore();
    QHash<QString, qint64> storedCheckpoints();

    std::unique_ptr<EventFeed> m_feed;
    QString m_readDbPath;
    std::vector<Projector*> m_projectors;
    // The connection before the context that uses it, so it outlives it.
    std::unique_ptr<SqlConnection> m_connection;
    std::unique_ptr<SqlContext> m_sql;
    bool m_stepQueued = false;
    bool m_storeBusy = false; // the last BEGIN found the store locked
    QString m_injectedBeginFailure;
    qint64 m_offersAtPoll = 0;
    QTimer m_poll;
    QTimer m_later;
};

} // namespace cqrs
