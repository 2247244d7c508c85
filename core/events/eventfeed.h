#pragma once

#include "events/event.h"
#include "events/eventlogreader.h"

#include <deque>

namespace cqrs {

/// The event log as the projectors on one thread read it: a window of the
/// most recently fetched events, shared, so that five views following the
/// head (or rebuilding side by side) read and parse each event once instead
/// of five times. Positions are gap-free, so a position is an index into the
/// window. Same threading rules as EventLogReader: one thread.
class EventFeed final
{
public:
    /// `capacity`: the most events the window ever keeps (a projector that
    /// falls further behind than the window reads the log itself). Within
    /// that, the window keeps twice the largest batch asked for lately, so
    /// live projectors asking for a few hundred events hold a few thousand
    /// in memory, and a rebuild asking for 10,000 gets room while it lasts.
    explicit EventFeed(QString writeDbPath, int capacity = defaultCapacity);

    /// Events with position > after, oldest first, at most maxCount; the
    /// same contract as EventLogReader::readAfter (on a log error, the
    /// events before the bad one and the error).
    EventList readAfter(qint64 after, int maxCount, QString* error = nullptr);
    /// Drops the window and the connection (call on the feed's thread).
    void close();

    /// How many reads the log answered, and how many the window did (tests).
    qint64 logReads() const { return m_logReads; }
    qint64 windowReads() const { return m_windowReads; }
    qsizetype windowSize() const { return qsizetype(m_window.size()); }

    static constexpr int defaultCapacity = 20'000;
    static constexpr int minimumWindow = 1'024;

private:
    EventList fetch(qint64 after, int maxCount, QString* error);
    void append(const EventList& events);

    EventLogReader m_log;
    const size_t m_capacity;
    size_t m_recentWant = 0; // the largest maxCount lately, decaying
    std::deque<Event> m_window; // contiguous positions
    qint64 m_logReads = 0;
    qint64 m_windowReads = 0;
};

} // namespace cqrs
