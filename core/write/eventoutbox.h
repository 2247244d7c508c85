#pragma once

#include "commands/commands.h"
#include "events/event.h"
#include "events/jsonwriter.h"
#include "write/utf8names.h"

#include <QByteArray>
#include <QList>

#include <memory>
#include <utility>

struct sqlite3;

namespace cqrs {

class SqliteStatement;

/// Where the write model's events go: each is appended to the `events` table
/// in the transaction of the command that made it, at the next gap-free
/// position. It keeps, until the transaction ends, the stored form of what
/// the transaction appended (when asked), and the current command's events
/// as values when someone needs them.
///
/// Use: begin(); for each command beginCommand(), payload() and append()
/// per event, dropCommand() if the command is undone; then commit() or
/// rollback().
class EventOutbox final
{
public:
    EventOutbox();
    ~EventOutbox();
    EventOutbox(const EventOutbox&) = delete;
    EventOutbox& operator=(const EventOutbox&) = delete;

    /// Prepares the INSERT on the write connection `db`; close() drops it,
    /// which must happen before the connection closes.
    void prepare(sqlite3* db);
    void close();
    /// The INSERT (after prepare()), for the check that it prepared.
    const SqliteStatement& statement() const { return *m_insert; }

    /// Positions continue after `head`, the last one in the store.
    void startAfter(qint64 head);
    /// The last committed position.
    qint64 head() const { return m_committedHead; }

    /// Keep the stored form of what accepted commands append until the
    /// transaction ends.
    void setKeepStored(bool keep) { m_keepStored = keep; }
    /// What the last commit made durable, oldest first (empty unless kept).
    QList<StoredEvent> takeCommitted() { return std::exchange(m_committed, {}); }

    /// begin() and rollback() forget what the transaction appended; commit()
    /// makes it the committed events and its last position the head.
    void begin();
    void commit();
    void rollback();

    /// The command whose events follow: they carry `meta` and its clock.
    /// With `keepEvents`, events() has them as values (payload parsed back).
    void beginCommand(const CommandMeta& meta, qint64 nowMs, qint64 nowNs, bool keepEvents);
    /// A writer for the payload of the next event, into a buffer cleared
    /// here and reused (no allocation per command once it has grown).
    JsonWriter payload()
    {
        m_payload.resize(0);
        return JsonWriter(&m_payload);
    }
    /// Appends an event of `type` about `aggregateId` with the payload just
    /// written; false with *error set when the INSERT fails.
    bool append(EventType type, qint64 aggregateId, QString* error);
    /// Forgets what the current command appended (its rows go with the
    /// savepoint or transaction the caller rolls back).
    void dropCommand();

    /// The current command's events: positions, count, values if kept.
    qint64 firstPosition() const { return m_firstPosition; }
    qint64 lastPosition() const { return m_lastPosition; }
    qint64 eventCount() const { return m_eventCount; }
    const EventList& events() const { return m_events; }

private:
    std::unique_ptr<SqliteStatement> m_insert;
    Utf8Names m_names;
    QByteArray m_payload;
    qint64 m_committedHead = 0;
    qint64 m_head = 0; // of the open transaction
    bool m_keepStored = false;
    QList<StoredEvent> m_uncommitted; // appended by accepted commands, this transaction
    QList<StoredEvent> m_committed;   // of the last commit, until taken

    // The current command.
    const CommandMeta* m_meta = nullptr;
    qint64 m_nowMs = 0;
    qint64 m_nowNs = 0;
    bool m_keepEvents = false;
    qint64 m_headBefore = 0;
    qsizetype m_storedBefore = 0;
    qint64 m_firstPosition = 0;
    qint64 m_lastPosition = 0;
    qint64 m_eventCount = 0;
    EventList m_events;
};

} // namespace cqrs
