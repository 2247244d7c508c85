#include "ui/recentordersmodel.h"

#include "util/money.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QFont>
#include <QSet>

namespace cqrs::ui {

namespace {
using Columns = std::vector<RowTableModel<RecentOrderRow>::Column>;
constexpr auto right = Qt::AlignRight | Qt::AlignVCenter;

Columns columns()
{
    return {
        {QObject::tr("Order"), [](const RecentOrderRow& r) { return QStringLiteral("#%1").arg(r.order.orderId); },
         [](const RecentOrderRow& r) { return r.order.orderId; }, right, {}},
        {QObject::tr("Customer"), [](const RecentOrderRow& r) { return r.order.customerName; }, {}, Qt::AlignLeft | Qt::AlignVCenter, {}},
        {QObject::tr("Items"), [](const RecentOrderRow& r) { return r.order.itemCount; }, {}, right, {}},
        {QObject::tr("Total"), [](const RecentOrderRow& r) { return formatCents(r.order.totalCents); },
         [](const RecentOrderRow& r) { return r.order.totalCents; }, right, {}},
        {QObject::tr("Status"),
         [](const RecentOrderRow& r) { return r.pending ? QObject::tr("pending…") : r.order.status; }, {},
         Qt::AlignLeft | Qt::AlignVCenter,
         QObject::tr("\"pending\": the write side accepted it; the read view has not applied it yet")},
        {QObject::tr("Placed"),
         [](const RecentOrderRow& r) {
             return QDateTime::fromMSecsSinceEpoch(r.order.placedAtMs).toString(QStringLiteral("HH:mm:ss"));
         },
         [](const RecentOrderRow& r) { return r.order.placedAtMs; }, right, {}},
    };
}
} // namespace

RecentOrdersModel::RecentOrdersModel(QObject* parent)
    : RowTableModel<RecentOrderRow>([](const RecentOrderRow& r) { return r.order.orderId; }, columns(), parent)
{
}

void RecentOrdersModel::addPending(const OrderSummaryRow& order)
{
    m_pending.insert(order.orderId, order);
    publish();
}

void RecentOrdersModel::applyPage(const OrderPage& page)
{
    if (!page.meta.ok())
        return;
    m_page = page.rows;
    m_pagePosition = page.meta.position;
    publish();
}

void RecentOrdersModel::clear()
{
    m_page.clear();
    m_pending.clear();
    m_pagePosition = 0;
    setRows({});
}

void RecentOrdersModel::publish()
{
    QSet<qint64> inView;
    for (const OrderSummaryRow& row : std::as_const(m_page))
        inView.insert(row.orderId);
    // A pending order is settled once the view has it (or has moved past its
    // event without it being on the page any more).
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        if (inView.contains(it.key()) || (m_pagePosition >= it->lastPosition && it->lastPosition > 0))
            it = m_pending.erase(it);
        else
            ++it;
    }
    QList<RecentOrderRow> rows;
    rows.reserve(m_page.size() + m_pending.size());
    for (const OrderSummaryRow& row : std::as_const(m_page))
        rows.append({row, false});
    for (const OrderSummaryRow& row : std::as_const(m_pending))
        rows.append({row, true});
    setRows(rows);
}

QVariant RecentOrdersModel::rowData(const RecentOrderRow& row, int column, int role) const
{
    if (role == Qt::FontRole && row.pending) {
        QFont font;
        font.setItalic(true);
        return font;
    }
    if (role == Qt::ForegroundRole) {
        if (row.pending)
            return QBrush(QColor(0xb3, 0x6b, 0x00));
        if (column == StatusColumn && row.order.status == QStringLiteral("cancelled"))
            return QBrush(QColor(0xa9, 0x32, 0x26));
    }
    if (role == Qt::ToolTipRole && row.pending)
        return QObject::tr("Accepted at event %1; waiting for the Order summary view to apply it.")
            .arg(row.order.lastPosition);
    return {};
}

} // namespace cqrs::ui
