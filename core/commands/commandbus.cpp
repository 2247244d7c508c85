#include "commands/commandbus.h"
#include "util/threadaudit.h"

#include "metrics/receiptrecorder.h"
#include "util/monotonicclock.h"
#include "write/demodata.h"
#include "write/writemodel.h"

#include <QHash>
#include <QPromise>
#include <QQueue>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>

namespace cqrs {

namespace {
/// Rejected answers kept so a retried command id gets the same rejection.
/// Retries come within seconds; a larger cache showed up as memory growth
/// in the memory benchmark (docs/benchmarks.md).
constexpr int rejectedCacheCapacity = 1'000;
}

class CommandBus::Worker
{
public:
    struct Job
    {
        // Either a command with its promise, or a task run outside any transaction.
        std::optional<Command> command;
        qint64 submittedNs = 0;
        // The answer goes to the promise, or to `reply` on `receiver`'s thread.
        std::shared_ptr<QPromise<CommandResult>> promise;
        QObject* receiver = nullptr;
        Reply reply;
        std::function<void(WriteModel*)> task;
    };

    /// Answers the jobs in order. Consecutive replies to one receiver travel
    /// in a single posted event.
    static void answer(std::vector<Job>& jobs, const std::vector<CommandResult>& results)
    {
        QObject* receiver = nullptr;
        std::vector<std::pair<Reply, CommandResult>> batch;
        const auto post = [&] {
            if (batch.empty())
                return;
            QMetaObject::invokeMethod(
                receiver,
                [replies = std::move(batch)] {
                    for (const auto& [reply, result] : replies)
                        reply(result);
                },
                Qt::QueuedConnection);
            batch = {};
        };
        for (size_t i = 0; i < jobs.size(); ++i) {
            Job& job = jobs[i];
            if (job.promise) {
                job.promise->addResult(results[i]);
                job.promise->finish();
                continue;
            }
            if (job.receiver != receiver)
                post();
            receiver = job.receiver;
            batch.emplace_back(std::move(job.reply), results[i]);
        }
        post();
    }

    static void answer(Job& job, const CommandResult& result)
    {
        std::vector<Job> one;
        one.push_back(std::move(job));
        answer(one, {result});
    }

    explicit Worker(CommandBus* bus)
        : m_bus(bus)
    {
    }

    ~Worker() { stop(); }

    void start(const StoreConfig& config, std::shared_ptr<QPromise<StoreInfo>> opened)
    {
        std::lock_guard lock(m_mutex);
        if (m_thread || m_stopping) {
            opened->addResult(StoreInfo{false, QStringLiteral("The command bus is already open."), {}, false});
            opened->finish();
            return;
        }
        m_config = config;
        m_config.maxGroupSize = std::max(1, m_config.maxGroupSize);
        m_thread.reset(QThread::create([this, opened] { run(opened); }));
        m_thread->setObjectName(QStringLiteral("command-worker"));
        m_thread->start();
    }

    void stop()
    {
        ThreadAudit::noteWait("CommandBus::close");
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_wake.notify_all();
        if (m_thread) {
            m_thread->wait();
            m_thread.reset();
        }
    }

    void enqueue(Job job)
    {
        {
            std::lock_guard lock(m_mutex);
            if (!m_stopping && m_thread) {
                if (job.command)
                    ++m_pending;
                m_queue.push_back(std::move(job));
                m_wake.notify_one();
                return;
            }
        }
        // Closed (or never opened): answer at once instead of leaving a
        // future that never finishes.
        if (job.command) {
            answer(job, CommandResult::failed(QStringLiteral("The command bus is closed.")));
        } else {
            job.task(nullptr);
        }
    }

    void run(const std::shared_ptr<QPromise<StoreInfo>>& opened)
    {
        m_threadId.store(QThread::currentThreadId());
        StoreInfo info = openStore();
        opened->addResult(info);
        opened->finish();
        if (!info.ok) {
            failEverything(info.error);
            return;
        }
        std::vector<Job> group;
        while (true) {
            {
                std::unique_lock lock(m_mutex);
                m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
                if (m_queue.empty())
                    break; // stopping, and everything queued is answered
                if (!m_queue.front().command) {
                    group.push_back(std::move(m_queue.front()));
                    m_queue.pop_front();
                } else {
                    while (!m_queue.empty() && m_queue.front().command
                           && int(group.size()) < m_config.maxGroupSize) {
                        group.push_back(std::move(m_queue.front()));
                        m_queue.pop_front();
                    }
                }
            }
            if (group.front().command)
                runGroup(group);
            else
                group.front().task(m_model.get());
            group.clear();
        }
        m_model.reset(); // close the connection on the thread that opened it
    }

    StoreInfo openStore()
    {
        StoreInfo info;
        m_model = std::make_unique<WriteModel>(m_config.writeDbPath, m_config.journal);
        if (!m_model->open(&info.error)) {
            m_model.reset();
            return info;
        }
        if (m_config.seedDemoData && m_model->counters().products == 0) {
            const QList<Command> seed = DemoData::seedCommands(&info.error);
            if (seed.isEmpty())
                return info;
            if (!m_model->begin(&info.error))
                return info;
            for (const Command& command : seed) {
                const CommandResult result = m_model->handle(command);
                if (!result.accepted()) {
                    m_model->rollback();
                    info.error = QStringLiteral("Loading the demo data failed: %1").arg(result.reason);
                    return info;
                }
            }
            if (!m_model->commit(&info.error))
                return info;
            info.seeded = true;
        }
        // From here on (the demo data is read from the log like any backlog).
        m_model->setKeepStoredEvents(bool(m_config.onCommitted));
        publishCounters();
        info.ok = true;
        info.counters = m_model->counters();
        return info;
    }

    void runGroup(std::vector<Job>& group)
    {
        if (m_config.receipts)
            m_config.receipts->discardStaged(); // what a rolled-back group folded inline is void
        std::vector<CommandResult> results(group.size());
        const qint64 headBefore = m_model->headPosition();
        QString error;
        bool open = m_model->begin(&error);
        // First without a savepoint per command (WriteModel::handleUnguarded).
        // If one fails after writing, only the whole transaction can undo
        // it: roll back and run the group again, each command in its own
        // savepoint, so that one is undone alone and the others commit.
        if (open && !handleGroup(group, results, false)) {
            m_model->rollbackForRetry();
            open = m_model->begin(&error);
            if (open)
                handleGroup(group, results, true);
        }
        if (!open) {
            for (size_t i = 0; i < group.size(); ++i) {
                results[i] = CommandResult::failed(
                    QStringLiteral("The write store is busy or failed: %1. Nothing was changed.")
                        .arg(error));
                results[i].commandId = metaOf(*group[i].command).id;
            }
        }
        if (open && !m_model->commit(&error)) {
            for (CommandResult& result : results) {
                if (result.accepted() && !result.duplicate)
                    result = CommandResult::failed(
                        QStringLiteral("The write store could not commit: %1. Nothing was changed.")
                            .arg(error));
            }
        }
        const qint64 now = monotonicNowNs();
        publishCounters();
        if (m_config.receipts) {
            for (size_t i = 0; i < group.size(); ++i) {
                const CommandResult& result = results[i];
                if (result.accepted() && !result.duplicate && result.lastPosition > 0)
                    m_config.receipts->committed(result.firstPosition, result.lastPosition, group[i].submittedNs, now);
            }
        }
        if (m_config.onCommitted) {
            // Empty unless this commit succeeded with events in it.
            auto batch = std::make_shared<CommittedBatch>();
            batch->events = m_model->takeCommittedEvents();
            batch->committedNs = now;
            if (!batch->events.isEmpty())
                m_config.onCommitted(std::move(batch));
        }
        {
            std::lock_guard lock(m_mutex);
            m_pending -= int(group.size());
        }
        if (m_model->headPosition() != headBefore)
            Q_EMIT m_bus->committed(m_model->headPosition());
        for (size_t i = 0; i < group.size(); ++i) {
            results[i].submittedNs = group[i].submittedNs;
            results[i].committedNs = now;
        }
        answer(group, results);
    }

    /// Handles every command of the group in the open transaction. The
    /// rejected answers are remembered only once the pass is kept; within
    /// it, a command sent twice gets its first answer from `rejectedNow`.
    /// Returns false (unguarded only) when a command failed after writing:
    /// the transaction must be rolled back and the group run guarded.
    bool handleGroup(const std::vector<Job>& group, std::vector<CommandResult>& results,
                     bool guarded)
    {
        QHash<QUuid, CommandResult> rejectedNow;
        for (size_t i = 0; i < group.size(); ++i) {
            const CommandMeta& meta = metaOf(*group[i].command);
            const CommandResult* earlier = nullptr;
            if (auto kept = m_rejected.constFind(meta.id); kept != m_rejected.cend())
                earlier = &kept.value();
            else if (auto now = rejectedNow.constFind(meta.id); now != rejectedNow.cend())
                earlier = &now.value();
            if (earlier) {
                results[i] = *earlier;
                results[i].duplicate = true;
            } else {
                bool mustRedo = false;
                results[i] = guarded ? m_model->handle(*group[i].command)
                                     : m_model->handleUnguarded(*group[i].command, &mustRedo);
                if (mustRedo)
                    return false;
                if (!m_model->inTransaction()) {
                    // SQLite dropped the transaction (an I/O error, say):
                    // the rest must not commit statement by statement. The
                    // COMMIT then fails, and every command of the group is
                    // answered that nothing was changed, which is true.
                    for (size_t j = i + 1; j < group.size(); ++j) {
                        results[j] = CommandResult::failed(
                            QStringLiteral("The write store failed: SQLite ended the transaction. "
                                           "Nothing was changed."));
                        results[j].commandId = metaOf(*group[j].command).id;
                    }
                    results[i].commandId = meta.id;
                    break;
                }
                if (results[i].status == CommandResult::Status::Rejected)
                    rejectedNow.insert(meta.id, results[i]);
            }
            results[i].commandId = meta.id;
        }
        // In submission order, as before: the cache evicts the oldest first.
        for (size_t i = 0; i < group.size(); ++i) {
            if (results[i].status == CommandResult::Status::Rejected && !results[i].duplicate)
                rememberRejection(results[i]);
        }
        return true;
    }

    void rememberRejection(const CommandResult& result)
    {
        if (m_rejected.size() >= rejectedCacheCapacity)
            m_rejected.remove(m_rejectedOrder.dequeue());
        m_rejected.insert(result.commandId, result);
        m_rejectedOrder.enqueue(result.commandId);
    }

    void failEverything(const QString& reason)
    {
        std::unique_lock lock(m_mutex);
        while (true) {
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty())
                return;
            Job job = std::move(m_queue.front());
            m_queue.pop_front();
            if (job.command) {
                --m_pending;
                answer(job, CommandResult::failed(QStringLiteral("The write store is not open: %1").arg(reason)));
            } else {
                lock.unlock();
                job.task(nullptr);
                lock.lock();
            }
        }
    }

    void publishCounters()
    {
        const WriteCounters counters = m_model->counters();
        m_head.store(counters.headPosition);
        std::lock_guard lock(m_countersMutex);
        m_counters = counters;
    }

    CommandBus* m_bus;
    StoreConfig m_config;
    std::unique_ptr<QThread> m_thread;
    std::unique_ptr<WriteModel> m_model; // worker thread only

    mutable std::mutex m_mutex; // guards the queue
    std::condition_variable m_wake;
    std::deque<Job> m_queue;
    int m_pending = 0;
    bool m_stopping = false;

    QHash<QUuid, CommandResult> m_rejected; // worker thread only
    QQueue<QUuid> m_rejectedOrder;

    std::atomic<qint64> m_head{0};
    std::atomic<Qt::HANDLE> m_threadId{nullptr};
    mutable std::mutex m_countersMutex;
    WriteCounters m_counters;
};

CommandBus::CommandBus(QObject* parent)
    : QObject(parent)
    , m_worker(std::make_unique<Worker>(this))
{
    qRegisterMetaType<CommandResult>();
    qRegisterMetaType<StoreInfo>();
    qRegisterMetaType<WriteCounters>();
}

CommandBus::~CommandBus() { close(); }

QFuture<StoreInfo> CommandBus::open(const StoreConfig& config)
{
    auto promise = std::make_shared<QPromise<StoreInfo>>();
    promise->start();
    QFuture<StoreInfo> future = promise->future();
    m_worker->start(config, promise);
    return future;
}

void CommandBus::close() { m_worker->stop(); }

QFuture<CommandResult> CommandBus::submit(Command command)
{
    auto promise = std::make_shared<QPromise<CommandResult>>();
    promise->start();
    QFuture<CommandResult> future = promise->future();
    Worker::Job job;
    job.submittedNs = monotonicNowNs();
    job.command = std::move(command);
    job.promise = std::move(promise);
    m_worker->enqueue(std::move(job));
    return future;
}

void CommandBus::submit(Command command, QObject* receiver, Reply reply)
{
    Q_ASSERT(receiver && reply);
    Worker::Job job;
    job.submittedNs = monotonicNowNs();
    job.command = std::move(command);
    job.receiver = receiver;
    job.reply = std::move(reply);
    m_worker->enqueue(std::move(job));
}

QFuture<CatalogSnapshot> CommandBus::catalog()
{
    auto promise = std::make_shared<QPromise<CatalogSnapshot>>();
    promise->start();
    QFuture<CatalogSnapshot> future = promise->future();
    Worker::Job job;
    job.task = [promise](WriteModel* model) {
        CatalogSnapshot snapshot;
        if (model)
            snapshot = model->catalog();
        else
            snapshot.error = QStringLiteral("The write store is not open.");
        promise->addResult(snapshot);
        promise->finish();
    };
    m_worker->enqueue(std::move(job));
    return future;
}

qint64 CommandBus::headPosition() const { return m_worker->m_head.load(); }

WriteCounters CommandBus::counters() const
{
    std::lock_guard lock(m_worker->m_countersMutex);
    return m_worker->m_counters;
}

int CommandBus::pendingCommands() const
{
    std::lock_guard lock(m_worker->m_mutex);
    return m_worker->m_pending;
}

QString CommandBus::writeDbPath() const { return m_worker->m_config.writeDbPath; }

Qt::HANDLE CommandBus::workerThreadId() const { return m_worker->m_threadId.load(); }

void CommandBus::injectFailuresBeforeCommit(int count)
{
    Worker::Job job;
    job.task = [count](WriteModel* model) {
        if (model)
            model->injectFailuresBeforeCommit(count);
    };
    m_worker->enqueue(std::move(job));
}

void CommandBus::configureConnection(std::function<void(const QSqlDatabase& db)> change)
{
    Worker::Job job;
    job.task = [change = std::move(change)](WriteModel* model) {
        if (model)
            change(model->db());
    };
    m_worker->enqueue(std::move(job));
}

void CommandBus::setInlineHook(InlineHook hook, const QString& attachReadStore,
                               std::function<void(const QString& problem)> done)
{
    Worker::Job job;
    job.task = [hook = std::move(hook), attachReadStore, done = std::move(done)](WriteModel* model) {
        const auto report = [&done](const QString& problem) {
            if (done)
                done(problem);
        };
        if (!model)
            return report(QStringLiteral("The write store is not open."));
        // ATTACH/DETACH cannot run inside a transaction; tasks run between groups.
        QSqlQuery attached(model->db());
        bool isAttached = false;
        if (attached.exec(QStringLiteral("PRAGMA database_list"))) {
            while (attached.next())
                isAttached = isAttached || attached.value(1).toString() == QStringLiteral("readstore");
        }
        attached.finish();
        model->setInlineHook({}); // drop the old hook's statements before detaching
        QString problem;
        if (isAttached) {
            QSqlQuery detach(model->db());
            if (!detach.exec(QStringLiteral("DETACH DATABASE readstore")))
                problem = QStringLiteral("The read store could not be detached from the write connection: %1.")
                              .arg(detach.lastError().text());
        }
        if (!attachReadStore.isEmpty() && problem.isEmpty()) {
            QSqlQuery attach(model->db());
            attach.prepare(QStringLiteral("ATTACH DATABASE ? AS readstore"));
            attach.addBindValue(attachReadStore);
            if (!attach.exec()) {
                problem = QStringLiteral("%1 could not be attached to the write connection: %2. "
                                         "Synchronous update is off; the projectors fold the views instead.")
                              .arg(attachReadStore, attach.lastError().text());
                return report(problem);
            }
        }
        if (!attachReadStore.isEmpty() && !problem.isEmpty())
            return report(problem + QStringLiteral(" Synchronous update is off; the projectors fold the views instead."));
        model->setInlineHook(hook);
        report(problem);
    };
    m_worker->enqueue(std::move(job));
}

} // namespace cqrs
