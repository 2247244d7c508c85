#pragma once

#include "events/event.h"

#include <QString>

#include <memory>

class QSqlQuery;

namespace cqrs {

class SqlConnection;

/// Reads the event log ("events after position P, at most N") through a
/// connection of its own. Create it, use it and destroy it on one thread;
/// the connection is opened lazily on first use, in that thread.
class EventLogReader final
{
public:
    explicit EventLogReader(QString writeDbPath);
    ~EventLogReader();
    EventLogReader(const EventLogReader&) = delete;
    EventLogReader& operator=(const EventLogReader&) = delete;

    /// Events with position > after, oldest first, at most maxCount.
    /// On failure returns an empty list and sets *error.
    EventList readAfter(qint64 after, int maxCount, QString* error = nullptr);
    /// The last position in the log (0 for an empty log), or -1 on failure.
    qint64 headPosition(QString* error = nullptr);
    /// Commit time of the event at `position` (wall ms, monotonic ns);
    /// false when there is no such event.
    bool commitTime(qint64 position, qint64* wallMs, qint64* monoNs, QString* error = nullptr);
    /// How many events of `type` have a position in (after, upTo]; -1 on failure.
    qint64 countOfType(qint64 after, qint64 upTo, EventType type, QString* error = nullptr);
    /// Closes the connection (it reopens on the next use).
    void close();

private:
    bool ensureOpen(QString* error);

    QString m_path;
    // The connection before the statement that uses it, so it outlives it.
    std::unique_ptr<SqlConnection> m_connection;
    // readAfter()'s SELECT, prepared once per connection: the projectors
    // call it on every wake, and parsing it each time cost more than reading
    // the few events a live wake finds.
    std::unique_ptr<QSqlQuery> m_after;
};

} // namespace cqrs
