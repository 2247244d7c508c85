#include "projections/projector.h"

#include "events/eventfeed.h"
#include "metrics/receiptrecorder.h"
#include "metrics/visibilityrecorder.h"
#include "projections/projectionboard.h"
#include "util/monotonicclock.h"
#include "util/sqlconnection.h"
#include "util/threadpolicy.h"


#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

#include <cmath>
#include <utility>

namespace cqrs {

namespace {
constexpr int pollIntervalMs = 500;  // fallback only; commits wake us at once
constexpr int busyRetryMs = 100;     // the store stayed locked beyond the busy timeout
constexpr int rebuildBatch = 5'000;
constexpr int maxBatch = 10'000;
} // namespace

Projector::Projector(std::unique_ptr<Projection> projection, ProjectorGroup* group,
                     ProjectionBoard* board, VisibilityRecorder* recorder, ReceiptRecorder* receipts)
    : m_projection(std::move(projection))
    , m_name(m_projection->name())
    , m_group(group)
    , m_board(board)
    , m_recorder(recorder)
    , m_receipts(receipts)
    , m_receiptIndex(receipts ? receipts->indexOf(m_name) : -1)
    , m_savepoint(QStringLiteral("SAVEPOINT \"%1\"").arg(m_name))
    , m_release(QStringLiteral("RELEASE \"%1\"").arg(m_name))
    , m_rollbackTo(QStringLiteral("ROLLBACK TO \"%1\"").arg(m_name))
    , m_jitterSalt(qHash(m_name, 0x5EED) * 0xC2B2AE3D27D4EB4Full)
    , m_due(this)
{
    m_due.setSingleShot(true);
    m_due.setTimerType(Qt::PreciseTimer);
    connect(&m_due, &QTimer::timeout, this, &Projector::wake);
}

Projector::~Projector() = default;

void Projector::start()
{
    m_startedNs = monotonicNowNs();
    attach();
}

bool Projector::attach()
{
    detach();
    QString error;
    SqlContext* sql = m_group->store(&error);
    if (!sql) {
        fail(0, error);
        return false;
    }
    if (!sql->exec(QStringLiteral("BEGIN IMMEDIATE"), &error)) {
        fail(0, error);
        return false;
    }
    if (!ReadStore::prepare(*sql, *m_projection, &error)) {
        sql->exec(QStringLiteral("ROLLBACK"), nullptr);
        fail(0, error);
        return false;
    }
    if (!sql->exec(QStringLiteral("COMMIT"), &error)) {
        sql->exec(QStringLiteral("ROLLBACK"), nullptr);
        fail(0, error);
        return false;
    }
    const qint64 checkpoint = ReadStore::checkpoint(*sql, m_name, &error);
    if (checkpoint < 0) {
        fail(0, error);
        return false;
    }
    m_sql = sql;
    m_checkpoint = checkpoint;
    m_fetchedUpTo = m_checkpoint;
    m_board->publishCheckpoint(m_name, m_checkpoint, m_group->readDbPath());
    return true;
}

void Projector::noteStoreBusy(const QString& notice)
{
    m_board->changeStatus(m_name, [&notice](ProjectionStatus& s) {
        if (s.notice != notice)
            s.notice = notice;
    });
}

void Projector::failStore(const QString& reason)
{
    if (!m_failed)
        fail(0, reason);
}

void Projector::detach()
{
    m_due.stop();
    m_sql = nullptr;
    m_buffer.clear();
    m_planned = {};
}

void Projector::wake() { m_group->scheduleStep(); }

void Projector::retry()
{
    if (!m_failed)
        return;
    m_failed = false;
    m_buffer.clear();
    m_fetchedUpTo = m_checkpoint;
    m_board->changeStatus(m_name, [](ProjectionStatus& s) {
        s.error.clear();
        s.failedPosition = 0;
    });
    if (!m_sql && !attach())
        return;
    setState(ProjectionState::CatchingUp);
    m_group->scheduleStep();
}

void Projector::rebuild()
{
    if (!m_sql && !attach())
        return;
    // Between steps, so the group's connection has no transaction open.
    QString error;
    if (!m_sql->exec(QStringLiteral("BEGIN IMMEDIATE"), &error)
        || !ReadStore::clear(*m_sql, *m_projection, &error)
        || !m_sql->exec(QStringLiteral("COMMIT"), &error)) {
        m_sql->exec(QStringLiteral("ROLLBACK"), nullptr);
        fail(0, QStringLiteral("Rebuild could not clear the view: %1").arg(error));
        return;
    }
    m_failed = false;
    m_rebuilding = true;
    m_buffer.clear();
    m_checkpoint = 0;
    m_fetchedUpTo = 0;
    const qint64 target = m_board->head();
    // What the rebuild replays is history, not a visibility sample.
    m_samplesAfter = target;
    const qint64 now = monotonicNowNs();
    m_board->changeStatus(m_name, [target, now](ProjectionStatus& s) {
        s.error.clear();
        s.failedPosition = 0;
        s.rebuildDone = 0;
        s.rebuildTarget = target;
        s.replayUpTo = target;
        s.replayStartedNs = now;
    });
    m_board->publishCheckpoint(m_name, 0, m_group->readDbPath());
    setState(ProjectionState::Rebuilding);
    Q_EMIT advanced({m_name, 0, {}, true});
    m_group->scheduleStep();
}

void Projector::storeSwitched()
{
    m_rebuilding = false;
    m_failed = false;
    if (!attach())
        return;
    // The other store may be far behind: catching it up replays history,
    // which is no visibility sample of new commands.
    const qint64 head = m_board->head();
    const qint64 now = monotonicNowNs();
    m_samplesAfter = std::max(m_samplesAfter, head);
    m_board->changeStatus(m_name, [head, now](ProjectionStatus& s) {
        s.error.clear();
        s.failedPosition = 0;
        s.replayUpTo = head;
        s.replayStartedNs = now;
    });
    Q_EMIT advanced({m_name, m_checkpoint, {}, true});
}

bool Projector::commitTimeIsComparable(const Event& event) const
{
    // The monotonic stamp is only meaningful on the boot that wrote it:
    // check it against the wall clock before trusting it.
    const qint64 monoAgeMs = (monotonicNowNs() - event.committedMonoNs) / 1'000'000;
    const qint64 wallAgeMs = wallNowMs() - event.committedAtMs;
    return monoAgeMs >= 0 && std::abs(monoAgeMs - wallAgeMs) < 2'000;
}

qint64 Projector::dueNs(const Event& event, const ProjectorKnobs& knobs) const
{
    if (!knobs.delayApplies())
        return 0;
    if (!commitTimeIsComparable(event))
        return 0;
    // Deterministic jitter per event and view, so a replay behaves the same
    // and the views drift apart as they would on their own.
    const quint64 hash = (quint64(event.position) ^ m_jitterSalt) * 0x9E3779B97F4A7C15ull;
    const qint64 jitterMs = knobs.jitterMs > 0 ? qint64((hash >> 33) % quint64(knobs.jitterMs + 1)) : 0;
    // From its COMMIT when known, as visibility is measured (finishPlanned()).
    const qint64 commit = m_group->feed().commitTimeOf(event.position);
    return (commit > 0 ? commit : event.committedMonoNs) + (knobs.delayMs + jitterMs) * 1'000'000;
}

void Projector::setState(ProjectionState state)
{
    m_board->changeStatus(m_name, [state](ProjectionStatus& s) { s.state = state; });
}

void Projector::fail(qint64 position, const QString& reason)
{
    m_failed = true;
    m_rebuilding = false;
    m_due.stop();
    QString message = reason;
    for (const Event& event : m_buffer) {
        if (event.position == position) {
            message = QStringLiteral("Event #%1 (%2) could not be applied: %3")
                          .arg(position)
                          .arg(eventTypeName(event.type), reason);
            break;
        }
    }
    m_board->changeStatus(m_name, [&](ProjectionStatus& s) {
        s.state = ProjectionState::Failed;
        s.error = message;
        s.failedPosition = position;
    });
    Q_EMIT failed(m_name, message);
}

void Projector::adoptStoredCheckpoint(qint64 stored)
{
    // In synchronous mode the commands fold their events into the view inside
    // their own transactions. Those events are not ours to apply, to wait
    // for (injected delay) or to measure: take the stored checkpoint as it is
    // and publish it, so read-your-writes and the lag monitor see the view as
    // current as it really is.
    if (stored <= m_checkpoint)
        return;
    while (!m_buffer.empty() && m_buffer.front().position <= stored)
        m_buffer.pop_front();
    m_checkpoint = stored;
    m_fetchedUpTo = std::max(m_fetchedUpTo, stored);
    m_board->publishCheckpoint(m_name, m_checkpoint, m_group->readDbPath());
    Q_EMIT advanced({m_name, m_checkpoint, {}, false});
}

bool Projector::plan(const QHash<QString, qint64>& stored)
{
    m_planned = {};
    if (!m_sql || m_failed)
        return false;
    if (const auto it = stored.constFind(m_name); it != stored.constEnd())
        adoptStoredCheckpoint(*it);
    const ProjectorKnobs knobs = m_board->knobs(m_name);
    if (knobs.paused && !m_rebuilding) {
        setState(ProjectionState::Paused);
        return false;
    }
    const int batch = m_rebuilding ? rebuildBatch : std::clamp(knobs.batchSize, 1, maxBatch);

    // Whether the log may hold more than we have fetched: remembered across
    // steps, because a step that applies what is already buffered does not
    // fetch, and must not conclude the log is drained (that left catch-up
    // idling until the 500 ms poll after every second batch).
    if (qsizetype(m_buffer.size()) < batch) {
        QString error;
        const int want = batch * 2 - int(m_buffer.size());
        const EventList fetched = m_group->feed().readAfter(m_fetchedUpTo, want, &error);
        if (!error.isEmpty() && fetched.isEmpty()) {
            // The log could not be read (e.g. an unknown event type): stop here.
            fail(m_fetchedUpTo + 1, error);
            return false;
        }
        for (const Event& event : fetched)
            m_buffer.push_back(event);
        if (!fetched.isEmpty())
            m_fetchedUpTo = fetched.last().position;
        m_moreInLog = fetched.size() == want;
    }

    if (m_buffer.empty()) {
        if (m_rebuilding) {
            m_rebuilding = false;
            Q_EMIT advanced({m_name, m_checkpoint, {}, true});
        }
        setState(ProjectionState::Live);
        return false;
    }

    const qint64 now = monotonicNowNs();
    EventList due;
    for (const Event& event : m_buffer) {
        if (due.size() >= batch)
            break;
        if (!m_rebuilding && dueNs(event, knobs) > now)
            break;
        due.append(event);
    }
    if (due.isEmpty()) {
        // Everything applicable is applied; the rest waits for the injected delay.
        setState(ProjectionState::Live);
        const qint64 waitNs = dueNs(m_buffer.front(), knobs) - now;
        m_due.start(int(std::clamp<qint64>(waitNs / 1'000'000 + 1, 1, 60'000)));
        return false;
    }
    m_planned.events = std::move(due);
    m_planned.knobs = knobs;
    return true;
}

bool Projector::applyPlanned(SqlContext& sql, const QHash<QString, qint64>& stored)
{
    Planned& planned = m_planned;
    if (!sql.exec(sql.prepared(m_savepoint), &planned.error)) {
        // Nothing of ours happened; the transaction is as it was.
        planned.failed = true;
        return true;
    }
    // The stored checkpoint, as this transaction sees it: what a synchronous
    // update folded in since plan() is skipped by applyBatchFrom and must
    // not count as applied here either.
    const qint64 storedCheckpoint = stored.contains(m_name)
                                        ? stored.value(m_name)
                                        : ReadStore::checkpoint(sql, m_name, &planned.error);
    const qint64 poison = m_poison.load();
    const ReadStore::EventGuard guard = [poison](const Event& event, QString* message) {
        if (poison != 0 && event.position == poison) {
            *message = QStringLiteral("injected poison event");
            return false;
        }
        return true;
    };
    planned.base = std::max(m_checkpoint, storedCheckpoint);
    planned.newCheckpoint = m_checkpoint;
    if (storedCheckpoint >= 0
        && ReadStore::applyBatchFrom(sql, *m_projection, storedCheckpoint, planned.events,
                                     planned.changes, &planned.newCheckpoint, &planned.failedAt,
                                     &planned.error, guard)) {
        QString error;
        if (sql.exec(sql.prepared(m_release), &error)) {
            planned.applied = true;
            return true;
        }
        planned.failed = true;
        planned.failedAt = 0;
        planned.error = QStringLiteral("Cannot release the view's savepoint: %1").arg(error);
        return false;
    }
    // Undo this view's part of the batch only. If SQLite already rolled the
    // whole transaction back (some errors do), the savepoint is gone too.
    planned.failed = true;
    planned.changes = {};
    return sql.exec(sql.prepared(m_rollbackTo), nullptr) && sql.exec(sql.prepared(m_release), nullptr);
}

void Projector::tidy(SqlContext& sql)
{
    QString error;
    if (m_projection->tidy(sql, &error)) {
        m_tidyFailing = false;
    } else if (!std::exchange(m_tidyFailing, true)) {
        qWarning("%s: upkeep after a commit failed (the view is intact; it is tried again after "
                 "each commit): %s",
                 qUtf8Printable(m_name), qUtf8Printable(error));
    }
}

bool Projector::finishPlanned(qint64 committedNs, const QString& commitError)
{
    if (m_planned.events.isEmpty())
        return false;
    const Planned planned = std::move(m_planned);
    m_planned = {};
    if (planned.failed) {
        // Its own savepoint was rolled back: the view and its checkpoint are
        // as they were before the batch, whatever became of the others.
        fail(planned.failedAt, planned.error);
        return false;
    }
    if (committedNs == 0) {
        if (!planned.applied)
            return true; // not tried: the transaction was lost before our turn
        if (!commitError.isEmpty()) {
            fail(0, commitError);
            return false;
        }
        // Another view lost the shared transaction, and our batch with it;
        // that view is failed now: do ours again in the next step.
        return true;
    }
    QList<qint64> latencies;
    if (!m_rebuilding) {
        latencies.reserve(planned.events.size());
        const EventFeed& feed = m_group->feed();
        for (const Event& event : planned.events) {
            // Only events committed while we were running say something about
            // visibility; a backlog from before a restart would not.
            if (event.position > planned.base && event.position <= planned.newCheckpoint
                && event.position > m_samplesAfter && event.committedMonoNs >= m_startedNs
                && commitTimeIsComparable(event)) {
                // From the moment its transaction committed, when the command
                // worker told us; else from the stamp in the log, which is
                // earlier (taken when its command was handled).
                const qint64 commit = feed.commitTimeOf(event.position);
                latencies.append(committedNs - (commit > 0 ? commit : event.committedMonoNs));
            }
        }
    }
    const qint64 newCheckpoint = planned.newCheckpoint;
    const qint64 applied = newCheckpoint - planned.base;
    while (!m_buffer.empty() && m_buffer.front().position <= newCheckpoint)
        m_buffer.pop_front();
    m_checkpoint = newCheckpoint;
    m_fetchedUpTo = std::max(m_fetchedUpTo, newCheckpoint);
    m_recorder->record(m_name, committedNs, latencies);
    if (m_receipts && newCheckpoint > planned.base)
        m_receipts->applied(m_receiptIndex, planned.base + 1, newCheckpoint, committedNs);
    // State first, checkpoint second: whoever sees the new checkpoint also
    // sees the state that goes with it (never "paused" at the head).
    const bool backlog = m_moreInLog
                         || (!m_buffer.empty()
                             && (m_rebuilding || dueNs(m_buffer.front(), planned.knobs) <= monotonicNowNs()));
    const bool rebuilding = m_rebuilding;
    m_board->changeStatus(m_name, [&](ProjectionStatus& s) {
        s.eventsApplied += applied;
        if (rebuilding)
            s.rebuildDone = newCheckpoint;
        else
            s.state = backlog ? ProjectionState::CatchingUp : ProjectionState::Live;
    });
    m_board->publishCheckpoint(m_name, m_checkpoint, m_group->readDbPath());
    if (!planned.changes.isEmpty() || applied > 0)
        Q_EMIT advanced({m_name, m_checkpoint, planned.changes, false, committedNs});
    return backlog || !m_buffer.empty();
}

// --- ProjectorGroup -------------------------------------------------------

ProjectorGroup::ProjectorGroup(QString writeDbPath, QString readDbPath)
    : m_feed(std::make_unique<EventFeed>(std::move(writeDbPath)))
    , m_readDbPath(std::move(readDbPath))
    , m_poll(this)
    , m_later(this)
{
    m_poll.setInterval(pollIntervalMs);
    connect(&m_poll, &QTimer::timeout, this, [this] {
        // Only when no commit was offered since the last poll: while offers
        // arrive, a commit that was not offered shows as a gap in the next
        // one; and a log read at the window's end would take events whose
        // offers are still queued, measuring them from the earlier stamp.
        if (m_feed->offers() == m_offersAtPoll)
            m_feed->verifyWithLog();
        m_offersAtPoll = m_feed->offers();
        scheduleStep();
    });
    m_later.setSingleShot(true);
    connect(&m_later, &QTimer::timeout, this, &ProjectorGroup::step);
}

ProjectorGroup::~ProjectorGroup() = default;

SqlContext* ProjectorGroup::store(QString* error)
{
    if (m_sql)
        return m_sql.get();
    auto connection = std::make_unique<SqlConnection>(QStringLiteral("projectors"), m_readDbPath,
                                                      SqlConnection::Role::Writer);
    if (!connection->open(error))
        return nullptr;
    // Never checkpoint inside our commit: that syncs both files and holds
    // back every event of the batch. A background thread does it instead
    // (Lab's checkpointers: read.db's always, write.db's in the CQRS modes;
    // a CRUD store's command connection checkpoints write.db itself).
    if (!execSql(connection->db(), QStringLiteral("PRAGMA wal_autocheckpoint = 0"), error))
        return nullptr;
    // A RESTART of read.db's checkpointer holds the write lock for a few
    // ms: wait for it in fine steps, not SQLite's 1, 2, 5, 10 ms sleeps. And
    // when our commit starts the log from the top, cut the file back.
    SqliteStatement::setFineBusyWait(SqliteStatement::handleOf(connection->db()), 10'000);
    if (!execSql(connection->db(), QStringLiteral("PRAGMA journal_size_limit = 67108864"), error))
        return nullptr;
    m_connection = std::move(connection);
    m_sql = std::make_unique<SqlContext>(m_connection->db());
    return m_sql.get();
}

void ProjectorGroup::closeStore()
{
    for (Projector* projector : m_projectors)
        projector->detach();
    m_sql.reset();
    m_connection.reset();
}

void ProjectorGroup::start()
{
    // On the group's thread. Every commit wakes it (offerCommitted): see
    // runAsBackgroundThread() for why that must not preempt the command worker.
    runAsBackgroundThread();
    for (Projector* projector : m_projectors)
        projector->start();
    m_poll.start();
    scheduleStep();
}

void ProjectorGroup::shutdown()
{
    m_poll.stop();
    m_later.stop();
    closeStore();
    m_feed->close();
}

void ProjectorGroup::switchReadStore(const QString& readDbPath)
{
    if (readDbPath == m_readDbPath && m_sql) {
        // Already there: only a projector that could not attach tries again.
        for (Projector* projector : m_projectors) {
            if (!projector->isAttached())
                projector->storeSwitched();
        }
    } else {
        closeStore();
        m_readDbPath = readDbPath;
        for (Projector* projector : m_projectors)
            projector->storeSwitched();
    }
    scheduleStep();
}

void ProjectorGroup::injectBeginFailure(const QString& error) { m_injectedBeginFailure = error; }

void ProjectorGroup::offer(const CommittedBatch& batch)
{
    m_feed->offer(batch);
    scheduleStep();
}

void ProjectorGroup::scheduleStep()
{
    if (m_stepQueued)
        return;
    m_stepQueued = true;
    QMetaObject::invokeMethod(this, &ProjectorGroup::step, Qt::QueuedConnection);
}

QHash<QString, qint64> ProjectorGroup::storedCheckpoints()
{
    QHash<QString, qint64> stored;
    SqliteStatement& query = m_sql->statement(QStringLiteral("SELECT projection, position FROM rv_checkpoints"));
    SqliteStatement::Step step;
    while ((step = query.step()) == SqliteStatement::Step::Row)
        stored.insert(QString::fromUtf8(query.text(0)), query.int64(1));
    query.reset();
    if (step == SqliteStatement::Step::Error)
        return {}; // the next transaction will say why
    return stored;
}

void ProjectorGroup::step()
{
    m_stepQueued = false;
    if (!m_sql)
        return;
    const QHash<QString, qint64> stored = storedCheckpoints();
    std::vector<Projector*> together;
    std::vector<Projector*> alone;
    for (Projector* projector : m_projectors) {
        if (projector->plan(stored))
            (projector->commitsAlone() ? alone : together).push_back(projector);
    }
    // The views that commit together first, so they are visible without
    // waiting for the costly ones; then each of those in a transaction of
    // its own.
    bool again = false;
    bool busy = !together.empty() && !commit(together, &again);
    for (Projector* projector : alone) {
        if (busy) // the store stayed locked: the retry is armed
            projector->finishPlanned(0, {});
        else
            busy = !commit({projector}, &again);
    }
    // Upkeep last, once every view of this step is visible (it is the
    // search index's segment merging, which used to sit inside its commit).
    if (!busy) {
        for (Projector* projector : m_projectors)
            projector->tidy(*m_sql);
    }
    if (again)
        scheduleStep();
}

bool ProjectorGroup::commit(const std::vector<Projector*>& planned, bool* again)
{
    SqlContext& sql = *m_sql;
    QString error;
    QSqlQuery& begin = sql.prepared(QStringLiteral("BEGIN IMMEDIATE"));
    const QString injected = std::exchange(m_injectedBeginFailure, {});
    if (!injected.isEmpty() || !sql.exec(begin, &error)) {
        // SQLITE_BUSY / SQLITE_LOCKED: another connection held the write
        // lock beyond the busy timeout; try again shortly, and say so.
        const QString code = injected.isEmpty() ? begin.lastError().nativeErrorCode() : QString();
        if (!injected.isEmpty())
            error = injected;
        if (code == QStringLiteral("5") || code == QStringLiteral("6")) {
            for (Projector* projector : planned)
                projector->finishPlanned(0, {});
            m_storeBusy = true;
            for (Projector* projector : m_projectors)
                projector->noteStoreBusy(QStringLiteral("%1 is locked by another connection; retrying.")
                                             .arg(QFileInfo(m_readDbPath).fileName()));
            m_later.start(busyRetryMs);
            return false;
        }
        // Anything else will not pass by waiting: every view of this store
        // stops with the reason, and Retry opens the store anew.
        const QString reason = QStringLiteral("%1 could not start a transaction: %2")
                                   .arg(QFileInfo(m_readDbPath).absoluteFilePath(), error);
        for (Projector* projector : planned)
            projector->finishPlanned(0, {});
        closeStore();
        for (Projector* projector : m_projectors)
            projector->failStore(reason);
        return false;
    }
    if (std::exchange(m_storeBusy, false)) {
        for (Projector* projector : m_projectors)
            projector->noteStoreBusy({});
    }
    // Holding the write lock now: the checkpoints read here stay true until
    // COMMIT, so one SELECT serves every view of the transaction.
    const QHash<QString, qint64> current = storedCheckpoints();
    bool intact = true;
    for (Projector* projector : planned) {
        if (!projector->applyPlanned(sql, current)) {
            intact = false; // SQLite dropped the transaction: nothing more can go in it
            break;
        }
    }
    qint64 committedNs = 0;
    QString commitError;
    if (intact && sql.exec(sql.prepared(QStringLiteral("COMMIT")), &commitError))
        committedNs = monotonicNowNs();
    else
        sql.exec(QStringLiteral("ROLLBACK"), nullptr);
    for (Projector* projector : planned)
        *again = projector->finishPlanned(committedNs, commitError) || *again;
    return true;
}

} // namespace cqrs
