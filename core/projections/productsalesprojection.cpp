#include "projections/productsalesprojection.h"

#include "projections/payload.h"

namespace cqrs {

QString ProductSalesProjection::name() const { return QStringLiteral("product_sales"); }
QString ProductSalesProjection::title() const { return QStringLiteral("Product sales"); }

QStringList ProductSalesProjection::schema() const
{
    return {QStringLiteral("CREATE TABLE IF NOT EXISTS rv_product_sales ("
                           " product_id INTEGER PRIMARY KEY,"
                           " sku TEXT NOT NULL,"
                           " name TEXT NOT NULL,"
                           " category TEXT NOT NULL,"
                           " units_sold INTEGER NOT NULL DEFAULT 0,"
                           " revenue_cents INTEGER NOT NULL DEFAULT 0,"
                           " price_cents INTEGER NOT NULL,"
                           " stock INTEGER NOT NULL,"
                           " discontinued INTEGER NOT NULL DEFAULT 0)")};
}

QStringList ProductSalesProjection::tables() const { return {QStringLiteral("rv_product_sales")}; }

bool ProductSalesProjection::apply(SqlContext& sql, const Event& event, ChangeSet& changes,
                                   QString* error)
{
    const QJsonObject& p = event.payload;
    switch (event.type) {
    case EventType::ProductAdded: {
        QSqlQuery& insert = sql.prepared(QStringLiteral(
            "INSERT INTO rv_product_sales (product_id, sku, name, category, price_cents, stock) "
            "VALUES (?, ?, ?, ?, ?, ?)"));
        insert.addBindValue(event.aggregateId);
        insert.addBindValue(payload::text(p, "sku"));
        insert.addBindValue(payload::text(p, "name"));
        insert.addBindValue(payload::text(p, "category"));
        insert.addBindValue(payload::integer(p, "priceCents"));
        insert.addBindValue(payload::integer(p, "stock"));
        if (!sql.exec(insert, error))
            return false;
        changes.products.insert(event.aggregateId);
        return true;
    }
    case EventType::OrderPlaced:
    case EventType::OrderCancelled: {
        const qint64 sign = event.type == EventType::OrderPlaced ? 1 : -1;
        QSqlQuery& update = sql.prepared(QStringLiteral(
            "UPDATE rv_product_sales SET units_sold = units_sold + ?, "
            "revenue_cents = revenue_cents + ?, stock = ? WHERE product_id = ?"));
        for (const QJsonValue& value : payload::array(p, "lines")) {
            const QJsonObject line = value.toObject();
            const qint64 quantity = payload::integer(line, "quantity");
            const qint64 productId = payload::integer(line, "productId");
            update.addBindValue(sign * quantity);
            update.addBindValue(sign * quantity * payload::integer(line, "unitPriceCents"));
            update.addBindValue(payload::integer(line, "stockAfter"));
            update.addBindValue(productId);
            if (!sql.exec(update, error))
                return false;
            changes.products.insert(productId);
        }
        return true;
    }
    case EventType::ProductPriceChanged: {
        QSqlQuery& update = sql.prepared(
            QStringLiteral("UPDATE rv_product_sales SET price_cents = ? WHERE product_id = ?"));
        update.addBindValue(payload::integer(p, "newPriceCents"));
        update.addBindValue(event.aggregateId);
        if (!sql.exec(update, error))
            return false;
        break;
    }
    case EventType::ProductRestocked: {
        QSqlQuery& update =
            sql.prepared(QStringLiteral("UPDATE rv_product_sales SET stock = ? WHERE product_id = ?"));
        update.addBindValue(payload::integer(p, "stockAfter"));
        update.addBindValue(event.aggregateId);
        if (!sql.exec(update, error))
            return false;
        break;
    }
    case EventType::ProductDiscontinued: {
        QSqlQuery& update = sql.prepared(
            QStringLiteral("UPDATE rv_product_sales SET discontinued = 1 WHERE product_id = ?"));
        update.addBindValue(event.aggregateId);
        if (!sql.exec(update, error))
            return false;
        break;
    }
    default:
        return true;
    }
    changes.products.insert(event.aggregateId);
    return true;
}

QString ProductSalesProjection::canonicalQuery() const
{
    return QStringLiteral("SELECT product_id, sku, name, category, units_sold, revenue_cents, "
                          "price_cents, stock, discontinued FROM rv_product_sales ORDER BY product_id");
}

} // namespace cqrs
