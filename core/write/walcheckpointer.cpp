#include "write/walcheckpointer.h"

#include "util/sqlconnection.h"
#include "util/threadpolicy.h"
#include "write/sqlitestatement.h"

#include <QFileInfo>
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
        m_connection = std::make_unique<SqlConnection>(QStringLiteral("checkpointer"), m_owner->m_path,
                                                       SqlConnection::Role::Reader);
        QString error;
        if (!m_connection->open(&error)) {
            qWarning("WAL checkpointer: %s", qUtf8Printable(error));
            m_connection.reset();
            return;
        }
        // After a checkpoint that resets the log, truncate the file to this size.
        execSql(m_connection->db(), QStringLiteral("PRAGMA journal_size_limit = 67108864"), nullptr);
        // Wait for a lock at most restartWaitMs, in fine steps (see
        // checkpoint()); this handler replaces the connection's busy_timeout.
        if (sqlite3* handle = SqliteStatement::handleOf(m_connection->db()))
            SqliteStatement::setFineBusyWait(handle, restartWaitMs);
        m_timer.start(m_owner->m_intervalMs);
    }

    void end()
    {
        m_timer.stop();
        m_connection.reset();
        QThread::currentThread()->quit();
    }

private:
    void checkpoint()
    {
        if (!m_owner->m_active.load())
            return;
        // PASSIVE copies what it can without blocking anyone. Under steady
        // writes it never finds the log fully copied at the moment a writer
        // starts, so the log would never wrap. Once the log passes the
        // threshold, RESTART takes the writer lock between two commit groups,
        // copies the short tail and lets the next transaction start the log
        // from the top.
        // - RESTART holds the writer lock while it copies what is not in the
        //   database yet and syncs both files. Left to itself that was a
        //   whole timer interval of frames (~300 at 1,000 orders/s): a 5-7 ms
        //   stall of every command waiting to begin. A PASSIVE just before
        //   copies and syncs nearly all of it without the lock, so RESTART
        //   only has the last commit or two left.
        // - It waits for the writer lock, and then for readers to leave the
        //   log, at most restartWaitMs in 100 µs steps. SQLite's own busy
        //   handler sleeps in coarse steps, which under a busy writer took
        //   seconds while the log kept growing. Not waiting at all failed
        //   most RESTARTs against a writer that commits back to back (its
        //   retries hold a read lock for an instant): with the writer of
        //   tst_walcheckpointer, 3 to 9 tries per RESTART and the log past
        //   50 MiB in most runs; with the wait, every RESTART succeeded at
        //   its first try (on an idle machine). A RESTART that still finds the
        //   writer busy degrades to a PASSIVE and the next turn tries again.
        QSqlQuery query(m_connection->db());
        // After a successful RESTART the log reports its old length until
        // the next commit wraps it: while it has not changed, do not block
        // writers again (an idle store would otherwise be restarted forever).
        const bool restart = m_logFrames >= restartFrames && m_logFrames != m_framesAtRestart;
        if (restart)
            run(query, QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)"));
        m_logFrames = run(query, restart ? QStringLiteral("PRAGMA wal_checkpoint(RESTART)")
                                         : QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)"));
        if (restart && m_lastBusy == 0)
            m_framesAtRestart = m_logFrames;
    }

    qint64 run(QSqlQuery& query, const QString& pragma)
    {
        if (!query.exec(pragma) || !query.next())
            return 0;
        // busy, frames in the WAL, frames checkpointed
        m_lastBusy = query.value(0).toInt();
        const qint64 frames = query.value(1).toLongLong();
        m_owner->m_lastWalFrames.store(frames - query.value(2).toLongLong());
        m_owner->m_checkpoints.fetch_add(1);
        if (m_lastBusy == 0 && pragma.contains(QStringLiteral("RESTART")))
            m_owner->m_restarts.fetch_add(1);
        query.finish();
        return frames;
    }

    static constexpr qint64 restartFrames = 4'000; // ~16 MiB of 4 KiB pages
    static constexpr int restartWaitMs = 2;

    WalCheckpointer* m_owner;
    QTimer m_timer;
    std::unique_ptr<SqlConnection> m_connection;
    qint64 m_logFrames = 0;
    qint64 m_framesAtRestart = -1;
    int m_lastBusy = 0;
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
}

void WalCheckpointer::stop()
{
    m_thread.stop();
}

} // namespace cqrs
