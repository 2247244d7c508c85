#pragma once

#include "commands/commandresult.h"
#include "commands/commands.h"
#include "write/catalogsnapshot.h"

#include <QHash>
#include <QList>

#include <random>

namespace cqrs {

/// Makes a realistic, reproducible stream of commands from a catalog
/// snapshot: multi-line orders at the prices the simulated customer was
/// shown, and (unless ordersOnly) occasional cancels, price changes,
/// restocks and orders that break a rule. It learns from the answers
/// (observe()) so prices, stock and order ids stay plausible. Not
/// thread-safe: use it on one thread.
class OrderMix final
{
public:
    struct Options
    {
        bool ordersOnly = false;
        CommandOrigin origin = CommandOrigin::Simulator;
        /// Products whose stock the mix believes is below this get restocked.
        int restockBelow = 20;
    };

    OrderMix(const CatalogSnapshot& catalog, quint32 seed, Options options);

    bool isUsable() const { return !m_products.isEmpty() && !m_customerIds.isEmpty(); }
    Command next();
    /// Feed every answer back so the mix knows accepted orders and prices.
    void observe(const Command& command, const CommandResult& result);

private:
    PlaceOrder makeOrder(bool breakARule);
    int pick(int size);

    Options m_options;
    std::mt19937 m_random;
    QList<ProductInfo> m_products;
    QList<qint64> m_customerIds;
    QList<qint64> m_openOrders; // accepted, not yet cancelled (bounded)
    QHash<qint64, qsizetype> m_productIndex;
};

} // namespace cqrs
