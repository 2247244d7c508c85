#pragma once

#include "commands/commands.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QUuid>

#include <optional>

namespace cqrs {

/// The kinds of fact the write side records.
enum class EventType {
    CustomerRegistered,
    ProductAdded,
    OrderPlaced,
    OrderCancelled,
    ProductPriceChanged,
    ProductRestocked,
    ProductDiscontinued,
};

QString eventTypeName(EventType type);
std::optional<EventType> eventTypeFromName(const QString& name);

/// One entry of the event log: a fact with its gap-free global position.
struct Event
{
    qint64 position = 0;
    EventType type = EventType::OrderPlaced;
    /// The order, customer or product the event is about.
    qint64 aggregateId = 0;
    QJsonObject payload;
    /// Commit time: wall clock for display, monotonic for latencies.
    qint64 committedAtMs = 0;
    qint64 committedMonoNs = 0;
    QUuid commandId;
    CommandOrigin origin = CommandOrigin::Form;

    /// A one-line description for people ("Order #12 placed by Alice: 3 items, 25.50").
    QString summary() const;
};

using EventList = QList<Event>;

/// An event as it is stored: the payload still its UTF-8 JSON. The command
/// worker hands these to the projectors after each commit; the log reader
/// builds them from rows. parsed() turns one into an Event, the same way
/// for both, on the reader's thread.
struct StoredEvent
{
    qint64 position = 0;
    EventType type = EventType::OrderPlaced;
    qint64 aggregateId = 0;
    QByteArray payload;
    qint64 committedAtMs = 0;
    qint64 committedMonoNs = 0;
    QUuid commandId;
    CommandOrigin origin = CommandOrigin::Form;

    Event parsed() const;
};

/// The events one commit of the write store made durable (positions
/// contiguous, oldest first) and the moment that COMMIT returned, on the
/// monotonic clock. An event's committedMonoNs is earlier: it is taken when
/// its command is handled, before the group it is part of commits.
struct CommittedBatch
{
    QList<StoredEvent> events;
    qint64 committedNs = 0;
};

} // namespace cqrs

Q_DECLARE_METATYPE(cqrs::Event)
Q_DECLARE_METATYPE(cqrs::EventList)
