#pragma once

#include "projections/projection.h"

namespace cqrs {

/// Per product: units sold and revenue (cancelled orders excluded) next to
/// the current price, stock and discontinued flag.
class ProductSalesProjection final : public Projection
{
public:
    QString name() const override;
    QString title() const override;
    QStringList schema() const override;
    QStringList tables() const override;
    bool apply(SqlContext& sql, const Event& event, ChangeSet& changes, QString* error) override;
    QString canonicalQuery() const override;
};

} // namespace cqrs
