#include "ui/customerstatsmodel.h"

#include "util/money.h"

#include <QDateTime>

namespace cqrs::ui {

namespace {
constexpr auto right = Qt::AlignRight | Qt::AlignVCenter;
constexpr auto left = Qt::AlignLeft | Qt::AlignVCenter;
using Row = CustomerStatsRow;
} // namespace

CustomerStatsModel::CustomerStatsModel(QObject* parent)
    : RowTableModel<CustomerStatsRow>(
          [](const Row& r) { return r.customerId; },
          {
              {tr("Customer"), [](const Row& r) { return r.name; }, {}, left, {}},
              {tr("City"), [](const Row& r) { return r.city; }, {}, left, {}},
              {tr("Orders"), [](const Row& r) { return r.orders; }, {}, right, {}},
              {tr("Cancelled"), [](const Row& r) { return r.cancelled; }, {}, right, {}},
              {tr("Spent"), [](const Row& r) { return formatCents(r.totalSpentCents); },
               [](const Row& r) { return r.totalSpentCents; }, right, tr("Total of orders that were not cancelled")},
              {tr("Avg order"), [](const Row& r) { return formatCents(r.averageOrderCents); },
               [](const Row& r) { return r.averageOrderCents; }, right, {}},
              {tr("Last order"),
               [](const Row& r) {
                   return r.lastOrderMs > 0
                              ? QDateTime::fromMSecsSinceEpoch(r.lastOrderMs).toString(QStringLiteral("HH:mm:ss"))
                              : QString();
               },
               [](const Row& r) { return r.lastOrderMs; }, right, {}},
          },
          parent)
{
}

} // namespace cqrs::ui
