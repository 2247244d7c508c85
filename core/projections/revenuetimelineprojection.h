#pragma once

#include "projections/projection.h"

#include <vector>

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
    bool flush(SqlContext& sql, QString* error) override;
    void discard() override { m_pending.clear(); }
    QString canonicalQuery() const override;

private:
    /// Sums of the current batch not written yet, per second, in order of
    /// first appearance.
    struct PendingSecond
    {
        qint64 second = 0;
        qint64 ordersPlaced = 0;
        qint64 revenueCents = 0;
        qint64 ordersCancelled = 0;
        qint64 refundedCents = 0;
    };
    std::vector<PendingSecond> m_pending;
};

} // namespace cqrs
