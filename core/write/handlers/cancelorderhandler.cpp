#include "write/handlers/cancelorderhandler.h"

#include "write/eventoutbox.h"
#include "write/handlers/commandcontext.h"
#include "write/preparedqueries.h"

#include <QHash>
#include <QList>

namespace cqrs {

CommandResult CancelOrderHandler::handle(const CancelOrder& command, CommandContext& context)
{
    QString error;
    PreparedQueries& queries = context.queries;
    QSqlQuery& order = queries.prepared(QStringLiteral(
        "SELECT o.status, o.customer_id, c.name, o.total_cents FROM orders o "
        "JOIN customers c ON c.id = o.customer_id WHERE o.id = ?"));
    order.addBindValue(command.orderId);
    if (!queries.run(order, &error))
        return storeFailure(error);
    if (!order.next()) {
        order.finish();
        return CommandResult::rejected(QStringLiteral("There is no order #%1.").arg(command.orderId),
                                       QStringLiteral("order"));
    }
    const bool cancelled = order.value(0).toString() == QStringLiteral("cancelled");
    const qint64 customerId = order.value(1).toLongLong();
    const QString customerName = order.value(2).toString();
    const qint64 totalCents = order.value(3).toLongLong();
    order.finish();
    if (cancelled)
        return CommandResult::rejected(
            QStringLiteral("Order #%1 is already cancelled.").arg(command.orderId),
            QStringLiteral("order"));
    if (command.reason.size() > Limits::maxReasonLength)
        return CommandResult::rejected(
            QStringLiteral("The reason is too long (at most %1 characters).")
                .arg(Limits::maxReasonLength),
            QStringLiteral("reason"));

    QSqlQuery& linesQuery = queries.prepared(QStringLiteral(
        "SELECT l.product_id, p.name, l.quantity, l.unit_price_cents, p.stock FROM order_lines l "
        "JOIN products p ON p.id = l.product_id WHERE l.order_id = ? ORDER BY l.line_no"));
    linesQuery.addBindValue(command.orderId);
    if (!queries.run(linesQuery, &error))
        return storeFailure(error);
    struct Line
    {
        qint64 productId;
        QString name;
        int quantity;
        qint64 unitPriceCents;
        int stock;
    };
    QList<Line> lines;
    while (linesQuery.next())
        lines.append({linesQuery.value(0).toLongLong(), linesQuery.value(1).toString(),
                      linesQuery.value(2).toInt(), linesQuery.value(3).toLongLong(),
                      linesQuery.value(4).toInt()});
    linesQuery.finish();

    QSqlQuery& update = queries.prepared(QStringLiteral(
        "UPDATE orders SET status = 'cancelled', cancelled_at_ms = ? WHERE id = ?"));
    update.addBindValue(context.nowMs);
    update.addBindValue(command.orderId);
    if (!queries.run(update, &error))
        return storeFailure(error);
    JsonWriter json = context.outbox.payload();
    json.beginObject()
        .key("cancelledAtMs").value(context.nowMs)
        .key("customerId").value(customerId)
        .key("customerName").value(customerName)
        .key("lines").beginArray();
    // Several lines may name the same product: each gives its quantity back.
    QHash<qint64, int> stockNow;
    for (const Line& line : lines) {
        QSqlQuery& giveBack =
            queries.prepared(QStringLiteral("UPDATE products SET stock = stock + ? WHERE id = ?"));
        giveBack.addBindValue(line.quantity);
        giveBack.addBindValue(line.productId);
        if (!queries.run(giveBack, &error))
            return storeFailure(error);
        const int after = stockNow.value(line.productId, line.stock) + line.quantity;
        stockNow.insert(line.productId, after);
        json.beginObject()
            .key("name").value(line.name)
            .key("productId").value(line.productId)
            .key("quantity").value(line.quantity)
            .key("stockAfter").value(after)
            .key("unitPriceCents").value(line.unitPriceCents)
            .endObject();
    }
    json.endArray()
        .key("orderId").value(command.orderId)
        .key("reason").value(command.reason.simplified())
        .key("totalCents").value(totalCents)
        .endObject();
    if (!context.outbox.append(EventType::OrderCancelled, command.orderId, &error))
        return storeFailure(error);
    ++context.counters.ordersCancelled;
    return CommandResult::acceptedFor(command.orderId);
}

} // namespace cqrs
