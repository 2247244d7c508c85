#include "write/walcheckpointer.h"

#include "util/monotonicclock.h"
#include "util/sqlconnection.h"
#include "util/threadpolicy.h"
#include "write/sqlitestatement.h"

#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QTimer>

#include <memory>

namespace cqrs {

class WalCheckpointer::Worker final : public QObject
{
public:
    explicit Worker(WalCheckpointer* owner)
        : m_owner(owner)
        , m_timer(this)
    {
        connect(&m_timer, &QTimer::timeout, this, &Worker::checkpoint);
    }

    void begin()
    {
        runAsBackgroundThread();
        m_timer.start(m_owner->m_intervalMs);
    }

    void end()
    {
        m_timer.stop();
        m_connection.reset();
        QThread::currentThread()->quit();
    }

private:
    /// Opens the connection, at most once a second while that fails.
    bool ensureOpen()
    {
        if (m_connection)
            return true;
        const qint64 now = monotonicNowNs();
        if (m_lastOpenAttemptNs != 0 && now - m_lastOpenAttemptNs < openRetryNs)
            return false;
        m_lastOpenAttemptNs = now;
        auto connection = std::make_unique<SqlConnection>(QStringLiteral("checkpointer"), m_owner->m_path,
                                                          SqlConnection::Role::Reader);
        QString error;
        if (!connection->open(&error)) {
            m_owner->setProblem(error);
            return false;
        }
        // After a checkpoint that resets the log, truncate the file to this size.
        execSql(connection->db(), QStringLiteral("PRAGMA journal_size_limit = 67108864"), nullptr);
        // Wait for a lock at most restartWaitMs, in fine steps (see
        // checkpoint()); this handler replaces the connection's busy_timeout.
        if (sqlite3* handle = SqliteStatement::handleOf(connection->db()))
            SqliteStatement::setFineBusyWait(handle, restartWaitMs);
        m_connection = std::move(connection);
        return true;
    }

    void checkpoint()
    {
        if (!m_owner->m_active.load())
            return;
        if (!ensureOpen())
            return;
        // PASSIVE copies what it can without blocking anyone, but under
        // steady writes the log would never wrap. Past restartFrames a
        // PASSIVE (which copies and syncs nearly everything without the
        // lock) is followed by a RESTART that waits at most restartWaitMs
        // for the writer lock; one that still finds it busy degrades to a
        // PASSIVE and the next turn tries again. docs/architecture.md,
        // "Checkpoints of the write store", has the measurements behind it.
        QSqlQuery query(m_connection->db());
        // After a successful RESTART the log reports its old length until
        // the next commit wraps it: while it has not changed, do not block
        // writers again (an idle store would otherwise be restarted forever).
        const bool restart = m_logFrames >= restartFrames && m_logFrames != m_framesAtRestart;
        if (restart)
            run(query, QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)"));
        const qint64 frames = run(query, restart ? QStringLiteral("PRAGMA wal_checkpoint(RESTART)")
                                                 : QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)"));
        if (frames < 0)
            return;
        m_logFrames = frames;
        if (restart && m_lastBusy == 0)
            m_framesAtRestart = m_logFrames;
    }

    /// The WAL's length in frames, or -1 (and the problem recorded) on failure.
    qint64 run(QSqlQuery& query, const QString& pragma)
    {
        if (!query.exec(pragma) || !query.next()) {
            m_owner->setProblem(QStringLiteral("Checkpoint of %1 failed: %2")
                                    .arg(QFileInfo(m_owner->m_path).fileName(), query.lastError().text()));
            query.finish();
            return -1;
        }
        // busy, frames in the WAL, frames checkpointed
        m_lastBusy = query.value(0).toInt();
        const qint64 frames = query.value(1).toLongLong();
        m_owner->m_lastWalFrames.store(frames - query.value(2).toLongLong());
        m_owner->m_checkpoints.fetch_add(1);
        m_owner->m_lastCheckpointNs.store(monotonicNowNs());
        m_owner->setProblem({});
        if (m_lastBusy == 0 && pragma.contains(QStringLiteral("RESTART")))
            m_owner->m_restarts.fetch_add(1);
        query.finish();
        return frames;
    }

    static constexpr qint64 restartFrames = 4'000; // ~16 MiB of 4 KiB pages
    static constexpr int restartWaitMs = 2;
    static constexpr qint64 openRetryNs = 1'000'000'000;

    WalCheckpointer* m_owner;
    QTimer m_timer;
    std::unique_ptr<SqlConnection> m_connection;
    qint64 m_logFrames = 0;
    qint64 m_framesAtRestart = -1;
    int m_lastBusy = 0;
    qint64 m_lastOpenAttemptNs = 0;
};

WalCheckpointer::WalCheckpointer(QString dbPath, int intervalMs, QObject* parent)
    : QObject(parent)
    , m_path(std::move(dbPath))
    , m_intervalMs(std::max(10, intervalMs))
{
}

WalCheckpointer::~WalCheckpointer() { stop(); }

void WalCheckpointer::start()
{
    // "ckpt write.db", "ckpt read.db": thread names are cut at 15 bytes.
    m_thread.start(
        QStringLiteral("ckpt %1").arg(QFileInfo(m_path).fileName()), [this] { return std::make_unique<Worker>(this); },
        [](Worker* worker) { worker->begin(); });
    m_running.store(true);
}

void WalCheckpointer::stop()
{
    m_running.store(false);
    m_thread.stop();
}

void WalCheckpointer::setProblem(const QString& problem)
{
    std::lock_guard lock(m_problemMutex);
    if (problem == m_problem)
        return;
    m_problem = problem;
    m_problemSinceNs = problem.isEmpty() ? 0 : monotonicNowNs();
}

QString WalCheckpointer::problem() const
{
    std::lock_guard lock(m_problemMutex);
    return m_problem;
}

QString WalCheckpointer::starvation() const
{
    if (!m_running.load() || !isActive())
        return {};
    QString problem;
    qint64 since = 0;
    {
        std::lock_guard lock(m_problemMutex);
        problem = m_problem;
        since = m_problemSinceNs;
    }
    if (problem.isEmpty())
        return {};
    const qint64 last = m_lastCheckpointNs.load();
    const double seconds = (monotonicNowNs() - std::max(last, since)) / 1e9;
    if (seconds < 1.0)
        return {}; // one failed turn is not starvation yet
    return QStringLiteral("No checkpoint of %1 for %2 s: its WAL keeps growing. %3")
        .arg(QFileInfo(m_path).fileName())
        .arg(seconds, 0, 'f', 0)
        .arg(problem);
}

} // namespace cqrs
