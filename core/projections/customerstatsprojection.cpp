#include "projections/customerstatsprojection.h"

#include "projections/payload.h"

namespace cqrs {

QString CustomerStatsProjection::name() const { return QStringLiteral("customer_stats"); }
QString CustomerStatsProjection::title() const { return QStringLiteral("Customer stats"); }

QStringList CustomerStatsProjection::schema() const
{
    return {QStringLiteral("CREATE TABLE IF NOT EXISTS rv_customer_stats ("
                           " customer_id INTEGER PRIMARY KEY,"
                           " name TEXT NOT NULL,"
                           " city TEXT NOT NULL,"
                           " orders INTEGER NOT NULL DEFAULT 0,"
                           " cancelled INTEGER NOT NULL DEFAULT 0,"
                           " total_spent_cents INTEGER NOT NULL DEFAULT 0,"
                           " avg_order_cents INTEGER NOT NULL DEFAULT 0,"
                           " last_order_ms INTEGER)")};
}

QStringList CustomerStatsProjection::tables() const { return {QStringLiteral("rv_customer_stats")}; }

bool CustomerStatsProjection::apply(SqlContext& sql, const Event& event, ChangeSet& changes,
                                    QString* error)
{
    const QJsonObject& p = event.payload;
    // The average is over orders that still stand; integer cents, rounded
    // down. It is computed in the same UPDATE as the counts it depends on
    // (the right-hand sides of an UPDATE see the row before it), so an
    // order costs one statement, not two.
    switch (event.type) {
    case EventType::CustomerRegistered: {
        // No orders yet: the average keeps its default, 0.
        SqliteStatement& insert = sql.statement(QStringLiteral(
            "INSERT INTO rv_customer_stats (customer_id, name, city) VALUES (?, ?, ?)"));
        insert.bind(1, event.aggregateId)
            .bindTextOrNull(2, payload::text(p, "name"))
            .bindTextOrNull(3, payload::text(p, "city"));
        if (!insert.exec(error))
            return false;
        changes.customers.insert(event.aggregateId);
        return true;
    }
    case EventType::OrderPlaced: {
        SqliteStatement& update = sql.statement(QStringLiteral(
            "UPDATE rv_customer_stats SET orders = orders + 1,"
            " total_spent_cents = total_spent_cents + ?,"
            " avg_order_cents = CASE WHEN orders + 1 - cancelled > 0"
            "   THEN (total_spent_cents + ?) / (orders + 1 - cancelled) ELSE 0 END,"
            " last_order_ms = MAX(COALESCE(last_order_ms, 0), ?) WHERE customer_id = ?"));
        const qint64 total = payload::integer(p, "totalCents");
        const qint64 customerId = payload::integer(p, "customerId");
        update.bind(1, total).bind(2, total).bind(3, payload::integer(p, "placedAtMs")).bind(4, customerId);
        if (!update.exec(error))
            return false;
        changes.customers.insert(customerId);
        return true;
    }
    case EventType::OrderCancelled: {
        SqliteStatement& update = sql.statement(QStringLiteral(
            "UPDATE rv_customer_stats SET cancelled = cancelled + 1,"
            " total_spent_cents = total_spent_cents - ?,"
            " avg_order_cents = CASE WHEN orders - (cancelled + 1) > 0"
            "   THEN (total_spent_cents - ?) / (orders - (cancelled + 1)) ELSE 0 END"
            " WHERE customer_id = ?"));
        const qint64 total = payload::integer(p, "totalCents");
        const qint64 customerId = payload::integer(p, "customerId");
        update.bind(1, total).bind(2, total).bind(3, customerId);
        if (!update.exec(error))
            return false;
        changes.customers.insert(customerId);
        return true;
    }
    default:
        return true;
    }
}

QString CustomerStatsProjection::canonicalQuery() const
{
    return QStringLiteral("SELECT customer_id, name, orders, cancelled, total_spent_cents, "
                          "avg_order_cents, COALESCE(last_order_ms, 0) FROM rv_customer_stats "
                          "ORDER BY customer_id");
}

} // namespace cqrs
