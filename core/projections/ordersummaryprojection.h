#pragma once

#include "projections/projection.h"

namespace cqrs {

/// One row per order, ready for the recent-orders table: customer name,
/// item count, total and status, no joins at query time.
class OrderSummaryProjection final : public Projection
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
