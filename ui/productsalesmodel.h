#pragma once

#include "read/queryresults.h"
#include "ui/rowtablemodel.h"

namespace cqrs::ui {

/// The ProductSales view as a table: units sold and revenue next to the
/// current price, stock and whether the product is discontinued.
class ProductSalesModel final : public RowTableModel<ProductSalesRow>
{
public:
    enum ColumnId { SkuColumn, NameColumn, CategoryColumn, UnitsColumn, RevenueColumn, PriceColumn, StockColumn };
    explicit ProductSalesModel(QObject* parent = nullptr);

protected:
    QVariant rowData(const ProductSalesRow& row, int column, int role) const override;
};

} // namespace cqrs::ui
