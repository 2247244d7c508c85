#include "projections/projector.h"

#include "events/eventfeed.h"
#include "metrics/visibilityrecorder.h"
#include "projections/projectionboard.h"
#include "util/monotonicclock.h"
#include "util/sqlconnection.h"


#include <cmath>

namespace cqrs {

namespace {
constexpr int pollIntervalMs = 500;  // fallback only; commits wake us at once
constexpr int rebuildBatch = 5'000;
constexpr int maxBatch = 10'000;
} // namespace

Projector::Projector(std::unique_ptr<Projection> projection, EventFeed* feed,
                     QString readDbPath, ProjectionBoard* board, VisibilityRecorder* recorder)
    : m_projection(std::move(projection))
    , m_name(m_projection->name())
    , m_feed(feed)
    , m_readDbPath(std::move(readDbPath))
    , m_board(board)
    , m_recorder(recorder)
    , m_poll(this)
    , m_due(this)
{
    m_poll.setInterval(pollIntervalMs);
    connect(&m_poll, &QTimer::timeout, this, &Projector::wake);
    m_due.setSingleShot(true);
    m_due.setTimerType(Qt::PreciseTimer);
    connect(&m_due, &QTimer::timeout, this, &Projector::step);
}

Projector::~Projector() = default;

void Projector::start()
{
    m_startedNs = monotonicNowNs();
    QString error;
    if (!openStore(&error)) {
        fail(0, error);
        return;
    }
    m_poll.start();
    scheduleStep();
}

void Projector::shutdown()
{
    m_poll.stop();
    m_due.stop();
    closeStore();
}

bool Projector::openStore(QString* error)
{
    closeStore();
    m_readStore = std::make_unique<SqlConnection>(QStringLiteral("projector-") + m_name,
                                                  m_readDbPath, SqlConnection::Role::Writer);
    if (!m_readStore->open(error))
        return false;
    m_sql = std::make_unique<SqlContext>(m_readStore->db());
    if (!m_sql->exec(QStringLiteral("BEGIN IMMEDIATE"), error))
        return false;
    if (!ReadStore::prepare(*m_sql, *m_projection, error)) {
        m_sql->exec(QStringLiteral("ROLLBACK"), nullptr);
        return false;
    }
    if (!m_sql->exec(QStringLiteral("COMMIT"), error))
        return false;
    m_checkpoint = ReadStore::checkpoint(*m_sql, m_name, error);
    if (m_checkpoint < 0)
        return false;
    m_fetchedUpTo = m_checkpoint;
    m_open = true;
    m_board->publishCheckpoint(m_name, m_checkpoint, m_readDbPath);
    return true;
}

void Projector::closeStore()
{
    m_open = false;
    m_buffer.clear();
    m_sql.reset();
    m_readStore.reset();
}

void Projector::wake() { scheduleStep(); }

void Projector::scheduleStep()
{
    if (m_stepQueued)
        return;
    m_stepQueued = true;
    QMetaObject::invokeMethod(this, &Projector::step, Qt::QueuedConnection);
}

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
    if (!m_open) {
        QString error;
        if (!openStore(&error)) {
            fail(0, error);
            return;
        }
    }
    setState(ProjectionState::CatchingUp);
    scheduleStep();
}

void Projector::rebuild()
{
    if (!m_open) {
        QString error;
        if (!openStore(&error)) {
            fail(0, error);
            return;
        }
    }
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
    m_board->changeStatus(m_name, [target](ProjectionStatus& s) {
        s.error.clear();
        s.failedPosition = 0;
        s.rebuildDone = 0;
        s.rebuildTarget = target;
    });
    m_board->publishCheckpoint(m_name, 0, m_readDbPath);
    setState(ProjectionState::Rebuilding);
    Q_EMIT advanced({m_name, 0, {}, true});
    scheduleStep();
}

void Projector::switchReadStore(const QString& readDbPath)
{
    if (readDbPath == m_readDbPath && m_open)
        return;
    m_readDbPath = readDbPath;
    m_rebuilding = false;
    m_failed = false;
    QString error;
    if (!openStore(&error)) {
        fail(0, error);
        return;
    }
    m_board->changeStatus(m_name, [](ProjectionStatus& s) {
        s.error.clear();
        s.failedPosition = 0;
    });
    Q_EMIT advanced({m_name, m_checkpoint, {}, true});
    scheduleStep();
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
    if (knobs.delayMs <= 0 && knobs.jitterMs <= 0)
        return 0;
    if (!commitTimeIsComparable(event))
        return 0;
    // Deterministic jitter per event, so a replay behaves the same.
    const quint64 hash = quint64(event.position) * 0x9E3779B97F4A7C15ull;
    const qint64 jitterMs = knobs.jitterMs > 0 ? qint64((hash >> 33) % quint64(knobs.jitterMs + 1)) : 0;
    return event.committedMonoNs + (knobs.delayMs + jitterMs) * 1'000'000;
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

void Projector::adoptStoredCheckpoint()
{
    // In synchronous mode the commands fold their events into the view inside
    // their own transactions. Those events are not ours to apply, to wait
    // for (injected delay) or to measure: take the stored checkpoint as it is
    // and publish it, so read-your-writes and the lag monitor see the view as
    // current as it really is.
    QString error;
    const qint64 stored = ReadStore::checkpoint(*m_sql, m_name, &error);
    if (stored <= m_checkpoint)
        return; // (or unreadable: the next transaction will say why)
    while (!m_buffer.empty() && m_buffer.front().position <= stored)
        m_buffer.pop_front();
    m_checkpoint = stored;
    m_fetchedUpTo = std::max(m_fetchedUpTo, stored);
    m_board->publishCheckpoint(m_name, m_checkpoint, m_readDbPath);
    Q_EMIT advanced({m_name, m_checkpoint, {}, false});
}

void Projector::step()
{
    m_stepQueued = false;
    if (!m_open || m_failed)
        return;
    adoptStoredCheckpoint();
    const ProjectorKnobs knobs = m_board->knobs(m_name);
    if (knobs.paused && !m_rebuilding) {
        setState(ProjectionState::Paused);
        return;
    }
    const int batch = m_rebuilding ? rebuildBatch : std::clamp(knobs.batchSize, 1, maxBatch);

    // Whether the log may hold more than we have fetched: remembered across
    // steps, because a step that applies what is already buffered does not
    // fetch, and must not conclude the log is drained (that left catch-up
    // idling until the 500 ms poll after every second batch).
    bool& moreInLog = m_moreInLog;
    if (qsizetype(m_buffer.size()) < batch) {
        QString error;
        const int want = batch * 2 - int(m_buffer.size());
        const EventList fetched = m_feed->readAfter(m_fetchedUpTo, want, &error);
        if (!error.isEmpty() && fetched.isEmpty()) {
            // The log could not be read (e.g. an unknown event type): stop here.
            fail(m_fetchedUpTo + 1, error);
            return;
        }
        for (const Event& event : fetched)
            m_buffer.push_back(event);
        if (!fetched.isEmpty())
            m_fetchedUpTo = fetched.last().position;
        moreInLog = fetched.size() == want;
    }

    if (m_buffer.empty()) {
        if (m_rebuilding) {
            m_rebuilding = false;
            Q_EMIT advanced({m_name, m_checkpoint, {}, true});
        }
        setState(ProjectionState::Live);
        return;
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
        return;
    }

    QString error;
    if (!m_sql->exec(QStringLiteral("BEGIN IMMEDIATE"), &error)) {
        // The store is busy beyond the busy timeout; try again shortly.
        m_due.start(100);
        return;
    }
    // What a synchronous update folded in since adoptStoredCheckpoint() is
    // skipped by applyBatch and must not count as applied here either.
    const qint64 base = std::max(m_checkpoint, ReadStore::checkpoint(*m_sql, m_name, nullptr));
    const qint64 poison = m_poison.load();
    const ReadStore::EventGuard guard = [poison](const Event& event, QString* message) {
        if (poison != 0 && event.position == poison) {
            *message = QStringLiteral("injected poison event");
            return false;
        }
        return true;
    };
    ChangeSet changes;
    qint64 newCheckpoint = m_checkpoint;
    qint64 failedAt = 0;
    if (!ReadStore::applyBatch(*m_sql, *m_projection, due, changes, &newCheckpoint, &failedAt,
                               &error, guard)
        || !m_sql->exec(QStringLiteral("COMMIT"), &error)) {
        m_sql->exec(QStringLiteral("ROLLBACK"), nullptr);
        fail(failedAt, error);
        return;
    }
    const qint64 appliedNs = monotonicNowNs();
    QList<qint64> latencies;
    if (!m_rebuilding) {
        latencies.reserve(due.size());
        for (const Event& event : due) {
            // Only events committed while we were running say something about
            // visibility; a backlog from before a restart would not.
            if (event.position > base && event.committedMonoNs >= m_startedNs
                && commitTimeIsComparable(event))
                latencies.append(appliedNs - event.committedMonoNs);
        }
    }
    const qint64 applied = newCheckpoint - base;
    while (!m_buffer.empty() && m_buffer.front().position <= newCheckpoint)
        m_buffer.pop_front();
    m_checkpoint = newCheckpoint;
    m_fetchedUpTo = std::max(m_fetchedUpTo, newCheckpoint);
    m_recorder->record(m_name, appliedNs, latencies);
    // State first, checkpoint second: whoever sees the new checkpoint also
    // sees the state that goes with it (never "paused" at the head).
    const bool backlog = moreInLog || (!m_buffer.empty() && (m_rebuilding || dueNs(m_buffer.front(), knobs) <= monotonicNowNs()));
    const bool rebuilding = m_rebuilding;
    m_board->changeStatus(m_name, [&](ProjectionStatus& s) {
        s.eventsApplied += applied;
        if (rebuilding)
            s.rebuildDone = newCheckpoint;
        else
            s.state = backlog ? ProjectionState::CatchingUp : ProjectionState::Live;
    });
    m_board->publishCheckpoint(m_name, m_checkpoint, m_readDbPath);
    if (!changes.isEmpty() || applied > 0)
        Q_EMIT advanced({m_name, m_checkpoint, changes, false});
    if (backlog || moreInLog || !m_buffer.empty())
        scheduleStep();
}

} // namespace cqrs
