#pragma once

#include "commands/commands.h"

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

} // namespace cqrs

Q_DECLARE_METATYPE(cqrs::Event)
Q_DECLARE_METATYPE(cqrs::EventList)
