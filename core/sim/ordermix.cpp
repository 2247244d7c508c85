#include "sim/ordermix.h"

namespace cqrs {

namespace {
constexpr qsizetype maxRememberedOrders = 2'000;
}

OrderMix::OrderMix(const CatalogSnapshot& catalog, quint32 seed, Options options)
    : m_options(options)
    , m_random(seed)
{
    for (const ProductInfo& product : catalog.products) {
        if (product.discontinued)
            continue;
        m_productIndex.insert(product.id, m_products.size());
        m_products.append(product);
    }
    for (const CustomerInfo& customer : catalog.customers)
        m_customerIds.append(customer.id);
}

int OrderMix::pick(int size) { return std::uniform_int_distribution<int>(0, size - 1)(m_random); }

Command OrderMix::next()
{
    // Keep the shelves filled first: a restock when stock looks low.
    for (ProductInfo& product : m_products) {
        if (product.stock < m_options.restockBelow) {
            product.stock += 300; // optimistic; corrected by observe()
            return RestockProduct{{newCommandId(), m_options.origin}, product.id, 300, {}};
        }
    }
    if (!m_options.ordersOnly) {
        const int roll = pick(1000);
        if (roll < 40 && !m_openOrders.isEmpty()) { // 4% cancels
            const int index = pick(int(m_openOrders.size()));
            const qint64 orderId = m_openOrders.takeAt(index);
            return CancelOrder{{newCommandId(), m_options.origin}, orderId,
                               QStringLiteral("changed their mind")};
        }
        if (roll < 42) { // 0.2% price changes, within ±8%: rare enough for people to keep up
            ProductInfo& product = m_products[pick(int(m_products.size()))];
            const int percent = std::uniform_int_distribution<int>(-8, 8)(m_random);
            qint64 newPrice = std::max<qint64>(99, product.priceCents * (100 + percent) / 100);
            if (newPrice == product.priceCents)
                newPrice += 10;
            return ChangeProductPrice{{newCommandId(), m_options.origin},
                                      product.id,
                                      newPrice,
                                      QStringLiteral("simulated repricing"),
                                      {}};
        }
        if (roll < 62) // 2% orders that break a rule
            return makeOrder(true);
    }
    return makeOrder(false);
}

PlaceOrder OrderMix::makeOrder(bool breakARule)
{
    PlaceOrder order;
    order.meta = {newCommandId(), m_options.origin};
    order.customerId = m_customerIds.at(pick(int(m_customerIds.size())));
    // Mostly 1-3 lines, sometimes up to 6.
    const int lineCount = pick(10) < 8 ? 1 + pick(3) : 1 + pick(6);
    for (int i = 0; i < lineCount; ++i) {
        ProductInfo& product = m_products[pick(int(m_products.size()))];
        const int quantity = pick(10) < 7 ? 1 : 1 + pick(4);
        product.stock -= quantity;
        order.lines.append({product.id, quantity, product.priceCents});
    }
    if (breakARule) {
        switch (pick(3)) {
        case 0:
            order.lines.first().quantity = 0;
            break;
        case 1:
            order.lines.first().quantity = Limits::maxQuantityPerLine + 1 + pick(50);
            break;
        default:
            order.lines.first().productId = 1'000'000 + pick(1000);
            break;
        }
    }
    return order;
}

void OrderMix::observe(const Command& command, const CommandResult& result)
{
    if (std::holds_alternative<PlaceOrder>(command)) {
        if (result.accepted()) {
            m_openOrders.append(result.entityId);
            if (m_openOrders.size() > maxRememberedOrders)
                m_openOrders.removeFirst();
        }
    } else if (const auto* price = std::get_if<ChangeProductPrice>(&command)) {
        if (result.accepted()) {
            const auto it = m_productIndex.constFind(price->productId);
            if (it != m_productIndex.cend())
                m_products[*it].priceCents = price->newPriceCents;
        }
    }
}

} // namespace cqrs
