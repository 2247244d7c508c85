#include "events/event.h"

#include "util/money.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <string>

namespace cqrs {

namespace {
struct TypeName
{
    EventType type;
    const char16_t* name;
};
constexpr TypeName typeNames[] = {
    {EventType::CustomerRegistered, u"CustomerRegistered"},
    {EventType::ProductAdded, u"ProductAdded"},
    {EventType::OrderPlaced, u"OrderPlaced"},
    {EventType::OrderCancelled, u"OrderCancelled"},
    {EventType::ProductPriceChanged, u"ProductPriceChanged"},
    {EventType::ProductRestocked, u"ProductRestocked"},
    {EventType::ProductDiscontinued, u"ProductDiscontinued"},
};
} // namespace

Event StoredEvent::parsed() const
{
    Event event;
    event.position = position;
    event.type = type;
    event.aggregateId = aggregateId;
    event.payload = QJsonDocument::fromJson(payload).object();
    event.committedAtMs = committedAtMs;
    event.committedMonoNs = committedMonoNs;
    event.commandId = commandId;
    event.origin = origin;
    return event;
}

QString eventTypeName(EventType type)
{
    // The names are static: no copy (the write path binds one per event).
    for (const TypeName& entry : typeNames) {
        if (entry.type == type)
            return QString::fromRawData(reinterpret_cast<const QChar*>(entry.name),
                                        std::char_traits<char16_t>::length(entry.name));
    }
    return {};
}

std::optional<EventType> eventTypeFromName(const QString& name)
{
    for (const TypeName& entry : typeNames) {
        if (name == QStringView(entry.name))
            return entry.type;
    }
    return std::nullopt;
}

QString Event::summary() const
{
    const auto str = [this](const char* key) { return payload.value(QLatin1StringView(key)).toString(); };
    const auto num = [this](const char* key) {
        return payload.value(QLatin1StringView(key)).toInteger();
    };
    switch (type) {
    case EventType::CustomerRegistered:
        return QStringLiteral("Customer #%1 registered: %2").arg(aggregateId).arg(str("name"));
    case EventType::ProductAdded:
        return QStringLiteral("Product #%1 added: %2 at %3, %4 in stock")
            .arg(aggregateId)
            .arg(str("name"), formatCents(num("priceCents")))
            .arg(num("stock"));
    case EventType::OrderPlaced: {
        qint64 items = 0;
        for (const QJsonValue& line : payload.value(QStringLiteral("lines")).toArray())
            items += line.toObject().value(QStringLiteral("quantity")).toInteger();
        return QStringLiteral("Order #%1 placed by %2: %3 item(s), %4")
            .arg(aggregateId)
            .arg(str("customerName"))
            .arg(items)
            .arg(formatCents(num("totalCents")));
    }
    case EventType::OrderCancelled:
        return QStringLiteral("Order #%1 cancelled (%2 returned to stock)")
            .arg(aggregateId)
            .arg(formatCents(num("totalCents")));
    case EventType::ProductPriceChanged:
        return QStringLiteral("%1: price %2 → %3 (%4)")
            .arg(str("name"), formatCents(num("oldPriceCents")), formatCents(num("newPriceCents")),
                 str("reason"));
    case EventType::ProductRestocked:
        return QStringLiteral("%1 restocked: +%2, now %3")
            .arg(str("name"))
            .arg(num("quantity"))
            .arg(num("stockAfter"));
    case EventType::ProductDiscontinued:
        return QStringLiteral("%1 discontinued").arg(str("name"));
    }
    return {};
}

} // namespace cqrs
