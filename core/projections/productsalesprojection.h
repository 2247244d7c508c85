#pragma once

#include "projections/projection.h"

#include <vector>

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
    bool flush(SqlContext& sql, QString* error) override;
    void discard() override { m_pending.clear(); }
    QString canonicalQuery() const override;

private:
    /// Sales of the current batch not written yet, per product, in order of
    /// first appearance: sums of units and revenue, and the stock after the
    /// product's latest line (the last write wins, as event by event).
    struct PendingSales
    {
        qint64 productId = 0;
        qint64 units = 0;
        qint64 revenueCents = 0;
        qint64 stockAfter = 0;
    };
    std::vector<PendingSales> m_pending;
};

} // namespace cqrs
