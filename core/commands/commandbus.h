#pragma once

#include "commands/commandresult.h"
#include "commands/commands.h"
#include "events/event.h"
#include "util/sqlconnection.h"
#include "write/catalogsnapshot.h"
#include "write/storeinfo.h"

#include <QFuture>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

class QSqlDatabase;

namespace cqrs {

class ReceiptRecorder;

struct StoreConfig
{
    /// The write store file (created when missing).
    QString writeDbPath;
    /// Load the demo catalog and customers when the store has no products.
    bool seedDemoData = true;
    /// Up to this many queued commands share one transaction (each still
    /// atomic on its own). 1 = one transaction per command.
    int maxGroupSize = 64;
    /// The journal the write store runs on (see JournalMode). Leaving WAL
    /// needs every other connection to the file closed.
    JournalMode journal = JournalMode::WriteAheadLog;
    /// When set, called on the worker thread after every commit that
    /// appended events, with those events as stored and the moment COMMIT
    /// returned; before committed() is emitted. It must not block: it hands
    /// the batch on (the Lab queues it to the projectors, which then need
    /// not read those events back from the log).
    std::function<void(std::shared_ptr<const CommittedBatch> batch)> onCommitted;
    /// When set, each accepted command's submit and commit times go here,
    /// before onCommitted (so the projectors find them). It outlives the bus.
    ReceiptRecorder* receipts = nullptr;
};

/// The way commands reach the write side.
///
/// One dedicated worker thread opens and owns the write connection and runs
/// the handlers one at a time. submit() may be called from any thread: it
/// queues the command and returns at once with a future for the answer.
/// Commands that are queued together are committed together (group commit),
/// each atomic on its own: a rejected command is turned down before it
/// writes, and a command that fails after writing makes the worker run the
/// group again with a savepoint per command, so only that one is undone
/// (WriteModel::handleUnguarded()). committed() is emitted, from the worker
/// thread, after every commit that appended events.
class CommandBus final : public QObject
{
    Q_OBJECT

public:
    using InlineHook =
        std::function<bool(const QSqlDatabase& db, const EventList& events, QString* error)>;

    explicit CommandBus(QObject* parent = nullptr);
    ~CommandBus() override;

    /// Starts the worker thread, which opens (creating, migrating and, when
    /// empty, seeding) the write store. Commands submitted before the store is
    /// open wait in the queue.
    QFuture<StoreInfo> open(const StoreConfig& config);
    /// Stops the worker after it has answered everything queued. Idempotent.
    void close();

    QFuture<CommandResult> submit(Command command);

    using Reply = std::function<void(const CommandResult& result)>;
    /// submit() for high rates (the simulators): `reply` runs on `receiver`'s
    /// thread, queued; the answers of one commit group for the same receiver
    /// arrive in one event. `receiver` must outlive every answer it waits for
    /// (the simulators count what is in flight and wait for it). Once the bus
    /// is closing, a new command is answered "closed" at once, possibly before
    /// the answers to earlier commands the worker is still finishing.
    void submit(Command command, QObject* receiver, Reply reply);
    /// Products and customers as the write store has them now (for simulators).
    QFuture<CatalogSnapshot> catalog();

    /// Last committed event position; safe from any thread.
    qint64 headPosition() const;
    /// A copy of the write-side counters; safe from any thread.
    WriteCounters counters() const;
    /// Commands submitted but not answered yet.
    int pendingCommands() const;
    QString writeDbPath() const;
    /// The worker thread, for tests that check where handlers run.
    Qt::HANDLE workerThreadId() const;

    /// Test hook: the next `count` accepted commands fail after writing their
    /// state and events, before their command is confirmed.
    void injectFailuresBeforeCommit(int count);
    /// Runs `hook` inside each accepted command's transaction (synchronous
    /// read-model update). Pass an empty hook to switch it off. When the
    /// read tables live in another file, `attachReadStore` names it: the
    /// worker attaches it to the write connection (SQLite resolves the
    /// unqualified rv_* tables there) and detaches it when switched off.
    /// If the file cannot be attached, no hook is installed. `done` runs on
    /// the worker afterwards with what went wrong, or an empty text.
    void setInlineHook(InlineHook hook, const QString& attachReadStore = {},
                       std::function<void(const QString& problem)> done = {});

    /// Runs `change` on the worker thread between two groups, with the write
    /// connection (e.g. a PRAGMA). It is queued behind the commands already
    /// submitted.
    void configureConnection(std::function<void(const QSqlDatabase& db)> change);

Q_SIGNALS:
    /// New events up to lastPosition are committed and readable.
    void committed(qint64 lastPosition);

private:
    class Worker;
    std::unique_ptr<Worker> m_worker;
};

} // namespace cqrs
