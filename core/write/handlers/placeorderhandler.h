#pragma once

#include "commands/commandresult.h"
#include "commands/commands.h"
#include "write/sqlitestatement.h"

struct sqlite3;

namespace cqrs {

struct CommandContext;

/// PlaceOrder: an order of a known customer, each line a product still sold,
/// in stock, at the price the customer was shown; the stock goes down.
/// Appends OrderPlaced.
///
/// The hottest command, so it runs on statements of its own on SQLite's C
/// API and writes the event payload while it checks the lines: names go from
/// SQLite's UTF-8 straight into the JSON, without a QString in between.
class PlaceOrderHandler final
{
public:
    /// Prepares the statements on the write connection `db` (see invalid()).
    explicit PlaceOrderHandler(sqlite3* db);
    ~PlaceOrderHandler();
    PlaceOrderHandler(const PlaceOrderHandler&) = delete;
    PlaceOrderHandler& operator=(const PlaceOrderHandler&) = delete;

    /// The first statement that did not prepare, or nullptr.
    const SqliteStatement* invalid() const;

    CommandResult handle(const PlaceOrder& command, CommandContext& context);

private:
    SqliteStatement m_customerName;
    SqliteStatement m_product;
    SqliteStatement m_insertOrder;
    SqliteStatement m_insertLine;
    SqliteStatement m_takeStock;
};

} // namespace cqrs
