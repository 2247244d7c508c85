#pragma once

#include "projections/projection.h"

namespace cqrs {

/// Per-second buckets: orders placed and their revenue by placement time,
/// cancellations and refunds by cancellation time.
class RevenueTimelineProjection final : public Projection
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
