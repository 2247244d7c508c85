#pragma once

#include "read/queryresults.h"
#include "ui/rowtablemodel.h"

namespace cqrs::ui {

/// The CustomerOrderStats view as a table: orders, cancellations, spending.
class CustomerStatsModel final : public RowTableModel<CustomerStatsRow>
{
public:
    enum ColumnId { NameColumn, CityColumn, OrdersColumn, CancelledColumn, SpentColumn, AverageColumn, LastOrderColumn };
    explicit CustomerStatsModel(QObject* parent = nullptr);
};

} // namespace cqrs::ui
