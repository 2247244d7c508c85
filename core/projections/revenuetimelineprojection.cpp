#include "projections/revenuetimelineprojection.h"

#include "projections/payload.h"

#include <algorithm>

namespace cqrs {

QString RevenueTimelineProjection::name() const { return QStringLiteral("revenue_timeline"); }
QString RevenueTimelineProjection::title() const { return QStringLiteral("Revenue timeline"); }

QStringList RevenueTimelineProjection::schema() const
{
    return {QStringLiteral("CREATE TABLE IF NOT EXISTS rv_revenue_timeline ("
                           " second INTEGER PRIMARY KEY,"
                           " orders_placed INTEGER NOT NULL DEFAULT 0,"
                           " revenue_cents INTEGER NOT NULL DEFAULT 0,"
                           " orders_cancelled INTEGER NOT NULL DEFAULT 0,"
                           " refunded_cents INTEGER NOT NULL DEFAULT 0)")};
}

QStringList RevenueTimelineProjection::tables() const
{
    return {QStringLiteral("rv_revenue_timeline")};
}

bool RevenueTimelineProjection::apply(SqlContext& /*sql*/, const Event& event, ChangeSet& changes,
                                      QString* /*error*/)
{
    // Every change here is a sum: gathered per second, written by flush().
    const QJsonObject& p = event.payload;
    const bool placed = event.type == EventType::OrderPlaced;
    if (!placed && event.type != EventType::OrderCancelled)
        return true;
    const qint64 second = payload::integer(p, placed ? "placedAtMs" : "cancelledAtMs") / 1000;
    auto pending = std::find_if(m_pending.begin(), m_pending.end(),
                                [second](const PendingSecond& s) { return s.second == second; });
    if (pending == m_pending.end())
        pending = m_pending.insert(m_pending.end(), PendingSecond{second, 0, 0, 0, 0});
    const qint64 totalCents = payload::integer(p, "totalCents");
    if (placed) {
        ++pending->ordersPlaced;
        pending->revenueCents += totalCents;
    } else {
        ++pending->ordersCancelled;
        pending->refundedCents += totalCents;
    }
    changes.timelineSeconds.insert(second);
    return true;
}

bool RevenueTimelineProjection::flush(SqlContext& sql, QString* error)
{
    if (m_pending.empty())
        return true;
    SqliteStatement& upsert = sql.statement(QStringLiteral(
        "INSERT INTO rv_revenue_timeline (second, orders_placed, revenue_cents, orders_cancelled, "
        "refunded_cents) VALUES (?, ?, ?, ?, ?) ON CONFLICT(second) DO UPDATE SET "
        "orders_placed = orders_placed + excluded.orders_placed, "
        "revenue_cents = revenue_cents + excluded.revenue_cents, "
        "orders_cancelled = orders_cancelled + excluded.orders_cancelled, "
        "refunded_cents = refunded_cents + excluded.refunded_cents"));
    for (const PendingSecond& pending : m_pending) {
        upsert.bind(1, pending.second)
            .bind(2, pending.ordersPlaced)
            .bind(3, pending.revenueCents)
            .bind(4, pending.ordersCancelled)
            .bind(5, pending.refundedCents);
        if (!upsert.exec(error)) {
            m_pending.clear();
            return false;
        }
    }
    m_pending.clear();
    return true;
}

QString RevenueTimelineProjection::canonicalQuery() const
{
    return QStringLiteral("SELECT second, orders_placed, revenue_cents, orders_cancelled, "
                          "refunded_cents FROM rv_revenue_timeline ORDER BY second");
}

} // namespace cqrs
