#include "events/eventfeed.h"

#include <algorithm>

namespace cqrs {

EventFeed::EventFeed(QString writeDbPath, int capacity)
    : m_log(std::move(writeDbPath))
    , m_capacity(size_t(std::max(1, capacity)))
{
}

void EventFeed::close()
{
    m_offeredUpTo = 0;
    m_window.clear();
    m_offered.clear();
    m_receipts.clear();
    m_log.close();
}

EventList EventFeed::fetch(qint64 after, int maxCount, QString* error)
{
    m_logReads.fetch_add(1, std::memory_order_relaxed);
    return m_log.readAfter(after, maxCount, error);
}

qint64 EventFeed::firstHeld() const
{
    if (!m_window.empty())
        return m_window.front().position;
    return m_offered.empty() ? 0 : m_offered.front().position;
}

qint64 EventFeed::lastHeld() const
{
    if (!m_offered.empty())
        return m_offered.back().position;
    return m_window.empty() ? 0 : m_window.back().position;
}

void EventFeed::trim()
{
    const size_t keep = std::clamp(2 * m_recentWant, std::min(size_t(minimumWindow), m_capacity), m_capacity);
    while (m_window.size() + m_offered.size() > keep) {
        if (!m_window.empty())
            m_window.pop_front();
        else
            m_offered.pop_front();
    }
}

void EventFeed::append(const EventList& events)
{
    // Only called with nothing offered after the window (see readAfter).
    for (const Event& event : events) {
        if (!m_window.empty() && event.position != m_window.back().position + 1)
            m_window.clear(); // not contiguous: start a new window
        m_window.push_back(event);
    }
    trim();
}

void EventFeed::offer(const CommittedBatch& batch)
{
    if (batch.events.isEmpty())
        return;
    ++m_offers;
    m_receipts.push_back({batch.events.first().position, batch.events.last().position, batch.committedNs});
    while (m_receipts.size() > maxReceipts)
        m_receipts.pop_front();
    qint64 last = lastHeld();
    // Offers that continue what the window holds (or a first one) say
    // where the log ends; after a gap, only the log can say.
    m_offeredUpTo = (last == 0 || batch.events.first().position <= last + 1) ? batch.events.last().position : 0;
    for (const StoredEvent& event : batch.events) {
        if (last != 0 && event.position <= last)
            continue; // read from the log before this batch arrived
        if (last != 0 && event.position != last + 1) {
            // Something between was never offered: start a new window here.
            m_window.clear();
            m_offered.clear();
        }
        m_offered.push_back(event);
        last = event.position;
    }
    trim();
}

void EventFeed::parseOffered(qint64 upTo)
{
    while (!m_offered.empty() && m_offered.front().position <= upTo) {
        m_window.push_back(m_offered.front().parsed());
        m_offered.pop_front();
    }
}

qint64 EventFeed::commitTimeOf(qint64 position) const
{
    // The receipt with the greatest first position <= position.
    auto it = std::upper_bound(m_receipts.begin(), m_receipts.end(), position,
                               [](qint64 p, const Receipt& r) { return p < r.first; });
    if (it == m_receipts.begin())
        return 0;
    --it;
    return position <= it->last ? it->committedNs : 0;
}

EventList EventFeed::readAfter(qint64 after, int maxCount, QString* error)
{
    EventList events;
    if (maxCount <= 0)
        return events;
    m_recentWant = std::max(size_t(maxCount), m_recentWant - m_recentWant / 64);
    const qint64 first = firstHeld();
    const qint64 last = lastHeld();
    if (first == 0 || after < first - 1 || after > last) {
        // Outside the window (the first read, a reader far behind or ahead):
        // the window moves to follow this reader.
        events = fetch(after, maxCount, error);
        m_window.clear();
        m_offered.clear();
        m_offeredUpTo = 0;
        append(events);
        return events;
    }
    m_windowReads.fetch_add(1, std::memory_order_relaxed);
    parseOffered(after + maxCount);
    const size_t from = size_t(after - (first - 1));
    events.reserve(maxCount);
    for (size_t i = from; i < m_window.size() && events.size() < maxCount; ++i)
        events.append(m_window[i]);
    if (events.size() < maxCount && !(m_offeredUpTo != 0 && m_offeredUpTo == last)) {
        // The window ends here (nothing offered is left after it), and the
        // offers do not say the log ends here too: what follows comes from
        // the log, and extends it.
        const EventList more = fetch(last, maxCount - int(events.size()), error);
        append(more);
        events.append(more);
    }
    return events;
}

} // namespace cqrs
