#pragma once

#include "projections/projection.h"

namespace cqrs {

/// Per customer: orders, cancellations, total spent, average order value and
/// the time of the last order.
class CustomerStatsProjection final : public Projection
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
