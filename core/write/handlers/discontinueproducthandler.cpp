#include "write/handlers/discontinueproducthandler.h"

#include "write/eventoutbox.h"
#include "write/handlers/commandcontext.h"
#include "write/handlers/productloader.h"
#include "write/preparedqueries.h"

namespace cqrs {

CommandResult DiscontinueProductHandler::handle(const DiscontinueProduct& command,
                                                CommandContext& context)
{
    ProductInfo product;
    if (auto refused = context.products.loadForChange(command.productId, command.expectedVersion,
                                                      QStringLiteral("%1 is already discontinued."),
                                                      &product))
        return *refused;

    QString error;
    QSqlQuery& update = context.queries.prepared(QStringLiteral(
        "UPDATE products SET discontinued = 1, version = version + 1 WHERE id = ?"));
    update.addBindValue(product.id);
    if (!context.queries.run(update, &error))
        return storeFailure(error);
    context.outbox.payload()
        .beginObject()
        .key("name").value(product.name)
        .key("productId").value(product.id)
        .key("version").value(product.version + 1)
        .endObject();
    if (!context.outbox.append(EventType::ProductDiscontinued, product.id, &error))
        return storeFailure(error);
    return CommandResult::acceptedFor(product.id);
}

} // namespace cqrs
