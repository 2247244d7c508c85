#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace cqrs {

struct ProductInfo {
    qint64 id = 0;
    QString sku;
    QString name;
    QString category;
    qint64 priceCents = 0;
    int stock = 0;
    bool discontinued = false;
    int version = 1;
};

struct CustomerInfo {
    qint64 id = 0;
    QString name;
    QString email;
    QString city;
};

/// The products and customers as the write store has them right now.
struct CatalogSnapshot {
    QList<ProductInfo> products;
    QList<CustomerInfo> customers;
    QString error;
};

/// Write-side counters: what the write store holds and how the session went.
struct WriteCounters {
    qint64 headPosition = 0;
    qint64 customers = 0;
    qint64 products = 0;
    qint64 orders = 0;
    qint64 ordersCancelled = 0;
    // Since this process started:
    qint64 commandsAccepted = 0;
    qint64 commandsRejected = 0;
    qint64 commandsFailed = 0;
    qint64 eventsAppended = 0;
    /// Commands submitted and not answered yet (the command queue's depth).
    qint64 queued = 0;
};

} // namespace cqrs

Q_DECLARE_METATYPE(cqrs::CatalogSnapshot)
Q_DECLARE_METATYPE(cqrs::WriteCounters)
