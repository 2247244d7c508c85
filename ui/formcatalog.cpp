#include "ui/formcatalog.h"

namespace cqrs::ui {

bool FormCatalog::takeCustomers(const CustomerStatsResult& result)
{
    if (!result.meta.ok() || result.meta.position < m_customersPosition)
        return false;
    m_customersPosition = result.meta.position;
    m_customers = result.rows;
    return true;
}

bool FormCatalog::takeProducts(const ProductSalesResult& result)
{
    if (!result.meta.ok() || result.meta.position < m_productsPosition)
        return false;
    m_productsPosition = result.meta.position;
    m_products = result.rows;
    return true;
}

void FormCatalog::clear()
{
    m_customers.clear();
    m_products.clear();
    m_customersPosition = m_productsPosition = -1;
}

CatalogSnapshot FormCatalog::snapshot() const
{
    CatalogSnapshot catalog;
    for (const CustomerStatsRow& c : m_customers)
        catalog.customers.append({c.customerId, c.name, QString(), c.city});
    for (const ProductSalesRow& p : m_products)
        catalog.products.append({p.productId, p.sku, p.name, p.category, p.priceCents, int(p.stock), p.discontinued, 0});
    return catalog;
}

} // namespace cqrs::ui
