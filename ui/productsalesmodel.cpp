#include "ui/productsalesmodel.h"

#include "util/money.h"

#include <QBrush>
#include <QColor>
#include <QFont>

namespace cqrs::ui {

namespace {
constexpr auto right = Qt::AlignRight | Qt::AlignVCenter;
constexpr auto left = Qt::AlignLeft | Qt::AlignVCenter;
using Row = ProductSalesRow;
} // namespace

ProductSalesModel::ProductSalesModel(QObject* parent)
    : RowTableModel<ProductSalesRow>(
          [](const Row& r) { return r.productId; },
          {
              {tr("SKU"), [](const Row& r) { return r.sku; }, {}, left, {}},
              {tr("Product"), [](const Row& r) { return r.name; }, {}, left, {}},
              {tr("Category"), [](const Row& r) { return r.category; }, {}, left, {}},
              {tr("Sold"), [](const Row& r) { return formatCount(r.unitsSold); },
               [](const Row& r) { return r.unitsSold; }, right, tr("Units in orders that stand")},
              {tr("Revenue"), [](const Row& r) { return formatCents(r.revenueCents); },
               [](const Row& r) { return r.revenueCents; }, right, {}},
              {tr("Price"), [](const Row& r) { return formatCents(r.priceCents); },
               [](const Row& r) { return r.priceCents; }, right, {}},
              {tr("Stock"),
               [](const Row& r) { return r.discontinued ? tr("discontinued") : formatCount(r.stock); },
               [](const Row& r) { return r.discontinued ? -1 : r.stock; }, right, {}},
          },
          parent)
{
}

QVariant ProductSalesModel::rowData(const ProductSalesRow& row, int column, int role) const
{
    if (role == Qt::ForegroundRole && row.discontinued)
        return QBrush(QColor(0x80, 0x80, 0x80));
    if (role == Qt::ForegroundRole && column == StockColumn && row.stock < 10)
        return QBrush(QColor(0xa9, 0x32, 0x26));
    if (role == Qt::FontRole && row.discontinued) {
        QFont font;
        font.setStrikeOut(true);
        return font;
    }
    return {};
}

} // namespace cqrs::ui
