#include "events/eventfeed.h"

namespace cqrs {

EventFeed::EventFeed(QString writeDbPath, int capacity)
    : m_log(std::move(writeDbPath))
    , m_capacity(size_t(std::max(1, capacity)))
{
}

void EventFeed::close()
{
    m_window.clear();
    m_log.close();
}

EventList EventFeed::fetch(qint64 after, int maxCount, QString* error)
{
    ++m_logReads;
    return m_log.readAfter(after, maxCount, error);
}

void EventFeed::append(const EventList& events)
{
    for (const Event& event : events) {
        if (!m_window.empty() && event.position != m_window.back().position + 1)
            m_window.clear(); // not contiguous: start a new window
        m_window.push_back(event);
    }
    const size_t keep = std::clamp(2 * m_recentWant, std::min(size_t(minimumWindow), m_capacity), m_capacity);
    while (m_window.size() > keep)
        m_window.pop_front();
}

EventList EventFeed::readAfter(qint64 after, int maxCount, QString* error)
{
    EventList events;
    if (maxCount <= 0)
        return events;
    m_recentWant = std::max(size_t(maxCount), m_recentWant - m_recentWant / 64);
    const qint64 first = m_window.empty() ? 0 : m_window.front().position;
    const qint64 last = m_window.empty() ? 0 : m_window.back().position;
    if (m_window.empty() || after < first - 1 || after > last) {
        // Outside the window (the first read, a reader far behind or ahead):
        // the window moves to follow this reader.
        events = fetch(after, maxCount, error);
        m_window.clear();
        append(events);
        return events;
    }
    ++m_windowReads;
    const size_t from = size_t(after - (first - 1));
    events.reserve(maxCount);
    for (size_t i = from; i < m_window.size() && events.size() < maxCount; ++i)
        events.append(m_window[i]);
    if (events.size() < maxCount) {
        // The window ends here; what follows comes from the log, and extends it.
        const EventList more = fetch(last, maxCount - int(events.size()), error);
        append(more);
        events.append(more);
    }
    return events;
}

} // namespace cqrs
