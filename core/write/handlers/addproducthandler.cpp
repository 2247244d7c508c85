#include "write/handlers/addproducthandler.h"

#include "util/money.h"
#include "write/eventoutbox.h"
#include "write/handlers/commandcontext.h"
#include "write/preparedqueries.h"

namespace cqrs {

CommandResult AddProductHandler::handle(const AddProduct& command, CommandContext& context)
{
    const QString sku = command.sku.trimmed();
    const QString name = command.name.simplified();
    const QString category = command.category.simplified();
    if (sku.isEmpty())
        return CommandResult::rejected(QStringLiteral("The SKU is empty."), QStringLiteral("sku"));
    if (name.isEmpty())
        return CommandResult::rejected(QStringLiteral("The product name is empty."),
                                       QStringLiteral("name"));
    if (name.size() > Limits::maxNameLength)
        return CommandResult::rejected(
            QStringLiteral("The product name is too long (at most %1 characters).")
                .arg(Limits::maxNameLength),
            QStringLiteral("name"));
    if (category.isEmpty())
        return CommandResult::rejected(QStringLiteral("The category is empty."),
                                       QStringLiteral("category"));
    if (command.priceCents <= 0)
        return CommandResult::rejected(QStringLiteral("The price must be more than 0.00."),
                                       QStringLiteral("price"));
    if (command.priceCents > Limits::maxPriceCents)
        return CommandResult::rejected(QStringLiteral("%1 is above the price limit of %2.")
                                           .arg(formatCents(command.priceCents),
                                                formatCents(Limits::maxPriceCents)),
                                       QStringLiteral("price"));
    if (command.stock < 0 || command.stock > Limits::maxRestockQuantity)
        return CommandResult::rejected(QStringLiteral("The opening stock must be 0 to %1.")
                                           .arg(Limits::maxRestockQuantity),
                                       QStringLiteral("quantity"));
    QString error;
    QSqlQuery& taken =
        context.queries.prepared(QStringLiteral("SELECT name FROM products WHERE sku = ?"));
    taken.addBindValue(sku);
    if (!context.queries.run(taken, &error))
        return storeFailure(error);
    if (taken.next()) {
        const QString owner = taken.value(0).toString();
        taken.finish();
        return CommandResult::rejected(
            QStringLiteral("SKU %1 is already used by %2.").arg(sku, owner), QStringLiteral("sku"));
    }
    taken.finish();

    QSqlQuery& insert = context.queries.prepared(QStringLiteral(
        "INSERT INTO products (sku, name, category, price_cents, stock) VALUES (?, ?, ?, ?, ?)"));
    insert.addBindValue(sku);
    insert.addBindValue(name);
    insert.addBindValue(category);
    insert.addBindValue(command.priceCents);
    insert.addBindValue(command.stock);
    if (!context.queries.run(insert, &error))
        return storeFailure(error);
    const qint64 id = insert.lastInsertId().toLongLong();
    context.outbox.payload()
        .beginObject()
        .key("category").value(category)
        .key("name").value(name)
        .key("priceCents").value(command.priceCents)
        .key("productId").value(id)
        .key("sku").value(sku)
        .key("stock").value(command.stock)
        .key("version").value(1)
        .endObject();
    if (!context.outbox.append(EventType::ProductAdded, id, &error))
        return storeFailure(error);
    ++context.counters.products;
    return CommandResult::acceptedFor(id);
}

} // namespace cqrs
