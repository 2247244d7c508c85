#pragma once

#include "read/queryresults.h"
#include "write/catalogsnapshot.h"

namespace cqrs::ui {

/// The customers and products the checkout form offers, fed by the
/// Customers and Products views, and only ever moving forward: an answer
/// that reflects an earlier position than the last one taken (a rebuild
/// replaying from 0, a store switch catching up) is not taken, so a view
/// being rebuilt never takes a chosen customer out of the form.
class FormCatalog final
{
public:
    /// Whether the answer was taken (it reflects at least the last position).
    bool takeCustomers(const CustomerStatsResult& result);
    bool takeProducts(const ProductSalesResult& result);
    /// A new store: nothing known, any position is taken.
    void clear();

    CatalogSnapshot snapshot() const;
    const QList<ProductSalesRow>& products() const { return m_products; }

private:
    QList<CustomerStatsRow> m_customers;
    QList<ProductSalesRow> m_products;
    qint64 m_customersPosition = -1;
    qint64 m_productsPosition = -1;
};

} // namespace cqrs::ui
