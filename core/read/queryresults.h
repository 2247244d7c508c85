#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace cqrs {

/// Where dashboard queries are answered from.
enum class ArchitectureMode {
    /// One model: joins and aggregations over the write tables.
    Crud,
    /// CQRS, one SQLite file: read tables next to the write tables.
    Logical,
    /// CQRS, two files: write.db and read.db.
    Physical,
};

enum class ConsistencyMode {
    /// Read whatever the view holds now.
    Eventual,
    /// Wait (with a deadline) until the view has applied minPosition.
    ReadYourWrites,
};

QString architectureModeName(ArchitectureMode mode);
std::optional<ArchitectureMode> architectureModeFromName(const QString& name);

struct ReadOptions {
    ConsistencyMode consistency = ConsistencyMode::Eventual;
    /// Read-your-writes: the position a command returned.
    qint64 minPosition = 0;
    int timeoutMs = 2'000;
    /// Override the service's current architecture (tests, experiments).
    std::optional<ArchitectureMode> mode;
};

/// What every answer says about itself.
struct QueryMeta {
    ArchitectureMode mode = ArchitectureMode::Physical;
    /// The event position the answer reflects (the view's checkpoint).
    qint64 position = 0;
    /// Read-your-writes deadline passed before the view reached minPosition.
    bool stillCatchingUp = false;
    QString message;
    QString error;
    double elapsedMs = 0;

    bool ok() const { return error.isEmpty(); }
};

struct OrderSummaryRow {
    qint64 orderId = 0;
    qint64 customerId = 0;
    QString customerName;
    int lineCount = 0;
    int itemCount = 0;
    qint64 totalCents = 0;
    QString status;
    qint64 placedAtMs = 0;
    qint64 lastPosition = 0;

    friend bool operator==(const OrderSummaryRow&, const OrderSummaryRow&) = default;
};

struct OrderPage {
    QueryMeta meta;
    QList<OrderSummaryRow> rows;
    qint64 totalOrders = 0;
};

struct OrderLookup {
    QueryMeta meta;
    std::optional<OrderSummaryRow> order;
};

struct CustomerStatsRow {
    qint64 customerId = 0;
    QString name;
    QString city;
    qint64 orders = 0;
    qint64 cancelled = 0;
    qint64 totalSpentCents = 0;
    qint64 averageOrderCents = 0;
    qint64 lastOrderMs = 0;

    friend bool operator==(const CustomerStatsRow&, const CustomerStatsRow&) = default;
};

struct CustomerStatsResult {
    QueryMeta meta;
    QList<CustomerStatsRow> rows;
};

struct ProductSalesRow {
    qint64 productId = 0;
    QString sku;
    QString name;
    QString category;
    qint64 unitsSold = 0;
    qint64 revenueCents = 0;
    qint64 priceCents = 0;
    qint64 stock = 0;
    bool discontinued = false;

    friend bool operator==(const ProductSalesRow&, const ProductSalesRow&) = default;
};

struct ProductSalesResult {
    QueryMeta meta;
    QList<ProductSalesRow> rows;
};

struct RevenuePoint {
    qint64 second = 0;
    qint64 ordersPlaced = 0;
    qint64 revenueCents = 0;
    qint64 ordersCancelled = 0;
    qint64 refundedCents = 0;

    friend bool operator==(const RevenuePoint&, const RevenuePoint&) = default;
};

struct RevenueSeries {
    QueryMeta meta;
    /// Oldest first.
    QList<RevenuePoint> points;
};

struct SearchHit {
    QString kind; // "order", "customer" or "product"
    qint64 ref = 0;
    QString title;
    QString body;
};

/// How many rows each view holds, in the store the queries read.
struct ViewRowCounts {
    QueryMeta meta;
    /// Projection name and its rows, in createProjections() order.
    QList<QPair<QString, qint64>> rows;
    /// The file the views live in.
    QString storePath;
};

struct SearchResult {
    QueryMeta meta;
    QString query;
    QList<SearchHit> hits;
};

} // namespace cqrs

Q_DECLARE_METATYPE(cqrs::OrderPage)
Q_DECLARE_METATYPE(cqrs::OrderLookup)
Q_DECLARE_METATYPE(cqrs::CustomerStatsResult)
Q_DECLARE_METATYPE(cqrs::ProductSalesResult)
Q_DECLARE_METATYPE(cqrs::RevenueSeries)
Q_DECLARE_METATYPE(cqrs::SearchResult)
