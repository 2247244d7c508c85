#pragma once

#include "commands/commandresult.h"
#include "commands/commands.h"
#include "events/event.h"
#include "util/sqlconnection.h"
#include "write/catalogsnapshot.h"
#include "write/eventoutbox.h"
#include "write/utf8names.h"

#include <QByteArray>
#include <QSqlDatabase>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace cqrs {

class CommandIdText;
struct CommandContext;
class PlaceOrderHandler;
class PreparedQueries;
class ProductLoader;

/// The normalized write model: applies the business rules of each command to
/// the write store and appends the events that describe the change, in the
/// same transaction. Lives on the command worker thread, which owns its
/// connection; nothing here is thread-safe on purpose.
///
/// This class is the transaction machinery (group commit, savepoints,
/// idempotency); each command's rules are a handler in write/handlers/, and
/// its events go through the EventOutbox.
///
/// Usage per group of commands: begin(), handle() for each (every command is
/// isolated in a savepoint, so a rejected one leaves no trace), commit().
class WriteModel final
{
public:
    /// Called inside the command's savepoint after its events are appended;
    /// used by the synchronous read-model update mode. Returning false rolls
    /// the command back.
    using InlineHook =
        std::function<bool(const QSqlDatabase& db, const EventList& events, QString* error)>;

    explicit WriteModel(QString path, JournalMode journal = JournalMode::WriteAheadLog);
    ~WriteModel();
    WriteModel(const WriteModel&) = delete;
    WriteModel& operator=(const WriteModel&) = delete;

    /// Opens (creating if needed) and migrates the store.
    bool open(QString* error);
    QSqlDatabase db() const;
    const QString& path() const { return m_path; }

    bool begin(QString* error);
    bool commit(QString* error);
    void rollback();
    /// Rolls back a transaction that is to be run again from the start, as
    /// if it had never begun (test hooks included: see handleUnguarded()).
    void rollbackForRetry();

    /// Keep the events the accepted commands append, as stored, until the
    /// transaction ends (for whoever is told about each commit).
    void setKeepStoredEvents(bool keep) { m_outbox.setKeepStored(keep); }
    /// After a successful commit(): the events it made durable, oldest
    /// first (empty unless kept). The list is moved out.
    QList<StoredEvent> takeCommittedEvents() { return m_outbox.takeCommitted(); }

    /// Applies one command in a savepoint of the open transaction. When
    /// `appended` is given, the accepted command's events are added to it
    /// (their payloads parsed back from the stored JSON, so only ask when
    /// they are needed; result.firstPosition/lastPosition say where they are).
    CommandResult handle(const Command& command, EventList* appended = nullptr);
    /// The same without the savepoint, for a group commit's first attempt:
    /// a savepoint costs two statements and a copy of every page the
    /// command changes (docs/benchmarks.md has the figure). Most commands
    /// are accepted, and a rejected one is turned down before it writes, so
    /// there is nothing to undo. A command that fails after writing sets
    /// *mustRedo: the caller must then rollbackForRetry() and run the whole
    /// transaction again with handle(), where that command is undone alone.
    /// Everything else (counters, events, idempotency) is as with handle().
    CommandResult handleUnguarded(const Command& command, bool* mustRedo);
    /// Whether the transaction begin() opened is still open: SQLite rolls
    /// it back by itself after some errors (I/O, out of memory).
    bool inTransaction() const;

    /// Last committed position.
    qint64 headPosition() const { return m_outbox.head(); }
    WriteCounters counters() const { return m_counters; }
    CatalogSnapshot catalog();

    /// Test hook: the next `count` commands fail after writing their state and
    /// events, just before their savepoint is released.
    void injectFailuresBeforeCommit(int count) { m_injectedFailures = count; }
    void setInlineHook(InlineHook hook) { m_inlineHook = std::move(hook); }

private:
    struct TransactionStatements;

    bool loadCounters(QString* error);
    CommandResult handle(const Command& command, EventList* appended, bool guarded,
                         bool* mustRedo);
    /// The first answer to a command id seen before (or the store's
    /// failure to say); nullopt for a new one.
    std::optional<CommandResult> previousAnswer(const CommandIdText& commandId);
    /// Runs the command's handler.
    CommandResult dispatch(const Command& command, CommandContext& context);
    /// What an accepted command still has to pass before it counts (the
    /// synchronous update, the transaction still open, the test hook), then
    /// its idempotency row; *result becomes the failure if one does not.
    void confirm(CommandResult* result, const Command& command, const CommandIdText& commandId,
                 qint64 nowMs);

    QString m_path;
    JournalMode m_journal;
    // Declared before everything that uses it, so it is destroyed after them.
    std::unique_ptr<SqlConnection> m_connection;
    // What every command runs, on the C API.
    std::unique_ptr<TransactionStatements> m_statements;
    std::unique_ptr<PreparedQueries> m_queries;
    std::unique_ptr<ProductLoader> m_products;
    std::unique_ptr<PlaceOrderHandler> m_placeOrder;
    EventOutbox m_outbox;
    Utf8Names m_commandNames;
    // Reused for every idempotency answer: no allocation per command once
    // it has grown.
    QByteArray m_answer;
    WriteCounters m_counters;
    WriteCounters m_tentativeCounters;
    int m_injectedFailures = 0;
    int m_injectedAtBegin = 0; // restored by rollbackForRetry()
    InlineHook m_inlineHook;
};

} // namespace cqrs
