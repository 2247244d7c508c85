#include "write/eventoutbox.h"

#include "write/commandidtext.h"
#include "write/sqlitestatement.h"

#include <QJsonDocument>

namespace cqrs {

EventOutbox::EventOutbox() = default;

EventOutbox::~EventOutbox() = default;

void EventOutbox::prepare(sqlite3* db)
{
    m_insert = std::make_unique<SqliteStatement>(
        db, "INSERT INTO events (position, type, aggregate_id, payload, committed_at_ms, "
            "committed_mono_ns, command_id, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
}

void EventOutbox::close() { m_insert.reset(); }

void EventOutbox::startAfter(qint64 head) { m_committedHead = m_head = head; }

void EventOutbox::begin()
{
    m_head = m_committedHead;
    m_uncommitted.clear();
}

void EventOutbox::commit()
{
    m_committedHead = m_head;
    m_committed = std::exchange(m_uncommitted, {});
}

void EventOutbox::rollback()
{
    m_head = m_committedHead;
    m_uncommitted.clear();
}

void EventOutbox::beginCommand(const CommandMeta& meta, qint64 nowMs, qint64 nowNs,
                               bool keepEvents)
{
    m_meta = &meta;
    m_nowMs = nowMs;
    m_nowNs = nowNs;
    m_keepEvents = keepEvents;
    m_headBefore = m_head;
    m_storedBefore = m_uncommitted.size();
    m_firstPosition = 0;
    m_lastPosition = 0;
    m_eventCount = 0;
    m_events.clear();
}

void EventOutbox::dropCommand()
{
    m_head = m_headBefore;
    m_uncommitted.resize(m_storedBefore);
}

bool EventOutbox::append(EventType type, qint64 aggregateId, QString* error)
{
    const CommandMeta& meta = *m_meta;
    const qint64 position = m_head + 1;
    const CommandIdText commandId(meta.id);
    SqliteStatement& insert = *m_insert;
    insert.bind(1, position)
        .bindText(2, m_names.utf8(eventTypeName(type)))
        .bind(3, aggregateId)
        .bindText(4, QByteArrayView(m_payload))
        .bind(5, m_nowMs)
        .bind(6, m_nowNs)
        .bindText(7, commandId.view())
        .bindText(8, m_names.utf8(originName(meta.origin)));
    if (!insert.exec(error))
        return false;
    m_head = position;
    if (m_firstPosition == 0)
        m_firstPosition = position;
    m_lastPosition = position;
    ++m_eventCount;
    if (m_keepStored) {
        StoredEvent& stored = m_uncommitted.emplace_back();
        stored.position = position;
        stored.type = type;
        stored.aggregateId = aggregateId;
        stored.payload = m_payload; // a copy: m_payload is reused
        stored.payload.detach();
        stored.committedAtMs = m_nowMs;
        stored.committedMonoNs = m_nowNs;
        stored.commandId = meta.id;
        stored.origin = meta.origin;
    }
    if (m_keepEvents) {
        Event event;
        event.position = position;
        event.type = type;
        event.aggregateId = aggregateId;
        event.payload = QJsonDocument::fromJson(m_payload).object();
        event.committedAtMs = m_nowMs;
        event.committedMonoNs = m_nowNs;
        event.commandId = meta.id;
        event.origin = meta.origin;
        m_events.append(std::move(event));
    }
    return true;
}

} // namespace cqrs
