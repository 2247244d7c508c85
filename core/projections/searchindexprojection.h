#pragma once

#include "projections/projection.h"

namespace cqrs {

/// A full-text index (SQLite FTS5) over orders, customers and products, so
/// "alice mug" finds the orders of Alice that contain a mug.
class SearchIndexProjection final : public Projection
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
