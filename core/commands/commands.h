#pragma once

#include <QList>
#include <QMetaType>
#include <QString>
#include <QUuid>

#include <optional>
#include <variant>

namespace cqrs {

/// Where a command came from. Recorded with every event it produces so the
/// history shows who did what (the form, the traffic simulator, a future API).
enum class CommandOrigin { Form, Simulator, Api, Seed, Test };

QString originName(CommandOrigin origin);
std::optional<CommandOrigin> originFromName(const QString& name);

/// A new command id: a UUID version 7 (RFC 9562), the Unix time in ms
/// followed by a counter and random bits, strictly increasing within this
/// process. Ids that grow with time land at the right edge of the write
/// store's idempotency index, so a commit dirties a page or two of it instead
/// of one random page per command (which had tripled the WAL written per
/// order). Any UUID is accepted from a client; this is just the fast kind.
QUuid newCommandId();

/// What every command carries: a unique id (for idempotency) and its origin.
struct CommandMeta
{
    QUuid id = newCommandId();
    CommandOrigin origin = CommandOrigin::Form;
};

/// Limits the business rules enforce. Public so forms can validate early.
namespace Limits {
inline constexpr int maxLinesPerOrder = 20;
inline constexpr int maxQuantityPerLine = 100;
inline constexpr qint64 maxPriceCents = 10'000'000; // 100,000.00
inline constexpr int maxRestockQuantity = 10'000;
inline constexpr int maxNameLength = 120;
inline constexpr int maxReasonLength = 500;
} // namespace Limits

struct RegisterCustomer
{
    CommandMeta meta;
    QString name;
    QString email;
    QString city;
};

/// Lists a new product in the catalog (used by the demo data and admins).
struct AddProduct
{
    CommandMeta meta;
    QString sku;
    QString name;
    QString category;
    qint64 priceCents = 0;
    int stock = 0;
};

struct OrderLineRequest
{
    qint64 productId = 0;
    int quantity = 0;
    /// The unit price the customer was shown. When set and the price has
    /// changed since, the order is rejected (optimistic concurrency).
    std::optional<qint64> shownUnitPriceCents;
};

struct PlaceOrder
{
    CommandMeta meta;
    qint64 customerId = 0;
    QList<OrderLineRequest> lines;
};

struct CancelOrder
{
    CommandMeta meta;
    qint64 orderId = 0;
    QString reason;
};

struct ChangeProductPrice
{
    CommandMeta meta;
    qint64 productId = 0;
    qint64 newPriceCents = 0;
    QString reason;
    std::optional<int> expectedVersion;
};

struct RestockProduct
{
    CommandMeta meta;
    qint64 productId = 0;
    int quantity = 0;
    std::optional<int> expectedVersion;
};

struct DiscontinueProduct
{
    CommandMeta meta;
    qint64 productId = 0;
    std::optional<int> expectedVersion;
};

/// A command is one explicit intent, as a value.
using Command = std::variant<RegisterCustomer, AddProduct, PlaceOrder, CancelOrder,
                             ChangeProductPrice, RestockProduct, DiscontinueProduct>;

const CommandMeta& metaOf(const Command& command);
/// "PlaceOrder", "CancelOrder", ...
QString commandName(const Command& command);

} // namespace cqrs

Q_DECLARE_METATYPE(cqrs::Command)
