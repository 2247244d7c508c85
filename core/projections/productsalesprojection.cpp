#include "projections/productsalesprojection.h"

#include "projections/payload.h"

#include <algorithm>

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
    if (!m_pending.empty() && event.type != EventType::OrderPlaced
        && event.type != EventType::OrderCancelled && !flush(sql, error))
        return false; // what came before a restock or price change is written first
    switch (event.type) {
    case EventType::ProductAdded: {
        SqliteStatement& insert = sql.statement(QStringLiteral(
            "INSERT INTO rv_product_sales (product_id, sku, name, category, price_cents, stock) "
            "VALUES (?, ?, ?, ?, ?, ?)"));
        insert.bind(1, event.aggregateId)
            .bindTextOrNull(2, payload::text(p, "sku"))
            .bindTextOrNull(3, payload::text(p, "name"))
            .bindTextOrNull(4, payload::text(p, "category"))
            .bind(5, payload::integer(p, "priceCents"))
            .bind(6, payload::integer(p, "stock"));
        if (!insert.exec(error))
            return false;
        changes.products.insert(event.aggregateId);
        return true;
    }
    case EventType::OrderPlaced:
    case EventType::OrderCancelled: {
        // Additive: gathered here, written by flush() once per product.
        const qint64 sign = event.type == EventType::OrderPlaced ? 1 : -1;
        for (const QJsonValue& value : payload::array(p, "lines")) {
            const QJsonObject line = value.toObject();
            const qint64 quantity = payload::integer(line, "quantity");
            const qint64 productId = payload::integer(line, "productId");
            auto pending = std::find_if(m_pending.begin(), m_pending.end(),
                                        [productId](const PendingSales& s) { return s.productId == productId; });
            if (pending == m_pending.end())
                pending = m_pending.insert(m_pending.end(), PendingSales{productId, 0, 0, 0});
            pending->units += sign * quantity;
            pending->revenueCents += sign * quantity * payload::integer(line, "unitPriceCents");
            pending->stockAfter = payload::integer(line, "stockAfter");
            changes.products.insert(productId);
        }
        return true;
    }
    case EventType::ProductPriceChanged: {
        SqliteStatement& update = sql.statement(
            QStringLiteral("UPDATE rv_product_sales SET price_cents = ? WHERE product_id = ?"));
        update.bind(1, payload::integer(p, "newPriceCents")).bind(2, event.aggregateId);
        if (!update.exec(error))
            return false;
        break;
    }
    case EventType::ProductRestocked: {
        SqliteStatement& update =
            sql.statement(QStringLiteral("UPDATE rv_product_sales SET stock = ? WHERE product_id = ?"));
        update.bind(1, payload::integer(p, "stockAfter")).bind(2, event.aggregateId);
        if (!update.exec(error))
            return false;
        break;
    }
    case EventType::ProductDiscontinued: {
        SqliteStatement& update = sql.statement(
            QStringLiteral("UPDATE rv_product_sales SET discontinued = 1 WHERE product_id = ?"));
        update.bind(1, event.aggregateId);
        if (!update.exec(error))
            return false;
        break;
    }
    default:
        return true;
    }
    changes.products.insert(event.aggregateId);
    return true;
}

bool ProductSalesProjection::flush(SqlContext& sql, QString* error)
{
    if (m_pending.empty())
        return true;
    SqliteStatement& update = sql.statement(QStringLiteral(
        "UPDATE rv_product_sales SET units_sold = units_sold + ?, "
        "revenue_cents = revenue_cents + ?, stock = ? WHERE product_id = ?"));
    for (const PendingSales& pending : m_pending) {
        update.bind(1, pending.units)
            .bind(2, pending.revenueCents)
            .bind(3, pending.stockAfter)
            .bind(4, pending.productId);
        if (!update.exec(error)) {
            m_pending.clear();
            return false;
        }
    }
    m_pending.clear();
    return true;
}

QString ProductSalesProjection::canonicalQuery() const
{
    return QStringLiteral("SELECT product_id, sku, name, category, units_sold, revenue_cents, "
                          "price_cents, stock, discontinued FROM rv_product_sales ORDER BY product_id");
}

} // namespace cqrs
