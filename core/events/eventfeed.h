#pragma once

#include "events/event.h"
#include "events/eventlogreader.h"

#include <atomic>
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
    /// The events of one commit, as the command worker stored them: they
    /// extend the window without a trip to the log, and are parsed when first
    /// read. Events the window has already are skipped; a batch that does
    /// not follow the window's end starts a new one (the positions between
    /// come from the log when asked for). Remembers the commit time too.
    void offer(const CommittedBatch& batch);
    /// When the commit that made `position` durable returned (monotonic ns),
    /// if that commit was offered lately; 0 otherwise.
    qint64 commitTimeOf(qint64 position) const;
    /// While every commit is offered, a read past the last one finds nothing
    /// new in the log and does not ask it (the next commit's offer wakes the
    /// reader). This makes the next such read ask the log anyway: the
    /// projectors' fallback poll calls it, in case something was written
    /// that was not offered.
    void verifyWithLog() { m_offeredUpTo = 0; }
    /// How many batches were offered so far.
    qint64 offers() const { return m_offers; }
    /// Drops the window and the connection (call on the feed's thread).
    void close();

    /// How many reads the log answered, and how many the window did; the
    /// counters may be read from any thread.
    qint64 logReads() const { return m_logReads.load(std::memory_order_relaxed); }
    qint64 windowReads() const { return m_windowReads.load(std::memory_order_relaxed); }
    /// Events held: parsed, plus offered and not parsed yet.
    qsizetype windowSize() const { return qsizetype(m_window.size() + m_offered.size()); }

    static constexpr int defaultCapacity = 20'000;
    static constexpr int minimumWindow = 1'024;
    /// Commit times kept, enough for the longest injected delay at the
    /// simulator's commit rate (docs/architecture.md, "Measuring lag").
    static constexpr size_t maxReceipts = 16'384;

private:
    EventList fetch(qint64 after, int maxCount, QString* error);
    void append(const EventList& events);
    /// Parses offered events into the window, up to position `upTo`.
    void parseOffered(qint64 upTo);
    /// Keeps the window (and the offered events after it) within bounds.
    void trim();
    qint64 firstHeld() const;
    qint64 lastHeld() const;

    EventLogReader m_log;
    const size_t m_capacity;
    size_t m_recentWant = 0; // the largest maxCount lately, decaying
    std::deque<Event> m_window; // contiguous positions
    std::deque<StoredEvent> m_offered; // continue m_window, not parsed yet
    struct Receipt
    {
        qint64 first = 0;
        qint64 last = 0;
        qint64 committedNs = 0;
    };
    std::deque<Receipt> m_receipts; // of the commits offered lately, oldest first
    qint64 m_offeredUpTo = 0; // the last offered position, while offers continue the window
    qint64 m_offers = 0;
    std::atomic<qint64> m_logReads{0};
    std::atomic<qint64> m_windowReads{0};
};

} // namespace cqrs
