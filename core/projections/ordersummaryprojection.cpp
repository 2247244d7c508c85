#include "projections/ordersummaryprojection.h"

#include "projections/payload.h"

namespace cqrs {

QString OrderSummaryProjection::name() const { return QStringLiteral("order_summary"); }
QString OrderSummaryProjection::title() const { return QStringLiteral("Order summary"); }

QStringList OrderSummaryProjection::schema() const
{
    return {QStringLiteral("CREATE TABLE IF NOT EXISTS rv_order_summary ("
                           " order_id INTEGER PRIMARY KEY,"
                           " customer_id INTEGER NOT NULL,"
                           " customer_name TEXT NOT NULL,"
                           " line_count INTEGER NOT NULL,"
                           " item_count INTEGER NOT NULL,"
                           " total_cents INTEGER NOT NULL,"
                           " status TEXT NOT NULL,"
                           " placed_at_ms INTEGER NOT NULL,"
                           " last_position INTEGER NOT NULL)")};
}

QStringList OrderSummaryProjection::tables() const { return {QStringLiteral("rv_order_summary")}; }

bool OrderSummaryProjection::apply(SqlContext& sql, const Event& event, ChangeSet& changes,
                                   QString* error)
{
    const QJsonObject& p = event.payload;
    switch (event.type) {
    case EventType::OrderPlaced: {
        qint64 items = 0;
        const QJsonArray lines = payload::array(p, "lines");
        for (const QJsonValue& line : lines)
            items += payload::integer(line.toObject(), "quantity");
        SqliteStatement& insert = sql.statement(QStringLiteral(
            "INSERT INTO rv_order_summary (order_id, customer_id, customer_name, line_count, "
            "item_count, total_cents, status, placed_at_ms, last_position) "
            "VALUES (?, ?, ?, ?, ?, ?, 'placed', ?, ?)"));
        insert.bind(1, event.aggregateId)
            .bind(2, payload::integer(p, "customerId"))
            .bindTextOrNull(3, payload::text(p, "customerName"))
            .bind(4, lines.size())
            .bind(5, items)
            .bind(6, payload::integer(p, "totalCents"))
            .bind(7, payload::integer(p, "placedAtMs"))
            .bind(8, event.position);
        if (!insert.exec(error))
            return false;
        changes.orders.insert(event.aggregateId);
        return true;
    }
    case EventType::OrderCancelled: {
        SqliteStatement& update = sql.statement(QStringLiteral(
            "UPDATE rv_order_summary SET status = 'cancelled', last_position = ? WHERE order_id = ?"));
        update.bind(1, event.position).bind(2, event.aggregateId);
        if (!update.exec(error))
            return false;
        changes.orders.insert(event.aggregateId);
        return true;
    }
    default:
        return true;
    }
}

QString OrderSummaryProjection::canonicalQuery() const
{
    return QStringLiteral("SELECT order_id, customer_id, customer_name, line_count, item_count, "
                          "total_cents, status, placed_at_ms FROM rv_order_summary ORDER BY order_id");
}

} // namespace cqrs
