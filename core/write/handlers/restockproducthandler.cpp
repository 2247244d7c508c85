#include "write/handlers/restockproducthandler.h"

#include "write/eventoutbox.h"
#include "write/handlers/commandcontext.h"
#include "write/handlers/productloader.h"
#include "write/preparedqueries.h"

namespace cqrs {

CommandResult RestockProductHandler::handle(const RestockProduct& command, CommandContext& context)
{
    ProductInfo product;
    if (auto refused = context.products.loadForChange(
            command.productId, command.expectedVersion,
            QStringLiteral("%1 is discontinued; it cannot be restocked."), &product))
        return *refused;
    if (command.quantity <= 0)
        return CommandResult::rejected(QStringLiteral("Restock at least 1 unit."),
                                       QStringLiteral("quantity"));
    if (command.quantity > Limits::maxRestockQuantity)
        return CommandResult::rejected(QStringLiteral("At most %1 units per restock; asked for %2.")
                                           .arg(Limits::maxRestockQuantity)
                                           .arg(command.quantity),
                                       QStringLiteral("quantity"));

    QString error;
    QSqlQuery& update = context.queries.prepared(QStringLiteral(
        "UPDATE products SET stock = stock + ?, version = version + 1 WHERE id = ?"));
    update.addBindValue(command.quantity);
    update.addBindValue(product.id);
    if (!context.queries.run(update, &error))
        return storeFailure(error);
    context.outbox.payload()
        .beginObject()
        .key("name").value(product.name)
        .key("productId").value(product.id)
        .key("quantity").value(command.quantity)
        .key("stockAfter").value(product.stock + command.quantity)
        .key("version").value(product.version + 1)
        .endObject();
    if (!context.outbox.append(EventType::ProductRestocked, product.id, &error))
        return storeFailure(error);
    return CommandResult::acceptedFor(product.id);
}

} // namespace cqrs
