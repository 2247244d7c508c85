#include "write/handlers/productloader.h"

#include "write/handlers/commandcontext.h"
#include "write/preparedqueries.h"

namespace cqrs {

ProductLoader::ProductLoader(PreparedQueries& queries)
    : m_queries(queries)
{
}

std::optional<CommandResult> ProductLoader::loadForChange(qint64 id,
                                                          std::optional<int> expectedVersion,
                                                          const QString& whenDiscontinued,
                                                          ProductInfo* product)
{
    QString error;
    std::optional<ProductInfo> loaded = load(id, &error);
    if (!error.isEmpty())
        return storeFailure(error);
    if (!loaded)
        return unknownProduct(id, QStringLiteral("product"));
    if (auto stale = rejectStaleVersion(*loaded, expectedVersion))
        return stale;
    if (loaded->discontinued)
        return CommandResult::rejected(whenDiscontinued.arg(loaded->name),
                                       QStringLiteral("product"));
    *product = std::move(*loaded);
    return std::nullopt;
}

CommandResult ProductLoader::unknownProduct(qint64 id, const QString& field)
{
    return CommandResult::rejected(QStringLiteral("There is no product #%1.").arg(id), field);
}

std::optional<ProductInfo> ProductLoader::load(qint64 id, QString* error)
{
    QSqlQuery& query = m_queries.prepared(QStringLiteral(
        "SELECT id, sku, name, category, price_cents, stock, discontinued, version "
        "FROM products WHERE id = ?"));
    query.addBindValue(id);
    if (!m_queries.run(query, error) || !query.next()) {
        query.finish();
        return std::nullopt;
    }
    ProductInfo product{query.value(0).toLongLong(), query.value(1).toString(),
                        query.value(2).toString(),   query.value(3).toString(),
                        query.value(4).toLongLong(), query.value(5).toInt(),
                        query.value(6).toBool(),     query.value(7).toInt()};
    query.finish();
    return product;
}

std::optional<CommandResult> ProductLoader::rejectStaleVersion(const ProductInfo& product,
                                                               std::optional<int> expected)
{
    if (!expected || *expected == product.version)
        return std::nullopt;
    return CommandResult::rejected(
        QStringLiteral("%1 was changed by someone else since you loaded it (it is now at version "
                       "%2, you saw version %3). Reload it and try again.")
            .arg(product.name)
            .arg(product.version)
            .arg(*expected),
        QStringLiteral("version"));
}

} // namespace cqrs
