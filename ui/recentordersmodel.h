#pragma once

#include "read/queryresults.h"
#include "ui/rowtablemodel.h"

#include <QHash>

namespace cqrs::ui {

/// A row of the recent-orders table: what the OrderSummary view says, or,
/// until the view has caught up, what the command's reply said (pending).
struct RecentOrderRow
{
    OrderSummaryRow order;
    bool pending = false;

    friend bool operator==(const RecentOrderRow&, const RecentOrderRow&) = default;
};

/// The recent orders of the OrderSummary view. Orders the user just placed
/// appear at once, marked pending, and turn normal when the projection has
/// applied their event: the moment of consistency, visible.
class RecentOrdersModel final : public RowTableModel<RecentOrderRow>
{
public:
    enum ColumnId { OrderColumn, CustomerColumn, ItemsColumn, TotalColumn, StatusColumn, PlacedColumn };

    explicit RecentOrdersModel(QObject* parent = nullptr);

    /// An accepted PlaceOrder: show it now, pending until `position` is projected.
    void addPending(const OrderSummaryRow& order);
    /// A fresh page from the query side.
    void applyPage(const OrderPage& page);
    int pendingCount() const { return int(m_pending.size()); }
    /// A new store: no rows, nothing pending.
    void clear();

protected:
    QVariant rowData(const RecentOrderRow& row, int column, int role) const override;

private:
    void publish();

    QList<OrderSummaryRow> m_page;
    qint64 m_pagePosition = 0;
    QHash<qint64, OrderSummaryRow> m_pending;
};

} // namespace cqrs::ui
