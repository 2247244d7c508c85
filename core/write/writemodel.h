#pragma once

#include "commands/commandresult.h"
#include "commands/commands.h"
#include "events/event.h"
#include "util/sqlconnection.h"
#include "write/catalogsnapshot.h"

#include <QByteArray>
#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

#include <functional>
#include <memory>
#include <utility>

namespace cqrs {


/// The normalized write model: applies the business rules of each command to
/// the write store and appends the events that describe the change, in the
/// same transaction. Lives on the command worker thread, which owns its
/// connection; nothing here is thread-safe on purpose.
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
    void setKeepStoredEvents(bool keep) { m_keepStored = keep; }
    /// After a successful commit(): the events it made durable, oldest
    /// first (empty unless kept). The list is moved out.
    QList<StoredEvent> takeCommittedEvents() { return std::exchange(m_committedEvents, {}); }

    /// Applies one command in a savepoint of the open transaction. When
    /// `appended` is given, the accepted command's events are added to it
    /// (their payloads parsed back from the stored JSON, so only ask when
    /// they are needed; result.firstPosition/lastPosition say where they are).
    CommandResult handle(const Command& command, EventList* appended = nullptr);
    /// The same without the savepoint, for a group commit's first attempt:
    /// a savepoint costs two statements and a copy of every page the
    /// command changes, ~15 % of a grouped PlaceOrder's CPU. Most commands
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
    qint64 headPosition() const { return m_committedHead; }
    WriteCounters counters() const { return m_counters; }
    CatalogSnapshot catalog();

    /// Test hook: the next `count` commands fail after writing their state and
    /// events, just before their savepoint is released.
    void injectFailuresBeforeCommit(int count) { m_injectedFailures = count; }
    void setInlineHook(InlineHook hook) { m_inlineHook = std::move(hook); }

private:
    struct Outcome;
    struct Product;
    struct HotStatements;

    QSqlQuery& prepared(const QString& sql);
    bool run(QSqlQuery& query, QString* error);
    bool loadCounters(QString* error);
    std::optional<Product> loadProduct(qint64 id, QString* error);
    /// The UTF-8 of a name bound with every command (event type, origin,
    /// command kind), converted once: bound as UTF-16, SQLite allocated and
    /// converted for each.
    QByteArrayView utf8Name(const QString& name);
    std::optional<CommandResult> rejectStaleVersion(const Product& product,
                                                    std::optional<int> expected) const;
    /// Appends one event whose payload is the JSON in m_payload.
    bool appendEvent(EventType type, qint64 aggregateId, const CommandMeta& meta,
                     Outcome& outcome, QString* error);

    CommandResult handle(const Command& command, EventList* appended, bool guarded,
                         bool* mustRedo);
    CommandResult apply(const RegisterCustomer& command, Outcome& outcome);
    CommandResult apply(const AddProduct& command, Outcome& outcome);
    CommandResult apply(const PlaceOrder& command, Outcome& outcome);
    CommandResult apply(const CancelOrder& command, Outcome& outcome);
    CommandResult apply(const ChangeProductPrice& command, Outcome& outcome);
    CommandResult apply(const RestockProduct& command, Outcome& outcome);
    CommandResult apply(const DiscontinueProduct& command, Outcome& outcome);

    QString m_path;
    JournalMode m_journal;
    // Declared before the statements so it is destroyed after them.
    std::unique_ptr<SqlConnection> m_connection;
    QHash<QString, std::shared_ptr<QSqlQuery>> m_statements;
    // What every command (and PlaceOrder in full) runs, on the C API.
    std::unique_ptr<HotStatements> m_hot;
    // Reused for every event payload and idempotency answer: no allocation
    // per command once it has grown.
    QByteArray m_payload;
    QByteArray m_answer;
    QHash<QString, QByteArray> m_utf8Names;
    std::shared_ptr<QSqlQuery> m_failedStatement; // the last one that did not prepare
    qint64 m_committedHead = 0;
    qint64 m_tentativeHead = 0;
    WriteCounters m_counters;
    WriteCounters m_tentativeCounters;
    int m_injectedFailures = 0;
    int m_injectedAtBegin = 0; // restored by rollbackForRetry()
    InlineHook m_inlineHook;
    bool m_keepStored = false;
    QList<StoredEvent> m_uncommittedEvents; // appended by accepted commands, this transaction
    QList<StoredEvent> m_committedEvents;   // of the last commit, until taken
};

} // namespace cqrs
