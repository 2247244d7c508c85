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
    // The average is over orders that still stand; integer cents, rounded down.
    static const QString average = QStringLiteral(
        "avg_order_cents = CASE WHEN orders - cancelled > 0 "
        "THEN total_spent_cents / (orders - cancelled) ELSE 0 END");
    switch (event.type) {
    case EventType::CustomerRegistered: {
        QSqlQuery& insert = sql.prepared(QStringLiteral(
            "INSERT INTO rv_customer_stats (customer_id, name, city) VALUES (?, ?, ?)"));
        insert.addBindValue(event.aggregateId);
        insert.addBindValue(payload::text(p, "name"));
        insert.addBindValue(payload::text(p, "city"));
        if (!sql.exec(insert, error))
            return false;
        break;
    }
    case EventType::OrderPlaced: {
        QSqlQuery& update = sql.prepared(
            QStringLiteral("UPDATE rv_customer_stats SET orders = orders + 1,"
                           " total_spent_cents = total_spent_cents + ?,"
                           " last_order_ms = MAX(COALESCE(last_order_ms, 0), ?) WHERE customer_id = ?"));
        update.addBindValue(payload::integer(p, "totalCents"));
        update.addBindValue(payload::integer(p, "placedAtMs"));
        update.addBindValue(payload::integer(p, "customerId"));
        if (!sql.exec(update, error))
            return false;
        break;
    }
    case EventType::OrderCancelled: {
        QSqlQuery& update = sql.prepared(
            QStringLiteral("UPDATE rv_customer_stats SET cancelled = cancelled + 1,"
                           " total_spent_cents = total_spent_cents - ? WHERE customer_id = ?"));
        update.addBindValue(payload::integer(p, "totalCents"));
        update.addBindValue(payload::integer(p, "customerId"));
        if (!sql.exec(update, error))
            return false;
        break;
    }
    default:
        return true;
    }
    const qint64 customerId = event.type == EventType::CustomerRegistered
                                  ? event.aggregateId
                                  : payload::integer(p, "customerId");
    QSqlQuery& recompute = sql.prepared(
        QStringLiteral("UPDATE rv_customer_stats SET %1 WHERE customer_id = ?").arg(average));
    recompute.addBindValue(customerId);
    if (!sql.exec(recompute, error))
        return false;
    changes.customers.insert(customerId);
    return true;
}

QString CustomerStatsProjection::canonicalQuery() const
{
    return QStringLiteral("SELECT customer_id, name, orders, cancelled, total_spent_cents, "
                          "avg_order_cents, COALESCE(last_order_ms, 0) FROM rv_customer_stats "
                          "ORDER BY customer_id");
}

} // namespace cqrs
