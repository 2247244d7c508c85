#pragma once

#include <QMetaType>
#include <QSet>
#include <QString>

namespace cqrs {

/// Which rows of the read views a batch of events touched, so UI models can
/// update just those rows instead of resetting.
struct ChangeSet
{
    QSet<qint64> orders;
    QSet<qint64> customers;
    QSet<qint64> products;
    QSet<qint64> timelineSeconds;
    bool searchIndex = false;

    bool isEmpty() const
    {
        return orders.isEmpty() && customers.isEmpty() && products.isEmpty()
               && timelineSeconds.isEmpty() && !searchIndex;
    }
    void merge(const ChangeSet& other)
    {
        orders.unite(other.orders);
        customers.unite(other.customers);
        products.unite(other.products);
        timelineSeconds.unite(other.timelineSeconds);
        searchIndex = searchIndex || other.searchIndex;
    }
};

/// What listeners learn when a projection commits a batch.
struct ProjectionAdvance
{
    QString projection;
    qint64 checkpoint = 0;
    ChangeSet changes;
    /// True when the view was cleared (rebuild, store switch): reload it.
    bool reset = false;
    /// When the transaction that moved the checkpoint committed (monotonic
    /// ns); 0 when the checkpoint moved without one of its own.
    qint64 committedNs = 0;
};

} // namespace cqrs

Q_DECLARE_METATYPE(cqrs::ChangeSet)
Q_DECLARE_METATYPE(cqrs::ProjectionAdvance)
