#include "projections/revenuetimelineprojection.h"

#include "projections/payload.h"

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

bool RevenueTimelineProjection::apply(SqlContext& sql, const Event& event, ChangeSet& changes,
                                      QString* error)
{
    const QJsonObject& p = event.payload;
    qint64 second = 0;
    QString statement;
    if (event.type == EventType::OrderPlaced) {
        second = payload::integer(p, "placedAtMs") / 1000;
        statement = QStringLiteral(
            "INSERT INTO rv_revenue_timeline (second, orders_placed, revenue_cents) VALUES (?, 1, ?) "
            "ON CONFLICT(second) DO UPDATE SET orders_placed = orders_placed + 1, "
            "revenue_cents = revenue_cents + excluded.revenue_cents");
    } else if (event.type == EventType::OrderCancelled) {
        second = payload::integer(p, "cancelledAtMs") / 1000;
        statement = QStringLiteral(
            "INSERT INTO rv_revenue_timeline (second, orders_cancelled, refunded_cents) "
            "VALUES (?, 1, ?) ON CONFLICT(second) DO UPDATE SET "
            "orders_cancelled = orders_cancelled + 1, "
            "refunded_cents = refunded_cents + excluded.refunded_cents");
    } else {
        return true;
    }
    QSqlQuery& upsert = sql.prepared(statement);
    upsert.addBindValue(second);
    upsert.addBindValue(payload::integer(p, "totalCents"));
    if (!sql.exec(upsert, error))
        return false;
    changes.timelineSeconds.insert(second);
    return true;
}

QString RevenueTimelineProjection::canonicalQuery() const
{
    return QStringLiteral("SELECT second, orders_placed, revenue_cents, orders_cancelled, "
                          "refunded_cents FROM rv_revenue_timeline ORDER BY second");
}

} // namespace cqrs
