#pragma once

#include "commands/commandresult.h"
#include "write/catalogsnapshot.h"

#include <QString>

#include <optional>

namespace cqrs {

class PreparedQueries;

/// Reads the product a product command is about, with the checks that
/// ChangeProductPrice, RestockProduct and DiscontinueProduct all start with.
class ProductLoader final
{
public:
    explicit ProductLoader(PreparedQueries& queries);

    /// Loads product `id` for a command that changes it, checking in this
    /// order that the store answers, the product exists, `expectedVersion`
    /// (when given) is its version and it is not discontinued
    /// (`whenDiscontinued` then says why, %1 being its name). Returns the
    /// command's answer at the first check that fails; otherwise nullopt,
    /// with *product filled in.
    std::optional<CommandResult> loadForChange(qint64 id, std::optional<int> expectedVersion,
                                               const QString& whenDiscontinued,
                                               ProductInfo* product);

    /// The rejection for an id no product has, about `field` ("product", or
    /// an order line's field).
    static CommandResult unknownProduct(qint64 id, const QString& field);

private:
    /// nullopt for an unknown id, and with *error set when the store failed.
    std::optional<ProductInfo> load(qint64 id, QString* error);
    static std::optional<CommandResult> rejectStaleVersion(const ProductInfo& product,
                                                           std::optional<int> expected);

    PreparedQueries& m_queries;
};

} // namespace cqrs
