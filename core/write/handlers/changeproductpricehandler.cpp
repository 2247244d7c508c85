#include "write/handlers/changeproductpricehandler.h"

#include "util/money.h"
#include "write/eventoutbox.h"
#include "write/handlers/commandcontext.h"
#include "write/handlers/productloader.h"
#include "write/preparedqueries.h"

namespace cqrs {

CommandResult ChangeProductPriceHandler::handle(const ChangeProductPrice& command,
                                                CommandContext& context)
{
    ProductInfo product;
    if (auto refused = context.products.loadForChange(
            command.productId, command.expectedVersion,
            QStringLiteral("%1 is discontinued; its price can no longer change."), &product))
        return *refused;
    if (command.newPriceCents <= 0)
        return CommandResult::rejected(QStringLiteral("The new price must be more than 0.00."),
                                       QStringLiteral("price"));
    if (command.newPriceCents > Limits::maxPriceCents)
        return CommandResult::rejected(QStringLiteral("%1 is above the price limit of %2.")
                                           .arg(formatCents(command.newPriceCents),
                                                formatCents(Limits::maxPriceCents)),
                                       QStringLiteral("price"));
    if (command.newPriceCents == product.priceCents)
        return CommandResult::rejected(QStringLiteral("The price of %1 is already %2.")
                                           .arg(product.name, formatCents(product.priceCents)),
                                       QStringLiteral("price"));
    const QString reason = command.reason.simplified();
    if (reason.isEmpty())
        return CommandResult::rejected(QStringLiteral("Say why the price changes."),
                                       QStringLiteral("reason"));
    if (reason.size() > Limits::maxReasonLength)
        return CommandResult::rejected(
            QStringLiteral("The reason is too long (at most %1 characters).")
                .arg(Limits::maxReasonLength),
            QStringLiteral("reason"));

    QString error;
    QSqlQuery& update = context.queries.prepared(
        QStringLiteral("UPDATE products SET price_cents = ?, version = version + 1 WHERE id = ?"));
    update.addBindValue(command.newPriceCents);
    update.addBindValue(product.id);
    if (!context.queries.run(update, &error))
        return storeFailure(error);
    context.outbox.payload()
        .beginObject()
        .key("name").value(product.name)
        .key("newPriceCents").value(command.newPriceCents)
        .key("oldPriceCents").value(product.priceCents)
        .key("productId").value(product.id)
        .key("reason").value(reason)
        .key("version").value(product.version + 1)
        .endObject();
    if (!context.outbox.append(EventType::ProductPriceChanged, product.id, &error))
        return storeFailure(error);
    return CommandResult::acceptedFor(product.id);
}

} // namespace cqrs
